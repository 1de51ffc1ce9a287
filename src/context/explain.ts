// Why detection found none of its marker files, in words: "none of these files
// is in the build context" was wrong when go.mod was there but a symlink, a
// directory or a FIFO, when .dockerignore hid it, or when PROJECT_PATH named
// no folder. Both the CLI and the frontend build this message from the same
// context rules, so they say the same thing.
import type { BuildContext } from "./fs.js";
import { SubdirContext } from "./subdir.js";

const KIND: Record<string, string> = {
  symlink: "is a symbolic link, and links are never followed (BuildKit sends them as links, and one may point outside the context); put the file itself there",
  dir: "is a directory, not a file",
  other: "is not a regular file (a FIFO, socket or device)",
};

/** The NoLanguageError message for a context without any of `markers`. */
export async function noLanguageMessage(ctx: BuildContext, markers: readonly string[]): Promise<string> {
  const found: string[] = [];
  const hiddenBy = new Map<string, string[]>();
  for (const m of markers) {
    const st = await ctx.stat(m);
    if (st && KIND[st.kind]) found.push(`${m} ${KIND[st.kind]}`);
    const pattern = st ? undefined : ctx.excludedBy?.(m);
    if (pattern) hiddenBy.set(pattern, [...(hiddenBy.get(pattern) ?? []), m]);
  }
  for (const [pattern, names] of hiddenBy) found.push(`.dockerignore pattern ${JSON.stringify(pattern)} excludes ${list(names)}, so ${names.length > 1 ? "they are" : "it is"} not sent to the build`);
  if (found.length) return `No supported language found: ${found.join("; ")}. (Looked for: ${markers.join(", ")}.)`;
  const folder = ctx instanceof SubdirContext ? await projectFolderNote(ctx, markers) : undefined;
  return `No supported language found: ${folder ?? `none of these files is in the build context: ${markers.join(", ")}`}.`;
}

/** What is wrong with PROJECT_PATH's folder itself, if anything. */
async function projectFolderNote(ctx: SubdirContext, markers: readonly string[]): Promise<string | undefined> {
  const kind = await ctx.folderKind();
  const name = `PROJECT_PATH ${JSON.stringify(ctx.dir)}`;
  if (kind === "dir") return undefined;
  if (kind === "symlink") return `${name} is a symbolic link, and links are never followed (one may point outside the context); name the real folder`;
  if (kind) return `${name} is not a folder; name the app's folder`;
  // The frontend's transfer holds only detection files, so "no such folder" and "a folder without them" look alike.
  return `${name} names no folder of the build context that holds any of these files: ${markers.join(", ")}`;
}

function list(names: string[]): string {
  return names.length > 4 ? `${names.slice(0, 4).join(", ")} and ${names.length - 4} more` : names.join(", ");
}

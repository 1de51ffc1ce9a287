// .dockerignore → exclude patterns. BuildKit never applies it by itself: the
// frontend sends these with the context source so ignored files never transfer.
import { readText, type BuildContext } from "./fs.js";
import path from "node:path/posix";

export function parseDockerignore(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    if (raw.startsWith("#")) continue;
    let line = raw.trim();
    if (!line) continue;
    let neg = "";
    if (line.startsWith("!")) {
      neg = "!";
      line = line.slice(1).trim();
    }
    let p = path.normalize(line).replace(/(.)\/+$/, "$1");
    if (p.length > 1 && p.startsWith("/")) p = p.slice(1);
    out.push(neg + p);
  }
  return out;
}

export async function readDockerignore(ctx: BuildContext): Promise<string[]> {
  const text = await readText(ctx, ".dockerignore");
  return text === undefined ? [] : parseDockerignore(text);
}

/**
 * Exclude patterns for the project folder: its own .dockerignore (the
 * project folder is the context the app sees), rewritten relative to the root.
 */
export async function projectExcludes(root: BuildContext, projectPath: string): Promise<string[]> {
  const file = projectPath ? `${projectPath}/.dockerignore` : ".dockerignore";
  const text = await readText(root, file);
  if (text === undefined) return [];
  const patterns = parseDockerignore(text);
  if (!projectPath) return patterns;
  return patterns.map((p) => (p.startsWith("!") ? `!${projectPath}/${p.slice(1)}` : `${projectPath}/${p}`));
}

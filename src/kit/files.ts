// Small questions providers ask of the build context.
import { isFile, type BuildContext } from "../context/fs.js";

/** The first of `paths` that is a file, in the order given. */
export async function firstExisting(ctx: BuildContext, paths: readonly string[]): Promise<string | undefined> {
  for (const p of paths) if (await isFile(ctx, p)) return p;
  return undefined;
}

/** Those of `paths` that are files, in the order given. */
export async function existing(ctx: BuildContext, paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) if (await isFile(ctx, p)) out.push(p);
  return out;
}

// The only way detection sees the app: a small read-only filesystem. One
// implementation reads local disk (CLI, tests), one the gateway (frontend).
import { checkNesting } from "./nesting.js";

export interface DirEntry {
  name: string;
  kind: "file" | "dir" | "symlink" | "other";
  size: number;
}

export interface BuildContext {
  /** File bytes, or undefined when the path does not exist or is not a regular file. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** One level of entries sorted by name, or undefined when the directory does not exist. */
  readDir(path: string): Promise<DirEntry[] | undefined>;
  /** Entry for a path, or undefined when it does not exist. */
  stat(path: string): Promise<DirEntry | undefined>;
}

/** Thrown for problems in the user's files; the message names the file and the fix. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = "UserError";
  }
}

export async function exists(ctx: BuildContext, path: string): Promise<boolean> {
  return (await ctx.stat(path)) !== undefined;
}

export async function isFile(ctx: BuildContext, path: string): Promise<boolean> {
  return (await ctx.stat(path))?.kind === "file";
}

export async function readText(ctx: BuildContext, path: string): Promise<string | undefined> {
  const bytes = await ctx.readFile(path);
  if (!bytes) return undefined;
  let text = new TextDecoder("utf-8").decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** Parses a JSON file; a syntax error becomes a UserError naming the file. */
export async function readJson(ctx: BuildContext, path: string): Promise<unknown> {
  const text = await readText(ctx, path);
  if (text === undefined) return undefined;
  checkNesting(text, path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path} is not valid JSON (${(e as Error).message}); fix the syntax and build again.`, path);
  }
}

/** First meaningful line of a version file such as .nvmrc or .go-version. */
export async function readVersionFile(ctx: BuildContext, path: string): Promise<string | undefined> {
  const text = await readText(ctx, path);
  if (text === undefined) return undefined;
  for (const line of text.split(/\r?\n/)) {
    const v = line.replace(/#.*/, "").trim();
    if (v) return v;
  }
  return undefined;
}

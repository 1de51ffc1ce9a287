// The only way detection sees the app: a small read-only filesystem. One
// implementation reads local disk (CLI, tests), one the gateway (frontend).
import { checkNesting } from "./nesting.js";

export interface DirEntry {
  name: string;
  kind: "file" | "dir" | "symlink" | "other";
  size: number;
}

export interface BuildContext {
  /**
   * File bytes, or undefined when the path does not exist or is not a regular
   * file. With `head`, at most its `length` first bytes (lockfiles of many MB
   * would otherwise cross gRPC's message limits when only their header matters).
   */
  readFile(path: string, head?: { length: number }): Promise<Uint8Array | undefined>;
  /** One level of entries sorted by name, or undefined when the directory does not exist. */
  readDir(path: string): Promise<DirEntry[] | undefined>;
  /** Entry for a path, or undefined when it does not exist. */
  stat(path: string): Promise<DirEntry | undefined>;
  /** The .dockerignore pattern that hides `path`, when the context applies one (to explain a missing file). */
  excludedBy?(path: string): string | undefined;
}

/** Thrown for problems in the user's files; the message names the file and the fix. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(capMessage(message));
    this.name = "UserError";
  }
}

/** A message quotes the user's values; a huge one (a 10 KB version) is cut in the middle, never echoed whole. */
const MAX_MESSAGE = 1000;
function capMessage(m: string): string {
  if (m.length <= MAX_MESSAGE) return m;
  const keep = MAX_MESSAGE / 2 - 20;
  return `${m.slice(0, keep)} … (${m.length - 2 * keep} characters cut) … ${m.slice(-keep)}`;
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
  // Editors on Windows save UTF-16 with a byte-order mark; decoded as UTF-8 it is garbage, so say so.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UserError(`${path} is encoded as UTF-16; save it as UTF-8 (without a byte-order mark) and build again.`, path);
  }
  let text = new TextDecoder("utf-8").decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // No text manifest holds NUL; a binary file would otherwise reach commands (a Procfile's `web:\0`) or messages.
  const nul = text.indexOf("\u0000");
  if (nul >= 0) throw new UserError(`${path} is not a text file (it holds binary data at character ${nul + 1}); it must be UTF-8 text.`, path);
  return text;
}

/** The first `length` bytes of a text file (a lockfile's header), decoded as UTF-8. */
export async function readTextHead(ctx: BuildContext, path: string, length = 64 * 1024): Promise<string | undefined> {
  const bytes = await ctx.readFile(path, { length });
  return bytes && new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
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

/** No real version string (`lts/hydrogen`, `1.22.3`, `nightly-2024-05-01`) comes near this. */
const MAX_VERSION = 128;

/** First meaningful line of a version file such as .nvmrc or .go-version. */
export async function readVersionFile(ctx: BuildContext, path: string): Promise<string | undefined> {
  const text = await readText(ctx, path);
  if (text === undefined) return undefined;
  for (const line of text.split(/\r?\n/)) {
    const v = line.replace(/#.*/, "").trim();
    if (v.length > MAX_VERSION) {
      // A 10 KB "version" used to be quoted in full (twice) in the error.
      throw new UserError(`${path}: the version is ${v.length} characters long; the file should hold one version, such as 22 or 1.22.3.`, path);
    }
    if (v) return v;
  }
  return undefined;
}

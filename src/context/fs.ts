// The only way detection sees the app: a small read-only filesystem. One
// implementation reads local disk (CLI, tests), one the gateway (frontend).
import { checkNesting } from "./nesting.js";
import { UserError } from "./user-error.js";

export interface DirEntry {
  name: string;
  kind: "file" | "dir" | "symlink" | "other";
  size: number;
}

export interface BuildContext {
  /** File bytes, or undefined when the path does not exist or is not a regular file (a symlink is not followed). */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** One level of entries sorted by name, or undefined when the directory does not exist. */
  readDir(path: string): Promise<DirEntry[] | undefined>;
  /** Entry for a path, or undefined when it does not exist. */
  stat(path: string): Promise<DirEntry | undefined>;
  /**
   * The first `bytes` bytes of a file (all of it when shorter), like readFile.
   * Optional: readHead() below falls back to readFile. Implement it where a
   * whole read is costly (the gateway sends files over gRPC, 16 MiB at most).
   */
  readHead?(path: string, bytes: number): Promise<Uint8Array | undefined>;
  /** The .dockerignore pattern that hides `path`, when the context applies one (to explain a missing file). */
  excludedBy?(path: string): string | undefined;
}

export { UserError } from "./user-error.js";

export async function exists(ctx: BuildContext, path: string): Promise<boolean> {
  return (await ctx.stat(path)) !== undefined;
}

export async function isFile(ctx: BuildContext, path: string): Promise<boolean> {
  return (await ctx.stat(path))?.kind === "file";
}

export async function readText(ctx: BuildContext, path: string): Promise<string | undefined> {
  const bytes = await ctx.readFile(path);
  return bytes && decodeText(bytes, path);
}

/** The first `bytes` bytes of a file, through the context's readHead when it has one. */
export async function readHead(ctx: BuildContext, path: string, bytes: number): Promise<Uint8Array | undefined> {
  if (ctx.readHead) return ctx.readHead(path, bytes);
  return (await ctx.readFile(path))?.subarray(0, bytes);
}

/**
 * The whole lines within the first `bytes` bytes of a text file: for headers
 * such as a lockfile's version line, without reading a lockfile of megabytes.
 * A line cut by the limit is dropped, so a pattern never sees half a value.
 */
export async function readHeadText(ctx: BuildContext, path: string, bytes: number): Promise<string | undefined> {
  const head = await readHead(ctx, path, bytes);
  if (!head) return undefined;
  const cut = head.length >= bytes ? head.subarray(0, head.lastIndexOf(0x0a) + 1) : head;
  return decodeText(cut, path);
}

/** UTF-8 text without a byte-order mark; UTF-16 and binary files are refused by name. */
function decodeText(bytes: Uint8Array, path: string): string {
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

// The only way detection sees the app: a small read-only filesystem. One
// implementation reads local disk (CLI, tests), one the gateway (frontend).
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
  /**
   * The first `bytes` bytes of a file (all of it when shorter), like readFile.
   * Optional: readHead() below falls back to readFile. Implement it where a
   * whole read is costly (the gateway sends files over gRPC, 16 MiB at most).
   */
  readHead?(path: string, bytes: number): Promise<Uint8Array | undefined>;
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
  return bytes && decodeText(bytes);
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
  return decodeText(cut);
}

function decodeText(bytes: Uint8Array): string {
  const text = new TextDecoder("utf-8").decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses a JSON file; a syntax error becomes a UserError naming the file. */
export async function readJson(ctx: BuildContext, path: string): Promise<unknown> {
  const text = await readText(ctx, path);
  if (text === undefined) return undefined;
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

// A BuildContext scoped to a folder of another (PROJECT_PATH for monorepos).
import path from "node:path/posix";
import { readHead, UserError, type BuildContext, type DirEntry } from "./fs.js";
import { rootRelative } from "./clean-path.js";

/** Cleans PROJECT_PATH to `a/b` ("" for the root); refuses paths that leave the context. */
export function normalizeProjectPath(raw: string | undefined): string {
  if (!raw?.trim()) return "";
  const p = path.normalize(raw.trim().replace(/^\/+/, "")).replace(/\/+$/, "");
  if (p === "." || p === "") return "";
  if (p === ".." || p.startsWith("../")) {
    throw new UserError(`PROJECT_PATH=${JSON.stringify(raw)} points outside the build context; use a folder inside it, such as apps/api.`);
  }
  return p;
}

export class SubdirContext implements BuildContext {
  constructor(
    private readonly inner: BuildContext,
    readonly dir: string,
  ) {}

  private at(p: string): string {
    return path.join(this.dir, rootRelative(p));
  }

  readFile(p: string): Promise<Uint8Array | undefined> {
    return this.inner.readFile(this.at(p));
  }

  readHead(p: string, bytes: number): Promise<Uint8Array | undefined> {
    return readHead(this.inner, this.at(p), bytes);
  }

  readDir(p: string): Promise<DirEntry[] | undefined> {
    return this.inner.readDir(this.at(p));
  }

  stat(p: string): Promise<DirEntry | undefined> {
    return this.inner.stat(this.at(p));
  }

  excludedBy(p: string): string | undefined {
    return this.inner.excludedBy?.(this.at(p));
  }

  /** What the folder itself is: "dir" when it is a real folder, undefined when absent. */
  async folderKind(): Promise<string | undefined> {
    return (await this.inner.stat(this.dir))?.kind;
  }
}

/** Folders above a project folder, nearest first, ending with the context root (""). */
export function ancestors(p: string): string[] {
  const out: string[] = [];
  for (let d = path.dirname(p); ; d = path.dirname(d)) {
    out.push(d === "." ? "" : d);
    if (d === "." || d === "/" || d === "") return out;
  }
}

// BuildContext over a directory on local disk (CLI and tests). It follows the
// gateway's rules (frontend/gateway-fs.ts): a symlink is reported as a link and
// never followed — not as the last component, not as a folder on the way —
// so `.nvmrc -> /etc/passwd` or `PROJECT_PATH=link-to-etc` reads nothing from
// outside the context, exactly as BuildKit's transfer would.
import { promises as fs, type Stats } from "node:fs";
import path from "node:path";
import type { BuildContext, DirEntry } from "./fs.js";

export class LocalContext implements BuildContext {
  constructor(readonly root: string) {}

  /** Path segments below the root (`..` cannot climb above it). */
  private segments(p: string): string[] {
    return path.posix.resolve("/", p).split("/").filter(Boolean);
  }

  /** lstat of every component; undefined when one on the way is missing or not a real folder. */
  private async lstat(p: string): Promise<{ full: string; st: Stats } | undefined> {
    let full = this.root;
    const segs = this.segments(p);
    try {
      // The root itself is the user's choice and may be a link; nothing below it is followed.
      let st = await fs.stat(full);
      for (const seg of segs) {
        if (!st.isDirectory()) return undefined;
        full = path.join(full, seg);
        st = await fs.lstat(full);
      }
      return { full, st };
    } catch {
      return undefined;
    }
  }

  async readFile(p: string): Promise<Uint8Array | undefined> {
    const hit = await this.lstat(p);
    if (!hit?.st.isFile()) return undefined;
    return fs.readFile(hit.full).catch(() => undefined);
  }

  async readHead(p: string, bytes: number): Promise<Uint8Array | undefined> {
    const hit = await this.lstat(p);
    if (!hit?.st.isFile()) return undefined;
    const fh = await fs.open(hit.full, "r").catch(() => undefined);
    if (!fh) return undefined;
    try {
      const buf = Buffer.alloc(Math.min(bytes, hit.st.size));
      let n = 0;
      // read() may return fewer bytes than asked before the end of the file.
      while (n < buf.length) {
        const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
        if (bytesRead === 0) break;
        n += bytesRead;
      }
      return buf.subarray(0, n);
    } catch {
      return undefined;
    } finally {
      await fh.close();
    }
  }

  async readDir(p: string): Promise<DirEntry[] | undefined> {
    const hit = await this.lstat(p);
    if (!hit?.st.isDirectory()) return undefined;
    try {
      const entries = await fs.readdir(hit.full, { withFileTypes: true });
      return entries.map((e) => ({ name: e.name, kind: kindOf(e), size: 0 })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return undefined;
    }
  }

  async stat(p: string): Promise<DirEntry | undefined> {
    const hit = await this.lstat(p);
    return hit && { name: path.posix.basename(p), kind: kindOf(hit.st), size: hit.st.size };
  }
}

function kindOf(e: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): DirEntry["kind"] {
  return e.isFile() ? "file" : e.isDirectory() ? "dir" : e.isSymbolicLink() ? "symlink" : "other";
}

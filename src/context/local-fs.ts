// BuildContext over a directory on local disk (CLI and tests).
import { promises as fs } from "node:fs";
import path from "node:path";
import type { BuildContext, DirEntry } from "./fs.js";

export class LocalContext implements BuildContext {
  constructor(readonly root: string) {}

  private resolve(p: string): string {
    const full = path.resolve(this.root, "." + path.posix.resolve("/", p));
    return full;
  }

  async readFile(p: string): Promise<Uint8Array | undefined> {
    try {
      const st = await fs.stat(this.resolve(p));
      if (!st.isFile()) return undefined;
      return await fs.readFile(this.resolve(p));
    } catch {
      return undefined;
    }
  }

  async readHead(p: string, bytes: number): Promise<Uint8Array | undefined> {
    let file: fs.FileHandle | undefined;
    try {
      file = await fs.open(this.resolve(p), "r");
      if (!(await file.stat()).isFile()) return undefined;
      const buf = new Uint8Array(bytes);
      let n = 0;
      // read() may return fewer bytes than asked before the end of the file.
      while (n < bytes) {
        const { bytesRead } = await file.read(buf, n, bytes - n, n);
        if (bytesRead === 0) break;
        n += bytesRead;
      }
      return buf.subarray(0, n);
    } catch {
      return undefined;
    } finally {
      await file?.close();
    }
  }

  async readDir(p: string): Promise<DirEntry[] | undefined> {
    try {
      const entries = await fs.readdir(this.resolve(p), { withFileTypes: true });
      const out: DirEntry[] = [];
      for (const e of entries) {
        const kind = e.isFile() ? "file" : e.isDirectory() ? "dir" : e.isSymbolicLink() ? "symlink" : "other";
        out.push({ name: e.name, kind, size: 0 });
      }
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return undefined;
    }
  }

  async stat(p: string): Promise<DirEntry | undefined> {
    try {
      const st = await fs.lstat(this.resolve(p));
      const kind = st.isFile() ? "file" : st.isDirectory() ? "dir" : st.isSymbolicLink() ? "symlink" : "other";
      return { name: path.posix.basename(p), kind, size: st.size };
    } catch {
      return undefined;
    }
  }
}

// In-memory BuildContext (unit tests, the frontend snapshot warm-up): files from a Record<path, content>,
// directories implied by the paths (`a/b/c.txt` makes `a` and `a/b` dirs).
import type { BuildContext, DirEntry } from "./fs.js";

function clean(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return parts.join("/");
}

export class MemoryContext implements BuildContext {
  private readonly files = new Map<string, Uint8Array>();
  private readonly dirs = new Set<string>([""]);

  constructor(files: Record<string, string> = {}) {
    const enc = new TextEncoder();
    for (const [raw, content] of Object.entries(files)) {
      const p = clean(raw);
      this.files.set(p, enc.encode(content));
      const segs = p.split("/");
      for (let i = 1; i < segs.length; i++) this.dirs.add(segs.slice(0, i).join("/"));
    }
  }

  async readFile(p: string, head?: { length: number }): Promise<Uint8Array | undefined> {
    const f = this.files.get(clean(p));
    return head ? f?.subarray(0, head.length) : f;
  }

  async readDir(p: string): Promise<DirEntry[] | undefined> {
    const dir = clean(p);
    if (!this.dirs.has(dir)) return undefined;
    const prefix = dir ? dir + "/" : "";
    const names = new Map<string, DirEntry>();
    for (const f of this.files.keys()) {
      if (!f.startsWith(prefix)) continue;
      const [name, ...rest] = f.slice(prefix.length).split("/");
      if (!name || names.has(name)) continue;
      names.set(name, rest.length ? { name, kind: "dir", size: 0 } : { name, kind: "file", size: this.files.get(f)!.length });
    }
    return [...names.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async stat(p: string): Promise<DirEntry | undefined> {
    const c = clean(p);
    const name = c.split("/").pop() ?? "";
    const file = this.files.get(c);
    if (file) return { name, kind: "file", size: file.length };
    if (this.dirs.has(c)) return { name, kind: "dir", size: 0 };
    return undefined;
  }
}

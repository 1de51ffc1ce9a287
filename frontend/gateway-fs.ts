// BuildContext over a solved local source: ReadFile/ReadDir/StatFile RPCs.
// Answers are memoized: detection asks for the same paths more than once.
import type { BuildContext, DirEntry } from "../src/context/fs.js";
import type { Bridge, CallError } from "./bridge.js";

// Go os.FileMode bits, as fsutil reports them.
const MODE_DIR = 0x80000000;
const MODE_SYMLINK = 0x08000000;
const MODE_TYPE = 0x8f280000;

export class GatewayContext implements BuildContext {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly bridge: Bridge,
    private readonly ref: string,
  ) {}

  readFile(path: string): Promise<Uint8Array | undefined> {
    return this.once("f:" + path, async () => {
      const st = await this.stat(path);
      if (st?.kind !== "file") return undefined;
      const res = await this.bridge.call("ReadFile", { Ref: this.ref, FilePath: path });
      return new Uint8Array(res.Data as Buffer);
    });
  }

  readDir(path: string): Promise<DirEntry[] | undefined> {
    return this.once("d:" + path, async () => {
      const st = await this.stat(path);
      if (st?.kind !== "dir") return undefined;
      const res = await this.bridge.call("ReadDir", { Ref: this.ref, DirPath: path });
      return (res.entries as { path: string; mode: number; size: string }[])
        .map((e) => toEntry(e.path, e.mode, e.size))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    });
  }

  stat(path: string): Promise<DirEntry | undefined> {
    return this.once("s:" + path, async () => {
      try {
        const res = await this.bridge.call("StatFile", { Ref: this.ref, Path: path });
        return toEntry(path.split("/").pop() ?? path, res.stat.mode, res.stat.size);
      } catch (e) {
        if (isNotFound(e as CallError)) return undefined;
        throw e;
      }
    });
  }

  private once<T>(key: string, f: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = f();
      this.memo.set(key, p);
    }
    return p;
  }
}

function toEntry(name: string, mode: number, size: string | number): DirEntry {
  const kind = mode & MODE_DIR ? "dir" : mode & MODE_SYMLINK ? "symlink" : mode & MODE_TYPE ? "other" : "file";
  return { name, kind, size: Number(size) };
}

function isNotFound(e: CallError): boolean {
  return /no such file or directory|not found|does not exist/i.test(e.details ?? e.message ?? "");
}

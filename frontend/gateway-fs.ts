// BuildContext over a solved local source. Detection probes many paths; each
// probe would be a round trip, so a directory is listed once (ReadDir) and
// stats are answered from the listing. The detection source holds only the
// followed paths, so listings are tiny.
import path from "node:path/posix";
import type { BuildContext, DirEntry } from "../src/context/fs.js";
import type { Bridge } from "./bridge.js";

// Go os.FileMode bits, as fsutil reports them.
const MODE_DIR = 0x80000000;
const MODE_SYMLINK = 0x08000000;
const MODE_IRREGULAR = 0x8f280000 & ~MODE_DIR & ~MODE_SYMLINK;

export class GatewayContext implements BuildContext {
  private readonly listings = new Map<string, Promise<DirEntry[] | undefined>>();
  private readonly files = new Map<string, Promise<Uint8Array | undefined>>();

  constructor(
    private readonly bridge: Bridge,
    private readonly ref: string,
  ) {}

  async stat(p: string): Promise<DirEntry | undefined> {
    const clean = normalize(p);
    if (clean === "") return { name: "", kind: "dir", size: 0 };
    const entries = await this.readDir(path.dirname(clean));
    return entries?.find((e) => e.name === path.basename(clean));
  }

  readDir(p: string): Promise<DirEntry[] | undefined> {
    const clean = normalize(p);
    let hit = this.listings.get(clean);
    if (!hit) {
      hit = this.list(clean);
      this.listings.set(clean, hit);
    }
    return hit;
  }

  readFile(p: string, head?: { length: number }): Promise<Uint8Array | undefined> {
    const clean = normalize(p);
    const key = head ? `${clean}\0${head.length}` : clean;
    let hit = this.files.get(key);
    if (!hit) {
      hit = (async () => {
        if ((await this.stat(clean))?.kind !== "file") return undefined;
        // A Range keeps a many-MB lockfile's answer small when only its header is wanted.
        const res = await this.bridge.call("ReadFile", { Ref: this.ref, FilePath: clean, ...(head ? { Range: { Offset: 0, Length: head.length } } : {}) });
        return new Uint8Array(res.Data as Buffer);
      })();
      this.files.set(key, hit);
    }
    return hit;
  }

  private async list(dir: string): Promise<DirEntry[] | undefined> {
    // Ask only for directories known to exist: a missing one would cost an error round trip.
    if (dir !== "" && (await this.stat(dir))?.kind !== "dir") return undefined;
    const res = await this.bridge.call("ReadDir", { Ref: this.ref, DirPath: dir === "" ? "/" : dir });
    return (res.entries as { path: string; mode: number; size: string }[])
      .map((e) => toEntry(path.basename(e.path), e.mode >>> 0, e.size))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function normalize(p: string): string {
  const n = path.normalize("/" + p).replace(/^\/+/, "").replace(/\/+$/, "");
  return n === "." ? "" : n;
}

function toEntry(name: string, mode: number, size: string | number): DirEntry {
  const kind = mode & MODE_DIR ? "dir" : mode & MODE_SYMLINK ? "symlink" : mode & MODE_IRREGULAR ? "other" : "file";
  return { name, kind, size: Number(size) };
}

// BuildContext over a solved local source. Detection probes many paths; each
// probe would be a round trip, so a directory is listed once (ReadDir) and
// stats are answered from the listing. The detection source holds only the
// followed paths, so listings are tiny.
import path from "node:path/posix";
import type { BuildContext, DirEntry } from "../src/context/fs.js";
import type { Bridge } from "./bridge.js";
import { cleanPath } from "../src/context/clean-path.js";

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
    const clean = cleanPath(p);
    if (clean === "") return { name: "", kind: "dir", size: 0 };
    const entries = await this.readDir(path.dirname(clean));
    return entries?.find((e) => e.name === path.basename(clean));
  }

  readDir(p: string): Promise<DirEntry[] | undefined> {
    const clean = cleanPath(p);
    let hit = this.listings.get(clean);
    if (!hit) {
      hit = this.list(clean);
      this.listings.set(clean, hit);
    }
    return hit;
  }

  readFile(p: string): Promise<Uint8Array | undefined> {
    const clean = cleanPath(p);
    let hit = this.files.get(clean);
    if (!hit) {
      hit = (async () => {
        if ((await this.stat(clean))?.kind !== "file") return undefined;
        const res = await this.bridge.call("ReadFile", { Ref: this.ref, FilePath: clean });
        return new Uint8Array(res.Data as Buffer);
      })();
      this.files.set(clean, hit);
    }
    return hit;
  }

  /**
   * ReadFile with a byte range: a lockfile header costs a few KiB on the wire
   * instead of the whole file (BuildKit caps a reply at 16 MiB). A file that
   * fits, or one already read whole, is served from the readFile cache.
   */
  async readHead(p: string, bytes: number): Promise<Uint8Array | undefined> {
    const clean = cleanPath(p);
    const whole = this.files.get(clean);
    if (whole) return (await whole)?.subarray(0, bytes);
    const st = await this.stat(clean);
    if (st?.kind !== "file") return undefined;
    if (st.size <= bytes) return (await this.readFile(clean))?.subarray(0, bytes);
    const res = await this.bridge.call("ReadFile", { Ref: this.ref, FilePath: clean, Range: { Offset: 0, Length: bytes } });
    return new Uint8Array(res.Data as Buffer);
  }

  /**
   * Fills the caches with parallel calls: every listing of the (small) source
   * and each file up to `maxBytes`, so detection's probes, asked one after
   * another, are answered from memory instead of a round trip each. Large files
   * (lockfiles) are still read only when asked for. Never fails: a miss here is
   * just read later.
   */
  async prefetch(maxBytes = 64 * 1024, maxFiles = 128): Promise<void> {
    let files = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      const entries = (await this.readDir(dir)) ?? [];
      await Promise.all(
        entries.map(async (e) => {
          const p = dir ? `${dir}/${e.name}` : e.name;
          if (e.kind === "dir" && depth < 4) await walk(p, depth + 1);
          else if (e.kind === "file" && e.size <= maxBytes && files++ < maxFiles) await this.readFile(p);
        }),
      );
    };
    await walk("", 0).catch(() => {});
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

function toEntry(name: string, mode: number, size: string | number): DirEntry {
  const kind = mode & MODE_DIR ? "dir" : mode & MODE_SYMLINK ? "symlink" : mode & MODE_IRREGULAR ? "other" : "file";
  return { name, kind, size: Number(size) };
}

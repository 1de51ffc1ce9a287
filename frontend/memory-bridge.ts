// BuildKit's LLBBridge over a BuildContext, in memory: answers Ping, Solve,
// ReadDir, ReadFile, ResolveImageConfig, Warn and Return as the daemon would
// for a build of that context, and records every call. The image's snapshot
// warm-up runs a whole build against it (warmup.ts); the tests run the
// frontend against it (memory contexts, or local disk for hostile trees with
// symlinks and FIFOs, reported with Go's mode bits).
import type { BuildContext, DirEntry } from "../src/context/fs.js";
import { Definition, Op } from "../src/llb/pb.js";
import { isOnDeclaredPath } from "../src/detect/follow-up.js";
import { matcher } from "../src/context/dockerignore.js";

/** The LLB capabilities its Ping reports: what BuildKit v0.13 and later enable, and the LLB we emit may need. */
export const CAPS = ["source.image", "source.local", "source.local.sessionid", "source.local.includepatterns", "source.local.followpaths", "source.local.excludepatterns", "source.local.sharedkeyhint", "source.local.differ", "exec.meta.base", "exec.mount.bind", "exec.mount.cache", "exec.mount.cache.sharing", "exec.mount.secret", "exec.secretenv", "exec.meta.proxyenv", "file.base", "file.copy.includeexcludepatterns", "constraints", "platform", "meta.description", "meta.ignorecache"];

export class MemoryBridge {
  calls: { name: string; req: any }[] = [];
  /** Refs in the order they were first read: BuildKit transfers a local source then, not at Solve. */
  transferred: string[] = [];
  private refs = new Map<string, "context" | "final">();
  /** What each local source brings, as BuildKit would: its followed paths, less its excludes. */
  private views = new Map<string, (p: string) => boolean>();
  constructor(
    private readonly ctx: BuildContext,
    private readonly llbCaps = CAPS,
  ) {}

  async call(name: string, req: any): Promise<any> {
    this.calls.push({ name, req });
    if ((name === "ReadDir" || name === "ReadFile") && !this.transferred.includes(req.Ref)) this.transferred.push(req.Ref);
    switch (name) {
      case "Ping":
        return {
          LLBCaps: this.llbCaps.map((ID) => ({ ID, Enabled: true })),
          FrontendAPICaps: ["returnmap", "proto.refarray", "gateway.warnings"].map((ID) => ({ ID, Enabled: true })),
          Workers: [{ platforms: [{ OS: "linux", Architecture: "amd64" }], BuildkitVersion: { version: "v0.26.3" } }],
        };
      case "Solve": {
        const def = Definition.toObject(Definition.fromObject(req.Definition)) as any;
        const head = Op.decode(def.def[def.def.length - 2]) as any;
        const id = `ref${this.refs.size}`;
        const local = head.source?.identifier?.startsWith("local://");
        this.refs.set(id, local ? "context" : "final");
        if (local) this.views.set(id, view(head.source.attrs ?? {}));
        return { result: { ref: { id } } };
      }
      case "ReadDir": {
        const seen = this.views.get(req.Ref) ?? (() => true);
        const dir = String(req.DirPath).replace(/^\/+|\/+$/g, "");
        const entries = ((await this.ctx.readDir(req.DirPath)) ?? []).filter((e) => seen(dir ? `${dir}/${e.name}` : e.name));
        // Real sizes, as BuildKit reports them: the gateway context decides on them (prefetch, ranged reads).
        const sized = await Promise.all(entries.map(async (e) => ({ path: e.name, mode: goMode(e.kind), size: String(e.kind === "file" ? ((await this.ctx.readFile(`${req.DirPath}/${e.name}`.replace(/^\/+/, "")))?.length ?? 0) : 0) })));
        return { entries: sized };
      }
      case "ReadFile": {
        if (!(this.views.get(req.Ref) ?? (() => true))(String(req.FilePath).replace(/^\/+/, ""))) throw new Error(`${req.FilePath}: no such file in ${req.Ref}`);
        const data = Buffer.from((await this.ctx.readFile(req.FilePath)) ?? []);
        const r = req.Range;
        return { Data: r ? data.subarray(Number(r.Offset ?? 0), Number(r.Offset ?? 0) + Number(r.Length)) : data };
      }
      case "ResolveImageConfig": {
        const arch = req.Platform.Architecture;
        return { Config: Buffer.from(JSON.stringify({ architecture: arch, os: "linux", config: { Env: ["PATH=/usr/bin:/bin"], Labels: { base: "yes" } } })) };
      }
      case "Warn":
      case "Return":
        return {};
    }
    throw new Error(`unexpected call ${name}`);
  }
}

/** os.FileMode as fsutil reports it: dir, symlink, named pipe (irregular), else a regular file. */
function goMode(kind: DirEntry["kind"]): number {
  return kind === "dir" ? 0x80000000 + 0o755 : kind === "symlink" ? 0x08000000 + 0o777 : kind === "other" ? 0x02000000 + 0o644 : 0o644;
}

/** A local source's view: a path transfers when a followed path names it, lies below it or above it, and no exclude pattern hides it. */
function view(attrs: Record<string, string>): (p: string) => boolean {
  // Followed paths and include patterns: a transfer brings the union of both.
  const listed = ["local.followpaths", "local.includepattern"].filter((k) => attrs[k]);
  const follow: string[] | undefined = listed.length ? listed.flatMap((k) => JSON.parse(attrs[k]!) as string[]) : undefined;
  const excludes: string[] = attrs["local.excludepatterns"] ? JSON.parse(attrs["local.excludepatterns"]) : [];
  const ignored = matcher(excludes);
  return (p) => {
    if (!p) return true;
    if (excludes.length && ignored.ignores(p)) return false;
    return !follow || isOnDeclaredPath(p, follow);
  };
}

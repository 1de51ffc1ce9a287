// ExecOp: run a process over a root filesystem with extra mounts.
import { Vertex, pbInputs, type OpMeta, type Output } from "./vertex.js";
import { omitZero } from "./encode.js";
import { type Platform, toPbPlatform } from "./platform.js";
import type { pb } from "./pb.js";

export type CacheSharing = "shared" | "private" | "locked";

export type MountSpec =
  /** `from: null` mounts an empty directory (scratch). */
  | { kind: "bind"; dest: string; from: Output | null; selector?: string; readonly?: boolean }
  | { kind: "cache"; dest: string; id: string; sharing: CacheSharing }
  | { kind: "tmpfs"; dest: string; size?: number }
  | { kind: "secret"; dest: string; id: string; optional?: boolean; mode?: number; uid?: number; gid?: number }
  /** SSH agent socket forwarded from the client (`--ssh <id>`); mode defaults to 0600 as in Go. */
  | { kind: "ssh"; dest: string; id: string; optional?: boolean; mode?: number; uid?: number; gid?: number };

export interface SecretEnvSpec {
  id: string;
  name: string;
  optional?: boolean;
}

export type NetworkMode = "sandbox" | "host" | "none";

export interface ExecSpec {
  args: string[];
  env: string[];
  cwd: string;
  user?: string;
  root: Output | null;
  mounts: MountSpec[];
  secretEnv: SecretEnvSpec[];
  network: NetworkMode;
  platform: Platform;
  /** Proxy settings: BuildKit keeps them out of the cache key. */
  proxyEnv?: Record<string, string>;
}

const MOUNT_TYPE = { bind: 0, secret: 1, ssh: 2, cache: 3, tmpfs: 4 } as const;
const SHARING = { shared: 0, private: 1, locked: 2 } as const;
const NETWORK = { sandbox: 0, host: 1, none: 2 } as const;

export class ExecVertex extends Vertex {
  /** Mounts in BuildKit's order: `/` first, then by dest; then secrets, then ssh sockets, each in given order. */
  readonly mounts: readonly MountSpec[];
  private readonly inputList: readonly Output[];

  constructor(
    readonly spec: ExecSpec,
    meta: OpMeta,
  ) {
    super(meta);
    const rootMount: MountSpec = { kind: "bind", dest: "/", from: spec.root };
    const fsMounts = spec.mounts.filter((m) => m.kind !== "secret" && m.kind !== "ssh" && m.dest !== "/");
    fsMounts.sort((a, b) => (a.dest < b.dest ? -1 : a.dest > b.dest ? 1 : 0));
    // Go's client/llb appends all secret mounts, then all ssh mounts, each in the order given.
    const secrets = spec.mounts.filter((m) => m.kind === "secret");
    const ssh = spec.mounts.filter((m) => m.kind === "ssh");
    this.mounts = [rootMount, ...fsMounts, ...secrets, ...ssh];
    this.inputList = distinctInputs(this.mounts);
  }

  inputs(): readonly Output[] {
    return this.inputList;
  }

  /** Output slot of a writable bind mount (the root is 0), or undefined. */
  outputIndexOf(dest: string): number | undefined {
    let next = 0;
    for (const m of this.mounts) {
      if (m.kind !== "bind" || m.readonly) continue;
      if (m.dest === dest) return next;
      next++;
    }
    return undefined;
  }

  protected build(inputDigests: readonly { digest: string; index: number }[]) {
    const caps = ["exec.meta.base"];
    const mounts = this.mounts.map((m) => this.pbMount(m, caps));
    const s = this.spec;
    // Go's client also lists exec.mount.secret for env-only secrets; every daemon with secretenv has it.
    if (s.secretEnv.length) caps.push("exec.secretenv", "exec.mount.secret");
    if (s.network !== "sandbox") caps.push("exec.meta.network");
    const proxy = proxyMessage(s.proxyEnv);
    if (proxy) caps.push("exec.meta.proxyenv");
    const meta = omitZero<pb.Meta>({
      args: s.args,
      env: s.env,
      cwd: s.cwd,
      user: s.user,
      proxy_env: proxy,
      removeMountStubsRecursive: true,
    });
    const exec = omitZero<pb.ExecOp>({
      meta,
      mounts,
      network: NETWORK[s.network],
      secretenv: s.secretEnv.map((e) => omitZero<pb.SecretEnv>({ ID: e.id, name: e.name, optional: e.optional })),
    });
    const op = omitZero<pb.Op>({
      inputs: pbInputs(inputDigests),
      platform: toPbPlatform(s.platform),
      constraints: {},
      exec,
    });
    return { op, caps };
  }

  private pbMount(m: MountSpec, caps: string[]): pb.Mount {
    switch (m.kind) {
      case "bind": {
        if (m.from) caps.push("exec.mount.bind");
        if (m.selector) caps.push("exec.mount.selector");
        const output = m.readonly ? -1 : this.outputIndexOf(m.dest);
        return omitZero<pb.Mount>({
          input: m.from ? this.inputIndex(m.from) : -1,
          selector: m.selector,
          dest: m.dest,
          output,
          readonly: m.readonly,
        });
      }
      case "cache":
        caps.push("exec.mount.cache", "exec.mount.cache.sharing");
        return omitZero<pb.Mount>({
          input: -1,
          dest: m.dest,
          output: -1,
          mountType: MOUNT_TYPE.cache,
          cacheOpt: omitZero<pb.CacheOpt>({ ID: m.id, sharing: SHARING[m.sharing] }),
        });
      case "tmpfs":
        caps.push("exec.mount.tmpfs");
        if (m.size) caps.push("exec.mount.tmpfs.size");
        return omitZero<pb.Mount>({
          input: -1,
          dest: m.dest,
          output: -1,
          mountType: MOUNT_TYPE.tmpfs,
          TmpfsOpt: omitZero<pb.TmpfsOpt>({ size: m.size }),
        });
      case "secret":
        caps.push("exec.mount.secret");
        return omitZero<pb.Mount>({
          input: -1,
          dest: m.dest,
          mountType: MOUNT_TYPE.secret,
          secretOpt: omitZero<pb.SecretOpt>({ ID: m.id, uid: m.uid, gid: m.gid, mode: m.mode ?? 0o400, optional: m.optional }),
        });
      case "ssh":
        caps.push("exec.mount.ssh");
        return omitZero<pb.Mount>({
          input: -1,
          dest: m.dest,
          mountType: MOUNT_TYPE.ssh,
          SSHOpt: omitZero<pb.SSHOpt>({ ID: m.id, uid: m.uid, gid: m.gid, mode: m.mode ?? 0o600, optional: m.optional }),
        });
    }
  }

  private inputIndex(o: Output): number {
    return this.inputList.findIndex((x) => sameOutput(x, o));
  }
}

const PROXY_FIELDS: Record<string, keyof pb.ProxyEnv> = { HTTP_PROXY: "http_proxy", HTTPS_PROXY: "https_proxy", FTP_PROXY: "ftp_proxy", NO_PROXY: "no_proxy", ALL_PROXY: "all_proxy" };

function proxyMessage(env: Record<string, string> | undefined): pb.ProxyEnv | undefined {
  if (!env) return undefined;
  const out: pb.ProxyEnv = {};
  for (const [k, field] of Object.entries(PROXY_FIELDS)) if (env[k]) out[field] = env[k]!;
  return Object.keys(out).length ? out : undefined;
}

function distinctInputs(mounts: readonly MountSpec[]): Output[] {
  const list: Output[] = [];
  for (const m of mounts) {
    if (m.kind !== "bind" || !m.from) continue;
    const from = m.from;
    if (!list.some((x) => sameOutput(x, from))) list.push(from);
  }
  return list;
}

/** Two outputs are the same input when their ops have the same digest and slot. */
export function sameOutput(a: Output, b: Output): boolean {
  return a.index === b.index && (a.vertex === b.vertex || a.vertex.encode().digest === b.vertex.encode().digest);
}

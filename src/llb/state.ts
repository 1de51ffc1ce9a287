// Immutable LLB state builder in the spirit of BuildKit's Go client/llb:
// every method returns a new State; env, cwd, user and platform travel with it
// and are applied to the execs and file ops created from it.
import path from "node:path/posix";
import type { Output, OpMeta } from "./vertex.js";
import { ImageSource, LocalSource, type LocalOptions, type ResolveMode } from "./source.js";
import { ExecVertex, type MountSpec, type NetworkMode, type SecretEnvSpec } from "./exec.js";
import { FileVertex, type CopyOptions, type FileActionSpec, type Owner } from "./file.js";
import { MergeVertex } from "./merge.js";
import { DiffVertex } from "./diff.js";
import type { Platform } from "./platform.js";

interface StateMeta {
  env: readonly string[];
  cwd: string;
  user?: string;
  platform: Platform;
}

type SshSpec = Extract<MountSpec, { kind: "ssh" }>;

/** A mount whose bind source is a State rather than a raw output. */
export type RunMount =
  | { kind: "bind"; dest: string; from: State; selector?: string; readonly?: boolean }
  /** dest defaults to /run/buildkit/ssh_agent.<n>, n = position among the step's ssh mounts, as in Go. */
  | (Omit<SshSpec, "dest"> & { dest?: string })
  | Exclude<MountSpec, { kind: "bind" } | { kind: "ssh" }>;

export interface RunOptions extends OpMeta {
  args: string[];
  /** Extra env for this step only (appended/replacing the state's env). */
  env?: Record<string, string>;
  cwd?: string;
  user?: string;
  mounts?: RunMount[];
  secretEnv?: SecretEnvSpec[];
  network?: NetworkMode;
  proxyEnv?: Record<string, string>;
}

export class State {
  private constructor(
    readonly output: Output | null,
    readonly meta: StateMeta,
  ) {}

  static scratch(platform: Platform): State {
    return new State(null, { env: [], cwd: "/", platform });
  }

  static image(ref: string, o: { platform: Platform; resolveMode?: ResolveMode; env?: readonly string[] } & OpMeta): State {
    const v = new ImageSource(ref, o.platform, o.resolveMode ?? "default", { name: o.name });
    return new State({ vertex: v, index: 0 }, { env: o.env ?? [], cwd: "/", platform: o.platform });
  }

  static local(name: string, o: LocalOptions & OpMeta & { platform: Platform }): State {
    const v = new LocalSource(name, o, { name: o.name });
    return new State({ vertex: v, index: 0 }, { env: [], cwd: "/", platform: o.platform });
  }

  /**
   * Stacks states as layers (MergeOp), later ones over earlier ones. Scratch
   * inputs are dropped; one remaining input is returned as is (as Go does).
   * The result keeps the first state's env, cwd, user and platform.
   */
  static merge(states: readonly State[], meta: OpMeta = {}): State {
    if (states.length === 0) throw new Error("merge needs at least one state");
    const layers = states.filter((s) => s.output);
    if (layers.length === 0) return new State(null, states[0]!.meta);
    if (layers.length === 1) return layers[0]!;
    const v = new MergeVertex(layers.map((s) => s.output!), meta);
    return new State({ vertex: v, index: 0 }, layers[0]!.meta);
  }

  /**
   * What changed from `lower` to `upper` (DiffOp). A scratch lower gives
   * `upper` itself (as Go does). The result keeps lower's env, cwd and platform.
   */
  static diff(lower: State, upper: State, meta: OpMeta = {}): State {
    if (!lower.output) return upper.output ? upper : new State(null, lower.meta);
    const v = new DiffVertex(lower.output, upper.output, meta);
    return new State({ vertex: v, index: 0 }, lower.meta);
  }

  withEnv(key: string, value: string): State {
    return new State(this.output, { ...this.meta, env: setEnv(this.meta.env, key, value) });
  }

  getEnv(key: string): string | undefined {
    const hit = this.meta.env.find((e) => e.startsWith(key + "="));
    return hit?.slice(key.length + 1);
  }

  dir(p: string): State {
    return new State(this.output, { ...this.meta, cwd: path.resolve(this.meta.cwd, p) });
  }

  user(u: string): State {
    return new State(this.output, { ...this.meta, user: u });
  }

  /** Runs a process; returns the new root state. Use runWithMounts for mount outputs. */
  run(o: RunOptions): State {
    return this.exec(o).root;
  }

  exec(o: RunOptions): { root: State; mount(dest: string): State } {
    let env = this.meta.env;
    for (const [k, v] of Object.entries(o.env ?? {})) env = setEnv(env, k, v);
    let sshCount = 0;
    const mounts: MountSpec[] = (o.mounts ?? []).map((m) => {
      if (m.kind === "bind") return { ...m, from: m.from.output };
      if (m.kind === "ssh") {
        const n = sshCount++;
        return { ...m, dest: m.dest ?? `/run/buildkit/ssh_agent.${n}` };
      }
      return m;
    });
    // Tools find the agent through SSH_AUTH_SOCK; Go's client sets it (to the first socket) unless given.
    const firstSsh = mounts.find((m) => m.kind === "ssh");
    if (firstSsh && !env.some((e) => e.startsWith("SSH_AUTH_SOCK="))) env = setEnv(env, "SSH_AUTH_SOCK", firstSsh.dest);
    const v = new ExecVertex(
      {
        args: o.args,
        env: [...env],
        cwd: o.cwd ? path.resolve(this.meta.cwd, o.cwd) : this.meta.cwd,
        user: o.user ?? this.meta.user,
        root: this.output,
        mounts,
        secretEnv: o.secretEnv ?? [],
        network: o.network ?? "sandbox",
        platform: this.meta.platform,
        proxyEnv: o.proxyEnv,
      },
      { name: o.name, ignoreCache: o.ignoreCache },
    );
    const at = (dest: string): State => {
      const index = v.outputIndexOf(dest);
      if (index === undefined) throw new Error(`no writable mount at ${dest}`);
      return new State({ vertex: v, index }, this.meta);
    };
    return { root: at("/"), mount: at };
  }

  /** Applies file actions in order. Relative paths resolve against the state's cwd. */
  file(actions: FileAction[], meta: OpMeta = {}): State {
    const specs = actions.map((a) => a.resolve(this.meta.cwd));
    const v = new FileVertex(this.output, specs, meta);
    return new State({ vertex: v, index: 0 }, this.meta);
  }
}

/** A file action bound to its (possibly relative) paths; see FileAction.* factories. */
export class FileAction {
  private constructor(readonly resolve: (cwd: string) => FileActionSpec) {}

  static mkdir(p: string, mode: number, o: { makeParents?: boolean; owner?: Owner; timestamp?: number } = {}): FileAction {
    return new FileAction((cwd) => ({ kind: "mkdir", path: path.resolve(cwd, p), mode, ...o }));
  }

  static mkfile(p: string, mode: number, data: string | Uint8Array, o: { owner?: Owner } = {}): FileAction {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    return new FileAction((cwd) => ({ kind: "mkfile", path: path.resolve(cwd, p), mode, data: bytes, ...o }));
  }

  static rm(p: string, o: { allowNotFound?: boolean; allowWildcard?: boolean } = {}): FileAction {
    return new FileAction((cwd) => ({ kind: "rm", path: path.resolve(cwd, p), ...o }));
  }

  /** Copies `src` (absolute, in `from`) to `dest`; a trailing `/` on dest means "into". */
  static copy(from: State, src: string, dest: string, o: CopyOptions = {}): FileAction {
    return new FileAction((cwd) => {
      const trailing = dest.endsWith("/") && dest !== "/" ? "/" : "";
      return {
        kind: "copy",
        from: from.output,
        src: path.resolve(from.meta.cwd, src),
        dest: path.resolve(cwd, dest) + trailing,
        ...o,
      };
    });
  }
}

function setEnv(env: readonly string[], key: string, value: string): string[] {
  const entry = `${key}=${value}`;
  const i = env.findIndex((e) => e.startsWith(key + "="));
  if (i < 0) return [...env, entry];
  const out = [...env];
  out[i] = entry;
  return out;
}

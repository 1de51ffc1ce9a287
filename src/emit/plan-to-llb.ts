// BuildPlan → LLB. One state per stage (on an image or on another stage, on
// the build or the target platform), steps applied in order, then the runtime
// image: an optional runtime-prep step installing system packages, then one
// file operation per copy, so each copy is its own layer and a source-only
// change leaves the dependency layers untouched. No shell is needed in the
// runtime unless it installs packages.
import path from "node:path";
import { State, FileAction, type RunMount } from "../llb/state.js";
import type { ResolveMode } from "../llb/source.js";
import type { Platform } from "../llb/platform.js";
import type { BuildPlan, PlanCopyStep, PlanRunStep, PlanStage } from "../kit/schema.js";
import { knownImageEnv, type ImageEnvTable } from "./image-env.js";

export interface EmitOptions {
  /** The target platform: the runtime image and every "target" stage. */
  platform: Platform;
  /** Where "build" stages (compilers) run; defaults to the target platform. */
  buildPlatform?: Platform;
  /** Name of the local source holding the build context (`context`). */
  contextName: string;
  sessionId?: string;
  /** .dockerignore patterns: never transferred, never copied. */
  excludePatterns: string[];
  resolveMode: ResolveMode;
  /** Env from each base image's config (resolved by the frontend); falls back to `knownEnv`. */
  imageEnv?: (ref: string) => string[] | undefined;
  /** Known config Env by image repository (the providers' imageEnv), when no config is resolved. */
  knownEnv?: ImageEnvTable;
  /** Prefix of every cache-mount id, e.g. the app's CACHE_KEY. */
  cacheNamespace: string;
  /** HTTP(S)_PROXY and friends from build args: passed to steps, kept out of cache keys. */
  proxyEnv?: Record<string, string>;
}

/** The build context; with a project path only that folder is transferred. */
export function contextState(o: EmitOptions, projectPath = ""): State {
  return State.local(o.contextName, {
    platform: o.platform,
    sessionId: o.sessionId,
    sharedKeyHint: o.contextName,
    includePatterns: projectPath ? [projectPath] : undefined,
    excludePatterns: o.excludePatterns.length ? o.excludePatterns : undefined,
    name: "[internal] load build context",
  });
}

interface Emitting {
  plan: BuildPlan;
  o: EmitOptions;
  ctx: State;
  stages: Map<string, State>;
}

export function planToLlb(plan: BuildPlan, o: EmitOptions): State {
  const e: Emitting = { plan, o, ctx: contextState(o, plan.projectPath), stages: new Map() };
  for (const stage of plan.stages) e.stages.set(stage.name, emitStage(e, stage));
  return emitRuntime(e);
}

function baseImage(ref: string, o: EmitOptions, platform: Platform, label: string, note?: string, own: [string, string][] = []): State {
  const env = canonicalEnv(o.imageEnv?.(ref) ?? knownImageEnv(ref, o.knownEnv), own);
  return State.image(ref, { platform, resolveMode: o.resolveMode, env, name: `[${label}] FROM ${ref}${note ? ` · ${note}` : ""}` });
}

/**
 * A stage's env in one order whatever the source of the image's env: the image's
 * entries (its order) that the stage does not set, then the stage's own in plan
 * order. The frontend (resolved config) and the CLI (known defaults) then write
 * the same exec ops, so their builds share BuildKit's cache.
 */
export function canonicalEnv(imageEnv: readonly string[], own: [string, string][]): string[] {
  const mine = new Set(own.map(([k]) => k));
  const out = new Map<string, string>();
  for (const e of imageEnv) {
    const i = e.indexOf("=");
    if (i > 0 && !mine.has(e.slice(0, i))) out.set(e.slice(0, i), e);
  }
  for (const [k, v] of own) out.set(k, `${k}=${v}`);
  return [...out.values()];
}

function stagePlatform(o: EmitOptions, stage: PlanStage): Platform {
  return stage.platform === "build" ? (o.buildPlatform ?? o.platform) : o.platform;
}

function emitStage(e: Emitting, stage: PlanStage): State {
  const { plan, o } = e;
  // The first step a user sees says what was detected (the frontend's own output never reaches them).
  const note = stage === plan.stages[0] ? detectionSummary(plan) : undefined;
  const platform = stagePlatform(o, stage);
  // A compiler on the build platform learns the target the way Dockerfile stages do.
  const own: [string, string][] = [...(stage.platform === "build" ? targetEnv(o.platform) : []), ...stage.env];
  let s: State;
  if (stage.from) {
    const parent = e.stages.get(stage.from.stage);
    if (!parent) throw new Error(`plan error: stage "${stage.name}" starts from unknown stage "${stage.from.stage}"`);
    s = parent;
    for (const [k, v] of own) s = s.withEnv(k, v);
  } else {
    s = baseImage(stage.image!, o, platform, stage.name, note, own);
  }
  s = s.dir(stage.workdir);
  for (const step of stage.steps) {
    s = step.kind === "copy" ? emitCopy(e, s, step, stage.name) : emitRun(e, s, step, stage.name);
  }
  return s;
}

function targetEnv(p: Platform): [string, string][] {
  const platform = [p.os, p.architecture, p.variant].filter(Boolean).join("/");
  return [
    ["TARGETPLATFORM", platform],
    ["TARGETOS", p.os],
    ["TARGETARCH", p.architecture],
    ["TARGETVARIANT", p.variant ?? ""],
  ];
}

/** `migetpacks: go 1.22 (go.mod go directive), go modules, gin` — step names never change digests. */
export function detectionSummary(plan: BuildPlan): string {
  const r = plan.result;
  const extras = [r.packageManager, r.framework].filter(Boolean).join(", ");
  return `migetpacks: ${r.language} ${r.version} (${r.versionSource})${extras ? `, ${extras}` : ""}${r._dhi ? ", hardened runtime" : ""}`;
}

function sourceOf(e: Emitting, from: PlanCopyStep["from"], who: string): State {
  const s = from === "context" ? e.ctx : e.stages.get(from.stage);
  if (!s) throw new Error(`plan error: ${who} uses unknown stage "${(from as { stage: string }).stage}"`);
  return s;
}

/** A path of the app folder inside the context source (PROJECT_PATH applied). */
function contextPath(e: Emitting, p: string): string {
  return "/" + [e.plan.projectPath ?? "", p.replace(/^\.?\/?/, "")].filter(Boolean).join("/");
}

function emitCopy(e: Emitting, s: State, step: PlanCopyStep, stageName: string): State {
  const from = sourceOf(e, step.from, `stage "${stageName}"`);
  const actions = step.paths.map((p) =>
    FileAction.copy(from, step.from === "context" ? contextPath(e, p) : p, step.dest + "/", {
      // Links are copied as links, like Dockerfile COPY: following them makes BuildKit checksum
      // their targets, and a link out of the context (docs/x -> /nonexistent) fails the build.
      followSymlink: false,
      dirCopyContents: true,
      createDestPath: true,
      allowWildcard: true,
      allowEmptyWildcard: true,
      includePatterns: step.include,
      excludePatterns: step.exclude,
    }),
  );
  return s.file(actions, { name: `[${stageName}] ${step.name ?? `COPY ${step.paths.join(" ")}`}` });
}

function cacheMount(e: Emitting, name: string, who: string): RunMount {
  const c = e.plan.caches[name];
  if (!c) throw new Error(`plan error: ${who} uses undefined cache "${name}"`);
  return { kind: "cache", dest: c.target, id: `${e.o.cacheNamespace}-${c.id}`, sharing: c.sharing };
}

function emitRun(e: Emitting, s: State, step: PlanRunStep, stageName: string): State {
  const mounts: RunMount[] = step.caches.map((name) => cacheMount(e, name, `step "${step.name}"`));
  for (const b of step.binds ?? []) {
    const from = sourceOf(e, b.from, `step "${step.name}"`);
    mounts.push({ kind: "bind", dest: b.target, from, selector: b.from === "context" ? contextPath(e, b.src).slice(1) : b.src.replace(/^\//, ""), readonly: true });
  }
  // Secrets reach only the steps that declare them, as env vars and files; never the image or the LLB (only ids do).
  for (const id of step.secrets) mounts.push({ kind: "secret", dest: `/run/secrets/${id}`, id });
  if (step.ssh) mounts.push({ kind: "ssh", dest: "/run/buildkit/ssh_agent.0", id: "default" });
  return s.run({
    args: ["/bin/sh", "-c", step.shell],
    env: Object.fromEntries([...step.env, ...(step.ssh ? ([["SSH_AUTH_SOCK", "/run/buildkit/ssh_agent.0"]] as [string, string][]) : [])]),
    mounts,
    secretEnv: step.secrets.map((id) => ({ id, name: id })),
    proxyEnv: e.o.proxyEnv,
    name: `[${stageName}] ${step.name}`,
  });
}

/** System packages on the runtime image, with apt's lists and archives in locked cache mounts (never in the layer). */
function runtimePrep(e: Emitting, base: State): State {
  const pkgs = e.plan.runtime.packages;
  if (!pkgs.length) return base;
  const ns = e.o.cacheNamespace;
  return base.run({
    args: ["/bin/sh", "-c", `apt-get update -qq && apt-get install -y -qq --no-install-recommends ${pkgs.join(" ")}`],
    env: { DEBIAN_FRONTEND: "noninteractive" },
    user: "0:0",
    mounts: [
      { kind: "cache", dest: "/var/cache/apt", id: `${ns}-apt-archives`, sharing: "locked" },
      { kind: "cache", dest: "/var/lib/apt/lists", id: `${ns}-apt-lists`, sharing: "locked" },
    ],
    proxyEnv: e.o.proxyEnv,
    name: `[runtime] install system packages: ${pkgs.join(", ")}`,
  });
}

function emitRuntime(e: Emitting): State {
  const rt = e.plan.runtime;
  const [uid, gid] = rt.user.split(":").map(Number) as [number, number];
  const owner = { uid, gid: gid ?? uid };
  let s = runtimePrep(e, baseImage(rt.image, e.o, e.o.platform, "runtime"));
  // A fixed time (the epoch): the workdir's layer is the same bytes whichever build made it, so
  // builders without a shared cache (or two that ran it at once) never push it again.
  s = s.file([FileAction.mkdir(rt.workdir, 0o755, { makeParents: true, owner, timestamp: 0 })], { name: `[runtime] mkdir ${rt.workdir} (owner ${rt.user})` });
  for (const c of rt.copies) {
    const from = sourceOf(e, { stage: c.stage }, "the runtime");
    // The app tree (copied into the workdir, or a folder above or below it) belongs to the runtime user.
    const dest = c.dest;
    const appTree = dest === rt.workdir || rt.workdir.startsWith(dest + "/") || dest.startsWith(rt.workdir + "/");
    const isDir = dest === rt.workdir || rt.workdir.startsWith(dest + "/");
    const action = FileAction.copy(from, c.src, isDir ? dest + "/" : dest, {
      owner: appTree ? owner : undefined,
      followSymlink: false,
      dirCopyContents: true,
      createDestPath: true,
      allowWildcard: true,
      // A wildcard source is the plan's way of saying "if present" (e.g. node_module[s]).
      allowEmptyWildcard: true,
      excludePatterns: c.exclude.length ? c.exclude : undefined,
    });
    s = s.file([action], { name: `[runtime] COPY --from=${c.stage} ${c.src} ${dest}` });
  }
  const files = rt.files ?? [];
  if (files.length) {
    const actions = files.flatMap((f) => [FileAction.mkdir(path.posix.dirname(f.path), 0o755, { makeParents: true }), FileAction.mkfile(f.path, f.mode, f.content)]);
    s = s.file(actions, { name: `[runtime] write ${files.map((f) => f.path).join(", ")}` });
  }
  return s;
}

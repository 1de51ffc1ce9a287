// BuildPlan → LLB. One image state per stage, steps applied in order, then
// the runtime image assembled with file operations only (no shell needed).
import path from "node:path";
import { State, FileAction, type RunMount } from "../llb/state.js";
import type { ResolveMode } from "../llb/source.js";
import type { Platform } from "../llb/platform.js";
import type { BuildPlan, CopyStep, RunStep, Stage } from "../plan/schema.js";
import { knownImageEnv } from "./image-env.js";

export interface EmitOptions {
  platform: Platform;
  /** Name of the local source holding the build context (`context`). */
  contextName: string;
  sessionId?: string;
  /** .dockerignore patterns: never transferred, never copied. */
  excludePatterns: string[];
  resolveMode: ResolveMode;
  /** Env from each base image's config (resolved by the frontend); falls back to known defaults. */
  imageEnv?: (ref: string) => string[] | undefined;
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

export function planToLlb(plan: BuildPlan, o: EmitOptions): State {
  const ctx = contextState(o, plan.projectPath);
  const stages = new Map<string, State>();
  for (const stage of plan.stages) stages.set(stage.name, emitStage(plan, stage, ctx, stages, o));
  return emitRuntime(plan, stages, o);
}

function baseImage(ref: string, o: EmitOptions, label: string, note?: string): State {
  let s = State.image(ref, { platform: o.platform, resolveMode: o.resolveMode, name: `[${label}] FROM ${ref}${note ? ` · ${note}` : ""}` });
  for (const e of o.imageEnv?.(ref) ?? knownImageEnv(ref)) {
    const i = e.indexOf("=");
    if (i > 0) s = s.withEnv(e.slice(0, i), e.slice(i + 1));
  }
  return s;
}

function emitStage(plan: BuildPlan, stage: Stage, ctx: State, stages: Map<string, State>, o: EmitOptions): State {
  // The first step a user sees says what was detected (the frontend's own output never reaches them).
  const note = stage === plan.stages[0] ? detectionSummary(plan) : undefined;
  let s = baseImage(stage.image, o, stage.name, note);
  for (const [k, v] of stage.env) s = s.withEnv(k, v);
  s = s.dir(stage.workdir);
  for (const step of stage.steps) {
    s = step.kind === "copy" ? emitCopy(s, step, ctx, stages, stage.name, plan.projectPath ?? "") : emitRun(s, step, plan, o, stage.name);
  }
  return s;
}

/** `migetpacks: go 1.22 (go.mod go directive), go modules, gin` — step names never change digests. */
export function detectionSummary(plan: BuildPlan): string {
  const r = plan.result;
  const extras = [r.packageManager, r.framework].filter(Boolean).join(", ");
  return `migetpacks: ${r.language} ${r.version} (${r.versionSource})${extras ? `, ${extras}` : ""}${r._dhi ? ", hardened runtime" : ""}`;
}

function emitCopy(s: State, step: CopyStep, ctx: State, stages: Map<string, State>, stageName: string, projectPath: string): State {
  const from = step.from === "context" ? ctx : stages.get(step.from.stage);
  if (!from) throw new Error(`plan error: stage "${stageName}" copies from unknown stage`);
  const contextPath = (p: string) => "/" + [projectPath, p.replace(/^\.?\/?/, "")].filter(Boolean).join("/");
  const actions = step.paths.map((p) =>
    FileAction.copy(from, step.from === "context" ? contextPath(p) : p, step.dest + "/", {
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

function emitRun(s: State, step: RunStep, plan: BuildPlan, o: EmitOptions, stageName: string): State {
  const mounts: RunMount[] = step.caches.map((name) => {
    const c = plan.caches[name];
    if (!c) throw new Error(`plan error: step "${step.name}" uses undefined cache "${name}"`);
    return { kind: "cache", dest: c.target, id: `${o.cacheNamespace}-${c.id}`, sharing: c.sharing };
  });
  // Secrets reach build steps as env vars and files, never the image or the LLB (only their ids do).
  const secrets = plan.secrets ?? [];
  for (const id of secrets) mounts.push({ kind: "secret", dest: `/run/secrets/${id}`, id });
  return s.run({
    args: ["/bin/sh", "-c", step.shell],
    env: Object.fromEntries(step.env),
    mounts,
    secretEnv: secrets.map((id) => ({ id, name: id })),
    proxyEnv: o.proxyEnv,
    name: `[${stageName}] ${step.name}`,
  });
}

function emitRuntime(plan: BuildPlan, stages: Map<string, State>, o: EmitOptions): State {
  const rt = plan.runtime;
  const [uid, gid] = rt.user.split(":").map(Number) as [number, number];
  const owner = { uid, gid: gid ?? uid };
  const actions = [FileAction.mkdir(rt.workdir, 0o755, { makeParents: true, owner })];
  for (const c of rt.copies) {
    const from = stages.get(c.stage);
    if (!from) throw new Error(`plan error: runtime copies from unknown stage "${c.stage}"`);
    // The app tree (copied to the workdir, or to a folder above it) belongs to the runtime user.
    const isDir = c.dest === rt.workdir || rt.workdir.startsWith(c.dest + "/");
    actions.push(
      FileAction.copy(from, c.src, isDir ? c.dest + "/" : c.dest, {
        owner: isDir ? owner : undefined,
        followSymlink: false,
        dirCopyContents: true,
        createDestPath: true,
        allowWildcard: true,
        excludePatterns: c.exclude.length ? c.exclude : undefined,
      }),
    );
  }
  for (const f of rt.files ?? []) {
    actions.push(FileAction.mkdir(path.posix.dirname(f.path), 0o755, { makeParents: true }));
    actions.push(FileAction.mkfile(f.path, f.mode, f.content));
  }
  return baseImage(rt.image, o, "runtime").file(actions, { name: `[runtime] assemble ${rt.workdir} (${rt.copies.length} copies, owner ${rt.user})` });
}

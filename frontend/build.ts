// Orchestration only (like BuildKit's builder/build.go): options → context →
// plan → LLB per platform → Solve → Return. Detection and planning are the
// shared core; nothing here knows about languages.
import { planProject } from "../src/pipeline/build-plan.js";
import { projectExcludes } from "../src/context/dockerignore.js";
import { formatPlan } from "../src/cli/format-plan.js";
import { commonOptions } from "../src/options/build-args.js";
import { planToLlb } from "../src/emit/plan-to-llb.js";
import { imageConfig, type ImageConfig } from "../src/emit/image-config.js";
import { marshal } from "../src/llb/marshal.js";
import { formatPlatform, normalizePlatform, toPbPlatform, type Platform } from "../src/llb/platform.js";
import type { BuildPlan } from "../src/kit/schema.js";
import type { Bridge } from "./bridge.js";
import { IMAGE_ENV } from "../src/detect/registry.js";
import { parseOptions, readRawOptions, type FrontendOptions } from "./options.js";
import { Code, FrontendError } from "./errors.js";
import { loadContexts } from "./context-load.js";
import { checkCaps, daemonSummary, type Caps } from "./caps.js";
import { msSinceStart } from "./clock.js";

const PLAN_REQUEST = "frontend.plan";
const DESCRIBE = "frontend.subrequests.describe";

/** `--print=plan` / `--call=plan`: the readable plan as result.txt, the plan as result.json. */
function planResult(plan: BuildPlan) {
  return {
    ref: { id: "" },
    metadata: { "result.txt": Buffer.from(formatPlan(plan)), "result.json": Buffer.from(JSON.stringify(plan, null, 2)), version: Buffer.from("1.0.0") },
  };
}

/** The requests this frontend answers (`--print=subrequests.describe`). */
function describeResult() {
  const list = [
    { name: PLAN_REQUEST, version: "1.0.0", type: "rpc", description: "Show the build plan migetpacks would run (detection, stages, runtime), without building", opts: [] },
    { name: DESCRIBE, version: "1.0.0", type: "rpc", description: "List the requests this frontend answers", opts: [] },
  ];
  return { ref: { id: "" }, metadata: { "result.json": Buffer.from(JSON.stringify(list)), version: Buffer.from("1.0.0") } };
}

/** Image label carrying the build result, for deployment systems that read images. */
export const RESULT_LABEL = "io.miget.build.result";

/** `booted`: when main() started (ms since process start), to tell node's start-up from the connection's. */
export async function runFrontend(bridge: Bridge, env: NodeJS.ProcessEnv, booted?: number): Promise<void> {
  const t = timer(booted);
  const opts = parseOptions(readRawOptions(env));
  const sessionId = env.BUILDKIT_SESSION_ID ?? "";
  // Ping and the context reads are independent: overlap their round trips.
  const pinged = bridge.call("Ping", {});
  pinged.catch(() => {});
  const loaded = loadContexts(bridge, opts, sessionId);
  loaded.catch(() => {});
  const pong = await pinged;
  t.mark("ping");
  const caps: Caps = { llb: enabledCaps(pong.LLBCaps), api: enabledCaps(pong.FrontendAPICaps) };
  if (opts.requestId === DESCRIBE) return bridge.call("Return", { result: describeResult() }).then(() => undefined);
  if (opts.requestId && opts.requestId !== PLAN_REQUEST) {
    throw new FrontendError(Code.UNIMPLEMENTED, `migetpacks does not answer the "${opts.requestId}" request; it answers ${PLAN_REQUEST} (docker buildx build --print=plan, or --call=plan).`);
  }
  const platforms = opts.platforms.length ? opts.platforms : [workerPlatform(pong)];
  const multi = platforms.length > 1 || opts.raw["multi-platform"] === "true";
  if (multi && !(caps.api.has("returnmap") && caps.api.has("proto.refarray"))) {
    throw new FrontendError(Code.UNIMPLEMENTED, "this BuildKit cannot return several platforms from a frontend; build one platform at a time.");
  }

  const { root, config, setup, detectDigest, excludePatterns: projectIgnores } = await loaded;
  t.mark("context");
  const { plan, buildEnv } = await planProject(root, setup);
  t.mark("plan");
  if (opts.requestId === PLAN_REQUEST) {
    // Show the plan, build nothing.
    await bridge.call("Return", { result: planResult(plan) });
    t.mark("return");
    console.error(`migetpacks: ${plan.result.language} ${plan.result.version} planned; ${t.summary()}`);
    return;
  }
  // A workspace member builds from its workspace root: that folder's ignore file applies.
  const excludePatterns = plan.projectPath === setup.projectPath ? projectIgnores : await projectExcludes(config, plan.projectPath ?? "");
  const common = commonOptions(setup.args);

  const labels = { ...opts.labels, [RESULT_LABEL]: JSON.stringify(plan.result) };
  const images = [...plan.stages.flatMap((s) => (s.image ? [s.image] : [])), plan.runtime.image];
  const configs = await Promise.all(platforms.map((p) => resolveImages(bridge, images, p, opts)));
  t.mark("resolve");
  const graphs = platforms.map((platform, i) => {
    const state = planToLlb(plan, {
      platform,
      contextName: opts.contextName,
      sessionId,
      excludePatterns,
      resolveMode: opts.resolveMode,
      imageEnv: (ref) => configs[i]!.get(ref)?.config?.Env,
      knownEnv: IMAGE_ENV,
      buildPlatform: hostPlatform(),
      cacheNamespace: common.cacheKey,
      proxyEnv: buildEnv.proxy,
    });
    const m = marshal(state, { ignoreCache: opts.noCache || common.noCache });
    checkCaps(m.caps, caps.llb);
    return m;
  });
  t.mark("llb");
  const built = await Promise.all(
    platforms.map(async (platform, i) => {
      const solved = await bridge.call("Solve", {
        Definition: graphs[i]!.definition,
        allowResultReturn: true,
        allowResultArrayRef: true,
        CacheImports: opts.cacheImports,
      });
      const config = imageConfig(plan, platform, configs[i]!.get(plan.runtime.image), labels);
      return { platform, id: (solved.result?.ref?.id ?? "") as string, config };
    }),
  );
  t.mark("solve");

  if (caps.api.has("gateway.warnings")) {
    for (const w of plan.warnings) await bridge.call("Warn", { digest: detectDigest, level: 1, short: Buffer.from(w) });
  }
  await bridge.call("Return", { result: multi ? multiResult(built, plan) : singleResult(built[0]!, plan) });
  t.mark("return");
  // stderr goes to the daemon's log: one line per build for operators.
  console.error(`migetpacks: ${plan.result.language} ${plan.result.version} built for ${platforms.map(formatPlatform).join(",")} on ${daemonSummary(caps, buildkitVersion(pong, env))}; ${t.summary()}`);
}

type Built = { platform: Platform; id: string; config: ImageConfig };

function resultMetadata(plan: BuildPlan): Record<string, Buffer> {
  // `frontend.*` keys reach the client: `docker buildx build --metadata-file` shows it.
  return { "frontend.miget.result": Buffer.from(JSON.stringify(plan.result)) };
}

function singleResult(b: Built, plan: BuildPlan) {
  return {
    ref: { id: b.id },
    metadata: { ...resultMetadata(plan), "containerimage.config": Buffer.from(JSON.stringify(b.config)) },
  };
}

function multiResult(built: Built[], plan: BuildPlan) {
  const refs: Record<string, { id: string }> = {};
  const metadata: Record<string, Buffer> = resultMetadata(plan);
  const platforms = [];
  for (const b of built) {
    const id = formatPlatform(b.platform);
    refs[id] = { id: b.id };
    metadata[`containerimage.config/${id}`] = Buffer.from(JSON.stringify(b.config));
    platforms.push({ ID: id, Platform: { architecture: b.platform.architecture, os: b.platform.os, ...(b.platform.variant ? { variant: b.platform.variant } : {}) } });
  }
  metadata["refs.platforms"] = Buffer.from(JSON.stringify({ Platforms: platforms }));
  return { refs: { refs }, metadata };
}

/** The daemon's BuildKit version: Ping's worker record, else BUILDKIT_WORKERS (v0.26's Ping leaves it out). */
export function buildkitVersion(pong: { Workers?: { BuildkitVersion?: { version?: string } }[] }, env: NodeJS.ProcessEnv): string | undefined {
  const fromPing = pong.Workers?.[0]?.BuildkitVersion?.version;
  if (fromPing) return fromPing;
  try {
    const workers = JSON.parse(env.BUILDKIT_WORKERS ?? "[]") as { buildkitVersion?: { version?: string } }[];
    return workers[0]?.buildkitVersion?.version || undefined;
  } catch {
    return undefined;
  }
}

function enabledCaps(list: { ID: string; Enabled: boolean }[] | undefined): Set<string> {
  return new Set((list ?? []).filter((c) => c.Enabled).map((c) => c.ID));
}

/** The daemon's default platform (not the frontend process's own). */
function workerPlatform(pong: { Workers?: { platforms?: { OS: string; Architecture: string; Variant?: string }[] }[] }): Platform {
  const p = pong.Workers?.[0]?.platforms?.[0];
  if (!p) return { os: "linux", architecture: process.arch === "x64" ? "amd64" : process.arch };
  return normalizePlatform({ os: p.OS, architecture: p.Architecture, variant: p.Variant || undefined });
}

async function resolveImages(bridge: Bridge, refs: string[], platform: Platform, opts: FrontendOptions): Promise<Map<string, ImageConfig>> {
  const out = new Map<string, ImageConfig>();
  await Promise.all(
    [...new Set(refs)].map(async (ref) => {
      try {
        const res = await bridge.call("ResolveImageConfig", {
          Ref: ref,
          Platform: toPbPlatform(platform),
          ResolveMode: opts.resolveMode,
          LogName: `[internal] load metadata for ${ref}`,
        });
        out.set(ref, JSON.parse(Buffer.from(res.Config).toString("utf8")) as ImageConfig);
      } catch (e) {
        throw new FrontendError(Code.NOT_FOUND, `base image ${ref} (${formatPlatform(platform)}) could not be resolved: ${(e as Error).message}. Check the version you asked for, or set REGISTRY_MIRROR.`);
      }
    }),
  );
  return out;
}

/**
 * Milliseconds spent per phase (start = since process start) and peak RSS, for
 * the daemon's log. MIGETPACKS_LOG_TAG (an image ENV) marks one image's lines
 * on a daemon that runs several (the benchmark's way to find its own).
 */
function timer(booted?: number) {
  const marks: string[] = [];
  let last = msSinceStart();
  // boot: node and the snapshot until main(); connect: the HTTP/2 handshake with BuildKit.
  if (booted !== undefined) marks.push(`boot=${booted.toFixed(0)}`, `connect=${(last - booted).toFixed(0)}`);
  marks.push(`start=${last.toFixed(0)}`);
  return {
    mark(name: string) {
      const now = msSinceStart();
      marks.push(`${name}=${(now - last).toFixed(0)}`);
      last = now;
    },
    summary: () => `${marks.join(" ")} ms; rss=${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB${process.env.MIGETPACKS_LOG_TAG ? ` [${process.env.MIGETPACKS_LOG_TAG}]` : ""}`,
  };
}

/** Build-platform stages (compilers) run where the frontend runs: on the worker. */
function hostPlatform(): Platform {
  return normalizePlatform({ os: "linux", architecture: process.arch === "x64" ? "amd64" : process.arch });
}

// Orchestration only (like BuildKit's builder/build.go): options → context →
// plan → LLB → Solve → Return. Detection and planning are the shared core.
import { buildPlan } from "../src/plan/build-plan.js";
import { planToLlb } from "../src/emit/plan-to-llb.js";
import { imageConfig, type ImageConfig } from "../src/emit/image-config.js";
import { marshal } from "../src/llb/marshal.js";
import { Definition } from "../src/llb/pb.js";
import { formatPlatform, normalizePlatform, toPbPlatform, type Platform } from "../src/llb/platform.js";
import type { Bridge } from "./bridge.js";
import { parseOptions, readRawOptions, type FrontendOptions } from "./options.js";
import { Code, FrontendError } from "./errors.js";
import { loadContexts } from "./context-load.js";
import { checkCaps, type Caps } from "./caps.js";

export async function runFrontend(bridge: Bridge, env: NodeJS.ProcessEnv): Promise<void> {
  const t = timer();
  const opts = parseOptions(readRawOptions(env));
  const sessionId = env.BUILDKIT_SESSION_ID ?? "";
  // Ping and the context reads are independent: overlap their round trips.
  const pinged = bridge.call("Ping", {});
  pinged.catch(() => {});
  const loaded = loadContexts(bridge, opts, sessionId);
  loaded.catch(() => {});
  const pong = await pinged;
  t.mark("ping");
  const caps: Caps = {
    llb: enabledCaps(pong.LLBCaps),
    api: enabledCaps(pong.FrontendAPICaps),
  };
  if (opts.requestId) {
    throw new FrontendError(Code.UNIMPLEMENTED, `migetpacks does not answer the "${opts.requestId}" request; run a normal build instead.`);
  }
  if (opts.platforms.length > 1) {
    throw new FrontendError(Code.INVALID_ARGUMENT, `building for several platforms at once (${opts.platforms.map(formatPlatform).join(", ")}) is not supported yet; build one platform per invocation.`);
  }
  const platform = opts.platforms[0] ?? workerPlatform(pong);
  const { ctx, excludePatterns, detectDigest } = await loaded;
  t.mark("context");
  const { plan } = await buildPlan(ctx, opts.buildArgs);
  t.mark("plan");

  const configs = await resolveImages(bridge, [...plan.stages.map((s) => s.image), plan.runtime.image], platform, opts);
  const state = planToLlb(plan, {
    platform,
    contextName: opts.contextName,
    sessionId,
    excludePatterns,
    resolveMode: opts.resolveMode,
    imageEnv: (ref) => configs.get(ref)?.config?.Env,
    cacheNamespace: opts.buildArgs.CACHE_KEY || "default",
  });
  t.mark("resolve");
  const m = marshal(state, { ignoreCache: opts.noCache });
  checkCaps(m.caps, caps.llb);

  const solved = await bridge.call("Solve", {
    Definition: Definition.decode(m.bytes),
    allowResultReturn: true,
    allowResultArrayRef: true,
    CacheImports: opts.cacheImports,
  });
  const id: string = solved.result?.ref?.id ?? "";
  t.mark("solve");

  if (caps.api.has("gateway.warnings")) {
    for (const w of plan.warnings) await bridge.call("Warn", { digest: detectDigest, level: 1, short: Buffer.from(w) });
  }
  const config = imageConfig(plan, platform, configs.get(plan.runtime.image), opts.labels);
  await bridge.call("Return", {
    result: {
      ref: { id },
      metadata: {
        "containerimage.config": Buffer.from(JSON.stringify(config)),
        "frontend.miget.result": Buffer.from(JSON.stringify(plan.result)),
      },
    },
  });
  t.mark("return");
  // stderr goes to the daemon's log: one line per build for operators.
  console.error(`migetpacks: ${plan.result.language} ${plan.result.version} built; ${t.summary()}`);
}

/** Milliseconds spent per phase, since process start. */
function timer() {
  const marks: string[] = [];
  let last = performance.now();
  marks.push(`start=${last.toFixed(0)}`);
  return {
    mark(name: string) {
      const now = performance.now();
      marks.push(`${name}=${(now - last).toFixed(0)}`);
      last = now;
    },
    summary: () => marks.join(" ") + " ms",
  };
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
  const unique = [...new Set(refs)];
  const out = new Map<string, ImageConfig>();
  await Promise.all(
    unique.map(async (ref) => {
      try {
        const res = await bridge.call("ResolveImageConfig", {
          Ref: ref,
          Platform: toPbPlatform(platform),
          ResolveMode: opts.resolveMode,
          LogName: `[internal] load metadata for ${ref}`,
        });
        out.set(ref, JSON.parse(Buffer.from(res.Config).toString("utf8")) as ImageConfig);
      } catch (e) {
        throw new FrontendError(Code.NOT_FOUND, `base image ${ref} could not be resolved (${(e as Error).message}); check the version you asked for, or set REGISTRY_MIRROR.`);
      }
    }),
  );
  return out;
}

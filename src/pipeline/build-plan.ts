// context + build args → BuildPlan. Shared by the CLI and the frontend.
// Precedence of settings: build args > migetpacks.toml > app.json > defaults.
import { readJson, readText, type BuildContext } from "../context/fs.js";
import { commonOptions, type BuildArgs } from "../options/build-args.js";
import { parseProcfile, procfileWarning } from "../manifest/procfile.js";
import { readMigetpacksToml, type TomlConfig } from "../manifest/migetpacks-toml.js";
import { readAppJson } from "../manifest/app-json.js";
import { knownOptions } from "./known-options.js";
import { checkResultSize } from "../context/limits.js";
import { normalizeProjectPath, SubdirContext } from "../context/subdir.js";
import { detect, type Detection } from "../detect/detect.js";
import { BuildPlan, type BuildPlanInput } from "../kit/schema.js";
import { finishPlan } from "./finish.js";
import type { Classified } from "../options/classify.js";
import { buildpackOrder } from "./buildpacks.js";
import { applyDhi } from "./dhi.js";
import { PROVIDERS } from "../detect/registry.js";
import type { DetectSummary, Provider, ProviderPlan } from "../kit/provider.js";

export interface ProjectSetup {
  /** Folder holding the app ("" = context root). */
  projectPath: string;
  /** Build args merged over migetpacks.toml options. */
  args: BuildArgs;
  toml: TomlConfig;
}

export interface Planned {
  detection: Detection;
  plan: BuildPlan;
  /** Build args sorted into user variables, proxy settings and dropped credentials. */
  buildEnv: Classified;
}

/** Root-level configuration, read before anything else: migetpacks.toml and PROJECT_PATH. */
export async function resolveProject(root: BuildContext, buildArgs: BuildArgs): Promise<ProjectSetup> {
  const toml = await readMigetpacksToml(root, knownOptions());
  const args = { ...toml.options, ...buildArgs };
  return { projectPath: normalizeProjectPath(args.PROJECT_PATH), args, toml };
}

export async function buildPlan(root: BuildContext, buildArgs: BuildArgs): Promise<Planned> {
  return planProject(root, await resolveProject(root, buildArgs));
}

/** Plans the app of `setup` in the build context `root` (PROJECT_PATH is applied here). */
export async function planProject(root: BuildContext, setup: ProjectSetup): Promise<Planned> {
  const scope = (dir: string) => (dir ? new SubdirContext(root, dir) : root);
  const appCtx = scope(setup.projectPath);
  const app = await readAppJson(appCtx);
  let args: BuildArgs = setup.args;
  const order = buildpackOrder(args.BUILDPACKS, app?.buildpacks);
  if (order.primary && !args.LANGUAGE) args = { ...args, LANGUAGE: order.primary };
  const common = commonOptions(args);
  let detection = await detect(appCtx, args);
  // A workspace member (e.g. of a JavaScript workspace) builds from its workspace root (one install, the root lockfile).
  const ws = await detection.provider.workspaceRoot?.(root, setup.projectPath);
  const ctx = ws ? scope(ws.root) : appCtx;
  const member = ws ? { dir: ws.member, pkg: (await readJson(appCtx, "package.json").catch(() => ({}))) as Record<string, unknown> } : undefined;
  // The root's language builds the workspace (a member that looks like Node.js in a Bun workspace), unless LANGUAGE chose.
  if (ws) detection = await detect(ctx, { ...args, LANGUAGE: (!args.LANGUAGE?.trim() && ws.language) || detection.provider.id });
  const procText = common.runCommand ? undefined : await readText(appCtx, "Procfile");
  const procfile = procText === undefined ? undefined : parseProcfile(procText);
  const provider = detection.provider;
  let raw = withSummary(provider.plan({ facts: detection.facts, args, common, procfile, member }), detection.summary);
  const noWeb = procfileWarning(procfile);
  if (noWeb) raw = { ...raw, warnings: [...raw.warnings, noWeb] };
  for (const secondary of assetProviders(provider)) {
    if (await secondary.assets!.wanted(ctx, order.additional.includes(secondary.id), Boolean(args.BUILDPACKS?.trim()))) {
      raw = await secondary.assets!.add(ctx, raw, args, common);
    }
  }
  raw = withRuntimePackages(raw, common.runtimePackages);
  if (common.useDhi) raw = applyDhi(raw, provider, detection.facts);
  const handled = new Set(PROVIDERS.filter((p) => p.assets).map((p) => p.id));
  const additional = order.additional.filter((x) => !handled.has(x));
  const { plan, buildEnv } = finishPlan(raw, { args, common, app, toml: setup.toml, projectPath: ws ? ws.root : setup.projectPath, providerOptions: provider.options, additional });
  // Validate: a provider bug must fail here, loudly, not as a broken image.
  checkResultSize(plan.result);
  return { detection, plan: BuildPlan.parse(plan), buildEnv };
}

/** Languages that can run as a secondary (assets) buildpack before this one's build. */
function assetProviders(primary: Provider<any>): Provider<any>[] {
  return primary.ownsAssets ? [] : PROVIDERS.filter((p) => p.assets && p !== primary);
}

/** The result's detection fields come from the summary, so `detect` and `plan` say the same. */
function withSummary(plan: ProviderPlan, s: DetectSummary): BuildPlanInput {
  const { language, version, versionSource, packageManager, framework } = s;
  return { ...plan, result: { ...plan.result, language, version, versionSource, packageManager, framework } };
}

/** RUNTIME_PACKAGES join the language's own (before USE_DHI, which refuses any). */
function withRuntimePackages(plan: BuildPlanInput, extra: string[]): BuildPlanInput {
  if (!extra.length) return plan;
  return { ...plan, runtime: { ...plan.runtime, packages: [...new Set([...(plan.runtime.packages ?? []), ...extra])].sort() } };
}

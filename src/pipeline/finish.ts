// Settings that apply to every language, applied after the provider planned:
// user variables into the build stages, secrets, registry mirror, and what the
// result reports (app.json formation, scripts, addons).
import type { AppJson } from "../manifest/app-json.js";
import type { TomlConfig } from "../manifest/migetpacks-toml.js";
import type { BuildArgs, CommonOptions } from "../options/build-args.js";
import { classifyBuildArgs, isCredential, type Classified } from "../options/classify.js";
import { mirrorImage } from "./registry-mirror.js";
import type { BuildPlanInput, EnvList } from "../kit/schema.js";

export interface FinishInput {
  args: BuildArgs;
  common: CommonOptions;
  app?: AppJson;
  toml: TomlConfig;
  projectPath: string;
  providerOptions: readonly string[];
  additional: string[];
}

export function finishPlan(plan: BuildPlanInput, o: FinishInput): { plan: BuildPlanInput; buildEnv: Classified } {
  const buildEnv = classifyBuildArgs(o.args, o.providerOptions);
  const warnings = [...plan.warnings, ...(o.app?.warnings ?? []), ...buildEnv.warnings];
  // app.json < migetpacks.toml < build args; credential-looking names never enter the LLB.
  const vars = new Map<string, string>();
  for (const [k, v] of [...Object.entries(o.app?.env ?? {}), ...Object.entries(o.toml.env)]) {
    if (isCredential(k)) buildEnv.dropped.push(k);
    else vars.set(k, v);
  }
  for (const [k, v] of buildEnv.userEnv) vars.set(k, v);
  const userEnv: EnvList = [...vars].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of [...new Set(buildEnv.dropped)].sort()) {
    warnings.push(`${name} looks like a credential and was not passed to the build; give it as a BuildKit secret instead: --secret id=${name},env=${name} --build-arg SECRETS=${name}`);
  }
  if (o.additional.length) {
    warnings.push(`additional buildpacks (${o.additional.join(", ")}) are not supported yet; only the primary language (${plan.result.language}) is built.`);
  }
  const mirror = (ref: string) => mirrorImage(ref, o.common.registryMirror, o.common.dhiMirror);
  const port = `${plan.runtime.port}/tcp`;
  return {
    buildEnv,
    plan: {
      ...plan,
      projectPath: o.projectPath,
      secrets: o.common.secrets,
      // Stages that start from another stage inherit its env (and its mirrored image).
      stages: plan.stages.map((s) => ({
        ...s,
        image: s.image === undefined ? undefined : mirror(s.image),
        env: s.from ? s.env : mergeEnv(s.env, userEnv),
        // The user's secrets reach every install/build step (and only those: never the runtime).
        steps: s.steps.map((st) => (st.kind === "run" ? { ...st, secrets: [...new Set([...(st.secrets ?? []), ...o.common.secrets])] } : st)),
      })),
      runtime: { ...plan.runtime, image: mirror(plan.runtime.image) },
      result: {
        ...plan.result,
        ports: [port],
        env: reportedEnv(o.app),
        formation: o.app?.formation ?? [],
        scripts: o.app?.scripts ?? [],
        addons: o.app?.addons ?? [],
      },
      warnings,
    },
  };
}

/** Later entries replace earlier ones in place; new names are appended. */
function mergeEnv(base: EnvList, extra: EnvList): EnvList {
  const out: EnvList = base.map(([k, v]) => [k, v]);
  for (const [k, v] of extra) {
    const i = out.findIndex(([x]) => x === k);
    if (i >= 0) out[i] = [k, v];
    else out.push([k, v]);
  }
  return out;
}

/**
 * app.json env as the result reports it (image label, metadata): a value the
 * platform generates, or one whose name looks like a credential, is null —
 * the warning says it was not passed, so its value must not travel either.
 */
function reportedEnv(app: AppJson | undefined): Record<string, string | null> {
  const entries: [string, string | null][] = Object.entries(app?.env ?? {}).map(([k, v]) => [k, isCredential(k) ? null : v]);
  for (const k of app?.generated ?? []) entries.push([k, null]);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

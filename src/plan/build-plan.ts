// context + build args → BuildPlan. Shared by the CLI and the frontend.
// Precedence of settings: build args > migetpacks.toml > app.json > defaults.
import { readText, type BuildContext } from "../context/fs.js";
import { commonOptions, type BuildArgs } from "../options/build-args.js";
import { parseProcfile } from "../manifest/procfile.js";
import { readMigetpacksToml, type TomlConfig } from "../manifest/migetpacks-toml.js";
import { readAppJson } from "../manifest/app-json.js";
import { normalizeProjectPath, SubdirContext } from "../context/subdir.js";
import { detect, type Detection } from "../detect/detect.js";
import { BuildPlan } from "./schema.js";
import { finishPlan } from "./finish.js";
import type { Classified } from "../options/classify.js";
import { buildpackOrder } from "./buildpacks.js";
import { applyDhi } from "./dhi.js";
import { addSecondaryNode, wantsSecondaryNode } from "./secondary-node.js";

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
  const toml = await readMigetpacksToml(root);
  const args = { ...toml.options, ...buildArgs };
  return { projectPath: normalizeProjectPath(args.PROJECT_PATH), args, toml };
}

export async function buildPlan(root: BuildContext, buildArgs: BuildArgs): Promise<Planned> {
  const setup = await resolveProject(root, buildArgs);
  const ctx = setup.projectPath ? new SubdirContext(root, setup.projectPath) : root;
  return planProject(ctx, setup);
}

/** Plans the app in `ctx` (already scoped to the project path). */
export async function planProject(ctx: BuildContext, setup: ProjectSetup): Promise<Planned> {
  const app = await readAppJson(ctx);
  let args: BuildArgs = setup.args;
  const order = buildpackOrder(args.BUILDPACKS, app?.buildpacks);
  if (order.primary && !args.LANGUAGE) args = { ...args, LANGUAGE: order.primary };
  const common = commonOptions(args);
  const detection = await detect(ctx, args);
  const procText = common.runCommand ? undefined : await readText(ctx, "Procfile");
  const procfile = procText === undefined ? undefined : parseProcfile(procText);
  let raw = detection.provider.plan({ facts: detection.facts, args, common, procfile });
  if (await wantsSecondaryNode(ctx, raw.result.language, order.additional, Boolean(args.BUILDPACKS?.trim()))) {
    raw = await addSecondaryNode(ctx, raw, args, common);
  }
  if (common.useDhi) raw = applyDhi(raw, (c) => detection.provider.dhiCommand?.(detection.facts, c) ?? c);
  const additional = order.additional.filter((x) => x !== "nodejs");
  const { plan, buildEnv } = finishPlan(raw, { args, common, app, toml: setup.toml, projectPath: setup.projectPath, providerOptions: detection.provider.options, additional });
  // Validate: a provider bug must fail here, loudly, not as a broken image.
  return { detection, plan: BuildPlan.parse(plan), buildEnv };
}

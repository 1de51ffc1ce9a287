// context + build args → BuildPlan. Shared by the CLI and the frontend.
import { readText, type BuildContext } from "../context/fs.js";
import { commonOptions, type BuildArgs } from "../options/build-args.js";
import { parseProcfile } from "../manifest/procfile.js";
import { detect, type Detection } from "../detect/detect.js";
import { BuildPlan } from "./schema.js";

export interface Planned {
  detection: Detection;
  plan: BuildPlan;
}

export async function buildPlan(ctx: BuildContext, args: BuildArgs): Promise<Planned> {
  const common = commonOptions(args);
  const detection = await detect(ctx, args);
  const procText = common.runCommand ? undefined : await readText(ctx, "Procfile");
  const procfile = procText === undefined ? undefined : parseProcfile(procText);
  const raw = detection.provider.plan({ facts: detection.facts, args, common, procfile });
  // Validate: a provider bug must fail here, loudly, not as a broken image.
  const plan = BuildPlan.parse(raw);
  return { detection, plan };
}

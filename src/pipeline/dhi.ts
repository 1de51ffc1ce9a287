// USE_DHI=true: hardened builder and runtime images, the image's non-root
// user, and a start command that runs without a shell. The runtime stage is
// assembled with file operations only, so nothing in it needs a shell either.
import { DHI, NO_DHI } from "./dhi-images.js";
import { toExecForm } from "../kit/exec-form.js";
import type { BuildPlanInput } from "../kit/schema.js";

export function applyDhi(plan: BuildPlanInput, rewrite: (command: string) => string = (c) => c): BuildPlanInput {
  const lang = plan.result.language;
  const spec = DHI[lang];
  if (!spec) {
    const why = NO_DHI[lang] ?? `${lang} has no hardened image`;
    return { ...plan, warnings: [...plan.warnings, `USE_DHI=true: ${why}; the official images are used, with a shell.`] };
  }
  const { version, warning } = spec.floor ? spec.floor(plan.result.version) : { version: plan.result.version };
  const ofOurs = (image: string) => spec.official.some((repo) => image.startsWith(`${repo}:`));
  const command = rewrite(plan.result.runCommand);
  const argv = toExecForm(command, { port: plan.runtime.port, language: lang });
  return {
    ...plan,
    stages: plan.stages.map((s) => (ofOurs(s.image) ? { ...s, image: `dhi.io/${spec.repo}:${version}-dev` } : s)),
    runtime: { ...plan.runtime, image: `dhi.io/${spec.repo}:${version}`, user: spec.user, cmd: argv, entrypoint: undefined, shell: false },
    result: {
      ...plan.result,
      version,
      runCommand: argv.join(" "),
      processes: { ...plan.result.processes, web: argv.join(" ") },
      _shell: false,
      _dhi: true,
    },
    warnings: warning ? [...plan.warnings, warning] : plan.warnings,
  };
}

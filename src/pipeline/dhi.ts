// USE_DHI=true: hardened builder and runtime images, the image's non-root
// user, and a start command that runs without a shell. The runtime stage is
// assembled with file operations only, so nothing in it needs a shell either.
import { UserError } from "../context/fs.js";
import { toExecForm } from "../kit/exec-form.js";
import type { Provider } from "../kit/provider.js";
import type { BuildPlanInput } from "../kit/schema.js";

export function applyDhi(plan: BuildPlanInput, provider: Provider<any>, facts: unknown): BuildPlanInput {
  const spec = provider.hardened;
  if (!spec || "unsupported" in spec) {
    const why = spec?.unsupported ?? `${provider.name} has no hardened image`;
    return { ...plan, warnings: [...plan.warnings, `USE_DHI=true: ${why}; the official images are used, with a shell.`] };
  }
  const packages = plan.runtime.packages ?? [];
  if (packages.length) {
    throw new UserError(
      `USE_DHI=true: the app needs the system ${packages.length > 1 ? "packages" : "package"} ${packages.join(", ")} at run time, but the hardened runtime has no package manager to install ${packages.length > 1 ? "them" : "it"}; build without USE_DHI, or drop the dependency that needs ${packages.length > 1 ? "them" : "it"}.`,
    );
  }
  const { version, warning } = spec.floor ? spec.floor(plan.result.version) : { version: plan.result.version };
  const ofOurs = (image: string | undefined) => image !== undefined && spec.official.some((repo) => image.startsWith(`${repo}:`));
  const images = spec.images?.(version, plan.runtime.image) ?? { builder: `dhi.io/${spec.repo}:${version}-dev`, runtime: `dhi.io/${spec.repo}:${version}` };
  const command = provider.dhiCommand ? provider.dhiCommand(facts, plan.result.runCommand) : plan.result.runCommand;
  const argv = toExecForm(command, { port: plan.runtime.port, rewrite: provider.execForm });
  return {
    ...plan,
    stages: plan.stages.map((s) => (ofOurs(s.image) ? { ...s, image: images.builder } : s)),
    runtime: { ...plan.runtime, image: images.runtime, user: spec.user, cmd: argv, entrypoint: undefined, shell: false },
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

// Human-readable plan for `migetpacks plan DIR`.
import type { BuildPlan } from "../kit/schema.js";

export function formatPlan(plan: BuildPlan): string {
  const r = plan.result;
  const lines: string[] = [];
  lines.push(`${r.language} ${r.version} (${r.versionSource})${r.packageManager ? ` · ${r.packageManager}` : ""}${r.framework ? ` · ${r.framework}` : ""}`);
  for (const st of plan.stages) {
    const base = st.from ? `from stage ${st.from.stage}` : st.image;
    lines.push("", `stage ${st.name}: ${base}, workdir ${st.workdir}${st.platform === "build" ? " (on the build platform)" : ""}`);
    for (const [k, v] of st.env) lines.push(`  env ${k}=${v}`);
    for (const step of st.steps) {
      if (step.kind === "copy") {
        const from = step.from === "context" ? "context" : `stage ${step.from.stage}`;
        const only = step.include?.length ? ` (only ${step.include.join(" ")})` : "";
        lines.push(`  copy ${step.paths.join(" ")}${only} from ${from} → ${step.dest}${step.exclude?.length ? ` (except ${step.exclude.join(" ")})` : ""}`);
      } else {
        const caches = step.caches.map((c) => plan.caches[c]?.target).filter(Boolean);
        const mounts = [caches.length ? `cache ${caches.join(", ")}` : "", step.secrets.length ? `secrets ${step.secrets.join(", ")}` : "", step.ssh ? "ssh" : ""].filter(Boolean);
        lines.push(`  run  ${step.shell}${mounts.length ? `   [${mounts.join("; ")}]` : ""}`);
      }
    }
  }
  const rt = plan.runtime;
  lines.push("", `runtime: ${rt.image}, user ${rt.user}, workdir ${rt.workdir}, port ${rt.port}`);
  if (rt.packages.length) lines.push(`  apt-get install ${rt.packages.join(" ")}`);
  for (const c of rt.copies) lines.push(`  copy ${c.src} from stage ${c.stage} → ${c.dest}${c.exclude.length ? ` (except ${c.exclude.join(" ")})` : ""}`);
  for (const [k, v] of rt.env) lines.push(`  env ${k}=${v}`);
  if (rt.files?.length) for (const f of rt.files) lines.push(`  file ${f.path} (mode ${f.mode.toString(8)})`);
  if (rt.entrypoint?.length) lines.push(`  entrypoint ${JSON.stringify(rt.entrypoint)}`);
  lines.push(`  cmd ${JSON.stringify(rt.cmd)}`);
  for (const w of plan.warnings) lines.push("", `warning: ${w}`);
  return lines.join("\n") + "\n";
}

// Every option name migetpacks understands: the common ones and each
// provider's. migetpacks.toml keys outside this list are typos, not variables.
import { REGISTRY } from "../detect/registry.js";
import { CommonOptionsSchema } from "../options/build-args.js";

export function knownOptions(): string[] {
  const names = new Set<string>(Object.keys(CommonOptionsSchema.shape));
  for (const p of REGISTRY) for (const o of p.options) names.add(o);
  return [...names].sort();
}

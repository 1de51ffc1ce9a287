// The OCI image config returned with the result: the runtime base image's
// config with our Env/User/WorkingDir/Cmd/ExposedPorts/Labels merged in.
import type { BuildPlan } from "../kit/schema.js";
import type { Platform } from "../llb/platform.js";
import { DEFAULT_PATH } from "../kit/image-env.js";

export interface ImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  config: {
    Env?: string[];
    User?: string;
    WorkingDir?: string;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    ExposedPorts?: Record<string, object>;
    Labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export function imageConfig(plan: BuildPlan, platform: Platform, base: Partial<ImageConfig> | undefined, labels: Record<string, string>): ImageConfig {
  const rt = plan.runtime;
  const baseConfig = { ...(base?.config ?? {}) };
  let env = [...((baseConfig.Env as string[] | undefined) ?? [])];
  if (!env.some((e) => e.startsWith("PATH="))) env.unshift(`PATH=${DEFAULT_PATH}`);
  for (const [k, v] of rt.env) {
    const i = env.findIndex((e) => e.startsWith(k + "="));
    if (i >= 0) env[i] = `${k}=${v}`;
    else env.push(`${k}=${v}`);
  }
  const out: ImageConfig = {
    ...(base ?? {}),
    architecture: platform.architecture,
    os: platform.os,
    config: {
      ...baseConfig,
      Env: env,
      User: rt.user,
      WorkingDir: rt.workdir,
      // Setting an entrypoint drops an inherited one's meaning: always set both.
      Entrypoint: rt.entrypoint ?? null,
      Cmd: rt.cmd,
      ExposedPorts: { ...((baseConfig.ExposedPorts as object) ?? {}), [`${rt.port}/tcp`]: {} },
      Labels: sortKeys({ ...((baseConfig.Labels as Record<string, string>) ?? {}), ...labels }),
    },
  };
  if (platform.variant) out.variant = platform.variant;
  else delete out.variant;
  delete out.created;
  delete out.rootfs;
  delete out.history;
  return out;
}

function sortKeys(rec: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(rec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

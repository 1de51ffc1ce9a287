// Frontend options: BUILDKIT_FRONTEND_OPT_<n> env vars (`key=value`, split at
// the first `=`), parsed once into a typed record. Bad values name the option.
import { UserError } from "../src/context/fs.js";
import { parsePlatform, type Platform } from "../src/llb/platform.js";
import type { ResolveMode } from "../src/llb/source.js";

export interface FrontendOptions {
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  platforms: Platform[];
  resolveMode: ResolveMode;
  noCache: boolean;
  cacheImports: { Type: string; Attrs: Record<string, string> }[];
  contextName: string;
  requestId?: string;
  raw: Record<string, string>;
}

export function readRawOptions(env: NodeJS.ProcessEnv): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith("BUILDKIT_FRONTEND_OPT_") || v === undefined) continue;
    const i = v.indexOf("=");
    if (i < 0) raw[v] = "";
    else raw[v.slice(0, i)] = v.slice(i + 1);
  }
  return raw;
}

export function parseOptions(raw: Record<string, string>): FrontendOptions {
  const buildArgs: Record<string, string> = {};
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k.startsWith("build-arg:")) buildArgs[k.slice("build-arg:".length)] = v;
    else if (k.startsWith("label:")) labels[k.slice("label:".length)] = v;
  }
  const mode = raw["image-resolve-mode"] ?? "default";
  if (!["default", "pull", "local"].includes(mode)) {
    throw new UserError(`option image-resolve-mode=${mode} is invalid; use default, pull or local.`);
  }
  return {
    buildArgs,
    labels,
    platforms: raw.platform ? raw.platform.split(",").filter(Boolean).map(parsePlatform) : [],
    resolveMode: mode as ResolveMode,
    noCache: raw["no-cache"] !== undefined && raw["no-cache"] === "",
    cacheImports: cacheImports(raw),
    contextName: raw.contextkey || "context",
    requestId: raw.requestid || undefined,
    raw,
  };
}

function cacheImports(raw: Record<string, string>): FrontendOptions["cacheImports"] {
  const out: FrontendOptions["cacheImports"] = [];
  if (raw["cache-imports"]) {
    try {
      for (const e of JSON.parse(raw["cache-imports"]) as { Type: string; Attrs?: Record<string, string> }[]) {
        out.push({ Type: e.Type, Attrs: e.Attrs ?? {} });
      }
    } catch {
      throw new UserError("option cache-imports is not valid JSON.");
    }
  }
  for (const ref of (raw["cache-from"] ?? "").split(",").filter(Boolean)) out.push({ Type: "registry", Attrs: { ref } });
  return out;
}

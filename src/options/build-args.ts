// Build args (`--build-arg KEY=VALUE`, `build-arg:KEY` in BuildKit options)
// parsed once into typed options. Each key is validated with zod and a bad
// value becomes one sentence naming the option and what it accepts.
import * as z from "../lib/zod.js";
import { UserError } from "../context/fs.js";
import { short } from "./env-names.js";

export type BuildArgs = Readonly<Record<string, string>>;

/**
 * Where an option came from when not a build arg (migetpacks.toml), so a bad
 * value names the file and its own spelling (`port = -1`), not `build arg PORT`.
 * A symbol key: spreads copy it, Object.keys and JSON never see it.
 */
const ORIGIN = Symbol("migetpacks.optionOrigin");
type Origin = Record<string, { value: string; shown: string }>;

/** Marks `options` as read from `file`; `shown` is how each appears there (`port = -1`). */
export function withOrigin(options: Record<string, string>, file: string, shown: Record<string, string>): Record<string, string> {
  const origin: Origin = {};
  for (const [k, v] of Object.entries(options)) origin[k] = { value: v, shown: `${file}: ${shown[k] ?? k}` };
  return Object.assign(options, { [ORIGIN]: origin });
}

/** `migetpacks.toml: port = -1` when the value is the file's, else `build arg PORT="-1"`. */
export function describeArg(args: BuildArgs, key: string): string {
  const o = (args as { [ORIGIN]?: Origin })[ORIGIN]?.[key];
  if (o && o.value === args[key]) return o.shown;
  return `build arg ${key}=${JSON.stringify(short(args[key] ?? ""))}`;
}

const port = z
  .string()
  .regex(/^\d{1,5}$/, "must be a whole number between 1 and 65535")
  .transform(Number)
  .refine((n) => n >= 1 && n <= 65535, "must be a whole number between 1 and 65535");

const bool = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => ["true", "false", "1", "0", "yes", "no", ""].includes(s), "must be true or false")
  .transform((s) => s === "true" || s === "1" || s === "yes");

const idList = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
  .refine((l) => l.every((x) => /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(x)), "must be a comma-separated list of secret ids (letters, digits, '_', '.', '-')");

const debPackages = z
  .string()
  .transform((s) => s.split(/[\s,]+/).filter(Boolean))
  .refine((l) => l.every((x) => /^[a-z0-9][a-z0-9+.-]+$/.test(x)), "must be Debian package names separated by spaces or commas (e.g. libjemalloc2 libpq5)");

/**
 * A registry host (optionally :port, /path, scheme): it is pasted into image
 * references, so spaces, `$(…)` or `@` would make a different or broken reference.
 */
const mirror = z
  .string()
  .trim()
  .refine((s) => s === "" || MIRROR.test(s), "must be a registry host such as mirror.example or mirror.example:5000/dockerhub");
const MIRROR = /^([a-z]+:\/\/)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*\/?$/;

const cacheKey = z.string().regex(/^[A-Za-z0-9_.-]+$/, "may only contain letters, digits, '.', '_' and '-'");

/** Options every build understands. Provider-specific ones live with each provider. */
export const CommonOptionsSchema = z.object({
  RUN_COMMAND: z.string().trim().optional(),
  BUILD_COMMAND: z.string().trim().optional(),
  PORT: port.optional(),
  LANGUAGE: z.string().optional(),
  PROJECT_PATH: z.string().optional(),
  BUILDPACKS: z.string().optional(),
  USE_DHI: bool.optional(),
  REGISTRY_MIRROR: mirror.optional(),
  DHI_MIRROR: mirror.optional(),
  NO_CACHE: bool.optional(),
  /** Namespace for cache-mount ids, so apps on one daemon do not share caches. */
  CACHE_KEY: cacheKey.optional(),
  /** The original's switch for cache mounts; its value only names a host folder, so here it is a namespace alias. */
  BUILD_CACHE_DIR: z.string().optional(),
  /** BuildKit secret ids (`--secret id=NPM_TOKEN,...`) to expose to install and build steps. */
  SECRETS: idList.optional(),
  /** Debian packages the app needs at run time besides what the language adds (shared libraries, CLIs it calls). */
  RUNTIME_PACKAGES: debPackages.optional(),
});
export type CommonOptions = {
  runCommand?: string;
  buildCommand?: string;
  port: number;
  cacheKey: string;
  useDhi: boolean;
  noCache: boolean;
  secrets: string[];
  runtimePackages: string[];
  registryMirror?: string;
  dhiMirror?: string;
};

export const boolOption = bool;

/** Parses the subset of args a schema names; errors name the build arg. */
export function parseArgs<S extends z.ZodObject>(schema: S, args: BuildArgs): z.infer<S> {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) if (args[key] !== undefined) picked[key] = args[key]!;
  const res = schema.safeParse(picked);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    const key = String(issue.path[0]);
    throw new UserError(`${describeArg(args, key)} is invalid: ${issue.message}.`);
  }
  return res.data;
}

export function commonOptions(args: BuildArgs): CommonOptions {
  refuseNul(args);
  const o = parseArgs(CommonOptionsSchema, args);
  return {
    runCommand: o.RUN_COMMAND || undefined,
    buildCommand: o.BUILD_COMMAND || undefined,
    port: o.PORT ?? 5000,
    cacheKey: o.CACHE_KEY ?? (o.BUILD_CACHE_DIR ? cacheKeyFrom(o.BUILD_CACHE_DIR) : "default"),
    useDhi: o.USE_DHI ?? false,
    noCache: o.NO_CACHE ?? false,
    secrets: o.SECRETS ?? [],
    runtimePackages: o.RUNTIME_PACKAGES ?? [],
    registryMirror: o.REGISTRY_MIRROR || undefined,
    dhiMirror: o.DHI_MIRROR || undefined,
  };
}

/** A cache namespace from the original's BUILD_CACHE_DIR (a host folder path). */
function cacheKeyFrom(dir: string): string {
  return dir.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "") || "default";
}

/**
 * No option or variable may carry NUL: a shell line or an argv would end at it
 * (and runc refuses it). Environment variables cannot hold one, but
 * migetpacks.toml values and direct callers could.
 */
function refuseNul(args: BuildArgs): void {
  for (const key of Object.keys(args)) {
    if (args[key]!.includes("\u0000")) throw new UserError(`${describeArg(args, key)} holds a NUL character; remove it.`);
  }
}

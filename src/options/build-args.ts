// Build args (`--build-arg KEY=VALUE`, `build-arg:KEY` in BuildKit options)
// parsed once into typed options. Each key is validated with zod and a bad
// value becomes one sentence naming the option and what it accepts.
import { z } from "zod";
import { UserError } from "../context/fs.js";

export type BuildArgs = Readonly<Record<string, string>>;

const port = z
  .string()
  .regex(/^\d+$/, "must be a number")
  .transform(Number)
  .refine((n) => n >= 1 && n <= 65535, "must be between 1 and 65535");

const bool = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => ["true", "false", "1", "0", "yes", "no", ""].includes(s), "must be true or false")
  .transform((s) => s === "true" || s === "1" || s === "yes");

export const CommonOptionsSchema = z.object({
  RUN_COMMAND: z.string().trim().optional(),
  BUILD_COMMAND: z.string().trim().optional(),
  PORT: port.optional(),
  /** Namespace for cache-mount ids, so apps on one daemon do not share caches. */
  CACHE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, "may only contain letters, digits, '.', '_' and '-'")
    .optional(),
});
export type CommonOptions = {
  runCommand?: string;
  buildCommand?: string;
  port: number;
  cacheKey: string;
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
    throw new UserError(`build arg ${key}=${JSON.stringify(args[key])} is invalid: ${issue.message}.`);
  }
  return res.data;
}

export function commonOptions(args: BuildArgs): CommonOptions {
  const o = parseArgs(CommonOptionsSchema, args);
  return {
    runCommand: o.RUN_COMMAND || undefined,
    buildCommand: o.BUILD_COMMAND || undefined,
    port: o.PORT ?? 5000,
    cacheKey: o.CACHE_KEY ?? "default",
  };
}

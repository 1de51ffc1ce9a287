// Heroku-style app.json: env, formation, scripts, buildpacks, addons. Parsed
// once into one normalized shape; nothing in it is run during the build.
import * as z from "../lib/zod.js";
import { readJson, UserError, type BuildContext } from "../context/fs.js";
import { envNameProblem } from "../options/env-names.js";

const EnvValue = z.union([
  z.string(),
  z.looseObject({ value: z.union([z.string(), z.number(), z.boolean()]).optional(), description: z.string().optional(), required: z.boolean().optional(), generator: z.string().optional() }),
]);
const Script = z.union([z.string(), z.looseObject({ command: z.string(), size: z.string().optional() })]);
const Schema = z.looseObject({
  env: z.record(z.string(), EnvValue).optional(),
  formation: z.union([z.record(z.string(), z.looseObject({ quantity: z.number().optional(), size: z.string().optional() })), z.array(z.looseObject({ type: z.string().optional(), process: z.string().optional(), quantity: z.number().optional(), size: z.string().optional() }))]).optional(),
  scripts: z.record(z.string(), Script).optional(),
  buildpacks: z.array(z.union([z.string(), z.looseObject({ url: z.string() })])).optional(),
  addons: z.array(z.union([z.string(), z.looseObject({ plan: z.string(), as: z.string().optional(), options: z.unknown().optional() })])).optional(),
});

export interface AppJson {
  /** Plain values usable at build time (generated secrets are never generated here). */
  env: Record<string, string>;
  /** Names whose value app.json asks the platform to generate (`generator: "secret"`). */
  generated: string[];
  formation: { name: string; quantity: number; size: string | null }[];
  scripts: { name: string; command: string; size: string | null }[];
  /** Buildpack names in app.json order (Heroku: the last one is the primary). */
  buildpacks: string[];
  addons: { plan: string; as: string | null; options: unknown }[];
  /** Problems that did not stop the build (env names no build could use). */
  warnings: string[];
}

export async function readAppJson(ctx: BuildContext): Promise<AppJson | undefined> {
  const raw = await readJson(ctx, "app.json");
  if (raw === undefined) return undefined;
  const res = Schema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    throw new UserError(`app.json: "${issue.path.join(".") || "(root)"}" is invalid (${issue.message}); see https://devcenter.heroku.com/articles/app-json-schema.`, "app.json");
  }
  const a = res.data;
  const env: Record<string, string> = {};
  const generated: string[] = [];
  const warnings: string[] = [];
  for (const [k, v] of Object.entries(a.env ?? {})) {
    // app.json also configures the platform at run time, so a bad name is skipped with a warning, not an error.
    const problem = envNameProblem(k);
    if (problem) warnings.push(`app.json: env: ${problem}; it was not passed to the build. Rename it in app.json.`);
    else if (typeof v === "string") env[k] = v;
    else if (v.generator) generated.push(k);
    else if (v.value !== undefined) env[k] = String(v.value);
  }
  const formation = Array.isArray(a.formation)
    ? a.formation.map((f) => ({ name: f.type ?? f.process ?? "web", quantity: f.quantity ?? 1, size: f.size ?? null }))
    : Object.entries(a.formation ?? {}).map(([name, f]) => ({ name, quantity: f.quantity ?? 1, size: f.size ?? null }));
  return {
    env,
    generated,
    formation,
    scripts: Object.entries(a.scripts ?? {}).map(([name, s]) => (typeof s === "string" ? { name, command: s, size: null } : { name, command: s.command, size: s.size ?? null })),
    buildpacks: (a.buildpacks ?? []).map((b) => (typeof b === "string" ? b : b.url)),
    addons: (a.addons ?? []).map((x) => (typeof x === "string" ? { plan: x, as: null, options: null } : { plan: x.plan, as: x.as ?? null, options: x.options ?? null })),
    warnings,
  };
}


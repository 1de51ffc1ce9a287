// package.json, validated just enough to plan a build: a wrong type is a
// clear error naming the field, never a crash deep in the planner.
import * as z from "../../lib/zod.js";
import YAML from "yaml";
import JSON5 from "json5";
import { readJson, readText, UserError, type BuildContext } from "../../context/fs.js";

const PackageJsonSchema = z.looseObject({
  name: z.string().optional(),
  main: z.string().optional(),
  scripts: z.record(z.string(), z.string()).optional(),
  engines: z.looseObject({ node: z.string().optional(), pnpm: z.string().optional(), yarn: z.string().optional() }).optional(),
  packageManager: z.string().optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
  workspaces: z.union([z.array(z.string()), z.looseObject({ packages: z.array(z.string()).optional() })]).optional(),
});
export type PackageJson = z.infer<typeof PackageJsonSchema>;

/** Manifest file names in pnpm's order; package.yaml and package.json5 are read by pnpm only. */
export const MANIFESTS = ["package.json", "package.yaml", "package.json5"] as const;

/** The app's manifest: package.json, else pnpm's package.yaml or package.json5. */
export async function readManifest(ctx: BuildContext): Promise<{ file: (typeof MANIFESTS)[number]; pkg: PackageJson } | undefined> {
  for (const file of MANIFESTS) {
    const pkg = await readPackageJson(ctx, file);
    if (pkg) return { file, pkg };
  }
  return undefined;
}

/** package.json (JSON), package.yaml (YAML, via `yaml`) or package.json5 (JSON5, via `json5`); syntax errors name the file and line. */
async function readRaw(ctx: BuildContext, path: string): Promise<unknown> {
  if (path.endsWith(".json")) return readJson(ctx, path);
  const text = await readText(ctx, path);
  if (text === undefined) return undefined;
  try {
    return path.endsWith(".yaml") ? YAML.parse(text) : JSON5.parse(text);
  } catch (e) {
    throw new UserError(`${path} cannot be parsed (${(e as Error).message.split("\n")[0]}); fix the syntax and build again.`, path);
  }
}

export async function readPackageJson(ctx: BuildContext, path = "package.json"): Promise<PackageJson | undefined> {
  const raw = await readRaw(ctx, path);
  if (raw === undefined) return undefined;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new UserError(`${path} must contain a JSON object ({ "name": ..., "scripts": ... }).`, path);
  }
  const res = PackageJsonSchema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    throw new UserError(`${path}: field "${issue.path.join(".")}" is invalid (${issue.message}); fix it and build again.`, path);
  }
  return res.data;
}

// package.json, validated just enough to plan a build: a wrong type is a
// clear error naming the field, never a crash deep in the planner.
import { z } from "zod";
import { readJson, UserError, type BuildContext } from "../../context/fs.js";

const PackageJsonSchema = z.looseObject({
  name: z.string().optional(),
  main: z.string().optional(),
  scripts: z.record(z.string(), z.string()).optional(),
  engines: z.looseObject({ node: z.string().optional() }).optional(),
  packageManager: z.string().optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
  workspaces: z.union([z.array(z.string()), z.looseObject({ packages: z.array(z.string()).optional() })]).optional(),
});
export type PackageJson = z.infer<typeof PackageJsonSchema>;

export async function readPackageJson(ctx: BuildContext, path = "package.json"): Promise<PackageJson | undefined> {
  const raw = await readJson(ctx, path);
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

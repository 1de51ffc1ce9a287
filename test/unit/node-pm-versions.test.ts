// Defect class 3 (package manager versions): engines.pnpm, pnpm-only manifests
// (package.yaml, package.json5), pnpm-workspace.yaml without a lockfile.
import { describe, it, expect } from "vitest";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { UserError } from "../../src/context/fs.js";
import type { BuildPlan, CopyStep } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";

const plan = async (files: Record<string, string>): Promise<BuildPlan> => (await buildPlan(new MemoryContext(files), {})).plan;
const stepNames = (p: BuildPlan) => p.stages[0]!.steps.map((s) => s.name);
const pkg = (o: object) => JSON.stringify({ name: "app", scripts: { start: "node server.js" }, ...o });

describe("engines.pnpm and pnpm projects", () => {
  it("engines.pnpm >=11 prepares pnpm 11, not the lockfile's default 9", async () => {
    const p = await plan({ "package.json": pkg({ engines: { node: ">=22", pnpm: ">=11" } }), "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" });
    expect(stepNames(p)).toContain("prepare pnpm@11.28.11 (corepack)");
  });
  it("engines.pnpm ^10 without a lockfile: pnpm, not npm", async () => {
    const p = await plan({ "package.json": pkg({ engines: { pnpm: "^10.2.0" } }) });
    expect([p.result.packageManager, stepNames(p)[0]]).toEqual(["pnpm", "prepare pnpm@10.34.9 (corepack)"]);
  });
  it("packageManager beats engines.pnpm", async () => {
    const p = await plan({ "package.json": pkg({ packageManager: "pnpm@10.4.1", engines: { pnpm: ">=10" } }), "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" });
    expect(stepNames(p)[0]).toBe("prepare pnpm@10.4.1 (corepack)");
  });
  it("an engines.pnpm no release satisfies is a UserError naming package.json", async () => {
    const e = await plan({ "package.json": pkg({ engines: { pnpm: ">=99" } }), "pnpm-lock.yaml": "" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).file).toBe("package.json");
  });
  it("pnpm-workspace.yaml without a lockfile: pnpm", async () => {
    expect((await plan({ "package.json": pkg({}), "pnpm-workspace.yaml": "packages:\n  - apps/*\n" })).result.packageManager).toBe("pnpm");
  });
  it.each([
    ["package.yaml", "name: app\nscripts:\n  start: node server.js\ndependencies:\n  ms: ^2.1.3\n"],
    ["package.json5", "{\n  // pnpm reads JSON5\n  name: 'app',\n  scripts: { start: 'node server.js', },\n}\n"],
  ])("%s is a pnpm manifest: detected, installed with pnpm, copied into the install layer", async (file, text) => {
    const p = await plan({ [file]: text, "server.js": "" });
    expect([p.result.language, p.result.packageManager, p.result.runCommand]).toEqual(["nodejs", "pnpm", "pnpm start"]);
    const manifests = p.stages[0]!.steps.find((s) => s.name === "copy package manifests") as CopyStep;
    expect(manifests.include).toContain(file);
  });
  it("a broken package.yaml is a UserError naming it", async () => {
    const e = await plan({ "package.yaml": "name: [app\n" }).catch((x: unknown) => x);
    expect((e as UserError).file).toBe("package.yaml");
  });
});

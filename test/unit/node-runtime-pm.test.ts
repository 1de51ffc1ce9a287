// Defect class 2 (package manager at run time): pnpm and Yarn apps start through
// their own package manager, which the image carries at the build's version.
import { describe, it, expect } from "vitest";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import type { BuildPlan, RunStep } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";

const plan = async (files: Record<string, string>, args: Record<string, string> = {}): Promise<BuildPlan> => (await buildPlan(new MemoryContext(files), args)).plan;
const pkg = (o: object = {}) => JSON.stringify({ name: "app", ...o });
const pmStep = (p: BuildPlan) => p.stages[0]!.steps.find((s) => s.kind === "run" && s.name.endsWith("for the runtime")) as RunStep | undefined;
const env = (p: BuildPlan) => Object.fromEntries(p.runtime.env);
const berryLock = "__metadata:\n  version: 8\n  cacheKey: 10\n";
const pnpmLock = "lockfileVersion: '9.0'\n";

describe("package manager at run time", () => {
  it("pnpm: starts with pnpm start, installs the same pnpm into the runtime's PATH", async () => {
    const p = await plan({ "package.json": pkg({ packageManager: "pnpm@10.4.1", scripts: { start: "node server.js" } }), "pnpm-lock.yaml": pnpmLock });
    expect(p.runtime.cmd).toEqual(["pnpm", "start"]);
    expect(pmStep(p)!.shell).toContain("--prefix /opt/migetpacks/pm");
    expect(pmStep(p)!.shell).toMatch(/ pnpm@10\.4\.1$/);
    expect(env(p).PATH!.startsWith("/opt/migetpacks/pm/bin:")).toBe(true);
    expect(p.runtime.copies).toContainEqual({ stage: "build", src: "/opt/migetpacks/pm", dest: "/opt/migetpacks/pm", exclude: [] });
  });

  it("Yarn classic: yarn start, yarn@1 shipped", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { start: "node server.js" } }), "yarn.lock": "# yarn lockfile v1\n" });
    expect(p.result.runCommand).toBe("yarn start");
    expect(pmStep(p)!.shell).toMatch(/ yarn@1\.22\.22$/);
  });

  it("Yarn Berry (node-modules): the CLI at the lockfile's version, and the install state the CLI reads stays", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { start: "node server.js" } }), "yarn.lock": berryLock, ".yarnrc.yml": "nodeLinker: node-modules\n" });
    expect(p.result.runCommand).toBe("yarn start");
    expect(pmStep(p)!.shell).toMatch(/ @yarnpkg\/cli-dist@4\.13\.0$/);
    expect(p.runtime.copies.at(-1)!.exclude).toContain(".yarn/cache");
    expect(p.runtime.copies[0]!.exclude).not.toContain(".yarn/install-state.gz");
  });

  it("Yarn with a committed release (yarnPath): no download at build or run time, the release runs", async () => {
    const files = { "package.json": pkg({ scripts: { start: "node server.js" } }), "yarn.lock": berryLock, ".yarnrc.yml": "nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-2.4.3.cjs\n" };
    const p = await plan(files);
    const steps = p.stages[0]!.steps as RunStep[];
    expect(steps.some((s) => s.kind === "run" && s.shell.includes("corepack"))).toBe(false);
    expect(steps[0]!.shell).toContain('exec node "/build/.yarn/releases/yarn-2.4.3.cjs"');
    expect(pmStep(p)).toBeUndefined();
    expect(p.runtime.files).toContainEqual({ path: "/opt/migetpacks/pm/bin/yarn", mode: 0o755, content: '#!/bin/sh\nexec node "/app/.yarn/releases/yarn-2.4.3.cjs" "$@"\n' });
  });

  it("npm apps keep npm start and ship nothing extra", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { start: "node server.js" } }), "package-lock.json": "{}" });
    expect(p.result.runCommand).toBe("npm start");
    expect(pmStep(p)).toBeUndefined();
    expect(env(p).PATH).toBeUndefined();
  });

  it("a Procfile or RUN_COMMAND that calls pnpm ships it; one that does not, does not", async () => {
    const base = { "package.json": pkg({ scripts: { start: "node server.js" } }), "pnpm-lock.yaml": pnpmLock };
    expect(pmStep(await plan({ ...base, Procfile: "web: pnpm run serve\n" }))).toBeDefined();
    expect(pmStep(await plan(base, { RUN_COMMAND: "node server.js" }))).toBeUndefined();
    expect(pmStep(await plan(base, { RUN_COMMAND: "node server.js", USE_DHI: "true" }))).toBeUndefined();
  });

  it("a start script that itself calls pnpm ships it even when the image runs it through RUN_COMMAND=npm start", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { start: "pnpm run serve", serve: "node server.js" } }), "pnpm-lock.yaml": pnpmLock }, { RUN_COMMAND: "npm start" });
    expect(pmStep(p)).toBeDefined();
  });
});

describe("Bun and Node.js in one app (class 1)", () => {
  it("a Node.js app whose start script calls bun: bun at engines.bun's version, in the build and on the runtime's PATH", async () => {
    const p = await plan({ "package.json": pkg({ engines: { bun: "1.2.23" }, scripts: { start: "bun server.ts" } }), "package-lock.json": "{}" });
    const step = p.stages[0]!.steps.find((s) => s.name?.startsWith("install bun@")) as RunStep;
    expect(step.shell).toMatch(/--prefix \/opt\/migetpacks\/pm .* bun@1\.2\.23$/);
    expect(Object.fromEntries(p.stages[0]!.env).PATH!.startsWith("/opt/migetpacks/pm/bin:")).toBe(true);
    expect(env(p).PATH!.startsWith("/opt/migetpacks/pm/bin:")).toBe(true);
  });
  it("a Bun app that runs node gets real Node.js (engines.node) ahead of Bun's shim; one that does not, does not", async () => {
    const p = await plan({ "package.json": pkg({ engines: { node: "22" }, scripts: { start: "node .output/server/index.mjs" } }), "bun.lock": "{}" });
    expect(p.result.language).toBe("bun");
    const step = p.stages[0]!.steps[0] as RunStep;
    expect(step.name).toMatch(/^install Node\.js 22\.\d+\.\d+ next to Bun$/);
    expect(step.shell).toContain("bun add --no-save node-linux-$(uname -m");
    expect(p.runtime.copies).toContainEqual({ stage: "build", src: "/opt/migetpacks/node/bin/node", dest: "/usr/local/bin/node", exclude: [] });
    const plain = await plan({ "package.json": pkg({ scripts: { start: "bun server.ts" } }), "bun.lock": "{}" });
    expect(plain.stages[0]!.steps.some((s) => s.name?.includes("Node.js"))).toBe(false);
  });
  it("a TanStack Start app on Bun without a start script runs Nitro's server on real Node.js", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { build: "vite build", dev: "vite dev" }, dependencies: { "@tanstack/react-start": "1" } }), "bun.lock": "{}" });
    expect(p.runtime.cmd).toEqual(["node", ".output/server/index.mjs"]);
    expect(p.runtime.copies.some((c) => c.dest === "/usr/local/bin/node")).toBe(true);
  });
});

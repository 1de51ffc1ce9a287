// Start scripts that run a devDependency's CLI must not lose it to pruning.
import { describe, it, expect } from "vitest";
import { devToolOfStart } from "../../src/providers/nodejs/dev-start.js";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";

const LOCK = JSON.stringify({ name: "app", lockfileVersion: 3, packages: {} });

describe("devToolOfStart", () => {
  it.each([
    [{ scripts: { start: "nest start" }, devDependencies: { "@nestjs/cli": "10" } }, { bin: "nest", pkg: "@nestjs/cli" }],
    [{ scripts: { start: "ts-node src/main.ts" }, devDependencies: { "ts-node": "10" } }, { bin: "ts-node", pkg: "ts-node" }],
    [{ scripts: { start: "cross-env NODE_ENV=production nodemon app.js" }, devDependencies: { nodemon: "3", "cross-env": "7" } }, { bin: "nodemon", pkg: "nodemon" }],
    [{ scripts: { start: "tsx src/server.ts" }, devDependencies: { tsx: "4" } }, { bin: "tsx", pkg: "tsx" }],
  ])("%j runs %j", (pkg, want) => expect(devToolOfStart(pkg)).toEqual(want));

  it.each([
    [{ scripts: { start: "node dist/main.js" }, devDependencies: { "@nestjs/cli": "10" } }],
    [{ scripts: { start: "next start" }, dependencies: { next: "15" } }],
    [{ scripts: { start: "tsx src/server.ts" }, dependencies: { tsx: "4" }, devDependencies: {} }],
    [{ scripts: {} }],
  ])("%j runs no dev tool", (pkg) => expect(devToolOfStart(pkg)).toBeUndefined());
});

describe("planning", () => {
  const plan = async (pkg: object) => (await buildPlan(new MemoryContext({ "package.json": JSON.stringify(pkg), "package-lock.json": LOCK }), {})).plan;
  const shells = (p: Awaited<ReturnType<typeof plan>>) => p.stages[0]!.steps.flatMap((s) => (s.kind === "run" ? [s.shell] : [])).join("\n");

  it("NestJS with start:prod runs the compiled app and prunes dev dependencies", async () => {
    const p = await plan({ scripts: { build: "nest build", start: "nest start", "start:prod": "node dist/main" }, devDependencies: { "@nestjs/cli": "10" } });
    expect(p.result.runCommand).toBe("npm run start:prod");
    expect(shells(p)).toMatch(/npm prune --omit=dev/);
    expect(p.warnings).toEqual([]);
  });

  it("a start script that needs its dev tool keeps dev dependencies, and says so", async () => {
    const p = await plan({ scripts: { start: "ts-node src/main.ts" }, devDependencies: { "ts-node": "10", typescript: "5" } });
    expect(p.result.runCommand).toBe("npm start");
    expect(shells(p)).not.toMatch(/prune/);
    expect(p.warnings.join()).toMatch(/runs ts-node from devDependencies \(ts-node\), so dev dependencies are kept/);
  });

  it("RUN_COMMAND that does not use the start script prunes as usual", async () => {
    const { plan: p } = await buildPlan(new MemoryContext({ "package.json": JSON.stringify({ scripts: { start: "nodemon app.js" }, devDependencies: { nodemon: "3" } }), "package-lock.json": LOCK }), { RUN_COMMAND: "node app.js" });
    expect(shells(p)).toMatch(/npm prune/);
  });
});

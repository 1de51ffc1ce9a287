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
    const p = await plan({ scripts: { build: "nest build", start: "nest start", "start:prod": "node dist/main" }, dependencies: { "@nestjs/core": "11" }, devDependencies: { "@nestjs/cli": "10" } });
    expect([p.result.runCommand, p.result.framework]).toEqual(["npm run start:prod", "nestjs"]);
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

describe("node loaders from devDependencies (node --import tsx, -r ts-node/register)", () => {
  it.each([
    [{ scripts: { start: "node --import tsx src/index.ts" }, devDependencies: { tsx: "4" } }, { bin: "tsx", pkg: "tsx" }],
    [{ scripts: { start: "node --import=tsx/esm src/index.ts" }, devDependencies: { tsx: "4" } }, { bin: "tsx", pkg: "tsx" }],
    [{ scripts: { start: "node -r ts-node/register src/index.ts" }, devDependencies: { "ts-node": "10" } }, { bin: "ts-node", pkg: "ts-node" }],
    [{ scripts: { start: "node --loader ts-node/esm src/index.ts" }, devDependencies: { "ts-node": "10" } }, { bin: "ts-node", pkg: "ts-node" }],
    [{ scripts: { start: "node --require @swc-node/register src/index.ts" }, devDependencies: { "@swc-node/register": "1" } }, { bin: "@swc-node/register", pkg: "@swc-node/register" }],
  ])("%j needs %j", (pkg, want) => expect(devToolOfStart(pkg)).toEqual(want));

  it.each([
    [{ scripts: { start: "node --import tsx src/index.ts" }, dependencies: { tsx: "4" } }],
    [{ scripts: { start: "node --env-file=.env dist/index.js" }, devDependencies: { dotenv: "16" } }],
    [{ scripts: { start: "node -r dotenv/config dist/index.js" }, dependencies: { dotenv: "16" } }],
    [{ scripts: { start: "node --import ./instrument.mjs dist/index.js" }, devDependencies: {} }],
  ])("%j needs none", (pkg) => expect(devToolOfStart(pkg)).toBeUndefined());

  it("`tsc` is TypeScript's bin", () => expect(devToolOfStart({ scripts: { start: "tsc --watch" }, devDependencies: { typescript: "5" } })).toEqual({ bin: "tsc", pkg: "typescript" }));
});

describe("a start script that compiles before it serves", () => {
  const plan = async (pkg: object, files: Record<string, string> = {}, args: Record<string, string> = {}) =>
    (await buildPlan(new MemoryContext({ "package.json": JSON.stringify(pkg), "package-lock.json": LOCK, ...files }), args)).plan;
  // The step after the source copy: build and/or prune.
  const buildShell = (p: Awaited<ReturnType<typeof plan>>) => p.stages[0]!.steps.flatMap((s) => (s.kind === "run" && /build|prune/.test(s.name) ? [s.shell] : [])).at(-1) ?? "";

  it("fastify-cli's TypeScript template: build:ts runs in the build, the image starts fastify on the compiled app", async () => {
    const p = await plan({
      main: "app.ts",
      scripts: { start: "npm run build:ts && fastify start -l info dist/app.js", "build:ts": "tsc", "watch:ts": "tsc -w", dev: "npm run build:ts && concurrently npm:watch:ts npm:dev:start" },
      dependencies: { fastify: "^5", "fastify-cli": "^7" },
      devDependencies: { typescript: "~5.6", concurrently: "^9" },
    });
    expect(buildShell(p)).toMatch(/^npm run build:ts && npm prune --omit=dev$/);
    expect(p.result.runCommand).toBe("fastify start -l info dist/app.js");
    expect(p.runtime.cmd).toEqual(["fastify", "start", "-l", "info", "dist/app.js"]);
    expect(p.warnings.join("\n")).toMatch(/start script compiles first \(npm run build:ts\)/);
  });

  it("`npm run build && node dist/index.js`: the build script runs once, in the build; the image runs node", async () => {
    const p = await plan({ scripts: { build: "tsc", start: "npm run build && node dist/index.js" }, devDependencies: { typescript: "5" } });
    expect(buildShell(p)).toBe("npm run build && npm prune --omit=dev");
    expect(p.result.runCommand).toBe("node dist/index.js");
  });

  it("`tsc && node dist/index.js` without a build script: tsc runs in the build through npm exec", async () => {
    const p = await plan({ scripts: { start: "tsc && node dist/index.js" }, devDependencies: { typescript: "5" } });
    expect(buildShell(p)).toBe("npm exec -- tsc && npm prune --omit=dev");
    expect(p.result.runCommand).toBe("node dist/index.js");
  });

  it("`next build && next start` beside a build script that is `next build`: built once", async () => {
    const p = await plan({ scripts: { build: "next build", start: "next build && next start" }, dependencies: { next: "15" } });
    expect(buildShell(p)).toBe("npm run build && npm prune --omit=dev");
    expect(p.result.runCommand).toBe("next start");
  });

  it("another build script than `build` runs after it; pnpm and yarn run theirs", async () => {
    const p = await plan({ scripts: { build: "vite build", "build:server": "tsc -p server", start: "npm run build:server && node server/dist/index.js" }, devDependencies: { vite: "6", typescript: "5" } });
    expect(buildShell(p)).toBe("npm run build && npm run build:server && npm prune --omit=dev");
    const pn = await plan({ scripts: { start: "pnpm build:ts && node dist/app.js", "build:ts": "tsc" }, devDependencies: { typescript: "5" }, packageManager: "pnpm@9.15.9" }, { "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" });
    expect(buildShell(pn)).toMatch(/^pnpm run build:ts && pnpm install --prod/);
    expect(pn.result.runCommand).toBe("node dist/app.js");
  });

  it.each([
    ["a migration before the server", { scripts: { migrate: "knex migrate:latest", start: "npm run migrate && node index.js" } }],
    ["a server only", { scripts: { start: "node index.js" } }],
    ["a prestart hook", { scripts: { prestart: "node check.js", "build:ts": "tsc", start: "npm run build:ts && node dist/index.js" } }],
    ["an unknown script", { scripts: { start: "npm run build:ts && node dist/index.js" } }],
  ])("left as written: %s", async (_n, pkg) => {
    const p = await plan(pkg);
    expect(p.result.runCommand).toBe("npm start");
  });

  it("Procfile web runs as written, on the compiled app; RUN_COMMAND=npm start compiles again at boot, so dev dependencies stay", async () => {
    const pkg = { scripts: { start: "npm run build:ts && node dist/index.js", "build:ts": "tsc" }, devDependencies: { typescript: "5" } };
    const p = await plan(pkg, { Procfile: "web: node dist/index.js\n" });
    expect([p.result.runCommand, buildShell(p)]).toEqual(["node dist/index.js", "npm run build:ts && npm prune --omit=dev"]);
    expect(p.warnings).toEqual([]);
    const r = await plan(pkg, {}, { RUN_COMMAND: "npm start" });
    expect([r.result.runCommand, buildShell(r)]).toEqual(["npm start", "npm run build:ts"]);
    expect(r.warnings.join("\n")).toMatch(/runs tsc from devDependencies \(typescript\), so dev dependencies are kept/);
  });
});

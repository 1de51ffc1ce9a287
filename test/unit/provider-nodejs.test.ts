import { describe, it, expect } from "vitest";
import path from "node:path";
import semver from "semver";
import table from "../../src/versions/data/node.json" with { type: "json" };
import { LocalContext } from "../../src/context/local-fs.js";
import { UserError, type BuildContext } from "../../src/context/fs.js";
import { buildPlan } from "../../src/plan/build-plan.js";
import { defaultNodeVersion } from "../../src/versions/node.js";
import type { BuildPlan, CopyStep, RunStep } from "../../src/plan/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";

const fixture = (name: string) => new LocalContext(path.resolve(__dirname, "../../fixtures", name));
const plan = async (ctx: BuildContext, args: Record<string, string> = {}) => (await buildPlan(ctx, args)).plan;
const mem = async (files: Record<string, string>, args: Record<string, string> = {}) => plan(new MemoryContext(files), args);
const pkg = (o: object = {}) => JSON.stringify({ name: "app", ...o });
const latest = (major: number) => semver.maxSatisfying(table.versions, `${major}.x`)!;
const steps = (p: BuildPlan) => p.stages[0]!.steps;
const installStep = (p: BuildPlan) => steps(p)[1] as RunStep;
const buildStep = (p: BuildPlan) => steps(p).find((s) => s.kind === "run" && s.name.includes("prune")) as RunStep | undefined;

async function userError(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(UserError);
  return e as UserError;
}

describe("node version precedence", () => {
  const all = {
    "package.json": pkg({ engines: { node: "16" } }),
    ".node-version": "20\n",
    ".nvmrc": "v22\n",
    ".tool-versions": "ruby 3.3.0\nnodejs 14.21.3\n",
  };
  const without = (...keys: string[]) => Object.fromEntries(Object.entries(all).filter(([k]) => !keys.includes(k)));
  const cases: [string, Record<string, string>, Record<string, string>, () => string, string][] = [
    ["NODE_VERSION", all, { NODE_VERSION: "18" }, () => latest(18), "build arg NODE_VERSION"],
    [".node-version", all, {}, () => latest(20), ".node-version"],
    [".nvmrc", without(".node-version"), {}, () => latest(22), ".nvmrc"],
    ["engines.node", without(".node-version", ".nvmrc"), {}, () => latest(16), "package.json engines.node"],
    [".tool-versions", { ...without(".node-version", ".nvmrc"), "package.json": pkg() }, {}, () => "14.21.3", ".tool-versions"],
    ["default", { "package.json": pkg() }, {}, defaultNodeVersion, "default"],
  ];
  it.each(cases)("%s", async (_n, files, args, version, source) => {
    const p = await mem(files, args);
    expect([p.result.version, p.result.versionSource]).toEqual([version(), source]);
    expect(p.stages[0]!.image).toBe(`node:${version()}`);
    expect(p.runtime.image).toBe(`node:${version()}-slim`);
  });
  it("fixture node-npm: .nvmrc (20) beats engines.node (22)", async () => {
    expect((await plan(fixture("node-npm"))).result).toMatchObject({ version: latest(20), versionSource: ".nvmrc" });
  });
  it.each([
    [{ "package.json": pkg({ engines: { node: "banana" } }) }, "package.json"],
    [{ "package.json": pkg(), ".nvmrc": "lts/nope\n" }, ".nvmrc"],
  ] as [Record<string, string>, string][])("bad version → UserError naming the file (%#)", async (files, file) => {
    const e = await userError(mem(files));
    expect(e.file).toBe(file);
    expect(e.message).toContain(file);
  });
});

describe("package.json problems", () => {
  it("invalid JSON → one-line UserError naming package.json", async () => {
    const e = await userError(mem({ "package.json": '{ "name": "x", }' }));
    expect(e.file).toBe("package.json");
    expect(e.message).toMatch(/^package\.json is not valid JSON/);
    expect(e.message).not.toContain("\n");
  });
  it.each(["[1, 2]", "null", '"text"'])("%s → UserError asking for an object", async (text) => {
    const e = await userError(mem({ "package.json": text }));
    expect(e.message).toContain("package.json must contain a JSON object");
  });
  it("wrong field type → UserError naming the field", async () => {
    const e = await userError(mem({ "package.json": pkg({ scripts: { start: 1 } }) }));
    expect(e.message).toContain('"scripts.start"');
  });
});

describe("package manager", () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ["npm + lockfile", { "package-lock.json": "{}" }, "npm", "npm ci --include=dev"],
    ["npm shrinkwrap", { "npm-shrinkwrap.json": "{}" }, "npm", "npm ci --include=dev"],
    ["npm without lockfile", {}, "npm", "npm install --include=dev"],
    ["yarn.lock", { "yarn.lock": "" }, "yarn", "corepack enable && yarn install --frozen-lockfile --production=false"],
    ["pnpm-lock.yaml", { "pnpm-lock.yaml": "" }, "pnpm", "corepack enable && pnpm install --frozen-lockfile --prod=false"],
    ["pnpm > yarn > npm", { "pnpm-lock.yaml": "", "yarn.lock": "", "package-lock.json": "{}" }, "pnpm", "corepack enable && pnpm install --frozen-lockfile --prod=false"],
    ["yarn > npm", { "yarn.lock": "", "package-lock.json": "{}" }, "yarn", "corepack enable && yarn install --frozen-lockfile --production=false"],
    ["yarn berry via .yarnrc.yml", { "yarn.lock": "", ".yarnrc.yml": "nodeLinker: node-modules\n" }, "yarn", "corepack enable && yarn install --immutable"],
    ["packageManager pnpm", { "package.json": pkg({ packageManager: "pnpm@9.1.0" }) }, "pnpm", "corepack enable && pnpm install --prod=false"],
    ["packageManager yarn 1", { "package.json": pkg({ packageManager: "yarn@1.22.19" }) }, "yarn", "corepack enable && yarn install --production=false"],
    ["packageManager yarn 4", { "package.json": pkg({ packageManager: "yarn@4.1.0" }) }, "yarn", "corepack enable && yarn install"],
    ["lockfile beats packageManager", { "package.json": pkg({ packageManager: "yarn@4.1.0" }), "package-lock.json": "{}" }, "npm", "npm ci --include=dev"],
  ];
  it.each(cases)("%s", async (_n, files, pm, install) => {
    const p = await mem({ "package.json": pkg(), ...files });
    expect(p.result.packageManager).toBe(pm);
    expect(installStep(p).shell).toBe(install);
  });

  it("install copies only manifest + lockfile + config, before the source copy", async () => {
    const p = await mem({ "package.json": pkg(), "package-lock.json": "{}", ".npmrc": "x", "server.js": "", "src/a.js": "", "yarn.lock.bak": "" });
    const [manifests, install, source] = steps(p) as [CopyStep, RunStep, CopyStep];
    expect(manifests).toMatchObject({ kind: "copy", from: "context", paths: ["package.json", "package-lock.json", ".npmrc"], dest: "/build" });
    expect(install.kind).toBe("run");
    expect(source).toMatchObject({ kind: "copy", from: "context", paths: ["."] });
  });
});

describe("build step", () => {
  it.each([
    ["heroku-postbuild preferred over build", { build: "b", "heroku-postbuild": "h" }, {}, "npm run heroku-postbuild && npm prune --omit=dev"],
    ["build script", { build: "b" }, {}, "npm run build && npm prune --omit=dev"],
    ["no build script: prune only", {}, {}, "npm prune --omit=dev"],
    ["BUILD_COMMAND overrides scripts", { build: "b" }, { BUILD_COMMAND: "make assets" }, "make assets && npm prune --omit=dev"],
  ] as [string, Record<string, string>, Record<string, string>, string][])("%s", async (_n, scripts, args, shell) => {
    const p = await mem({ "package.json": pkg({ scripts }), "package-lock.json": "{}" }, args);
    expect(buildStep(p)?.shell).toBe(shell);
    expect(steps(p).at(-1)).toBe(buildStep(p)); // after the source copy
  });
  it("pnpm builds with pnpm run", async () => {
    const p = await mem({ "package.json": pkg({ scripts: { build: "b" } }), "pnpm-lock.yaml": "" });
    expect(buildStep(p)?.shell).toBe("pnpm run build && pnpm prune --prod");
  });
});

describe("start command", () => {
  it.each([
    ["start script", { "package.json": pkg({ scripts: { start: "node x.js" }, main: "m.js" }), "server.js": "" }, "npm start", ["npm", "start"]],
    ["main", { "package.json": pkg({ main: "lib/app.js" }), "server.js": "" }, "node lib/app.js", ["node", "lib/app.js"]],
    ["server.js fallback", { "package.json": pkg(), "server.js": "", "index.js": "" }, "node server.js", ["node", "server.js"]],
    ["index.js fallback", { "package.json": pkg(), "index.js": "" }, "node index.js", ["node", "index.js"]],
  ] as [string, Record<string, string>, string, string[]][])("%s", async (_n, files, command, cmd) => {
    const p = await mem(files);
    expect(p.result.runCommand).toBe(command);
    expect(p.runtime.cmd).toEqual(cmd);
    expect(p.warnings).toEqual([]);
  });
  it("nothing to start → node index.js with a warning", async () => {
    const p = await mem({ "package.json": pkg() });
    expect(p.result.runCommand).toBe("node index.js");
    expect(p.warnings.join("\n")).toContain("start");
  });
  it("Procfile web with $PORT runs under sh -c; release and workers recorded", async () => {
    const p = await plan(fixture("node-procfile"));
    expect(p.result.runCommand).toBe("node web.js $PORT");
    expect(p.runtime.cmd).toEqual(["/bin/sh", "-c", "node web.js $PORT"]);
    expect(p.result.processes).toEqual({ web: "node web.js $PORT", release: "node migrate.js", workers: [{ name: "worker", command: "node worker.js" }] });
  });
  it("RUN_COMMAND beats Procfile", async () => {
    expect((await plan(fixture("node-procfile"), { RUN_COMMAND: "node worker.js" })).runtime.cmd).toEqual(["node", "worker.js"]);
  });
});

describe("node runtime", () => {
  it("slim image, /app, user 1000, tests and .git excluded", async () => {
    const p = await plan(fixture("node-npm"));
    expect(p.runtime).toMatchObject({ image: `node:${p.result.version}-slim`, user: "1000:1000", workdir: "/app", port: 5000 });
    expect(p.runtime.env).toEqual([["NODE_ENV", "production"], ["PORT", "5000"]]);
    const copy = p.runtime.copies[0]!;
    expect(copy).toMatchObject({ stage: "build", src: "/build", dest: "/app" });
    for (const x of ["test", "tests", ".git", "coverage"]) expect(copy.exclude).toContain(x);
  });
});

import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { RecordingContext } from "../../src/context/recording.js";
import { UserError, type BuildContext } from "../../src/context/fs.js";
import { detect } from "../../src/detect/detect.js";
import { detectionReads } from "../../src/detect/registry.js";
import { isDeclaredRead } from "../../src/detect/follow-up.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { bunProvider, bunDhiCommand, bunFromPackageManager } from "../../src/providers/bun/index.js";
import { defaultBunVersion, BUN_TABLE } from "../../src/providers/bun/versions.js";
import { newestMatching } from "../../src/versions/table.js";
import type { BuildPlan, CopyStep, RunStep } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";
import { userError } from "../helpers/user-error.js";

const fixture = (name: string) => new LocalContext(path.resolve(__dirname, "../../fixtures", name));
const plan = async (ctx: BuildContext, args: Record<string, string> = {}) => (await buildPlan(ctx, args)).plan;
const mem = async (files: Record<string, string>, args: Record<string, string> = {}) => plan(new MemoryContext(files), args);
const lang = async (files: Record<string, string>) => (await detect(new MemoryContext(files), {})).summary.language;
const pkg = (o: object = {}) => JSON.stringify({ name: "app", ...o });
const steps = (p: BuildPlan) => p.stages[0]!.steps;
const run = (p: BuildPlan, name: string) => steps(p).find((s) => s.kind === "run" && s.name.includes(name)) as RunStep | undefined;
const latest = (range: string) => newestMatching(BUN_TABLE, range)!;


describe("bun detection and precedence", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["bun.lock + package.json", { "bun.lock": "{}", "package.json": pkg() }, "bun"],
    ["bun.lockb + package.json", { "bun.lockb": "\0", "package.json": pkg() }, "bun"],
    ["bunfig.toml alone", { "bunfig.toml": "[install]\n", "index.ts": "" }, "bun"],
    [".bun-version alone", { ".bun-version": "1.2\n", "index.ts": "" }, "bun"],
    ["packageManager bun@", { "package.json": pkg({ packageManager: "bun@1.2.0" }) }, "bun"],
    ["devDependencies @types/bun", { "package.json": pkg({ devDependencies: { "@types/bun": "latest" } }) }, "bun"],
    ["devDependencies bun-types", { "package.json": pkg({ devDependencies: { "bun-types": "^1" } }) }, "bun"],
    ["bun.lock beats package-lock.json", { "bun.lock": "{}", "package-lock.json": "{}", "package.json": pkg() }, "bun"],
    ["package.json alone → nodejs", { "package.json": pkg() }, "nodejs"],
    ["packageManager pnpm → nodejs", { "package.json": pkg({ packageManager: "pnpm@9.1.0" }) }, "nodejs"],
    ["a dependency merely named like bun → nodejs", { "package.json": pkg({ dependencies: { "bun-plugin-x": "1" } }) }, "nodejs"],
    ["deno.json + bun.lock + package.json → deno", { "deno.json": "{}", "bun.lock": "{}", "package.json": pkg() }, "deno"],
    ["go.mod + bun.lock → go", { "go.mod": "module example.com/app\ngo 1.22\n", "bun.lock": "{}" }, "go"],
  ];
  it.each(cases)("%s", async (_n, files, id) => expect(await lang(files)).toBe(id));

  it("Gemfile + bun.lock → Ruby (backend languages first)", async () => {
    expect((await detect(new MemoryContext({ Gemfile: "", "bun.lock": "{}", "package.json": pkg() }), {})).summary.language).toBe("ruby");
  });
  it("a broken package.json without bun markers is reported by Node.js, not swallowed", async () => {
    const e = await userError(mem({ "package.json": "{ nope" }));
    expect(e.file).toBe("package.json");
    expect((await detect(new MemoryContext({ "package.json": pkg() }), {})).summary.language).toBe("nodejs");
  });
  it("a broken package.json next to bun.lock → UserError naming package.json", async () => {
    const e = await userError(mem({ "bun.lock": "{}", "package.json": "{ nope" }));
    expect(e.file).toBe("package.json");
  });
  it("LANGUAGE=bun forces Bun", async () => {
    expect((await mem({ "package.json": pkg() }, { LANGUAGE: "bun" })).result.language).toBe("bun");
  });
});

describe("bun version", () => {
  const all = {
    "package.json": pkg({ packageManager: "bun@1.1.30", engines: { bun: "1.0" } }),
    "bun.lock": "{}",
    ".bun-version": "1.2\n",
  };
  const cases: [string, Record<string, string>, Record<string, string>, () => string, string][] = [
    ["BUN_VERSION", all, { BUN_VERSION: "1.1.0" }, () => "1.1.0", "build arg BUN_VERSION"],
    [".bun-version", all, {}, () => latest("1.2.x"), ".bun-version"],
    ["packageManager", { ...all, ".bun-version": "" }, {}, () => "1.1.30", "package.json packageManager"],
    ["engines.bun", { "bun.lock": "{}", "package.json": pkg({ engines: { bun: ">=1.0 <1.1" } }) }, {}, () => latest("1.0.x"), "package.json engines.bun"],
    ["default", { "bun.lock": "{}", "package.json": pkg() }, {}, defaultBunVersion, "default"],
    ["packageManager with corepack hash", { "package.json": pkg({ packageManager: "bun@1.1.30+sha512.abc" }) }, {}, () => "1.1.30", "package.json packageManager"],
  ];
  it.each(cases)("%s", async (_n, files, args, version, source) => {
    const p = await mem(files, args);
    expect([p.result.version, p.result.versionSource]).toEqual([version(), source]);
    expect(p.stages[0]!.image).toBe(`oven/bun:${version()}`);
    expect(p.runtime.image).toBe(`oven/bun:${version()}-slim`);
  });
  it.each([
    [{ ".bun-version": "banana\n", "bun.lock": "{}", "package.json": pkg() }, {}, ".bun-version"],
    [{ "package.json": pkg({ packageManager: "bun@0.0.3" }) }, {}, "package.json"],
    [{ "bun.lock": "{}", "package.json": pkg({ engines: { bun: "^7" } }) }, {}, "package.json"],
  ] as [Record<string, string>, Record<string, string>, string][])("bad version → UserError naming the file (%#)", async (files, args, file) => {
    const e = await userError(mem(files, args));
    expect(e.file).toBe(file);
    expect(e.message).toContain(file);
    expect(e.message).toContain("Bun");
  });
  it("bad BUN_VERSION → UserError naming the build arg", async () => {
    const e = await userError(mem({ "bun.lock": "{}", "package.json": pkg() }, { BUN_VERSION: "nope" }));
    expect(e.message).toContain("BUN_VERSION");
    expect(e.file).toBeUndefined();
  });
  it("engines.bun of the wrong type → UserError naming the field", async () => {
    const e = await userError(mem({ "bun.lock": "{}", "package.json": pkg({ engines: { bun: 1 } }) }));
    expect(e.message).toContain('"engines.bun"');
  });
  it.each([
    ["bun@1.2.3", "1.2.3"],
    [" bun@1.2.3+sha256.ff", "1.2.3"],
    ["pnpm@9.0.0", undefined],
    ["bun", undefined],
    [undefined, undefined],
  ] as [string | undefined, string | undefined][])("bunFromPackageManager(%j) → %j", (field, v) => expect(bunFromPackageManager(field)).toBe(v));
});

describe("bun install, build, prune", () => {
  const deps = { dependencies: { hono: "4.0.0" }, devDependencies: { typescript: "5.0.0" } };
  it("manifests, lockfile and config are copied before install, source after", async () => {
    const p = await mem({ "package.json": pkg(deps), "bun.lock": "{}", "bun.lockb": "x", "bunfig.toml": "", ".npmrc": "", "index.ts": "" });
    const [manifests, install] = steps(p) as [CopyStep, RunStep];
    const source = steps(p).find((s) => s.name === "copy source") as CopyStep;
    expect(manifests).toMatchObject({ kind: "copy", paths: ["package.json", "bun.lock", "bun.lockb", "bunfig.toml", ".npmrc"], dest: "/build" });
    expect(install).toMatchObject({ kind: "run", shell: "bun install --frozen-lockfile", caches: ["bun"] });
    expect(source).toMatchObject({ kind: "copy", paths: ["."] });
    expect(p.caches.bun).toEqual({ id: "bun-install", target: "/root/.bun/install/cache", sharing: "shared" });
    expect(p.stages[0]!.env).toContainEqual(["BUN_INSTALL_CACHE_DIR", "/root/.bun/install/cache"]);
  });
  it.each([
    ["lockfile + deps → frozen", { "bun.lock": "{}" }, deps, "bun install --frozen-lockfile"],
    ["bun.lockb + deps → frozen", { "bun.lockb": "x" }, deps, "bun install --frozen-lockfile"],
    ["no lockfile (bunfig.toml marks bun) → plain install", { "bunfig.toml": "" }, deps, "bun install"],
    // bun deletes a lockfile with nothing in it and calls that a change: frozen would always fail.
    ["lockfile without any dependency → plain install", { "bun.lock": "{}" }, {}, "bun install"],
  ] as [string, Record<string, string>, object, string][])("%s", async (_n, files, manifest, shell) => {
    const p = await mem({ "package.json": pkg(manifest), ...files });
    expect(run(p, "install")?.shell).toBe(shell);
  });
  it.each([
    ["build script + dev deps", { scripts: { build: "bun build.ts" }, ...deps }, {}, "bun run build && rm -rf node_modules && bun install --production --frozen-lockfile"],
    ["build script, no dev deps: no prune", { scripts: { build: "b" } }, {}, "bun run build"],
    ["BUILD_COMMAND overrides scripts", { scripts: { build: "b" }, ...deps }, { BUILD_COMMAND: "make" }, "make && rm -rf node_modules && bun install --production --frozen-lockfile"],
  ] as [string, object, Record<string, string>, string][])("%s", async (_n, manifest, args, shell) => {
    const p = await mem({ "package.json": pkg(manifest), "bun.lock": "{}" }, args);
    const last = steps(p).at(-1) as RunStep;
    expect(last.shell).toBe(shell);
    expect(last.env).toEqual([["NODE_ENV", "production"]]);
  });
  it("dev deps, nothing to build: the prune runs before the source copy (a source change re-runs nothing)", async () => {
    const p = await mem({ "package.json": pkg(deps), "bun.lock": "{}" });
    expect(steps(p).map((s) => s.name)).toEqual(["copy package manifests", "install dependencies (bun)", "prune dev dependencies", "copy source"]);
    expect(run(p, "prune")?.shell).toBe("rm -rf node_modules && bun install --production --frozen-lockfile");
  });
  it("nothing to build or prune → no build step", async () => {
    const p = await mem({ "package.json": pkg(), "bun.lock": "{}" });
    expect(steps(p).at(-1)).toMatchObject({ kind: "copy", name: "copy source" });
  });
  it("workspaces install from the whole source", async () => {
    const p = await mem({ "package.json": pkg({ workspaces: ["packages/*"] }), "bun.lock": "{}", "packages/a/package.json": pkg() });
    expect(steps(p).map((s) => s.name)).toEqual(["copy source", "install dependencies (bun)"]);
    expect(run(p, "install")?.shell).toBe("bun install --frozen-lockfile");
  });
  it("patchedDependencies install from the whole source (bun needs the patch files)", async () => {
    const p = await mem({ "package.json": pkg({ patchedDependencies: { "a@1.0.0": "patches/a@1.0.0.patch" }, ...deps }), "bun.lock": "{}" });
    expect(steps(p).map((s) => s.name).slice(0, 2)).toEqual(["copy source", "install dependencies (bun)"]);
  });
  it("the source copy never brings a local node_modules", async () => {
    const p = await mem({ "package.json": pkg(), "bun.lock": "{}" });
    expect(steps(p).find((s) => s.name === "copy source")).toMatchObject({ exclude: ["node_modules", "**/node_modules"] });
  });
  it("no package.json (bunfig.toml app): no install step", async () => {
    const p = await mem({ "bunfig.toml": "", "server.ts": "" });
    expect(steps(p).map((s) => s.name)).toEqual(["copy source"]);
    expect(p.result.runCommand).toBe("bun server.ts");
  });
});

describe("bun start command", () => {
  it.each([
    ["start script", { "package.json": pkg({ scripts: { start: "bun x.ts" }, main: "m.ts" }), "index.ts": "" }, "bun run start", ["bun", "run", "start"]],
    ["main", { "package.json": pkg({ main: "lib/app.ts", module: "mod.ts" }), "lib/app.ts": "", "mod.ts": "", "index.ts": "" }, "bun lib/app.ts", ["bun", "lib/app.ts"]],
    ["module", { "package.json": pkg({ module: "src/mod.ts" }), "src/mod.ts": "", "index.ts": "" }, "bun src/mod.ts", ["bun", "src/mod.ts"]],
    // bun create elysia: "module": "src/index.js", the source is src/index.ts (and there is no start script).
    ["module's TypeScript twin", { "package.json": pkg({ module: "src/index.js", scripts: { dev: "bun run --watch src/index.ts" } }), "src/index.ts": "" }, "bun src/index.ts", ["bun", "src/index.ts"]],
    ["main the build writes", { "package.json": pkg({ main: "dist/server.js", scripts: { build: "bun build src/server.ts --outdir dist --target bun" } }), "src/server.ts": "" }, "bun dist/server.js", ["bun", "dist/server.js"]],
    ["index.ts", { "package.json": pkg(), "index.ts": "", "server.ts": "" }, "bun index.ts", ["bun", "index.ts"]],
    ["server.ts before index.js", { "package.json": pkg(), "server.ts": "", "index.js": "" }, "bun server.ts", ["bun", "server.ts"]],
    ["src/index.ts", { "package.json": pkg(), "src/index.ts": "" }, "bun src/index.ts", ["bun", "src/index.ts"]],
    ["server.js", { "package.json": pkg(), "server.js": "" }, "bun server.js", ["bun", "server.js"]],
  ] as [string, Record<string, string>, string, string[]][])("%s", async (_n, files, command, cmd) => {
    const p = await mem({ "bun.lock": "{}", ...files });
    expect(p.result.runCommand).toBe(command);
    expect(p.runtime.cmd).toEqual(cmd);
    expect(p.warnings).toEqual([]);
  });
  it("a main that no file and no build provides: the entry file that exists, with a warning", async () => {
    const p = await mem({ "bun.lock": "{}", "package.json": pkg({ main: "index.js" }), "server.ts": "" });
    expect(p.result.runCommand).toBe("bun server.ts");
    expect(p.warnings.join("\n")).toMatch(/package.json "main" names index.js, which does not exist/);
  });
  it("nothing to start → bun index.ts with a warning", async () => {
    const p = await mem({ "bun.lock": "{}", "package.json": pkg() });
    expect(p.result.runCommand).toBe("bun index.ts");
    expect(p.warnings.join("\n")).toMatch(/start script/);
  });
  it("RUN_COMMAND beats Procfile beats start script", async () => {
    const files = { "bun.lock": "{}", "package.json": pkg({ scripts: { start: "x" } }), Procfile: "web: bun web.ts --port $PORT\nworker: bun worker.ts\n" };
    const p = await mem(files);
    expect(p.runtime.cmd).toEqual(["/bin/sh", "-c", "bun web.ts --port $PORT"]);
    expect(p.result.processes.workers).toEqual([{ name: "worker", command: "bun worker.ts" }]);
    expect((await mem(files, { RUN_COMMAND: "bun other.ts" })).runtime.cmd).toEqual(["bun", "other.ts"]);
  });
});

describe("bun: frameworks follow the Node.js rules", () => {
  it("VitePress with bun.lock: its docs:build script runs, <dir>/.vitepress/dist is served", async () => {
    const p = await mem({ "bun.lock": "{}", "package.json": pkg({ devDependencies: { vitepress: "1.6.3" }, scripts: { "docs:dev": "vitepress dev docs", "docs:build": "vitepress build docs" } }) });
    expect(run(p, "build")?.shell).toBe("bun run docs:build");
    expect([p.runtime.cmd, p.runtime.copies[0]!.src]).toEqual([["bun", "/opt/migetpacks/serve-static.cjs", "/app"], "/build/docs/.vitepress/dist"]);
  });
  it("React Router 7 in SPA mode with bun.lock: build/client is served, not react-router-serve", async () => {
    const p = await mem({ "bun.lock": "{}", "package.json": pkg({ scripts: { build: "react-router build", start: "react-router-serve ./build/server/index.js" }, dependencies: { "@react-router/serve": "7" }, devDependencies: { "@react-router/dev": "7" } }), "react-router.config.ts": "export default { ssr: false };\n" });
    expect(p.runtime.copies[0]!.src).toBe("/build/build/client");
  });
});

describe("a member of a Bun workspace (PROJECT_PATH): installed and built at the root with bun.lock", () => {
  // create-better-t-stack's shape: Bun workspaces, Turborepo, a Hono server in apps/server, a Vite app in apps/web.
  const mono = (root: object = {}, server: object = {}) => ({
    "package.json": pkg({ name: "my-app", private: true, workspaces: ["apps/*", "packages/*"], scripts: { dev: "turbo dev", build: "turbo build" }, devDependencies: { turbo: "^2.5.4" }, packageManager: "bun@1.2.19", ...root }),
    "bun.lock": "{}",
    "turbo.json": "{}",
    "apps/server/package.json": pkg({ name: "server", main: "src/index.ts", type: "module", scripts: { build: "tsdown", dev: "bun run --hot src/index.ts", start: "bun run dist/index.js" }, dependencies: { hono: "^4.8.2", "@my-app/db": "workspace:*" }, devDependencies: { tsdown: "^0.14", "@types/bun": "^1.2.6" }, ...server }),
    "apps/server/src/index.ts": "",
    "apps/web/package.json": pkg({ name: "web", scripts: { build: "vite build" }, devDependencies: { vite: "6" } }),
    "packages/db/package.json": pkg({ name: "@my-app/db", main: "src/index.ts" }),
  });
  it("bun at the root, the member built with the repo's turbo, started in its folder", async () => {
    const p = await mem(mono(), { PROJECT_PATH: "apps/server" });
    expect([p.result.language, p.projectPath]).toEqual(["bun", ""]);
    expect(run(p, "install")?.shell).toBe("bun install --frozen-lockfile");
    expect((steps(p).at(-1) as RunStep).shell).toBe("TURBO_TELEMETRY_DISABLED=1 bun x turbo run build --filter=server... --env-mode=loose && rm -rf node_modules && bun install --production --frozen-lockfile");
    expect(p.runtime).toMatchObject({ workdir: "/app/apps/server", cmd: ["bun", "run", "start"] });
  });
  it("without turbo: the member's build script in its folder; without a start script, its main", async () => {
    const files = mono({ scripts: {}, devDependencies: {}, packageManager: undefined }, { scripts: { build: "tsdown" } });
    const p = await mem(files, { PROJECT_PATH: "apps/server" });
    expect((steps(p).at(-1) as RunStep).shell).toBe("cd apps/server && bun run build && rm -rf node_modules && bun install --production --frozen-lockfile");
    expect(p.runtime.cmd).toEqual(["bun", "src/index.ts"]);
  });
  it("a member that does not look like Bun (no @types/bun) is still a Bun workspace's", async () => {
    const files = mono({}, { devDependencies: { tsdown: "^0.14" } });
    expect((await mem(files, { PROJECT_PATH: "apps/server" })).result.language).toBe("bun");
  });
  it("a Bun-typed member of an npm workspace is built by Node.js at the root", async () => {
    const files: Record<string, string> = { ...mono({ packageManager: "npm@10.9.2" }), "package-lock.json": "{}" };
    delete files["bun.lock"];
    const p = await mem(files, { PROJECT_PATH: "apps/server" });
    expect([p.result.language, p.runtime.workdir]).toEqual(["nodejs", "/app/apps/server"]);
  });
});

describe("bun under USE_DHI (no shell in the runtime)", () => {
  const scripts = { start: "bun server.ts", serve: "bun run start --port 8080", build: "bun build.ts" };
  it.each([
    ["bun run start", "bun server.ts"],
    ["bun start", "bun server.ts"],
    ["bun run serve", "bun server.ts --port 8080"],
    ["bun run missing", "bun run missing"],
    ["bun server.ts", "bun server.ts"],
  ])("%j → %j", (cmd, out) => expect(bunDhiCommand(scripts, cmd)).toBe(out));
  it("plan: hardened images, exec-form command from the start script", async () => {
    const p = await plan(fixture("bun-basic"), { USE_DHI: "true" });
    expect(p.runtime.image).toMatch(/^dhi\.io\/bun:/);
    expect(p.runtime.cmd).toEqual(["bun", "server.ts"]);
    expect(p.runtime.shell).toBe(false);
  });
});

describe("bun runtime", () => {
  it("Prisma on Bun: OpenSSL in the slim runtime (its engines link libssl)", async () => {
    const p = await mem({ "bun.lock": "{}", "package.json": pkg({ scripts: { start: "bun src/index.ts" }, dependencies: { elysia: "1", "@prisma/client": "6" }, devDependencies: { prisma: "6" } }) });
    expect(p.runtime.packages).toEqual(["openssl"]);
    expect((await mem({ "bun.lock": "{}", "package.json": pkg({ dependencies: { hono: "4" } }), "index.ts": "" })).runtime.packages).toEqual([]);
  });
  it("slim image, /app, uid 1000, PORT, tests excluded", async () => {
    const p = await plan(fixture("bun-basic"), { PORT: "8080" });
    expect(p.runtime).toMatchObject({ image: `oven/bun:${p.result.version}-slim`, user: "1000:1000", workdir: "/app", port: 8080 });
    expect(p.runtime.env).toEqual([["NODE_ENV", "production"], ["PORT", "8080"], ["HOST", "0.0.0.0"]]);
    // node_modules in its own layer (reused after a source-only change), then the app without it.
    expect(p.runtime.copies[0]).toMatchObject({ stage: "build", src: "/build/node_module[s]", dest: "/app/node_modules" });
    expect(p.runtime.copies[1]).toMatchObject({ stage: "build", src: "/build", dest: "/app" });
    for (const x of ["test", ".git", "coverage", "node_modules"]) expect(p.runtime.copies[1]!.exclude).toContain(x);
  });
  it("fixture bun-deps: version from packageManager, starts package.json module, frozen install", async () => {
    const p = await plan(fixture("bun-deps"));
    expect(p.result).toMatchObject({ language: "bun", version: "1.2.23", versionSource: "package.json packageManager", runCommand: "bun app.ts" });
    expect(run(p, "install")?.shell).toBe("bun install --frozen-lockfile");
  });
});

describe("bun reads only declared paths", () => {
  const declared = detectionReads();
  it.each([
    ["every bun file", { "package.json": pkg({ main: "x.ts" }), "bun.lock": "{}", "bun.lockb": "", "bunfig.toml": "", ".bun-version": "1.2", ".npmrc": "", "index.ts": "", "src/server.ts": "", Procfile: "web: x" }],
    ["marker only", { "bunfig.toml": "" }],
    ["packageManager only", { "package.json": pkg({ packageManager: "bun@1.2.0" }) }],
  ] as [string, Record<string, string>][])("%s", async (_n, files) => {
    const rec = new RecordingContext(new MemoryContext(files));
    await buildPlan(rec, {});
    expect([...rec.paths].filter((p) => !isDeclaredRead(p, declared))).toEqual([]);
  });
  it("main and module, and their TypeScript twins, are read in the second pass (followUp)", async () => {
    const files = { "package.json": pkg({ main: "./dist/app.js", module: "src/index.js" }), "bun.lock": "{}", "src/index.ts": "" };
    const follow = await bunProvider.followUp!(new MemoryContext(files), {});
    expect(follow).toEqual(expect.arrayContaining(["dist/app.js", "dist/app.ts", "src/index.js", "src/index.ts", "src/index.tsx"]));
    const rec = new RecordingContext(new MemoryContext(files));
    await buildPlan(rec, {});
    expect([...rec.paths].filter((p) => !isDeclaredRead(p, [...declared, ...follow]))).toEqual([]);
  });
  it("every entry candidate and marker is declared", () => {
    for (const f of ["bun.lock", "bun.lockb", "bunfig.toml", ".bun-version", "package.json", "index.ts", "src/server.ts"]) expect(bunProvider.reads).toContain(f);
  });
});

import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { RecordingContext } from "../../src/context/recording.js";
import { UserError, type BuildContext } from "../../src/context/fs.js";
import { detect } from "../../src/detect/detect.js";
import { detectionReads } from "../../src/detect/registry.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { denoProvider, moduleInCommand } from "../../src/providers/deno/index.js";
import { defaultDenoVersion, DENO_TABLE } from "../../src/providers/deno/versions.js";
import { newestMatching } from "../../src/versions/table.js";
import type { BuildPlan, RunStep } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";
import { userError } from "../helpers/user-error.js";

const fixture = (name: string) => new LocalContext(path.resolve(__dirname, "../../fixtures", name));
const plan = async (ctx: BuildContext, args: Record<string, string> = {}) => (await buildPlan(ctx, args)).plan;
const mem = async (files: Record<string, string>, args: Record<string, string> = {}) => plan(new MemoryContext(files), args);
const lang = async (files: Record<string, string>) => (await detect(new MemoryContext(files), {})).summary.language;
const steps = (p: BuildPlan) => p.stages[0]!.steps;
const names = (p: BuildPlan) => steps(p).map((s) => s.name);
const run = (p: BuildPlan, name: string) => steps(p).find((s) => s.kind === "run" && s.name.includes(name)) as RunStep | undefined;
const latest = (range: string) => newestMatching(DENO_TABLE, range)!;
const RUN = "deno run --allow-net --allow-env --allow-read";


describe("deno detection (first of all languages)", () => {
  const cases: [string, Record<string, string>][] = [
    ["deno.json + package.json", { "deno.json": "{}", "package.json": '{"name":"x"}' }],
    ["deno.jsonc + Gemfile", { "deno.jsonc": "// c\n{}", Gemfile: "" }],
    ["deno.lock + go.mod", { "deno.lock": "{}", "go.mod": "module x\ngo 1.22\n" }],
    ["deno.json + bun.lock", { "deno.json": "{}", "bun.lock": "{}" }],
    ["deno.json + requirements.txt", { "deno.json": "{}", "requirements.txt": "" }],
  ];
  it.each(cases)("%s → deno", async (_n, files) => expect(await lang(files)).toBe("deno"));
  it("a deno.json directory does not count", async () => expect(await lang({ "deno.json/x": "", "package.json": "{}" })).toBe("nodejs"));
});

describe("deno.json / deno.jsonc", () => {
  it("JSONC: comments and trailing commas parse; tasks.start → deno task start", async () => {
    const p = await mem({ "deno.jsonc": '// app\n{\n  /* tasks */\n  "tasks": { "start": "deno run -A main.ts", },\n}\n', "main.ts": "" });
    expect(p.result.runCommand).toBe("deno task start");
    expect(p.runtime.cmd).toEqual(["deno", "task", "start"]);
  });
  it("deno.json may hold comments too (Deno parses it as JSONC)", async () => {
    const p = await mem({ "deno.json": '{ // c\n "tasks": { "start": "deno run -A x.ts" } }', "x.ts": "" });
    expect(p.result.runCommand).toBe("deno task start");
  });
  it("object-form task ({ command, description })", async () => {
    const p = await mem({ "deno.json": JSON.stringify({ tasks: { start: { command: "deno run -A srv.ts", description: "serve" } } }) });
    expect(p.result.runCommand).toBe("deno task start");
    expect(run(p, "cache")?.shell).toBe("if [ -f srv.ts ]; then deno cache srv.ts; fi");
  });
  it("deno.json wins over deno.jsonc (Deno's own order)", async () => {
    const p = await mem({ "deno.json": "{}", "deno.jsonc": '{ "tasks": { "start": "x" } }', "main.ts": "" });
    expect(p.result.runCommand).toBe(`${RUN} main.ts`);
    expect(steps(p)[0]).toMatchObject({ kind: "copy", paths: ["deno.json"] });
  });
  it.each([
    ["deno.jsonc", '{\n  "tasks": {\n    "start": "x"\n    "build": "y"\n  }\n}\n', "deno.jsonc:4:5", "',' was expected"],
    ["deno.json", '{\n  "tasks": {\n    "start": "x",\n  }\n', "deno.json:5:1", "'}' was expected"],
    ["deno.jsonc", "/* never closed\n{}", "deno.jsonc:1:1", "block comment is not closed"],
    ["deno.json", "", "deno.json:1:1", "a value was expected"],
  ])("syntax error in %s → UserError with line and column (%#)", async (file, text, where, what) => {
    const e = await userError(mem({ [file]: text }));
    expect(e.file).toBe(file);
    expect(e.message).toContain(where);
    expect(e.message).toContain(what);
    expect(e.message).not.toContain("\n");
  });
  it.each([
    ["[1]", "must contain a JSON object"],
    ['{ "tasks": ["start"] }', '"tasks"'],
    ['{ "tasks": { "start": 1 } }', '"tasks.start"'],
  ])("%s → UserError naming the problem", async (text, msg) => {
    const e = await userError(mem({ "deno.json": text }));
    expect(e.file).toBe("deno.json");
    expect(e.message).toContain(msg);
  });
});

describe("deno version", () => {
  const cases: [string, Record<string, string>, Record<string, string>, () => string, string][] = [
    ["DENO_VERSION", { "deno.json": "{}", ".deno-version": "2.1", ".dvmrc": "2.0" }, { DENO_VERSION: "2.2.0" }, () => "2.2.0", "build arg DENO_VERSION"],
    [".deno-version", { "deno.json": "{}", ".deno-version": "v2.1\n", ".dvmrc": "2.0" }, {}, () => latest("2.1.x"), ".deno-version"],
    [".dvmrc", { "deno.json": "{}", ".dvmrc": "2.0.0\n" }, {}, () => "2.0.0", ".dvmrc"],
    ["default", { "deno.json": '{ "version": "1.0.0" }' }, {}, defaultDenoVersion, "default"],
    ["exact 1.x older than the table is trusted", { "deno.lock": "{}", ".dvmrc": "1.40.5" }, {}, () => "1.40.5", ".dvmrc"],
  ];
  it.each(cases)("%s", async (_n, files, args, version, source) => {
    const p = await mem(files, args);
    expect([p.result.version, p.result.versionSource]).toEqual([version(), source]);
    expect(p.stages[0]!.image).toBe(`denoland/deno:${version()}`);
    expect(p.runtime.image).toBe(`denoland/deno:${version()}`);
  });
  it.each([
    [".deno-version", "banana"],
    [".dvmrc", "2.99.99x"],
    [".dvmrc", "0.5.0"],
    [".deno-version", "~1.30"],
  ])("bad %s (%s) → UserError naming the file", async (file, value) => {
    const e = await userError(mem({ "deno.json": "{}", [file]: value }));
    expect(e.file).toBe(file);
    expect(e.message).toContain(file);
    expect(e.message).toContain("Deno");
  });
  it("bad DENO_VERSION → UserError naming the build arg", async () => {
    const e = await userError(mem({ "deno.json": "{}" }, { DENO_VERSION: "two" }));
    expect(e.message).toContain("DENO_VERSION");
  });
});

describe("deno dependency layer and cache", () => {
  it("manifests copied, deno install, source, then deno cache of the entry", async () => {
    const p = await mem({ "deno.json": '{ "imports": {} }', "deno.lock": "{}", "package.json": "{}", "main.ts": "", "lib/x.ts": "" });
    expect(names(p)).toEqual(["copy deno manifests", "install dependencies (deno)", "copy source", "cache modules"]);
    expect(steps(p)[0]).toMatchObject({ kind: "copy", paths: ["deno.json", "deno.lock", "package.json"], dest: "/build" });
    expect(run(p, "install")?.shell).toBe("deno install --frozen");
    expect(run(p, "cache")?.shell).toBe("deno cache main.ts");
  });
  it("without deno.lock: plain deno install", async () => {
    expect(run(await mem({ "deno.json": "{}", "main.ts": "" }), "install")?.shell).toBe("deno install");
  });
  it("deno.lock alone (no config, no package.json): Deno ignores the lockfile, so no install step", async () => {
    const p = await mem({ "deno.lock": "{}", "server.ts": "" });
    expect(names(p)).toEqual(["copy source", "cache modules"]);
    expect(p.result.runCommand).toBe(`${RUN} server.ts`);
  });
  it("Deno 1.x has no config-wide deno install: only deno cache", async () => {
    const p = await mem({ "deno.json": "{}", "main.ts": "" }, { DENO_VERSION: "1.46.3" });
    expect(names(p)).toEqual(["copy source", "cache modules"]);
  });
  it("DENO_DIR lives inside the app so the cache ships (/build/.deno → /app/.deno)", async () => {
    const p = await mem({ "deno.json": "{}", "main.ts": "" });
    expect(p.stages[0]!.env).toContainEqual(["DENO_DIR", "/build/.deno"]);
    expect(p.runtime.env).toContainEqual(["DENO_DIR", "/app/.deno"]);
    expect(p.runtime.copies).toEqual([expect.objectContaining({ stage: "build", src: "/build", dest: "/app" })]);
    expect(p.runtime.copies[0]!.exclude).not.toContain(".deno");
    // …and a .deno or node_modules in the context never overwrites what the build fetched.
    expect(steps(p).find((s) => s.name === "copy source")).toMatchObject({ exclude: ["node_modules", "**/node_modules", ".deno"] });
  });
  it.each([
    ["tasks.build", { "deno.json": '{ "tasks": { "build": "deno run -A build.ts" } }', "main.ts": "" }, {}, "deno task build"],
    ["BUILD_COMMAND beats tasks.build", { "deno.json": '{ "tasks": { "build": "x" } }', "main.ts": "" }, { BUILD_COMMAND: "deno run -A gen.ts" }, "deno run -A gen.ts"],
  ] as [string, Record<string, string>, Record<string, string>, string][])("%s", async (_n, files, args, shell) => {
    const p = await mem(files, args);
    expect(run(p, "build")?.shell).toBe(shell);
    expect(names(p).slice(-2)).toEqual(["build", "cache modules"]);
  });
  it("no entry anywhere: no cache step, warning, deno run main.ts", async () => {
    const p = await mem({ "deno.json": "{}" });
    expect(names(p)).not.toContain("cache modules");
    expect(p.result.runCommand).toBe(`${RUN} main.ts`);
    expect(p.warnings.join("\n")).toMatch(/start" task/);
  });
  it("the module of a RUN_COMMAND is cached, checked at build time", async () => {
    const p = await mem({ "deno.json": "{}", "main.ts": "" }, { RUN_COMMAND: "deno run -A ./api/server.ts --port 8000" });
    expect(run(p, "cache")?.shell).toBe("if [ -f api/server.ts ]; then deno cache api/server.ts; fi");
  });
  it.each([
    ["deno run -A main.ts", "main.ts"],
    ["deno run --allow-net=0.0.0.0 ./src/app.tsx", "src/app.tsx"],
    ["deno run -A --config=deno.dev.json server.mjs --flag", "server.mjs"],
    ["deno serve -A jsr:@std/http/file-server", undefined],
    ["deno run -A https://example.com/mod.ts", undefined],
  ] as [string, string | undefined][])("moduleInCommand(%j) → %j", (cmd, mod) => expect(moduleInCommand(cmd)).toBe(mod));
});

describe("deno start command", () => {
  it.each([
    ["main.ts", { "deno.json": "{}", "main.ts": "", "mod.ts": "" }, `${RUN} main.ts`],
    ["mod.ts", { "deno.json": "{}", "mod.ts": "", "server.ts": "" }, `${RUN} mod.ts`],
    ["server.ts", { "deno.json": "{}", "server.ts": "", "index.ts": "" }, `${RUN} server.ts`],
    ["src/main.ts", { "deno.json": "{}", "src/main.ts": "" }, `${RUN} src/main.ts`],
    ["start task wins", { "deno.json": '{ "tasks": { "start": "deno run -A app.ts" } }', "main.ts": "" }, "deno task start"],
  ] as [string, Record<string, string>, string][])("%s", async (_n, files, command) => {
    const p = await mem(files);
    expect(p.result.runCommand).toBe(command);
    expect(p.runtime.cmd).toEqual(command.split(" "));
  });
  it("Procfile web beats the start task; RUN_COMMAND beats both", async () => {
    const files = { "deno.json": '{ "tasks": { "start": "x" } }', Procfile: "web: deno run -A web.ts --port=$PORT\n" };
    expect((await mem(files)).runtime.cmd).toEqual(["/bin/sh", "-c", "deno run -A web.ts --port=$PORT"]);
    expect((await mem(files, { RUN_COMMAND: "deno task other" })).runtime.cmd).toEqual(["deno", "task", "other"]);
  });
});

describe("deno servers listen on PORT (Deno.serve's default is port 8000)", () => {
  const WRAP = 'export DENO_SERVE_ADDRESS="${DENO_SERVE_ADDRESS:-tcp:0.0.0.0:${PORT:-5000}}"; exec "$@"';
  it("Hono's Deno template (Deno.serve(app.fetch), no port): DENO_SERVE_ADDRESS follows PORT when the container starts", async () => {
    const p = await mem({ "deno.json": JSON.stringify({ imports: { hono: "jsr:@hono/hono@^4.7.8" }, tasks: { start: "deno run --allow-net main.ts" } }), "deno.lock": "{}", "main.ts": "import { Hono } from 'hono';\nconst app = new Hono();\nDeno.serve(app.fetch);\n" });
    expect(p.runtime.entrypoint).toEqual(["/bin/sh", "-c", WRAP, "sh"]);
    expect(p.runtime.cmd).toEqual(["deno", "task", "start"]);
    expect(p.result.runCommand).toBe("deno task start");
  });
  it("another PORT at build time is the default of the address too", async () => {
    const p = await mem({ "deno.json": "{}", "main.ts": "" }, { PORT: "8080" });
    expect(p.runtime.entrypoint![2]).toContain("tcp:0.0.0.0:${PORT:-8080}");
  });
  it("USE_DHI (no shell): the address is fixed at build time, in the image's env", async () => {
    const p = await plan(fixture("deno-basic"), { USE_DHI: "true" });
    expect(p.runtime.entrypoint).toBeUndefined();
    expect(p.runtime.env).toContainEqual(["DENO_SERVE_ADDRESS", "tcp:0.0.0.0:5000"]);
  });
});

describe("deno start: `deno serve` apps, Fresh", () => {
  it("deno init --serve (export default { fetch }, a dev task running deno serve): deno serve, not deno run (which exits)", async () => {
    const p = await mem({ "deno.json": JSON.stringify({ tasks: { dev: "deno serve --watch -R main.ts" } }), "main.ts": "export default {\n  fetch(req) { return new Response('hi'); },\n} satisfies Deno.ServeDefaultExport;\n" });
    expect(p.result.runCommand).toBe("deno serve --allow-net --allow-env --allow-read main.ts");
    expect(run(p, "cache")?.shell).toBe("deno cache main.ts");
  });
  it("Hono with export default app: deno serve; an entry that calls Deno.serve itself: deno run", async () => {
    expect((await mem({ "deno.json": "{}", "main.ts": "import { Hono } from 'npm:hono';\nconst app = new Hono();\nexport default app;\n" })).result.runCommand).toBe("deno serve --allow-net --allow-env --allow-read main.ts");
    expect((await mem({ "deno.json": "{}", "main.ts": "export default function x() {}\nDeno.serve(() => new Response('x'));\n" })).result.runCommand).toBe(`${RUN} main.ts`);
  });
  it("Fresh 1.x: start is the dev server (dev.ts --watch); the build's output runs with the preview task (main.ts)", async () => {
    const tasks = { start: "deno run -A --watch=static/,routes/ dev.ts", build: "deno run -A dev.ts build", preview: "deno run -A main.ts" };
    const p = await mem({ "deno.json": JSON.stringify({ lock: false, tasks, imports: { $fresh: "./vendor/fresh/" } }), "main.ts": "", "dev.ts": "" });
    expect(p.result.runCommand).toBe("deno task preview");
    expect(names(p).slice(-2)).toEqual(["build", "cache modules"]);
    expect(run(p, "cache")?.shell).toBe("deno cache main.ts");
  });
  it("a start task that watches, with no preview task: run as written, with a warning", async () => {
    const p = await mem({ "deno.json": JSON.stringify({ tasks: { start: "deno run -A --watch main.ts" } }), "main.ts": "" });
    expect(p.result.runCommand).toBe("deno task start");
    expect(p.warnings.join("\n")).toMatch(/--watch/);
  });
});

describe("deno runtime and fixtures", () => {
  it("denoland/deno for both stages, /app, uid 1000, PORT", async () => {
    const p = await plan(fixture("deno-basic"));
    expect(p.result).toMatchObject({ language: "deno", runCommand: "deno task start", versionSource: "default" });
    expect(p.runtime).toMatchObject({ image: `denoland/deno:${defaultDenoVersion()}`, user: "1000:1000", workdir: "/app", port: 5000 });
    expect(p.runtime.env).toContainEqual(["PORT", "5000"]);
    expect(names(p)).toEqual(["copy deno manifests", "install dependencies (deno)", "copy source", "build", "cache modules"]);
  });
  it("deno-nojson: .dvmrc, default run command", async () => {
    const p = await plan(fixture("deno-nojson"));
    expect(p.result).toMatchObject({ version: "2.1.0", versionSource: ".dvmrc", runCommand: `${RUN} main.ts` });
  });
});

describe("deno under USE_DHI", () => {
  it("hardened images; deno task needs no shell, so the command stays", async () => {
    const p = await plan(fixture("deno-basic"), { USE_DHI: "true" });
    expect(p.stages[0]!.image).toMatch(/^dhi\.io\/deno:.*-dev$/);
    expect(p.runtime.image).toMatch(/^dhi\.io\/deno:/);
    expect(p.runtime.cmd).toEqual(["deno", "task", "start"]);
    expect(p.runtime.env).toContainEqual(["DENO_DIR", "/app/.deno"]);
  });
});

describe("deno reads only declared paths", () => {
  const allowed = new Set(detectionReads());
  it.each([
    ["everything", { "deno.json": "{}", "deno.jsonc": "{}", "deno.lock": "{}", "package.json": "{}", ".deno-version": "2", ".dvmrc": "2", "src/mod.ts": "", Procfile: "web: x" }],
    ["lock only", { "deno.lock": "{}" }],
  ] as [string, Record<string, string>][])("%s", async (_n, files) => {
    const rec = new RecordingContext(new MemoryContext(files));
    await buildPlan(rec, {});
    expect([...rec.paths].filter((p) => !allowed.has(p))).toEqual([]);
  });
  it("declares markers, version files and entry candidates", () => {
    for (const f of ["deno.json", "deno.jsonc", "deno.lock", ".deno-version", ".dvmrc", "main.ts", "src/mod.ts"]) expect(denoProvider.reads).toContain(f);
  });
});

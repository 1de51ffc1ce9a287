// Static sites: which apps are served by migetpacks' own server, and the
// server's behaviour (run for real on a temp folder).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { detectStaticSite, STATIC_SERVER_JS } from "../../src/providers/nodejs/static-site.js";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";

describe("detectStaticSite", () => {
  const pkg = (o: object) => ({ scripts: { build: "x" }, ...o });
  it.each([
    [{ devDependencies: { vite: "^6" } }, { framework: "vite", outDir: "dist" }],
    [{ dependencies: { "react-scripts": "5" } }, { framework: "create-react-app", outDir: "build" }],
    [{ devDependencies: { "@vue/cli-service": "5" } }, { framework: "vue-cli", outDir: "dist" }],
    [{ dependencies: { gatsby: "5" } }, { framework: "gatsby", outDir: "public" }],
  ])("%j → %j", (p, want) => expect(detectStaticSite(pkg(p), { hasServerEntry: false, devStart: false })).toEqual(want));

  it("Vite's build.outDir moves the folder; a dev-server start script is no production start", () => {
    const p = { scripts: { build: "vite build", start: "vite" }, devDependencies: { vite: "6" } };
    expect(detectStaticSite(p, { hasServerEntry: false, devStart: true, outDir: "build/client" })).toEqual({ framework: "vite", outDir: "build/client" });
    expect(detectStaticSite(p, { hasServerEntry: false, devStart: false })).toBeUndefined();
  });

  it.each([
    ["a start script", { scripts: { build: "vite build", start: "node server.js" }, devDependencies: { vite: "6" } }, false],
    ["a main entry", { main: "server.js", scripts: { build: "vite build" }, devDependencies: { vite: "6" } }, false],
    ["a server.js", { scripts: { build: "vite build" }, devDependencies: { vite: "6" } }, true],
    ["no build script", { devDependencies: { vite: "6" } }, false],
    ["no known tool", { scripts: { build: "tsc" } }, false],
  ])("not with %s", (_why, p, server) => expect(detectStaticSite(p as never, { hasServerEntry: server as boolean, devStart: false })).toBeUndefined());

  it("plans only the build output plus the server, without pruning", async () => {
    const { plan } = await buildPlan(new MemoryContext({ "package.json": JSON.stringify({ scripts: { build: "vite build" }, devDependencies: { vite: "6" } }) }), {});
    expect(plan.result.framework).toBe("vite");
    expect(plan.runtime.copies).toEqual([{ stage: "build", src: "/build/dist", dest: "/app", exclude: [] }]);
    expect(plan.runtime.files?.[0]?.path).toBe("/opt/migetpacks/serve-static.cjs");
    expect(plan.runtime.cmd).toEqual(["node", "/opt/migetpacks/serve-static.cjs", "/app"]);
    const shells = plan.stages[0]!.steps.flatMap((s) => (s.kind === "run" ? [s.shell] : [])).join("\n");
    expect(shells).toMatch(/\[ -d dist \] \|\| \{ echo "the vite build wrote no dist\/ folder/);
    expect(shells).not.toMatch(/prune/);
  });

  it("works on a hardened runtime: the command is already exec form", async () => {
    const { plan } = await buildPlan(new MemoryContext({ "package.json": JSON.stringify({ scripts: { build: "vite build" }, devDependencies: { vite: "6" } }) }), { USE_DHI: "true" });
    expect(plan.runtime.cmd).toEqual(["node", "/opt/migetpacks/serve-static.cjs", "/app"]);
  });
});

describe("the static server", () => {
  let child: ChildProcess;
  let base = "";
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "serve-static-"));
    const site = path.join(dir, "site");
    mkdirSync(path.join(site, "assets"), { recursive: true });
    mkdirSync(path.join(site, "docs"));
    writeFileSync(path.join(site, "index.html"), "<h1>home</h1>");
    writeFileSync(path.join(site, "docs", "index.html"), "<h1>docs</h1>");
    writeFileSync(path.join(site, "assets", "app-3f9a2b1c7d.js"), "console.log(1)");
    writeFileSync(path.join(dir, "secret.txt"), "outside the site");
    writeFileSync(path.join(dir, "serve.cjs"), STATIC_SERVER_JS);
    const port = await new Promise<number>((res) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => res(p));
      });
    });
    child = spawn(process.execPath, [path.join(dir, "serve.cjs"), site], { env: { ...process.env, PORT: String(port) }, stdio: "pipe" });
    await new Promise<void>((res) => child.stdout!.once("data", () => res()));
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    child?.kill();
  });

  const get = async (p: string, method = "GET") => {
    const res = await fetch(base + p, { method, signal: AbortSignal.timeout(5000) });
    return { status: res.status, type: res.headers.get("content-type"), cache: res.headers.get("cache-control"), body: await res.text() };
  };

  it.each([
    ["/", 200, "<h1>home</h1>"],
    ["/docs", 200, "<h1>docs</h1>"],
    ["/docs/", 200, "<h1>docs</h1>"],
    ["/some/client/route", 200, "<h1>home</h1>"],
    ["/missing.png", 404, "Not found\n"],
    ["/%2e%2e/secret.txt", 404, "Not found\n"],
    ["/..%2fsecret.txt", 404, "Not found\n"],
    ["/%E0%A4%A", 404, "Not found\n"],
  ])("GET %s → %i", async (p, status, body) => {
    const r = await get(p);
    expect(r.status).toBe(status);
    expect(r.body).toBe(body);
  });

  it("sends content types, long caching for fingerprinted assets, no-cache for HTML", async () => {
    const js = await get("/assets/app-3f9a2b1c7d.js");
    expect(js.type).toBe("text/javascript; charset=utf-8");
    expect(js.cache).toMatch(/immutable/);
    expect((await get("/")).cache).toBe("no-cache");
  });

  it("answers HEAD without a body and refuses other methods", async () => {
    expect((await get("/", "HEAD")).body).toBe("");
    expect((await get("/", "POST")).status).toBe(405);
  });
});

// Bun and Deno through the real frontend: each fixture builds from a `# syntax=`
// stub, answers HTTP 200 as uid 1000, and a source-only change leaves the
// dependency step CACHED. bun-deps installs real packages from the npm registry.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { buildx, copyFixture, fixtureDir, inspect, requireEngine, runAndFetch, runIn, stepCached, type BuildResult } from "./engine.js";

beforeAll(() => requireEngine());

function built(fixture: string, tag: string): BuildResult {
  const r = buildx(fixtureDir(fixture), tag);
  if (!r.ok) throw new Error(`build of ${fixture} failed:\n${r.log}`);
  console.log(`${fixture}: built in ${r.seconds.toFixed(1)} s`);
  return r;
}

/** Builds a copy, edits one source file, rebuilds: the dependency step must be CACHED. */
function sourceOnlyRebuild(fixture: string, tag: string, file: string, step: string): BuildResult {
  const dir = copyFixture(fixture);
  const warm = buildx(dir, tag);
  expect(warm.ok, warm.log).toBe(true);
  // Unique every run, so the source copy really changes even with a warm cache from earlier runs.
  appendFileSync(path.join(dir, file), `\n// a source-only change ${Date.now()}\n`);
  const edited = buildx(dir, tag);
  expect(edited.ok, edited.log).toBe(true);
  expect(stepCached(edited.log, step)).toBe(true);
  expect(stepCached(edited.log, "copy source")).toBe(false);
  console.log(`${fixture}: rebuilt after a source-only change in ${edited.seconds.toFixed(1)} s ("${step}" CACHED)`);
  return edited;
}

describe("bun-basic (bun.lock without dependencies, build script)", () => {
  const tag = "migetpacks-e2e/bun-basic";
  let first: BuildResult;
  beforeAll(() => {
    first = built("bun-basic", tag);
  });

  it("runs the build script and answers HTTP 200 as uid 1000", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^hello from bun-basic uid=1000 built by bun \d+\.\d+\.\d+$/m);
    expect(res.uid).toBe("1000");
  });

  it("image: bun run start, user 1000, PORT, no tests shipped", () => {
    const cfg = inspect(tag).Config;
    expect(cfg.Cmd).toEqual(["bun", "run", "start"]);
    expect(cfg.User).toBe("1000:1000");
    expect(cfg.WorkingDir).toBe("/app");
    expect(cfg.Env).toContain("PORT=5000");
    const ls = runIn(tag, "/bin/sh", ["-c", "ls -a /app; stat -c %u /app/server.ts"]);
    expect(ls.out).toContain("server.ts");
    expect(ls.out).toContain("dist");
    expect(ls.out).not.toMatch(/^test$/m);
    expect(ls.out).toMatch(/^1000$/m);
  });

  it("after a source-only change the install step is CACHED", () => {
    const edited = sourceOnlyRebuild("bun-basic", `${tag}-edit`, "server.ts", "install dependencies (bun)");
    expect(edited.seconds).toBeLessThan(first.seconds + 5);
  });
});

describe("bun-deps (npm registry dependencies, frozen lockfile, dev dependencies pruned)", () => {
  const tag = "migetpacks-e2e/bun-deps";
  beforeAll(() => {
    built("bun-deps", tag);
  });

  it("installs is-number, prunes ms, runs package.json module on the pinned bun", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from bun-deps uid=1000 isNumber=true devDepShipped=false bun=1.2.23");
    expect(res.uid).toBe("1000");
    expect(inspect(tag).Config.Cmd).toEqual(["bun", "app.ts"]);
  });

  it("after a source-only change bun install --frozen-lockfile and the prune are CACHED, and node_modules is its own layer", () => {
    const editTag = `${tag}-edit`;
    const dir = copyFixture("bun-deps");
    expect(buildx(dir, editTag).ok).toBe(true);
    const before = inspect(editTag).RootFS.Layers as string[];
    appendFileSync(path.join(dir, "app.ts"), `\n// a source-only change ${Date.now()}\n`);
    const edited = buildx(dir, editTag);
    expect(edited.ok, edited.log).toBe(true);
    expect(stepCached(edited.log, "install dependencies (bun)")).toBe(true);
    expect(stepCached(edited.log, "prune dev dependencies")).toBe(true);
    const after = inspect(editTag).RootFS.Layers as string[];
    // Only the application's layer is new: the pruned node_modules layer is reused.
    expect(after.filter((l) => !before.includes(l))).toHaveLength(1);
  });
});

describe("deno-basic (deno.jsonc with comments, tasks.start and tasks.build)", () => {
  const tag = "migetpacks-e2e/deno-basic";
  let first: BuildResult;
  beforeAll(() => {
    first = built("deno-basic", tag);
  });

  it("runs deno task build, then deno task start answers HTTP 200 as uid 1000", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^hello from deno-basic uid=1000 built by deno \d+\.\d+\.\d+$/m);
    expect(res.uid).toBe("1000");
  });

  it("image: deno task start, DENO_DIR inside /app, owned by uid 1000", () => {
    const cfg = inspect(tag).Config;
    expect(cfg.Cmd).toEqual(["deno", "task", "start"]);
    expect(cfg.User).toBe("1000:1000");
    expect(cfg.Env).toContain("DENO_DIR=/app/.deno");
    const r = runIn(tag, "/bin/sh", ["-c", "stat -c %u /app/.deno && ls /app/.deno"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^1000$/m);
  });

  it("after a source-only change deno install is CACHED", () => {
    const edited = sourceOnlyRebuild("deno-basic", `${tag}-edit`, "main.ts", "install dependencies (deno)");
    expect(edited.seconds).toBeLessThan(first.seconds + 5);
  });
});

describe("deno-nojson (deno.lock + main.ts, .dvmrc)", () => {
  const tag = "migetpacks-e2e/deno-nojson";
  beforeAll(() => {
    built("deno-nojson", tag);
  });

  it("runs main.ts with net/env/read permissions on the pinned deno, as uid 1000", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from deno-nojson deno=2.1.0 static file read with --allow-read");
    expect(res.uid).toBe("1000");
    expect(inspect(tag).Config.Cmd).toEqual(["deno", "run", "--allow-net", "--allow-env", "--allow-read", "main.ts"]);
  });
});

describe("deno-hono (Hono's Deno template: Deno.serve(app.fetch) with no port, npm:hono)", () => {
  const tag = "migetpacks-e2e/deno-hono";
  beforeAll(() => {
    built("deno-hono", tag);
  });

  it("answers on PORT (Deno.serve's default would be 8000), whatever PORT the container gets", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["deno", "task", "start"]);
    const res = await runAndFetch(tag);
    expect(res.body).toMatch(/^hello from deno-hono deno=\d+\.\d+\.\d+$/m);
    expect(res.uid).toBe("1000");
    expect((await runAndFetch(tag, { port: 8080, env: { PORT: "8080" } })).body).toContain("hello from deno-hono");
  });
});

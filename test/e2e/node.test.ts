// Node.js through the real frontend, including real npm dependencies fetched
// from the registry during the build.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { buildx, copyFixture, fixtureDir, inspect, requireEngine, runAndFetch, runIn, sh, stepCached } from "./engine.js";

const layers = (tag: string): string[] => inspect(tag).RootFS.Layers;

beforeAll(() => requireEngine());

describe("node-npm", () => {
  const tag = "migetpacks-e2e/node-npm";
  beforeAll(() => {
    const r = buildx(fixtureDir("node-npm"), tag);
    if (!r.ok) throw new Error(`build failed:\n${r.log}`);
  });

  it("runs the build script and answers HTTP 200 as uid 1000", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("uid=1000");
    expect(res.body).toContain("built at build time");
  });

  it("ships no tests and no toolchain beyond node", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls -a /app; command -v gcc go make || echo NO_TOOLCHAIN"]);
    expect(r.out).toContain("server.js");
    expect(r.out).not.toMatch(/^test$/m);
    expect(r.out).toContain("NO_TOOLCHAIN");
    expect(inspect(tag).Config.Cmd).toEqual(["npm", "start"]);
  });
});

describe("node-npm-deps (real registry dependencies)", () => {
  const tag = "migetpacks-e2e/node-npm-deps";
  let first: ReturnType<typeof buildx>;
  beforeAll(() => {
    first = buildx(fixtureDir("node-npm-deps"), tag);
    if (!first.ok) throw new Error(`build failed:\n${first.log}`);
  });

  it("installs express, prunes dev dependencies, answers HTTP", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from express uid=1000 devDepShipped=false");
  });

  it("after a source-only change npm ci and the prune are CACHED (no build script: the prune needs no source), and only the app's layer is new", () => {
    const dir = copyFixture("node-npm-deps");
    expect(buildx(dir, `${tag}-edit`).ok).toBe(true);
    const before = layers(`${tag}-edit`);
    appendFileSync(path.join(dir, "app.js"), "\n// a source-only change\n");
    const edited = buildx(dir, `${tag}-edit`);
    expect(edited.ok, edited.log).toBe(true);
    expect(stepCached(edited.log, "install dependencies (npm)")).toBe(true);
    expect(stepCached(edited.log, "prune dev dependencies")).toBe(true);
    const after = layers(`${tag}-edit`);
    // On the base image: the workdir, node_modules, then the app — three layers of our own.
    const runtimeImage = JSON.parse(sh("node", ["dist/cli.cjs", "plan", dir, "--json"])).runtime.image;
    expect(after.length - layers(runtimeImage).length).toBe(3);
    // node_modules' copy is not run again (its layer is reused), the workdir's layer is the same, the app's is new.
    // (Layer digests of node_modules are not compared: a builder that ran the same install twice, as
    // --no-cache below or a benchmark does, holds two cache records with different file times.)
    expect(stepCached(edited.log, "COPY --from=build /build/node_module[s]")).toBe(true);
    expect(after[after.length - 3]).toBe(before[before.length - 3]);
    expect(after.at(-1)).not.toBe(before.at(-1));
  });

  it("the workdir's layer is the same bytes even when every step runs again (--no-cache)", () => {
    const fresh = buildx(fixtureDir("node-npm-deps"), `${tag}-nocache`, { extra: ["--no-cache"] });
    expect(fresh.ok, fresh.log).toBe(true);
    const base = layers(JSON.parse(sh("node", ["dist/cli.cjs", "plan", fixtureDir("node-npm-deps"), "--json"])).runtime.image).length;
    expect(layers(`${tag}-nocache`)[base]).toBe(layers(tag)[base]);
  });
});

describe("node-procfile", () => {
  it("runs the Procfile web command through a shell (it uses $PORT)", async () => {
    const tag = "migetpacks-e2e/node-procfile";
    const r = buildx(fixtureDir("node-procfile"), tag);
    expect(r.ok, r.log).toBe(true);
    expect(inspect(tag).Config.Cmd).toEqual(["/bin/sh", "-c", "node web.js $PORT"]);
    const res = await runAndFetch(tag, { port: 5000 });
    expect(res.body).toContain("procfile web on 5000");
  });
});

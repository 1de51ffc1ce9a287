// Go through the real frontend: builds, runs as uid 1000, answers HTTP, ships
// no toolchain, and a source-only change leaves the module download CACHED.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { buildx, copyFixture, fixtureDir, inspect, requireEngine, runAndFetch, runIn, stepCached } from "./engine.js";

beforeAll(() => requireEngine());

describe("go-hello", () => {
  const tag = "migetpacks-e2e/go-hello";
  let first: ReturnType<typeof buildx>;

  beforeAll(() => {
    first = buildx(fixtureDir("go-hello"), tag);
    if (!first.ok) throw new Error(`build failed:\n${first.log}`);
  });

  it("answers HTTP 200 on PORT as uid 1000", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from go-hello uid=1000");
  });

  it("has the image config the plan describes", () => {
    const cfg = inspect(tag).Config;
    expect(cfg.User).toBe("1000:1000");
    expect(cfg.WorkingDir).toBe("/app");
    expect(cfg.Cmd).toEqual(["./go-hello"]);
    expect(Object.keys(cfg.ExposedPorts)).toEqual(["5000/tcp"]);
    expect(cfg.Env).toContain("PORT=5000");
  });

  it("ships the binary and assets, but no Go toolchain or sources", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls /app; ls /app/templates; test ! -e /usr/local/go && ! command -v go && ! ls /app/*.go 2>/dev/null && test -s /etc/ssl/certs/ca-certificates.crt && echo CLEAN"]);
    expect(r.out).toContain("go-hello");
    expect(r.out).toContain("index.html");
    expect(r.out).not.toContain("main.go");
    expect(r.out).not.toContain("README.md"); // excluded by the fixture's .dockerignore
    expect(r.out).toContain("CLEAN");
  });

  it("shows the user what was detected, in the build output, and reports it as metadata", () => {
    // The FROM vertex is the same op in every build on golang:1.22, and BuildKit shows a vertex
    // shared by concurrent builds under the name the first one gave it (another Go app's, when
    // e2e files run in parallel): the log shows a summary, the metadata this build's own result.
    expect(first.log).toMatch(/\[build\] FROM golang:1\.22 · migetpacks: go 1\.22 \([^)]+\), go modules/);
    expect(JSON.parse(String(first.metadata?.["frontend.miget.result"]))).toMatchObject({ language: "go", version: "1.22", versionSource: "go.mod go directive" });
  });

  it("after a source-only change the module download is CACHED and the build is faster", () => {
    const dir = copyFixture("go-hello");
    const warm = buildx(dir, `${tag}-edit`);
    expect(warm.ok, warm.log).toBe(true);
    const before = inspect(`${tag}-edit`).RootFS.Layers as string[];
    appendFileSync(path.join(dir, "main.go"), `\n// a source-only change ${Date.now()}\n`);
    const edited = buildx(dir, `${tag}-edit`);
    expect(edited.ok, edited.log).toBe(true);
    expect(stepCached(edited.log, "download Go modules")).toBe(true);
    expect(stepCached(edited.log, "go build")).toBe(false);
    // Only the app's layer is new (the top one): the CA bundle's copy stays below it, CACHED.
    // (Not compared by digest: a builder holding several records of that copy, after a
    // --no-cache build, may return any of them, with other directory times.)
    expect(stepCached(edited.log, "COPY --from=build /etc/ssl/certs/ca-certificates.crt")).toBe(true);
    const after = inspect(`${tag}-edit`).RootFS.Layers as string[];
    expect(after.at(-1)).not.toBe(before.at(-1));
    // Compared with the same tree built without BuildKit's cache (the fixture's first build may itself be cached).
    const cold = buildx(dir, `${tag}-cold`, { extra: ["--no-cache"] });
    expect(cold.ok, cold.log).toBe(true);
    expect(edited.seconds).toBeLessThan(cold.seconds);
  });

  it("RUN_COMMAND changes the image command", () => {
    const r = buildx(fixtureDir("go-hello"), `${tag}-cmd`, { buildArgs: { RUN_COMMAND: "./go-hello --flag" } });
    expect(r.ok, r.log).toBe(true);
    expect(inspect(`${tag}-cmd`).Config.Cmd).toEqual(["./go-hello", "--flag"]);
  });
});

describe("--print=plan", () => {
  it("shows the plan without building (buildx 0.13: BUILDX_EXPERIMENTAL=1 --print=plan)", async () => {
    const { spawnSync } = await import("node:child_process");
    const { stubDir } = await import("./engine.js");
    const r = spawnSync("docker", ["buildx", "build", "--print=plan", "-f", `${stubDir()}/Dockerfile`, fixtureDir("go-hello")], {
      encoding: "utf8",
      env: { ...process.env, BUILDX_EXPERIMENTAL: "1" },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^go 1\.22 \(go\.mod go directive\)/m);
    expect(r.stdout).toMatch(/runtime: debian:bookworm-slim, user 1000:1000/);
  });
});

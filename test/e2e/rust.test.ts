// Rust through the real frontend: each fixture builds, runs as uid 1000 and
// answers HTTP; the runtime holds the binaries but no toolchain; several
// binaries land in /app/bin; a source-only change leaves `cargo fetch` CACHED.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { buildx, copyFixture, fixtureDir, inspect, requireEngine, runAndFetch, runIn, stepCached, type BuildResult } from "./engine.js";

beforeAll(() => requireEngine());

/** Builds a fixture once per describe block, failing the block with the log when it does not build. */
function built(name: string, tag: string): () => BuildResult {
  let result: BuildResult;
  beforeAll(() => {
    result = buildx(fixtureDir(name), tag);
    if (!result.ok) throw new Error(`build of ${name} failed:\n${result.log}`);
    console.log(`${name}: built in ${result.seconds.toFixed(1)}s`);
  });
  return () => result;
}

const NO_TOOLCHAIN = "! command -v cargo && ! command -v rustc && test ! -e /usr/local/cargo && test -s /etc/ssl/certs/ca-certificates.crt && echo CLEAN";

describe("rust-single", () => {
  const tag = "migetpacks-e2e/rust-single";
  const first = built("rust-single", tag);

  it("answers HTTP 200 on PORT as uid 1000, reading its asset folder", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from rust-single uid=1000 static-asset-ok");
  });

  it("runs ./rust-single from /app as 1000:1000", () => {
    const cfg = inspect(tag).Config;
    expect(cfg).toMatchObject({ User: "1000:1000", WorkingDir: "/app", Cmd: ["./rust-single"] });
    expect(cfg.Env).toContain("PORT=5000");
  });

  it("ships the binary and assets only: no sources, no cargo or rustc", () => {
    const r = runIn(tag, "/bin/sh", ["-c", `ls -A /app; ${NO_TOOLCHAIN}`]);
    expect(r.out.split("\n").slice(0, 2)).toEqual(["rust-single", "static"]);
    expect(r.out).toContain("CLEAN");
  });

  it("after a source-only change `cargo fetch` is CACHED and only `cargo build` reruns", () => {
    const dir = copyFixture("rust-single");
    const warm = buildx(dir, `${tag}-edit`);
    expect(warm.ok, warm.log).toBe(true);
    appendFileSync(path.join(dir, "src/main.rs"), `\n// a source-only change ${Date.now()}\n`);
    const edited = buildx(dir, `${tag}-edit`);
    expect(edited.ok, edited.log).toBe(true);
    expect(stepCached(edited.log, "cargo fetch")).toBe(true);
    expect(stepCached(edited.log, "copy Cargo manifests")).toBe(true);
    expect(stepCached(edited.log, "cargo build")).toBe(false);
    console.log(`rust-single: first ${first().seconds.toFixed(1)}s, after a source edit ${edited.seconds.toFixed(1)}s`);
  });
});

describe("rust-multi-bins", () => {
  const tag = "migetpacks-e2e/rust-multi-bins";
  const first = built("rust-multi-bins", tag);

  it("holds both binaries in /app/bin", () => {
    const r = runIn(tag, "ls", ["/app/bin"]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toEqual(["api", "worker"]);
  });

  it("runs default-run (api) on PORT as uid 1000 and says so in a warning", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["./bin/api"]);
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from rust-multi-bins api uid=1000");
    expect(first().log).toContain("Several binaries are built (api, worker)");
  });

  it("the other binary runs too, and no toolchain is shipped", () => {
    expect(runIn(tag, "./bin/worker", []).out).toContain("worker ran as uid=1000");
    expect(runIn(tag, "/bin/sh", ["-c", NO_TOOLCHAIN]).out).toContain("CLEAN");
  });

  it("RUST_BIN chooses the web binary", () => {
    const r = buildx(fixtureDir("rust-multi-bins"), `${tag}-worker`, { buildArgs: { RUST_BIN: "worker" } });
    expect(r.ok, r.log).toBe(true);
    expect(inspect(`${tag}-worker`).Config.Cmd).toEqual(["./bin/worker"]);
  });
});

describe("rust-workspace", () => {
  const tag = "migetpacks-e2e/rust-workspace";
  built("rust-workspace", tag);

  it("ships the app crate's binary (not the library) and answers HTTP 200 as uid 1000", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["./hello-server"]);
    expect(runIn(tag, "ls", ["-A", "/app"]).out.trim()).toBe("hello-server");
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from rust-workspace uid=1000");
  });

  it("a change in a member's source leaves `cargo fetch` CACHED", () => {
    const dir = copyFixture("rust-workspace");
    expect(buildx(dir, `${tag}-edit`).ok).toBe(true);
    appendFileSync(path.join(dir, "crates/greeting/src/lib.rs"), `\n// a source-only change ${Date.now()}\n`);
    const edited = buildx(dir, `${tag}-edit`);
    expect(edited.ok, edited.log).toBe(true);
    expect(stepCached(edited.log, "cargo fetch")).toBe(true);
    expect(stepCached(edited.log, "cargo build")).toBe(false);
  });
});

// The other Go fixtures through the real frontend: linker symbols, several
// binaries, compile hooks, and a go.work workspace.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildx, copyFixture, fixtureDir, inspect, requireEngine, runAndFetch, runIn, stepCached, type BuildResult } from "./engine.js";

beforeAll(() => requireEngine());

/** The fixture's own build args (fixtures/<name>/.migetpacks-test.json), as the golden plans use them. */
function fixtureArgs(name: string): Record<string, string> {
  const f = path.join(fixtureDir(name), ".migetpacks-test.json");
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")).buildArgs ?? {}) : {};
}

function built(name: string, tag: string): () => BuildResult {
  let result: BuildResult;
  beforeAll(() => {
    result = buildx(fixtureDir(name), tag, { buildArgs: fixtureArgs(name) });
    if (!result.ok) throw new Error(`build of ${name} failed:\n${result.log}`);
    console.log(`${name}: built in ${result.seconds.toFixed(1)}s`);
  });
  return () => result;
}

describe("go-linker", () => {
  const tag = "migetpacks-e2e/go-linker";
  built("go-linker", tag);

  it("GO_LINKER_SYMBOL=main.version GO_LINKER_VALUE=1.2.3 reach the running app", async () => {
    expect(fixtureArgs("go-linker")).toEqual({ GO_LINKER_SYMBOL: "main.version", GO_LINKER_VALUE: "1.2.3" });
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toBe("version=1.2.3\n");
  });
});

describe("go-multi", () => {
  const tag = "migetpacks-e2e/go-multi";
  built("go-multi", tag);

  it("holds /app/bin/api and /app/bin/worker", () => {
    const r = runIn(tag, "ls", ["/app/bin"]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toEqual(["api", "worker"]);
  });

  it("web (Procfile `web: api`) runs ./bin/api, answering HTTP 200 as uid 1000", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["./bin/api"]);
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toBe("api\n");
    expect(runIn(tag, "id", ["-u"]).out.trim()).toBe("1000");
  });

  it("the worker binary runs too", () => {
    expect(runIn(tag, "./bin/worker", []).out).toContain("worker ran");
  });
});

describe("go-hooks", () => {
  const tag = "migetpacks-e2e/go-hooks";
  built("go-hooks", tag);

  it("pre- and post-compile hooks ran: their files are in /app", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "cat /app/pre-compile.txt /app/post-compile.txt"]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toBe("pre-compile ran\npost-compile saw the binary\n");
  });

  it("the app itself answers HTTP 200", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["./hooks"]);
    expect((await runAndFetch(tag)).status).toBe(200);
  });
});

describe("go-workspace", () => {
  const tag = "migetpacks-e2e/go-workspace";
  const first = built("go-workspace", tag);

  it("builds the go.work module with package main and answers HTTP 200 as uid 1000", async () => {
    expect(first().log).toContain("load files for language detection");
    expect(inspect(tag).Config.Cmd).toEqual(["./bin/api"]);
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toBe("hello from go-workspace uid=1000\n");
  });

  it("ships the binary without Go sources, module files or toolchain", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "find /app -type f | sort; command -v go || echo NO_GO"]);
    expect(r.out.trim().split("\n")).toEqual(["/app/bin/api", "NO_GO"]);
  });

  it("after a source-only change the module files layer is CACHED and only go build reruns", () => {
    const dir = copyFixture("go-workspace");
    expect(buildx(dir, `${tag}-edit`).ok).toBe(true);
    appendFileSync(path.join(dir, "greet/greet.go"), `\n// a source-only change ${Date.now()}\n`);
    const edited = buildx(dir, `${tag}-edit`);
    expect(edited.ok, edited.log).toBe(true);
    expect(stepCached(edited.log, "copy Go module files")).toBe(true);
    expect(stepCached(edited.log, "go build")).toBe(false);
  });
});

describe("go-cmd-layout", () => {
  const tag = "migetpacks-e2e/go-cmd-layout";
  built("go-cmd-layout", tag);

  it("finds the program in cmd/server (no main package at the root) and serves HTTP as uid 1000", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["./bin/server"]);
    const res = await runAndFetch(tag);
    expect(res.body).toContain("hello from cmd/server uid=1000");
    expect(res.uid).toBe("1000");
  });
});

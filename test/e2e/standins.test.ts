// The offline stand-ins for official base images must not lie: each holds the
// release its tag names (a partial tag: the newest release of that line), or,
// where no registry ships that release, says so in its label and env. A
// stand-in that holds another version than its name hides real bugs.
import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect, requireEngine, ROOT, runIn } from "./engine.js";

// Tags the fixtures use, plus partial ones that must resolve to a release of their line.
const TAGS = ["node:22-slim", "node:24.21.0", "node:24.21.0-slim", "golang:1.22", "golang:1.25", "rust:1.92.0-bookworm"];

beforeAll(() => {
  requireEngine();
  execFileSync("bash", ["scripts/ensure-image.sh", ...TAGS], { cwd: ROOT, stdio: "inherit" });
}, 30 * 60_000);

const env = (tag: string): Record<string, string> =>
  Object.fromEntries((inspect(tag).Config.Env as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
const labels = (tag: string): Record<string, string> => inspect(tag).Config.Labels ?? {};
const sh = (tag: string, script: string) => runIn(tag, "sh", ["-c", script]);

describe("stand-ins hold the version their tag names", () => {
  it("node:22-slim holds the newest 22.x, and says which in NODE_VERSION", () => {
    const { NODE_VERSION } = env("node:22-slim");
    expect(NODE_VERSION).toMatch(/^22\.\d+\.\d+$/);
    expect(sh("node:22-slim", "node --version")).toEqual({ code: 0, out: `v${NODE_VERSION}\n` });
  });

  it("node:24.21.0 holds Node.js 24.21.0 with the npm and corepack that release bundles, yarn classic, and node-gyp's compilers", () => {
    const r = sh("node:24.21.0", "node --version; npm --version; corepack --version; yarn --version; for t in python3 make g++; do command -v $t; done");
    expect(r.code).toBe(0);
    expect(r.out.split("\n")).toEqual(["v24.21.0", "11.19.0", "0.36.0", "1.22.22", "/usr/bin/python3", "/usr/bin/make", "/usr/bin/g++", ""]);
    expect(env("node:24.21.0")).toMatchObject({ NODE_VERSION: "24.21.0", YARN_VERSION: "1.22.22" });
  });

  it("node:24.21.0-slim holds the same release but no python3, make or g++", () => {
    expect(sh("node:24.21.0-slim", "node --version; npm --version")).toEqual({ code: 0, out: "v24.21.0\n11.19.0\n" });
    expect(sh("node:24.21.0-slim", "command -v python3 || command -v make || command -v g++ || echo NONE").out).toBe("NONE\n");
  });

  it("node:24.21.0 compiles a node-gyp addon with no network (headers from the release); -slim cannot", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "standins-addon-"));
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "addon", version: "1.0.0", scripts: { install: "node-gyp rebuild" }, gypfile: true }));
    writeFileSync(path.join(dir, "binding.gyp"), JSON.stringify({ targets: [{ target_name: "hello", sources: ["hello.c"] }] }));
    writeFileSync(
      path.join(dir, "hello.c"),
      `#include <node_api.h>
static napi_value Hello(napi_env env, napi_callback_info info) { napi_value s; napi_create_string_utf8(env, "native ok", NAPI_AUTO_LENGTH, &s); return s; }
static napi_value Init(napi_env env, napi_value exports) { napi_value f; napi_create_function(env, "hello", NAPI_AUTO_LENGTH, Hello, NULL, &f); napi_set_named_property(env, exports, "hello", f); return exports; }
NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
`,
    );
    const install = (tag: string) =>
      spawnSync("docker", ["run", "--rm", "--network", "none", "-v", `${dir}:/src:ro`, "--entrypoint", "sh", tag, "-c",
        "cp -r /src /w && cd /w && npm install --no-audit --no-fund && node -p 'require(\"./build/Release/hello.node\").hello()'"], { encoding: "utf8" });
    const full = install("node:24.21.0");
    expect(full.status, full.stdout + full.stderr).toBe(0);
    expect(full.stdout).toMatch(/^native ok$/m);
    expect(full.stdout + full.stderr).not.toMatch(/Unknown env config/);
    expect(install("node:24.21.0-slim").status).not.toBe(0);
  });

  it.each(["1.22", "1.25"])("golang:%s holds the newest release of that Go line, and says which in GOLANG_VERSION", (minor) => {
    const tag = `golang:${minor}`;
    const { GOLANG_VERSION, GOTOOLCHAIN } = env(tag);
    expect(GOLANG_VERSION).toMatch(new RegExp(`^${minor.replace(".", "\\.")}\\.\\d+$`));
    expect(GOTOOLCHAIN).toBe("local");
    expect(sh(tag, "go version")).toEqual({ code: 0, out: `go version go${GOLANG_VERSION} linux/amd64\n` });
  });

  it("rust:1.92.0-bookworm holds Rust 1.92.0, or names the release it holds instead", () => {
    const tag = "rust:1.92.0-bookworm";
    const r = sh(tag, "rustc --version; cargo --version");
    expect(r.code).toBe(0);
    const held = /^rustc (\d+\.\d+\.\d+) /.exec(r.out)?.[1];
    expect(env(tag).RUST_VERSION).toBe(held);
    const mismatch = labels(tag)["org.migetpacks.standin.mismatch"];
    if (held === "1.92.0") expect(mismatch).toBeUndefined();
    else expect(mismatch).toBe(`rust:1.92.0-bookworm holds Rust ${held}`);
    expect(r.out).toMatch(new RegExp(`^cargo ${held!.replace(/\./g, "\\.")} `, "m"));
  });

  it("every stand-in names its kind and generation", () => {
    for (const tag of TAGS.filter((t) => !inspect(t).RepoDigests?.length)) {
      expect(labels(tag)["org.migetpacks.standin"]).toBeTruthy();
      expect(labels(tag)["org.migetpacks.standin.generation"]).toMatch(/^\d+$/);
    }
  });
});

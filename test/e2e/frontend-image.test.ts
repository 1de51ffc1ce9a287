// The frontend image's own process, as BuildKit runs it: `docker run -i` with
// gRPC over its stdin/stdout, against an emulated gateway
// (test/helpers/gateway-server.ts). Checks what a daemon's build cannot show:
// the snapshot's start-up loads no built-in module at run time (the image has
// no code cache for them, so each would be compiled from source on every build),
// and it compiles next to none of the bundle's own functions (the warm-up ran a
// whole build through the gateway path while the snapshot was made).
import { describe, it, expect, beforeAll } from "vitest";
import { FRONTEND_IMAGE, fixtureDir, inspect, requireEngine } from "./engine.js";
import { FakeBridge, frontendEnv } from "../helpers/fake-bridge.js";
import { runFrontendProcess } from "../helpers/gateway-server.js";
import { LocalContext } from "../../src/context/local-fs.js";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

beforeAll(() => requireEngine());

/** `nodeFlags`: added to the entrypoint's node flags (before its snapshot); `mounts`: docker run -v values. */
function runImage(bridge: FakeBridge, opts: string[], nodeFlags: string[] = [], mounts: string[] = []): Promise<{ code: number | null; stderr: string }> {
  const env = Object.entries({ ...frontendEnv(opts), MIGETPACKS_TRACE: "1" }).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  const [node, ...flags] = inspect(FRONTEND_IMAGE).Config.Entrypoint as string[];
  const entry = nodeFlags.length ? ["--entrypoint", node!, FRONTEND_IMAGE, ...nodeFlags, ...flags] : [FRONTEND_IMAGE];
  return runFrontendProcess(["docker", "run", "-i", "--rm", "--network", "none", ...mounts.flatMap((m) => ["-v", m]), ...env, ...entry], process.env, bridge);
}

/** Functions of the bundle V8 compiled during the run (its function events; the bundle is the script named frontend.cjs). */
function compiledAtRunTime(v8Log: string): string[] {
  const script = /^script-details,(\d+),[^,]*frontend\.cjs,/m.exec(v8Log)?.[1];
  if (!script) throw new Error(`no frontend.cjs script in V8's log:\n${v8Log.slice(0, 2000)}`);
  return v8Log.split("\n").filter((l) => l.startsWith(`function,interpreter,${script},`)).map((l) => l.split(",")[7] || `@${l.split(",")[3]}`);
}

describe("the frontend image over stdio", () => {
  it("builds go-hello from its snapshot and loads no built-in module at run time", async () => {
    const bridge = new FakeBridge(new LocalContext(fixtureDir("go-hello")));
    const { code, stderr } = await runImage(bridge, []);
    expect(code, stderr).toBe(0);
    expect(bridge.returned().result.ref.id).toMatch(/^ref\d+$/);
    expect(stderr).toMatch(/migetpacks: go .* built for linux\/amd64/);
    expect(stderr).toMatch(/migetpacks: trace loaded at run time: nothing\n/);
  }, 120_000);

  it("compiles next to none of the bundle's functions at run time: the warm-up compiled the gateway path into the snapshot", async () => {
    const bridge = new FakeBridge(new LocalContext(fixtureDir("node-npm-deps")));
    // V8's log goes to a file: written to the process's stderr pipe, it stalled the run.
    const logDir = mkdtempSync(path.join(os.tmpdir(), "v8-log-"));
    const { code, stderr } = await runImage(bridge, [], ["--log-function-events", "--logfile=/v8/v8.log", "--no-logfile-per-isolate"], [`${logDir}:/v8`]);
    expect(code, stderr).toBe(0);
    const compiled = compiledAtRunTime(readFileSync(path.join(logDir, "v8.log"), "utf8"));
    // What is left: main() and the stdio transport (fd-transport.ts), which a snapshot cannot run
    // (about 25). Before the warm-up built through the HTTP/2 client, a build compiled 167.
    expect(compiled.length, compiled.join(" ")).toBeLessThan(40);
  }, 120_000);
});

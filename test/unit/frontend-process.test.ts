// The frontend as BuildKit runs it: its own process, gRPC over its stdin and
// stdout, against an emulated gateway (test/helpers/gateway-server.ts). Proves
// the HTTP/2 client and the stdio transport on real pipes, and that the bytes
// the frontend solves are the ones the in-process path produces.
import { describe, it, expect, beforeAll } from "vitest";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { FakeBridge, frontendEnv, runFake } from "../helpers/fake-bridge.js";
import { runFrontendProcess } from "../helpers/gateway-server.js";
import { LocalContext } from "../../src/context/local-fs.js";

let bundle = "";

beforeAll(async () => {
  bundle = path.join(mkdtempSync(path.join(os.tmpdir(), "frontend-process-")), "frontend.cjs");
  await build({ entryPoints: ["frontend/main.ts"], bundle: true, platform: "node", format: "cjs", outfile: bundle, logLevel: "error" });
}, 60_000);

/** Runs the bundled frontend in a child process; resolves with its exit code and stderr. */
function runProcess(bridge: FakeBridge, opts: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return runFrontendProcess([process.execPath, bundle], { ...frontendEnv(opts), ...env }, bridge);
}

describe("the frontend process over stdio", () => {
  it("builds go-hello: Ping, one context transfer, resolve, Solve and Return, and exits 0", async () => {
    const bridge = new FakeBridge(new LocalContext("fixtures/go-hello"));
    const { code, stderr } = await runProcess(bridge, []);
    expect(code, stderr).toBe(0);
    expect(bridge.transferred).toHaveLength(1);
    const ret = bridge.returned();
    expect(ret.result.ref.id).toMatch(/^ref\d+$/);
    expect(JSON.parse(Buffer.from(ret.result.metadata["containerimage.config"]).toString()).config.User).toBeTruthy();
    expect(stderr).toMatch(/migetpacks: go .* built for linux\/amd64/);
  }, 60_000);

  it("solves the same definition bytes as the in-process path", async () => {
    const viaProcess = new FakeBridge(new LocalContext("fixtures/node-npm-deps"));
    expect((await runProcess(viaProcess, [])).code).toBe(0);
    const inProcess = new FakeBridge(new LocalContext("fixtures/node-npm-deps"));
    expect(await runFake(inProcess, [])).toBeUndefined();
    const defs = (b: FakeBridge) => b.finalSolves().map((c) => (c.req.Definition.def as Uint8Array[]).map((d) => Buffer.from(d).toString("hex")));
    expect(defs(inProcess)).toHaveLength(1);
    expect(defs(viaProcess)).toEqual(defs(inProcess));
  }, 60_000);

  it("returns a user's error as the build's status, and still exits 0", async () => {
    const bridge = new FakeBridge(new LocalContext("fixtures/go-hello"));
    const { code } = await runProcess(bridge, ["build-arg:LANGUAGE=cobol"]);
    expect(code).toBe(0);
    expect(bridge.returned().error.message).toMatch(/cobol/i);
  }, 60_000);

  it("traces every gateway call, and what it loaded at run time, with MIGETPACKS_TRACE=1", async () => {
    const { code, stderr } = await runProcess(new FakeBridge(new LocalContext("fixtures/go-hello")), [], { MIGETPACKS_TRACE: "1" });
    expect(code).toBe(0);
    expect(stderr).toMatch(/migetpacks: trace Ping .*took=/);
    expect(stderr).toMatch(/migetpacks: trace loaded at run time: /);
  }, 60_000);
});

// The frontend image's own process, as BuildKit runs it: `docker run -i` with
// gRPC over its stdin/stdout, against an emulated gateway
// (test/helpers/gateway-server.ts). Checks what a daemon's build cannot show:
// the snapshot's start-up loads no built-in module at run time (the image has
// no code cache for them, so each would be compiled from source on every build).
import { describe, it, expect, beforeAll } from "vitest";
import { FRONTEND_IMAGE, fixtureDir, requireEngine } from "./engine.js";
import { FakeBridge, frontendEnv } from "../helpers/fake-bridge.js";
import { runFrontendProcess } from "../helpers/gateway-server.js";
import { LocalContext } from "../../src/context/local-fs.js";

beforeAll(() => requireEngine());

function runImage(bridge: FakeBridge, opts: string[]): Promise<{ code: number | null; stderr: string }> {
  const env = Object.entries({ ...frontendEnv(opts), MIGETPACKS_TRACE: "1" }).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  return runFrontendProcess(["docker", "run", "-i", "--rm", "--network", "none", ...env, FRONTEND_IMAGE], process.env, bridge);
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
});

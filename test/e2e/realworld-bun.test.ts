// Class 1 (Bun and Node.js in one app) and the Vite-with-bun.lock case of class 4:
// real packages from the npm registry, images started and called on PORT.
import { describe, it, expect, beforeAll } from "vitest";
import { buildx, fixtureDir, inspect, requireEngine, runAndFetch, runIn } from "./engine.js";

beforeAll(() => requireEngine());

function build(fixture: string, tag: string): void {
  const r = buildx(fixtureDir(fixture), tag);
  if (!r.ok) throw new Error(`build of ${fixture} failed:\n${r.log}`);
}

describe("bun-with-node: a Bun app whose start script runs node", () => {
  const tag = "realworld-e2e/bun-with-node";
  beforeAll(() => build("bun-with-node", tag), 900_000);

  it("runs on real Node.js at engines.node's version (not Bun's node shim), built by Bun", async () => {
    const res = await runAndFetch(tag);
    expect(res.body).toMatch(/^hello from bun-with-node runtime=node v22\.\d+\.\d+ built by bun 1\.2\.23 ms=1m$/m);
    expect(runIn(tag, "node", ["-v"]).out.trim()).toMatch(/^v22\./);
  });
});

describe("node-calls-bun: a Node.js app whose start script runs bun", () => {
  const tag = "realworld-e2e/node-calls-bun";
  beforeAll(() => build("node-calls-bun", tag), 900_000);

  it("has bun at engines.bun's version on PATH and answers through it", async () => {
    const res = await runAndFetch(tag);
    expect(res.body).toBe("hello from node-calls-bun bun=1.2.23 ms=1m\n");
    expect(res.uid).toBe("1000");
  });
});

describe("bun-vite-static: a Vite site with bun.lock", () => {
  const tag = "realworld-e2e/bun-vite-static";
  beforeAll(() => build("bun-vite-static", tag), 900_000);

  it("serves Vite's build (not bun index.ts), with client-side routes", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["bun", "/opt/migetpacks/serve-static.cjs", "/app"]);
    const res = await runAndFetch(tag);
    expect(res.body).toContain("hello from bun-vite-static");
    expect(res.body).toMatch(/src="\/assets\/index-[\w-]+\.js"/);
    expect((await runAndFetch(tag, { path: "/a/route" })).body).toContain("hello from bun-vite-static");
  });
});

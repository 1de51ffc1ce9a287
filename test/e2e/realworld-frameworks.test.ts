// Class 4 (frameworks), the two whose `start` script cannot serve the build:
// a Next.js static export (`next start`) and Angular (`ng serve` on localhost:4200).
// Real Next.js and Angular from the npm registry.
import { describe, it, expect, beforeAll } from "vitest";
import { buildx, fixtureDir, inspect, requireEngine, runAndFetch } from "./engine.js";

beforeAll(() => requireEngine());

function build(fixture: string, tag: string): void {
  const r = buildx(fixtureDir(fixture), tag);
  if (!r.ok) throw new Error(`build of ${fixture} failed:\n${r.log}`);
}
const STATIC = ["node", "/opt/migetpacks/serve-static.cjs", "/app"];

describe("Next.js output: 'export'", () => {
  const tag = "realworld-e2e/node-next-export";
  beforeAll(() => build("node-next-export", tag), 1_200_000);

  it("serves out/ on PORT instead of crashing in next start", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(STATIC);
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from node-next-export");
    expect(res.body).toMatch(/\/_next\/static\//);
  });
});

describe("Angular (application builder, start = ng serve)", () => {
  const tag = "realworld-e2e/node-angular";
  beforeAll(() => build("node-angular", tag), 1_200_000);

  it("builds and serves dist/<project>/browser on PORT (not ng serve on localhost:4200)", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(STATIC);
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("<app-root></app-root>");
    expect(res.body).toMatch(/src="main-[\w]+\.js"|src="main\.js"/);
    expect((await runAndFetch(tag, { path: "/some/route" })).body).toContain("<app-root>");
  });
});

// Class 6 (Rust default-run): an Axum app whose default-run names an
// auto-discovered binary; crates come from the crate registry during the build.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { buildx, copyFixture, inspect, requireEngine, runAndFetch, runIn, stepCached, type BuildResult } from "./engine.js";

beforeAll(() => requireEngine());

describe("rust-default-run (axum, default-run = web in src/bin/)", () => {
  const tag = "realworld-e2e/rust-default-run";
  const dir = copyFixture("rust-default-run");
  let first: BuildResult;
  beforeAll(() => {
    first = buildx(dir, tag);
    if (!first.ok) throw new Error(`build of rust-default-run failed:\n${first.log}`);
  }, 1_800_000);

  it("the dependency layer loads the manifest (no \"default-run target not found\"); the web binary answers on PORT", async () => {
    expect(first.log).not.toContain("default-run target");
    expect(inspect(tag).Config.Cmd).toEqual(["./bin/web"]);
    const res = await runAndFetch(tag);
    expect(res.body).toBe("hello from rust-default-run web (axum)\n");
    expect(res.uid).toBe("1000");
    expect(runIn(tag, "./bin/migrate", []).out).toContain("migrate: nothing to do");
  });

  it("a source-only change keeps cargo fetch CACHED", () => {
    appendFileSync(path.join(dir, "src/bin/migrate.rs"), "\n// a source-only change\n");
    const again = buildx(dir, tag);
    expect(again.ok, again.log).toBe(true);
    expect(stepCached(again.log, "cargo fetch")).toBe(true);
  }, 1_800_000);
});

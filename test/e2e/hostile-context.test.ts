// Hostile contexts on the real engine: real repositories carry symlinks that
// point outside the context (dangling, `..`, absolute system paths). A plain
// Dockerfile `COPY . .` copies them as links; the frontend must too, never
// following one out of the context.
import { describe, it, expect, beforeAll } from "vitest";
import { mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { buildx, copyFixture, inspect, requireEngine, runAndFetch, runIn } from "./engine.js";

beforeAll(() => requireEngine());

describe("symlinks that point outside the context (issue 11, defect 1)", () => {
  const tag = "reliability-e2e/outside-links";
  let dir: string;
  let built: ReturnType<typeof buildx>;

  beforeAll(() => {
    dir = copyFixture("node-npm");
    mkdirSync(path.join(dir, "docs"));
    symlinkSync("/nonexistent/file", path.join(dir, "docs", "link"));
    symlinkSync("../../../outside", path.join(dir, "up"));
    symlinkSync("/etc", path.join(dir, "etclink"));
    built = buildx(dir, tag);
  });

  it("builds, and the image answers HTTP as uid 1000", async () => {
    expect(built.ok, built.log.slice(-3000)).toBe(true);
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("uid=1000");
    expect(inspect(tag).Config.Cmd).toEqual(["npm", "start"]);
  });

  it("keeps the links as links: nothing outside the context was copied in", () => {
    expect(built.ok).toBe(true);
    const r = runIn(tag, "/bin/sh", ["-c", "readlink /app/docs/link; readlink /app/up; readlink /app/etclink; test -L /app/etclink && echo ETC_IS_LINK"]);
    expect(r.out).toContain("/nonexistent/file");
    expect(r.out).toContain("../../../outside");
    expect(r.out).toContain("ETC_IS_LINK");
  });
});

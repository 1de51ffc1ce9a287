// Hostile contexts on the real engine: real repositories carry symlinks that
// point outside the context (dangling, `..`, absolute system paths). A plain
// Dockerfile `COPY . .` copies them as links; the frontend must too, never
// following one out of the context.
import { describe, it, expect, beforeAll } from "vitest";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
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

describe("app.json env with names runc refuses, and credential values (issue 11, defects 4 and 10)", () => {
  const tag = "reliability-e2e/bad-env-names";
  const VALUE = "postgres://u:e2e-db-password-9931@db/x";
  let built: ReturnType<typeof buildx>;

  beforeAll(() => {
    const dir = copyFixture("node-npm");
    writeFileSync(path.join(dir, "app.json"), JSON.stringify({ env: { "": "x", "A B=C": "y", PATH: "/nowhere", DATABASE_URL: VALUE, GREETING: "hi" } }));
    built = buildx(dir, tag);
  });

  it("builds (the bad names used to fail inside runc), warning about each name", () => {
    expect(built.ok, built.log.slice(-3000)).toBe(true);
    expect(built.log).toContain("app.json: env: a name is empty");
    expect(built.log).toMatch(/app\.json: env: \\?"A B=C\\?" is not a variable name/);
    expect(built.log).toContain("app.json: env: PATH is reserved");
  });

  it("the credential's value is in neither the result label nor the metadata", () => {
    expect(built.ok).toBe(true);
    const label = inspect(tag).Config.Labels["io.miget.build.result"];
    expect(JSON.parse(label).env).toEqual({ DATABASE_URL: null, GREETING: "hi" });
    expect(label).not.toContain("e2e-db-password");
    expect(String(built.metadata?.["frontend.miget.result"])).not.toContain("e2e-db-password");
  });
});

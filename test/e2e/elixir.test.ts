// Elixir on a real engine: an OTP app without Hex packages (Hex is not
// reachable here), built as a Mix release through the frontend stub, runs
// as uid 1000 and answers HTTP on PORT. The stand-in holds Debian's Elixir
// 1.14.0 / OTP 25, which the fixture pins.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { buildx, copyFixture, fixtureDir, inspect, requireEngine, runAndFetch, runIn, stepCached } from "./engine.js";

describe("elixir-release (Mix release, :gen_tcp server)", () => {
  const tag = "migetpacks-e2e/elixir-release";
  let first: ReturnType<typeof buildx>;
  beforeAll(() => {
    requireEngine();
    first = buildx(fixtureDir("elixir-release"), tag);
    if (!first.ok) throw new Error(`build failed:\n${first.log}`);
  });

  it("runs the release as uid 1000 and answers on PORT", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["/app/bin/hello", "start"]);
    const res = await runAndFetch(tag, { port: 5000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^hello from elixir uid=1000 otp=25/);
    expect(res.uid).toBe("1000");
  });

  it("honours PORT", async () => {
    const res = await runAndFetch(tag, { port: 8080, env: { PORT: "8080" } });
    expect(res.body).toContain("hello from elixir");
  });

  it("ships the release only: no sources, no Mix project", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls /app; ls /app/lib | head -3"]);
    expect(r.out).toMatch(/\bbin\b/);
    expect(r.out).toMatch(/\breleases\b/);
    expect(r.out).not.toMatch(/mix\.exs/);
  });

  it("after a source-only change the mix files layer is CACHED", () => {
    const dir = copyFixture("elixir-release");
    expect(buildx(dir, `${tag}-edit`).ok).toBe(true);
    appendFileSync(path.join(dir, "lib/hello/server.ex"), "\n# a source-only change\n");
    const edited = buildx(dir, `${tag}-edit`);
    expect(edited.ok, edited.log).toBe(true);
    expect(stepCached(edited.log, "copy mix files")).toBe(true);
  });
});

// The shape `mix phx.gen.release` leaves (no `releases:` key, rel/overlays/bin/server),
// versions from Heroku's elixir_buildpack.config, the port from config/runtime.exs.
describe("elixir-gen-release (release without a releases: key, elixir_buildpack.config)", () => {
  const tag = "migetpacks-e2e/elixir-gen-release";
  let first: ReturnType<typeof buildx>;
  beforeAll(() => {
    requireEngine();
    first = buildx(fixtureDir("elixir-gen-release"), tag);
    if (!first.ok) throw new Error(`build failed:\n${first.log}`);
  });

  it("builds on the Elixir and OTP elixir_buildpack.config names", () => {
    expect(first.log).toContain("migetpacks: elixir 1.14.0 (elixir_buildpack.config)");
    expect(first.log).toContain("elixir:1.14.0-otp-25");
  });

  it("runs the app's release as uid 1000, with the port runtime.exs reads from PORT", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["/app/bin/shelf", "start"]);
    const res = await runAndFetch(tag, { port: 8080, env: { PORT: "8080" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^hello from shelf uid=1000 otp=25 server_flag=false/);
    expect(res.uid).toBe("1000");
  });

  it("the release carries rel/overlays (bin/server, bin/migrate), and they run", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls /app/bin; /app/bin/migrate"]);
    expect(r.out).toMatch(/\bserver\b/);
    expect(r.out).toContain("no migrations");
  });
});

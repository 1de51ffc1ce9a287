// Ruby through the real frontend: a Rack-free app (standard library only,
// plus a local `path:` gem, since RubyGems is out of reach here) builds with
// Bundler from Gemfile + Gemfile.lock, runs as uid 1000 and answers HTTP on
// PORT; a source-only change leaves `bundle install` CACHED.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { buildx, copyFixture, fixtureDir, inspect, requireEngine, ROOT, runAndFetch, runIn, stepCached, type BuildResult } from "./engine.js";

beforeAll(() => requireEngine());

describe("ruby-stdlib", () => {
  const tag = "rubyphp-e2e/ruby-stdlib";
  let first: BuildResult;
  beforeAll(() => {
    first = buildx(fixtureDir("ruby-stdlib"), tag);
    if (!first.ok) throw new Error(`build of ruby-stdlib failed:\n${first.log}`);
    console.log(`ruby-stdlib: built in ${first.seconds.toFixed(1)}s`);
  });

  it("answers HTTP 200 on PORT as uid 1000, through Bundler, with the local gem loaded", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from ruby-stdlib uid=1000 ruby=3.1.2 greeting-gem-ok bundler=2.3.15");
    expect(res.uid).toBe("1000");
  });

  it("honours another PORT", async () => {
    const res = await runAndFetch(tag, { port: 8080, env: { PORT: "8080" } });
    expect(res.body).toContain("hello from ruby-stdlib");
  });

  it("runs `bundle exec ruby app.rb` from /app as 1000:1000 with the gems' environment", () => {
    const cfg = inspect(tag).Config;
    expect(cfg).toMatchObject({ User: "1000:1000", WorkingDir: "/app", Cmd: ["bundle", "exec", "ruby", "app.rb"] });
    expect(cfg.Env).toEqual(expect.arrayContaining(["PORT=5000", "BUNDLE_PATH=/app/vendor/bundle", "BUNDLE_DEPLOYMENT=1", "BUNDLE_WITHOUT=development:test", "RACK_ENV=production"]));
  });

  it("ships the app and its gems, not the seeds' cleanup list (spec/)", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls -A /app; test -d /app/spec && echo HAS-SPEC; stat -c %u /app/tmp/pids /app/log; bundle check"]);
    expect(r.out).toContain("app.rb");
    expect(r.out).toContain("vendor");
    expect(r.out).not.toContain("HAS-SPEC");
    expect(r.out).toContain("1000\n1000");
    expect(r.out).toContain("The Gemfile's dependencies are satisfied");
  });

  it("says what it detected in the build output", () => {
    expect(first.log).toContain("migetpacks: ruby 3.1.2 (.ruby-version), bundler");
  });

  it("after a source-only change `bundle install` is CACHED", () => {
    const dir = copyFixture("ruby-stdlib");
    const warm = buildx(dir, `${tag}-edit`);
    expect(warm.ok, warm.log).toBe(true);
    appendFileSync(path.join(dir, "app.rb"), `\n# a source-only change ${Date.now()}\n`);
    const edited = buildx(dir, `${tag}-edit`);
    expect(edited.ok, edited.log).toBe(true);
    expect(stepCached(edited.log, "bundle install")).toBe(true);
    expect(stepCached(edited.log, "install Bundler")).toBe(true);
    expect(stepCached(edited.log, "copy source")).toBe(false);
    console.log(`ruby-stdlib: first ${first.seconds.toFixed(1)}s, after a source edit ${edited.seconds.toFixed(1)}s`);
  });
});

describe("ruby-stdlib with USE_DHI=true (hardened, shell-less runtime)", () => {
  const tag = "rubyphp-e2e/ruby-stdlib-dhi";
  beforeAll(() => {
    execFileSync("node", ["scripts/standins.mjs", "--dhi", fixtureDir("ruby-stdlib")], { cwd: ROOT, stdio: "inherit" });
    const b = buildx(fixtureDir("ruby-stdlib"), tag, { buildArgs: { USE_DHI: "true" } });
    if (!b.ok) throw new Error(`build failed:\n${b.log}`);
  });

  it("starts through `ruby -S bundle exec` without a shell and answers as nonroot", async () => {
    const cfg = inspect(tag).Config;
    expect(cfg.Cmd).toEqual(["ruby", "-S", "bundle", "exec", "ruby", "app.rb"]);
    expect(cfg.User).toBe("65532:65532");
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from ruby-stdlib uid=65532 ruby=3.1.2 greeting-gem-ok bundler=2.3.15");
    const sh = runIn(tag, "/bin/sh", ["-c", "echo hi"]);
    expect(sh.code).not.toBe(0);
  });
});

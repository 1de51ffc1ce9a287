import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { RecordingContext } from "../../src/context/recording.js";
import { UserError, type BuildContext } from "../../src/context/fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { detectionReads } from "../../src/detect/registry.js";
import { followUpReads, isDeclaredRead } from "../../src/detect/follow-up.js";
import { rubyProvider } from "../../src/providers/ruby/index.js";
import { parseGemfile, requirementToRange } from "../../src/providers/ruby/gemfile.js";
import { parseGemfileLock } from "../../src/providers/ruby/lockfile.js";
import { defaultRubyVersion, resolveRubyVersion } from "../../src/providers/ruby/version.js";
import { rubyExecForm } from "../../src/providers/ruby/exec-form.js";
import type { BuildPlan, RunStep } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";
import { userError } from "../helpers/user-error.js";

type Files = Record<string, string>;
const fixture = (name: string) => new LocalContext(path.resolve(__dirname, "../../fixtures", name));
const plan = async (ctx: BuildContext, args: Files = {}) => (await buildPlan(ctx, args)).plan;
const mem = (files: Files, args: Files = {}) => plan(new MemoryContext(files), args);
const stage = (p: BuildPlan) => p.stages.find((s) => s.name === "build")!;
const run = (p: BuildPlan, name: string) => stage(p).steps.find((s) => s.kind === "run" && s.name.startsWith(name)) as RunStep | undefined;

function syncError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error("no error");
}

const LOCK = (extra = "", bundler = "2.5.22") => `GEM
  remote: https://gems.example.com/
  specs:
    puma (6.4.3)
      nio4r (~> 2.0)
    nio4r (2.7.3)
    rack (3.1.7)
${extra}
PLATFORMS
  ruby
  x86_64-linux

DEPENDENCIES
  puma
  rack

BUNDLED WITH
   ${bundler}
`;
const rackApp = (files: Files = {}): Files => ({ Gemfile: 'source "https://gems.example.com"\ngem "puma"\ngem "rack"\n', "Gemfile.lock": LOCK(), "config.ru": "run ->(e) { [200, {}, ['ok']] }\n", ...files });

describe("Gemfile", () => {
  it("reads the ruby directive, gems, local paths, gemspec and eval_gemfile; comments and strings are told apart", () => {
    const g = parseGemfile(
      [
        'source "https://gems.example.com" # main',
        "ruby '~> 3.2', '>= 3.2.2' # the line",
        'gem "pg", "~> 1.1"',
        "gem 'hello', path: 'vendor/gems/hello'",
        'gem "old", :path => "lib/old" # hash rocket',
        '# gem "commented", path: "nope"',
        'gem "tag#hash", git: "x"',
        'path "components" do',
        '  gem "billing"',
        "end",
        "gemspec",
        'eval_gemfile "Gemfile.shared"',
      ].join("\n"),
    );
    expect(g.ruby).toMatchObject({ requirements: ["~> 3.2", ">= 3.2.2"], line: 2 });
    // `"tag#hash"` could be interpolation: not read.
    expect(g.gems.map((x) => x.name)).toEqual(["pg", "hello", "old", "billing"]);
    expect(g.paths.map((p) => p.dir)).toEqual(["vendor/gems/hello", "lib/old", "components"]);
    expect(g.gemspec).toBe(true);
    expect(g.evalGemfiles).toEqual(["Gemfile.shared"]);
  });

  it('reads `ruby file: ".ruby-version"` and ignores computed versions', () => {
    expect(parseGemfile('ruby file: ".ruby-version"\n').ruby).toMatchObject({ requirements: [], file: ".ruby-version" });
    expect(parseGemfile("ruby File.read('.ruby-version').strip\n").ruby).toBeUndefined();
    expect(parseGemfile('ruby "3.3.0", engine: "jruby", engine_version: "9.4"\n').ruby).toMatchObject({ requirements: ["3.3.0"], engine: "jruby" });
  });

  it("a string that is never closed is one error naming the Gemfile line", () => {
    const e = syncError(() => parseGemfile('source "https://gems.example.com"\ngem "pg, \'~> 1.1\'\n'));
    expect(e.file).toBe("Gemfile");
    expect(e.message).toMatch(/^Gemfile line 2: a string is not closed/);
  });

  it("requirements become semver ranges", () => {
    expect(requirementToRange(["~> 3.2"])).toBe(">=3.2.0 <4.0.0-0");
    expect(requirementToRange(["~> 3.2.1"])).toBe(">=3.2.1 <3.3.0-0");
    expect(requirementToRange(["3.3.0"])).toBe("3.3.0");
    expect(requirementToRange(["3.3"])).toBe(">=3.3.0 <3.4.0-0");
    expect(requirementToRange([">= 3.1", "< 3.4"])).toBe(">=3.1.0 <3.4.0");
    expect(requirementToRange(["latest"])).toBeUndefined();
  });
});

describe("Gemfile.lock", () => {
  it("reads specs, precompiled Linux gems, PATH sources, platforms, RUBY VERSION and BUNDLED WITH", () => {
    const l = parseGemfileLock(`PATH
  remote: vendor/gems/hello
  specs:
    hello (0.1.0)

GEM
  remote: https://gems.example.com/
  specs:
    nokogiri (1.16.7-x86_64-linux)
      racc (~> 1.4)
    pg (1.5.9)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  hello!
  pg

CHECKSUMS
  pg (1.5.9) sha256=abc

RUBY VERSION
   ruby 3.3.6p108

BUNDLED WITH
   2.5.22
`);
    expect([...l.specs].sort()).toEqual(["hello", "nokogiri", "pg"]);
    expect([...l.linuxNative]).toEqual(["nokogiri"]);
    expect(l.paths).toEqual(["vendor/gems/hello"]);
    expect(l.platforms).toEqual(["x86_64-linux"]);
    expect(l.ruby).toBe("3.3.6");
    expect(l.bundler).toBe("2.5.22");
  });

  it.each([
    ["a merge conflict", LOCK("<<<<<<< HEAD\n    pg (1.5.9)\n=======\n    pg (1.5.8)\n>>>>>>> main\n"), /line \d+: an unresolved merge conflict/],
    ["an unknown section", "GEMS\n  remote: x\n", /line 1: "GEMS" is not a Gemfile.lock section/],
    ["a damaged spec line", LOCK("    pg 1.5.9\n"), /"pg 1.5.9" is not a `name \(version\)` spec line/],
    ["a bad BUNDLED WITH", LOCK("", "two"), /BUNDLED WITH "two" is not a Bundler version/],
    ["no sections at all", "hello\n", /"hello" is not a Gemfile.lock section/],
    ["an empty file", "\n", /has no Gemfile.lock sections/],
  ])("%s is one error naming Gemfile.lock", (_what, text, re) => {
    const e = syncError(() => parseGemfileLock(text));
    expect(e.file).toBe("Gemfile.lock");
    expect(e.message).toMatch(re);
  });

  it("through the pipeline too", async () => {
    const e = await userError(mem(rackApp({ "Gemfile.lock": LOCK("<<<<<<< HEAD\n") })));
    expect(e.file).toBe("Gemfile.lock");
  });

  it("a lockfile without a Linux or ruby platform names the fix", async () => {
    const e = await userError(mem(rackApp({ "Gemfile.lock": LOCK().replace("  ruby\n  x86_64-linux\n", "  arm64-darwin-23\n") })));
    expect(e.message).toContain("bundle lock --add-platform x86_64-linux");
  });
});

describe("Ruby version", () => {
  it.each([
    ["3.3.6", "3.3.6"],
    ["ruby-3.2.4", "3.2.4"],
    ["3.3", "3.3.9"],
    ["~> 3.2", "3.4.7"],
    ["3.1.2p20", "3.1.2"],
    ["3.3.42", "3.3.42"], // a newer patch of a known line: trusted
  ])(".ruby-version %s → %s", (raw, want) => {
    expect(resolveRubyVersion(raw)).toEqual({ ok: true, version: want });
  });
  it.each(["jruby-9.4.5.0", "2.6.10", "3.3.x.y", "latest please"])("%s is refused with a reason", (raw) => {
    expect(resolveRubyVersion(raw).ok).toBe(false);
  });

  it("priority: RUBY_VERSION > .ruby-version > .tool-versions > Gemfile ruby > Gemfile.lock RUBY VERSION", async () => {
    const all: Files = rackApp({
      ".ruby-version": "3.2.4\n",
      ".tool-versions": "nodejs 22\nruby 3.1.6\n",
      Gemfile: 'ruby "3.3.5"\ngem "puma"\ngem "rack"\n',
      "Gemfile.lock": LOCK("\nRUBY VERSION\n   ruby 3.3.5p100\n"),
    });
    const pick = async (drop: string[], args: Files = {}) => {
      const files = { ...all };
      for (const d of drop) delete files[d];
      const r = (await mem(files, args)).result;
      return `${r.version} ${r.versionSource}`;
    };
    expect(await pick([], { RUBY_VERSION: "3.4" })).toBe("3.4.7 build arg RUBY_VERSION");
    expect(await pick([])).toBe("3.2.4 .ruby-version");
    expect(await pick([".ruby-version"])).toBe("3.1.6 .tool-versions");
    expect(await pick([".ruby-version", ".tool-versions"])).toBe("3.3.5 Gemfile ruby");
  });

  it("a Gemfile range that the lockfile's RUBY VERSION satisfies takes the locked release", async () => {
    const r = (await mem(rackApp({ Gemfile: 'ruby "~> 3.2"\ngem "puma"\n', "Gemfile.lock": LOCK("\nRUBY VERSION\n   ruby 3.2.4p170\n") }))).result;
    expect([r.version, r.versionSource]).toEqual(["3.2.4", "Gemfile.lock RUBY VERSION"]);
  });

  it("`ruby file:` reads the named file; a missing one names the Gemfile line", async () => {
    const r = (await mem(rackApp({ Gemfile: 'ruby file: ".ruby-version.prod"\ngem "puma"\n', ".ruby-version.prod": "3.3.4\n" }))).result;
    expect([r.version, r.versionSource]).toEqual(["3.3.4", ".ruby-version.prod (Gemfile ruby file:)"]);
    const e = await userError(mem(rackApp({ Gemfile: 'ruby file: ".ruby-version"\n' })));
    expect(e.message).toMatch(/^Gemfile line 1: `ruby file: ".ruby-version"` names a file that is not in the build context/);
  });

  it("a bad .ruby-version is one error naming the file", async () => {
    const e = await userError(mem(rackApp({ ".ruby-version": "jruby-9.4.5.0\n" })));
    expect(e.file).toBe(".ruby-version");
    expect(e.message).toContain("only CRuby");
  });

  it("no version anywhere: the newest 3.4 release", async () => {
    const r = (await mem(rackApp())).result;
    expect([r.version, r.versionSource]).toEqual([defaultRubyVersion(), "default"]);
    expect(defaultRubyVersion()).toMatch(/^3\.4\.\d+$/);
  });
});

describe("Ruby detection", () => {
  it.each(["Gemfile", "Rakefile", "config.ru"])("%s marks Ruby", async (m) => expect(await rubyProvider.matches(new MemoryContext({ [m]: "" }))).toBe(true));
  it("a Rails app with package.json and requirements.txt is Ruby (detection order)", async () => {
    expect((await mem(rackApp({ "package.json": "{}", "requirements.txt": "" }))).result.language).toBe("ruby");
  });
  it("reads only declared paths (fixtures)", async () => {
    for (const name of ["ruby-stdlib", "ruby-rails"]) {
      const extra = await followUpReads(fixture(name), {});
      const rec = new RecordingContext(fixture(name));
      await buildPlan(rec, {});
      expect([...rec.paths].filter((p) => !isDeclaredRead(p, [...detectionReads(), ...extra])), name).toEqual([]);
    }
  });
});

describe("Ruby plans", () => {
  it("installs Bundler at BUNDLED WITH, then gems from Gemfile + Gemfile.lock alone, with the gem cache as a cache mount", async () => {
    const p = await mem(rackApp());
    const s = stage(p);
    expect(s.image).toBe("ruby:3.4.7");
    expect(s.workdir).toBe("/app");
    expect(run(p, "install Bundler 2.5.22")!.shell).toContain("gem install bundler --version 2.5.22");
    const copy = s.steps.find((x) => x.kind === "copy")!;
    expect(copy).toMatchObject({ include: ["Gemfile", "Gemfile.lock"] });
    const install = run(p, "bundle install")!;
    expect(install.caches).toEqual(["gems"]);
    expect(p.caches.gems!.target).toBe("/app/vendor/bundle/ruby/3.4.0/cache");
    expect(s.env).toEqual(expect.arrayContaining([["BUNDLE_DEPLOYMENT", "1"], ["BUNDLE_WITHOUT", "development:test"], ["BUNDLE_PATH", "/app/vendor/bundle"]]));
    expect(p.runtime.copies.map((c) => c.src)).toEqual(["/app/vendor/bundle", "/app"]);
    expect(p.runtime.copies[1]!.exclude).toEqual(expect.arrayContaining([".git", ".github", "test", "tests", "spec", "features", ".rspec", ".rubocop*", "vendor/bundle"]));
  });

  it("BUNDLE_WITHOUT is an option (empty installs every group); no lockfile: no deployment mode, a warning", async () => {
    const p = await mem(rackApp(), { BUNDLE_WITHOUT: "" });
    expect(stage(p).env).toContainEqual(["BUNDLE_WITHOUT", ""]);
    const files = rackApp();
    delete files["Gemfile.lock"];
    const q = await mem(files);
    expect(stage(q).env.map(([k]) => k)).not.toContain("BUNDLE_DEPLOYMENT");
    expect(q.warnings.join("\n")).toContain("Gemfile.lock is missing");
  });

  it("local path: gems are copied before the install; one outside the context or missing is an error naming the line", async () => {
    const p = await plan(fixture("ruby-stdlib"));
    expect(stage(p).steps.find((x) => x.kind === "copy")).toMatchObject({ include: ["Gemfile", "Gemfile.lock", "vendor/gems/greeting/**"] });
    const out = await userError(mem(rackApp({ Gemfile: 'gem "puma"\ngem "shared", path: "../shared"\n' })));
    expect(out.message).toMatch(/^Gemfile line 2: the local gem at "\.\.\/shared" is outside the build context/);
    const missing = await userError(mem(rackApp({ Gemfile: 'gem "puma"\ngem "mine", path: "gems/mine"\n' })));
    expect(missing.message).toContain('"gems/mine" is not in the build context');
  });

  it("start: config.ru + puma (config/puma.rb when present), rackup, app.rb, Procfile and RUN_COMMAND", async () => {
    expect((await mem(rackApp())).result.runCommand).toBe("bundle exec puma -b tcp://0.0.0.0:$PORT");
    expect((await mem(rackApp({ "config/puma.rb": 'port ENV.fetch("PORT", 3000)\n' }))).runtime.cmd).toEqual(["bundle", "exec", "puma", "-C", "config/puma.rb"]);
    const noPuma = rackApp({ Gemfile: 'gem "rack"\n', "Gemfile.lock": LOCK().replace("    puma (6.4.3)\n      nio4r (~> 2.0)\n", "") });
    expect((await mem(noPuma)).result.runCommand).toBe("bundle exec rackup -o 0.0.0.0 -p $PORT");
    expect((await mem({ Gemfile: "", "app.rb": "" })).result.runCommand).toBe("bundle exec ruby app.rb");
    expect((await mem(rackApp({ Procfile: "web: bundle exec puma -C config/puma.rb\n" }))).result.runCommand).toBe("bundle exec puma -C config/puma.rb");
    expect((await mem(rackApp(), { RUN_COMMAND: "ruby server.rb" })).runtime.cmd).toEqual(["ruby", "server.rb"]);
    const e = await userError(mem({ Rakefile: "" }));
    expect(e.message).toContain("Procfile");
    expect((await mem({ Rakefile: "", "server.rb": "" })).result.runCommand).toBe("ruby server.rb");
    expect((await userError(mem({ "config.ru": "" }))).message).toContain("config.ru needs a Rack server");
  });

  it("native gems bring their runtime libraries; precompiled Linux builds of nokogiri/sqlite3 need none", async () => {
    const p = await plan(fixture("ruby-rack"));
    expect(p.runtime.packages).toEqual(["libmariadb3", "libxml2", "libxslt1.1"]);
    const q = await mem(rackApp({ Gemfile: 'gem "pg"\ngem "mini_magick"\ngem "ruby-vips"\n', "Gemfile.lock": LOCK("    pg (1.5.9)\n    mini_magick (4.13.2)\n    ruby-vips (2.2.2)\n") }));
    expect(q.runtime.packages).toEqual(["imagemagick", "libpq5", "libvips"]);
  });

  it("image_processing (Rails' Active Storage variants) needs libvips, not ImageMagick, which it only locks as an alternative; typhoeus/ethon load libcurl", async () => {
    const lock = LOCK("    image_processing (1.13.0)\n      mini_magick (>= 4.9.5, < 5)\n      ruby-vips (>= 2.0.17, < 3)\n    mini_magick (4.13.2)\n    ruby-vips (2.2.2)\n    typhoeus (1.4.1)\n      ethon (>= 0.9.0)\n    ethon (0.16.0)\n");
    const p = await mem(rackApp({ Gemfile: 'gem "puma"\ngem "image_processing", "~> 1.2"\ngem "typhoeus"\n', "Gemfile.lock": lock }));
    expect(p.runtime.packages).toEqual(["libcurl4", "libvips"]);
    // A direct mini_magick (or an app that switched Active Storage to it) still gets ImageMagick.
    const direct = await mem(rackApp({ Gemfile: 'gem "puma"\ngem "image_processing"\ngem "mini_magick"\n', "Gemfile.lock": lock }));
    expect(direct.runtime.packages).toContain("imagemagick");
    const configured = await mem(rackApp({ Gemfile: 'gem "puma"\ngem "image_processing"\n', "Gemfile.lock": lock, "config/application.rb": "config.active_storage.variant_processor = :mini_magick\n" }));
    expect(configured.runtime.packages).toContain("imagemagick");
  });
});

describe("Rails", () => {
  it("precompiles assets with a throwaway SECRET_KEY_BASE in that step's env only, after the Node.js assets stage", async () => {
    const p = await plan(fixture("ruby-rails"));
    expect(p.result.framework).toBe("rails");
    expect(p.stages.map((s) => s.name)).toEqual(["assets", "build"]);
    const step = run(p, "assets:precompile")!;
    expect(step.shell).toContain("bundle exec rake assets:precompile");
    const env: Record<string, string> = Object.fromEntries(step.env ?? []);
    expect(env).toMatchObject({ RAILS_ENV: "production", SECRET_KEY_BASE_DUMMY: "1", SKIP_JS_BUILD: "1", DATABASE_URL: expect.stringMatching(/^postgres:/) });
    expect(env.SECRET_KEY_BASE).toBeTruthy();
    // Nowhere else: not in stage env, not in the runtime.
    const everywhere = JSON.stringify({ stages: p.stages.map((s) => s.env), runtime: p.runtime, result: p.result });
    expect(everywhere).not.toContain(env.SECRET_KEY_BASE!);
    expect(everywhere).not.toContain("SECRET_KEY_BASE");
    // The source comes from the assets stage (built JS), the gems from the manifests.
    expect(stage(p).steps.find((x) => x.kind === "copy" && x.name === "copy source with built assets")).toBeDefined();
  });

  it("bootsnap is precompiled (gems with the install, code with the build); Procfile commands are kept", async () => {
    const p = await plan(fixture("ruby-rails"));
    expect(run(p, "bundle install")!.shell).toContain("bootsnap precompile --gemfile");
    expect(run(p, "assets:precompile")!.shell).toContain("bootsnap precompile app/ lib/");
    expect(p.result.processes).toMatchObject({ web: "./bin/rails server", release: "bundle exec rails db:migrate", workers: [{ name: "worker", command: "bundle exec sidekiq" }] });
    expect(p.runtime.env).toEqual(expect.arrayContaining([["RAILS_ENV", "production"], ["RAILS_LOG_TO_STDOUT", "enabled"], ["RAILS_SERVE_STATIC_FILES", "enabled"]]));
  });

  it("committed public/assets skip the precompile; an API-only app (no asset pipeline) has none", async () => {
    const files: Files = {
      Gemfile: 'gem "rails"\ngem "puma"\ngem "propshaft"\n',
      "Gemfile.lock": LOCK("    rails (8.0.1)\n    railties (8.0.1)\n    propshaft (1.1.0)\n"),
      "config/application.rb": "",
      "config.ru": "",
    };
    expect(run(await mem(files), "assets:precompile")).toBeDefined();
    const committed = await mem({ ...files, "public/assets/.manifest.json": "{}" });
    expect(run(committed, "assets:precompile")).toBeUndefined();
    expect(committed.warnings.join()).toContain("public/assets already holds");
    const api = await mem({ ...files, Gemfile: 'gem "rails"\ngem "puma"\n', "Gemfile.lock": LOCK("    rails (8.0.1)\n    railties (8.0.1)\n") });
    expect(run(api, "assets:precompile")).toBeUndefined();
    expect(api.result.framework).toBe("rails");
  });
});

describe("real-world Ruby shapes", () => {
  const railsFiles = (pkg: object): Files => ({
    Gemfile: 'gem "rails"\ngem "puma"\ngem "sprockets-rails"\ngem "jsbundling-rails"\ngem "cssbundling-rails"\n',
    "Gemfile.lock": LOCK("    rails (7.1.3)\n    railties (7.1.3)\n    sprockets-rails (3.5.2)\n    jsbundling-rails (1.3.1)\n    cssbundling-rails (1.4.1)\n"),
    "config/application.rb": "",
    "config.ru": "",
    "package.json": JSON.stringify(pkg),
    "package-lock.json": JSON.stringify({ lockfileVersion: 3, packages: {} }),
  });

  it("cssbundling-rails: the Node.js stage runs build:css too (`rails new --css tailwind`), and assets:precompile skips both bundlers", async () => {
    const p = await mem(railsFiles({ scripts: { build: "esbuild app/javascript/*.* --bundle --outdir=app/assets/builds", "build:css": "tailwindcss -o ./app/assets/builds/application.css --minify" } }));
    const assets = p.stages.find((s) => s.name === "assets")!;
    const shells = assets.steps.filter((x) => x.kind === "run").map((x) => (x as RunStep).shell);
    expect(shells.at(-1)).toBe("npm run build && npm run build:css");
    expect(Object.fromEntries(run(p, "assets:precompile")!.env ?? [])).toMatchObject({ SKIP_JS_BUILD: "1", SKIP_CSS_BUILD: "1" });
  });

  it("cssbundling-rails with importmap (only build:css): a Node.js stage builds the CSS; the Ruby image has no node for cssbundling to call", async () => {
    const p = await mem(railsFiles({ scripts: { "build:css": "sass ./app/assets/stylesheets/application.bootstrap.scss:./app/assets/builds/application.css" } }));
    expect(p.stages.map((s) => s.name)).toEqual(["assets", "build"]);
    const assets = p.stages.find((s) => s.name === "assets")!;
    expect((assets.steps.at(-1) as RunStep).shell).toBe("npm run build:css");
    expect(Object.fromEntries(run(p, "assets:precompile")!.env ?? [])).toMatchObject({ SKIP_CSS_BUILD: "1" });
  });

  it("Hanami 2: its puma.rb listens on HANAMI_PORT, so puma binds PORT itself; HANAMI_ENV=production; framework hanami", async () => {
    const lock = LOCK("    hanami (2.2.1)\n    hanami-router (2.2.0)\n");
    const p = await mem(
      rackApp({ Gemfile: 'gem "hanami", "~> 2.2"\ngem "hanami-router"\ngem "puma"\n', "Gemfile.lock": lock, "config/puma.rb": 'port ENV.fetch("HANAMI_PORT", 2300)\nenvironment ENV.fetch("HANAMI_ENV", "development")\n' }),
    );
    expect(p.result.framework).toBe("hanami");
    expect(p.result.runCommand).toBe("bundle exec puma -C config/puma.rb -b tcp://0.0.0.0:$PORT");
    expect(p.runtime.env).toEqual(expect.arrayContaining([["HANAMI_ENV", "production"]]));
    // A puma.rb that reads PORT (Rails' own) is trusted as it is.
    const rails = await mem(rackApp({ "config/puma.rb": 'port ENV.fetch("PORT", 3000)\n' }));
    expect(rails.result.runCommand).toBe("bundle exec puma -C config/puma.rb");
    const single = await mem(rackApp({ "config/puma.rb": "port ENV.fetch('PORT') { 3000 }\n" }));
    expect(single.result.runCommand).toBe("bundle exec puma -C config/puma.rb");
  });

  it("Sinatra and Roda are named as the framework (from the Gemfile, not from gems that merely depend on them)", async () => {
    expect((await mem(rackApp({ Gemfile: 'gem "sinatra"\ngem "puma"\n' }))).result.framework).toBe("sinatra");
    expect((await mem(rackApp({ Gemfile: 'gem "roda"\ngem "puma"\n' }))).result.framework).toBe("roda");
    expect((await mem(rackApp({ Gemfile: 'gem "puma"\n', "Gemfile.lock": LOCK("    sinatra (4.1.1)\n") }))).result.framework).toBeUndefined();
  });
});

describe("hardened runtime (USE_DHI)", () => {
  it.each([
    ["./bin/rails server", ["ruby", "bin/rails", "server"]],
    ["bin/rails server", ["ruby", "bin/rails", "server"]],
    ["bundle exec puma -C config/puma.rb", ["ruby", "-S", "bundle", "exec", "puma", "-C", "config/puma.rb"]],
    ["bundle exec ./bin/rails server", ["ruby", "-S", "bundle", "exec", "ruby", "bin/rails", "server"]],
    ["rake jobs:work", ["ruby", "-S", "rake", "jobs:work"]],
    ["ruby app.rb", ["ruby", "app.rb"]],
    ["/usr/local/bin/thing", ["/usr/local/bin/thing"]],
  ])("%s → %j", (cmd, argv) => expect(rubyExecForm(cmd.split(" "))).toEqual(argv));

  it("runs on dhi.io/ruby as nonroot with `$PORT` expanded", async () => {
    const p = await mem(rackApp(), { USE_DHI: "true" });
    expect(p.runtime).toMatchObject({ image: "dhi.io/ruby:3.4.7", user: "65532:65532", cmd: ["ruby", "-S", "bundle", "exec", "puma", "-b", "tcp://0.0.0.0:5000"], shell: false });
    expect(stage(p).image).toBe("dhi.io/ruby:3.4.7-dev");
  });

  it("refuses when native gems need system packages", async () => {
    const e = await userError(mem(rackApp({ Gemfile: 'gem "pg"\n', "Gemfile.lock": LOCK("    pg (1.5.9)\n") }), { USE_DHI: "true" }));
    expect(e.message).toContain("libpq5");
  });
});

describe("version files of version managers", () => {
  it("mise pins Ruby too (mise.toml, .mise.toml), after .ruby-version", async () => {
    const p = await mem(rackApp({ "mise.toml": '[tools]\nruby = "3.3.6"\n' }));
    expect(p.result).toMatchObject({ version: "3.3.6", versionSource: "mise.toml" });
    expect((await mem(rackApp({ ".mise.toml": '[tools]\nruby = "3.2"\n', ".ruby-version": "3.3.6\n" }))).result.versionSource).toBe(".ruby-version");
    expect((await mem(rackApp({ ".tool-versions": "ruby 3.3.6\n" }))).result.versionSource).toBe(".tool-versions");
  });
});

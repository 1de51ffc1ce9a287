// Ruby: Bundler at the lockfile's version, gems installed into vendor/bundle
// from Gemfile + Gemfile.lock (+ local path: gems) alone, so a source change
// keeps the install; Rails assets precompiled with a throwaway secret that
// lives in that step's env only; bootsnap precompiled; a slim runtime with the
// system libraries native gems load. Build and runtime both use /app, so
// paths baked at build time (bootsnap's cache, binstubs) stay valid.
import path from "node:path";
import * as z from "../../lib/zod.js";
import { isFile, readJson, readText, readVersionFile, UserError, type BuildContext } from "../../context/fs.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { BuildPlanInput, CopyStep, EnvList, RunStep } from "../../kit/schema.js";
import { commandArgv, selectWebCommand } from "../../kit/run-command.js";
import { COMMON_RUNTIME_EXCLUDES } from "../../kit/cleanup.js";
import { DEFAULT_PATH } from "../../kit/image-env.js";
import { NONROOT } from "../../kit/hardened.js";
import type { PlanInput, Provider } from "../../kit/provider.js";
import { parseGemfile, type Gemfile } from "./gemfile.js";
import { parseGemfileLock, supportsLinux, type GemLock } from "./lockfile.js";
import { abiVersion, pickRubyVersion } from "./version.js";
import { toolVersion, TOOL_VERSION_FILES } from "../../manifest/tool-versions.js";
import type { VersionPick } from "../../kit/version-pick.js";
import { rubyExecForm } from "./exec-form.js";

const RubySettings = z.object({
  RUBY_VERSION: z.string().trim().optional(),
  /** Bundler groups left out (`development:test`); empty installs every group. */
  BUNDLE_WITHOUT: z.string().optional(),
});

const MARKERS = ["Gemfile", "Rakefile", "config.ru"];
const APP = "/app";
const BUNDLE = `${APP}/vendor/bundle`;
const ENTRY_FILES = ["app.rb", "server.rb", "main.rb"];
const ASSET_MANIFESTS = ["public/assets/.manifest.json", "public/assets/.sprockets-manifest-*.json", "public/assets/manifest-*.json"];

/** The seeds' runtime cleanup list for Ruby (the gem cache is a cache mount and never reaches a layer). */
export const RUBY_RUNTIME_EXCLUDES = [...COMMON_RUNTIME_EXCLUDES, "test", "tests", "spec", "features", ".rspec", ".rubocop*", "vendor/bundle/ruby/*/cache", ".bundle", "node_modules", "tmp/cache/assets"];

/** Native gems → the Debian packages holding the shared libraries they load at run time (names valid from bullseye to trixie). */
// `bundled`: the gem's precompiled Linux builds carry their own copy of the library.
// `direct`: only when the Gemfile names the gem (image_processing locks mini_magick as an alternative to ruby-vips, which Rails 7+ uses).
const NATIVE_LIBS: readonly { gems: readonly string[]; packages: readonly string[]; bundled?: boolean; direct?: boolean }[] = [
  { gems: ["pg"], packages: ["libpq5"] },
  { gems: ["mysql2"], packages: ["libmariadb3"] },
  { gems: ["sqlite3"], packages: ["libsqlite3-0"], bundled: true },
  { gems: ["nokogiri"], packages: ["libxml2", "libxslt1.1"], bundled: true },
  // ruby-vips loads libvips through FFI; `libvips` is provided by each release's library package (libvips42, libvips42t64), as Rails' own Dockerfile installs it (libvips-tools would add python3).
  { gems: ["ruby-vips", "image_processing"], packages: ["libvips"] },
  // Paperclip, Dragonfly and CarrierWave's MiniMagick module shell out to ImageMagick's tools.
  { gems: ["mini_magick", "rmagick", "paperclip", "kt-paperclip", "dragonfly", "carrierwave"], packages: ["imagemagick"], direct: true },
  // ethon (typhoeus) loads libcurl through FFI; curb links it.
  { gems: ["ethon", "curb"], packages: ["libcurl4"] },
];
/** Frameworks named in the Gemfile, first match wins (Rails is told by config/application.rb). */
const RACK_FRAMEWORKS = ["hanami", "sinatra", "roda", "grape"];

/** A throwaway key so `assets:precompile` can boot production config; it is in that step's env only, never in the image. */
const PRECOMPILE_SECRET = "0".repeat(64) + "migetpacks-assets-precompile-placeholder-not-a-secret";

export interface RubyFacts {
  version: VersionPick;
  hasGemfile: boolean;
  hasLock: boolean;
  bundler?: string;
  /** Files the install needs, exact paths, and folders (local gems) as `dir/**`. */
  installFiles: string[];
  gems: string[];
  /** Gems the Gemfile names itself. */
  directGems: string[];
  /** config/application.rb switches Active Storage to mini_magick (or loads pre-7 defaults, where it is the default). */
  miniMagick: boolean;
  /** hanami, sinatra, roda, grape (rails has its own flag). */
  framework?: string;
  /** config/puma.rb reads PORT from the environment (else puma is told to bind it). */
  pumaReadsPort: boolean;
  /** Gems locked as precompiled Linux builds. */
  linuxNative: string[];
  rails: boolean;
  assets?: "propshaft" | "sprockets";
  /** public/assets already holds a manifest: the assets were precompiled and committed. */
  precompiled: boolean;
  bootsnap: boolean;
  configRu: boolean;
  pumaConfig: boolean;
  entry?: string;
  /** package.json has a build script (build, build:css, heroku-postbuild): the Node.js assets stage builds JS/CSS before this stage. */
  jsBuild: boolean;
  warnings: string[];
}

export const rubyProvider: Provider<RubyFacts> = {
  id: "ruby",
  name: "Ruby",
  markers: MARKERS,
  options: Object.keys(RubySettings.shape),
  // The asset manifests are fixed paths: declared here, a Rails app's follow-up (below) asks
  // for nothing the first transfer lacks, so the frontend loads it in one transfer, not two.
  reads: [...MARKERS, "Gemfile.lock", ".ruby-version", ...TOOL_VERSION_FILES, "config/application.rb", "config/puma.rb", "package.json", ...ENTRY_FILES, ...ASSET_MANIFESTS],
  hardened: { repo: "ruby", official: ["ruby"], user: NONROOT },
  execForm: rubyExecForm,
  imageEnv: {
    "docker.io/library/ruby": [`PATH=/usr/local/bundle/bin:${DEFAULT_PATH}`, "LANG=C.UTF-8", "GEM_HOME=/usr/local/bundle", "BUNDLE_SILENCE_ROOT_WARNING=1", "BUNDLE_APP_CONFIG=/usr/local/bundle"],
  },
  sample: { Gemfile: 'source "https://gems.example.com"\nruby "3.3.6"\n', "app.rb": "puts 1\n" },

  async matches(ctx) {
    for (const m of MARKERS) if (await isFile(ctx, m)) return true;
    return false;
  },

  async followUp(ctx) {
    const text = await readText(ctx, "Gemfile");
    // Committed precompiled assets matter only to Rails apps.
    const out: string[] = (await isFile(ctx, "config/application.rb")) ? [...ASSET_MANIFESTS] : [];
    if (text === undefined) return out;
    let g: Gemfile;
    try {
      g = parseGemfile(text);
    } catch {
      return out; // facts() reports it
    }
    if (g.ruby?.file) out.push(g.ruby.file);
    out.push(...g.evalGemfiles);
    for (const p of g.paths) out.push(`${clean(p.dir)}/*.gemspec`);
    const lock = await readText(ctx, "Gemfile.lock").catch(() => undefined);
    for (const m of lock?.matchAll(/^PATH\r?\n\s+remote:\s*(.+)$/gm) ?? []) out.push(`${clean(m[1]!)}/*.gemspec`);
    return out;
  },

  facts: rubyFacts,

  summary(f) {
    return { language: "ruby", version: f.version.version, versionSource: f.version.source, packageManager: f.hasGemfile ? "bundler" : undefined, framework: frameworkOf(f) };
  },

  plan: planRuby,
};

function frameworkOf(f: RubyFacts): string | undefined {
  return f.rails ? "rails" : f.framework;
}

function clean(dir: string): string {
  const n = path.posix.normalize(dir.trim()).replace(/\/+$/, "");
  return n.replace(/^\.\//, "") || ".";
}

async function rubyFacts(ctx: BuildContext, args: BuildArgs): Promise<RubyFacts> {
  const s = parseArgs(RubySettings, args);
  const warnings: string[] = [];
  const gemfileText = await readText(ctx, "Gemfile");
  const gemfile = gemfileText === undefined ? undefined : parseGemfile(gemfileText);
  const lockText = await readText(ctx, "Gemfile.lock");
  const lock: GemLock | undefined = lockText === undefined ? undefined : parseGemfileLock(lockText);
  if (lock && !gemfile) throw new UserError("Gemfile.lock is here but Gemfile is not: Bundler needs both; commit the Gemfile.", "Gemfile");
  if (lock && !supportsLinux(lock)) {
    throw new UserError(
      `Gemfile.lock locks gems only for ${lock.platforms.join(", ")}, not for Linux; run \`bundle lock --add-platform x86_64-linux aarch64-linux\` and commit Gemfile.lock.`,
      "Gemfile.lock",
    );
  }
  if (gemfile?.ruby?.engine && gemfile.ruby.engine !== "ruby") throw new UserError(`Gemfile line ${gemfile.ruby.line}: engine "${gemfile.ruby.engine}" is not supported, only CRuby (the official ruby images).`, "Gemfile");

  // The version: build arg, .ruby-version, .tool-versions or mise, Gemfile `ruby`, Gemfile.lock RUBY VERSION.
  const managed = await toolVersion(ctx, "ruby");
  let gemfileFile: { file: string; raw?: string } | undefined;
  if (gemfile?.ruby?.file) {
    const file = clean(gemfile.ruby.file);
    const raw = await readVersionFile(ctx, file);
    if (raw === undefined) throw new UserError(`Gemfile line ${gemfile.ruby.line}: \`ruby file: "${gemfile.ruby.file}"\` names a file that is not in the build context; commit it or write the version in the Gemfile.`, "Gemfile");
    gemfileFile = { file, raw };
  }
  const version = pickRubyVersion({
    arg: s.RUBY_VERSION,
    rubyVersionFile: await readVersionFile(ctx, ".ruby-version"),
    toolVersions: managed?.version,
    toolVersionsFile: managed?.file,
    gemfile: gemfile?.ruby?.requirements.join(", ") || undefined,
    gemfileFile,
    lock: lock?.ruby,
  });

  // Files the install reads: manifests, the version file the Gemfile names, evaluated Gemfiles, local gems.
  const installFiles = ["Gemfile", ...(lock ? ["Gemfile.lock"] : [])];
  if (gemfileFile) installFiles.push(gemfileFile.file);
  for (const f of gemfile?.evalGemfiles ?? []) installFiles.push(clean(f));
  if (gemfile?.gemspec) installFiles.push("*.gemspec", "lib/**/version.rb");
  const dirs = new Map<string, string>();
  for (const p of gemfile?.paths ?? []) dirs.set(clean(p.dir), `Gemfile line ${p.line}`);
  for (const p of lock?.paths ?? []) if (!dirs.has(clean(p))) dirs.set(clean(p), "Gemfile.lock PATH");
  for (const [dir, where] of dirs) {
    if (dir === ".") continue; // the app itself (gemspec path: ".")
    if (dir.startsWith("../") || dir === ".." || path.posix.isAbsolute(dir)) {
      throw new UserError(`${where}: the local gem at "${dir}" is outside the build context, so the build cannot see it; move it into the app (e.g. vendor/gems/) or set PROJECT_PATH to a folder that contains both.`, where.split(" ")[0]);
    }
    if (!(await ctx.stat(dir))) throw new UserError(`${where}: the local gem folder "${dir}" is not in the build context (missing, or excluded by .dockerignore); commit it.`, where.split(" ")[0]);
    installFiles.push(`${dir}/**`);
  }

  const gems = [...new Set([...(lock?.specs ?? []), ...(gemfile?.gems.map((g) => g.name) ?? [])])].sort();
  const has = (name: string) => gems.includes(name);
  const rails = (await isFile(ctx, "config/application.rb")) && (has("rails") || has("railties"));
  const assets = has("propshaft") ? "propshaft" : has("sprockets") || has("sprockets-rails") ? "sprockets" : undefined;
  const publicAssets = rails ? ((await ctx.readDir("public/assets")) ?? []) : [];
  const precompiled = publicAssets.some((e) => e.name === ".manifest.json" || /^(\.sprockets-manifest-|manifest-).*\.json$/.test(e.name));
  if (gemfile && !lock) warnings.push("Gemfile.lock is missing: gems are resolved during the build, so two builds may install different versions; run `bundle lock` and commit Gemfile.lock.");
  const pkg = (await readJson(ctx, "package.json").catch(() => undefined)) as { scripts?: Record<string, unknown> } | undefined;
  const scripts = pkg && typeof pkg === "object" && pkg.scripts && typeof pkg.scripts === "object" ? pkg.scripts : {};

  let entry: string | undefined;
  for (const f of ENTRY_FILES) if (!entry && (await isFile(ctx, f))) entry = f;
  const directGems = [...new Set(gemfile?.gems.map((g) => g.name) ?? [])].sort();
  const appConfig = (await readText(ctx, "config/application.rb")) ?? "";
  const pumaText = await readText(ctx, "config/puma.rb");
  return {
    version,
    hasGemfile: Boolean(gemfile),
    hasLock: Boolean(lock),
    bundler: lock?.bundler,
    installFiles,
    gems,
    directGems,
    // Active Storage's variants use mini_magick when configured so, or by default before Rails 7's defaults.
    miniMagick: /variant_processor\s*=\s*:mini_magick/.test(appConfig) || Number(/load_defaults\s+["']?(\d+)/.exec(appConfig)?.[1] ?? 7) < 7,
    framework: RACK_FRAMEWORKS.find((g) => directGems.includes(g)),
    pumaReadsPort: pumaText !== undefined && /ENV(?:\.fetch\(\s*|\[\s*)["']PORT["']/.test(pumaText),
    linuxNative: [...(lock?.linuxNative ?? [])].sort(),
    rails,
    assets: rails ? assets : undefined,
    precompiled,
    bootsnap: has("bootsnap"),
    configRu: await isFile(ctx, "config.ru"),
    pumaConfig: pumaText !== undefined,
    entry,
    jsBuild: "build" in scripts || "build:css" in scripts || "heroku-postbuild" in scripts,
    warnings,
  };
}

/** The start command when neither RUN_COMMAND nor a Procfile gives one. */
function defaultStart(f: RubyFacts): string {
  const exec = f.hasGemfile ? "bundle exec " : "";
  const has = (g: string) => f.gems.includes(g);
  if (!f.hasGemfile && f.entry) return `ruby ${f.entry}`;
  if (!f.hasGemfile && f.configRu) throw new UserError("config.ru needs a Rack server, and without a Gemfile none is installed: add a Gemfile with `gem \"puma\"` (and `bundle lock`), or a Procfile `web:` line.", "Gemfile");
  if (f.configRu || f.rails) {
    // A puma.rb that does not read PORT (Hanami's reads HANAMI_PORT) keeps its settings, and the bind on the command line replaces its port.
    if (has("puma")) return f.pumaConfig ? `${exec}puma -C config/puma.rb${f.pumaReadsPort ? "" : " -b tcp://0.0.0.0:$PORT"}` : `${exec}puma -b tcp://0.0.0.0:$PORT`;
    if (f.rails) return `${exec}rails server -b 0.0.0.0 -p $PORT`;
    return `${exec}rackup -o 0.0.0.0 -p $PORT`;
  }
  if (f.entry) return `${exec}ruby ${f.entry}`;
  throw new UserError("Ruby app without a start command: add a Procfile with a `web:` line, a config.ru (Rack), or an app.rb, or set RUN_COMMAND.", "Procfile");
}

function runtimePackages(f: RubyFacts): string[] {
  const out = new Set<string>();
  for (const n of NATIVE_LIBS) {
    const used = n.gems.filter((g) => (n.direct ? f.directGems : f.gems).includes(g) && !(n.bundled && f.linuxNative.includes(g)));
    if (used.length || (n.packages.includes("imagemagick") && f.miniMagick && f.gems.includes("mini_magick"))) for (const p of n.packages) out.add(p);
  }
  return [...out].sort();
}

function databaseUrl(gems: readonly string[]): string | undefined {
  if (gems.includes("pg")) return "postgres://build:build@127.0.0.1:5432/build";
  if (gems.includes("mysql2") || gems.includes("trilogy")) return `${gems.includes("trilogy") ? "trilogy" : "mysql2"}://build:build@127.0.0.1:3306/build`;
  if (gems.includes("sqlite3")) return "sqlite3:/tmp/build.sqlite3";
  return undefined;
}

function planRuby({ facts, args, common, procfile }: PlanInput<RubyFacts>): BuildPlanInput {
  const s = parseArgs(RubySettings, args);
  const v = facts.version.version;
  const abi = abiVersion(v);
  const without = s.BUNDLE_WITHOUT ?? "development:test";
  const warnings = [...facts.warnings];
  const gemBin = `${BUNDLE}/ruby/${abi}/bin`;
  const bundleEnv: EnvList = [
    ["GEM_HOME", BUNDLE],
    ["BUNDLE_PATH", BUNDLE],
    ["BUNDLE_WITHOUT", without],
    ...(facts.hasLock ? ([["BUNDLE_DEPLOYMENT", "1"]] as EnvList) : []),
  ];
  const steps: (CopyStep | RunStep)[] = [];
  if (facts.hasGemfile) {
    if (facts.bundler) {
      // Bundler switches to the BUNDLED WITH version when it runs: that version must be in the image (vendor/bundle ships).
      steps.push({
        kind: "run",
        name: `install Bundler ${facts.bundler}`,
        shell: `gem list --installed --exact bundler --version ${facts.bundler} >/dev/null || gem install bundler --version ${facts.bundler} --no-document`,
        caches: [],
        env: [],
      });
    }
    steps.push({ kind: "copy", name: "copy Gemfile, Gemfile.lock and local gems", from: "context", paths: ["."], include: facts.installFiles, dest: APP });
    // The gem cache is a cache mount inside vendor/bundle; BuildKit removes the mount's parent folders after the step when
    // they are empty (an app with only local gems), so the gems folder is created for the runtime's gem layer to exist.
    const install = [`mkdir -p ${BUNDLE}/ruby/${abi}/gems`, "bundle install --jobs 4 --retry 3", `rm -rf ${BUNDLE}/ruby/*/bundler/gems/*/.git`];
    // bootsnap's cache of the gems' load paths (Rails' own Dockerfile does this); only a speed-up, so never fatal.
    if (facts.bootsnap && facts.rails) install.push('(bundle exec bootsnap precompile --gemfile || echo "bootsnap precompile --gemfile skipped")');
    steps.push({ kind: "run", name: "bundle install", shell: install.join(" && "), caches: ["gems"], env: [] });
  }
  steps.push({ kind: "copy", name: "copy source", from: "context", paths: ["."], dest: APP, exclude: ["vendor/bundle", ".bundle", "node_modules"] });

  // Build: BUILD_COMMAND, Rails assets, bootsnap, the folders Rails and Puma write to.
  const build: string[] = [];
  const buildEnv: EnvList = [];
  if (common.buildCommand) build.push(common.buildCommand);
  const precompile = facts.rails && facts.assets && !facts.precompiled && !common.buildCommand;
  if (precompile) {
    build.push("bundle exec rake assets:precompile");
    buildEnv.push(["RAILS_ENV", "production"], ["SECRET_KEY_BASE_DUMMY", "1"], ["SECRET_KEY_BASE", PRECOMPILE_SECRET]);
    const db = databaseUrl(facts.gems);
    if (db) buildEnv.push(["DATABASE_URL", db]);
    // The Node.js assets stage already ran the package.json build (and build:css): jsbundling/cssbundling must not run them again (no node here).
    if (facts.jsBuild) buildEnv.push(["SKIP_JS_BUILD", "1"], ["SKIP_CSS_BUILD", "1"]);
  } else if (facts.rails && facts.precompiled) {
    warnings.push("public/assets already holds a compiled manifest: assets:precompile is skipped and the committed assets ship as they are.");
  }
  if (facts.bootsnap && facts.rails) build.push('(bundle exec bootsnap precompile app/ lib/ || echo "bootsnap precompile skipped")');
  build.push("mkdir -p tmp/pids tmp/cache tmp/sockets log");
  steps.push({ kind: "run", name: precompile ? "assets:precompile" + (facts.bootsnap ? " and bootsnap precompile" : "") : common.buildCommand ? "build" : "prepare app folders", shell: build.join(" && "), caches: [], env: buildEnv });

  const web = selectWebCommand(common.runCommand, procfile, defaultStart(facts));
  const runtimeEnv: EnvList = [
    ["PORT", String(common.port)],
    ["RACK_ENV", "production"],
    ["RAILS_ENV", "production"],
    ...bundleEnv,
    ["PATH", `${BUNDLE}/bin:${gemBin}:${APP}/bin:/usr/local/bundle/bin:${DEFAULT_PATH}`],
    // The runtime user has no home folder in the image; Bundler and friends need a writable one.
    ["HOME", "/tmp"],
    ["MALLOC_ARENA_MAX", "2"],
    ...(facts.rails
      ? ([
          ["RAILS_LOG_TO_STDOUT", "enabled"],
          ["RAILS_SERVE_STATIC_FILES", "enabled"],
        ] as EnvList)
      : []),
    ["PUMA_PERSISTENT_TIMEOUT", "95"],
    // Hanami reads its environment from HANAMI_ENV first (its puma.rb too).
    ...(facts.framework === "hanami" ? ([["HANAMI_ENV", "production"]] as EnvList) : []),
  ];

  return {
    schema: 2,
    result: {
      language: "ruby",
      version: v,
      versionSource: facts.version.source,
      packageManager: facts.hasGemfile ? "bundler" : undefined,
      framework: frameworkOf(facts),
      runCommand: web.command,
      port: common.port,
      processes: { web: web.command, release: procfile?.release, workers: procfile?.workers ?? [] },
      _shell: true,
    },
    caches: facts.hasGemfile ? { gems: { id: "ruby-gems", target: `${BUNDLE}/ruby/${abi}/cache`, sharing: "locked" } } : {},
    stages: [
      {
        name: "build",
        image: `ruby:${v}`,
        workdir: APP,
        env: [...bundleEnv, ["PATH", `${BUNDLE}/bin:${gemBin}:/usr/local/bundle/bin:${DEFAULT_PATH}`], ["RACK_ENV", "production"]],
        steps,
      },
    ],
    runtime: {
      image: `ruby:${v}-slim`,
      packages: runtimePackages(facts),
      user: "1000:1000",
      workdir: APP,
      env: runtimeEnv,
      copies: [
        // Gems first (a layer that survives source changes), the application last.
        ...(facts.hasGemfile ? [{ stage: "build", src: BUNDLE, dest: BUNDLE, exclude: ["ruby/*/cache"] }] : []),
        { stage: "build", src: APP, dest: APP, exclude: [...RUBY_RUNTIME_EXCLUDES, "vendor/bundle"] },
      ],
      cmd: commandArgv(web.command),
      port: common.port,
      shell: true,
    },
    warnings,
  };
}

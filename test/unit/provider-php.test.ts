import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { RecordingContext } from "../../src/context/recording.js";
import { UserError, type BuildContext } from "../../src/context/fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { detectionReads } from "../../src/detect/registry.js";
import { followUpReads, isDeclaredRead } from "../../src/detect/follow-up.js";
import { phpProvider } from "../../src/providers/php/index.js";
import { parseComposerJson, parseComposerLock } from "../../src/providers/php/composer.js";
import { composerToSemver, defaultPhpVersion, resolvePhpVersion } from "../../src/providers/php/version.js";
import { rewriteWebCommand } from "../../src/providers/php/command.js";
import type { BuildPlan, RunStep } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";
import { userError } from "../helpers/user-error.js";

type Files = Record<string, string>;
const fixture = (name: string) => new LocalContext(path.resolve(__dirname, "../../fixtures", name));
const plan = async (ctx: BuildContext, args: Files = {}) => (await buildPlan(ctx, args)).plan;
const mem = (files: Files, args: Files = {}) => plan(new MemoryContext(files), args);
const stage = (p: BuildPlan, name = "build") => p.stages.find((s) => s.name === name)!;
const run = (p: BuildPlan, name: string) => stage(p).steps.find((s) => s.kind === "run" && s.name.startsWith(name)) as RunStep | undefined;
const LOCK = JSON.stringify({ packages: [], "packages-dev": [], platform: {} });
const app = (files: Files = {}): Files => ({ "composer.json": '{"require":{"php":"^8.3"}}', "composer.lock": LOCK, "public/index.php": "<?php", ...files });

function syncError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error("no error");
}

describe("composer.json and composer.lock", () => {
  it("reads require.php, ext-* requirements, path repositories and scripts", () => {
    const c = parseComposerJson(
      JSON.stringify({ require: { php: "^8.2", "ext-gd": "*", "ext-PDO_PGSQL": "*", "monolog/monolog": "^3" }, repositories: [{ type: "path", url: "packages/*" }, { type: "vcs", url: "x" }], scripts: { "post-install-cmd": "x" } }),
    );
    expect(c).toEqual({ php: "^8.2", platformPhp: undefined, packages: ["monolog/monolog"], extensions: ["gd", "pdo_pgsql"], pathRepos: ["packages/*"], scripts: { "post-install-cmd": "x" } });
  });
  it("the lockfile adds the extensions locked packages require, and platform ones", () => {
    const l = parseComposerLock(JSON.stringify({ packages: [{ name: "a/b", require: { "ext-zip": "*", php: ">=8" } }], platform: { "ext-intl": "*" } }));
    expect(l).toEqual({ extensions: ["intl", "zip"], packages: 1 });
  });
  it.each([
    ["composer.json", () => parseComposerJson('{\n  "require": {\n    "php": "^8.2",\n  }\n}')],
    ["composer.json", () => parseComposerJson('{"require": ["php"]}')],
    ["composer.json", () => parseComposerJson('{"require": {"php": 8.2}}')],
    ["composer.json", () => parseComposerJson("[]")],
    ["composer.lock", () => parseComposerLock("{ nope")],
    ["composer.lock", () => parseComposerLock('{"packages": {}}')],
  ] as [string, () => unknown][])("a malformed %s is one error naming it", (file, f) => {
    const e = syncError(f);
    expect(e.file).toBe(file);
    expect(e.message.startsWith(file)).toBe(true);
  });
  it("a JSON syntax error names the line", () => {
    expect(syncError(() => parseComposerJson('{\n  "require": {\n    "php": "^8.2",\n  }\n}')).message).toMatch(/^composer.json line \d+ is not valid JSON/);
  });
  it("through the pipeline too", async () => {
    expect((await userError(mem(app({ "composer.lock": "{" })))).file).toBe("composer.lock");
  });
});

describe("PHP version", () => {
  it.each([
    ["^8.2", "8.4.13"],
    ["~8.2.0", "8.2.29"],
    ["8.3.*", "8.3.26"],
    [">=8.1 <8.4", "8.3.26"],
    [">=8.2,<8.4", "8.3.26"],
    ["^8.2 || ^8.3", "8.4.13"],
    ["8.3", "8.3.26"],
    ["8.3.12", "8.3.12"],
    ["8.2.32", "8.2.32"], // a newer patch of a known line than the table: trusted
  ])("%s → %s", (raw, want) => expect(resolvePhpVersion(raw)).toEqual({ ok: true, version: want }));
  it.each(["8.1.*", "7.4.33", "^7.4", "nope"])("%s is refused (FrankenPHP has 8.2+, or not a constraint)", (raw) => expect(resolvePhpVersion(raw).ok).toBe(false));
  it("composer constraints become semver", () => expect(composerToSemver("^8.2 | ^8.3, >=8.2.1")).toBe("^8.2 || ^8.3 >=8.2.1"));

  it("priority: PHP_VERSION > .php-version > composer.json require.php > the newest release", async () => {
    const files = app({ ".php-version": "8.2\n" });
    const v = async (f: Files, a: Files = {}) => {
      const r = (await mem(f, a)).result;
      return `${r.version} ${r.versionSource}`;
    };
    expect(await v(files, { PHP_VERSION: "8.3.12" })).toBe("8.3.12 build arg PHP_VERSION");
    expect(await v(files)).toBe("8.2.29 .php-version");
    expect(await v(app())).toBe("8.4.13 composer.json require.php");
    expect(await v({ "index.php": "<?php" })).toBe(`${defaultPhpVersion()} default`);
  });
  it("an unsupported version is one error naming the file", async () => {
    const e = await userError(mem(app({ "composer.json": '{"require":{"php":"~8.1.0"}}' })));
    expect(e.file).toBe("composer.json");
    expect(e.message).toContain("FrankenPHP has images for PHP 8.2 and newer only");
  });
});

describe("PHP detection", () => {
  it.each(["composer.json", "index.php"])("%s marks PHP", async (m) => expect(await phpProvider.matches(new MemoryContext({ [m]: "{}" }))).toBe(true));
  it("composer.json + package.json is PHP; Gemfile + composer.json is Ruby (detection order)", async () => {
    expect((await mem(app({ "package.json": "{}" }))).result.language).toBe("php");
    expect((await mem(app({ Gemfile: "", "app.rb": "" }))).result.language).toBe("ruby");
  });
  it("reads only declared paths (fixtures)", async () => {
    for (const name of ["php-plain", "php-laravel", "php-index"]) {
      const extra = await followUpReads(fixture(name), {});
      const rec = new RecordingContext(fixture(name));
      await buildPlan(rec, {});
      expect([...rec.paths].filter((p) => !isDeclaredRead(p, [...detectionReads(), ...extra])), name).toEqual([]);
    }
  });
});

describe("PHP plans", () => {
  it("Composer comes from its image; composer install runs from the manifests alone with the cache as a mount; the autoloader is dumped after the source", async () => {
    const p = await plan(fixture("php-plain"));
    const s = stage(p);
    expect(s.image).toBe("dunglas/frankenphp:php8.2.32");
    expect(stage(p, "composer").image).toBe("composer/composer:2-bin");
    const kinds = s.steps.map((x) => x.name);
    expect(kinds).toEqual(["copy Composer", "install unzip for Composer", "copy composer.json and composer.lock", "composer install", "copy source", "optimize autoloader"]);
    expect(s.steps[2]).toMatchObject({ include: ["composer.json", "composer.lock"] });
    const install = run(p, "composer install")!;
    expect(install.shell).toContain("composer install --no-dev");
    expect(install.caches).toEqual(["composer"]);
    expect(run(p, "optimize autoloader")!.shell).toContain("composer dump-autoload --no-dev --optimize");
    expect(p.runtime.copies.map((c) => c.src)).toEqual(["/app/vendor", "/app"]);
    expect(p.runtime.cmd).toEqual(["/bin/sh", "-c", "frankenphp php-server --listen :$PORT --root public"]);
    expect(p.runtime.files!.map((f) => f.path)).toEqual(["/usr/local/etc/php/conf.d/zz-migetpacks.ini"]);
    expect(p.runtime.files![0]!.content).toContain("memory_limit = ${PHP_INI_MEMORY_LIMIT}");
  });

  it("index.php alone: no Composer, the app folder is the document root, the image's phpinfo() page is replaced", async () => {
    const p = await plan(fixture("php-index"));
    expect(p.stages.map((s) => s.name)).toEqual(["build"]);
    expect(p.result.runCommand).toBe("frankenphp php-server --listen :$PORT --root .");
    expect(p.runtime.files!.map((f) => f.path)).toContain("/app/public/index.php");
    expect(p.runtime.files!.find((f) => f.path === "/app/public/index.php")!.content).not.toContain("phpinfo()\n");
  });

  it("document root: web/, public/, html/, www/ in the original's order", async () => {
    expect((await mem({ "index.php": "", "www/index.php": "", "html/index.html": "" })).result.runCommand).toContain("--root html");
    expect((await mem({ "index.php": "", "public/index.php": "", "web/index.php": "" })).result.runCommand).toContain("--root web");
    const bare = await mem({ "composer.json": "{}", "index.php": "" });
    expect(bare.result.runCommand).toContain("--root .");
    expect(bare.warnings.join()).toContain("composer.json, vendor/ and any .env are reachable over HTTP");
  });

  it("ext-* requirements not compiled into the image are built in an extensions stage and copied, with their libraries, into the runtime", async () => {
    const p = await plan(fixture("php-laravel"));
    expect(stage(p, "extensions").steps[0]).toMatchObject({ name: "install PHP extensions: gd, intl, pdo_mysql, pdo_pgsql, zip" });
    expect(stage(p)).toMatchObject({ from: { stage: "extensions" } });
    expect(p.runtime.copies.filter((c) => c.stage === "extensions").map((c) => c.src)).toEqual(["/usr/local/lib/php/extensions", "/usr/local/etc/php/conf.d", "/migetpacks/ext-libs"]);
    const none = await mem(app({ "composer.json": '{"require":{"php":"^8.3","ext-mbstring":"*","ext-json":"*"}}' }));
    expect(none.stages.map((s) => s.name)).toEqual(["composer", "build"]);
  });

  it("Laravel: route and view caches at build time, config when the container starts, storage folders, no migrations; Vite in the Node.js assets stage", async () => {
    const p = await plan(fixture("php-laravel"));
    expect(p.result.framework).toBe("laravel");
    const build = run(p, "optimize autoloader")!.shell;
    expect(build).toContain("php artisan route:cache && php artisan view:cache");
    expect(build.indexOf("bootstrap/cache")).toBeLessThan(build.indexOf("composer dump-autoload"));
    expect(build).toContain("storage/framework/sessions");
    expect(JSON.stringify(p)).not.toMatch(/artisan migrate(?! --force")/);
    expect(p.result.processes.release).toBe("php artisan migrate --force");
    expect(p.stages[0]!.name).toBe("assets");
    expect(stage(p, "assets").steps.at(-1)).toMatchObject({ shell: "npm run build" });
    expect(stage(p).steps.find((s) => s.name === "copy composer.json and composer.lock")).toMatchObject({ include: ["composer.json", "composer.lock", "packages/billing/**"] });
    const noProcfile = await mem({ "composer.json": '{"require":{"php":"^8.3"}}', artisan: "", "public/index.php": "" });
    expect(noProcfile.result.runCommand).toBe("php artisan config:cache && exec frankenphp php-server --listen :$PORT --root public");
    expect(noProcfile.runtime.env).toContainEqual(["APP_ENV", "production"]);
  });

  it.each([
    ["vendor/bin/heroku-php-apache2 public/", "public"],
    ["heroku-php-nginx -C nginx.conf web/", "web"],
    ["heroku-php-apache2", "."],
    ["php -S 0.0.0.0:$PORT -t docroot", "docroot"],
    ["php -S 0.0.0.0:8000", "."],
    ["php artisan serve --host 0.0.0.0", "public"],
  ])("Procfile `%s` → FrankenPHP with root %s", (cmd, root) => {
    const w: string[] = [];
    expect(rewriteWebCommand(cmd, w)).toBe(`frankenphp php-server --listen :$PORT --root ${root}`);
    expect(w).toHaveLength(1);
  });
  it("other commands are kept", () => expect(rewriteWebCommand("php worker.php", [])).toBe("php worker.php"));

  it("USE_DHI keeps the official images with a warning; a path repository outside the context is an error", async () => {
    const p = await mem(app(), { USE_DHI: "true" });
    expect(p.runtime.image).toBe("dunglas/frankenphp:php8.4.13");
    expect(p.warnings.join()).toContain("PHP (FrankenPHP) has no hardened image");
    const e = await userError(mem(app({ "composer.json": '{"repositories":[{"type":"path","url":"../shared"}]}' })));
    expect(e.message).toContain("outside the build context");
  });
});

describe("real-world PHP shapes", () => {
  it("config.platform.php is the PHP the lockfile was resolved for: its line wins over require.php (after .php-version)", async () => {
    const files = app({ "composer.json": JSON.stringify({ require: { php: ">=8.2" }, config: { platform: { php: "8.3.14" } } }) });
    const p = await mem(files);
    expect(p.result.version).toMatch(/^8\.3\.\d+$/);
    expect(p.result.versionSource).toBe("composer.json config.platform.php");
    expect((await mem({ ...files, ".php-version": "8.4" })).result.versionSource).toBe(".php-version");
    // A platform below FrankenPHP's oldest line (a library's CI pin, say) does not fail the build: require.php decides, with a warning.
    const old = await mem(app({ "composer.json": JSON.stringify({ require: { php: "^8.1" }, config: { platform: { php: "8.1.17" } } }) }));
    expect(old.result.versionSource).toBe("composer.json require.php");
    expect(old.warnings.join()).toContain("config.platform.php 8.1.17");
  });

  it("Symfony: framework, APP_ENV=prod for the build's Composer scripts (cache:clear) and at run time", async () => {
    const p = await mem(
      app({
        "composer.json": JSON.stringify({ require: { php: ">=8.2", "symfony/framework-bundle": "7.2.*", "symfony/runtime": "7.2.*" }, scripts: { "auto-scripts": { "cache:clear": "symfony-cmd" }, "post-install-cmd": ["@auto-scripts"] } }),
        "bin/console": "#!/usr/bin/env php\n<?php\n",
      }),
    );
    expect(p.result.framework).toBe("symfony");
    const build = run(p, "optimize autoloader")!;
    expect(build.shell).toContain("post-install-cmd");
    expect(stage(p).env).toEqual(expect.arrayContaining([["APP_ENV", "prod"]]));
    expect(p.runtime.env).toEqual(expect.arrayContaining([["APP_ENV", "prod"]]));
    expect(p.runtime.env.find(([k]) => k === "APP_ENV")).toEqual(["APP_ENV", "prod"]);
  });

  it("Slim is named as the framework", async () => {
    const p = await mem(app({ "composer.json": JSON.stringify({ require: { php: "^8.2", "slim/slim": "^4.14" } }) }));
    expect(p.result.framework).toBe("slim");
  });

  it("WordPress (plain PHP, no composer.json): mysqli and the extensions its media and Site Health need are installed", async () => {
    const p = await mem({ "index.php": "<?php require __DIR__ . '/wp-blog-header.php';", "wp-settings.php": "<?php", "wp-includes/version.php": "<?php $wp_version = '6.7.1';" });
    expect(p.result.framework).toBe("wordpress");
    expect(p.stages.map((s) => s.name)).toContain("extensions");
    expect(run(p, "install PHP extensions")).toBeUndefined(); // the extensions are built in their own stage
    const ext = stage(p, "extensions").steps[0] as RunStep;
    expect(ext.shell).toContain("install-php-extensions exif gd intl mysqli zip");
    // Libraries are gathered at their real paths: dpkg lists some under /lib, a link to usr/lib on merged-/usr
    // Debian, and a real lib/ folder in the copy cannot land on the runtime's /lib link.
    expect(ext.shell).toContain('d=$(readlink -f "$(dirname "$f")")');
    expect(ext.shell).not.toContain("--parents");
  });
});

describe("version files of version managers", () => {
  it("asdf's .tool-versions and mise pin PHP, after .php-version", async () => {
    expect((await mem(app({ ".tool-versions": "php 8.3.12\n" }))).result).toMatchObject({ version: "8.3.12", versionSource: ".tool-versions" });
    expect((await mem(app({ "mise.toml": '[tools]\nphp = "8.2"\n' }))).result).toMatchObject({ versionSource: "mise.toml" });
    expect((await mem(app({ "mise.toml": '[tools]\nphp = "8.2"\n', ".php-version": "8.4" }))).result.versionSource).toBe(".php-version");
  });
});

describe("database drivers", () => {
  it("Laravel and Doctrine pick their database at run time (DB_CONNECTION, DATABASE_URL): the MySQL and PostgreSQL PDO drivers are installed, as the image has only SQLite's", async () => {
    const laravel = await mem(app({ "composer.json": JSON.stringify({ require: { php: "^8.2", "laravel/framework": "^11.0" } }), artisan: "" }));
    expect((stage(laravel, "extensions").steps[0] as RunStep).shell).toContain("install-php-extensions pdo_mysql pdo_pgsql");
    const doctrine = await mem(app({ "composer.json": JSON.stringify({ require: { php: "^8.2", "doctrine/orm": "^3.0", "ext-pdo_pgsql": "*" } }) }));
    expect((stage(doctrine, "extensions").steps[0] as RunStep).shell).toContain("install-php-extensions pdo_mysql pdo_pgsql");
    const plain = await mem(app({ "composer.json": JSON.stringify({ require: { php: "^8.2", "slim/slim": "^4" } }) }));
    expect(plain.stages.map((s) => s.name)).not.toContain("extensions");
  });
});

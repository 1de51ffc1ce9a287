// PHP through the real frontend: an app with no Composer dependencies
// (Packagist is out of reach here) builds with Composer from composer.json +
// composer.lock, runs as uid 1000 and answers HTTP on PORT from public/;
// a source-only change leaves `composer install` CACHED. The frankenphp
// stand-in serves with PHP's built-in server (FrankenPHP cannot be had
// offline): this proves the plan's command, PORT, document root and user.
// php-ext: an `ext-*` requirement built in the extensions stage (the stand-in's
// install-php-extensions installs Debian's build of it) reaches the runtime with its libraries.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { buildx, copyFixture, fixtureDir, inspect, requireEngine, runAndFetch, runIn, stepCached, type BuildResult } from "./engine.js";

beforeAll(() => requireEngine());

describe("php-plain", () => {
  const tag = "rubyphp-e2e/php-plain";
  let first: BuildResult;
  beforeAll(() => {
    first = buildx(fixtureDir("php-plain"), tag);
    if (!first.ok) throw new Error(`build of php-plain failed:\n${first.log}`);
    console.log(`php-plain: built in ${first.seconds.toFixed(1)}s`);
  });

  it("answers HTTP 200 on PORT as uid 1000 from public/, with Composer's autoloader and the image's php.ini settings", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from php-plain uid=1000 php=8.2.32 autoload-ok memory_limit=256M");
    expect(res.uid).toBe("1000");
  });

  it("honours another PORT and PHP_INI_* at run time", async () => {
    const res = await runAndFetch(tag, { port: 8080, env: { PORT: "8080", PHP_INI_MEMORY_LIMIT: "512M" } });
    expect(res.body).toContain("memory_limit=512M");
  });

  it("runs `frankenphp php-server --listen :$PORT --root public` from /app as 1000:1000", () => {
    const cfg = inspect(tag).Config;
    expect(cfg).toMatchObject({ User: "1000:1000", WorkingDir: "/app", Cmd: ["/bin/sh", "-c", "frankenphp php-server --listen :$PORT --root public"] });
    expect(cfg.Env).toContain("PORT=5000");
  });

  it("ships vendor/ with an optimized autoloader that knows the app's classes", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "grep -c 'App\\\\\\\\Greeter' vendor/composer/autoload_classmap.php; stat -c %u /app/public /app/vendor; test -e /usr/local/bin/composer && echo HAS-COMPOSER"]);
    expect(r.out).toMatch(/^1\n1000\n1000\n/);
    expect(r.out).not.toContain("HAS-COMPOSER");
  });

  it("the FrankenPHP image's phpinfo() placeholder (/app/public/index.php) is never left behind", () => {
    // php-plain has its own public/index.php; the neutral file is only written for apps without one (plan tests).
    expect(runIn(tag, "/bin/sh", ["-c", "grep -c phpinfo /app/public/index.php"]).out.trim()).toBe("0");
  });

  it("after a source-only change `composer install` is CACHED", () => {
    const dir = copyFixture("php-plain");
    const warm = buildx(dir, `${tag}-edit`);
    expect(warm.ok, warm.log).toBe(true);
    appendFileSync(path.join(dir, "public/index.php"), `\n// a source-only change ${Date.now()}\n`);
    const edited = buildx(dir, `${tag}-edit`);
    expect(edited.ok, edited.log).toBe(true);
    expect(stepCached(edited.log, "composer install")).toBe(true);
    expect(stepCached(edited.log, "copy source")).toBe(false);
    console.log(`php-plain: first ${first.seconds.toFixed(1)}s, after a source edit ${edited.seconds.toFixed(1)}s`);
  });
});

describe("php-ext (ext-intl: an extension the image does not compile in)", () => {
  const tag = "rubyphp-e2e/php-ext";
  beforeAll(() => {
    const b = buildx(fixtureDir("php-ext"), tag);
    if (!b.ok) throw new Error(`build of php-ext failed:\n${b.log}`);
  });

  it("builds it in the extensions stage and the runtime loads it, with the libraries it needs", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from php-ext uid=1000 intl=loaded 1.234.567,891");
    // The runtime has no apt step: the ICU library came with the extension.
    const r = runIn(tag, "/bin/sh", ["-c", "ls /usr/local/lib/php/extensions/ /usr/local/etc/php/conf.d/; ls /usr/lib/x86_64-linux-gnu/ | grep -c '^libicuuc'"]);
    expect(r.out).toContain("intl.so");
    expect(r.out).toContain("docker-php-ext-intl.ini");
    expect(r.out.trim().split("\n").at(-1)).not.toBe("0");
  });
});

// WordPress-style plain PHP (no composer.json): WordPress declares no extensions, yet refuses to
// start without mysqli; the site's media and Site Health want gd, exif, intl and zip.
describe("php-wordpress (plain PHP at the root, WordPress's extensions)", () => {
  const tag = "rubyphp-e2e/php-wordpress";
  let log = "";
  beforeAll(() => {
    const b = buildx(fixtureDir("php-wordpress"), tag);
    if (!b.ok) throw new Error(`build of php-wordpress failed:\n${b.log}`);
    log = b.log;
  });

  it("detects WordPress and builds mysqli, gd, exif, intl and zip into the runtime", async () => {
    expect(log).toContain("install PHP extensions: exif, gd, intl, mysqli, zip");
    expect(JSON.parse(inspect(tag).Config.Labels["io.miget.build.result"]!)).toMatchObject({ language: "php", version: "8.2.32", framework: "wordpress" });
    const res = await runAndFetch(tag, { port: 8080, env: { PORT: "8080" } });
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from php-wordpress 6.7.1 uid=1000 mysqli=loaded gd=loaded exif=loaded intl=loaded zip=loaded");
    expect(res.uid).toBe("1000");
  });

  it("serves from the site's root, as WordPress is laid out", () => {
    expect(inspect(tag).Config.Cmd).toEqual(["/bin/sh", "-c", "frankenphp php-server --listen :$PORT --root ."]);
  });
});

// PHP on FrankenPHP (the original's server): Composer dependencies installed
// from composer.json + composer.lock alone (cached apart from source), the
// optimized autoloader dumped once the source is in, extensions the app
// requires (`ext-*`) built in a stage of their own and copied into the
// runtime with the libraries they load, Laravel's route and view caches at
// build time. The web server listens on PORT with the document root the
// original picks (web/, public/, html/, www/, else the app folder).
import path from "node:path";
import * as z from "../../lib/zod.js";
import { isFile, readText, readVersionFile, UserError, type BuildContext } from "../../context/fs.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { BuildPlanInput, CopyStep, EnvList, RunStep, Stage } from "../../kit/schema.js";
import { commandArgv, selectWebCommand } from "../../kit/run-command.js";
import { COMMON_RUNTIME_EXCLUDES } from "../../kit/cleanup.js";
import { DEFAULT_PATH } from "../../kit/image-env.js";
import type { PlanInput, Provider } from "../../kit/provider.js";
import type { VersionPick } from "../../kit/version-pick.js";
import { parseComposerJson, parseComposerLock } from "./composer.js";
import { PHP_MIN_LINE, pickPhpVersion, platformLine } from "./version.js";
import semver from "semver";
import { toolVersion, TOOL_VERSION_FILES } from "../../manifest/tool-versions.js";
import { rewriteWebCommand, webCommand } from "./command.js";

const PhpSettings = z.object({ PHP_VERSION: z.string().trim().optional() });

const MARKERS = ["composer.json", "index.php"];
const APP = "/app";
/** The original's document-root order: the first of these folders that exists, else the app folder. */
export const WEBROOTS = ["web", "public", "html", "www"];
const WEBROOT_PROBES = WEBROOTS.flatMap((d) => [`${d}/index.php`, `${d}/index.html`]);
const COMPOSER_IMAGE = "composer/composer:2-bin";
const EXT_LIBS = "/migetpacks/ext-libs";

/** WordPress needs mysqli; gd, exif, intl and zip are what its media library and Site Health ask for (as the official wordpress image installs). */
const WORDPRESS_EXTENSIONS = ["exif", "gd", "intl", "mysqli", "zip"];
const WORDPRESS_PACKAGES = ["roots/wordpress", "roots/wordpress-no-content", "johnpbloch/wordpress", "johnpbloch/wordpress-core"];

/** PDO drivers for the databases Laravel and Doctrine apps name at run time (Heroku's PHP has them too). */
const DB_DRIVERS = ["pdo_mysql", "pdo_pgsql"];
const DOCTRINE_PACKAGES = ["doctrine/orm", "doctrine/dbal", "doctrine/doctrine-bundle"];

/** Compiled into the official PHP images FrankenPHP's are built on: nothing to install. */
const BUILT_IN = new Set([
  "core", "ctype", "curl", "date", "dom", "fileinfo", "filter", "hash", "iconv", "json", "libxml", "mbstring", "mysqlnd", "openssl", "pcre", "pdo", "pdo_sqlite",
  "phar", "posix", "random", "readline", "reflection", "session", "simplexml", "sodium", "spl", "sqlite3", "standard", "tokenizer", "xml", "xmlreader", "xmlwriter", "zlib",
]);

/** php.ini settings the original sets, each overridable at run time through its PHP_INI_* variable. */
const INI: readonly [string, string, string][] = [
  ["memory_limit", "PHP_INI_MEMORY_LIMIT", "256M"],
  ["max_execution_time", "PHP_INI_MAX_EXECUTION_TIME", "30"],
  ["max_input_time", "PHP_INI_MAX_INPUT_TIME", "60"],
  ["post_max_size", "PHP_INI_POST_MAX_SIZE", "64M"],
  ["upload_max_filesize", "PHP_INI_UPLOAD_MAX_FILESIZE", "32M"],
  ["max_file_uploads", "PHP_INI_MAX_FILE_UPLOADS", "20"],
  ["display_errors", "PHP_INI_DISPLAY_ERRORS", "Off"],
  ["log_errors", "PHP_INI_LOG_ERRORS", "On"],
  ["error_reporting", "PHP_INI_ERROR_REPORTING", "E_ALL"],
  ["expose_php", "PHP_INI_EXPOSE_PHP", "Off"],
  ["date.timezone", "PHP_INI_DATE_TIMEZONE", "UTC"],
  ["session.use_strict_mode", "PHP_INI_SESSION_USE_STRICT_MODE", "1"],
  ["session.use_cookies", "PHP_INI_SESSION_USE_COOKIES", "1"],
  ["session.use_only_cookies", "PHP_INI_SESSION_USE_ONLY_COOKIES", "1"],
  ["session.cookie_httponly", "PHP_INI_SESSION_COOKIE_HTTPONLY", "1"],
  ["session.cookie_secure", "PHP_INI_SESSION_COOKIE_SECURE", "1"],
  ["session.cookie_samesite", "PHP_INI_SESSION_COOKIE_SAMESITE", "Strict"],
  ["opcache.enable", "PHP_INI_OPCACHE_ENABLE", "1"],
  ["opcache.memory_consumption", "PHP_INI_OPCACHE_MEMORY_CONSUMPTION", "128"],
  ["opcache.validate_timestamps", "PHP_INI_OPCACHE_VALIDATE_TIMESTAMPS", "0"],
  ["realpath_cache_size", "PHP_INI_REALPATH_CACHE_SIZE", "4096K"],
  ["realpath_cache_ttl", "PHP_INI_REALPATH_CACHE_TTL", "600"],
];
const INI_FILE = "/usr/local/etc/php/conf.d/zz-migetpacks.ini";
// Replaces the base image's phpinfo() page when the app has no public/index.php; a public/index.html still answers "/".
const PLACEHOLDER = [
  "<?php",
  "// Written by migetpacks over the base image's phpinfo() page: this app has no public/index.php.",
  "if (is_file(__DIR__ . '/index.html')) {",
  "    header('Content-Type: text/html; charset=utf-8');",
  "    readfile(__DIR__ . '/index.html');",
  "} else {",
  "    http_response_code(404);",
  "}",
  "",
].join("\n");

export interface PhpFacts {
  version: VersionPick;
  hasComposer: boolean;
  hasLock: boolean;
  /** Extensions to install (required, not compiled in), sorted. */
  extensions: string[];
  /** Files the install needs: manifests and path repositories (`dir/**`). */
  installFiles: string[];
  scripts: string[];
  laravel: boolean;
  /** laravel, symfony, slim, wordpress. */
  framework?: string;
  webroot: string;
  /** The app has public/index.php (it replaces the image's phpinfo() placeholder there). */
  publicIndex: boolean;
  warnings: string[];
}

export const phpProvider: Provider<PhpFacts> = {
  id: "php",
  name: "PHP",
  markers: MARKERS,
  options: Object.keys(PhpSettings.shape),
  reads: [...MARKERS, "composer.lock", ".php-version", ...TOOL_VERSION_FILES, "artisan", "package.json", "wp-settings.php", ...WEBROOT_PROBES],
  hardened: { unsupported: "PHP (FrankenPHP) has no hardened image" },
  imageEnv: {
    "docker.io/dunglas/frankenphp": [`PATH=${DEFAULT_PATH}`, "PHP_INI_DIR=/usr/local/etc/php", "XDG_CONFIG_HOME=/config", "XDG_DATA_HOME=/data"],
  },
  sample: { "composer.json": '{"require":{"php":"^8.3"}}', "index.php": "<?php echo 1;" },

  async matches(ctx) {
    for (const m of MARKERS) if (await isFile(ctx, m)) return true;
    return false;
  },

  async followUp(ctx) {
    const text = await readText(ctx, "composer.json");
    if (text === undefined) return [];
    try {
      return parseComposerJson(text).pathRepos.map((r) => `${clean(r)}/composer.json`);
    } catch {
      return []; // facts() reports it
    }
  },

  facts: phpFacts,

  summary(f) {
    return { language: "php", version: f.version.version, versionSource: f.version.source, packageManager: f.hasComposer ? "composer" : undefined, framework: f.framework };
  },

  plan: planPhp,
};

function clean(dir: string): string {
  return path.posix.normalize(dir.trim()).replace(/\/+$/, "").replace(/^\.\//, "");
}

async function phpFacts(ctx: BuildContext, args: BuildArgs): Promise<PhpFacts> {
  const s = parseArgs(PhpSettings, args);
  const warnings: string[] = [];
  const jsonText = await readText(ctx, "composer.json");
  const composer = jsonText === undefined ? undefined : parseComposerJson(jsonText);
  const lockText = await readText(ctx, "composer.lock");
  const lock = lockText === undefined ? undefined : parseComposerLock(lockText);
  if (lock && !composer) throw new UserError("composer.lock is here but composer.json is not: Composer needs both; commit composer.json.", "composer.json");
  if (composer && !lock) warnings.push("composer.lock is missing: dependencies are resolved during the build, so two builds may install different versions; run `composer update --lock` and commit composer.lock.");

  const phpVersionFile = await readVersionFile(ctx, ".php-version");
  const managed = await toolVersion(ctx, "php");
  let platform = composer?.platformPhp;
  const line = platformLine(platform);
  if (platform !== undefined && !s.PHP_VERSION && !phpVersionFile && !managed && line !== undefined && semver.valid(`${line}.0`) && semver.lt(`${line}.0`, `${PHP_MIN_LINE}.0`)) {
    warnings.push(`composer.json config.platform.php ${platform} is older than PHP ${PHP_MIN_LINE}, the oldest line FrankenPHP has images for; the release is picked from require.php instead (run \`composer update\` with a newer platform to lock for it).`);
    platform = undefined;
  }
  const version = pickPhpVersion({ arg: s.PHP_VERSION, phpVersionFile, managed, platform, require: composer?.php });

  const installFiles = composer ? ["composer.json", ...(lock ? ["composer.lock"] : [])] : [];
  for (const repo of composer?.pathRepos ?? []) {
    const dir = clean(repo);
    if (dir.startsWith("../") || dir === ".." || path.posix.isAbsolute(dir)) {
      throw new UserError(`composer.json: the path repository "${repo}" is outside the build context, so the build cannot see it; move the package into the app or set PROJECT_PATH to a folder that contains both.`, "composer.json");
    }
    installFiles.push(`${dir}/**`);
  }

  const requires = new Set(composer?.packages ?? []);
  // WordPress is plain PHP (or Composer-managed, as Bedrock does) and declares no extensions: mysqli is required, the rest is what its media and Site Health want.
  const wordpress = (await isFile(ctx, "wp-settings.php")) || WORDPRESS_PACKAGES.some((p) => requires.has(p));
  // Laravel (DB_CONNECTION) and Doctrine (DATABASE_URL) choose the database when the app runs; the image has only SQLite's driver.
  const runtimeDb = ((await isFile(ctx, "artisan")) && requires.has("laravel/framework")) || DOCTRINE_PACKAGES.some((p) => requires.has(p));
  const exts = new Set([...(composer?.extensions ?? []), ...(lock?.extensions ?? []), ...(wordpress ? WORDPRESS_EXTENSIONS : []), ...(runtimeDb ? DB_DRIVERS : [])].map((e) => (e === "zend-opcache" ? "opcache" : e)));
  for (const e of exts) if (!/^[a-z0-9_]+$/.test(e)) throw new UserError(`composer.json: "ext-${e}" is not an extension name.`, "composer.json");

  let webroot = ".";
  for (const d of WEBROOTS) {
    if ((await isFile(ctx, `${d}/index.php`)) || (await isFile(ctx, `${d}/index.html`))) {
      webroot = d;
      break;
    }
  }
  const laravel = (await isFile(ctx, "artisan")) && Boolean(composer);
  const framework = laravel
    ? "laravel"
    : requires.has("symfony/framework-bundle")
      ? "symfony"
      : requires.has("slim/slim")
        ? "slim"
        : wordpress
          ? "wordpress"
          : undefined;
  if (!composer && !(await isFile(ctx, "index.php")) && webroot === ".") {
    throw new UserError("PHP app without composer.json or index.php: add an index.php (or a composer.json), or set LANGUAGE to the app's language.", "index.php");
  }
  return {
    version,
    hasComposer: Boolean(composer),
    hasLock: Boolean(lock),
    extensions: [...exts].filter((e) => !BUILT_IN.has(e)).sort(),
    installFiles,
    scripts: Object.keys(composer?.scripts ?? {}),
    laravel,
    framework,
    webroot: laravel ? "public" : webroot,
    publicIndex: await isFile(ctx, "public/index.php"),
    warnings,
  };
}

/** `dunglas/frankenphp:php8.3.12`: FrankenPHP's image of that PHP release (Debian). */
export function frankenphpImage(version: string): string {
  return `dunglas/frankenphp:php${version}`;
}

function extensionStage(image: string, exts: readonly string[]): Stage {
  // install-php-extensions (shipped in FrankenPHP's images) builds them and keeps the runtime libraries they load;
  // those libraries (from the Debian packages it added) are gathered for the runtime, which has no package step for them,
  // under their folders' real paths (dpkg lists some under /lib, which merged-/usr Debian links to usr/lib).
  const shell = [
    "dpkg-query -W -f='${Package}\\n' | sort > /tmp/pkgs.before",
    `install-php-extensions ${exts.join(" ")}`,
    "dpkg-query -W -f='${Package}\\n' | sort > /tmp/pkgs.after",
    `mkdir -p ${EXT_LIBS}`,
    `comm -13 /tmp/pkgs.before /tmp/pkgs.after | xargs -r dpkg -L 2>/dev/null | grep -E '\\.so(\\.|$)' | while read -r f; do [ -e "$f" ] || continue; d=$(readlink -f "$(dirname "$f")"); mkdir -p "${EXT_LIBS}$d" && cp -a "$f" "${EXT_LIBS}$d/"; done`,
  ].join(" && ");
  return { name: "extensions", image, workdir: "/", env: [], steps: [{ kind: "run", name: `install PHP extensions: ${exts.join(", ")}`, shell, caches: [], env: [] }] };
}

function planPhp({ facts, common, procfile }: PlanInput<PhpFacts>): BuildPlanInput {
  const image = frankenphpImage(facts.version.version);
  const warnings = [...facts.warnings];
  const exts = facts.extensions;
  const stages: Stage[] = [];
  if (exts.length) stages.push(extensionStage(image, exts));
  if (facts.hasComposer) stages.push({ name: "composer", image: COMPOSER_IMAGE, workdir: "/", env: [], steps: [] });

  const steps: (CopyStep | RunStep)[] = [];
  if (facts.hasComposer) {
    steps.push({ kind: "copy", name: "copy Composer", from: { stage: "composer" }, paths: ["/composer"], dest: "/usr/local/bin/composer" });
    // Composer unpacks dist archives with unzip (or the zip extension), which PHP's images lack; without either it clones with git.
    steps.push({
      kind: "run",
      name: "install unzip for Composer",
      shell: "command -v unzip >/dev/null || php -m | grep -qx zip || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends unzip && rm -rf /var/lib/apt/lists/*; }",
      caches: [],
      env: [],
    });
    steps.push({ kind: "copy", name: "copy composer.json and composer.lock", from: "context", paths: ["."], include: facts.installFiles, dest: APP });
    // Scripts and the autoloader need the source: they run after it is copied (below).
    steps.push({
      kind: "run",
      name: "composer install",
      shell: "composer install --no-dev --no-interaction --no-progress --prefer-dist --no-scripts --no-autoloader",
      caches: ["composer"],
      env: [],
    });
  }
  steps.push({ kind: "copy", name: "copy source", from: "context", paths: ["."], dest: APP, exclude: ["vendor", "node_modules"] });

  const build: string[] = [];
  // Laravel's package:discover (a post-autoload-dump script) needs bootstrap/cache; the rest is where it writes at run time.
  if (facts.laravel) build.push("mkdir -p storage/framework/cache/data storage/framework/sessions storage/framework/views storage/logs bootstrap/cache");
  if (facts.hasComposer) {
    // --optimize: a classmap of every class (the app's own included), as `composer install --optimize-autoloader` would make.
    build.push("composer dump-autoload --no-dev --optimize --no-interaction");
    if (facts.scripts.includes("post-install-cmd")) build.push("composer run-script --no-dev --no-interaction post-install-cmd");
  }
  if (common.buildCommand) build.push(common.buildCommand);
  if (facts.laravel) {
    // Routes and views do not depend on the environment; config does, so it is cached when the container starts (see the web command).
    build.push("php artisan route:cache", "php artisan view:cache");
  }
  if (build.length) steps.push({ kind: "run", name: facts.laravel ? "optimize autoloader, cache Laravel routes and views" : facts.hasComposer ? "optimize autoloader" : "build", shell: build.join(" && "), caches: ["composer"], env: [] });

  if (facts.webroot === "." && facts.hasComposer) {
    warnings.push("No web/, public/, html/ or www/ folder with an index: the app folder is the document root, so composer.json, vendor/ and any .env are reachable over HTTP; move the public files into public/.");
  }
  const chosen = selectWebCommand(common.runCommand, procfile, webCommand(facts.webroot, facts.laravel));
  const command = chosen.source === "default" ? chosen.command : rewriteWebCommand(chosen.command, warnings);

  // Symfony reads its environment from APP_ENV (its committed .env says dev): the build's cache:clear and the app run in prod.
  const symfony = facts.framework === "symfony";
  const env: EnvList = [
    ...(symfony ? ([["APP_ENV", "prod"]] as EnvList) : []),
    ["COMPOSER_ALLOW_SUPERUSER", "1"],
    ["COMPOSER_NO_INTERACTION", "1"],
    ["COMPOSER_CACHE_DIR", "/var/cache/composer"],
  ];
  const runtimeEnv: EnvList = [
    ["PORT", String(common.port)],
    // Laravel's environment name (the app's own .env does not override a set variable); other frameworks name theirs differently.
    ...(facts.laravel ? ([["APP_ENV", "production"]] as EnvList) : symfony ? ([["APP_ENV", "prod"]] as EnvList) : []),
    // The image keeps Caddy's state in /config and /data (root's): the runtime user writes its own.
    ["XDG_CONFIG_HOME", "/tmp/caddy/config"],
    ["XDG_DATA_HOME", "/tmp/caddy/data"],
    ["CADDY_ADMIN", "off"],
    ["PHP_WEBROOT", facts.webroot],
    ...INI.map(([, name, value]) => [name, value] as [string, string]),
  ];
  const ini = INI.map(([key, name]) => `${key} = \${${name}}`).join("\n") + "\n";

  return {
    schema: 2,
    result: {
      language: "php",
      version: facts.version.version,
      versionSource: facts.version.source,
      packageManager: facts.hasComposer ? "composer" : undefined,
      framework: facts.framework,
      runCommand: command,
      port: common.port,
      processes: { web: command, release: procfile?.release, workers: procfile?.workers ?? [] },
      _shell: true,
    },
    caches: facts.hasComposer ? { composer: { id: "php-composer", target: "/var/cache/composer", sharing: "shared" } } : {},
    stages: [
      ...stages,
      exts.length ? { name: "build", from: { stage: "extensions" }, workdir: APP, env, steps } : { name: "build", image, workdir: APP, env, steps },
    ],
    runtime: {
      image,
      user: "1000:1000",
      workdir: APP,
      env: runtimeEnv,
      copies: [
        ...(exts.length
          ? [
              { stage: "extensions", src: "/usr/local/lib/php/extensions", dest: "/usr/local/lib/php/extensions", exclude: [] },
              { stage: "extensions", src: "/usr/local/etc/php/conf.d", dest: "/usr/local/etc/php/conf.d", exclude: [] },
              { stage: "extensions", src: EXT_LIBS, dest: "/", exclude: [] },
            ]
          : []),
        // Dependencies first (a layer that survives source changes), the application last.
        ...(facts.hasComposer ? [{ stage: "build", src: `${APP}/vendor`, dest: `${APP}/vendor`, exclude: [] }] : []),
        { stage: "build", src: APP, dest: APP, exclude: [...COMMON_RUNTIME_EXCLUDES, "vendor", "node_modules"] },
      ],
      files: [
        { path: INI_FILE, mode: 0o644, content: ini },
        // FrankenPHP's image ships /app/public/index.php calling phpinfo(); an app without its own must not expose it.
        ...(facts.publicIndex ? [] : [{ path: `${APP}/public/index.php`, mode: 0o644, content: PLACEHOLDER }]),
      ],
      cmd: commandArgv(command),
      port: common.port,
      shell: true,
    },
    warnings,
  };
}

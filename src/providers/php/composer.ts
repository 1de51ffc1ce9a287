// composer.json and composer.lock: the parts the build needs.
import { UserError } from "../../context/fs.js";

export interface ComposerJson {
  /** `require.php`. */
  php?: string;
  /** `config.platform.php`: the PHP release Composer resolved the lockfile for. */
  platformPhp?: string;
  /** Package names under `require` (not `php`, `ext-*`, `lib-*`). */
  packages: string[];
  /** `ext-*` requirements (require and require-dev are both checked by `composer install`; only require ships). */
  extensions: string[];
  /** Folders of `path` repositories (local packages installed from the context). */
  pathRepos: string[];
  scripts: Record<string, unknown>;
}

export interface ComposerLock {
  /** `ext-*` requirements of the locked packages (their `require`), and `platform`. */
  extensions: string[];
  packages: number;
}

function object(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function parse(text: string, file: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split("\n").length : undefined;
    throw new UserError(`${file}${line ? ` line ${line}` : ""} is not valid JSON (${(e as Error).message}); fix the syntax (\`composer validate\` shows where) and build again.`, file);
  }
  const o = object(data);
  if (!o) throw new UserError(`${file} must hold a JSON object; fix it and build again.`, file);
  return o;
}

const extName = (k: string) => k.slice(4).toLowerCase();

export function parseComposerJson(text: string, file = "composer.json"): ComposerJson {
  const o = parse(text, file);
  const require = o.require === undefined ? {} : object(o.require);
  if (!require) throw new UserError(`${file}: "require" must be an object of package → constraint; fix it.`, file);
  const php = require.php;
  if (php !== undefined && typeof php !== "string") throw new UserError(`${file}: require.php must be a string such as "^8.2"; fix it.`, file);
  const repos = Array.isArray(o.repositories) ? o.repositories : Object.values(object(o.repositories) ?? {});
  const pathRepos = repos.flatMap((r) => {
    const x = object(r);
    return x?.type === "path" && typeof x.url === "string" ? [x.url] : [];
  });
  const platformPhp = object(object(o.config)?.platform)?.php;
  if (platformPhp !== undefined && typeof platformPhp !== "string") throw new UserError(`${file}: config.platform.php must be a string such as "8.3.14"; fix it.`, file);
  return {
    php: php as string | undefined,
    platformPhp: platformPhp as string | undefined,
    packages: Object.keys(require).filter((k) => k.includes("/")).map((k) => k.toLowerCase()),
    extensions: Object.keys(require).filter((k) => k.startsWith("ext-")).map(extName),
    pathRepos,
    scripts: object(o.scripts) ?? {},
  };
}

export function parseComposerLock(text: string, file = "composer.lock"): ComposerLock {
  const o = parse(text, file);
  if (o.packages !== undefined && !Array.isArray(o.packages)) throw new UserError(`${file}: "packages" must be a list; regenerate the lockfile with \`composer update --lock\`.`, file);
  const packages = (o.packages as unknown[] | undefined) ?? [];
  const exts = new Set<string>();
  for (const p of packages) for (const k of Object.keys(object(object(p)?.require) ?? {})) if (k.startsWith("ext-")) exts.add(extName(k));
  for (const k of Object.keys(object(o.platform) ?? {})) if (k.startsWith("ext-")) exts.add(extName(k));
  return { extensions: [...exts].sort(), packages: packages.length };
}

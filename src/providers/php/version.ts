// Which PHP: PHP_VERSION, .php-version, composer.json `config.platform.php`
// (its line: the lockfile was resolved for it), then `require.php`, resolved
// against a bundled, dated release table to one release of a line FrankenPHP
// publishes images for (8.2 and newer).
import semver from "semver";
import table from "./versions.json" with { type: "json" };
import { resolveInTable, type ReleaseTable, type Resolution } from "../../versions/table.js";
import { pickVersion, type VersionPick } from "../../kit/version-pick.js";

export const PHP_RELEASES: readonly string[] = table.versions;
/** The oldest line FrankenPHP has images for. */
export const PHP_MIN_LINE = "8.2";
const SUPPORTED = PHP_RELEASES.filter((v) => semver.gte(v, `${PHP_MIN_LINE}.0`));
const TABLE: ReleaseTable = { name: "PHP", versions: SUPPORTED, updated: table.updated };

export function defaultPhpVersion(): string {
  return SUPPORTED.at(-1)!;
}

/**
 * Composer constraint syntax → semver: `^8.2`, `~8.2.0`, `>=8.1 <8.4`, `8.3.*`,
 * `^8.2 || ^8.3`, `>=8.2,<8.5` (comma = and). Exact `8.3.12` stays exact.
 */
export function composerToSemver(text: string): string {
  // `|` is Composer's older spelling of `||`.
  return text
    .split(/\|\|?/)
    .map((alt) =>
      alt
        .replace(/\s*,\s*/g, " ")
        .replace(/(\d+(?:\.\d+)*)\.\*/g, "$1.x")
        .replace(/@\w+/g, "")
        .trim(),
    )
    .join(" || ");
}

export function resolvePhpVersion(raw: string): Resolution {
  const text = raw.trim().replace(/^v(?=\d)/, "");
  const exact = semver.valid(text);
  if (exact) {
    if (semver.lt(exact, `${PHP_MIN_LINE}.0`)) return { ok: false, reason: `FrankenPHP has images for PHP ${PHP_MIN_LINE} and newer only` };
    const line = `${semver.major(exact)}.${semver.minor(exact)}.x`;
    const newestOfLine = semver.maxSatisfying([...SUPPORTED], line);
    // A newer patch of a known line than the table lists: the image tag may well exist.
    if (newestOfLine && semver.gt(exact, newestOfLine)) return { ok: true, version: exact };
    return resolveInTable(TABLE, exact);
  }
  const range = semver.validRange(composerToSemver(text));
  if (!range) return { ok: false, reason: `"${text}" is not a version or constraint` };
  if (!semver.maxSatisfying([...SUPPORTED], range) && semver.maxSatisfying([...PHP_RELEASES], range)) {
    return { ok: false, reason: `it allows only lines older than ${PHP_MIN_LINE}, and FrankenPHP has images for PHP ${PHP_MIN_LINE} and newer only` };
  }
  return resolveInTable(TABLE, range);
}

/** `config.platform.php` (`8.3.14`, `8.3`): the line the lockfile was resolved for; the newest release of that line runs it. */
export function platformLine(raw: string | undefined): string | undefined {
  const m = /^\s*v?(\d+)\.(\d+)(?:\.\d+)?\s*$/.exec(raw ?? "");
  return m ? `${m[1]}.${m[2]}` : raw;
}

export function pickPhpVersion(s: { arg?: string; phpVersionFile?: string; managed?: { version: string; file: string }; platform?: string; require?: string }): VersionPick {
  return pickVersion(
    "PHP",
    [
      { raw: s.arg, source: "build arg PHP_VERSION" },
      { raw: s.phpVersionFile, source: ".php-version" },
      { raw: s.managed?.version, source: s.managed?.file ?? ".tool-versions" },
      { raw: platformLine(s.platform), source: "composer.json config.platform.php" },
      { raw: s.require, source: "composer.json require.php" },
    ],
    resolvePhpVersion,
    defaultPhpVersion(),
    `Use a version such as 8.3 or ${defaultPhpVersion()}`,
  );
}

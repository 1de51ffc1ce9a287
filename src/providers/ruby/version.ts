// Which Ruby: RUBY_VERSION, .ruby-version, .tool-versions or mise, the Gemfile's
// `ruby` directive (or the file it names), Gemfile.lock's RUBY VERSION,
// resolved against the bundled, dated release table to one concrete release.
import semver from "semver";
import table from "./versions.json" with { type: "json" };
import { resolveInTable, type ReleaseTable, type Resolution } from "../../versions/table.js";
import { pickVersion, type VersionCandidate, type VersionPick } from "../../kit/version-pick.js";
import { requirementToRange } from "./gemfile.js";

export const RUBY_RELEASES: readonly string[] = table.versions;
const TABLE: ReleaseTable = { name: "Ruby", versions: RUBY_RELEASES, updated: table.updated };

/** The default line when the app names no version (the newest 3.4 release: the line the original defaulted to). */
export const RUBY_DEFAULT_LINE = "3.4";

export function defaultRubyVersion(): string {
  return semver.maxSatisfying([...RUBY_RELEASES], `${RUBY_DEFAULT_LINE}.x`)!;
}

/** `3.3.0`, `ruby-3.3.0`, `3.3`, `~> 3.2`, `>= 3.1, < 3.4` → a release. Other engines are refused. */
export function resolveRubyVersion(raw: string): Resolution {
  let text = raw.trim();
  const engine = /^([a-z]+)-(.+)$/i.exec(text);
  if (engine) {
    if (engine[1]!.toLowerCase() !== "ruby") return { ok: false, reason: `${engine[1]} is not supported, only CRuby (the official ruby images)` };
    text = engine[2]!;
  }
  text = text.replace(/p\d+$/, "");
  const exact = semver.valid(text);
  if (exact) {
    // A patch release of a known line that is newer than the table: the image tag may well exist.
    const line = `${semver.major(exact)}.${semver.minor(exact)}.x`;
    const newestOfLine = semver.maxSatisfying([...RUBY_RELEASES], line);
    if (newestOfLine && semver.gt(exact, newestOfLine)) return { ok: true, version: exact };
    if (!newestOfLine && semver.lt(exact, RUBY_RELEASES[0]!)) return { ok: false, reason: `Ruby ${semver.major(exact)}.${semver.minor(exact)} is older than the oldest line built here (${RUBY_RELEASES[0]!.replace(/\.\d+$/, "")})` };
    return resolveInTable(TABLE, exact);
  }
  const range = requirementToRange(text.split(","));
  if (!range) return { ok: false, reason: `"${text}" is not a version or requirement` };
  return resolveInTable(TABLE, range);
}

export interface RubyVersionSources {
  arg?: string;
  rubyVersionFile?: string;
  toolVersions?: string;
  /** The file that pinned `toolVersions` (.tool-versions or a mise config). */
  toolVersionsFile?: string;
  /** The Gemfile `ruby` directive's requirements, joined with ", ". */
  gemfile?: string;
  /** The file `ruby file:` names, with its content. */
  gemfileFile?: { file: string; raw?: string };
  lock?: string;
}

export function pickRubyVersion(s: RubyVersionSources): VersionPick {
  // A Gemfile range that the lockfile's RUBY VERSION satisfies: the lockfile names the release the app was locked with.
  if (!s.arg && !s.rubyVersionFile && !s.toolVersions && s.gemfile && s.lock && semver.valid(s.lock)) {
    const range = requirementToRange(s.gemfile.split(","));
    if (range && !semver.valid(range) && semver.satisfies(s.lock, range)) {
      const r = resolveRubyVersion(s.lock);
      if (r.ok) return { version: r.version, source: "Gemfile.lock RUBY VERSION" };
    }
  }
  const candidates: VersionCandidate[] = [
    { raw: s.arg, source: "build arg RUBY_VERSION" },
    { raw: s.rubyVersionFile, source: ".ruby-version" },
    { raw: s.toolVersions, source: s.toolVersionsFile ?? ".tool-versions" },
    { raw: s.gemfile, source: "Gemfile ruby" },
    ...(s.gemfileFile ? [{ raw: s.gemfileFile.raw, source: `${s.gemfileFile.file} (Gemfile ruby file:)` }] : []),
    { raw: s.lock, source: "Gemfile.lock RUBY VERSION" },
  ];
  return pickVersion("Ruby", candidates, resolveRubyVersion, defaultRubyVersion(), "Use a version such as 3.3 or 3.3.6");
}

/** RubyGems' ABI folder for a release (`vendor/bundle/ruby/3.3.0`). */
export function abiVersion(version: string): string {
  const v = semver.parse(version)!;
  return `${v.major}.${v.minor}.0`;
}

// Resolving a version constraint against a bundled, dated release table
// (data/<runtime>.json, refreshed by scripts/update-<runtime>-versions.mjs).
// Shared by every runtime whose releases we list; aliases such as `lts/*` or
// `latest` stay with each runtime.
import semver from "semver";

export interface ReleaseTable {
  /** Display name in messages ("Node.js", "Bun", "Deno"). */
  name: string;
  /** Released versions, ascending, plain X.Y.Z. */
  versions: readonly string[];
  /** Date the table was generated (YYYY-MM-DD). */
  updated: string;
}

export type Resolution = { ok: true; version: string } | { ok: false; reason: string };

export function newestRelease(t: ReleaseTable): string {
  return t.versions.at(-1)!;
}

/** Newest release satisfying a semver range, if any. */
export function newestMatching(t: ReleaseTable, range: string): string | undefined {
  return semver.maxSatisfying([...t.versions], range) ?? undefined;
}

export interface ResolveOptions {
  /** Releases to pick first inside a range (e.g. Node's even, LTS lines). */
  prefer?: (version: string) => boolean;
  /** Trust exact versions from this one up to the table's first entry (the table does not reach that far back). */
  trustFrom?: string;
}

/**
 * Resolves an exact version or a semver range (`1.2`, `^1.1`, `>=2 <3`, `1.x`)
 * to a release in the table. `text` is trimmed, without a leading `v`.
 * An exact version newer than the table is trusted: the image tag may well exist.
 */
export function resolveInTable(t: ReleaseTable, text: string, o: ResolveOptions = {}): Resolution {
  const exact = semver.valid(text);
  if (exact) {
    if (t.versions.includes(exact)) return { ok: true, version: exact };
    if (semver.gt(exact, newestRelease(t))) return { ok: true, version: exact };
    if (o.trustFrom && semver.gte(exact, o.trustFrom) && semver.lt(exact, t.versions[0]!)) return { ok: true, version: exact };
    return { ok: false, reason: `${t.name} ${exact} was never released` };
  }
  const range = semver.validRange(text);
  if (!range) return { ok: false, reason: `"${text}" is not a version or range` };
  const preferred = o.prefer ? t.versions.filter(o.prefer) : [];
  const pick = semver.maxSatisfying(preferred, range) ?? semver.maxSatisfying([...t.versions], range);
  if (!pick) return { ok: false, reason: `no ${t.name} release satisfies "${text}" (newest known: ${newestRelease(t)}, table of ${t.updated})` };
  return { ok: true, version: pick };
}

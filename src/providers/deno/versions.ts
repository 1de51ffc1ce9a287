// Deno version constraints (DENO_VERSION, .deno-version, .dvmrc) resolved to
// one release against the bundled, dated table in data/deno.json. The table
// comes from the npm registry's `deno` package, which starts at 1.46: older
// exact 1.x versions are trusted as given.
import semver from "semver";
import table from "./versions.json" with { type: "json" };
import { newestMatching, newestRelease, resolveInTable, type ReleaseTable, type Resolution } from "../../versions/table.js";

export const DENO_TABLE: ReleaseTable = { name: "Deno", versions: table.versions, updated: table.updated };

/** The default is the newest release of this line, so a table refresh never jumps a major version. */
export const DENO_DEFAULT_MAJOR = 2;

export function defaultDenoVersion(): string {
  return newestMatching(DENO_TABLE, `${DENO_DEFAULT_MAJOR}.x`)!;
}

/** `2.1.4`, `v2.1.4`, `2.1`, `^2.1`, `2.x`, `latest`. */
export function resolveDenoVersion(raw: string): Resolution {
  const text = raw.trim().replace(/^v(?=\d)/, "");
  if (["latest", "*", "x", "stable"].includes(text.toLowerCase())) return { ok: true, version: newestRelease(DENO_TABLE) };
  const r = resolveInTable(DENO_TABLE, text, { trustFrom: "1.0.0" });
  const range = r.ok ? null : semver.validRange(text);
  const oldest = DENO_TABLE.versions[0]!;
  if (!r.ok && range && semver.minVersion(range) && semver.lt(semver.minVersion(range)!, oldest)) {
    return { ok: false, reason: `${r.reason}; the table starts at ${oldest}, so give an exact version (such as 1.45.5) for older releases` };
  }
  return r;
}

// Bun version constraints (BUN_VERSION, .bun-version, packageManager, engines.bun)
// resolved to one release against the bundled, dated table in data/bun.json.
import table from "./versions.json" with { type: "json" };
import { newestMatching, newestRelease, resolveInTable, type ReleaseTable, type Resolution } from "../../versions/table.js";

export const BUN_TABLE: ReleaseTable = { name: "Bun", versions: table.versions, updated: table.updated };

/** The default is the newest release of this line, so a table refresh never jumps a major version. */
export const BUN_DEFAULT_MAJOR = 1;

export function defaultBunVersion(): string {
  return newestMatching(BUN_TABLE, `${BUN_DEFAULT_MAJOR}.x`)!;
}

/** `1.2.3`, `v1.2.3`, `bun-v1.2.3` (release tag), `1.2`, `^1.1`, `>=1.1 <1.3`, `latest`. */
export function resolveBunVersion(raw: string): Resolution {
  const text = raw.trim().replace(/^bun-v(?=\d)/i, "").replace(/^v(?=\d)/, "");
  if (["latest", "*", "x"].includes(text.toLowerCase())) return { ok: true, version: newestRelease(BUN_TABLE) };
  return resolveInTable(BUN_TABLE, text);
}

// Picking a version from ordered sources (build arg, version files, manifest
// fields, defaults): the first source that says something wins, and the pick
// records which one decided, for the result's `versionSource` and for errors
// that name the file to fix.
import { UserError } from "../context/fs.js";

export interface VersionCandidate {
  /** The raw text the source gave, or undefined/blank when it says nothing. */
  raw: string | undefined;
  /** Where it came from, as the user knows it: "build arg PYTHON_VERSION", ".python-version", "pyproject.toml requires-python". */
  source: string;
}

export interface VersionPick {
  version: string;
  source: string;
}

/** The file a source names ("pyproject.toml requires-python" → "pyproject.toml"); undefined for build args and defaults. */
export function sourceFile(source: string): string | undefined {
  if (source.startsWith("build arg") || source === "default") return undefined;
  return source.split(" ")[0];
}

/**
 * The first candidate with a value, resolved by `resolve` (which returns the
 * concrete version or a reason it cannot); `fallback` when none has one.
 * `hint` ends the error, e.g. "Use a version such as 3.12 or 3.12.7".
 */
export function pickVersion(
  name: string,
  candidates: readonly VersionCandidate[],
  resolve: (raw: string) => { ok: true; version: string } | { ok: false; reason: string },
  fallback: string,
  hint: string,
): VersionPick {
  for (const c of candidates) {
    const raw = c.raw?.trim();
    if (!raw) continue;
    const r = resolve(raw);
    if (!r.ok) throw new UserError(`${c.source} asks for ${name} "${raw.length > 40 ? raw.slice(0, 40) + "…" : raw}": ${r.reason}. ${hint}.`, sourceFile(c.source));
    return { version: r.version, source: c.source };
  }
  return { version: fallback, source: "default" };
}

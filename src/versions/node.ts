// Node.js version constraints (.nvmrc, engines.node, NODE_VERSION...) resolved
// to one concrete release against the bundled, dated table in data/node.json.
import semver from "semver";
import table from "./data/node.json" with { type: "json" };

export const NODE_RELEASES: readonly string[] = table.versions;
export const NODE_TABLE_DATE: string = table.updated;

/** LTS lines by codename (nvm's `lts/<name>`). */
export const NODE_LTS_CODENAMES: Readonly<Record<string, number>> = {
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
};

/** Newest LTS line we know by name; the default when an app names no version. */
export const NODE_DEFAULT_MAJOR = 24;

export type Resolution = { ok: true; version: string } | { ok: false; reason: string };

export function latestOfMajor(major: number): string | undefined {
  return semver.maxSatisfying([...NODE_RELEASES], `${major}.x`) ?? undefined;
}

export function defaultNodeVersion(): string {
  return latestOfMajor(NODE_DEFAULT_MAJOR)!;
}

/** Resolves nvm/semver syntax to a release; prefers LTS (even) lines inside open ranges. */
export function resolveNodeVersion(raw: string): Resolution {
  const text = raw.trim().replace(/^v(?=\d)/, "");
  const lower = text.toLowerCase();
  if (["node", "latest", "current", "*", "x", "stable"].includes(lower)) return { ok: true, version: NODE_RELEASES.at(-1)! };
  if (lower === "lts/*" || lower === "lts" || lower === "lts/-0") return { ok: true, version: defaultNodeVersion() };
  if (lower.startsWith("lts/")) {
    const major = NODE_LTS_CODENAMES[lower.slice(4)];
    const v = major === undefined ? undefined : latestOfMajor(major);
    if (!v) return { ok: false, reason: `unknown LTS codename "${text.slice(4)}" (known: ${Object.keys(NODE_LTS_CODENAMES).join(", ")})` };
    return { ok: true, version: v };
  }
  const exact = semver.valid(text);
  if (exact) {
    if (NODE_RELEASES.includes(exact)) return { ok: true, version: exact };
    // Newer than our table: trust it (the image tag may well exist); older: a typo.
    if (semver.gt(exact, NODE_RELEASES.at(-1)!)) return { ok: true, version: exact };
    return { ok: false, reason: `Node.js ${exact} was never released` };
  }
  const range = semver.validRange(text);
  if (!range) return { ok: false, reason: `"${text}" is not a version or range` };
  const even = NODE_RELEASES.filter((v) => semver.major(v) % 2 === 0);
  const pick = semver.maxSatisfying(even, range) ?? semver.maxSatisfying([...NODE_RELEASES], range);
  if (!pick) return { ok: false, reason: `no Node.js release satisfies "${text}" (newest known: ${NODE_RELEASES.at(-1)}, table of ${NODE_TABLE_DATE})` };
  return { ok: true, version: pick };
}

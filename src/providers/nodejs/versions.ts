// Node.js version constraints (.nvmrc, engines.node, NODE_VERSION...) resolved
// to one concrete release against the bundled, dated table in data/node.json.
import semver from "semver";
import table from "./versions.json" with { type: "json" };
import { resolveInTable, type ReleaseTable, type Resolution } from "../../versions/table.js";

export const NODE_RELEASES: readonly string[] = table.versions;
export const NODE_TABLE_DATE: string = table.updated;
const NODE_TABLE: ReleaseTable = { name: "Node.js", versions: NODE_RELEASES, updated: NODE_TABLE_DATE };

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

export type { Resolution } from "../../versions/table.js";

export function latestOfMajor(major: number): string | undefined {
  return semver.maxSatisfying([...NODE_RELEASES], `${major}.x`) ?? undefined;
}

export function defaultNodeVersion(): string {
  return latestOfMajor(NODE_DEFAULT_MAJOR)!;
}

/** LTS majors with releases in the table, newest (the default line) first. */
export function ltsMajors(): number[] {
  return [...new Set(Object.values(NODE_LTS_CODENAMES))]
    .filter((m) => m <= NODE_DEFAULT_MAJOR && latestOfMajor(m) !== undefined)
    .sort((a, b) => b - a);
}

/** Resolves nvm/semver syntax to a release; prefers LTS (even) lines inside open ranges. */
export function resolveNodeVersion(raw: string): Resolution {
  const text = raw.trim().replace(/^v(?=\d)/i, "");
  const lower = text.toLowerCase();
  if (["node", "latest", "current", "*", "x", "stable"].includes(lower)) return { ok: true, version: NODE_RELEASES.at(-1)! };
  if (lower === "lts/*" || lower === "lts") return { ok: true, version: defaultNodeVersion() };
  const back = /^lts\/-(\d+)$/.exec(lower);
  if (back) {
    // nvm's lts/-N: N LTS lines before the newest (lts/-0 is lts/*).
    const lines = ltsMajors();
    const major = lines[Number(back[1])];
    if (major === undefined) return { ok: false, reason: `"${text}" goes back further than the ${lines.length} LTS lines we know (${lines.join(", ")})` };
    return { ok: true, version: latestOfMajor(major)! };
  }
  if (lower.startsWith("lts/")) {
    const major = NODE_LTS_CODENAMES[lower.slice(4)];
    const v = major === undefined ? undefined : latestOfMajor(major);
    if (!v) return { ok: false, reason: `unknown LTS codename "${text.slice(4)}" (known: ${Object.keys(NODE_LTS_CODENAMES).join(", ")})` };
    return { ok: true, version: v };
  }
  return resolveInTable(NODE_TABLE, text, { prefer: (v) => semver.major(v) % 2 === 0 });
}

// CPython version constraints (PYTHON_VERSION, .python-version, runtime.txt,
// .tool-versions, requires-python, Poetry's `python`, Pipfile) resolved to one
// concrete release against the bundled, dated table in versions.json
// (scripts/update-python-versions.mjs). No network at build time.
//
// Accepted forms:
// - a line or release: `3`, `3.12`, `3.12.3`, `3.12.x`, `python-3.12.3`, `cpython-3.12`;
// - PEP 440 specifiers (requires-python): `>=3.10`, `>=3.10,<3.13`, `~=3.11`,
//   `==3.12.*`, `!=3.12.1` — the clause operators `== != <= >= < > ~= ===`
//   with release numbers and `.*` wildcards (pre-, post- and local versions are
//   not CPython releases and are refused with the reason);
// - Poetry's constraints (`python = "^3.11"`, `~3.11`, `>=3.9 <4.0`, `||`), read with semver.
// A range picks the newest release of the newest *supported* line (the five
// newest lines of the table, which is what CPython maintains at any time)
// that satisfies it; older lines only when the range allows nothing newer.
import semver from "semver";
import table from "./versions.json" with { type: "json" };
import type { Resolution } from "../../versions/table.js";

export const PYTHON_RELEASES: readonly string[] = table.versions;
export const PYTHON_TABLE_DATE: string = table.updated;

type Release = [number, number, number];

const parse = (v: string): Release => v.split(".").map(Number) as Release;
const line = (v: string) => v.split(".").slice(0, 2).join(".");

/** Lines in the table, newest first. */
const LINES = [...new Set(PYTHON_RELEASES.map(line))].sort((a, b) => cmp(parse(b + ".0"), parse(a + ".0")));
/** CPython maintains five lines at once (two bugfix, three security); the newest five of the table. */
export const SUPPORTED_LINES: readonly string[] = LINES.slice(0, 5);

/** The default when nothing names a version: the newest release of the newest line. */
export function defaultPythonVersion(): string {
  return newestOf(PYTHON_RELEASES)!;
}

function cmp(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function newestOf(vs: readonly string[]): string | undefined {
  return [...vs].sort((a, b) => cmp(parse(a), parse(b))).at(-1);
}

/** The newest matching release on a supported line, else the newest matching one at all. */
function pick(match: (v: string) => boolean): string | undefined {
  const all = PYTHON_RELEASES.filter(match);
  return newestOf(all.filter((v) => SUPPORTED_LINES.includes(line(v)))) ?? newestOf(all);
}

interface Clause {
  op: string;
  release: number[];
  wildcard: boolean;
  text: string;
}

const OPS = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

/** PEP 440 specifier set → clauses, or the reason it is not one we can resolve. */
export function parseSpecifierSet(text: string): Clause[] | string {
  const parts = text.includes(",") ? text.split(",") : text.trim().split(/\s+(?=[<>=!~])/);
  const out: Clause[] = [];
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) return `"${text}" has an empty clause`;
    const op = OPS.find((o) => p.startsWith(o));
    if (!op) return `"${p}" has no comparison operator (use one of ${OPS.join(" ")})`;
    const v = p.slice(op.length).trim().replace(/^v/i, "");
    if (op === "===") {
      out.push({ op, release: [], wildcard: false, text: v });
      continue;
    }
    const m = /^(\d+(?:\.\d+)*)(\.\*)?$/.exec(v);
    if (!m) {
      if (/^\d+(\.\d+)*(a|b|rc|c|\.?dev|\.?post|-|\+)/i.test(v)) return `"${p}" names a pre-, post- or local version, which are not CPython releases`;
      return `"${p}" is not a version specifier`;
    }
    const wildcard = Boolean(m[2]);
    if (wildcard && op !== "==" && op !== "!=") return `"${p}": a .* wildcard only works with == and !=`;
    const release = m[1]!.split(".").map(Number);
    if (op === "~=" && release.length < 2) return `"${p}": ~= needs at least two numbers (such as ~=3.11)`;
    out.push({ op, release, wildcard, text: v });
  }
  return out;
}

export function satisfies(version: string, clauses: readonly Clause[]): boolean {
  const v = parse(version);
  return clauses.every((c) => {
    const r = c.release;
    switch (c.op) {
      case "===":
        return version === c.text;
      case "==":
        return c.wildcard ? r.every((n, i) => v[i] === n) : cmp(v, r) === 0;
      case "!=":
        return c.wildcard ? !r.every((n, i) => v[i] === n) : cmp(v, r) !== 0;
      case "~=":
        return cmp(v, r) >= 0 && r.slice(0, -1).every((n, i) => v[i] === n);
      case ">=":
        return cmp(v, r) >= 0;
      case "<=":
        return cmp(v, r) <= 0;
      case ">":
        return cmp(v, r) > 0;
      case "<":
        return cmp(v, r) < 0;
      default:
        return false;
    }
  });
}

const tableNote = () => `newest known: ${PYTHON_RELEASES.at(-1)}, table of ${PYTHON_TABLE_DATE}`;

export function resolvePythonVersion(raw: string): Resolution {
  let text = raw.trim().replace(/^["']|["']$/g, "");
  const impl = /^(pypy|graalpy|jython|ironpython|anaconda|miniconda|mambaforge|micropython|stackless|pyston)/i.exec(text);
  if (impl) return { ok: false, reason: `${impl[1]} is not CPython; only CPython has official images` };
  text = text.replace(/^c?python[-@]?(?=\d)/i, "");
  if (/^\d+\.\d+(\.\d+)?t$/i.test(text)) return { ok: false, reason: "free-threaded builds (the `t` suffix) have no official images" };
  if (/^(3\.\d+\.\d+)-/.test(text)) text = text.replace(/-.*$/, ""); // uv's cpython-3.12.3-linux-x86_64-gnu
  if (/^\d+\.\d+\.\d+$/.test(text)) {
    if (PYTHON_RELEASES.includes(text)) return { ok: true, version: text };
    const newest = PYTHON_RELEASES.at(-1)!;
    if (cmp(parse(text), parse(newest)) > 0) return { ok: true, version: text }; // newer than the table: the image tag may well exist
    return { ok: false, reason: `Python ${text} was never released (${tableNote()})` };
  }
  const prefix = /^(\d+)(?:\.(\d+))?(?:\.[x*])?$/i.exec(text);
  if (prefix) {
    const want = [Number(prefix[1]), ...(prefix[2] !== undefined ? [Number(prefix[2])] : [])];
    const v = pick((r) => want.every((n, i) => parse(r)[i] === n));
    return v ? { ok: true, version: v } : { ok: false, reason: `no Python ${text} release is known (${tableNote()})` };
  }
  // Poetry's caret/tilde/`||` syntax (and a bare `*`): semver ranges.
  if (/^[\^~](?!=)/.test(text) || text.includes("||") || text === "*") {
    const range = semver.validRange(text.replace(/,/g, " "));
    if (!range) return { ok: false, reason: `"${text}" is not a version constraint` };
    const v = pick((r) => semver.satisfies(r, range));
    return v ? { ok: true, version: v } : { ok: false, reason: `no Python release satisfies "${text}" (${tableNote()})` };
  }
  const clauses = parseSpecifierSet(text);
  if (typeof clauses === "string") return { ok: false, reason: clauses };
  const v = pick((r) => satisfies(r, clauses));
  return v ? { ok: true, version: v } : { ok: false, reason: `no Python release satisfies "${text}" (${tableNote()})` };
}

/** `3.12.3` → `3.12`. */
export function pythonLine(version: string): string {
  return line(version);
}

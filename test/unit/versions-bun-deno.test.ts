import { describe, it, expect } from "vitest";
import semver from "semver";
import bunTable from "../../src/providers/bun/versions.json" with { type: "json" };
import denoTable from "../../src/providers/deno/versions.json" with { type: "json" };
import { BUN_DEFAULT_MAJOR, defaultBunVersion, resolveBunVersion } from "../../src/providers/bun/versions.js";
import { DENO_DEFAULT_MAJOR, defaultDenoVersion, resolveDenoVersion } from "../../src/providers/deno/versions.js";
import { resolveInTable, type ReleaseTable } from "../../src/versions/table.js";

// Expectations are computed from the bundled tables so a table refresh does not break them.
const tables = [
  ["bun", bunTable, BUN_DEFAULT_MAJOR, defaultBunVersion],
  ["deno", denoTable, DENO_DEFAULT_MAJOR, defaultDenoVersion],
] as const;

describe.each(tables)("%s version table", (_name, table, major, defaultVersion) => {
  const versions: string[] = [...table.versions];
  it("is dated, sorted ascending, plain X.Y.Z releases only", () => {
    expect(table.updated).toMatch(/^\d{4}-\d\d-\d\d$/);
    for (const v of versions) expect(v, v).toMatch(/^\d+\.\d+\.\d+$/);
    expect([...versions].sort(semver.compare)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
    expect(semver.major(versions[0]!)).toBeGreaterThanOrEqual(1);
  });
  it("the default is the newest release of the default major line", () => {
    expect(defaultVersion()).toBe(semver.maxSatisfying(versions, `${major}.x`));
  });
});

const bun = bunTable.versions;
const deno = denoTable.versions;
const maxBun = (r: string) => semver.maxSatisfying(bun, r)!;
const maxDeno = (r: string) => semver.maxSatisfying(deno, r)!;

describe("resolveBunVersion", () => {
  const good: [string, () => string][] = [
    ["1.2.0", () => "1.2.0"],
    [" v1.2.0 ", () => "1.2.0"],
    ["bun-v1.1.30", () => "1.1.30"],
    ["1.2", () => maxBun("1.2.x")],
    ["1", () => maxBun("1.x")],
    ["^1.1", () => maxBun("^1.1")],
    ["~1.1.10", () => maxBun("~1.1.10")],
    [">=1.0 <1.1", () => maxBun("1.0.x")],
    ["1.x", () => maxBun("1.x")],
    ["latest", () => bun.at(-1)!],
    ["*", () => bun.at(-1)!],
    ["99.0.0", () => "99.0.0"], // newer than the table: trusted
  ];
  it.each(good)("%j → table value", (input, expected) => expect(resolveBunVersion(input)).toEqual({ ok: true, version: expected() }));
  const bad: [string, RegExp][] = [
    ["banana", /not a version or range/],
    ["canary", /not a version or range/],
    ["0.5.0", /Bun 0\.5\.0 was never released/],
    ["^7", /no Bun release satisfies "\^7"/],
    ["1.1.23", /Bun 1\.1\.23 was never released/], // skipped by Bun (1.1.22 → 1.1.24)
  ];
  it.each(bad)("%j → ok:false", (input, reason) => {
    const r = resolveBunVersion(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe("resolveDenoVersion", () => {
  const good: [string, () => string][] = [
    ["2.1.4", () => "2.1.4"],
    ["v2.1.4", () => "2.1.4"],
    ["2.1", () => maxDeno("2.1.x")],
    ["2", () => maxDeno("2.x")],
    ["^2.0", () => maxDeno("^2.0")],
    ["1.46", () => maxDeno("1.46.x")],
    ["1.40.5", () => "1.40.5"], // older than the npm table (starts at 1.46): exact versions are trusted
    ["latest", () => deno.at(-1)!],
    ["99.1.0", () => "99.1.0"],
  ];
  it.each(good)("%j → table value", (input, expected) => expect(resolveDenoVersion(input)).toEqual({ ok: true, version: expected() }));
  const bad: [string, RegExp][] = [
    ["two", /not a version or range/],
    ["0.42.0", /Deno 0\.42\.0 was never released/],
    ["1.40", /no Deno release satisfies "1\.40".*table starts at 1\.46\.0.*exact version/],
    ["^3", /no Deno release satisfies "\^3"/],
    [deno.includes("2.7.0") ? "0.0.0" : "2.7.0", /was never released/],
  ];
  it.each(bad)("%j → ok:false", (input, reason) => {
    const r = resolveDenoVersion(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe("resolveInTable (shared by node, bun, deno)", () => {
  const t: ReleaseTable = { name: "X", versions: ["1.0.0", "1.1.0", "2.0.0", "3.0.0", "3.1.0"], updated: "2026-01-01" };
  it.each([
    ["1.1.0", {}, { ok: true, version: "1.1.0" }],
    ["4.0.0", {}, { ok: true, version: "4.0.0" }],
    ["1.2.0", {}, { ok: false, reason: "X 1.2.0 was never released" }],
    ["0.9.0", { trustFrom: "0.5.0" }, { ok: true, version: "0.9.0" }],
    ["0.1.0", { trustFrom: "0.5.0" }, { ok: false, reason: "X 0.1.0 was never released" }],
    [">=1", {}, { ok: true, version: "3.1.0" }],
    [">=1", { prefer: (v: string) => semver.major(v) % 2 === 0 }, { ok: true, version: "2.0.0" }],
    ["^5", {}, { ok: false, reason: 'no X release satisfies "^5" (newest known: 3.1.0, table of 2026-01-01)' }],
  ] as [string, object, unknown][])("%j %j", (input, opts, expected) => expect(resolveInTable(t, input, opts)).toEqual(expected));
});

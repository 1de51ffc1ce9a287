import { describe, it, expect } from "vitest";
import semver from "semver";
import table from "../../src/providers/nodejs/versions.json" with { type: "json" };
import { NODE_DEFAULT_MAJOR, NODE_LTS_CODENAMES, defaultNodeVersion, latestOfMajor, resolveNodeVersion } from "../../src/providers/nodejs/versions.js";

// Expectations are computed from the bundled table so a table refresh does not break them.
const releases: string[] = table.versions;
const newest = releases.at(-1)!;
const max = (range: string) => semver.maxSatisfying(releases, range)!;

describe("node version table", () => {
  it("is sorted ascending, all valid semver, and has the default LTS line", () => {
    for (const v of releases) expect(semver.valid(v), v).toBe(v);
    expect([...releases].sort(semver.compare)).toEqual(releases);
    expect(latestOfMajor(NODE_DEFAULT_MAJOR)).toBeDefined();
    expect(defaultNodeVersion()).toBe(max(`${NODE_DEFAULT_MAJOR}.x`));
  });
});

describe("resolveNodeVersion: good values", () => {
  const cases: [input: string, expected: () => string][] = [
    ["20", () => max("20.x")],
    [" 20 ", () => max("20.x")],
    ["v20.1.0", () => "20.1.0"],
    ["20.1.0", () => "20.1.0"],
    ["^18.17", () => max("^18.17")],
    [">=18 <21", () => max("20.x")], // prefers the even (LTS) line inside the range
    ["20.x", () => max("20.x")],
    ["20 || 22", () => max("22.x")],
    ["lts/*", () => max(`${NODE_DEFAULT_MAJOR}.x`)],
    ["lts/iron", () => max("20.x")],
    ["lts/hydrogen", () => max("18.x")],
    ["LTS/Iron", () => max("20.x")],
    ["*", () => newest],
    ["node", () => newest],
    ["latest", () => newest],
    ["lts/-0", () => max(`${NODE_DEFAULT_MAJOR}.x`)],
    ["lts/-1", () => max(`${NODE_DEFAULT_MAJOR - 2}.x`)], // the LTS line before the newest
    ["lts/-2", () => max(`${NODE_DEFAULT_MAJOR - 4}.x`)],
    ["V20", () => max("20.x")],
    ["v18.x", () => max("18.x")],
    ["^v20", () => max("20.x")],
    [">=v18 <v21", () => max("20.x")],
    [">= 18 < 21", () => max("20.x")], // spaces after operators kept as semver reads them
    ["18 - 20", () => max("20.x")],
    ["~v20.1", () => max("~20.1")],
    ["20.x || 22.x", () => max("22.x")],
  ];
  it.each(cases)("%j → table value", (input, expected) => {
    const r = resolveNodeVersion(input);
    expect(r).toEqual({ ok: true, version: expected() });
  });

  it("the pick for >=18 <21 is really in the table and even", () => {
    const r = resolveNodeVersion(">=18 <21");
    expect(r.ok && releases.includes(r.version) && semver.major(r.version) % 2 === 0).toBe(true);
  });

  it("every LTS codename with releases in the table resolves to its major", () => {
    for (const [name, major] of Object.entries(NODE_LTS_CODENAMES)) {
      const expected = latestOfMajor(major);
      if (!expected) continue;
      expect(resolveNodeVersion(`lts/${name}`)).toEqual({ ok: true, version: expected });
    }
  });

  it("an exact version newer than the table is trusted", () => {
    const next = `${semver.major(newest) + 1}.0.0`;
    expect(resolveNodeVersion(next)).toEqual({ ok: true, version: next });
  });
});

describe("resolveNodeVersion: bad values", () => {
  const cases: [input: string, reason: RegExp][] = [
    ["lts/nope", /unknown LTS codename "nope"/],
    ["lts/-40", /goes back further than the \d+ LTS lines we know/],
    ["banana", /not a version or range/],
    ["99.x", /no Node\.js release satisfies "99\.x"/],
    ["4.99.99", /4\.99\.99 was never released/],
  ];
  it.each(cases)("%j → ok:false", (input, reason) => {
    const r = resolveNodeVersion(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

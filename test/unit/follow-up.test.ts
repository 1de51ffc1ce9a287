// The second detection pass: which extra paths the gateway loads, and the
// rule tests use to prove planning reads nothing the gateway did not load.
import { describe, it, expect } from "vitest";
import { followUpReads, isBroughtBy, isDeclaredRead } from "../../src/detect/follow-up.js";
import { MemoryContext } from "../helpers/memory-context.js";

describe("isDeclaredRead", () => {
  const declared = ["Cargo.toml", "src/bin", "crates/*/Cargo.toml", "api/*.go", "*.go"];
  it.each([
    ["Cargo.toml", true],
    ["src/bin/", true], // a listing of a declared folder
    ["src/bin/tool/main.rs", true], // a followed folder comes whole
    ["crates/", true], // the listing that expands crates/*
    ["crates/app/Cargo.toml", true],
    ["api/", true],
    ["api/main.go", true],
    ["/", true], // the root listing expands *.go
    ["src/", false], // src/ is not expanded by any pattern: its gateway listing would be partial
    ["crates/app/", false],
    ["crates/app/src/lib.rs", false],
    ["api/internal/x.go", false],
    ["package.json", false],
  ])("%s → %s", (p, ok) => expect(isDeclaredRead(p, declared)).toBe(ok));
  it("without a top-level pattern the root listing is not declared", () => expect(isDeclaredRead("/", ["Cargo.toml", "src/bin"])).toBe(false));
});

describe("isBroughtBy (a follow-up path the first transfer already holds costs no second one)", () => {
  const declared = ["Gemfile", "src/bin", "crates/*/Cargo.toml", "public/assets/.sprockets-manifest-*.json", "*/manage.py"];
  it.each([
    ["Gemfile", true],
    ["src/bin/tool/main.rs", true], // below a followed folder
    ["crates/app/Cargo.toml", true],
    ["crates/*/Cargo.toml", true], // the same pattern
    ["public/assets/.sprockets-manifest-*.json", true],
    ["public/assets/.sprockets-manifest-1f2e.json", true],
    ["web/manage.py", true],
    ["crates", false], // only listed to expand crates/*: a follow-up naming it wants all of it
    ["crates/*/src/bin", false],
    ["public/assets/manifest-*.json", false],
    ["*/settings.py", false],
    ["Gemfile.lock", false],
  ])("%s → %s", (p, ok) => expect(isBroughtBy(p, declared)).toBe(ok));
});

describe("followUpReads", () => {
  const goWork = { "go.work": "go 1.22\nuse ./api\n", "api/go.mod": "module x\n" };
  it("asks the provider detection would pick", async () => {
    expect(await followUpReads(new MemoryContext(goWork), {})).toEqual(["api/*.go", "api/go.mod", "api/go.sum"]);
  });
  it("follows LANGUAGE when it forces another provider", async () => {
    expect(await followUpReads(new MemoryContext({ ...goWork, "package.json": "{}" }), { LANGUAGE: "node" })).toEqual([]);
  });
  it("is empty without a provider, for a bad LANGUAGE, and for providers without a second pass", async () => {
    expect(await followUpReads(new MemoryContext({}), {})).toEqual([]);
    expect(await followUpReads(new MemoryContext(goWork), { LANGUAGE: "cobol" })).toEqual([]);
    expect(await followUpReads(new MemoryContext({ "package.json": "{}" }), {})).toEqual([]);
  });
});

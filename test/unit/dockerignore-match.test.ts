// The .dockerignore matcher both the CLI and the frontend use (IgnoringContext)
// must agree with BuildKit. Each expectation here was checked on the engine
// (dockerd 26.1 / BuildKit 0.13, `COPY . /ctx/` with the same .dockerignore).
// The fuzzer found `(use { "` crashing the library's regexp translation.
import { describe, it, expect } from "vitest";
import { matcher, parseDockerignore } from "../../src/context/dockerignore.js";
import { IgnoringContext } from "../../src/context/ignoring.js";
import { MemoryContext } from "../../src/context/memory-fs.js";

describe("regexp characters are literal, as in BuildKit", () => {
  const m = matcher(parseDockerignore("x(\na+b\np|q\nc{1}\n"));
  it.each([
    ["x(", true],
    ["a+b", true],
    ["aab", false],
    ["p|q", true],
    ["c{1}", true],
    ["cc", false],
  ])("%s excluded: %s", (name, excluded) => expect(m.ignores(name)).toBe(excluded));

  it("an unbalanced ( never crashes the matcher", () => {
    expect(() => matcher(parseDockerignore('(use { "\n')).ignores("a")).not.toThrow();
  });

  it("[^a] still negates inside a class; ! re-includes", () => {
    const n = matcher(parseDockerignore("[^a]z\n*.log\n!keep(.log\n"));
    expect([n.ignores("bz"), n.ignores("az"), n.ignores("x.log"), n.ignores("keep(.log")]).toEqual([true, false, true, false]);
  });

  it("matches case-sensitively and folders hide what is below them", async () => {
    const ctx = new IgnoringContext(new MemoryContext({ "Docs/a.md": "", "docs/b/c.md": "", "go.mod": "" }), parseDockerignore("docs\n"));
    expect(await ctx.stat("docs/b/c.md")).toBeUndefined();
    expect((await ctx.readDir(""))?.map((e) => e.name)).toEqual(["Docs", "go.mod"]);
    expect(ctx.excludedBy("docs/b/c.md")).toBe("docs");
  });
});

import { describe, it, expect } from "vitest";
import { DEFAULT_IGNORES, matcher, parseDockerignore, projectExcludes } from "../../src/context/dockerignore.js";
import { detectionReads } from "../../src/detect/registry.js";
import { MemoryContext } from "../helpers/memory-context.js";

// Expected values follow Docker's reader (moby/patternmatcher/ignorefile.ReadAll).
describe("parseDockerignore", () => {
  it.each([
    ["BOM is stripped", "\uFEFFnode_modules\n", ["node_modules"]],
    ["comments and blank lines skipped", "# comment\n\nnode_modules\n   \n#.git\n", ["node_modules"]],
    ["only a leading # is a comment", "  # not a comment\n", ["# not a comment"]],
    ["whitespace trimmed, CRLF handled", "  dist  \r\n.env\r\n", ["dist", ".env"]],
    ["negation", "*.md\n!README.md\n! docs/keep.md\n", ["*.md", "!README.md", "!docs/keep.md"]],
    ["leading / stripped", "/build\n!/build/keep\n", ["build", "!build/keep"]],
    ["paths cleaned", "./a/../b\nc//d\ne/./f\n", ["b", "c/d", "e/f"]],
    ["root / kept", "/\n", ["/"]],
    ["order kept", "b\na\n!b/c\n", ["b", "a", "!b/c"]],
    ["empty", "", []],
  ] as [string, string, string[]][])("%s", (_n, text, expected) => expect(parseDockerignore(text)).toEqual(expected));

  it("trailing slash is cleaned like filepath.Clean", () => {
    expect(parseDockerignore("node_modules/\n!/keep/\n")).toEqual(["node_modules", "!keep"]);
  });
});

describe("reading .dockerignore from the context", () => {
  it("strips a BOM and leading slashes (a missing file: see the defaults below)", async () => {
    expect(await projectExcludes(new MemoryContext({ ".dockerignore": "\uFEFF.git\n/tmp\n" }), "")).toEqual([".git", "tmp"]);
  });
});

describe("projectExcludes", () => {
  it("uses the app's .dockerignore, relative to the project folder", async () => {
    const { MemoryContext } = await import("../../src/context/memory-fs.js");
    const { projectExcludes } = await import("../../src/context/dockerignore.js");
    const ctx = new MemoryContext({ "apps/api/.dockerignore": "secrets.txt\n!keep.txt\n", ".dockerignore": "root-only\n" });
    expect(await projectExcludes(ctx, "apps/api")).toEqual(["apps/api/secrets.txt", "!apps/api/keep.txt"]);
    expect(await projectExcludes(ctx, "")).toEqual(["root-only"]);
  });

  it("applies safe defaults when there is none: .git, node_modules, logs, editor files — but not dist or build", async () => {
    const { MemoryContext } = await import("../../src/context/memory-fs.js");
    const { projectExcludes } = await import("../../src/context/dockerignore.js");
    const ex = await projectExcludes(new MemoryContext({ "go.mod": "" }), "");
    expect(ex).toEqual(expect.arrayContaining([".git", "node_modules", "**/node_modules", "*.log", ".DS_Store", ".idea", "_build", "deps"]));
    expect(ex).not.toContain("dist");
    expect(ex).not.toContain("build");
    const sub = await projectExcludes(new MemoryContext({ "apps/web/package.json": "{}" }), "apps/web");
    expect(sub).toContain("apps/web/.git");
  });
});

describe("detection reads and the default patterns", () => {
  // Detection never sees what DEFAULT_IGNORES hides (detectionView), and the frontend's
  // first transfer applies them: a declared read there would silently never be found.
  it("no declared detection read (nor .dockerignore or migetpacks.toml) lies where the defaults exclude", () => {
    const defaults = matcher(DEFAULT_IGNORES);
    const hidden = [...detectionReads(), ".dockerignore", "migetpacks.toml"].filter((r) => {
      const probe = r.replace(/\*/g, "x");
      const parts = probe.split("/");
      return parts.some((_, i) => defaults.ignores(parts.slice(0, i + 1).join("/")));
    });
    expect(hidden).toEqual([]);
  });
});

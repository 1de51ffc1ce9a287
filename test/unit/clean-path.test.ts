// The fast path of context path cleaning must give what path.normalize gives,
// for every path: it only skips the work when nothing would change.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import path from "node:path/posix";
import { cleanPath, rootRelative } from "../../src/context/clean-path.js";

const segment = fc.constantFrom("a", "b", "src", ".", "..", "", ".hidden", "..x", "x..", "a.b", "...");
const paths = fc.array(segment, { maxLength: 6 }).map((parts) => parts.join("/"));

describe("clean-path", () => {
  it("rootRelative is normalize('/' + p) without the leading slash", () => {
    fc.assert(fc.property(paths, (p) => {
      expect(rootRelative(p)).toBe(path.normalize("/" + p).slice(1));
    }), { numRuns: 3000, seed: 20261206 });
  });

  it("cleanPath drops the trailing slash too, and the root is empty", () => {
    const reference = (p: string) => {
      const n = path.normalize("/" + p).replace(/^\/+/, "").replace(/\/+$/, "");
      return n === "." ? "" : n;
    };
    fc.assert(fc.property(paths, (p) => {
      expect(cleanPath(p)).toBe(reference(p));
    }), { numRuns: 3000, seed: 20261206 });
    expect(cleanPath("")).toBe("");
    expect(cleanPath("/")).toBe("");
    expect(cleanPath("../../etc/passwd")).toBe("etc/passwd");
    expect(cleanPath("config/application.rb")).toBe("config/application.rb");
  });
});

// Issue 11, defects 5 and 11: inputs too big for BuildKit's gRPC limits are
// refused in one sentence naming what is too big (not "ResourceExhausted:
// grpc: received message larger than max"), and go.work parsing stops early.
import { describe, it, expect } from "vitest";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { LocalContext } from "../../src/context/local-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { checkFollowPaths, checkResultSize } from "../../src/context/limits.js";
import { FakeBridge, runFake } from "../helpers/fake-bridge.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { userError } from "../helpers/user-error.js";

const GO = { "go.mod": "module example.com/api\n\ngo 1.22\n", "main.go": "package main\nfunc main() {}\n" };


describe("defect 5: size limits are user errors, never raw gRPC errors", () => {
  it("a Procfile of 35,000 entries", async () => {
    const procfile = Array.from({ length: 35_000 }, (_, i) => `w${i}: ./worker --queue ${i}`).join("\n");
    const e = await userError(buildPlan(new MemoryContext({ ...GO, Procfile: `web: ./api\n${procfile}\n` }), {}));
    expect(e.message).toBe("Procfile has 35001 processes; migetpacks supports at most 500. Split the app or trim Procfile.");
  });

  it("a go.mod module path of 1 MB", async () => {
    const e = await userError(buildPlan(new MemoryContext({ ...GO, "go.mod": `module example.com/${"a".repeat(1 << 20)}\n\ngo 1.22\n` }), {}));
    expect(e.message).toMatch(/^go\.mod: the module path is \d+ characters long; at most 4096 are supported\.$/);
  });

  it("a go.work with 20,000 use entries, through the frontend: no Solve with 60,000 follow paths", async () => {
    const work = "go 1.22\n\nuse (\n" + Array.from({ length: 20_000 }, (_, i) => `\t./m${i}`).join("\n") + "\n)\n";
    const b = new FakeBridge(new MemoryContext({ "go.work": work, "m0/go.mod": "module m0\n\ngo 1.22\n" }));
    const st = await runFake(b, []);
    expect(st?.code).toBe(3);
    expect(st?.message).toBe("go.work has 501 `use` entries (or more); migetpacks supports at most 500. Split the app or trim go.work.");
    for (const c of b.calls.filter((x) => x.name === "Solve")) expect(JSON.stringify(c.req).length).toBeLessThan(200_000);
  });

  it("a follow-up list too big for one transfer names its source", () => {
    expect(() => checkFollowPaths(Array.from({ length: 2001 }, (_, i) => `m${i}/go.mod`), "go.work")).toThrow(/^go\.work names 2001 paths to read for detection/);
    expect(() => checkFollowPaths(["a/go.mod"], "go.work")).not.toThrow();
  });

  it("a build result too big for an image label names its biggest field", () => {
    expect(() => checkResultSize({ language: "go", processes: { workers: "x".repeat(300 * 1024) } })).toThrow(/^the build result is 301 KB, more than the 256 KB an image label may carry; most of it is "processes"/);
  });

  it("app.json env too big for the label, through the frontend: a user error, not ResourceExhausted", async () => {
    const env = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`V${i}`, "x".repeat(4000)]));
    const b = new FakeBridge(new MemoryContext({ ...GO, "app.json": JSON.stringify({ env }) }));
    const st = await runFake(b, []);
    expect(st?.code).toBe(3);
    expect(st?.message).toMatch(/most of it is "env"/);
  });
});

describe("defect 11: go.work parsing stops at the first failing entry", () => {
  it("100,000 use lines whose first member is missing fail fast", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "reliability-gowork-"));
    writeFileSync(path.join(dir, "go.work"), "go 1.22\n\nuse (\n" + Array.from({ length: 100_000 }, (_, i) => `\t./m${i}`).join("\n") + "\n)\n");
    const t0 = performance.now();
    const e = await userError(buildPlan(new LocalContext(dir), {}));
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(e.message).toMatch(/go\.work/);
  });

  it("a handful of use lines whose first member is missing fail at that member, not after reading the rest", async () => {
    const files: Record<string, string> = { "go.work": "go 1.22\n\nuse (\n\t./gone\n" + Array.from({ length: 400 }, (_, i) => `\t./m${i}`).join("\n") + "\n)\n" };
    for (let i = 0; i < 400; i++) files[`m${i}/go.mod`] = `module m${i}\n\ngo 1.22\n`;
    const ctx = new MemoryContext(files);
    let reads = 0;
    const counting = { readFile: (p: string) => (reads++, ctx.readFile(p)), readDir: (p: string) => ctx.readDir(p), stat: (p: string) => ctx.stat(p) };
    const e = await userError(buildPlan(counting, {}));
    expect(e.message).toBe('go.work uses "gone", but gone/go.mod is not in the build context.');
    expect(reads).toBeLessThan(20);
  });
});

describe("Cargo workspaces are bounded like go.work", () => {
  it("20,000 members are refused before any is read", async () => {
    const members = Array.from({ length: 20_000 }, (_, i) => `"m${i}"`).join(", ");
    const e = await userError(buildPlan(new MemoryContext({ "Cargo.toml": `[workspace]\nmembers = [${members}]\n` }), {}));
    expect(e.message).toBe("Cargo.toml has 20000 workspace members; migetpacks supports at most 500. Split the app or trim Cargo.toml.");
  });
});

describe("lockfiles are read only as far as their header", () => {
  it("a 20 MB yarn.lock is asked for with a 4 KiB Range, and still says Yarn classic", async () => {
    const body = '"left-pad@^1.0.0":\n  version "1.3.0"\n\n'.repeat(560_000);
    const files = { "package.json": JSON.stringify({ name: "a", scripts: { start: "node s.js" } }), "yarn.lock": `# THIS IS AN AUTOGENERATED FILE.\n# yarn lockfile v1\n\n${body}` };
    expect(files["yarn.lock"].length).toBeGreaterThan(20e6);
    const b = new FakeBridge(new MemoryContext(files));
    expect(await runFake(b, ["requestid=frontend.plan"])).toBeUndefined();
    const reads = b.calls.filter((c) => c.name === "ReadFile" && c.req.FilePath === "yarn.lock");
    expect(reads.map((c) => c.req.Range)).toEqual([{ Offset: 0, Length: 4096 }]);
    const plan = JSON.parse(b.calls.find((c) => c.name === "Return")!.req.result.metadata["result.json"].toString());
    expect(plan.result.packageManager).toMatch(/^yarn/);
  });
});

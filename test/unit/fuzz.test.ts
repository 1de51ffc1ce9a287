// Property-based robustness (issue 11): random and mutated manifests of every
// format go to every parser and to whole detection + planning + LLB emission.
// Nothing may throw anything but a UserError/NoLanguageError, hang, or blow
// memory. The seed is fixed so CI is repeatable; FUZZ_RUNS scales the run
// (the figures in the closing note come from FUZZ_RUNS=2000).
import { describe, it, expect, afterAll } from "vitest";
import fc from "fast-check";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "../../src/context/fs.js";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { NoLanguageError } from "../../src/detect/detect.js";
import { detectionReads } from "../../src/detect/registry.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { planToLlb } from "../../src/emit/plan-to-llb.js";
import { marshal } from "../../src/llb/marshal.js";
import { parseProcfile } from "../../src/manifest/procfile.js";
import { parseDockerignore, patternProblem } from "../../src/context/dockerignore.js";
import { parseJsonc } from "../../src/context/jsonc.js";
import { checkNesting } from "../../src/context/nesting.js";
import { normalizeProjectPath } from "../../src/context/subdir.js";
import { parseGoMod, parseGoWork, packageName, binaryName } from "../../src/providers/go/gomod.js";
import { buildFlagWords } from "../../src/providers/go/build-flags.js";
import { parseToml } from "../../src/manifest/toml.js";
import { toManifest } from "../../src/providers/rust/manifest.js";
import { parseYarnRc, pnpmWorkspacePackages } from "../../src/providers/nodejs/config-files.js";
import { parseYaml } from "../../src/manifest/yaml.js";
import { parsePackageManagerField, pnpmLockfileVersion, yarnLockFlavour } from "../../src/providers/nodejs/package-manager.js";
import { hasStandaloneOutput, stripJsComments } from "../../src/providers/nodejs/nextjs.js";
import { moduleInCommand } from "../../src/providers/deno/index.js";
import { commandArgv } from "../../src/kit/run-command.js";
import { parsePlatform } from "../../src/llb/platform.js";
import { FakeBridge, runFake } from "../helpers/fake-bridge.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
/** One input may take this long; catastrophic regex backtracking or a linear scan of a huge list would not. */
const PER_INPUT_MS = 3000;
const MAX_INPUT = 2 ** 20;

const stats = { inputs: 0, slowestMs: 0, slowest: "", peakRssMb: 0, started: performance.now() };
function record(label: string, ms: number): void {
  stats.inputs++;
  if (ms > stats.slowestMs) Object.assign(stats, { slowestMs: ms, slowest: label });
  if (stats.inputs % 20 === 0) stats.peakRssMb = Math.max(stats.peakRssMb, process.memoryUsage().rss / 2 ** 20);
  expect(ms, `one input to ${label} took too long`).toBeLessThan(PER_INPUT_MS);
}
function measure<T>(label: string, f: () => T): T {
  const t0 = performance.now();
  try {
    return f();
  } finally {
    record(label, performance.now() - t0);
  }
}

/** The only exceptions a user may ever see. */
function expectUserFacing(e: unknown): void {
  if (e instanceof UserError || e instanceof NoLanguageError) {
    expect(e.message.length).toBeLessThanOrEqual(1100);
    return;
  }
  throw e;
}

function guarded(label: string, f: () => unknown): void {
  measure(label, () => {
    try {
      f();
    } catch (e) {
      expectUserFacing(e);
    }
  });
}

// Seed corpus: every manifest the fixtures hold, by file name.
const FIXTURES = path.resolve(__dirname, "../../fixtures");
const NAMES = [...new Set([...detectionReads(), ".dockerignore", "go.work", "Cargo.toml", "src/main.rs", "main.go"])].filter((n) => !n.includes("*"));
const corpus = new Map<string, string[]>();
/** Each fixture's manifests as they are: a base that detects, so mutations reach planning too. */
const apps: Record<string, string>[] = [];
for (const fx of readdirSync(FIXTURES)) {
  const app: Record<string, string> = {};
  for (const name of NAMES) {
    const p = path.join(FIXTURES, fx, name);
    try {
      if (!statSync(p).isFile()) continue;
      app[name] = readFileSync(p, "utf8");
      corpus.set(name, [...(corpus.get(name) ?? []), app[name]]);
    } catch {
      /* not in this fixture */
    }
  }
  if (Object.keys(app).length) apps.push(app);
}
const allSeeds = [...corpus.values()].flat();

/** Short text full of control characters (NUL, ESC, CR, BOM, U+2028) and shell quotes. */
const controlText = fc.string({ unit: fc.constantFrom("\u0000", "\u0001", "\u001b", "\r", "\t", "\u2028", "\ufeff", "x", " ", "$", "'"), minLength: 1, maxLength: 40 });

/** Random text: ASCII, any Unicode, or raw binary. */
const randomText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  controlText,
  fc.array(fc.constantFrom("{", "}", "[", "]", '"', ":", ",", "=", "\n", "(", ")", "use ", "module ", "web: ", "#", "\\", "*", "!", "../", "\u0000", " "), { maxLength: 300 }).map((a) => a.join("")),
);

/** A seed file bent out of shape: cut, spliced, duplicated, nested, flipped. */
function mutated(seeds: string[]) {
  const seed = seeds.length ? fc.constantFrom(...seeds) : fc.constant("");
  const op = fc.oneof(
    fc.tuple(fc.constant("cut" as const), fc.nat(), fc.nat()),
    fc.tuple(fc.constant("insert" as const), fc.nat(), randomText),
    fc.tuple(fc.constant("repeat" as const), fc.nat(), fc.integer({ min: 2, max: 3000 })),
    fc.tuple(fc.constant("nest" as const), fc.constantFrom("[", "{", "{\"a\":"), fc.integer({ min: 1, max: 3000 })),
    fc.tuple(fc.constant("flip" as const), fc.nat(), fc.integer({ min: 0, max: 0xffff })),
  );
  return fc.tuple(seed, fc.array(op, { minLength: 1, maxLength: 4 })).map(([s, ops]) => {
    let t = s;
    for (const o of ops) {
      const at = (n: number) => (t.length ? n % (t.length + 1) : 0);
      if (o[0] === "cut") t = t.slice(0, at(o[1])) + t.slice(at(o[1]) + (o[2] % 50));
      else if (o[0] === "insert") t = t.slice(0, at(o[1])) + o[2] + t.slice(at(o[1]));
      else if (o[0] === "repeat") {
        const lines = t.split("\n");
        const line = lines[o[1] % Math.max(1, lines.length)] ?? "";
        t = [...lines, ...Array(o[2]).fill(line)].join("\n");
      } else if (o[0] === "nest") t = o[1].repeat(o[2]) + t;
      else t = t.slice(0, at(o[1])) + String.fromCharCode(o[2]) + t.slice(at(o[1]) + 1);
      // Past a few MB the time budget would measure string copying, not the parser.
      t = t.slice(0, MAX_INPUT);
    }
    return t;
  });
}

/** Well-formed `key: value` / `key = value` lines whose values are random: reaches past the first syntax check. */
const structured = (sep: string) =>
  fc.array(fc.tuple(fc.constantFrom("web", "web", "worker", "release", "run_command", "port", "module", "go", "use", "name"), fc.oneof(randomText, controlText)), { minLength: 1, maxLength: 6 }).map((lines) => lines.map(([k, v]) => `${k}${sep}${v}`).join("\n"));
const STRUCTURED: Record<string, string> = { Procfile: ": ", "migetpacks.toml": " = ", "go.mod": " ", "go.work": " " };

const textFor = (name: string) =>
  fc.oneof(
    { weight: 3, arbitrary: mutated(corpus.get(name) ?? allSeeds) },
    { weight: 1, arbitrary: randomText },
    { weight: STRUCTURED[name] ? 2 : 0, arbitrary: structured(STRUCTURED[name] ?? ": ") },
  );
const params = { seed: SEED, numRuns: RUNS, endOnFailure: true };

describe("every parser: random and mutated input gives a result or a UserError", () => {
  const parsers: [string, string, (t: string) => unknown][] = [
    ["Procfile", "Procfile", parseProcfile],
    [".dockerignore", ".dockerignore", (t) => parseDockerignore(t)],
    ["dockerignore pattern", ".dockerignore", patternProblem],
    ["go.mod", "go.mod", (t) => parseGoMod(t)],
    ["go.work", "go.work", parseGoWork],
    ["Go package clause", "main.go", packageName],
    ["Go binary name", "go.mod", binaryName],
    ["JSONC (deno.json)", "deno.json", (t) => parseJsonc(t, "deno.json")],
    ["JSON nesting bound", "package.json", (t) => checkNesting(t, "package.json")],
    ["TOML (Cargo.toml)", "Cargo.toml", (t) => toManifest(parseToml(t, "Cargo.toml"), "Cargo.toml")],
    [".yarnrc.yml", ".yarnrc.yml", parseYarnRc],
    ["pnpm-workspace.yaml", "pnpm-workspace.yaml", pnpmWorkspacePackages],
    ["YAML (the yaml package)", "pnpm-workspace.yaml", (t) => parseYaml(t, "pnpm-workspace.yaml")],
    ["pnpm-lock.yaml version", "pnpm-lock.yaml", pnpmLockfileVersion],
    ["yarn.lock flavour", "yarn.lock", yarnLockFlavour],
    ["packageManager field", "package.json", parsePackageManagerField],
    ["next.config", "next.config.js", (t) => hasStandaloneOutput(stripJsComments(t))],
    ["deno start command", "Procfile", moduleInCommand],
    ["command argv", "Procfile", commandArgv],
    ["platform", "Procfile", parsePlatform],
    ["PROJECT_PATH", "Procfile", normalizeProjectPath],
    ["GO_BUILD_FLAGS", "Procfile", (t) => buildFlagWords({ GO_BUILD_FLAGS: t }, t)],
  ];
  it.each(parsers)("%s", (name, file, parse) => {
    fc.assert(fc.property(textFor(file), (text) => guarded(name, () => parse(text))), params);
  }, 600_000);
});

describe("whole detection, planning and LLB emission on random contexts", () => {
  const option = fc.constantFrom("RUN_COMMAND", "PORT", "LANGUAGE", "PROJECT_PATH", "BUILDPACKS", "USE_DHI", "REGISTRY_MIRROR", "GO_BUILD_FLAGS", "RUST_BIN", "NODE_VERSION", "SECRETS", "CACHE_KEY", "MY_VAR", "A B", "");
  const randomFiles = (max: number) =>
    fc.dictionary(fc.constantFrom(...NAMES), fc.constant(null), { minKeys: 1, maxKeys: max }).chain((names) => fc.record(Object.fromEntries(Object.keys(names).map((n) => [n, textFor(n)]))));
  // On a real app, one or two files replaced or added; files whose values become commands, labels or env most often.
  const overlay = fc.oneof(randomFiles(2), ...["Procfile", "migetpacks.toml", "app.json"].map((n) => fc.record({ [n]: textFor(n) })));
  const context = fc.oneof(randomFiles(6), fc.tuple(fc.constantFrom(...apps), overlay).map(([app, extra]) => ({ ...app, ...extra })));
  const args = fc.dictionary(option, fc.oneof(randomText, fc.constantFrom("go", "nodejs", "rust", "deno", "bun", "8080", "true", "apps/api", "../..", "/etc")), { maxKeys: 3 });

  it("resolves to a valid plan whose LLB marshals, or rejects with a user-facing error", async () => {
    await fc.assert(
      fc.asyncProperty(context, args, async (files, buildArgs) => {
        const t0 = performance.now();
        try {
          const { plan } = await buildPlan(new MemoryContext(files as Record<string, string>), buildArgs);
          // No NUL from a file may reach a command: runc refuses it, or worse, a shell truncates at it.
          expect(JSON.stringify([plan.runtime.cmd, plan.stages.flatMap((st) => st.steps)])).not.toContain("\\u0000");
          marshal(planToLlb(plan, { platform: { os: "linux", architecture: "amd64" }, contextName: "context", excludePatterns: [], resolveMode: "default", cacheNamespace: "fuzz" }));
        } catch (e) {
          expectUserFacing(e);
        } finally {
          record("whole detection", performance.now() - t0);
        }
      }),
      { ...params, numRuns: RUNS * 2 },
    );
  }, 600_000);
});

describe("the frontend on random contexts", () => {
  it("returns a result or a user-facing status, never an internal error", async () => {
    const context = fc.dictionary(fc.constantFrom(...NAMES), fc.constant(null), { minKeys: 1, maxKeys: 5 }).chain((names) =>
      fc.record(Object.fromEntries(Object.keys(names).map((n) => [n, textFor(n)]))),
    );
    const opts = fc.array(fc.constantFrom("build-arg:PROJECT_PATH=../..", "build-arg:LANGUAGE=go", "build-arg:PORT=x", "platform=linux/arm64", "platform=bogus", "build-arg:A B=1", "label:x=y"), { maxLength: 2 });
    await fc.assert(
      fc.asyncProperty(context, opts, async (files, o) => {
        const t0 = performance.now();
        const st = await runFake(new FakeBridge(new MemoryContext(files as Record<string, string>)), o);
        record("frontend", performance.now() - t0);
        if (st) {
          expect(st.code, st.message).not.toBe(13);
          expect(st.message.length).toBeLessThanOrEqual(1100);
        }
      }),
      { ...params, numRuns: RUNS },
    );
  }, 600_000);
});

afterAll(() => {
  const seconds = ((performance.now() - stats.started) / 1000).toFixed(1);
  console.log(`fuzz: ${stats.inputs} inputs, ${seconds} s, slowest input ${stats.slowestMs.toFixed(0)} ms (${stats.slowest}), peak RSS ${stats.peakRssMb.toFixed(0)} MB (seed ${SEED}, FUZZ_RUNS=${RUNS})`);
});

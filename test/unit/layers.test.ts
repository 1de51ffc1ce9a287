// Architecture check over the import graph of src/ and frontend/: no import
// cycles, ever, and no import from a lower layer up into a higher one.
// Specifiers come from the TypeScript compiler's own scanner
// (ts.preProcessFile: static, type-only, re-export, dynamic import and
// require forms), not from a regex.
import { describe, it, expect } from "vitest";
import ts from "typescript";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * THE LAYER TABLE, lowest first. A file may import its own layer and any
 * layer below. Each entry lists path prefixes (relative to the repo root);
 * the longest matching prefix decides, so a single file can be carved out of
 * its folder. Adjust here as the structure changes.
 */
const LAYERS: { name: string; paths: string[] }[] = [
  // Wire formats, the read-only view of the build context, and how libraries are imported.
  { name: "llb+context", paths: ["src/llb/", "src/generated/", "src/context/", "src/lib/"] },
  { name: "inputs", paths: ["src/manifest/", "src/options/", "src/versions/"] },
  // The plan model and the pure helpers providers build on.
  { name: "kit", paths: ["src/kit/"] },
  { name: "providers", paths: ["src/providers/"] },
  { name: "detect", paths: ["src/detect/"] },
  { name: "pipeline", paths: ["src/pipeline/"] },
  { name: "emit", paths: ["src/emit/"] },
  { name: "entry", paths: ["src/cli/", "frontend/"] },
];

/**
 * Known upward imports, as `from → to`: each one a debt to pay off, with a
 * comment saying why it is here. A stale entry (the import is gone) fails the
 * test, so the list only shrinks. Empty since the kit/pipeline split.
 */
const ALLOWED_UPWARD = new Set<string>([]);

/** Every .ts file under src/ and frontend/, as repo-relative posix paths. */
function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (/\.(ts|mts)$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(rel);
    }
  };
  walk("src");
  walk("frontend");
  return out.sort();
}

/** Relative import targets of a file, resolved to repo paths (./x.js → x.ts). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(path.join(ROOT, file), "utf8"), true, true);
  const out = new Set<string>();
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith(".")) continue; // packages and node: builtins are outside the graph
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName));
    const ts = target.replace(/\.js$/, ".ts");
    out.add(existsSync(path.join(ROOT, ts)) ? ts : target);
  }
  return [...out].sort();
}

function layerOf(file: string): number {
  let best = -1;
  let bestLen = -1;
  LAYERS.forEach((l, i) => {
    for (const p of l.paths) if (file.startsWith(p) && p.length > bestLen) [best, bestLen] = [i, p.length];
  });
  return best;
}

const files = sourceFiles();
const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || graph.get(v)!.includes(v)) found.push(scc.sort());
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found;
}

function upwardImports(): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) if (layerOf(to) > layerOf(from)) out.push(`${from} → ${to}`);
  }
  return out;
}

describe("import graph of src/ and frontend/", () => {
  it("finds the files and their imports", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get("src/llb/marshal.ts")).toContain("src/llb/pb.ts");
  });

  it("places every file in a layer of the table", () => {
    expect(files.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(cycles().map((c) => c.join(" ⇄ "))).toEqual([]);
  });

  it("imports only from the same or a lower layer (apart from the listed known debts)", () => {
    const violations = upwardImports().filter((v) => !ALLOWED_UPWARD.has(v));
    expect(violations.map((v) => `${v}  (${describeLayers(v)})`)).toEqual([]);
  });

  it("lists no allowed debt that no longer exists", () => {
    const present = new Set(upwardImports());
    expect([...ALLOWED_UPWARD].filter((a) => !present.has(a))).toEqual([]);
  });
});

/** Package imports of a file (bare specifiers). */
function packagesOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(path.join(ROOT, file), "utf8"), true, true).importedFiles.map((f) => f.fileName).filter((f) => !f.startsWith(".") && !f.startsWith("node:"));
}

describe("library imports", () => {
  it("takes zod only through src/lib/zod.ts (named exports the bundler can trim; its namespace is all of zod)", () => {
    expect(files.filter((f) => f !== "src/lib/zod.ts" && packagesOf(f).some((p) => p === "zod" || p.startsWith("zod/")))).toEqual([]);
  });
});

function describeLayers(edge: string): string {
  const [from, to] = edge.split(" → ") as [string, string];
  return `${LAYERS[layerOf(from)]!.name} → ${LAYERS[layerOf(to)]!.name}`;
}

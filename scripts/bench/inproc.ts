// In-process cost of the shared core, per fixture: detection + plan + LLB
// (emit and marshal) over an in-memory copy of the fixture, so neither disk nor
// the gateway is timed. Bundled and run by scripts/bench.mjs; prints JSON.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { planToLlb } from "../../src/emit/plan-to-llb.js";
import { marshal } from "../../src/llb/marshal.js";

const ROUNDS = 30;

function load(dir: string, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(path.join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(path.join(dir, rel)).isDirectory()) load(dir, rel, out);
    else out[rel] = readFileSync(path.join(dir, rel), "utf8");
  }
  return out;
}

async function once(files: Record<string, string>): Promise<number> {
  const ctx = new MemoryContext(files);
  const t0 = performance.now();
  const { plan, buildEnv } = await buildPlan(ctx, {});
  const state = planToLlb(plan, { platform: { os: "linux", architecture: "amd64" }, contextName: "context", excludePatterns: [], resolveMode: "default", cacheNamespace: "bench", proxyEnv: buildEnv.proxy });
  marshal(state);
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const root = process.argv[2]!;
  const result: Record<string, { first: number; median: number }> = {};
  for (const name of readdirSync(root).sort()) {
    const files = load(path.join(root, name));
    const first = await once(files);
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) times.push(await once(files));
    result[name] = { first, median: median(times) };
  }
  process.stdout.write(JSON.stringify(result));
}

void main();

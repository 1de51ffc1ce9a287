// The emitted graph for Rust and go.work fixtures: the dependency step sees
// the context only through include patterns (manifests), and Rust's cache
// mounts (registry, git, target) are namespaced.
import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { planToLlb, type EmitOptions } from "../../src/emit/plan-to-llb.js";
import { marshal } from "../../src/llb/marshal.js";
import { decodeDefinition, ancestors } from "../helpers/llb.js";

const emitOpts: EmitOptions = { platform: { os: "linux", architecture: "amd64" }, contextName: "context", sessionId: "s", excludePatterns: [], resolveMode: "default", cacheNamespace: "app1" };

async function graph(name: string) {
  const { plan } = await buildPlan(new LocalContext(path.resolve(__dirname, "../../fixtures", name)), {});
  return decodeDefinition(marshal(planToLlb(plan, emitOpts)).bytes);
}

const shellOf = (o: any) => o.op.exec.meta.args.join(" ");
const exec = (d: Awaited<ReturnType<typeof graph>>, cmd: string) => d.ops.find((o) => o.op.exec && shellOf(o).includes(cmd))!;
const copiesBefore = (d: Awaited<ReturnType<typeof graph>>, op: any) =>
  ancestors(d, op)
    .filter((o) => o.op.file)
    .flatMap((o) => o.op.file.actions.map((a: any) => a.copy).filter(Boolean));

describe.each([
  ["rust-workspace", "cargo fetch", ["**/Cargo.toml", "Cargo.lock"]],
  ["go-workspace", "go build", ["go.work", "api/go.mod", "greet/go.mod"]],
])("%s graph", (name, step, include) => {
  it("copies the manifests from the context root with include patterns", async () => {
    const d = await graph(name);
    const manifests = copiesBefore(d, exec(d, step)).find((c: any) => c.src === "/" && c.include_patterns?.length);
    expect(manifests.include_patterns).toEqual(expect.arrayContaining(include));
  });
});

describe("rust-workspace graph", () => {
  it("cargo fetch sees no full source copy; cargo build mounts registry, git and target, namespaced", async () => {
    const d = await graph("rust-workspace");
    const fetch = exec(d, "cargo fetch");
    expect(copiesBefore(d, fetch).filter((c: any) => c.src === "/" && !c.include_patterns?.length)).toEqual([]);
    const mounts = exec(d, "cargo build").op.exec.mounts.filter((m: any) => m.mountType === 3);
    expect(mounts.map((m: any) => [m.dest, m.cacheOpt.ID]).sort()).toEqual([
      ["/build/target", "app1-rust-target"],
      ["/usr/local/cargo/git", "app1-cargo-git"],
      ["/usr/local/cargo/registry", "app1-cargo-registry"],
    ]);
  });
});

// The emitted graph for real fixtures: dependency layers cached apart from
// source, cache mounts namespaced, runtime assembled only from artifacts.
import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { planToLlb, type EmitOptions } from "../../src/emit/plan-to-llb.js";
import { imageConfig } from "../../src/emit/image-config.js";
import { marshal } from "../../src/llb/marshal.js";
import { decodeDefinition, headOp, ancestors, hex, runtimeLayers } from "../helpers/llb.js";

const amd64 = { os: "linux", architecture: "amd64" };
const fixture = (name: string) => path.resolve(__dirname, "../../fixtures", name);
const emitOpts: EmitOptions = { platform: amd64, contextName: "context", sessionId: "sess", excludePatterns: [".git"], resolveMode: "default", cacheNamespace: "app1" };

async function graph(name: string, args: Record<string, string> = {}, opts: Partial<EmitOptions> = {}) {
  const { plan } = await buildPlan(new LocalContext(fixture(name)), args);
  const m = marshal(planToLlb(plan, { ...emitOpts, ...opts }));
  return { plan, m, d: decodeDefinition(m.bytes) };
}

const execs = (d: ReturnType<typeof decodeDefinition>) => d.ops.filter((o) => o.op.exec);
const shellOf = (o: any) => o.op.exec.meta.args.join(" ");

describe.each([
  ["go-hello", "go mod download", "go build"],
  ["node-npm-deps", "npm ci", "npm prune"],
])("%s graph", (name, installCmd, buildCmd) => {
  it("installs dependencies from the manifests alone, before the source is copied", async () => {
    const { d } = await graph(name);
    const install = execs(d).find((o) => shellOf(o).includes(installCmd))!;
    const copyActions = ancestors(d, install).filter((o) => o.op.file).flatMap((o) => o.op.file.actions.map((a: any) => a.copy).filter(Boolean));
    expect(copyActions.length).toBeGreaterThan(0);
    // The whole context is not an input of the install: the context root only with include patterns (manifests).
    const whole = copyActions.filter((c: any) => c.src === "/" && !(c.includePatterns ?? c.include_patterns)?.length);
    expect(whole).toEqual([]);
    const build = execs(d).find((o) => shellOf(o).includes(buildCmd))!;
    const buildCopies = ancestors(d, build).filter((o) => o.op.file).flatMap((o) => o.op.file.actions.map((a: any) => a.copy?.src));
    expect(buildCopies).toContain("/");
    expect(ancestors(d, build).map((o) => o.digest)).toContain(install.digest);
  });

  it("namespaces cache mounts and never shares them across apps", async () => {
    const { d } = await graph(name);
    const caches = execs(d).flatMap((o) => o.op.exec.mounts.filter((x: any) => x.mountType === 3));
    expect(caches.length).toBeGreaterThan(0);
    for (const c of caches) expect(c.cacheOpt.ID).toMatch(/^app1-/);
  });

  it("assembles the runtime with file ops only, from the build stage, owned by uid 1000", async () => {
    const { d, plan } = await graph(name);
    const { base, ops } = runtimeLayers(d);
    for (const o of ops as any[]) expect(o.op.file).toBeDefined();
    const [mkdir, ...copies] = ops.flatMap((o) => o.op.file.actions);
    expect(mkdir.mkdir).toMatchObject({ path: "/app", owner: { user: { byID: 1000 } } });
    // At a fixed time (the epoch: the field left at 0), not when the op runs (-1): the same layer bytes every run.
    expect(mkdir.mkdir.timestamp ?? 0).toBe(0);
    const appCopy = copies.find((a: any) => a.copy.dest === "/app/")!;
    expect(appCopy.copy).toMatchObject({ src: "/build", owner: { user: { byID: 1000 }, group: { byID: 1000 } } });
    expect(appCopy.copy.exclude_patterns).toContain(".git");
    // One layer per copy: a source change cannot touch the layers before the app's.
    expect(ops.length).toBe(1 + plan.runtime.copies.length);
    // The runtime base is the slim runtime image, not the toolchain.
    expect(base.op.source.identifier).toContain(plan.runtime.image.split(":")[0]);
    expect(plan.runtime.image).not.toBe(plan.stages[0]!.image);
  });

  it("gives byte-identical LLB for the same context and options", async () => {
    const a = await graph(name);
    const b = await graph(name);
    expect(hex(a.m.bytes)).toBe(hex(b.m.bytes));
  });

  it("runtime-only settings (PORT) leave every build-stage op untouched", async () => {
    const a = await graph(name);
    const b = await graph(name, { PORT: "8080" });
    const builderDigests = (g: typeof a) => execs(g.d).map((o) => o.digest);
    expect(builderDigests(b)).toEqual(builderDigests(a));
    expect(b.plan.runtime.env).toContainEqual(["PORT", "8080"]);
  });
});

describe("image config", () => {
  it("merges our settings into the runtime base image's config", async () => {
    const { plan } = await buildPlan(new LocalContext(fixture("go-hello")), {});
    const base = { architecture: "amd64", os: "linux", created: "2020-01-01", config: { Env: ["PATH=/bin", "LANG=C.UTF-8"], Cmd: ["bash"], Labels: { b: "2" } }, rootfs: { type: "layers", diff_ids: [] } };
    const cfg = imageConfig(plan, amd64, base, { a: "1" });
    expect(cfg.config).toMatchObject({ User: "1000:1000", WorkingDir: "/app", Cmd: ["./go-hello"], Entrypoint: null, ExposedPorts: { "5000/tcp": {} }, Labels: { a: "1", b: "2" } });
    expect(cfg.config.Env).toEqual(["PATH=/bin", "LANG=C.UTF-8", "PORT=5000"]);
    expect(cfg.created).toBeUndefined();
    expect(cfg.rootfs).toBeUndefined();
  });

  it("adds a default PATH when the base has none", async () => {
    const { plan } = await buildPlan(new LocalContext(fixture("go-hello")), {});
    expect(imageConfig(plan, amd64, undefined, {}).config.Env![0]).toMatch(/^PATH=/);
  });
});

describe("base image env", () => {
  it("uses the resolved image config's Env for build steps when the frontend provides it", async () => {
    const { d } = await graph("go-hello", {}, { imageEnv: (ref) => (ref.startsWith("golang") ? ["PATH=/custom/bin", "GOPATH=/gp"] : undefined) });
    const env = execs(d)[0]!.op.exec.meta.env;
    expect(env.slice(0, 2)).toEqual(["PATH=/custom/bin", "GOPATH=/gp"]);
    expect(env).toContain("CGO_ENABLED=0");
  });
});

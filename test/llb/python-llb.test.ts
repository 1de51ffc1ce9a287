// Python graphs: the venv is installed from the manifests alone, shipped as its
// own layer before the app's, shared libraries are installed on the runtime
// base before any copy, and the throwaway collectstatic key stays in its step.
import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { planToLlb, type EmitOptions } from "../../src/emit/plan-to-llb.js";
import { marshal } from "../../src/llb/marshal.js";
import { decodeDefinition, ancestors, runtimeLayers } from "../helpers/llb.js";

const amd64 = { os: "linux", architecture: "amd64" };
const emitOpts: EmitOptions = { platform: amd64, contextName: "context", sessionId: "sess", excludePatterns: [".git"], resolveMode: "default", cacheNamespace: "app1" };

async function graph(name: string, args: Record<string, string> = {}) {
  const { plan } = await buildPlan(new LocalContext(path.resolve(__dirname, "../../fixtures", name)), args);
  const d = decodeDefinition(marshal(planToLlb(plan, emitOpts)).bytes);
  return { plan, d };
}
const execs = (d: ReturnType<typeof decodeDefinition>) => d.ops.filter((o) => o.op.exec);
const shellOf = (o: any) => o.op.exec.meta.args.join(" ");

describe.each([
  ["python-flask-pip", "pip install -r requirements.txt"],
  ["python-django-poetry", "poetry export"],
  ["python-uv-workspace", "uv sync --locked --no-dev --no-install-workspace"],
])("%s graph", (name, installCmd) => {
  it("installs from the manifests alone, with a namespaced cache mount", async () => {
    const { d } = await graph(name);
    const install = execs(d).find((o) => shellOf(o).includes(installCmd))!;
    expect(install).toBeDefined();
    const copies = ancestors(d, install).filter((o) => o.op.file).flatMap((o) => o.op.file.actions.map((a: any) => a.copy).filter(Boolean));
    expect(copies.filter((c: any) => c.src === "/" && !(c.includePatterns ?? c.include_patterns)?.length)).toEqual([]);
    const caches = install.op.exec.mounts.filter((x: any) => x.mountType === 3);
    expect(caches.length).toBeGreaterThan(0);
    for (const c of caches) expect(c.cacheOpt.ID).toMatch(/^app1-python-/);
  });

  it("ships the venv as its own layer before the app, owned by uid 1000", async () => {
    const { d } = await graph(name);
    const { ops } = runtimeLayers(d);
    const copies = ops.flatMap((o: any) => o.op.file.actions).filter((a: any) => a.copy).map((a: any) => a.copy);
    expect(copies.map((c: any) => c.src)).toEqual(["/app/.venv", "/app"]);
    for (const c of copies) expect(c.owner).toMatchObject({ user: { byID: 1000 } });
  });
});

describe("python runtime libraries and secrets", () => {
  it("psycopg2: libpq5 is installed with apt on the runtime base, before the copies", async () => {
    const { d } = await graph("python-psycopg2");
    const apt = execs(d).find((o) => shellOf(o).includes("apt-get install"))!;
    expect(shellOf(apt)).toContain("libpq5");
    const { base } = runtimeLayers(d);
    expect(ancestors(d, apt).map((o) => o.digest)).toContain(base.digest);
  });

  it("Django: the throwaway SECRET_KEY is only in the collectstatic step", async () => {
    const { d, plan } = await graph("python-django-poetry");
    const withKey = execs(d).filter((o) => (o.op.exec.meta.env ?? []).some((e: string) => e.startsWith("SECRET_KEY=")));
    expect(withKey.length).toBe(1);
    expect(shellOf(withKey[0])).toContain("collectstatic");
    expect(plan.runtime.env.map(([k]) => k)).not.toContain("SECRET_KEY");
  });
});

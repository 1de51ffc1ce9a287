// Ruby and PHP graphs: the gem/Composer install depends on the manifests alone;
// the throwaway SECRET_KEY_BASE exists only in the precompile exec, never in
// the image config or any other op.
import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { planToLlb, type EmitOptions } from "../../src/emit/plan-to-llb.js";
import { imageConfig } from "../../src/emit/image-config.js";
import { marshal } from "../../src/llb/marshal.js";
import { decodeDefinition, ancestors } from "../helpers/llb.js";

const amd64 = { os: "linux", architecture: "amd64" };
const emitOpts: EmitOptions = { platform: amd64, contextName: "context", sessionId: "sess", excludePatterns: [], resolveMode: "default", cacheNamespace: "app1" };

async function graph(name: string) {
  const { plan } = await buildPlan(new LocalContext(path.resolve(__dirname, "../../fixtures", name)), {});
  const m = marshal(planToLlb(plan, emitOpts));
  return { plan, d: decodeDefinition(m.bytes) };
}
const execs = (d: ReturnType<typeof decodeDefinition>) => d.ops.filter((o: any) => o.op.exec);
const shellOf = (o: any) => o.op.exec.meta.args.join(" ");

describe.each([
  ["ruby-stdlib", "bundle install"],
  ["ruby-rails", "bundle install"],
  ["php-plain", "composer install"],
  ["php-laravel", "composer install"],
])("%s", (name, install) => {
  it(`${install} depends on the manifests alone, and the build on it`, async () => {
    const { d } = await graph(name);
    const step = execs(d).find((o: any) => shellOf(o).includes(install))!;
    const copies = ancestors(d, step).filter((o: any) => o.op.file).flatMap((o: any) => o.op.file.actions.map((a: any) => a.copy).filter(Boolean));
    const whole = copies.filter((c: any) => c.src === "/" && !(c.includePatterns ?? c.include_patterns)?.length);
    expect(whole).toEqual([]);
    const caches = step.op.exec.mounts.filter((x: any) => x.mountType === 3);
    expect(caches.map((c: any) => c.cacheOpt.ID)).toEqual([expect.stringMatching(/^app1-(ruby-gems|php-composer)$/)]);
  });
});

describe("the throwaway SECRET_KEY_BASE", () => {
  it("is in the precompile exec's env only: not in any other op, not in the image config", async () => {
    const { plan, d } = await graph("ruby-rails");
    const withSecret = d.ops.filter((o: any) => JSON.stringify(o.op).includes("SECRET_KEY_BASE="));
    expect(withSecret).toHaveLength(1);
    expect(shellOf(withSecret[0])).toContain("assets:precompile");
    const cfg = imageConfig(plan, amd64, undefined, {});
    expect(JSON.stringify(cfg)).not.toContain("SECRET_KEY_BASE");
  });
});

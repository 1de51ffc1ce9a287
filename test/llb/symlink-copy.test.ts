// Issue 11, defect 1: copies keep symlinks as links (like Dockerfile COPY).
// followSymlink on a directory copy makes BuildKit checksum every link's
// target, and one link out of the context (docs/x -> /nonexistent) fails the
// whole build at "copy source". The e2e proof is test/e2e/hostile-context.test.ts.
import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { planToLlb } from "../../src/emit/plan-to-llb.js";
import { marshal } from "../../src/llb/marshal.js";
import { decodeDefinition } from "../helpers/llb.js";

const fixture = (name: string) => path.resolve(__dirname, "../../fixtures", name);

describe.each(["node-npm", "go-hello", "rust-single", "deno-basic", "bun-basic", "node-workspaces"])("%s: every copy keeps links as links", (name) => {
  it("no copy action follows symlinks", async () => {
    const { plan } = await buildPlan(new LocalContext(fixture(name)), {});
    const m = marshal(planToLlb(plan, { platform: { os: "linux", architecture: "amd64" }, contextName: "context", excludePatterns: [], resolveMode: "default", cacheNamespace: "x" }));
    const copies = decodeDefinition(m.bytes).ops.flatMap((o) => (o.op.file?.actions ?? []).map((a: any) => a.copy).filter(Boolean));
    expect(copies.length).toBeGreaterThan(1);
    for (const c of copies) expect(c.followSymlink ?? false, `copy ${c.src} -> ${c.dest}`).toBe(false);
  });
});

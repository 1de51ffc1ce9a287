// Class 9 (static sites): Staticfile settings.
import { describe, it, expect } from "vitest";
import { MemoryContext } from "../helpers/memory-context.js";
import { readStaticfile } from "../../src/providers/nodejs/staticfile.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { UserError } from "../../src/context/fs.js";

const read = (text: string) => readStaticfile(new MemoryContext({ Staticfile: text }));

describe("Staticfile", () => {
  it.each([
    ["", { root: "", fallback: true }],
    ["root: public\n", { root: "public", fallback: true }],
    ["root: ./dist/\nindex_fallback: false\n", { root: "dist", fallback: false }],
    ["pushstate: enabled\n", { root: "", fallback: true }],
    ["pushstate: disabled\n", { root: "", fallback: false }],
  ])("%j → %j", async (text, want) => expect(await read(text)).toEqual(want));

  it("a root outside the app is a UserError naming the Staticfile", async () => {
    const e = await read("root: ../etc\n").catch((x: unknown) => x);
    expect((e as UserError).file).toBe("Staticfile");
  });

  it("without package.json: nothing installed, the root served with fallback off", async () => {
    const { plan } = await buildPlan(new MemoryContext({ Staticfile: "root: site\nindex_fallback: false\n", "site/index.html": "<h1>x</h1>" }), {});
    expect(plan.stages[0]!.steps.map((s) => s.kind)).toEqual(["copy", "run"]);
    expect(plan.runtime.copies[0]!.src).toBe("/build/site");
    expect(plan.runtime.cmd).toEqual(["node", "/opt/migetpacks/serve-static.cjs", "/app", "--no-fallback"]);
  });

  it("with a package.json build: the build runs and the Staticfile root is served", async () => {
    const { plan } = await buildPlan(new MemoryContext({ Staticfile: "root: build\n", "package.json": JSON.stringify({ scripts: { build: "node gen.js" } }), "package-lock.json": "{}" }), {});
    expect(plan.runtime.copies[0]!.src).toBe("/build/build");
    expect(plan.stages[0]!.steps.some((s) => s.kind === "run" && s.shell.includes("npm run build"))).toBe(true);
  });
});

// Issue 11, defect 2: a Procfile without `web:` made its first entry the
// image's command — even `release: ./migrate --drop-all` — with no warning.
import { describe, it, expect } from "vitest";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";

const app = (procfile: string) =>
  new MemoryContext({ "package.json": JSON.stringify({ name: "a", scripts: { start: "node server.js" } }), "package-lock.json": "{}", Procfile: procfile });

describe("Procfile without web:", () => {
  it("release: never becomes the start command; the language default does, with a warning", async () => {
    const { plan } = await buildPlan(app("release: ./migrate --drop-all\nworker: node worker.js\n"), {});
    expect(plan.runtime.cmd).toEqual(["npm", "start"]);
    expect(plan.runtime.cmd.join(" ")).not.toContain("migrate");
    expect(plan.warnings.join("\n")).toMatch(/Procfile has no web: process \(it lists release, worker\)/);
    expect(plan.result.processes).toMatchObject({ release: "./migrate --drop-all", workers: [{ name: "worker", command: "node worker.js" }] });
  });

  it("a worker alone is not the start command either", async () => {
    const { plan } = await buildPlan(app("worker: node worker.js\n"), {});
    expect(plan.runtime.cmd).toEqual(["npm", "start"]);
    expect(plan.warnings.some((w) => w.includes("no web:"))).toBe(true);
  });

  it("web: is used and no warning is given", async () => {
    const { plan } = await buildPlan(app("release: ./migrate\nweb: node web.js\n"), {});
    expect(plan.runtime.cmd).toEqual(["node", "web.js"]);
    expect(plan.warnings.some((w) => w.includes("no web:"))).toBe(false);
  });

  it("RUN_COMMAND skips the Procfile: no warning", async () => {
    const { plan } = await buildPlan(app("release: ./migrate\n"), { RUN_COMMAND: "node x.js" });
    expect(plan.runtime.cmd).toEqual(["node", "x.js"]);
    expect(plan.warnings.some((w) => w.includes("no web:"))).toBe(false);
  });
});

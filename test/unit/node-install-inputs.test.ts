// Defect class 5 (Prisma): the install layer holds what install-time generators read.
import { describe, it, expect } from "vitest";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import type { CopyStep } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";

const manifests = async (pkg: object) => {
  const { plan } = await buildPlan(new MemoryContext({ "package.json": JSON.stringify({ name: "a", ...pkg }), "package-lock.json": "{}" }), {});
  return (plan.stages[0]!.steps.find((s) => s.name === "copy package manifests") as CopyStep).include!;
};

describe("install-time inputs", () => {
  it("Prisma: the schema (prisma/, multi-file schemas, root schema.prisma) and prisma.config.* go with the manifests", async () => {
    const inc = await manifests({ dependencies: { "@prisma/client": "6" }, devDependencies: { prisma: "6" } });
    for (const p of ["prisma/**/*.prisma", "schema.prisma", "prisma.config.ts", ".config/prisma.ts"]) expect(inc).toContain(p);
  });
  it("package.json prisma.schema points elsewhere: that path too", async () => {
    expect(await manifests({ prisma: { schema: "./db/schema.prisma" }, dependencies: { "@prisma/client": "6" } })).toContain("db/schema.prisma");
  });
  it("no Prisma: nothing extra (source changes keep the install cached)", async () => {
    expect((await manifests({ dependencies: { ms: "2" } })).some((p) => p.includes("prisma"))).toBe(false);
  });
});

// PROJECT_PATH at a member of a JavaScript workspace: built from the workspace
// root (one install with the root lockfile), started from the member's folder.
import { describe, it, expect } from "vitest";
import path from "node:path";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { LocalContext } from "../../src/context/local-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { findJsWorkspace } from "../../src/providers/nodejs/workspace-root.js";
import { memberBuild } from "../../src/providers/nodejs/workspace-member.js";

const json = (o: object) => JSON.stringify(o);

describe("findJsWorkspace", () => {
  const npmRoot = { "package.json": json({ workspaces: ["packages/*", "apps/**"] }), "package-lock.json": "{}" };
  it.each([
    [{ ...npmRoot, "packages/web/package.json": "{}" }, "packages/web", { root: "", member: "packages/web", language: "nodejs" }],
    [{ ...npmRoot, "apps/a/b/package.json": "{}" }, "apps/a/b", { root: "", member: "apps/a/b", language: "nodejs" }],
    [{ "package.json": json({ workspaces: ["pkg?"] }), "pkg1/package.json": "{}" }, "pkg1", { root: "", member: "pkg1", language: "nodejs" }],
    [{ "package.json": json({ workspaces: ["{apps,libs}/*"] }), "libs/ui/package.json": "{}" }, "libs/ui", { root: "", member: "libs/ui", language: "nodejs" }],
    [{ "pnpm-workspace.yaml": "packages:\n  - 'services/*'\n", "pnpm-lock.yaml": "", "package.json": "{}", "services/api/package.json": "{}" }, "services/api", { root: "", member: "services/api", language: "nodejs" }],
    [{ "repo/package.json": json({ workspaces: { packages: ["libs/*"] } }), "repo/libs/x/package.json": "{}" }, "repo/libs/x", { root: "repo", member: "libs/x", language: "nodejs" }],
  ])("%#: finds the workspace around %s", async (files, pp, want) => {
    expect(await findJsWorkspace(new MemoryContext(files as Record<string, string>), pp)).toEqual(want);
  });

  it.each([
    ["not a member", { ...npmRoot, "tools/x/package.json": "{}" }, "tools/x"],
    ["its own lockfile", { ...npmRoot, "packages/web/package.json": "{}", "packages/web/package-lock.json": "{}" }, "packages/web"],
    ["no package.json", { ...npmRoot, "packages/web/go.mod": "" }, "packages/web"],
    ["a negated pattern", { "package.json": json({ workspaces: ["!packages/web"] }), "packages/web/package.json": "{}" }, "packages/web"],
    // `?` is exactly one character (a hand-written matcher let `pkg?` match `pk`).
    ["`pkg?` does not match `pk`", { "package.json": json({ workspaces: ["pkg?"] }), "pk/package.json": "{}" }, "pk"],
  ])("none when %s", async (_why, files, pp) => {
    expect(await findJsWorkspace(new MemoryContext(files as Record<string, string>), pp)).toBeUndefined();
  });

});

describe("member builds per package manager", () => {
  const m = { dir: "packages/web", pkg: { name: "@ws/web", scripts: { build: "x" } } };
  it.each([
    ["npm", "npm run build --workspaces --if-present"],
    ["pnpm", "pnpm --filter @ws/web... run --if-present build"],
    ["yarn-berry", "yarn workspaces foreach -Rt --from @ws/web run build"],
    ["yarn", "yarn workspace @ws/web run build"],
  ] as const)("%s: %s", (id, want) => expect(memberBuild({ id } as never, m)).toBe(want));
});

describe("planning a member of the node-workspaces fixture", () => {
  const fixture = new LocalContext(path.resolve(__dirname, "../../fixtures/node-workspaces"));
  it("installs at the root, builds the workspaces, starts in the member's folder", async () => {
    const { plan } = await buildPlan(fixture, { PROJECT_PATH: "packages/web" });
    expect(plan.projectPath).toBe("");
    const steps = plan.stages[0]!.steps;
    expect(steps.find((s) => s.kind === "run" && /npm ci/.test(s.shell))).toBeDefined();
    expect(steps.some((s) => s.kind === "run" && s.shell.startsWith("npm run build --workspaces --if-present"))).toBe(true);
    expect(plan.runtime).toMatchObject({ workdir: "/app/packages/web", cmd: ["node", "server.js"] });
    expect(plan.runtime.copies.at(-1)).toMatchObject({ src: "/build", dest: "/app" });
  });

  it("a self-contained sub-app (its own lockfile or another language) is still built alone", async () => {
    const mono = new LocalContext(path.resolve(__dirname, "../../fixtures/monorepo"));
    const { plan } = await buildPlan(mono, { PROJECT_PATH: "apps/api" });
    expect(plan.projectPath).toBe("apps/api");
    expect(plan.result.language).toBe("go");
  });
});

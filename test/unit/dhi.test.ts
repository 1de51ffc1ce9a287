// USE_DHI: every start-command transformation (and refusal), version floors,
// hardened images and users, and a runtime that needs no shell.
import { describe, it, expect } from "vitest";
import { toExecForm } from "../../src/kit/exec-form.js";
import { providerById } from "../../src/detect/registry.js";
import type { Provider } from "../../src/kit/provider.js";
import type { HardenedSpec } from "../../src/kit/provider.js";
import { applyDhi } from "../../src/pipeline/dhi.js";
import { nodeDhiCommand } from "../../src/providers/nodejs/dhi.js";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { UserError } from "../../src/context/fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { planToLlb } from "../../src/emit/plan-to-llb.js";
import { marshal } from "../../src/llb/marshal.js";
import { decodeDefinition, runtimeLayers } from "../helpers/llb.js";
import type { BuildPlanInput } from "../../src/kit/schema.js";

const exec = (cmd: string, language = "go") => toExecForm(cmd, { port: 5000, rewrite: providerById(language)?.execForm });
const floorOf = (id: string) => (providerById(id)!.hardened as HardenedSpec).floor!;

describe("exec form", () => {
  it.each([
    ["./server", "go", ["./server"]],
    ["./server --port $PORT", "go", ["./server", "--port", "5000"]],
    ["./server --port ${PORT}", "go", ["./server", "--port", "5000"]],
    ["./server --port=${PORT:-8080}", "go", ["./server", "--port=5000"]],
    ["exec ./server", "go", ["./server"]],
    [`./server --name "hello world" --q 'a b'`, "go", ["./server", "--name", "hello world", "--q", "a b"]],
    ["server.js", "nodejs", ["node", "server.js"]],
    ["./server.mjs", "bun", ["bun", "./server.mjs"]],
    ["./bin/api", "go", ["./bin/api"]],
  ] as const)("%s (%s) → %j", (cmd, lang, want) => expect(exec(cmd, lang)).toEqual(want));

  it.each([
    ["npm run migrate && node server.js", /needs a shell \(it uses `&&`\)/],
    ["node server.js | tee log", /it uses `\|`/],
    ["node a.js; node b.js", /it uses `;`/],
    ["node server.js > out.log", /it uses `>`/],
    ["node dist/*.js", /glob dist\/\*\.js/],
    ["node server.js --home $HOME", /reads \$HOME/],
    ["sh -c 'node server.js'", /it runs sh/],
    ["/bin/bash start.sh", /it runs \/bin\/bash/],
    ["NODE_ENV=production node server.js", /sets NODE_ENV before the command/],
  ])("refuses %s", (cmd, msg) => {
    expect(() => exec(cmd, "nodejs")).toThrow(UserError);
    expect(() => exec(cmd, "nodejs")).toThrow(msg);
  });

  it("refuses an empty command", () => expect(() => exec("  ")).toThrow(/empty/));
});

describe("Node.js commands on a runtime without npm", () => {
  const scripts = { start: "node server.js", web: "next start -p $PORT", chain: "npm run web", both: "npm run a && npm run b" };
  it.each([
    ["npm start", "node server.js"],
    ["npm run start", "node server.js"],
    ["yarn start", "node server.js"],
    ["pnpm start", "node server.js"],
    ["npm run web", "node node_modules/.bin/next start -p $PORT"],
    ["npm run chain", "node node_modules/.bin/next start -p $PORT"],
    ["next start", "node node_modules/.bin/next start"],
    ["node index.js", "node index.js"],
    ["./server.js", "./server.js"],
    ["npm run missing", "npm run missing"],
  ])("%s → %s", (cmd, want) => expect(nodeDhiCommand(scripts, cmd)).toBe(want));

  it("a start script that needs a shell is refused when made exec-form", () => {
    expect(() => exec(nodeDhiCommand(scripts, "npm run both"), "nodejs")).toThrow(/needs a shell/);
  });
});

describe("version floors", () => {
  const go = floorOf("go");
  it.each([
    ["1.22", "1.22", undefined],
    ["1.22.3", "1.22.12", /oldest hardened 1.22/],
    ["1.23.2", "1.23.7", /1.23.7/],
    ["1.24.0", "1.24.1", /1.24.1/],
    ["1.24.5", "1.24.5", undefined],
    ["1.25.0", "1.25.0", undefined],
  ])("Go %s → %s", (v, want, warning) => {
    const r = go(v);
    expect(r.version).toBe(want);
    if (warning) expect(r.warning).toMatch(warning);
    else expect(r.warning).toBeUndefined();
  });

  it.each(["1.21", "1.21.13", "1.18"])("Go %s has no hardened image: a clear error", (v) => {
    expect(() => go(v)).toThrow(/Go .* has no hardened image \(USE_DHI=true needs Go 1.22.12 or newer\)/);
  });

  it("Bun and Deno below their floors are raised with a warning", () => {
    expect(floorOf("bun")("1.3.4")).toMatchObject({ version: "1.3.6", warning: expect.stringMatching(/1.3.6/) });
    expect(floorOf("deno")("2.1.0")).toMatchObject({ version: "2.6.4" });
    expect(floorOf("deno")("2.7.0")).toEqual({ version: "2.7.0" });
  });
});

describe("hardened plans", () => {
  const GO = { "go.mod": "module example.com/api\n\ngo 1.24.0\n", "main.go": "package main" };
  const NODE = { "package.json": JSON.stringify({ scripts: { start: "node server.js" }, engines: { node: "22" } }), "server.js": "" };

  it("Go: dev image to build, distroless runtime, nonroot user, exec form, _shell false", async () => {
    const { plan } = await buildPlan(new MemoryContext(GO), { USE_DHI: "true", RUN_COMMAND: "./api --port $PORT" });
    expect(plan.stages[0]!.image).toBe("dhi.io/golang:1.24.1-dev");
    expect(plan.runtime).toMatchObject({ image: "dhi.io/golang:1.24.1", user: "65532:65532", cmd: ["./api", "--port", "5000"], shell: false });
    expect(plan.result).toMatchObject({ _shell: false, _dhi: true, version: "1.24.1", runCommand: "./api --port 5000" });
    expect(plan.warnings.join()).toMatch(/using 1.24.1/);
  });

  it("Node.js: npm start becomes the script; the runtime has only file operations", async () => {
    const { plan } = await buildPlan(new MemoryContext(NODE), { USE_DHI: "true" });
    expect(plan.runtime).toMatchObject({ image: expect.stringMatching(/^dhi\.io\/node:22\./), user: "1000:1000", cmd: ["node", "server.js"] });
    expect(plan.stages[0]!.image).toMatch(/^dhi\.io\/node:22\.[\d.]+-dev$/);
    const d = decodeDefinition(marshal(planToLlb(plan, { platform: { os: "linux", architecture: "amd64" }, contextName: "context", excludePatterns: [], resolveMode: "default", cacheNamespace: "t" })).bytes);
    const { base, ops } = runtimeLayers(d);
    expect(base.op.source.identifier).toMatch(/dhi\.io\/node/);
    // Nothing executes on top of the runtime image: every layer is a file op.
    expect(ops.length).toBeGreaterThan(1);
    for (const o of ops) expect(Object.keys(o.op).filter((k) => ["exec", "file"].includes(k))).toEqual(["file"]);
  });

  it("a start command that needs a shell is a build error, not a broken image", async () => {
    const p = buildPlan(new MemoryContext(GO), { USE_DHI: "true", RUN_COMMAND: "./migrate && ./api" });
    await expect(p).rejects.toThrow(/needs a shell \(it uses `&&`\).*USE_DHI/);
  });

  it("languages without hardened images keep the official ones and warn", () => {
    const plan = { result: { language: "php", version: "8.3", runCommand: "x" }, runtime: {}, warnings: [] } as unknown as BuildPlanInput;
    const php = { name: "PHP", hardened: { unsupported: "PHP (FrankenPHP) has no hardened image" } } as Provider;
    expect(applyDhi(plan, php, {}).warnings.join()).toMatch(/PHP \(FrankenPHP\) has no hardened image; the official images are used/);
    const none = { name: "Elixir" } as Provider;
    expect(applyDhi(plan, none, {}).warnings.join()).toMatch(/Elixir has no hardened image/);
  });
});

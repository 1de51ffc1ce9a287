// Defect class 8 (version sources): mise.toml / .mise.toml / .tool-versions for
// every language, in mise's documented precedence, through one shared reader.
import { describe, it, expect } from "vitest";
import { MemoryContext } from "../helpers/memory-context.js";
import { toolVersion } from "../../src/manifest/tool-versions.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { UserError } from "../../src/context/fs.js";

const ctx = (files: Record<string, string>) => new MemoryContext(files);
const result = async (files: Record<string, string>) => (await buildPlan(ctx(files), {})).plan.result;

describe("toolVersion (the shared reader)", () => {
  it("mise.toml [tools]: a string, a list (first wins), a table with version", async () => {
    expect(await toolVersion(ctx({ "mise.toml": '[tools]\nnode = "20"\n' }), "node")).toEqual({ version: "20", file: "mise.toml" });
    expect(await toolVersion(ctx({ "mise.toml": '[tools]\npython = ["3.12", "3.11"]\n' }), "python")).toEqual({ version: "3.12", file: "mise.toml" });
    expect(await toolVersion(ctx({ ".mise.toml": '[tools]\ngo = { version = "prefix:1.23" }\n' }), "go")).toEqual({ version: "1.23", file: ".mise.toml" });
  });
  it(".tool-versions: asdf names (nodejs, golang), comments, first of several versions", async () => {
    const c = ctx({ ".tool-versions": "# pins\nnodejs 18.20.4 20.1.0\ngolang 1.22.5 # go\nruby 3.3.0\n" });
    expect(await toolVersion(c, "node", ["nodejs"])).toEqual({ version: "18.20.4", file: ".tool-versions" });
    expect(await toolVersion(c, "go", ["golang"])).toEqual({ version: "1.22.5", file: ".tool-versions" });
    expect(await toolVersion(c, "ruby")).toEqual({ version: "3.3.0", file: ".tool-versions" });
    expect(await toolVersion(c, "php")).toBeUndefined();
  });
  it("precedence follows mise's load order: .mise.toml > mise.toml > .config/mise.toml > .tool-versions; local files on top", async () => {
    const all = { ".tool-versions": "node 16\n", ".config/mise.toml": '[tools]\nnode = "18"\n', "mise.toml": '[tools]\nnode = "20"\n', ".mise.toml": '[tools]\nnode = "22"\n' };
    expect((await toolVersion(ctx(all), "node"))!.file).toBe(".mise.toml");
    expect((await toolVersion(ctx({ ...all, "mise.local.toml": '[tools]\nnode = "24"\n' }), "node"))!.version).toBe("24");
    const { ".mise.toml": _a, ...noDot } = all;
    expect((await toolVersion(ctx(noDot), "node"))!.file).toBe("mise.toml");
    // A file that does not pin the tool leaves the lower one in force.
    expect(await toolVersion(ctx({ ".tool-versions": "node 16\n", "mise.toml": '[tools]\npython = "3.12"\n' }), "node")).toEqual({ version: "16", file: ".tool-versions" });
  });
  it("broken TOML is a UserError naming the file and line", async () => {
    const e = await toolVersion(ctx({ "mise.toml": '[tools]\nnode = "20\n' }), "node").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).file).toBe("mise.toml");
    expect((e as UserError).message).toMatch(/mise\.toml is not valid TOML at line 2/);
  });
});

describe("every language reads it", () => {
  it("Node.js: mise.toml node = 20 beats engines.node >=20 (not the newest Node)", async () => {
    const r = await result({ "package.json": JSON.stringify({ engines: { node: ">=20" } }), "mise.toml": '[tools]\nnode = "20"\n' });
    expect([r.version.split(".")[0], r.versionSource]).toEqual(["20", "mise.toml"]);
  });
  it("pnpm and Yarn from mise", async () => {
    const pnpm = await buildPlan(ctx({ "package.json": "{}", "pnpm-lock.yaml": "lockfileVersion: '9.0'\n", "mise.toml": '[tools]\npnpm = "10"\n' }), {});
    expect(pnpm.plan.stages[0]!.steps[0]!.name).toBe("prepare pnpm@10.34.9 (corepack)");
    const yarn = await buildPlan(ctx({ "package.json": "{}", ".tool-versions": "yarn 1.22.19\n" }), {});
    expect([yarn.plan.result.packageManager, yarn.plan.stages[0]!.steps[0]!.name]).toEqual(["yarn", "prepare yarn@1.22.19 (corepack)"]);
  });
  it("Go: mise beats go.mod's go line", async () => {
    const r = await result({ "go.mod": "module example.com/app\n\ngo 1.21\n", "main.go": "package main\nfunc main() {}\n", "mise.toml": '[tools]\ngo = "1.23.4"\n' });
    expect([r.version, r.versionSource]).toEqual(["1.23.4", "mise.toml"]);
  });
  it("Rust, Bun and Deno", async () => {
    expect((await result({ "Cargo.toml": '[package]\nname = "a"\nversion = "0.1.0"\n', "src/main.rs": "fn main() {}\n", ".tool-versions": "rust 1.85.0\n" })).version).toBe("1.85.0");
    const bun = await result({ "package.json": "{}", "bun.lock": "{}", "mise.toml": '[tools]\nbun = "1.2.23"\n' });
    expect([bun.language, bun.version, bun.versionSource]).toEqual(["bun", "1.2.23", "mise.toml"]);
    const deno = await result({ "deno.json": "{}", "main.ts": "", ".mise.toml": '[tools]\ndeno = "2.1.0"\n' });
    expect([deno.language, deno.version, deno.versionSource]).toEqual(["deno", "2.1.0", ".mise.toml"]);
  });
});

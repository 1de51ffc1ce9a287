import { describe, it, expect } from "vitest";
import path from "node:path";
import { readdirSync } from "node:fs";
import { LocalContext } from "../../src/context/local-fs.js";
import { RecordingContext } from "../../src/context/recording.js";
import { UserError, type BuildContext } from "../../src/context/fs.js";
import { detect, NoLanguageError, parseLanguage } from "../../src/detect/detect.js";
import { detectionReads, REGISTRY } from "../../src/detect/registry.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { followUpReads, isDeclaredRead } from "../../src/detect/follow-up.js";
import { MemoryContext } from "../helpers/memory-context.js";

const fixturesDir = path.resolve(__dirname, "../../fixtures");
const lang = async (files: Record<string, string>, args: Record<string, string> = {}) =>
  (await detect(new MemoryContext(files), args)).summary.language;
const failure = (files: Record<string, string>, args: Record<string, string> = {}) =>
  detect(new MemoryContext(files), args).then(() => undefined, (e: unknown) => e);

const GO = { "go.mod": "module example.com/app\ngo 1.22\n" };
const NODE = { "package.json": '{"name":"app"}' };

describe("registry order", () => {
  it("go.mod + package.json → go", async () => expect(await lang({ ...GO, ...NODE })).toBe("go"));
  it("Gemfile + go.mod → ruby (backend order: Ruby before Go)", async () => expect(await lang({ Gemfile: "", ...GO })).toBe("ruby"));
  it("package.json alone → nodejs", async () => expect(await lang(NODE)).toBe("nodejs"));
  it("mix.exs + package.json → elixir; a .csproj + package.json → dotnet (backend languages first)", async () => {
    expect(await lang({ "mix.exs": "defmodule A.MixProject do\n use Mix.Project\n def project, do: [app: :a]\nend\n", ...NODE })).toBe("elixir");
    expect(await lang({ "api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>', ...NODE })).toBe("dotnet");
  });
  it("requirements.txt + package.json → python (backend languages first)", async () => {
    expect(await lang({ "requirements.txt": "flask\n", "app.py": "", ...NODE })).toBe("python");
  });
  it("deno.json + package.json → deno, bun.lock + package.json → bun (more in provider-deno/bun tests)", async () => {
    expect(await lang({ "deno.json": "{}", ...NODE })).toBe("deno");
    expect(await lang({ "bun.lock": "", ...NODE })).toBe("bun");
  });
  it("empty context → NoLanguageError listing every marker file", async () => {
    const e = await failure({});
    expect(e).toBeInstanceOf(NoLanguageError);
    const msg = (e as Error).message;
    for (const m of new Set(REGISTRY.flatMap((p) => p.markers))) expect(msg).toContain(m);
    expect(msg).toMatch(/go\.mod.*package\.json/);
  });
  it("a marker that is a directory does not count", async () => {
    expect(await failure({ "go.mod/x": "" })).toBeInstanceOf(NoLanguageError);
  });
});

describe("LANGUAGE build arg", () => {
  it.each([
    ["go", "go"],
    ["golang", "go"],
    ["Go", "go"],
    ["node", "nodejs"],
    ["Node.js", "nodejs"],
    ["nodejs", "nodejs"],
    ["Node.js (pnpm)", "nodejs"],
    [" golang ", "go"],
  ])("parseLanguage(%j) → %s", (raw, id) => expect(parseLanguage(raw)).toBe(id));

  it("forces a language the registry would not pick", async () => {
    expect(await lang({ ...GO, ...NODE }, { LANGUAGE: "node" })).toBe("nodejs");
    expect(await lang({ "requirements.txt": "", ...GO }, { LANGUAGE: "golang" })).toBe("go");
  });
  it("blank LANGUAGE means detect", async () => expect(await lang({ ...GO, ...NODE }, { LANGUAGE: "  " })).toBe("go"));
  it.each(["cobol", "javascript"])("LANGUAGE=%s → UserError listing languages", async (v) => {
    const e = await failure(NODE, { LANGUAGE: v });
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toContain("LANGUAGE");
    expect((e as Error).message).toContain("nodejs");
  });
  it("LANGUAGE=ruby skips detection: the app is planned as Ruby even without Ruby's markers", async () => {
    expect(await lang(NODE, { LANGUAGE: "ruby" })).toBe("ruby");
  });
  it("LANGUAGE=nodejs without package.json is a UserError, not a crash", async () => {
    const e = await failure(GO, { LANGUAGE: "nodejs" });
    expect(e).toBeInstanceOf(UserError);
  });
  it("LANGUAGE=go without go.mod does not blame a missing glide.yaml", async () => {
    const e = await buildPlan(new MemoryContext(NODE), { LANGUAGE: "go" }).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).file).not.toBe("glide.yaml");
  });
});

describe("detection reads only declared paths", () => {
  const allowed = new Set(detectionReads());
  async function recorded(ctx: BuildContext, args: Record<string, string> = {}): Promise<{ paths: string[]; undeclared: string[] }> {
    const rec = new RecordingContext(ctx);
    await buildPlan(rec, args).catch((e: unknown) => {
      if (!(e instanceof UserError || e instanceof NoLanguageError)) throw e;
    });
    // The gateway also loads the provider's follow-up paths (go.work and Cargo workspace members).
    const declared = [...allowed, ...(await followUpReads(ctx, args))];
    const paths = [...rec.paths];
    return { paths, undeclared: paths.filter((p) => !isDeclaredRead(p, declared)) };
  }
  const fixtures = readdirSync(fixturesDir).sort();
  it("has fixtures", () => expect(fixtures.length).toBeGreaterThan(0));
  it.each(fixtures)("fixture %s", async (name) => {
    const { paths, undeclared } = await recorded(new LocalContext(path.join(fixturesDir, name)));
    expect(paths.length).toBeGreaterThan(0);
    expect(undeclared).toEqual([]);
  });
  it.each([
    ["empty", {}],
    ["every node file", { ...NODE, "yarn.lock": "", ".yarnrc.yml": "", ".npmrc": "", ".nvmrc": "20", ".node-version": "20", ".tool-versions": "nodejs 20", Procfile: "web: x" }],
    ["go with hooks, vendor, version file", { ...GO, "go.sum": "", ".go-version": "1.23", "vendor/modules.txt": "", "bin/go-pre-compile": "", "bin/go-post-compile": "" }],
    ["godeps", { "Godeps/Godeps.json": "{}" }],
    ["python + node", { "requirements.txt": "", ...NODE }],
  ] as [string, Record<string, string>][])("in-memory: %s", async (_n, files) => {
    const { undeclared } = await recorded(new MemoryContext(files));
    expect(undeclared).toEqual([]);
  });
  it("includes Procfile and every marker", () => {
    expect(allowed.has("Procfile")).toBe(true);
    for (const m of REGISTRY.flatMap((p) => p.markers)) expect(allowed.has(m)).toBe(true);
  });
});

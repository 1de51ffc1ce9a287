// Shared building blocks providers use: version pick, readers that name file and line.
import { describe, it, expect } from "vitest";
import { pickVersion } from "../../src/kit/version-pick.js";
import { parseYaml } from "../../src/manifest/yaml.js";
import { parseToml } from "../../src/manifest/toml.js";
import { firstExisting } from "../../src/kit/files.js";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { UserError } from "../../src/context/fs.js";

const exact = (raw: string) => (/^\d+\.\d+$/.test(raw) ? { ok: true as const, version: `${raw}.9` } : { ok: false as const, reason: "not a version" });

describe("pickVersion", () => {
  it("takes the first source that says something, and records it", () => {
    const p = pickVersion("Python", [{ raw: undefined, source: "build arg PYTHON_VERSION" }, { raw: " ", source: ".python-version" }, { raw: "3.12", source: "pyproject.toml requires-python" }], exact, "3.13.1", "Use 3.12");
    expect(p).toEqual({ version: "3.12.9", source: "pyproject.toml requires-python" });
  });
  it("falls back to the default", () => {
    expect(pickVersion("Python", [], exact, "3.13.1", "x")).toEqual({ version: "3.13.1", source: "default" });
  });
  it("an unusable value is a UserError naming the file, cut short", () => {
    let e: unknown;
    try {
      pickVersion("Python", [{ raw: "x".repeat(500), source: ".python-version" }], exact, "3.13.1", "Use a version such as 3.12");
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toMatch(/^\.python-version asks for Python "x{40}…": not a version\. Use a version such as 3\.12\.$/);
    expect((e as UserError).file).toBe(".python-version");
  });
});

describe("readers", () => {
  it("YAML: a flow list over several lines is read as YAML reads it; comments are comments", () => {
    expect(parseYaml("packages: [\n  'apps/*',\n  # plugin-workspace-tools\n  'packages/*'\n]\n", "pnpm-workspace.yaml")).toEqual({ packages: ["apps/*", "packages/*"] });
  });
  it("YAML: a syntax error names the file and line", () => {
    expect(() => parseYaml("a: 1\nb: [\n", "pnpm-workspace.yaml")).toThrow(/^pnpm-workspace\.yaml is not valid YAML: line \d+/);
  });
  it("YAML: alias bombs are bounded", () => {
    const bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n";
    expect(() => parseYaml(bomb, "x.yaml")).toThrow();
  });
  it("TOML: a syntax error names the file and line", () => {
    expect(() => parseToml('[tool]\nname = "x\n', "pyproject.toml")).toThrow(/^pyproject\.toml is not valid TOML: line 2/);
  });
  it("firstExisting keeps the caller's order", async () => {
    const ctx = new MemoryContext({ "b.txt": "", "c.txt": "" });
    expect(await firstExisting(ctx, ["a.txt", "c.txt", "b.txt"])).toBe("c.txt");
  });
});

describe("standard result and runtime", async () => {
  const { webResult, standardRuntime } = await import("../../src/kit/result.js");
  const { commonOptions } = await import("../../src/options/build-args.js");
  const common = commonOptions({ PORT: "8080" });
  it("the web process and the Procfile's others", () => {
    expect(webResult("./server", common, { web: "./server", release: "./migrate", workers: [{ name: "worker", command: "./work" }] } as never)).toEqual({
      runCommand: "./server",
      port: 8080,
      processes: { web: "./server", release: "./migrate", workers: [{ name: "worker", command: "./work" }] },
      _shell: true,
    });
  });
  it("uid 1000, /app, PORT, exec form when no shell is needed", () => {
    const rt = standardRuntime({ image: "x:1", copies: [], command: "bin/app --port $PORT", common, env: [["A", "1"]] });
    expect(rt).toMatchObject({ user: "1000:1000", workdir: "/app", port: 8080, env: [["PORT", "8080"], ["A", "1"]], cmd: ["/bin/sh", "-c", "bin/app --port $PORT"], packages: [] });
    expect(standardRuntime({ image: "x:1", copies: [], command: "bin/app serve", common }).cmd).toEqual(["bin/app", "serve"]);
  });
});

import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync, execSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "dist/cli.cjs");
const tmpDirs: string[] = [];

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, MIGETPACKS_DEBUG: "" } });
  return { status: r.status, stdout: r.stdout, out: r.stdout.toString("utf8"), err: r.stderr.toString("utf8") };
}

function tempApp(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "migetpacks-cli-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

beforeAll(() => {
  if (!existsSync(cli)) execSync("npm run build", { cwd: root, stdio: "inherit" });
}, 300_000);

afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe("migetpacks CLI", () => {
  it("plan shows what the image runs: files migetpacks writes and the entrypoint before cmd", () => {
    const r = run("plan", "fixtures/deno-basic");
    expect(r.status, r.err).toBe(0);
    expect(r.out).toMatch(/^  entrypoint \["\/bin\/sh","-c",".*DENO_SERVE_ADDRESS.*\n  cmd \["deno","task","start"\]$/m);
    const site = run("plan", "fixtures/node-vite-spa");
    expect(site.out).toMatch(/^  file \S+ \(mode 644\)$/m);
  });
  it("detection never looks where the default patterns exclude (_build), even when the .dockerignore does not (as the frontend)", () => {
    const dir = tempApp({
      "package.json": JSON.stringify({ name: "web", scripts: { start: "node server.js" } }),
      "package-lock.json": "{}",
      "server.js": "",
      ".dockerignore": "*.md\n",
      "_build/tools/Tool.csproj": '<Project Sdk="Microsoft.NET.Sdk"></Project>',
    });
    const r = run("detect", dir, "--json");
    expect(r.status, r.err).toBe(0);
    expect(JSON.parse(r.out).language).toBe("nodejs");
  });

  it("detect --json prints exactly language/version/packageManager/framework", () => {
    const r = run("detect", "fixtures/go-hello", "--json");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual(["language", "version", "packageManager", "framework"]);
    expect(out).toEqual({ language: "go", version: "1.22", packageManager: "go modules", framework: null });
  });

  it("detect without --json prints one human line", () => {
    const r = run("detect", "fixtures/node-npm");
    expect(r.status).toBe(0);
    expect(r.out.trim().split("\n")).toHaveLength(1);
    expect(r.out).toMatch(/^nodejs \d+\.\d+\.\d+ \(\.nvmrc\), npm\n$/);
  });

  it.each(["go-multi", "node-procfile"])("plan --json for %s has result, stages and runtime", (name) => {
    const r = run("plan", `fixtures/${name}`, "--json");
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.out);
    expect(plan).toHaveProperty("result");
    expect(plan.stages.length).toBeGreaterThan(0);
    expect(plan.runtime.cmd.length).toBeGreaterThan(0);
  });

  it("llb writes a pb.Definition (first byte 0x0a: field 1, length-delimited)", () => {
    const r = run("llb", "fixtures/go-hello", "--platform", "linux/amd64");
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(100);
    expect(r.stdout[0]).toBe(0x0a);
  });

  it("empty directory → exit 2 and one stderr line naming marker files", () => {
    const r = run("detect", tempApp({}));
    expect(r.status).toBe(2);
    expect(r.out).toBe("");
    const lines = r.err.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    for (const m of ["go.mod", "package.json", "requirements.txt"]) expect(lines[0]).toContain(m);
  });

  it.each([
    ["invalid JSON", '{ "name": "x", '],
    ["array", "[]"],
  ])("bad package.json (%s) → exit 1 naming package.json, no stack", (_n, text) => {
    const r = run("plan", tempApp({ "package.json": text }));
    expect(r.status).toBe(1);
    expect(r.err).toContain("package.json");
    expect(r.err).not.toContain("    at ");
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
  });

  it("--build-arg without = → exit 1", () => {
    const r = run("detect", "fixtures/go-hello", "--build-arg", "NOEQUALS");
    expect(r.status).toBe(1);
    expect(r.err).toContain("KEY=VALUE");
  });

  it("--build-arg is applied", () => {
    const r = run("detect", "fixtures/go-hello", "--json", "--build-arg", "GO_VERSION=1.24.1");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out).version).toBe("1.24.1");
  });

  it.each([
    ["unknown command", ["frobnicate", "fixtures/go-hello"]],
    ["missing directory argument", ["detect"]],
    ["not a directory", ["detect", "fixtures/does-not-exist"]],
    ["unknown option", ["detect", "fixtures/go-hello", "--nope"]],
    ["no arguments", []],
  ])("%s → exit 1", (_n, args) => {
    const r = run(...args);
    expect(r.status).toBe(1);
  });

  it("--help → exit 0 with usage on stdout", () => {
    const r = run("--help");
    expect(r.status).toBe(0);
    expect(r.out).toContain("Usage:");
    expect(r.err).toBe("");
  });
});

describe("determinism across processes", () => {
  it.each(["go-hello", "node-npm-deps", "rust-workspace", "node-vite-spa"])("%s: two separate `migetpacks llb` runs give byte-identical LLB", (fixture) => {
    const a = spawnSync(process.execPath, [cli, "llb", `fixtures/${fixture}`, "--platform", "linux/amd64"], { cwd: root });
    const b = spawnSync(process.execPath, [cli, "llb", `fixtures/${fixture}`, "--platform", "linux/amd64"], { cwd: root });
    expect(a.status).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(100);
    expect(Buffer.compare(a.stdout, b.stdout)).toBe(0);
  });
});

describe("llb --image-config", () => {
  it("takes a base image's Env from `docker image inspect` output; a bad file is one clear error", () => {
    const dir = tempApp({});
    const inspectOut = path.join(dir, "golang.json");
    writeFileSync(inspectOut, JSON.stringify([{ Config: { Env: ["PATH=/go/bin:/usr/local/go/bin:/usr/bin:/bin", "GOLANG_VERSION=1.22.12", "GOPATH=/go"] } }]));
    const plain = run("llb", "fixtures/go-hello", "--platform", "linux/amd64");
    const withConfig = run("llb", "fixtures/go-hello", "--platform", "linux/amd64", "--image-config", `docker.io/library/golang:1.22=${inspectOut}`);
    expect(withConfig.status).toBe(0);
    expect(Buffer.compare(plain.stdout, withConfig.stdout)).not.toBe(0);
    expect(withConfig.stdout.includes(Buffer.from("GOLANG_VERSION=1.22.12"))).toBe(true);
    const bad = run("llb", "fixtures/go-hello", "--image-config", `golang:1.22=${path.join(dir, "missing.json")}`);
    expect(bad.status).toBe(1);
    expect(bad.err).toMatch(/--image-config: .*missing\.json is not a readable JSON file/);
    expect(bad.err).not.toMatch(/\n\s+at /);
  });
});

import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { UserError, type BuildContext } from "../../src/context/fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { GO_CROSS_COMPILE, goProvider } from "../../src/providers/go/index.js";
import { binaryName, packageName } from "../../src/providers/go/gomod.js";
import { RecordingContext } from "../../src/context/recording.js";
import { detectionReads } from "../../src/detect/registry.js";
import { followUpReads, isDeclaredRead } from "../../src/detect/follow-up.js";
import { DEFAULT_GO_VERSION } from "../../src/providers/go/version.js";
import type { BuildPlan, RunStep } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";
import { userError } from "../helpers/user-error.js";

const fixture = (name: string) => new LocalContext(path.resolve(__dirname, "../../fixtures", name));
const plan = async (ctx: BuildContext, args: Record<string, string> = {}) => (await buildPlan(ctx, args)).plan;
const steps = (p: BuildPlan) => p.stages[0]!.steps;
// The build step starts by targeting the image's platform (asserted once below); the rest is what these tests read.
const buildShell = (p: BuildPlan) => (steps(p).find((s) => s.kind === "run" && s.name === "go build") as RunStep).shell.replace(`${GO_CROSS_COMPILE} && `, "");
const mem = (files: Record<string, string>, args: Record<string, string> = {}) => plan(new MemoryContext(files), args);
const mod = (body = "go 1.22", module = "example.com/app") => ({ "go.mod": `module ${module}\n\n${body}\n`, "main.go": "package main\n" });


describe("go detection", () => {
  it.each(["go.mod", "Godeps/Godeps.json", "glide.yaml"])("%s marks Go", async (marker) => {
    expect(await goProvider.matches(new MemoryContext({ [marker]: "x" }))).toBe(true);
  });
  it("plain .go files without a marker do not", async () => {
    expect(await goProvider.matches(new MemoryContext({ "main.go": "package main" }))).toBe(false);
  });
  it.each(["go-hello", "go-hooks", "go-linker", "go-multi"])("fixture %s plans as go", async (name) => {
    const p = await plan(fixture(name));
    expect(p.result.language).toBe("go");
    expect(p.stages[0]!.image).toBe(`golang:${p.result.version}`);
  });
});

describe("go version precedence", () => {
  const full = { ...mod("go 1.21\ntoolchain go1.24.2"), ".go-version": "1.23.4\n" };
  const { ".go-version": _gv, ...noVersionFile } = full;
  const cases: [string, Record<string, string>, Record<string, string>, string, string][] = [
    ["build arg wins", full, { GO_VERSION: "1.20.3" }, "1.20.3", "build arg GO_VERSION"],
    ["GO_VERSION=default is ignored", full, { GO_VERSION: "default" }, "1.23.4", ".go-version"],
    [".go-version", full, {}, "1.23.4", ".go-version"],
    [".go-version with go prefix and comment", { ...full, ".go-version": "# pin\ngo1.23.1\n" }, {}, "1.23.1", ".go-version"],
    ["go.mod toolchain beats go directive", noVersionFile, {}, "1.24.2", "go.mod toolchain"],
    ["go directive", mod("go 1.22.3"), {}, "1.22.3", "go.mod go directive"],
    ["default", { "go.mod": "module example.com/app\n" }, {}, DEFAULT_GO_VERSION, "default"],
  ];
  it.each(cases)("%s", async (_name, files, args, version, source) => {
    const p = await plan(new MemoryContext(files), args);
    expect([p.result.version, p.result.versionSource]).toEqual([version, source]);
    expect(p.stages[0]!.image).toBe(`golang:${version}`);
  });
  it("default is 1.25.0", () => expect(DEFAULT_GO_VERSION).toBe("1.25.0"));

  it.each([
    [{ ...mod(), ".go-version": "banana\n" }, {}, ".go-version"],
    [mod("go one.two"), {}, "go.mod"],
    [mod("go 1.22\ntoolchain latest"), {}, "go.mod"],
  ] as [Record<string, string>, Record<string, string>, string][])("bad version → UserError naming %#", async (files, args, file) => {
    const e = await userError(plan(new MemoryContext(files), args));
    expect(e.file).toBe(file);
    expect(e.message).toContain(file);
  });
  it("bad GO_VERSION build arg names the build arg", async () => {
    const e = await userError(plan(new MemoryContext(mod()), { GO_VERSION: "1.x" }));
    expect(e.message).toContain("GO_VERSION");
  });
});

describe("go binary name and run command", () => {
  it.each([
    ["github.com/acme/api", "api"],
    ["github.com/acme/api/v2", "api"],
    ["test", "test"],
    [undefined, "app"],
  ])("module %s → %s", (module, name) => expect(binaryName(module)).toBe(name));

  it("default command is ./<module basename>", async () => {
    const p = await plan(fixture("go-hello"));
    expect(buildShell(p)).toContain("-o /build/go-hello .");
    expect(p.result.runCommand).toBe("./go-hello");
    expect(p.runtime.cmd).toEqual(["./go-hello"]);
  });
  it("/v2 suffix is skipped and no module gives app", async () => {
    expect((await plan(new MemoryContext(mod("go 1.22", "github.com/acme/svc/v2")))).runtime.cmd).toEqual(["./svc"]);
    expect((await plan(new MemoryContext({ "go.mod": "go 1.22\n" }))).runtime.cmd).toEqual(["./app"]);
    expect((await plan(new MemoryContext(mod("go 1.22", '"example.com/quoted"')))).runtime.cmd).toEqual(["./quoted"]);
  });
  it("+heroku install builds several binaries into /build/bin/ and Procfile web: api → ./bin/api", async () => {
    const p = await plan(fixture("go-multi"));
    const sh = buildShell(p);
    expect(sh.startsWith("mkdir -p /build/bin && ")).toBe(true);
    expect(sh).toContain("-o /build/bin/ ./cmd/api ./cmd/worker");
    expect(p.result.runCommand).toBe("./bin/api");
    expect(p.runtime.cmd).toEqual(["./bin/api"]);
    expect(p.result.processes.workers).toEqual([{ name: "worker", command: "worker" }]);
  });
  it("Procfile bare word → ./word; commands with spaces or / are kept", async () => {
    const run = async (web: string) => (await plan(new MemoryContext({ ...mod(), Procfile: `web: ${web}\n` }))).result.runCommand;
    expect(await run("myapp")).toBe("./myapp");
    expect(await run("./app --port $PORT")).toBe("./app --port $PORT");
    expect(await run("/usr/local/bin/x")).toBe("/usr/local/bin/x");
  });
  it("RUN_COMMAND wins over the Procfile, which is then not read", async () => {
    const p = await plan(fixture("go-multi"), { RUN_COMMAND: "./bin/worker --once" });
    expect(p.result.runCommand).toBe("./bin/worker --once");
    expect(p.runtime.cmd).toEqual(["./bin/worker", "--once"]);
    expect(p.result.processes.workers).toEqual([]);
  });
});

describe("go build command", () => {
  it("GO_LINKER_SYMBOL + GO_LINKER_VALUE add -X to the ldflags", async () => {
    const p = await plan(fixture("go-linker"), { GO_LINKER_SYMBOL: "main.version", GO_LINKER_VALUE: "1.2.3" });
    expect(buildShell(p)).toContain("-ldflags='-s -w -X main.version=1.2.3'");
    expect(p.warnings).toEqual([]);
  });
  it.each<Record<string, string>>([{ GO_LINKER_SYMBOL: "main.version" }, { GO_LINKER_VALUE: "1.2.3" }])("only one of them → warning, no -X (%o)", async (args) => {
    const p = await plan(fixture("go-linker"), args);
    expect(buildShell(p)).not.toContain("-X");
    expect(p.warnings.some((w) => w.includes("GO_LINKER_SYMBOL") && w.includes("GO_LINKER_VALUE"))).toBe(true);
  });
  it("compiles on the build platform for the target platform (GOARCH from TARGETARCH)", async () => {
    const p = await plan(fixture("go-hello"));
    expect(p.stages[0]!.platform).toBe("build");
    const raw = (steps(p).find((s) => s.kind === "run" && s.name === "go build") as RunStep).shell;
    expect(raw.startsWith(`export GOARCH="$TARGETARCH" && `)).toBe(true);
  });
  it("GO_BUILD_FLAGS go between -ldflags and -o", async () => {
    const sh = buildShell(await plan(fixture("go-hello"), { GO_BUILD_FLAGS: "-tags netgo -trimpath" }));
    expect(sh).toMatch(/^go build -ldflags='-s -w' -tags netgo -trimpath -o \/build\/go-hello \.$/);
  });
  it("hooks run pre → build → post", async () => {
    const sh = buildShell(await plan(fixture("go-hooks")));
    const order = ["chmod +x bin/go-pre-compile", "./bin/go-pre-compile", "go build", "chmod +x bin/go-post-compile", "./bin/go-post-compile"];
    const idx = order.map((s) => sh.indexOf(s));
    expect(idx.every((i) => i >= 0)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  });
  it("golang-migrate is installed into /build/bin at the go.mod version", async () => {
    const files = mod("go 1.22\n\nrequire (\n\tgithub.com/golang-migrate/migrate/v4 v4.17.0 // indirect\n\tgithub.com/lib/pq v1.10.9\n)");
    const sh = buildShell(await plan(new MemoryContext(files)));
    expect(sh).toContain("GOBIN=/build/bin go install -tags 'postgres mysql' github.com/golang-migrate/migrate/v4/cmd/migrate@v4.17.0");
    expect(sh.indexOf("go build")).toBeLessThan(sh.indexOf("go install"));
  });
  it("golang-migrate v3 requirement does not install the /v4 path at a v3 version", async () => {
    const sh = buildShell(await plan(new MemoryContext(mod("go 1.22\nrequire github.com/golang-migrate/migrate v3.5.4+incompatible"))));
    expect(sh).toContain("migrate");
    expect(sh).not.toMatch(/migrate\/v4\/cmd\/migrate@v3/);
  });
  it("go mod download runs between the go.mod copy and the source copy; go.sum copied when present", async () => {
    const s = steps(await plan(new MemoryContext({ ...mod(), "go.sum": "" })));
    expect(s.map((x) => x.name)).toEqual(["copy Go module files", "download Go modules", "copy source", "go build"]);
    expect(s[0]).toMatchObject({ kind: "copy", paths: ["go.mod", "go.sum"] });
    expect(s[1]).toMatchObject({ kind: "run", shell: "go mod download" });
  });
  it("vendor/modules.txt → no go mod download", async () => {
    const s = steps(await plan(new MemoryContext({ ...mod(), "vendor/modules.txt": "# x\n" })));
    expect(s.some((x) => x.kind === "run" && x.shell.includes("go mod download"))).toBe(false);
  });
  it.each(["Godeps/Godeps.json", "glide.yaml"])("%s without go.mod → UserError mentioning go mod init", async (marker) => {
    const e = await userError(plan(new MemoryContext({ [marker]: "{}", "main.go": "package main" })));
    expect(e.message).toContain("go mod init");
    expect(e.file).toBe(marker);
  });
});

describe("go runtime", () => {
  it("slim debian, user 1000, /app, PORT 5000, CA bundle, no go sources", async () => {
    const p = await plan(fixture("go-hello"));
    const rt = p.runtime;
    expect(rt).toMatchObject({ image: "debian:bookworm-slim", user: "1000:1000", workdir: "/app", port: 5000 });
    expect(rt.env).toContainEqual(["PORT", "5000"]);
    expect(rt.copies).toContainEqual({ stage: "build", src: "/etc/ssl/certs/ca-certificates.crt", dest: "/etc/ssl/certs/ca-certificates.crt", exclude: [] });
    const app = rt.copies.find((c) => c.dest === "/app")!;
    expect(app).toMatchObject({ stage: "build", src: "/build" });
    for (const x of ["**/*.go", "go.mod", "go.sum", "vendor", ".git"]) expect(app.exclude).toContain(x);
    expect(p.stages[0]!.env).toContainEqual(["CGO_ENABLED", "0"]);
  });
  it("PORT build arg sets port and env", async () => {
    const p = await plan(fixture("go-hello"), { PORT: "8080" });
    expect(p.runtime.port).toBe(8080);
    expect(p.result.port).toBe(8080);
    expect(p.runtime.env).toContainEqual(["PORT", "8080"]);
  });
  it("bad PORT → UserError naming PORT", async () => {
    expect((await userError(plan(fixture("go-hello"), { PORT: "http" }))).message).toContain("PORT");
  });
});

describe("go.work workspaces", () => {
  const work = (...use: string[]) => `go 1.22\n\nuse (\n${use.map((u) => `\t${u}\n`).join("")})\n`;
  const member = (dir: string, module: string, files: Record<string, string> = {}, extra = "") => ({
    [`${dir}/go.mod`]: `module ${module}\n\ngo 1.22\n${extra}`,
    ...Object.fromEntries(Object.entries(files).map(([f, c]) => [`${dir}/${f}`, c])),
  });
  const mainPkg = { "main.go": "// Command x.\npackage main\n\nfunc main() {}\n" };
  const libPkg = { "lib.go": "package lib\n", "main_test.go": "package main\n" };

  it("fixture: builds the module with package main at its root into /build/bin", async () => {
    const p = await plan(fixture("go-workspace"));
    expect([p.result.version, p.result.versionSource]).toEqual(["1.22", "go.work go directive"]);
    expect(buildShell(p)).toBe("mkdir -p /build/bin && go build -ldflags='-s -w' -o /build/bin/ ./api");
    expect(p.runtime.cmd).toEqual(["./bin/api"]);
    expect(p.warnings).toEqual([]);
    // api requires greet at v0.0.0: a workspace module, never downloaded; nothing else to download.
    expect(steps(p).map((x) => x.name)).toEqual(["copy Go module files", "copy source", "go build"]);
    expect(steps(p)[0]).toMatchObject({ paths: ["."], include: ["go.work", "api/go.mod", "greet/go.mod"] });
    expect(p.runtime.copies.find((c) => c.dest === "/app")!.exclude).toEqual(expect.arrayContaining(["api/go.mod", "greet/go.mod", "go.work"]));
  });
  it("follow-up paths: each member's go.mod, go.sum and top-level .go files", async () => {
    expect(await followUpReads(fixture("go-workspace"), {})).toEqual(["api/*.go", "api/go.mod", "api/go.sum", "greet/*.go", "greet/go.mod", "greet/go.sum"]);
    expect(await followUpReads(new MemoryContext({ "go.work": work("."), ...mod() }), {})).toEqual(["*.go", "go.mod", "go.sum"]);
    expect(await followUpReads(fixture("go-hello"), {})).toEqual(["*.go", "cmd/*/*.go"]);
  });
  it("planning reads only declared and followed paths", async () => {
    const extra = await followUpReads(fixture("go-workspace"), {});
    const rec = new RecordingContext(fixture("go-workspace"));
    await buildPlan(rec, {});
    expect([...rec.paths].filter((x) => !isDeclaredRead(x, [...detectionReads(), ...extra]))).toEqual([]);
  });
  it("downloads only modules from outside the workspace, by explicit path@version", async () => {
    const files = {
      "go.work": work("./api", "./lib") + "replace example.com/forked => ./forked\n",
      "go.work.sum": "",
      ...member("api", "example.com/api", mainPkg, "require (\n\texample.com/lib v0.0.0\n\tgithub.com/lib/pq v1.10.9\n\texample.com/forked v1.0.0\n)\n"),
      ...member("lib", "example.com/lib", libPkg, "require golang.org/x/text v0.14.0\n"),
      "lib/go.sum": "",
    };
    const p = await mem(files);
    expect(steps(p).find((x) => x.name === "download Go modules")).toMatchObject({ shell: "go mod download github.com/lib/pq@v1.10.9 golang.org/x/text@v0.14.0" });
    expect((steps(p)[0] as { include: string[] }).include).toEqual(["go.work", "go.work.sum", "api/go.mod", "lib/go.mod", "lib/go.sum"]);
  });
  it("several main modules: all built, the first runs, with a warning", async () => {
    const p = await mem({ "go.work": work("./web", "./jobs"), ...member("web", "example.com/web", mainPkg), ...member("jobs", "example.com/jobs/v2", mainPkg) });
    expect(buildShell(p)).toContain("-o /build/bin/ ./web ./jobs");
    expect(p.runtime.cmd).toEqual(["./bin/web"]);
    expect(p.warnings.join()).toContain("Several binaries are built (web, jobs)");
  });
  it("the root module in the workspace (use .) builds as . named after its module", async () => {
    const p = await mem({ "go.work": work(".", "./lib"), ...mod("go 1.22", "example.com/server"), ...member("lib", "example.com/lib", libPkg) });
    expect(buildShell(p)).toContain("-o /build/bin/ .");
    expect(p.runtime.cmd).toEqual(["./bin/server"]);
  });
  it("GO_INSTALL_PACKAGE_SPEC chooses the package", async () => {
    const files = { "go.work": work("./svc"), ...member("svc", "example.com/svc", { "lib.go": "package svc\n", "cmd/server/main.go": "package main\n" }) };
    const p = await mem(files, { GO_INSTALL_PACKAGE_SPEC: "./svc/cmd/server" });
    expect(buildShell(p)).toContain("-o /build/bin/ ./svc/cmd/server");
    expect(p.runtime.cmd).toEqual(["./bin/server"]);
  });
  it("go.work toolchain beats the members' go.mod", async () => {
    const p = await mem({ "go.work": "go 1.22\ntoolchain go1.23.4\nuse ./api\n", ...member("api", "example.com/api", mainPkg) });
    expect([p.result.version, p.result.versionSource]).toEqual(["1.23.4", "go.work toolchain"]);
  });
  it.each([
    ["no module has package main", { "go.work": work("./lib"), ...member("lib", "example.com/lib", libPkg) }, /package main.*GO_INSTALL_PACKAGE_SPEC/],
    ["a used folder has no go.mod", { "go.work": work("./api", "./gone"), ...member("api", "example.com/api", mainPkg) }, /gone\/go\.mod/],
    ["a used folder outside the context", { "go.work": work("../shared") }, /outside the build context/],
    ["a bad go.work version", { "go.work": "go banana\nuse ./api\n", ...member("api", "example.com/api", mainPkg) }, /not a Go version/],
  ] as [string, Record<string, string>, RegExp][])("%s → UserError naming go.work", async (_n, files, message) => {
    const e = await userError(mem(files));
    expect(e.file).toBe("go.work");
    expect(e.message).toMatch(message);
  });
  it.each([
    ["package main", "main"],
    ["// Copyright\n\n/* a\npackage fake */\npackage server // trailing\n", "server"],
    ["//go:build linux\n\npackage main_test\n", "main_test"],
    ["no clause", undefined],
  ])("package clause of %j", (src, name) => expect(packageName(src)).toBe(name));
});

describe("main packages of a single module", () => {
  const GOMOD = "module github.com/acme/svc\n\ngo 1.22\n";
  const main = "package main\n\nfunc main() {}\n";
  const spec = async (files: Record<string, string>) => {
    const p = await plan(new MemoryContext({ "go.mod": GOMOD, ...files }));
    return { shell: buildShell(p), cmd: p.runtime.cmd, warnings: p.warnings };
  };

  it("root main package: go build . into ./<module name>", async () => {
    const r = await spec({ "main.go": main, "cmd/tool/main.go": main });
    expect(r.shell).toMatch(/-o \/build\/svc \.$/);
    expect(r.cmd).toEqual(["./svc"]);
  });

  it("no program at the root, one under cmd/: builds it into bin/", async () => {
    const r = await spec({ "internal/x/x.go": "package x", "cmd/server/main.go": main, "cmd/server/main_test.go": "package main" });
    expect(r.shell).toMatch(/-o \/build\/bin\/ \.\/cmd\/server$/);
    expect(r.cmd).toEqual(["./bin/server"]);
    expect(r.warnings).toEqual([]);
  });

  it("several under cmd/: builds all, runs the likeliest web binary and says so", async () => {
    const r = await spec({ "cmd/worker/main.go": main, "cmd/api/main.go": main, "cmd/migrate/main.go": main, "cmd/lib/lib.go": "package lib" });
    expect(r.shell).toMatch(/\.\/cmd\/api \.\/cmd\/migrate \.\/cmd\/worker$/);
    expect(r.cmd).toEqual(["./bin/api"]);
    expect(r.warnings.join()).toMatch(/Several binaries are built \(api, migrate, worker\); running \.\/bin\/api/);
  });

  it("a binary named after the module wins", async () => {
    expect((await spec({ "cmd/svc/main.go": main, "cmd/api/main.go": main })).cmd).toEqual(["./bin/svc"]);
  });

  it("a package spec (+heroku install or GO_INSTALL_PACKAGE_SPEC) still decides", async () => {
    const p = await plan(new MemoryContext({ "go.mod": GOMOD, "cmd/a/main.go": main, "cmd/b/main.go": main }), { GO_INSTALL_PACKAGE_SPEC: "./cmd/b" });
    expect(buildShell(p)).toMatch(/\.\/cmd\/b$/);
  });

  it("the gateway's follow-up transfer covers what discovery reads", async () => {
    const ctx = new MemoryContext({ "go.mod": GOMOD, "cmd/server/main.go": main, "README.md": "x" });
    const extra = await followUpReads(ctx, {});
    const rec = new RecordingContext(ctx);
    await buildPlan(rec, {});
    expect([...rec.paths].filter((x) => !isDeclaredRead(x, [...detectionReads(), ...extra]))).toEqual([]);
  });
});

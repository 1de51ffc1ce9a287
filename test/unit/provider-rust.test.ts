import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { RecordingContext } from "../../src/context/recording.js";
import { UserError, type BuildContext } from "../../src/context/fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { detectionReads } from "../../src/detect/registry.js";
import { followUpReads, isDeclaredRead } from "../../src/detect/follow-up.js";
import { rustProvider } from "../../src/providers/rust/index.js";
import { builderImage, DEFAULT_RUST_VERSION } from "../../src/providers/rust/version.js";
import type { BuildPlan, CopyStep, RunStep } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";
import { parse as parseToml } from "smol-toml";
import { toManifest } from "../../src/providers/rust/manifest.js";
import { userError } from "../helpers/user-error.js";

type Files = Record<string, string>;
const fixture = (name: string) => new LocalContext(path.resolve(__dirname, "../../fixtures", name));
const plan = async (ctx: BuildContext, args: Files = {}) => (await buildPlan(ctx, args)).plan;
const mem = (files: Files, args: Files = {}) => plan(new MemoryContext(files), args);
const steps = (p: BuildPlan) => p.stages[0]!.steps;
const run = (p: BuildPlan, name: string) => steps(p).find((s) => s.kind === "run" && s.name === name) as RunStep | undefined;
const toml = (lines: string[]) => lines.join("\n") + "\n";
const pkg = (name = "app", extra: string[] = []) => toml(["[package]", `name = "${name}"`, 'version = "0.1.0"', 'edition = "2021"', ...extra]);
const app = (extra: string[] = [], files: Files = { "src/main.rs": "fn main() {}" }): Files => ({ "Cargo.toml": pkg("app", extra), ...files });


describe("rust detection", () => {
  it.each(["Cargo.toml", "Cargo.lock"])("%s marks Rust", async (marker) => {
    expect(await rustProvider.matches(new MemoryContext({ [marker]: "" }))).toBe(true);
  });
  it("src/main.rs alone does not", async () => expect(await rustProvider.matches(new MemoryContext({ "src/main.rs": "" }))).toBe(false));
  it("go.mod wins over Cargo.toml (detection order)", async () => {
    expect((await mem({ ...app(), "go.mod": "module example.com/x\n" })).result.language).toBe("go");
  });
  it("Cargo.toml wins over package.json", async () => {
    expect((await mem({ ...app(), "package.json": "{}" })).result.language).toBe("rust");
  });
  it.each(["rust-single", "rust-multi-bins", "rust-workspace"])("fixture %s plans as rust", async (name) => {
    const p = await plan(fixture(name));
    expect(p.result).toMatchObject({ language: "rust", packageManager: "cargo", version: DEFAULT_RUST_VERSION });
    expect(p.stages[0]!.image).toBe(`rust:${DEFAULT_RUST_VERSION}-bookworm`);
  });
});

describe("rust errors name the file to fix", () => {
  const cases: [string, Files, string, RegExp][] = [
    ["TOML syntax error", { "Cargo.toml": '[package]\nname = "x"\nversion = \n', "src/main.rs": "" }, "Cargo.toml", /line 3/],
    ["package.name not a string", { "Cargo.toml": "[package]\nname = 3\n" }, "Cargo.toml", /package\.name/],
    ["[[bin]] without a name", app(["", "[[bin]]", 'path = "src/x.rs"']), "Cargo.toml", /\[\[bin\]\].*name/],
    ["Cargo.lock without Cargo.toml", { "Cargo.lock": "version = 3\n" }, "Cargo.toml", /Cargo\.toml/],
    ["a library cannot run", { "Cargo.toml": pkg(), "src/lib.rs": "" }, "Cargo.toml", /library/],
    ["rust-toolchain.toml syntax error", { ...app(), "rust-toolchain.toml": "[toolchain\n" }, "rust-toolchain.toml", /line 1/],
    ["member manifest syntax error", { "Cargo.toml": '[workspace]\nmembers = ["a"]\n', "a/Cargo.toml": "[package\n" }, "a/Cargo.toml", /line 1/],
    ["listed member without Cargo.toml", { "Cargo.toml": '[workspace]\nmembers = ["api"]\n' }, "Cargo.toml", /api\/Cargo\.toml/],
    ["member without [package]", { "Cargo.toml": '[workspace]\nmembers = ["a"]\n', "a/Cargo.toml": "[dependencies]\n" }, "a/Cargo.toml", /\[package\]/],
    ["** member pattern", { "Cargo.toml": '[workspace]\nmembers = ["crates/**"]\n' }, "Cargo.toml", /\*\*/],
    ["member outside the context", { "Cargo.toml": '[workspace]\nmembers = ["../x"]\n' }, "Cargo.toml", /leaves/],
  ];
  it.each(cases)("%s", async (_name, files, file, message) => {
    const e = await userError(mem(files));
    expect(e.file).toBe(file);
    expect(e.message).toContain(file);
    expect(e.message).toMatch(message);
  });
});

describe("rust version precedence", () => {
  const pinned: Files = { ...app(['rust-version = "1.70"']), "rust-toolchain.toml": '[toolchain]\nchannel = "1.80.1"\n', "rust-toolchain": "1.79\n" };
  const cases: [string, Files, Files, string, string][] = [
    ["RUST_VERSION build arg wins", pinned, { RUST_VERSION: "1.82.0" }, "1.82.0", "build arg RUST_VERSION"],
    ["RUSTUP_TOOLCHAIN build arg", pinned, { RUSTUP_TOOLCHAIN: "1.81" }, "1.81", "build arg RUSTUP_TOOLCHAIN"],
    ["RUST_VERSION=default is ignored", pinned, { RUST_VERSION: "default" }, "1.80.1", "rust-toolchain.toml"],
    ["rust-toolchain.toml beats rust-toolchain", pinned, {}, "1.80.1", "rust-toolchain.toml"],
    ["plain rust-toolchain, comments skipped", { ...app(), "rust-toolchain": "# pinned\n1.79.0\n" }, {}, "1.79.0", "rust-toolchain"],
    ["rust-toolchain holding TOML", { ...app(), "rust-toolchain": '[toolchain]\nchannel = "1.78"\n' }, {}, "1.78", "rust-toolchain"],
    ["stable means the default", { ...app(), "rust-toolchain.toml": '[toolchain]\nchannel = "stable"\n' }, {}, DEFAULT_RUST_VERSION, "rust-toolchain.toml (stable)"],
    ["rust-version below the default is only a minimum", app(['rust-version = "1.70"']), {}, DEFAULT_RUST_VERSION, "default"],
    ["rust-version above the default is used", app(['rust-version = "1.99"']), {}, "1.99", "Cargo.toml rust-version"],
    ["default", app(), {}, DEFAULT_RUST_VERSION, "default"],
  ];
  it.each(cases)("%s", async (_name, files, args, version, source) => {
    const p = await mem(files, args);
    expect([p.result.version, p.result.versionSource]).toEqual([version, source]);
    expect(p.stages[0]!.image).toBe(builderImage(version));
  });

  it("rust-version inherited from [workspace.package]", async () => {
    const p = await mem({
      "Cargo.toml": '[workspace]\nmembers = ["app"]\n[workspace.package]\nrust-version = "1.99.1"\n',
      "app/Cargo.toml": pkg("app", ["rust-version.workspace = true"]),
      "app/src/main.rs": "",
    });
    expect([p.result.version, p.result.versionSource]).toEqual(["1.99.1", "app/Cargo.toml rust-version"]);
  });
  it("a pin older than rust-version warns that cargo will refuse", async () => {
    const p = await mem(app(['rust-version = "1.75"']), { RUST_VERSION: "1.70" });
    expect(p.result.version).toBe("1.70");
    expect(p.warnings.join("\n")).toMatch(/1\.70.*older than rust-version = "1\.75"/);
  });

  it.each([
    ["rust-toolchain.toml", { ...app(), "rust-toolchain.toml": '[toolchain]\nchannel = "nightly-2024-05-01"\n' }, /nightly channel/],
    ["rust-toolchain", { ...app(), "rust-toolchain": "banana\n" }, /not a Rust release/],
    ["Cargo.toml", app(['rust-version = "1.x"']), /rust-version/],
  ] as [string, Files, RegExp][])("bad version in %s → UserError naming it", async (file, files, message) => {
    const e = await userError(mem(files));
    expect(e.file).toBe(file);
    expect(e.message).toContain(file);
    expect(e.message).toMatch(message);
  });
  it("bad RUST_VERSION names the build arg", async () => {
    expect((await userError(mem(app(), { RUST_VERSION: "latest" }))).message).toContain("RUST_VERSION");
  });

  it.each([
    ["1.92.0", "rust:1.92.0-bookworm"],
    ["1.70", "rust:1.70-bookworm"],
    ["1.63", "rust:1.63-bullseye"],
    ["1.50.0", "rust:1.50.0-buster"],
  ])("builder image for %s is %s (glibc no newer than the bookworm runtime)", (v, image) => expect(builderImage(v)).toBe(image));
});

describe("rust binaries", () => {
  const main = { "src/main.rs": "" };
  const cases: [string, Files, string[]][] = [
    ["src/main.rs → the package name", app([], main), ["app"]],
    ["declared [[bin]] plus src/main.rs", app(["[[bin]]", 'name = "tool"', 'path = "src/tool.rs"'], main), ["tool", "app"]],
    ["src/bin/*.rs and src/bin/*/main.rs", app([], { ...main, "src/bin/a.rs": "", "src/bin/b/main.rs": "", "src/bin/c/util.rs": "", "src/bin/notes.txt": "" }), ["app", "a", "b"]],
    ["[[bin]] named like the package replaces the inferred one", app(["[[bin]]", 'name = "app"'], main), ["app"]],
    ["a [[bin]] using src/main.rs suppresses the inferred one", app(["[[bin]]", 'name = "srv"', 'path = "src/main.rs"'], main), ["srv"]],
    ["autobins = false keeps only declared bins", app(["autobins = false", "[[bin]]", 'name = "x"', 'path = "x.rs"'], { ...main, "src/bin/a.rs": "" }), ["x"]],
    [
      "edition 2015: a declared [[bin]] stops inference",
      { "Cargo.toml": toml(["[package]", 'name = "old"', "[[bin]]", 'name = "x"', 'path = "x.rs"']), ...main, "src/bin/a.rs": "" },
      ["x"],
    ],
  ];
  it.each(cases)("%s", async (_name, files, bins) => {
    const sh = run(await mem(files), "cargo build")!.shell;
    const copied = /cp (.*?) \/build\/out(\/bin)?\/ /.exec(sh)![1]!.split(" ").map((p) => p.replace("target/release/", ""));
    expect(copied).toEqual(bins);
  });
});

describe("rust layout and run command", () => {
  const multi = app(["default-run = \"api\"", "[[bin]]", 'name = "api"', 'path = "src/api.rs"', "[[bin]]", 'name = "worker"', 'path = "src/worker.rs"']);
  it("one binary → /app/<name>, run ./<name>, no warning", async () => {
    const p = await plan(fixture("rust-single"));
    expect(run(p, "cargo build")!.shell).toContain("mkdir -p /build/out && cp target/release/rust-single /build/out/");
    expect(p.runtime.cmd).toEqual(["./rust-single"]);
    expect(p.warnings).toEqual([]);
  });
  it("several → /app/bin/, default-run chosen, with a warning naming the choice", async () => {
    const p = await plan(fixture("rust-multi-bins"));
    expect(run(p, "cargo build")!.shell).toContain("mkdir -p /build/out/bin && cp target/release/api target/release/worker /build/out/bin/");
    expect(p.runtime.cmd).toEqual(["./bin/api"]);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatch(/api, worker.*\.\/bin\/api.*default-run in Cargo\.toml.*RUST_BIN/);
  });
  const cases: [string, Files, Files, string, boolean][] = [
    ["RUST_BIN chooses, no warning", multi, { RUST_BIN: "worker" }, "./bin/worker", false],
    ["without default-run: the bin named after the package", app(["[[bin]]", 'name = "x"', 'path = "x.rs"']), {}, "./bin/app", true],
    ["without either: the first binary", { "Cargo.toml": pkg("pkg", ["[[bin]]", 'name = "b"', 'path = "b.rs"', "[[bin]]", 'name = "a"', 'path = "a.rs"']) }, {}, "./bin/b", true],
    ["Procfile bare word → ./bin/word", { ...multi, Procfile: "web: worker\n" }, {}, "./bin/worker", false],
    ["Procfile target/release path → shipped path", { ...multi, Procfile: "web: ./target/release/api --port $PORT\n" }, {}, "./bin/api --port $PORT", false],
    ["RUN_COMMAND target/release path, one binary", app(), { RUN_COMMAND: "target/release/app --fast" }, "./app --fast", false],
    ["RUN_COMMAND bare word, one binary", app(), { RUN_COMMAND: "app" }, "./app", false],
    ["RUN_COMMAND with an absolute path is kept", app(), { RUN_COMMAND: "/usr/bin/env" }, "/usr/bin/env", false],
  ];
  it.each(cases)("%s", async (_name, files, args, command, warns) => {
    const p = await mem(files, args);
    expect(p.result.runCommand).toBe(command);
    expect(p.warnings.some((w) => w.includes("Several binaries"))).toBe(warns);
  });
  it("a shell command runs under /bin/sh -c", async () => {
    expect((await mem({ ...multi, Procfile: "web: ./target/release/api --port $PORT\n" })).runtime.cmd).toEqual(["/bin/sh", "-c", "./bin/api --port $PORT"]);
  });
  it("RUST_BIN naming no binary → UserError listing them", async () => {
    const e = await userError(mem(multi, { RUST_BIN: "nope" }));
    expect(e.message).toMatch(/RUST_BIN.*api, worker/);
  });
});

describe("rust workspaces", () => {
  const ws = (lines: string[]) => toml(["[workspace]", ...lines]);
  const bin = (name: string, dir: string, extra: string[] = []): Files => ({ [`${dir}/Cargo.toml`]: pkg(name, extra), [`${dir}/src/main.rs`]: "" });
  const lib = (name: string, dir: string): Files => ({ [`${dir}/Cargo.toml`]: pkg(name), [`${dir}/src/lib.rs`]: "" });
  const cases: [string, Files, string[], string, boolean][] = [
    ["fixture: crates/* with a library and an app", {}, ["hello-server"], "./hello-server", false],
    ["listed members, two apps", { "Cargo.toml": ws(['members = ["api", "worker"]']), ...bin("api", "api"), ...bin("worker", "worker") }, ["api", "worker"], "./bin/api", false],
    ["exclude removes a member", { "Cargo.toml": ws(['members = ["crates/*"]', 'exclude = ["crates/tool"]']), ...bin("api", "crates/api"), ...bin("tool", "crates/tool") }, ["api"], "./api", false],
    ["glob folders without Cargo.toml are skipped", { "Cargo.toml": ws(['members = ["crates/*"]']), ...bin("api", "crates/api"), "crates/docs/README": "" }, ["api"], "./api", false],
    ["[ab] and ? globs", { "Cargo.toml": ws(['members = ["svc-[ab]", "x?"]']), ...bin("a", "svc-a"), ...bin("c", "svc-c"), ...bin("x", "x1") }, ["a", "x"], "./bin/a", false],
    [
      "default-members limits what is built",
      { "Cargo.toml": ws(['members = ["api", "worker"]', 'default-members = ["worker"]']), ...bin("api", "api"), ...bin("worker", "worker") },
      ["worker"],
      "./worker",
      false,
    ],
    ["root package with a binary: only the root's (cargo's default)", { "Cargo.toml": pkg("root") + ws(['members = ["xtask"]']), "src/main.rs": "", ...bin("xtask", "xtask") }, ["root"], "./root", false],
    ["root library package: members' binaries, with --workspace", { "Cargo.toml": pkg("core") + ws(['members = ["cli"]']), "src/lib.rs": "", ...bin("cli", "cli") }, ["cli"], "./cli", true],
    ["member default-run picks among several", { "Cargo.toml": ws(['members = ["a"]']), ...bin("a", "a", ['default-run = "b"', "[[bin]]", 'name = "b"', 'path = "b.rs"']) }, ["b", "a"], "./bin/b", false],
    ["libraries only → error", { "Cargo.toml": ws(['members = ["l"]']), ...lib("l", "l") }, [], "", false],
  ];
  it.each(cases)("%s", async (name, files, bins, command, workspaceFlag) => {
    const ctx = name.startsWith("fixture") ? fixture("rust-workspace") : new MemoryContext(files);
    if (!bins.length) {
      expect((await userError(plan(ctx))).message).toMatch(/no workspace member builds a binary/);
      return;
    }
    const p = await plan(ctx);
    const sh = run(p, "cargo build")!.shell;
    expect(sh).toContain(`cp ${bins.map((b) => `target/release/${b}`).join(" ")} /build/out`);
    expect(p.result.runCommand).toBe(command);
    expect(sh.includes("--workspace")).toBe(workspaceFlag);
  });

  it("follow-up paths: member manifests and binary sources, globs kept", async () => {
    expect(await followUpReads(fixture("rust-workspace"), {})).toEqual(["crates/*/Cargo.toml", "crates/*/src/bin", "crates/*/src/main.rs"]);
    const files = { "Cargo.toml": ws(['members = ["./api/", "svc-[ab]"]']), ...bin("api", "api") };
    expect(await followUpReads(new MemoryContext(files), {})).toEqual(["api/Cargo.toml", "api/src/bin", "api/src/main.rs", "svc-*/Cargo.toml", "svc-*/src/bin", "svc-*/src/main.rs"]);
    expect(await followUpReads(fixture("rust-single"), {})).toEqual([]);
  });
  it("follow-up reads only declared root files; planning reads only declared or followed paths", async () => {
    const rec = new RecordingContext(fixture("rust-workspace"));
    const extra = await followUpReads(rec, {});
    expect([...rec.paths].filter((p) => !isDeclaredRead(p, detectionReads()))).toEqual([]);
    const planRec = new RecordingContext(fixture("rust-workspace"));
    await buildPlan(planRec, {});
    expect([...planRec.paths].filter((p) => !isDeclaredRead(p, [...detectionReads(), ...extra]))).toEqual([]);
    expect([...planRec.paths]).toContain("crates/app/Cargo.toml");
  });
  it("a Cargo.toml syntax error makes no follow-up (detection reports it)", async () => {
    expect(await followUpReads(new MemoryContext({ "Cargo.toml": "[workspace\n" }), {})).toEqual([]);
  });
});

describe("rust build steps", () => {
  it("manifests → cargo fetch → source → cargo build, the fetch layer from manifests alone", async () => {
    const p = await plan(fixture("rust-workspace"));
    expect(steps(p).map((s) => s.name)).toEqual(["copy Cargo manifests", "cargo fetch", "copy source", "cargo build"]);
    const manifests = steps(p)[0] as CopyStep;
    expect(manifests).toMatchObject({ kind: "copy", paths: ["."], dest: "/build" });
    expect(manifests.include).toEqual(expect.arrayContaining(["**/Cargo.toml", "Cargo.lock"]));
    expect(manifests.exclude).toContain("target");
    expect((steps(p)[2] as CopyStep).exclude).toEqual(expect.arrayContaining(["target", "rust-toolchain.toml"]));
  });
  it("--locked on fetch and build only with a Cargo.lock", async () => {
    const locked = await plan(fixture("rust-single"));
    expect(run(locked, "cargo fetch")!.shell).toContain("cargo fetch --locked");
    expect(run(locked, "cargo build")!.shell).toMatch(/^cargo build --release --locked &&/);
    const unlocked = await mem(app());
    expect(run(unlocked, "cargo fetch")!.shell).not.toContain("--locked");
    expect(run(unlocked, "cargo build")!.shell).toMatch(/^cargo build --release &&/);
  });
  it("fetch creates stand-ins for targets declared without a path, then removes every stand-in", async () => {
    const sh = run(await plan(fixture("rust-multi-bins")), "cargo fetch")!.shell;
    expect(sh).toContain("for f in src/bin/worker.rs; do");
    expect(sh).toContain('touch "${m%Cargo.toml}src/lib.rs"');
    expect(sh.indexOf("cargo fetch")).toBeLessThan(sh.indexOf("find . -name '*.rs' -type f -delete"));
    const members = run(await mem({ "Cargo.toml": '[workspace]\nmembers = ["a"]\n', "a/Cargo.toml": pkg("a", ["[[example]]", 'name = "demo"', "[[bin]]", 'name = "a"']), "a/src/main.rs": "" }), "cargo fetch")!;
    expect(members.shell).toContain("for f in a/src/main.rs a/examples/demo.rs; do");
  });
  it("cache mounts: registry and git on fetch; plus target on build", async () => {
    const p = await plan(fixture("rust-single"));
    expect(run(p, "cargo fetch")!.caches).toEqual(["registry", "git"]);
    expect(run(p, "cargo build")!.caches).toEqual(["registry", "git", "target"]);
    expect(p.caches).toMatchObject({
      registry: { target: "/usr/local/cargo/registry" },
      git: { target: "/usr/local/cargo/git" },
      target: { target: "/build/target" },
    });
    expect(p.stages[0]!.env).toEqual([["CARGO_HOME", "/usr/local/cargo"], ["CARGO_TARGET_DIR", "/build/target"]]);
  });
  it("vendored dependencies (.cargo/config.toml directory source) → no fetch layer", async () => {
    const vendored = { ...app(), ".cargo/config.toml": '[source.crates-io]\nreplace-with = "v"\n[source.v]\ndirectory = "vendor"\n' };
    expect(steps(await mem(vendored)).map((s) => s.name)).toEqual(["copy source", "cargo build"]);
  });
  it("BUILD_COMMAND replaces cargo build; the binaries are still copied out", async () => {
    const sh = run(await mem(app(), { BUILD_COMMAND: "make release" }), "cargo build")!.shell;
    expect(sh).toMatch(/^make release && mkdir -p \/build\/out && cp target\/release\/app \/build\/out\//);
  });
  it("with a package.json build script, the manifests still come from the context (the source from the assets stage)", async () => {
    const p = await mem({ ...app(), "Cargo.lock": "", "package.json": '{"scripts":{"build":"node build.js"}}' });
    const build = p.stages.find((st) => st.name === "build")!;
    expect(build.steps[0]).toMatchObject({ name: "copy Cargo manifests", from: "context", include: expect.arrayContaining(["**/Cargo.toml"]) });
    expect(build.steps[2]).toMatchObject({ from: { stage: "assets" }, exclude: expect.arrayContaining(["node_modules", "target", "rust-toolchain.toml"]) });
  });
  it("asset folders are copied next to the binary", async () => {
    expect(run(await mem(app()), "cargo build")!.shell).toContain('for d in static public assets templates; do if [ -d "$d" ]; then cp -R "$d" /build/out/; fi; done');
  });
});

describe("rust runtime", () => {
  it("slim debian, uid 1000, /app, PORT, only /build/out and the CA bundle", async () => {
    const p = await plan(fixture("rust-single"), { PORT: "8080" });
    expect(p.runtime).toMatchObject({ image: "debian:bookworm-slim", user: "1000:1000", workdir: "/app", port: 8080 });
    expect(p.runtime.env).toEqual([["PORT", "8080"], ["RUST_BACKTRACE", "1"], ["RUST_LOG", "info"]]);
    expect(p.runtime.copies.map((c) => [c.src, c.dest])).toEqual([
      ["/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt"],
      ["/build/out", "/app"],
    ]);
  });
});

describe("default-run and the dependency layer (real-world class 6)", () => {
  it("default-run naming an auto-discovered binary gets a stand-in file, so cargo fetch can load the manifest", async () => {
    const m = (pkg: string, bins = "") => toManifest(parseToml(`[package]\nname = "app"\nversion = "0.1.0"\n${pkg}\n${bins}`), "Cargo.toml");
    expect(m('default-run = "web"').requiredFiles).toEqual(["src/bin/web.rs"]);
    expect(m('default-run = "app"').requiredFiles).toEqual(["src/main.rs"]);
    // A declared [[bin]] already says where it is.
    expect(m('default-run = "web"', '[[bin]]\nname = "web"\npath = "src/web.rs"').requiredFiles).toEqual([]);
  });
});

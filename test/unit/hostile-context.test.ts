// Issue 11: hostile contexts on local disk (symlinks in and out, FIFOs,
// directories named like manifests, huge and binary files, path traversal in
// options that name a path), run through BOTH the CLI (dist/cli.cjs) and the
// frontend (runFrontend over a fake gateway serving the same tree). They must
// agree (defect 6), never read outside the context, and when no language is
// found say what was found and why it was not used (defect 7).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { FakeBridge, runFake } from "../helpers/fake-bridge.js";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "dist/cli.cjs");
const made: string[] = [];
let outside: string;

beforeAll(() => {
  if (!existsSync(cli)) execSync("npm run build", { cwd: root, stdio: "inherit" });
  // Files outside every context, that nothing may ever read.
  outside = mkdtempSync(path.join(os.tmpdir(), "reliability-outside-"));
  made.push(outside);
  writeFileSync(path.join(outside, "Procfile"), "web: ./evil-from-outside\n");
  writeFileSync(path.join(outside, "go.mod"), "module evil.example/outside\n\ngo 1.21\n");
  writeFileSync(path.join(outside, "main.go"), "package main\nfunc main() {}\n");
  writeFileSync(path.join(outside, "secret.txt"), "root:x:0:0:OUTSIDE-SECRET\n");
}, 300_000);

afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

type Entry = string | { link: string } | { dir: true } | { fifo: true };

function tree(files: Record<string, Entry>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "reliability-ctx-"));
  made.push(dir);
  for (const [name, e] of Object.entries(files)) {
    const p = path.join(dir, name);
    mkdirSync(path.dirname(p), { recursive: true });
    if (typeof e === "string") writeFileSync(p, e);
    else if ("link" in e) symlinkSync(e.link.replace("$OUTSIDE", outside), p);
    else if ("dir" in e) mkdirSync(p, { recursive: true });
    else execSync(`mkfifo ${JSON.stringify(p)}`);
  }
  return dir;
}

interface Outcome {
  ok: boolean;
  /** The plan (ok) or the one-line message (failure). */
  text: string;
}

function viaCli(dir: string, args: Record<string, string>): Outcome {
  const flags = Object.entries(args).flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]);
  const r = spawnSync(process.execPath, [cli, "plan", dir, "--json", ...flags], { encoding: "utf8", timeout: 60_000 });
  if (r.status === 0) return { ok: true, text: JSON.stringify(JSON.parse(r.stdout)) };
  return { ok: false, text: r.stderr.trim().replace(/^migetpacks: /, "") };
}

async function viaFrontend(dir: string, args: Record<string, string>): Promise<Outcome> {
  const b = new FakeBridge(new LocalContext(dir));
  const st = await runFake(b, ["requestid=frontend.plan", ...Object.entries(args).map(([k, v]) => `build-arg:${k}=${v}`)]);
  if (st) return { ok: false, text: st.message };
  const ret = b.calls.find((c) => c.name === "Return")!.req.result;
  return { ok: true, text: JSON.stringify(JSON.parse(ret.metadata["result.json"].toString())) };
}

/** Runs both; they must agree, and neither may show anything from outside the context. */
async function both(dir: string, args: Record<string, string> = {}): Promise<Outcome> {
  const a = viaCli(dir, args);
  const b = await viaFrontend(dir, args);
  expect(b, "the frontend and the CLI disagree").toEqual(a);
  for (const leak of ["OUTSIDE-SECRET", "root:x:0:0", "evil-from-outside", "evil.example"]) expect(a.text).not.toContain(leak);
  expect(a.text).not.toMatch(/internal error|at .*\.(ts|js):\d+/);
  return a;
}

const NODE = { "package.json": JSON.stringify({ name: "app", scripts: { start: "node server.js" } }), "package-lock.json": "{}", "server.js": "" };
const GO = { "go.mod": "module example.com/api\n\ngo 1.22\n", "main.go": "package main\nfunc main() {}\n" };

describe("defect 6: the CLI follows the frontend's context rules", () => {
  it(".nvmrc -> /etc/passwd is not read (nor quoted)", async () => {
    const r = await both(tree({ ...NODE, ".nvmrc": { link: "/etc/passwd" } }));
    expect(r.ok).toBe(true);
    expect(r.text).not.toContain(".nvmrc");
  });

  it("a Procfile linking outside is not read", async () => {
    const r = await both(tree({ ...NODE, Procfile: { link: "$OUTSIDE/Procfile" } }));
    expect(r.ok).toBe(true);
    expect(JSON.parse(r.text).runtime.cmd).toEqual(["npm", "start"]);
  });

  it("PROJECT_PATH through a link to an outside folder plans nothing from it", async () => {
    const r = await both(tree({ ...NODE, sub: { link: "$OUTSIDE" } }), { PROJECT_PATH: "sub" });
    expect(r).toEqual({ ok: false, text: 'No supported language found: PROJECT_PATH "sub" is a symbolic link, and links are never followed (one may point outside the context); name the real folder.' });
  });

  it("a file ignored by .dockerignore (app.json) is not planned from", async () => {
    const r = await both(tree({ ...GO, ".dockerignore": "app.json\n", "app.json": JSON.stringify({ env: { FROM_IGNORED_APP_JSON: "leak" } }) }));
    expect(r.ok).toBe(true);
    expect(r.text).not.toContain("FROM_IGNORED_APP_JSON");
  });

  it('.dockerignore of "*" fails the same way in both, naming the pattern', async () => {
    const r = await both(tree({ ...GO, ".dockerignore": "*\n" }));
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/^No supported language found: \.dockerignore pattern "\*" excludes .*go\.mod/);
  });

  it('.dockerignore of "[" is the same user error in both, with file and line', async () => {
    const r = await both(tree({ ...GO, ".dockerignore": "node_modules\n[\n" }));
    expect(r).toEqual({ ok: false, text: '.dockerignore:2: pattern "[" is invalid (a [ is never closed); fix it (a literal [ is written \\[) and build again.' });
  });
});

describe("defect 7: a marker that is there but unusable is named, with the reason", () => {
  it.each([
    ["a symlink inside the context", { "real/go.mod": GO["go.mod"], "go.mod": { link: "real/go.mod" } }, /go\.mod is a symbolic link, and links are never followed/],
    ["a symlink outside the context", { "go.mod": { link: "$OUTSIDE/go.mod" } }, /go\.mod is a symbolic link/],
    ["a directory", { "go.mod": { dir: true } }, /go\.mod is a directory, not a file/],
    ["a FIFO", { "go.mod": { fifo: true } }, /go\.mod is not a regular file \(a FIFO, socket or device\)/],
    ["excluded by .dockerignore", { ...GO, ".dockerignore": "go.mod\n" }, /\.dockerignore pattern "go\.mod" excludes go\.mod, so it is not sent to the build/],
  ] as [string, Record<string, Entry>, RegExp][])("go.mod as %s", async (_n, files, message) => {
    const r = await both(tree(files));
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(message);
    expect(r.text).not.toMatch(/none of these files is in the build context/);
  });

  it.each(["nonexistent", "/etc", "../..", "a/../../.."])("PROJECT_PATH=%s is named", async (p) => {
    const r = await both(tree(GO), { PROJECT_PATH: p });
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/PROJECT_PATH/);
    expect(r.text).not.toMatch(/^No supported language found: none of these files/);
  });
});

describe("defect 8: messages stay short, name the file and never dump bytes", () => {
  it("a 10 KB .nvmrc gives a short message naming .nvmrc", async () => {
    const r = await both(tree({ ...NODE, ".nvmrc": "9".repeat(10_240) + "\n" }));
    expect(r.ok).toBe(false);
    expect(r.text).toBe(".nvmrc: the version is 10240 characters long; the file should hold one version, such as 22 or 1.22.3.");
  });

  it("a binary .dockerignore is named, not dumped", async () => {
    const r = await both(tree({ ...GO, ".dockerignore": "node_modules\n\u0000\u0001\u0002\u00ff[\u0007" }));
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/^\.dockerignore is not a text file \(it holds binary data at character 14\)/);
    expect(r.text).not.toMatch(/[\u0000-\u0008]/);
  });

  it("a UTF-16 package.json says so", async () => {
    const dir = tree({});
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify({ name: "a" }), "utf16le")]);
    writeFileSync(path.join(dir, "package.json"), utf16);
    const r = await both(dir);
    expect(r).toEqual({ ok: false, text: "package.json is encoded as UTF-16; save it as UTF-8 (without a byte-order mark) and build again." });
  });

  it("LANGUAGE=rust without Cargo files does not claim Cargo.lock is here", async () => {
    const r = await both(tree(GO), { LANGUAGE: "rust" });
    expect(r).toEqual({ ok: false, text: "Cargo.toml is not in the build context: cargo needs Cargo.toml at the root of the build context (or set PROJECT_PATH to the crate's folder)." });
  });

  it("any huge value is cut in the middle of the message, never echoed whole", async () => {
    const r = await both(tree(GO), { PORT: "9".repeat(50_000) });
    expect(r.ok).toBe(false);
    expect(r.text.length).toBeLessThanOrEqual(1100);
    expect(r.text).toMatch(/^build arg PORT="9{60}…" is invalid/);
  });
});

describe("huge and binary manifests", () => {
  it("a binary package.json is named, never dumped", async () => {
    const dir = tree({});
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
    writeFileSync(path.join(dir, "package.json"), bytes);
    const r = await both(dir);
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/^package\.json is not (a text file|valid JSON)/);
    expect(r.text.length).toBeLessThanOrEqual(1100);
  });

  it("an 8 MB package.json with one huge field still plans, the same in both", async () => {
    const r = await both(tree({ ...NODE, "package.json": JSON.stringify({ name: "app", scripts: { start: "node server.js" }, description: "d".repeat(8 << 20) }) }));
    expect(r.ok).toBe(true);
    expect(r.text.length).toBeLessThan(100_000);
  });

  it("a binary Procfile (web:\\0) is refused by name; NUL never becomes the image command", async () => {
    const dir = tree(NODE);
    writeFileSync(path.join(dir, "Procfile"), Buffer.from([0x77, 0x65, 0x62, 0x3a, 0, 10, 1, 2, 0xff]));
    const r = await both(dir);
    expect(r).toEqual({ ok: false, text: "Procfile is not a text file (it holds binary data at character 5); it must be UTF-8 text." });
  });
});

describe("--platform bogus is a user error, not an internal error", () => {
  it.each(["bogus", "linux/", "linux/$(id)", "a/b/c/d"])("CLI --platform %s", (p) => {
    const r = spawnSync(process.execPath, [cli, "llb", "fixtures/go-hello", "--platform", p], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^migetpacks: platform ".*" is invalid: expected os\/arch\[\/variant\], such as linux\/amd64/);
    expect(r.stderr).not.toContain("internal error");
  });

  it("frontend platform=bogus", async () => {
    const st = await runFake(new FakeBridge(new LocalContext(tree(GO))), ["platform=bogus"]);
    expect(st).toEqual({ code: 3, message: 'platform "bogus" is invalid: expected os/arch[/variant], such as linux/amd64 or linux/arm64.' });
  });
});

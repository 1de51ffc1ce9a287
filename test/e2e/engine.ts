// End-to-end helpers: a real Docker engine (its embedded BuildKit) runs our
// frontend image through a `# syntax=` stub, exactly as a user would.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, cpSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");
// FRONTEND_IMAGE lets several checkouts share one engine without testing each other's frontend.
export const FRONTEND_IMAGE = process.env.FRONTEND_IMAGE || "miget/migetpacks-frontend:dev";

export function fixtureDir(name: string): string {
  return path.join(ROOT, "fixtures", name);
}

/** Fails loudly (never skips) when no engine answers. */
export function requireEngine(): void {
  const r = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`No Docker engine answers (${(r.stderr || "").trim()}). Start one with \`npm run engine\`; end-to-end tests never skip.`);
  }
}

export function sh(cmd: string, args: string[], opts: { input?: string; cwd?: string } = {}): string {
  return execFileSync(cmd, args, { encoding: "utf8", cwd: opts.cwd ?? ROOT, input: opts.input, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 64 << 20 });
}

/** A directory holding only the one-line stub that selects our frontend. */
export function stubDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "migetpacks-stub-"));
  writeFileSync(path.join(dir, "Dockerfile"), `# syntax=${FRONTEND_IMAGE}\n`);
  return dir;
}

/** Copies a fixture to a temp dir so a test may edit it. */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `migetpacks-${name}-`));
  cpSync(fixtureDir(name), dir, { recursive: true });
  return dir;
}

export interface BuildResult {
  ok: boolean;
  log: string;
  seconds: number;
  metadata?: Record<string, unknown>;
}

/** `docker buildx build` with the stub; plain progress output is returned for parsing. */
export function buildx(context: string, tag: string, opts: { buildArgs?: Record<string, string>; extra?: string[]; env?: Record<string, string> } = {}): BuildResult {
  const meta = path.join(mkdtempSync(path.join(os.tmpdir(), "migetpacks-meta-")), "meta.json");
  const args = ["buildx", "build", "--progress=plain", "--load", "-t", tag, "-f", path.join(stubDir(), "Dockerfile"), "--metadata-file", meta];
  for (const [k, v] of Object.entries(opts.buildArgs ?? {})) args.push("--build-arg", `${k}=${v}`);
  args.push(...(opts.extra ?? []), context);
  const t0 = performance.now();
  const r = spawnSync("docker", args, { encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, ...opts.env } });
  const seconds = (performance.now() - t0) / 1000;
  let metadata: Record<string, unknown> | undefined;
  try {
    metadata = JSON.parse(sh("cat", [meta]));
  } catch {
    metadata = undefined;
  }
  return { ok: r.status === 0, log: `${r.stdout}\n${r.stderr}`, seconds, metadata };
}

/** Whether the step whose name contains `name` was reported CACHED. */
export function stepCached(log: string, name: string): boolean {
  const ids = [...log.matchAll(/^#(\d+) (.*)$/gm)].filter((m) => m[2]!.includes(name)).map((m) => m[1]);
  if (!ids.length) throw new Error(`no step named "${name}" in build output`);
  return ids.some((id) => new RegExp(`^#${id} CACHED$`, "m").test(log));
}

export function inspect(tag: string): any {
  return JSON.parse(sh("docker", ["image", "inspect", tag]))[0];
}

/**
 * Runs the image, waits for HTTP on its PORT, returns the body and the uid the
 * app process runs as (read from the host's process table with `docker top`,
 * so it works on shell-less images too); always removes the container.
 */
export async function runAndFetch(tag: string, opts: { port?: number; env?: Record<string, string>; path?: string; timeoutMs?: number } = {}): Promise<{ status: number; body: string; uid: string }> {
  const port = opts.port ?? 5000;
  const envArgs = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  const id = sh("docker", ["run", "-d", "-p", `127.0.0.1::${port}`, ...envArgs, tag]).trim();
  try {
    const mapped = sh("docker", ["port", id, `${port}/tcp`]).trim().split("\n")[0]!;
    const url = `http://${mapped}${opts.path ?? "/"}`;
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    let last = "";
    while (Date.now() < deadline) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        const body = await res.text();
        // `docker top` needs the pid column; the uid is the second one of the first process.
        const uid = sh("docker", ["top", id, "-o", "pid,uid"]).trim().split("\n")[1]?.trim().split(/\s+/)[1] ?? "?";
        return { status: res.status, body, uid };
      } catch (e) {
        last = String(e);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const logs = spawnSync("docker", ["logs", id], { encoding: "utf8" });
    throw new Error(`no HTTP answer from ${tag} on ${url}: ${last}\ncontainer logs:\n${logs.stdout}${logs.stderr}`);
  } finally {
    spawnSync("docker", ["rm", "-f", id]);
  }
}

/**
 * Runs a command in a fresh container of the image (exit code and output). The
 * output is read from the container's log once it has exited, not from an
 * attached `docker run`: a short-lived container's attach stream can lose all
 * of it (CI saw an empty result from `find ...; echo NO_GO`).
 */
export function runIn(tag: string, entrypoint: string, args: string[]): { code: number; out: string } {
  const id = execFileSync("docker", ["create", "--entrypoint", entrypoint, tag, ...args], { encoding: "utf8" }).trim();
  try {
    // A container that cannot start (no such entrypoint: an image without a shell) reports why here.
    const started = spawnSync("docker", ["start", id], { encoding: "utf8" });
    if (started.status !== 0) return { code: started.status ?? -1, out: `${started.stdout}${started.stderr}` };
    const code = Number(execFileSync("docker", ["wait", id], { encoding: "utf8" }).trim());
    const logs = spawnSync("docker", ["logs", id], { encoding: "utf8" });
    return { code, out: `${logs.stdout}${logs.stderr}` };
  } finally {
    spawnSync("docker", ["rm", "-f", id]);
  }
}

/** Every byte of an image as the registry would see it: `docker save` (config, history, all layers). */
export function savedImage(tag: string): Buffer {
  return execFileSync("docker", ["save", tag], { maxBuffer: 2 ** 31 });
}

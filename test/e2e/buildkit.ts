// End-to-end helpers for a standalone, current BuildKit (scripts/buildkit/up.sh):
// buildctl drives buildkitd, which runs our frontend image from the local
// registry and resolves Docker Hub base images through it (a mirror).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FRONTEND_IMAGE, ROOT, sh } from "./engine.js";

export interface Buildkit {
  buildctl: string;
  host: string;
  registry: string;
  log: string;
}

/** Installs/starts buildkitd and the registry (idempotent); fails loudly, never skips. */
export function buildkitUp(): Buildkit {
  const r = spawnSync("bash", ["scripts/buildkit/up.sh"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    throw new Error(`scripts/buildkit/up.sh failed (exit ${r.status}); a standalone BuildKit could not be started here, end-to-end tests never skip:\n${r.stderr}${r.stdout}`);
  }
  const vars = Object.fromEntries(r.stdout.trim().split("\n").pop()!.split(" ").map((kv) => kv.split("=", 2) as [string, string]));
  return { buildctl: vars.BUILDCTL!, host: vars.BUILDKIT_HOST!, registry: vars.REGISTRY!, log: vars.BUILDKITD_LOG! };
}

/** Docker Hub name → its path in the mirror (`golang:1.22` → `library/golang:1.22`). */
export function mirrorPath(image: string): string {
  const name = image.replace(/^docker\.io\//, "");
  const withNs = name.includes("/") ? name : `library/${name}`;
  return /:[^/]+$|@/.test(withNs) ? withNs : `${withNs}:latest`;
}

/** Base images the plan of each app names (like scripts/standins.mjs). */
export function planImages(dirs: string[]): string[] {
  const images = new Set<string>();
  for (const dir of dirs) {
    const plan = JSON.parse(sh("node", ["dist/cli.cjs", "plan", dir, "--json"]));
    for (const s of plan.stages) if (s.image) images.add(s.image);
    images.add(plan.runtime.image);
  }
  return [...images];
}

/** Pushes the frontend image and the given base images from the Docker engine to the registry. */
export function pushToRegistry(images: string[]): void {
  execFileSync("bash", ["scripts/buildkit/push.sh", FRONTEND_IMAGE, ...images], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
}

export interface BuildctlResult {
  ok: boolean;
  log: string;
  seconds: number;
  metadata?: Record<string, string>;
  /** The buildkitd log written during this build (the frontend's stderr lands there). */
  daemonLog: string;
}

/**
 * `buildctl build --frontend gateway.v0` with our frontend image from the
 * registry; the image is pushed to `<registry>/<name>` (then `docker pull` it).
 */
export function buildctl(bk: Buildkit, context: string, name: string, opts: string[] = []): BuildctlResult {
  const meta = path.join(mkdtempSync(path.join(os.tmpdir(), "bkcurrent-meta-")), "meta.json");
  const args = [
    "--addr", bk.host, "build", "--progress=plain",
    "--frontend", "gateway.v0", "--opt", `source=${bk.registry}/${mirrorPath(FRONTEND_IMAGE)}`,
    "--local", `context=${context}`, "--local", `dockerfile=${context}`,
    ...opts,
    "--output", `type=image,name=${bk.registry}/${name},push=true`,
    "--metadata-file", meta,
  ];
  const offset = fileSize(bk.log);
  const t0 = performance.now();
  const r = spawnSync(bk.buildctl, args, { encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  let metadata: Record<string, string> | undefined;
  try {
    metadata = JSON.parse(readFileSync(meta, "utf8"));
  } catch {
    metadata = undefined;
  }
  const daemonLog = readFileSync(bk.log).subarray(offset).toString("utf8");
  return { ok: r.status === 0, log: `${r.stdout}\n${r.stderr}`, seconds, metadata, daemonLog };
}

function fileSize(p: string): number {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
}

/**
 * The build's own steps (exec and file ops of a stage: `[build] go build`,
 * `[runtime] COPY ...`; not `[internal]` loads, image sources or the export)
 * and whether a plain progress log reported each one CACHED.
 */
export function buildSteps(log: string): { name: string; cached: boolean }[] {
  const names = new Map<string, string>();
  for (const m of log.matchAll(/^#(\d+) (\[[^\]]+\] .*)$/gm)) if (!names.has(m[1]!)) names.set(m[1]!, m[2]!);
  return [...names]
    .filter(([, n]) => !n.startsWith("[internal]") && !/^\[[^\]]+\] FROM /.test(n))
    .map(([id, name]) => ({ name, cached: new RegExp(`^#${id} CACHED$`, "m").test(log) }));
}

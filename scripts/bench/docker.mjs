// Docker helpers for the benchmark: timed builds, the frontend's own log lines
// (the daemon's log), image sizes.
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";

export const DOCKERD_LOG = process.env.MIGETPACKS_DOCKERD_LOG ?? "/var/log/migetpacks-dockerd.log";

export function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 256 << 20, stdio: ["pipe", "pipe", "pipe"], ...opts });
}

/**
 * `docker buildx build`; returns wall time, the plain progress log and the
 * frontend's log lines carrying `tag` that the daemon wrote meanwhile.
 */
export function build({ file, context, tag, args = {}, extra = [], env = {}, logTag, mayFail = false }) {
  const argv = ["buildx", "build", "--progress=plain", "-f", file];
  if (tag) argv.push("--load", "-t", tag);
  for (const [k, v] of Object.entries(args)) argv.push("--build-arg", `${k}=${v}`);
  argv.push(...extra, context);
  const from = logSize();
  const t0 = process.hrtime.bigint();
  const r = spawnSync("docker", argv, { encoding: "utf8", maxBuffer: 256 << 20, env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && !mayFail) throw new Error(`build of ${context} with ${file} failed:\n${r.stderr.slice(-3000)}`);
  return { ms, log: `${r.stdout}\n${r.stderr}`, frontend: logTag ? frontendLines(from, logTag) : [] };
}

function logSize() {
  try {
    return statSync(DOCKERD_LOG).size;
  } catch {
    return 0;
  }
}

export function logReadable() {
  return existsSync(DOCKERD_LOG);
}

/** `migetpacks: ...; start=95 ping=13 ... ms; rss=60 MB [tag]` lines written since `from`, parsed. */
function frontendLines(from, logTag) {
  const size = logSize();
  if (size <= from) return [];
  const buf = Buffer.alloc(size - from);
  const fd = openSync(DOCKERD_LOG, "r");
  try {
    readSync(fd, buf, 0, buf.length, from);
  } finally {
    closeSync(fd);
  }
  return buf
    .toString("utf8")
    .split("\n")
    .filter((l) => l.startsWith("migetpacks:") && l.endsWith(`[${logTag}]`))
    .map((l) => {
      const phases = Object.fromEntries([...l.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
      return { line: l, ...phases };
    });
}

/** Whether the step whose name contains `name` was reported CACHED (as test/e2e/engine.ts). */
export function stepCached(log, name) {
  const ids = [...log.matchAll(/^#(\d+) (.*)$/gm)].filter((m) => m[2].includes(name)).map((m) => m[1]);
  if (!ids.length) return undefined;
  return ids.some((id) => new RegExp(`^#${id} CACHED$`, "m").test(log));
}

export function inspect(ref) {
  return JSON.parse(run("docker", ["image", "inspect", ref]))[0];
}

/**
 * Compressed bytes as a registry stores them: the image is pushed to the local registry
 * (scripts/buildkit/push.sh, i.e. `docker push`, the engine's gzip) and its manifest's
 * layer sizes are summed. Docker Hub names only (as push.sh).
 */
export function pushedBytes(ref) {
  run("bash", ["scripts/buildkit/push.sh", ref], { stdio: ["ignore", "ignore", "inherit"] });
  const name = ref.includes("/") ? ref : `library/${ref}`;
  const [repo, tag] = name.includes(":") ? [name.slice(0, name.lastIndexOf(":")), name.slice(name.lastIndexOf(":") + 1)] : [name, "latest"];
  return manifestBytes("127.0.0.1:5000", repo, tag);
}

/** Sum of a manifest's layer sizes on a plain-HTTP registry. */
export function manifestBytes(registry, repo, reference) {
  const accept = "application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json";
  const m = JSON.parse(run("curl", ["-fsS", "-H", `Accept: ${accept}`, `http://${registry}/v2/${repo}/manifests/${reference}`]));
  return m.layers.reduce((a, l) => a + l.size, 0);
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Benchmark setup: every image the comparison needs, built locally.
//  - our frontend image (scripts/frontend-image.sh, honours FRONTEND_IMAGE), and a
//    copy that tags its log lines so this run finds its own on a shared daemon;
//  - BuildKit's own Go Dockerfile frontend, built from BuildKit's source (Go module
//    proxy) and run as a gateway image, as the reference a frontend image can reach;
//  - an empty Node frontend on our image (`node -e 0`): the floor any Node frontend pays.
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { run } from "./docker.mjs";

export const BUILDKIT_VERSION = process.env.BENCH_BUILDKIT_VERSION ?? "v0.26.3";

export function names(frontendImage) {
  // Tags derive from the frontend's tag (`:perf` → `perf-bench/...`), so checkouts sharing a daemon never clash.
  const tag = frontendImage.includes(":") ? frontendImage.slice(frontendImage.lastIndexOf(":") + 1) : "dev";
  const prefix = `${tag}-bench`;
  return {
    tagged: `${prefix}/frontend:tagged`,
    goFrontend: `${prefix}/dockerfile-frontend:${BUILDKIT_VERSION}`,
    floor: `${prefix}/node-floor:latest`,
    prefix,
    logTag: `${prefix}-${process.pid}`,
  };
}

export function buildImages(root, frontendImage, n) {
  const sh = (cmd, args, env = {}) => run(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...env } });
  sh("bash", ["scripts/engine/up.sh"]);
  sh("bash", ["scripts/frontend-image.sh"], { FRONTEND_IMAGE: frontendImage });
  const dir = mkdtempSync(path.join(os.tmpdir(), "migetpacks-bench-img-"));
  writeFileSync(path.join(dir, "Dockerfile.tagged"), `FROM ${frontendImage}\nENV MIGETPACKS_LOG_TAG=${n.logTag}\n`);
  run("docker", ["build", "-q", "-f", path.join(dir, "Dockerfile.tagged"), "-t", n.tagged, dir]);
  writeFileSync(path.join(dir, "Dockerfile.floor"), `FROM ${frontendImage}\nENTRYPOINT ["/usr/local/bin/node", "-e", "0"]\n`);
  run("docker", ["build", "-q", "-f", path.join(dir, "Dockerfile.floor"), "-t", n.floor, dir]);
  buildGoFrontendImage(n.goFrontend, dir);
}

/** BuildKit's frontend/dockerfile/cmd/dockerfile-frontend, static, on scratch (as BuildKit ships it). */
function buildGoFrontendImage(ref, dir) {
  const bin = goFrontendBinary();
  cpSync(bin, path.join(dir, "dockerfile-frontend"));
  writeFileSync(
    path.join(dir, "Dockerfile.go"),
    `FROM scratch
COPY dockerfile-frontend /bin/dockerfile-frontend
LABEL moby.buildkit.frontend.network.none="true"
LABEL moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts"
ENTRYPOINT ["/bin/dockerfile-frontend"]
`,
  );
  run("docker", ["build", "-q", "-f", path.join(dir, "Dockerfile.go"), "-t", ref, dir]);
}

/** Built once per machine from the module's source and cached (a few minutes the first time). */
function goFrontendBinary() {
  const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "migetpacks-bench", `buildkit-${BUILDKIT_VERSION}`);
  const bin = path.join(cache, "dockerfile-frontend");
  if (existsSync(bin)) return bin;
  console.error(`bench: building BuildKit ${BUILDKIT_VERSION}'s Dockerfile frontend from source (once per machine)`);
  mkdirSync(cache, { recursive: true });
  const env = { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod" };
  const mod = JSON.parse(run("go", ["mod", "download", "-json", `github.com/moby/buildkit@${BUILDKIT_VERSION}`], { env }));
  // The module cache is read-only; build in a copy.
  const src = path.join(cache, "src");
  cpSync(mod.Dir, src, { recursive: true });
  run("chmod", ["-R", "u+w", src]);
  run("go", ["build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./frontend/dockerfile/cmd/dockerfile-frontend"], { cwd: src, env, stdio: ["ignore", "inherit", "inherit"] });
  return bin;
}

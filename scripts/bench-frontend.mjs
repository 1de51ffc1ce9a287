// `npm run bench:frontend`: fully cached rebuilds of fixtures/go-hello, in one
// run, alternating (a) our frontend image through a `# syntax=` stub and (b) an
// equivalent hand-written Dockerfile through the engine's built-in Dockerfile
// frontend. Prints both medians and their ratio (target: ≤ 1.5), and, as the
// floor any Node frontend pays here, (c) a frontend image on the same base
// whose entrypoint is `node -e 0` (it returns nothing; only its time counts).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const app = path.join(root, "fixtures/go-hello");
const sh = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });

sh("bash", ["scripts/engine/up.sh"]);
sh("bash", ["scripts/frontend-image.sh"]);
sh("node", ["scripts/standins.mjs", app]);

const plan = JSON.parse(execFileSync("node", ["dist/cli.cjs", "plan", app, "--json"], { cwd: root, encoding: "utf8" }));
const dir = mkdtempSync(path.join(os.tmpdir(), "migetpacks-bench-"));
writeFileSync(path.join(dir, "stub"), "# syntax=miget/migetpacks-frontend:dev\n");
// The same build, written by hand (what a careful engineer would write).
writeFileSync(
  path.join(dir, "Dockerfile"),
  `FROM ${plan.stages[0].image} AS build
WORKDIR /build
ENV CGO_ENABLED=0 GOOS=linux GOTOOLCHAIN=local
COPY go.mod ./
RUN --mount=type=cache,id=bench-go-mod,target=/go/pkg/mod --mount=type=cache,id=bench-go-build,target=/root/.cache/go-build go mod download
COPY . .
RUN --mount=type=cache,id=bench-go-mod,target=/go/pkg/mod --mount=type=cache,id=bench-go-build,target=/root/.cache/go-build go build -ldflags='-s -w' -o /build/go-hello .
FROM ${plan.runtime.image}
COPY --from=build --chown=1000:1000 /build /app
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
USER 1000:1000
WORKDIR /app
ENV PORT=5000
EXPOSE 5000
CMD ["./go-hello"]
`,
);

const base = process.env.FRONTEND_BASE_IMAGE ?? "node:22-slim";
writeFileSync(path.join(dir, "Dockerfile.floor"), `FROM ${base}\nENTRYPOINT ["node", "-e", "0"]\n`);
execFileSync("docker", ["build", "-q", "-f", path.join(dir, "Dockerfile.floor"), "-t", "migetpacks-bench/node-floor", dir], { stdio: "ignore" });
writeFileSync(path.join(dir, "floor-stub"), "# syntax=migetpacks-bench/node-floor\n");

function build(file, tag, mayFail = false) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync("docker", ["buildx", "build", "--progress=quiet", "--load", "-t", tag, "-f", path.join(dir, file), app], { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && !mayFail) throw new Error(`${file} build failed:\n${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Warm both paths so every measured build is fully cached.
for (let i = 0; i < 2; i++) {
  build("stub", "migetpacks-bench/frontend");
  build("Dockerfile", "migetpacks-bench/dockerfile");
}
const ours = [];
const theirs = [];
const floor = [];
for (let i = 0; i < rounds; i++) {
  ours.push(build("stub", "migetpacks-bench/frontend"));
  theirs.push(build("Dockerfile", "migetpacks-bench/dockerfile"));
  floor.push(build("floor-stub", "migetpacks-bench/floor", true));
}
const a = median(ours);
const b = median(theirs);
console.log(`fully cached rebuild of fixtures/go-hello, ${rounds} alternating rounds`);
console.log(`  migetpacks frontend (# syntax= stub): median ${a.toFixed(0)} ms  [${ours.map((x) => x.toFixed(0)).join(" ")}]`);
console.log(`  hand-written Dockerfile (built-in):    median ${b.toFixed(0)} ms  [${theirs.map((x) => x.toFixed(0)).join(" ")}]`);
const c = median(floor);
console.log(`  empty Node frontend (node -e 0):       median ${c.toFixed(0)} ms  [${floor.map((x) => x.toFixed(0)).join(" ")}]`);
console.log(`  ratio frontend / Dockerfile: ${(a / b).toFixed(2)} (target ≤ 1.5)`);
console.log(`  ratio empty Node frontend / Dockerfile: ${(c / b).toFixed(2)} (the floor for any Node frontend on this engine)`);
console.log(`  our work on top of that floor: ${(a - c).toFixed(0)} ms`);

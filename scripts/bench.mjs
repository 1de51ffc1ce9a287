// `npm run bench` (alias `npm run bench:frontend`): every performance figure of
// issue 17 beside its reference, measured side by side in one run (the machine
// is shared and noisy: compared paths alternate, medians and ratios are
// reported, nothing here is a pass/fail test). Compares with the checked-in
// baseline (scripts/bench/baseline.json); BENCH_WRITE_BASELINE=1 rewrites it.
//
// Env: FRONTEND_IMAGE (default miget/migetpacks-frontend:dev), BENCH_ROUNDS
// (cached rebuild rounds, 21), BENCH_SKIP=rebuild,size,startup,every,inproc,image (skip sections;
// `npm run bench:quick` skips all but the cached rebuilds, for A/B work), BENCH_PRUNE=1 (empties
// the builder's build cache first: `docker buildx prune -af`).
//
// The cached-rebuild ratio depends on the builder's state: after a day of e2e runs (5,570 cache
// records, hundreds under the same keys, since each run builds the same fixtures from fresh copies)
// it measured 1.36-1.38x; right after a prune, 1.12-1.19x. The table says how many records there were.
// After a prune, each fixture's first detection transfer copies every file: the every-fixture
// context figures are first transfers then (baseline.json is written that way, for a state anyone can repeat).
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build as esbuild } from "esbuild";
import { build, inspect, logReadable, median, pushedBytes, run, stepCached } from "./bench/docker.mjs";
import { buildImages, names, BUILDKIT_VERSION } from "./bench/setup.mjs";
import { handWritten } from "./bench/dockerfiles.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const FRONTEND_IMAGE = process.env.FRONTEND_IMAGE || "miget/migetpacks-frontend:dev";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const SKIP = new Set((process.env.BENCH_SKIP ?? "").split(",").filter(Boolean));
const BASELINE = path.join(root, "scripts/bench/baseline.json");
const n = names(FRONTEND_IMAGE);
const tmp = mkdtempSync(path.join(os.tmpdir(), "migetpacks-bench-"));
const fixture = (f) => path.join(root, "fixtures", f);
const note = (s) => console.error(`bench: ${s}`);
const rows = [];
/** One table row: figure, measured value, reference, target; `key` names it in the baseline. */
const row = (key, figure, value, unit, reference = "", target = "") => rows.push({ key, figure, value, unit, reference, target });

buildImages(root, FRONTEND_IMAGE, n);
run("node", ["scripts/standins.mjs", fixture("go-hello"), fixture("node-npm-deps"), fixture("python-flask-pip")], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
const planOf = (dir) => JSON.parse(run("node", [path.join(root, "dist/cli.cjs"), "plan", dir, "--json"]));
const stub = (name, image) => {
  writeFileSync(path.join(tmp, name), `# syntax=${image}\n`);
  return path.join(tmp, name);
};
const ours = stub("stub", n.tagged);
const floor = stub("floor-stub", n.floor);

if (process.env.BENCH_PRUNE === "1") {
  note("emptying the builder's build cache (BENCH_PRUNE=1)");
  run("docker", ["buildx", "prune", "-af"]);
}
const cacheRecords = Number(/Build Cache=(\d+)/.exec(run("docker", ["system", "df", "--format", "{{.Type}}={{.TotalCount}}"]))?.[1] ?? NaN);
cachedRebuilds();
if (!SKIP.has("startup")) await startupInstructions();
if (!SKIP.has("every")) everyFixture();
if (!SKIP.has("inproc")) await inProcess();
if (!SKIP.has("image")) frontendImage();
// One fixture per kind of build: a compiled binary, an npm install, a Python virtualenv.
const SOURCE_FILE = { "go-hello": "main.go", "node-npm-deps": "app.js", "python-flask-pip": "app.py" };
if (!SKIP.has("rebuild")) for (const f of Object.keys(SOURCE_FILE)) rebuild(f);
if (!SKIP.has("size")) for (const f of Object.keys(SOURCE_FILE)) runtimeSize(f);
memory();
report();

/** Fully cached rebuild of fixtures/go-hello through four paths, alternating. */
function cachedRebuilds() {
  const app = fixture("go-hello");
  const dockerfile = handWritten("go-hello", planOf(app));
  writeFileSync(path.join(tmp, "Dockerfile"), dockerfile);
  writeFileSync(path.join(tmp, "Dockerfile.go"), `# syntax=${n.goFrontend}\n${dockerfile}`);
  const paths = {
    ours: { file: ours, tag: `${n.prefix}/app:ours`, logTag: n.logTag },
    go: { file: path.join(tmp, "Dockerfile.go"), tag: `${n.prefix}/app:go-frontend` },
    builtin: { file: path.join(tmp, "Dockerfile"), tag: `${n.prefix}/app:builtin` },
    floor: { file: floor, mayFail: true },
  };
  note(`cached rebuilds of fixtures/go-hello: warming up, then ${ROUNDS} alternating rounds`);
  for (let i = 0; i < 2; i++) for (const p of Object.values(paths)) build({ ...p, context: app });
  const ms = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
  const phases = [];
  for (let i = 0; i < ROUNDS; i++) {
    for (const [k, p] of Object.entries(paths)) {
      const r = build({ ...p, context: app });
      ms[k].push(r.ms);
      if (k === "ours") phases.push(...r.frontend);
    }
  }
  const m = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, median(v)]));
  row("rebuild.ours.ms", "cached rebuild, go-hello: migetpacks frontend (# syntax=)", m.ours, "ms", `${m.go.toFixed(0)} ms Go Dockerfile frontend ${BUILDKIT_VERSION} as gateway image`);
  row("rebuild.ratio.go", "  ratio to BuildKit's Go frontend image", m.ours / m.go, "×", "1.00", "≤ 1.1");
  row("rebuild.ratio.builtin", "  ratio to the built-in Dockerfile frontend", m.ours / m.builtin, "×", `${m.builtin.toFixed(0)} ms built-in`);
  row("rebuild.go.ratio.builtin", "  Go frontend image / built-in (cost of a gateway container)", m.go / m.builtin, "×");
  row("rebuild.floor.ms", "  floor: empty Node frontend on our image (node -e 0: the build fails at once, so it skips the solve and export the others pay)", m.floor, "ms", `${(m.floor / m.go).toFixed(2)}× the Go frontend image`);
  row("rebuild.overfloor.ms", "  our frontend minus that floor", m.ours - m.floor, "ms");
  row("rebuild.cache.records", "  builder's build cache records when the rounds began (the ratio grows with them; BENCH_PRUNE=1 empties it)", cacheRecords, "");
  phaseRows("go-hello build", phases, ["boot", "connect", "ping", "context", "plan", "resolve", "llb", "solve", "return"]);
  const inside = phases.map((p) => p.context + p.plan + p.llb);
  if (inside.length) row("inside.gohello.ms", "  context + plan + LLB inside the frontend (go-hello)", median(inside), "ms", "54 ms before issue 17", "≤ 10");
  globalThis.allFrontendLines = [...(globalThis.allFrontendLines ?? []), ...phases];
}

/**
 * The frontend's CPU as instructions (valgrind's callgrind counts them the same whatever
 * else the machine runs): the image's own entrypoint (node, snapshot, HTTP/2 client) for a
 * whole go-hello build against an emulated gateway (scripts/bench/replay.ts), and until its
 * first call fails on a closed stdin; beside them `node -e 0` on the same binary.
 */
async function startupInstructions() {
  const valgrind = spawnSync("valgrind", ["--version"], { encoding: "utf8" });
  if (valgrind.status !== 0) return row("startup.instr.m", "frontend start-up, CPU instructions (callgrind)", NaN, "", "valgrind not installed");
  const dir = mkdtempSync(path.join(tmp, "rootfs-"));
  const id = run("docker", ["create", FRONTEND_IMAGE]).trim();
  try {
    run("sh", ["-c", 'docker export "$1" | tar -x -C "$2"', "sh", id, dir]);
  } finally {
    run("docker", ["rm", id]);
  }
  const entry = inspect(FRONTEND_IMAGE).Config.Entrypoint.map((a) => (a.startsWith("/") ? path.join(dir, a) : a));
  const callgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"];
  const collected = (stderr) => {
    const m = /Collected : (\d+)/.exec(stderr);
    return m ? Number(m[1]) / 1e6 : NaN;
  };
  const count = (argv) => collected(spawnSync(argv[0], argv.slice(1), { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] }).stderr);
  const replay = path.join(tmp, "replay.cjs");
  await esbuild({ entryPoints: [path.join(root, "scripts/bench/replay.ts")], bundle: true, platform: "node", format: "cjs", outfile: replay, logLevel: "warning" });
  note("frontend instructions under callgrind (about a minute)");
  const whole = JSON.parse(run("node", [replay, fixture("go-hello"), "--", ...callgrind, ...entry]));
  const build = whole.code === 0 && whole.returned ? collected(whole.stderr) : NaN;
  const ours = count([...callgrind, ...entry]);
  const empty = count([...callgrind, entry[0], "-e", "0"]);
  row("run.instr.m", "frontend CPU for a whole go-hello build, instructions (callgrind, emulated gateway)", build, "M", `${empty.toFixed(0)} M for node -e 0 on the same binary (${(build / empty).toFixed(2)}×)`);
  row("startup.instr.m", "  of which start-up to its first gateway call", ours, "M", `${(ours / empty).toFixed(2)}× node -e 0`);
}

function phaseRows(label, lines, keys) {
  if (!lines.length) {
    row(`phases.${label}`, `  frontend phases (${label})`, NaN, "", logReadable() ? "no log lines found" : "daemon log not readable");
    return;
  }
  const parts = keys.filter((k) => lines[0][k] !== undefined).map((k) => `${k} ${median(lines.map((l) => l[k])).toFixed(0)}`);
  row(`phases.${label}`, `  frontend phases, median ms (${label}): ${parts.join(", ")}`, NaN, "");
}

/** The plan subrequest (`--print=plan`) through our frontend on every fixture: context + plan per fixture. */
function everyFixture() {
  const fixtures = readdirSync(path.join(root, "fixtures")).sort();
  note(`plan request on ${fixtures.length} fixtures`);
  const perFixture = [];
  const all = [];
  for (const f of fixtures) {
    const lines = [];
    for (let i = 0; i < 3; i++) lines.push(...build({ file: ours, context: fixture(f), extra: ["--print=plan"], env: { BUILDX_EXPERIMENTAL: "1" }, logTag: n.logTag, mayFail: true }).frontend);
    if (!lines.length) continue;
    all.push(...lines);
    perFixture.push({ f, ms: median(lines.map((l) => l.context + l.plan)) });
  }
  globalThis.allFrontendLines = [...(globalThis.allFrontendLines ?? []), ...all];
  if (!perFixture.length) return row("inside.every.ms", "context + plan inside the frontend, every fixture", NaN, "", "no log lines found");
  const worst = perFixture.reduce((a, b) => (b.ms > a.ms ? b : a));
  row("inside.every.ms", `context + plan inside the frontend, median over ${perFixture.length} fixtures (plan request)`, median(perFixture.map((p) => p.ms)), "ms", `worst ${worst.f} ${worst.ms.toFixed(0)} ms`, "≤ 10 (+ LLB)");
  phaseRows("plan request, every fixture", all, ["boot", "connect", "ping", "context", "plan"]);
}

/** The shared core in-process: detect + plan + LLB per fixture, warm (as in the snapshot) and cold. */
async function inProcess() {
  const out = path.join(tmp, "inproc.cjs");
  return esbuild({ entryPoints: [path.join(root, "scripts/bench/inproc.ts")], bundle: true, platform: "node", format: "cjs", outfile: out, logLevel: "warning" }).then(() => {
    const res = JSON.parse(run("node", [out, path.join(root, "fixtures")]));
    const entries = Object.entries(res);
    const worst = entries.reduce((a, b) => (b[1].median > a[1].median ? b : a));
    const worstFirst = entries.reduce((a, b) => (b[1].first > a[1].first ? b : a));
    row("inproc.max.ms", `in-process detect + plan + LLB, worst fixture's median (${entries.length} fixtures)`, worst[1].median, "ms", `${worst[0]}; median over fixtures ${median(entries.map((e) => e[1].median)).toFixed(2)} ms`, "≤ 5");
    row("inproc.first.ms", "  first call in a fresh process (no snapshot), worst fixture", worstFirst[1].first, "ms", worstFirst[0]);
  });
}

/**
 * The frontend image as a builder pulls it: published by scripts/publish-frontend.sh (zstd)
 * to the local registry, its manifest's layer sizes; beside it the same image as `docker
 * push` stores it (gzip) and BuildKit's Go frontend image pushed the same way.
 */
function frontendImage() {
  const published = Number(run("bash", ["scripts/publish-frontend.sh", `127.0.0.1:5000/${n.prefix}/frontend:published`], { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, MIGETPACKS_PREBUILT: "1" } }).trim());
  const gzip = pushedBytes(FRONTEND_IMAGE);
  const go = pushedBytes(n.goFrontend);
  row("image.published.mb", "frontend image as published (scripts/publish-frontend.sh: zstd), registry bytes", published / 1e6, "MB", `${(go / 1e6).toFixed(1)} MB Go frontend image (docker push)`, "≤ 45");
  row("image.gzip.mb", "  the same image as docker push stores it (gzip), registry bytes", gzip / 1e6, "MB", "for builders older than BuildKit 0.10 (PUBLISH_COMPRESSION=gzip)");
  row("image.size.mb", "  uncompressed", inspect(FRONTEND_IMAGE).Size / 1e6, "MB", `${(inspect(n.goFrontend).Size / 1e6).toFixed(1)} MB Go frontend image`);
  const node = nodeBinarySize();
  row("image.node.gzip.mb", "  of which the node binary (the floor for a Node frontend image), gzip -6", node.gzip / 1e6, "MB", `${(node.size / 1e6).toFixed(1)} MB uncompressed`);
}

function nodeBinarySize() {
  const id = run("docker", ["create", FRONTEND_IMAGE]).trim();
  try {
    run("docker", ["cp", `${id}:/usr/local/bin/node`, path.join(tmp, "node")]);
  } finally {
    run("docker", ["rm", id]);
  }
  const gzip = Number(run("sh", ["-c", 'gzip -6 -c "$1" | wc -c', "sh", path.join(tmp, "node")]).trim());
  return { size: statSync(path.join(tmp, "node")).size, gzip };
}

/** Progress ids of the `[runtime]` steps that make a layer (not its FROM). */
function runtimeStepIds(log) {
  return [...new Set([...log.matchAll(/^#(\d+) \[runtime\] (.*)$/gm)].filter((m) => !m[2].startsWith("FROM ")).map((m) => m[1]))];
}

/** First build (fresh cache namespace: every step runs) vs a rebuild after a source-only change. */
function rebuild(name) {
  const dir = mkdtempSync(path.join(tmp, `${name}-`));
  cpSync(fixture(name), dir, { recursive: true });
  const plan = planOf(dir);
  const args = { CACHE_KEY: `${n.prefix}-${process.pid}-${Date.now()}` };
  const tag = `${n.prefix}/app:${name}`;
  note(`${name}: first build (fresh cache namespace), then a source-only change`);
  // --no-cache runs every step; the fresh CACHE_KEY gives empty cache mounts (no module or compiler cache).
  const first = build({ file: ours, context: dir, tag, args, extra: ["--no-cache"] });
  const src = SOURCE_FILE[name];
  // A change no earlier run made: identical content would come from the cache.
  const change = `bench: a source-only change ${process.pid}-${Date.now()}`;
  appendFileSync(path.join(dir, src), src.endsWith(".py") ? `\n# ${change}\n` : `\n// ${change}\n`);
  const second = build({ file: ours, context: dir, tag, args });
  const deps = dependencySteps(plan);
  const cached = deps.map((s) => stepCached(second.log, s));
  // Runtime layers the rebuild made anew: its runtime steps that did not come from the cache.
  // (Not layer digests: a builder holding several records of a step, after --no-cache builds,
  // may return any of them.)
  const runtimeSteps = runtimeStepIds(second.log);
  const newLayers = runtimeSteps.filter((id) => !new RegExp(`^#${id} CACHED$`, "m").test(second.log)).length;
  row(`rebuild.${name}.ratio`, `rebuild after a source-only change / first build (${name})`, second.ms / first.ms, "×", `rebuild ${(second.ms / 1000).toFixed(1)} s, first ${(first.ms / 1000).toFixed(1)} s`, "≤ 0.5");
  row(`rebuild.${name}.deps`, `  dependency steps CACHED on the rebuild (${deps.join("; ")})`, cached.filter(Boolean).length, `of ${deps.length}`, "", `${deps.length} of ${deps.length}`);
  row(`rebuild.${name}.layers`, "  runtime steps run anew after the change (a layer each)", newLayers, `of ${runtimeSteps.length}`, "", "only the app's");
}

/** Run steps before a stage's first copy of the whole context (`.`, no include filter): they must never re-run for a source change. */
function dependencySteps(plan) {
  const out = [];
  for (const stage of plan.stages) {
    for (const step of stage.steps) {
      if (step.kind === "copy" && step.from === "context" && step.paths.includes(".") && !step.include) break;
      if (step.kind === "run") out.push(`[${stage.name}] ${step.name}`);
    }
  }
  return out;
}

/** Bytes the app adds over its runtime base image: ours vs the hand-written Dockerfile (built-in frontend). */
function runtimeSize(name) {
  const app = fixture(name);
  const plan = planOf(app);
  writeFileSync(path.join(tmp, `Dockerfile.${name}`), handWritten(name, plan));
  build({ file: ours, context: app, tag: `${n.prefix}/size:${name}-ours` });
  build({ file: path.join(tmp, `Dockerfile.${name}`), context: app, tag: `${n.prefix}/size:${name}-hand` });
  const base = inspect(plan.runtime.image).Size;
  const oursAdded = inspect(`${n.prefix}/size:${name}-ours`).Size - base;
  const handAdded = inspect(`${n.prefix}/size:${name}-hand`).Size - base;
  row(`size.${name}.added`, `runtime image: bytes added over ${plan.runtime.image} (${name})`, oursAdded / 1e3, "kB", `${(handAdded / 1e3).toFixed(0)} kB hand-written multi-stage Dockerfile`, "≤ hand-written");
}

function memory() {
  const lines = globalThis.allFrontendLines ?? [];
  if (!lines.length) return row("rss.max.mb", "frontend peak RSS", NaN, "MB", "no log lines found", "≤ 80");
  row("rss.max.mb", "frontend peak RSS, largest over every build and fixture", Math.max(...lines.map((l) => l.rss)), "MB", `median ${median(lines.map((l) => l.rss))} MB`, "≤ 80");
}

function report() {
  const baseline = (() => {
    try {
      return JSON.parse(readFileSync(BASELINE, "utf8")).figures;
    } catch {
      return {};
    }
  })();
  const fmt = (v) => (Number.isNaN(v) ? "" : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
  // Lower is better for every figure but the count of cached dependency steps; > 25% worse is flagged.
  const vsBaseline = (r) => {
    const b = baseline[r.key];
    if (b === undefined || Number.isNaN(r.value)) return "";
    const worse = r.key.endsWith(".deps") ? r.value < b : r.value > b * 1.25 && r.value - b > 1;
    return `${fmt(b)}${worse ? " ← worse" : ""}`;
  };
  const cells = rows.map((r) => [r.figure, `${fmt(r.value)} ${Number.isNaN(r.value) ? "" : r.unit}`.trim(), r.reference, r.target, vsBaseline(r)]);
  const head = ["figure", "measured", "reference (same run)", "target", "baseline"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(" | ")} |`;
  console.log(`\nmachine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${machine()}; load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  console.log(line(head));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const c of cells) console.log(line(c));
  if (process.env.BENCH_WRITE_BASELINE) {
    const figures = Object.fromEntries(rows.filter((r) => !Number.isNaN(r.value)).map((r) => [r.key, Number(r.value.toFixed(3))]));
    const load = os.loadavg().map((l) => Number(l.toFixed(1)));
    writeFileSync(BASELINE, JSON.stringify({ machine: machine(), cores: os.cpus().length, load, date: new Date().toISOString().slice(0, 10), figures }, null, 2) + "\n");
    console.log(`\nbaseline written to ${path.relative(root, BASELINE)}`);
  }
}

function machine() {
  try {
    return `docker ${execFileSync("docker", ["version", "--format", "{{.Server.Version}}"], { encoding: "utf8" }).trim()}, node ${process.version}`;
  } catch {
    return `node ${process.version}`;
  }
}

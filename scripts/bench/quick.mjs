// Quick A/B while working on the frontend: cached rebuilds of go-hello through
// our frontend and BuildKit's Go frontend image, alternating; medians and phases.
// `npm run bench:quick -- [rounds]` (FRONTEND_IMAGE picks the tag; QUICK_NO_SETUP=1 skips rebuilding the images)
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, median, run } from "./docker.mjs";
import { buildImages, names } from "./setup.mjs";
import { handWritten } from "./dockerfiles.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const image = process.env.FRONTEND_IMAGE || "miget/migetpacks-frontend:dev";
const rounds = Number(process.argv[2] ?? 11);
const n = names(image);
if (process.env.QUICK_NO_SETUP !== "1") buildImages(root, image, n);
const tmp = mkdtempSync(path.join(os.tmpdir(), "quick-"));
const app = path.join(root, "fixtures/go-hello");
const plan = JSON.parse(run("node", [path.join(root, "dist/cli.cjs"), "plan", app, "--json"]));
const df = handWritten("go-hello", plan);
writeFileSync(path.join(tmp, "stub"), `# syntax=${n.tagged}\n`);
writeFileSync(path.join(tmp, "Dockerfile.go"), `# syntax=${n.goFrontend}\n${df}`);
const paths = {
  ours: { file: path.join(tmp, "stub"), tag: `${n.prefix}/app:ours`, logTag: n.logTag },
  go: { file: path.join(tmp, "Dockerfile.go"), tag: `${n.prefix}/app:go-frontend` },
};
for (let i = 0; i < 2; i++) for (const p of Object.values(paths)) build({ ...p, context: app });
const ms = { ours: [], go: [] };
const phases = [];
for (let i = 0; i < rounds; i++)
  for (const [k, p] of Object.entries(paths)) {
    const r = build({ ...p, context: app });
    ms[k].push(r.ms);
    if (k === "ours") phases.push(...r.frontend);
  }
const m = { ours: median(ms.ours), go: median(ms.go) };
console.log(`ours ${m.ours.toFixed(0)} ms, go ${m.go.toFixed(0)} ms, ratio ${(m.ours / m.go).toFixed(3)}`);
const keys = Object.keys(phases[0] ?? {}).filter((k) => k !== "line" && k !== "rss");
console.log(keys.map((k) => `${k} ${median(phases.map((p) => p[k])).toFixed(0)}`).join(", "));

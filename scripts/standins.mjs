// `npm run standins -- [--dhi] DIR...`: makes every base image the plans for
// these apps reference available offline (see scripts/ensure-image.sh).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const argv = process.argv.slice(2);
const dhi = argv.includes("--dhi");
const dirs = argv.filter((a) => a !== "--dhi");
if (!dirs.length) {
  console.error("usage: npm run standins -- [--dhi] DIR...");
  process.exit(1);
}
const images = new Set();
for (const dir of dirs) {
  const args = ["dist/cli.cjs", "plan", path.resolve(dir), "--json"];
  if (dhi) args.push("--build-arg", "USE_DHI=true");
  const plan = JSON.parse(execFileSync("node", args, { cwd: root, encoding: "utf8" }));
  for (const s of plan.stages) if (s.image) images.add(s.image); // a stage `from` another stage has no image of its own
  images.add(plan.runtime.image);
}
execFileSync("bash", [path.join(root, "scripts/ensure-image.sh"), ...images], { stdio: "inherit" });
console.error(`ready: ${[...images].join(" ")}`);

// Shared by scripts/update-{bun,deno}-versions.mjs: the stable versions an npm
// package republishes (one per runtime release), written as a dated table to
// src/providers/<name>/versions.json. Builds never use the network: versions
// resolve against these tables.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const cmp = (a, b) => {
  const pa = a.split(".").map(Number), pb = b.split(".").map(Number);
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
};

/** pkg: npm package; name: data file name; minMajor: oldest major line to keep (drops placeholder 0.x releases). */
export function writeReleaseTable(pkg, name, minMajor) {
  const time = JSON.parse(execFileSync("npm", ["view", pkg, "time", "--json"], { encoding: "utf8" }));
  const versions = Object.keys(time)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && Number(v.split(".")[0]) >= minMajor)
    .sort(cmp);
  const out = { updated: new Date().toISOString().slice(0, 10), source: `npm registry, package "${pkg}"`, versions };
  writeFileSync(new URL(`../src/providers/${name}/versions.json`, import.meta.url), JSON.stringify(out, null, 1) + "\n");
  console.error(`${name}.json: ${versions.length} versions, newest ${versions.at(-1)}`);
}

// Refreshes the bundled table of released Node.js versions (no network is
// used at build time; versions resolve against this dated table). Source: the
// `node` package on the npm registry, which republishes every Node.js release.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const time = JSON.parse(execFileSync("npm", ["view", "node", "time", "--json"], { encoding: "utf8" }));
const versions = Object.keys(time)
  .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && Number(v.split(".")[0]) >= 14)
  .sort((a, b) => {
    const pa = a.split(".").map(Number), pb = b.split(".").map(Number);
    return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
  });
const out = { updated: new Date().toISOString().slice(0, 10), versions };
writeFileSync(new URL("../src/providers/nodejs/versions.json", import.meta.url), JSON.stringify(out, null, 1) + "\n");
console.error(`node.json: ${versions.length} versions, newest ${versions.at(-1)}`);

// Refreshes the bundled table of CPython releases (src/providers/python/versions.json).
// Source: pyenv's python-build definitions (`pyenv install --list`), which name
// every CPython release (final releases only are kept; no pre-releases, no
// free-threaded `t` builds, no other implementations). Builds never use the
// network: versions resolve against this table. Lines older than 3.8 are left out
// (no maintained official images).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const list = execFileSync("pyenv", ["install", "--list"], { encoding: "utf8" });
const pyenvVersion = execFileSync("pyenv", ["--version"], { encoding: "utf8" }).trim();
const cmp = (a, b) => {
  const pa = a.split(".").map(Number), pb = b.split(".").map(Number);
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
};
const versions = list
  .split("\n")
  .map((l) => l.trim())
  .filter((v) => /^3\.\d+\.\d+$/.test(v) && Number(v.split(".")[1]) >= 8)
  .sort(cmp);
const updated = process.argv[2] ?? new Date().toISOString().slice(0, 10);
const out = { updated, source: `${pyenvVersion}, python-build definitions`, versions };
writeFileSync(new URL("../src/providers/python/versions.json", import.meta.url), JSON.stringify(out, null, 1) + "\n");
console.error(`python versions.json: ${versions.length} versions, newest ${versions.at(-1)}`);

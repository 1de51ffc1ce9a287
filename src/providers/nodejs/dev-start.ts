// A start script that runs a development tool (`nest start`, `ts-node src/main.ts`,
// `nodemon`): the tool is a devDependency, and pruning dev dependencies would
// leave an image that cannot start. NestJS apps ship `start:prod` for exactly
// this; otherwise dev dependencies are kept, with a warning.
import type { PackageJson } from "./package-json.js";

/** CLI name → the package that provides it, where the two differ. */
const BIN_PACKAGES: Record<string, string> = {
  nest: "@nestjs/cli",
  "babel-node": "@babel/node",
  ng: "@angular/cli",
  "remix-serve": "@remix-run/serve",
  "react-router-serve": "@react-router/serve",
};

/** Wrappers that only set env or run other scripts; the tool is the word after them. */
const WRAPPERS = new Set(["cross-env", "env-cmd", "dotenv"]);

export interface DevStart {
  bin: string;
  pkg: string;
}

/** The dev-dependency tool the start script runs, if any. */
export function devToolOfStart(pkg: PackageJson): DevStart | undefined {
  const start = pkg.scripts?.start;
  if (!start) return undefined;
  const words = start.trim().split(/\s+/);
  let i = 0;
  while (i < words.length && (WRAPPERS.has(words[i]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || words[i]!.startsWith("-"))) i++;
  const bin = words[i];
  if (!bin || bin === "node") return undefined;
  const name = BIN_PACKAGES[bin] ?? bin;
  const isDev = pkg.devDependencies?.[name] !== undefined && pkg.dependencies?.[name] === undefined;
  return isDev ? { bin, pkg: name } : undefined;
}

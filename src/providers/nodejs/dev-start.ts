// A start script that runs a development tool (`nest start`, `ts-node src/main.ts`,
// `nodemon`, `node --import tsx src/index.ts`, `npm run dev` whose script does):
// the tool is a devDependency, and pruning dev dependencies would leave an image
// that cannot start. NestJS apps ship `start:prod` for exactly this; otherwise
// dev dependencies are kept, with a warning.
import type { PackageJson } from "./package-json.js";

/** CLI name → the package that provides it, where the two differ. */
const BIN_PACKAGES: Record<string, string> = {
  nest: "@nestjs/cli",
  "babel-node": "@babel/node",
  ng: "@angular/cli",
  "remix-serve": "@remix-run/serve",
  "react-router-serve": "@react-router/serve",
  tsc: "typescript",
};

/** Wrappers that only set env or run other scripts; the tool is the word after them. */
const WRAPPERS = new Set(["cross-env", "env-cmd", "dotenv"]);

/** node's flags that load a module before the app: a TypeScript loader (tsx, ts-node/register) is a tool like any other. */
const NODE_LOADER_FLAGS = new Set(["--import", "--loader", "--experimental-loader", "-r", "--require"]);

/** A package manager running one of the app's scripts (`npm run x`, `yarn x`, `pnpm x`). */
const RUN_SCRIPT = /^(npm|pnpm|yarn)\s+(run(?:-script)?\s+)?([\w:.@/-]+)(?:\s|$)/;

const NPM_SCRIPT_COMMANDS = new Set(["start", "test", "stop", "restart"]);

export interface DevStart {
  bin: string;
  pkg: string;
}

/** The dev-dependency tool the start script runs, if any. */
export function devToolOfStart(pkg: PackageJson): DevStart | undefined {
  return devToolOf(pkg, pkg.scripts?.start);
}

/** The dev-dependency tool a command runs (each part of `a && b`; scripts it runs are followed, three deep). */
export function devToolOf(pkg: PackageJson, command: string | undefined, depth = 0): DevStart | undefined {
  if (!command) return undefined;
  for (const part of command.split(/&&|\|\||;/)) {
    const hit = devToolOfOne(pkg, part, depth);
    if (hit) return hit;
  }
  return undefined;
}

function devToolOfOne(pkg: PackageJson, command: string, depth: number): DevStart | undefined {
  const words = command.trim().split(/\s+/).filter(Boolean);
  let i = 0;
  while (i < words.length && (WRAPPERS.has(words[i]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || words[i]!.startsWith("-"))) i++;
  const bin = words[i];
  if (!bin) return undefined;
  if (bin === "node") return nodeLoader(pkg, words.slice(i + 1));
  const run = RUN_SCRIPT.exec(words.slice(i).join(" "));
  // `npm x` runs npm's own command x (a script only for start, test, stop, restart); pnpm and yarn run the script.
  if (run && (run[2] || run[1] !== "npm" || NPM_SCRIPT_COMMANDS.has(run[3]!))) {
    const script = pkg.scripts?.[run[3]!];
    if (script !== undefined) return depth < 3 ? devToolOf(pkg, script, depth + 1) : undefined;
  }
  const name = BIN_PACKAGES[bin] ?? bin;
  return isDev(pkg, name) ? { bin, pkg: name } : undefined;
}

/** `node --import tsx src/index.ts`, `node -r ts-node/register x.ts`: the loader's package. */
function nodeLoader(pkg: PackageJson, args: string[]): DevStart | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf("=");
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (!NODE_LOADER_FLAGS.has(flag)) continue;
    const spec = eq > 0 ? a.slice(eq + 1) : args[++i];
    const name = spec ? packageOf(spec) : undefined;
    if (name && isDev(pkg, name)) return { bin: name, pkg: name };
  }
  return undefined;
}

/** `ts-node/register` → `ts-node`, `@swc-node/register/esm` → `@swc-node/register`; paths and URLs are no package. */
function packageOf(spec: string): string | undefined {
  const s = spec.replace(/^['"]|['"]$/g, "");
  if (!s || /^[./]|^[a-z]+:/i.test(s)) return undefined;
  const parts = s.split("/");
  return s.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function isDev(pkg: PackageJson, name: string): boolean {
  return pkg.devDependencies?.[name] !== undefined && pkg.dependencies?.[name] === undefined;
}

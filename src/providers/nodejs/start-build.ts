// A start script that compiles before it serves: fastify-cli's TypeScript
// template (`npm run build:ts && fastify start -l info dist/app.js`),
// `npm run build && node dist/index.js`, `tsc && node dist/index.js`. The
// compiler is a devDependency, pruned from the image, so the script as written
// fails at boot (`tsc: not found`) — and would recompile on every start. The
// compile steps are the app's build: they run in the build stage, and the image
// starts with what follows them.
import type { PackageJson } from "./package-json.js";
import { pmCommands, type PackageManager } from "./package-manager.js";

export interface StartBuild {
  /** The compile steps as the build runs them (`npm run build:ts`, `npm exec -- tsc`), with the script each runs, if one. */
  steps: { command: string; script?: string }[];
  /** What the start script runs after compiling: the image's start command. */
  serve: string;
  /** The compile steps as the start script writes them, for the message. */
  written: string;
}

/** Script names that build (`build`, `build:ts`, `compile`, `tsc`). */
const BUILD_SCRIPT = /^(?:build|compile|transpile|tsc)(?:$|[:_.-])/;
/** Commands that compile or bundle: a compiler's CLI, or a framework's `build` subcommand. */
const COMPILER = /^(?:tsc|tsc-alias|tsup|babel|swc|esbuild|rollup|webpack|ncc|copyfiles|(?:nest|vite|next|nuxt|nuxi|astro|remix|react-router|svelte-kit|ng|vinxi|medusa|strapi)\s+build)(?:\s|$)/;
/** A package manager running a script: npm needs `run` (`npm x` is npm's own command). */
const RUN_SCRIPT = /^(?:npm\s+run(?:-script)?|(?:pnpm|yarn)(?:\s+run)?)\s+([\w:.@/-]+)$/;
/** Anything but plain words: the compile steps must be simple commands to move them into the build. */
const SHELL_SYNTAX = /[;|&<>()$`'"\\*?{}\n]/;

export function startBuild(pkg: PackageJson, pm: PackageManager): StartBuild | undefined {
  const scripts = pkg.scripts ?? {};
  const start = scripts.start;
  // A prestart hook runs before the start script: starting without npm would skip it.
  if (!start || scripts.prestart !== undefined) return undefined;
  const parts = start.split("&&").map((p) => p.trim());
  const cmds = pmCommands(pm);
  const steps: StartBuild["steps"] = [];
  let n = 0;
  for (; n < parts.length - 1; n++) {
    const part = parts[n]!;
    if (!part || SHELL_SYNTAX.test(part)) break;
    const run = RUN_SCRIPT.exec(part);
    const name = run?.[1];
    const body = name === undefined ? undefined : scripts[name];
    if (name !== undefined && body !== undefined && name !== "start" && (BUILD_SCRIPT.test(name) || COMPILER.test(body.trim()))) {
      steps.push({ command: cmds.run(name), script: name });
    } else if (!run && COMPILER.test(part)) {
      // `next build && next start` beside "build": "next build" is the build script, written out.
      const same = ["heroku-postbuild", "build"].find((s) => scripts[s]?.trim() === part);
      steps.push({ command: same ? cmds.run(same) : cmds.exec(part), script: same });
    } else break;
  }
  const serve = parts.slice(n).join(" && ");
  if (!steps.length || !serve) return undefined;
  return { steps, serve, written: parts.slice(0, n).join(" && ") };
}

/** The build with the start script's compile steps after it (the build script itself is not run twice). */
export function withStartBuild(build: string | undefined, buildScript: string | undefined, sb: StartBuild | undefined): string | undefined {
  if (!sb) return build;
  const steps = sb.steps.filter((s) => s.script === undefined || s.script !== buildScript).map((s) => s.command);
  return [build, ...steps].filter(Boolean).join(" && ") || undefined;
}

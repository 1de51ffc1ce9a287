// The app's package manager at run time. pnpm and Yarn apps start through
// their own package manager (`pnpm start` sets pnpm's user agent, runs pre/post
// hooks the way the app's authors do), and start scripts that call `pnpm` or
// `yarn` keep working. Node images carry only npm (and corepack, which would
// download at run time), so the build stage installs the exact version the
// build used into a prefix of its own, and the runtime copies that prefix.
import type { PackageManager } from "./package-manager.js";
import type { RunStep } from "../../kit/schema.js";

export const RUNTIME_PM_PREFIX = "/opt/migetpacks/pm";
/** The node images' PATH with the package manager's bin first. */
export const RUNTIME_PM_PATH = `${RUNTIME_PM_PREFIX}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;

/** The words a command uses to call each package manager. */
const CALLS: Record<string, RegExp> = {
  pnpm: /(^|[\s;&|(])(pnpm|pnpx)(\s|$)/,
  yarn: /(^|[\s;&|(])(yarn|yarnpkg)(\s|$)/,
};

export interface RuntimePm {
  /** Build-stage step that puts the package manager under RUNTIME_PM_PREFIX (absent for a committed Yarn release). */
  install?: RunStep;
  /** A launcher written into the runtime (Yarn's committed release needs no download). */
  launcher?: { path: string; mode: number; content: string };
}

/** `pnpm@9.15.9+sha512.…` → `9.15.9`. */
function specVersion(spec: string | undefined): string | undefined {
  return spec?.match(/@(\d+\.\d+\.\d+[^+]*)/)?.[1];
}

/** Whether the commands the image runs (web, release, workers, and the scripts they reach) call this package manager. */
export function callsPackageManager(pm: PackageManager, commands: string[], scripts: Record<string, string>): boolean {
  const re = CALLS[pm.id === "yarn-berry" ? "yarn" : pm.id];
  if (!re) return false;
  const hooks = ["prestart", "start", "poststart", "start:prod"].map((s) => scripts[s] ?? "");
  return [...commands, ...hooks].some((c) => re.test(c));
}

const BUN_CALL = /(^|[\s;&|(])(bun|bunx)(\s|$)/;

/** Whether any of these scripts or commands runs Bun (a Node.js app whose scripts call `bun`). */
export function callsBun(commands: string[]): boolean {
  return commands.some((c) => BUN_CALL.test(c));
}

/** Bun from its npm package (the platform binary comes as an optional dependency), into the same prefix. */
export function bunTool(version: string): RunStep {
  return {
    kind: "run",
    name: `install bun@${version} (the app's scripts call bun)`,
    shell: `npm install --global --prefix ${RUNTIME_PM_PREFIX} --no-audit --no-fund bun@${version}`,
    caches: ["npm"],
    env: [],
  };
}

/** How the runtime gets the app's package manager; undefined for npm (in every Node image) and Plug'n'Play (started without Yarn). */
export function runtimePm(pm: PackageManager, yarnPath: string | undefined, appRoot = "/app"): RuntimePm | undefined {
  if (pm.id === "npm" || (pm.id === "yarn-berry" && pm.linker === "pnp")) return undefined;
  if (pm.id === "yarn-berry" && yarnPath) {
    // Every Yarn defers to the committed release; run it directly, no download at all.
    return { launcher: { path: `${RUNTIME_PM_PREFIX}/bin/yarn`, mode: 0o755, content: `#!/bin/sh\nexec node "${appRoot}/${yarnPath}" "$@"\n` } };
  }
  const version = specVersion(pm.corepack);
  if (!version) return undefined;
  const pkg = pm.id === "pnpm" ? `pnpm@${version}` : pm.id === "yarn" ? `yarn@${version}` : `@yarnpkg/cli-dist@${version}`;
  return {
    install: {
      kind: "run",
      name: `install ${pkg} for the runtime`,
      // Its own prefix, so the runtime copies exactly this package manager and nothing else of the builder.
      shell: `npm install --global --prefix ${RUNTIME_PM_PREFIX} --no-audit --no-fund ${pkg}`,
      caches: ["npm"],
      env: [],
    },
  };
}

/** First words that are on the image's PATH already (or shell syntax), not a dependency's CLI. */
const ON_PATH = new Set(["node", "npm", "npx", "corepack", "pnpm", "pnpx", "yarn", "yarnpkg", "bun", "bunx", "sh", "bash", "exec", "env", "cd", "echo", "true", "test", "[", "set", "export", "if", "then", "else", "fi", "for", "do", "done", "while", "sleep", "cat", "cp", "mv", "mkdir", "rm", "ls"]);

/**
 * Whether a command the image runs calls a dependency's CLI by its bare name (`pm2-runtime start`,
 * `prisma migrate deploy && node x.js`, `next start`): package-manager scripts find those in
 * node_modules/.bin, a Procfile or RUN_COMMAND only through PATH.
 */
export function callsDependencyBin(commands: string[]): boolean {
  return commands.some((c) =>
    c.split(/&&|\|\||[;|]/).some((part) => {
      const first = part.trim().replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:exec\s+)?/, "").split(/\s+/)[0] ?? "";
      return /^[A-Za-z0-9@][\w.@-]*$/.test(first) && !ON_PATH.has(first);
    }),
  );
}

/** node_modules/.bin of the app (a workspace member's own first, then the root's), appended to PATH as Heroku does. */
export function dependencyBinPath(memberDir: string | undefined): string {
  return [...(memberDir ? [`/app/${memberDir}/node_modules/.bin`] : []), "/app/node_modules/.bin"].join(":");
}

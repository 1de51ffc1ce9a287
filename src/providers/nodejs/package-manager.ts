// Which package manager an app uses, and how each installs, builds and prunes.
import type { PackageJson } from "./package-json.js";

export type PackageManagerId = "npm" | "pnpm" | "yarn" | "yarn-berry";

export interface PackageManager {
  id: PackageManagerId;
  /** Lockfile present in the app, if any. */
  lockfile?: string;
  /** Version pinned by package.json `packageManager` (corepack), if any. */
  pinned?: string;
}

export const LOCKFILES: Record<string, PackageManagerId> = {
  "pnpm-lock.yaml": "pnpm",
  "yarn.lock": "yarn",
  "package-lock.json": "npm",
  "npm-shrinkwrap.json": "npm",
};

/** Lockfile beats the `packageManager` field; pnpm > yarn > npm when several lockfiles exist. */
export function detectPackageManager(lockfiles: string[], pkg: PackageJson, yarnBerry: boolean): PackageManager {
  const pinnedField = pkg.packageManager?.trim();
  const [pinnedName, pinnedVersion] = pinnedField ? pinnedField.split("@") : [];
  const lockfile = Object.keys(LOCKFILES).find((l) => lockfiles.includes(l));
  let id: PackageManagerId = lockfile ? LOCKFILES[lockfile]! : pinnedName === "pnpm" || pinnedName === "yarn" ? pinnedName : "npm";
  if (id === "yarn" && (yarnBerry || (pinnedName === "yarn" && !pinnedVersion?.startsWith("1.")))) id = "yarn-berry";
  const pinned = pinnedName && (pinnedName === id || (pinnedName === "yarn" && id === "yarn-berry")) ? pinnedField : undefined;
  return { id, lockfile, pinned };
}

export interface PmCommands {
  /** Files that must be present before install (manifest + lockfile + config). */
  install: string;
  run: (script: string) => string;
  prune?: string;
  cache: { name: string; target: string };
}

export function pmCommands(pm: PackageManager): PmCommands {
  const corepack = pm.id === "npm" ? "" : "corepack enable && ";
  switch (pm.id) {
    case "npm":
      return {
        install: pm.lockfile ? "npm ci --include=dev" : "npm install --include=dev",
        run: (s) => `npm run ${s}`,
        prune: "npm prune --omit=dev",
        cache: { name: "npm", target: "/root/.npm" },
      };
    case "pnpm":
      return {
        install: `${corepack}pnpm install ${pm.lockfile ? "--frozen-lockfile " : ""}--prod=false`,
        run: (s) => `pnpm run ${s}`,
        prune: "pnpm prune --prod",
        cache: { name: "pnpm", target: "/root/.local/share/pnpm/store" },
      };
    case "yarn":
      return {
        install: `${corepack}yarn install ${pm.lockfile ? "--frozen-lockfile " : ""}--production=false`,
        run: (s) => `yarn run ${s}`,
        prune: "yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline",
        cache: { name: "yarn", target: "/usr/local/share/.cache/yarn" },
      };
    case "yarn-berry":
      return {
        install: `${corepack}yarn install ${pm.lockfile ? "--immutable" : ""}`.trim(),
        run: (s) => `yarn run ${s}`,
        cache: { name: "yarn-berry", target: "/root/.yarn/berry/cache" },
      };
  }
}

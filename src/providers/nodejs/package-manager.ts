// Which package manager an app uses (lockfile, package.json `packageManager`,
// Yarn's lockfile format and .yarnrc.yml), which version corepack prepares, and
// how each one installs, runs scripts and drops dev dependencies.
import semver from "semver";
import { UserError } from "../../context/fs.js";
import type { PackageJson } from "./package-json.js";
import type { YarnLinker, YarnRc } from "./config-files.js";
import type { ToolVersion } from "../../manifest/tool-versions.js";

export type PackageManagerId = "npm" | "pnpm" | "yarn" | "yarn-berry";
export type { YarnLinker };

/** Lockfiles in priority order (the original's: pnpm > yarn > npm). */
export const LOCKFILES: Record<string, PackageManagerId> = {
  "pnpm-lock.yaml": "pnpm",
  "yarn.lock": "yarn",
  "package-lock.json": "npm",
  "npm-shrinkwrap.json": "npm",
};

/**
 * Versions corepack prepares when package.json pins none: fixed here (never
 * "latest") so a build is reproducible. Chosen from the lockfile's format where
 * it tells the generation, so `--frozen-lockfile` / `--immutable` accept it.
 */
export const DEFAULT_PM_VERSIONS = {
  /** pnpm 9 reads the v9 lockfile (also written by pnpm 10+) and still runs dependencies' build scripts, as older apps expect. */
  pnpm: "9.15.9",
  yarn: "1.22.22",
  "yarn-berry": "4.18.1",
} as const;

/** The newest release of each pnpm major line (npm registry, 2026-11): what `engines.pnpm` resolves against, offline. */
export const PNPM_RELEASES = ["6.35.1", "7.33.7", "8.15.9", "9.15.9", "10.34.9", "11.28.11"];

/**
 * A pnpm version request (package.json `engines.pnpm`, mise `pnpm = "10"`) → an exact version as given,
 * else the newest known release the range accepts; a range none satisfies is the user's to fix.
 */
export function pnpmRelease(range: string | undefined, source: { name: string; file: string }): string | undefined {
  const r = range?.trim();
  if (!r) return undefined;
  if (semver.valid(r)) return r;
  const valid = semver.validRange(r);
  const hit = valid ? semver.maxSatisfying(PNPM_RELEASES, valid) : null;
  if (hit) return hit;
  throw new UserError(
    `${source.name} "${r}" matches no pnpm release migetpacks knows (${PNPM_RELEASES.join(", ")}); use a range such as ">=9" or "^10", or pin one with "packageManager": "pnpm@10.4.1".`,
    source.file,
  );
}

/** pnpm-lock.yaml `lockfileVersion` → the newest pnpm that writes it. */
const PNPM_BY_LOCKFILE: [RegExp, string][] = [
  [/^9\./, "9.15.9"],
  [/^6\./, "8.15.9"],
  [/^5\.4/, "7.33.7"],
  [/^5\.3/, "6.35.1"],
];

/** Yarn Berry yarn.lock `__metadata.version` → the newest Yarn that keeps it (a newer one rewrites it and fails --immutable). */
function berryForLockfile(metadataVersion: number | undefined): string {
  if (metadataVersion === undefined || metadataVersion >= 10) return DEFAULT_PM_VERSIONS["yarn-berry"];
  if (metadataVersion === 9) return "4.14.1";
  if (metadataVersion === 8) return "4.13.0";
  if (metadataVersion >= 5) return "3.8.7";
  return "2.4.2";
}

/** Corepack releases older than this cannot verify packages signed with the registry's current keys. */
export const COREPACK_MIN = "0.31.0";
/** Installed from npm when the image has no corepack (Node.js 25+) or one older than COREPACK_MIN. */
export const COREPACK_VERSION = "0.34.7";

export interface PackageManagerInputs {
  /** Lockfiles present in the app. */
  lockfiles: string[];
  pkg: PackageJson;
  /** yarn.lock text, when present. */
  yarnLock?: string;
  /** pnpm-lock.yaml text, when present. */
  pnpmLock?: string;
  /** .yarnrc.yml settings, when present. */
  yarnrc?: YarnRc;
  /** pnpm / Yarn pinned in mise.toml or .tool-versions. */
  mise?: { pnpm?: ToolVersion; yarn?: ToolVersion };
  /** Only pnpm reads this project's files (pnpm-workspace.yaml, package.yaml / package.json5). */
  pnpmProject?: boolean;
}

export interface PackageManager {
  id: PackageManagerId;
  /** Lockfile the install uses, if any. */
  lockfile?: string;
  /** `name@version` corepack prepares; undefined for npm without a pin (the image's npm). */
  corepack?: string;
  /** Whether package.json `packageManager` chose the version. */
  pinned: boolean;
  /** Major version (Yarn Berry features depend on it). */
  major?: number;
  /** Yarn Berry's committed release (.yarnrc.yml `yarnPath`), run instead of a corepack download. */
  release?: string;
  /** Yarn Berry's linker (.yarnrc.yml `nodeLinker`, default pnp). */
  linker?: YarnLinker;
  /** Yarn Berry can drop dev dependencies (`yarn workspaces focus --production`: built into Yarn 4, a plugin before). */
  canFocus?: boolean;
  warnings: string[];
}

const PM_FIELD = /^(npm|pnpm|yarn|bun)@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(\+[A-Za-z0-9]+\.[0-9a-fA-F]+)?$/;

/** package.json `packageManager` (corepack's `name@x.y.z[+hash]`); a malformed value is the user's to fix. */
export function parsePackageManagerField(raw: string | undefined): { name: string; version: string; spec: string } | undefined {
  const v = raw?.trim();
  if (!v) return undefined;
  const m = PM_FIELD.exec(v);
  if (!m) {
    throw new UserError(
      `package.json "packageManager": ${JSON.stringify(v)} is not a package manager and exact version; write it as corepack expects, e.g. "pnpm@9.15.9" or "yarn@4.5.3".`,
      "package.json",
    );
  }
  return { name: m[1]!, version: m[2]!, spec: v };
}

/** `lockfileVersion` of pnpm-lock.yaml. */
export function pnpmLockfileVersion(text: string | undefined): string | undefined {
  return text?.match(/^lockfileVersion:\s*['"]?([\d.]+)/m)?.[1];
}

/** Yarn Berry lockfiles start with `__metadata:`; classic ones say `# yarn lockfile v1`. */
export function yarnLockFlavour(text: string | undefined): { berry: boolean; metadataVersion?: number } | undefined {
  if (!text?.trim()) return undefined;
  const meta = /^__metadata:\s*\n\s+version:\s*(\d+)/m.exec(text);
  if (meta) return { berry: true, metadataVersion: Number(meta[1]) };
  if (/^# yarn lockfile v1/m.test(text)) return { berry: false };
  return undefined;
}

const major = (version: string) => Number(version.split(".")[0]);

/** A mise-pinned Yarn: only an exact release of the right generation (a bare "4" is left to the lockfile's choice). */
function exactYarn(v: string | undefined, minMajor: number): string | undefined {
  return v && semver.valid(v) && major(v) >= minMajor && (minMajor > 1 || major(v) === 1) ? v : undefined;
}

/**
 * The lockfile decides the package manager (pnpm > yarn > npm when several
 * exist, with a warning); without one, package.json `packageManager`; else npm.
 * A pinned version is honoured when it names the same tool.
 */
export function detectPackageManager(input: PackageManagerInputs): PackageManager {
  const { lockfiles, pkg, yarnrc } = input;
  const warnings: string[] = [];
  const lockfile = Object.keys(LOCKFILES).find((l) => lockfiles.includes(l));
  let field: ReturnType<typeof parsePackageManagerField>;
  try {
    field = parsePackageManagerField(pkg.packageManager);
  } catch (e) {
    // Corepack reads the field whenever it runs pnpm or Yarn and would fail on it too; npm never reads it.
    if (!(lockfile && LOCKFILES[lockfile] === "npm")) throw e;
    warnings.push(`${(e as Error).message.replace(/; write it as.*$/, "")}; ignored, since npm installs from ${lockfile}.`);
  }

  const distinct = [...new Set(lockfiles.filter((l) => LOCKFILES[l]).map((l) => LOCKFILES[l]))];
  if (distinct.length > 1) {
    warnings.push(
      `Multiple lockfiles detected (${lockfiles.filter((l) => LOCKFILES[l]).join(", ")}); installing with ${LOCKFILES[lockfile!]} from ${lockfile}. Delete the lockfiles of the package managers you do not use.`,
    );
  }

  let base: "npm" | "pnpm" | "yarn";
  if (lockfile) base = LOCKFILES[lockfile] === "pnpm" ? "pnpm" : LOCKFILES[lockfile] === "yarn" ? "yarn" : "npm";
  else if (field?.name === "pnpm" || field?.name === "yarn" || field?.name === "npm") base = field.name;
  // No lockfile and no pin: a project that asks for pnpm (engines, pnpm-workspace.yaml, a pnpm-only manifest) or Yarn is not an npm project.
  else if (pkg.engines?.pnpm || input.pnpmProject || input.mise?.pnpm) base = "pnpm";
  else if (pkg.engines?.yarn || input.mise?.yarn) base = "yarn";
  else base = "npm";

  if (field?.name === "bun") {
    warnings.push(`package.json "packageManager" names bun, but there is no bun.lock; building as Node.js with ${base}. Set LANGUAGE=bun to build with Bun.`);
  } else if (field && field.name !== base) {
    warnings.push(
      `package.json "packageManager" names ${field.name}, but the lockfile is ${lockfile}; installing with ${base} (the lockfile decides). Remove the stale lockfile or the "packageManager" field.`,
    );
  }
  const pin = field && field.name === base ? field : undefined;

  switch (base) {
    case "npm":
      return { id: "npm", lockfile, corepack: pin?.spec, pinned: !!pin, major: pin ? major(pin.version) : undefined, warnings };
    case "pnpm": {
      const lockVersion = pnpmLockfileVersion(input.pnpmLock);
      const version =
        pin?.version ??
        pnpmRelease(input.mise?.pnpm?.version, { name: `${input.mise?.pnpm?.file} pnpm`, file: input.mise?.pnpm?.file ?? "" }) ??
        pnpmRelease(pkg.engines?.pnpm, { name: "package.json engines.pnpm", file: "package.json" }) ?? PNPM_BY_LOCKFILE.find(([re]) => lockVersion && re.test(lockVersion))?.[1] ?? DEFAULT_PM_VERSIONS.pnpm;
      return { id: "pnpm", lockfile, corepack: pin?.spec ?? `pnpm@${version}`, pinned: !!pin, major: major(version), warnings };
    }
    case "yarn": {
      const flavour = lockfile === "yarn.lock" ? yarnLockFlavour(input.yarnLock) : undefined;
      const yarnPathVersion = yarnrc?.yarnPath?.match(/yarn-(\d+\.\d+\.\d+)\.c?js$/)?.[1];
      const miseYarn = input.mise?.yarn?.version;
      const berry = pin ? major(pin.version) >= 2 : flavour ? flavour.berry : yarnrc !== undefined || (miseYarn !== undefined && Number.parseInt(miseYarn, 10) >= 2);
      if (!berry) {
        const version = pin?.version ?? exactYarn(input.mise?.yarn?.version, 1) ?? DEFAULT_PM_VERSIONS.yarn;
        return { id: "yarn", lockfile, corepack: pin?.spec ?? `yarn@${version}`, pinned: !!pin, major: 1, warnings };
      }
      // With `yarnPath`, any Yarn defers to the committed release; its version decides the features.
      const version = pin?.version ?? yarnPathVersion ?? exactYarn(input.mise?.yarn?.version, 2) ?? berryForLockfile(flavour?.metadataVersion);
      const m = major(version);
      const linker = yarnrc?.nodeLinker ?? "pnp";
      const canFocus = m >= 4 || !!yarnrc?.hasWorkspaceToolsPlugin;
      if (!canFocus) {
        warnings.push(
          `Yarn ${version} drops dev dependencies only with the workspace-tools plugin, which this app does not have; dev dependencies stay in the image. Upgrade to Yarn 4 (corepack use yarn@4) or run "yarn plugin import workspace-tools" and commit .yarn/plugins.`,
        );
      }
      // A committed release runs as it is: corepack would fetch the same version from the registry,
      // which does not carry every Yarn 2 release.
      const release = yarnrc?.yarnPath?.replace(/^\.\//, "");
      return { id: "yarn-berry", lockfile, corepack: release ? undefined : (pin?.spec ?? `yarn@${version}`), release, pinned: !!pin, major: m, linker, canFocus, warnings };
    }
  }
}

/** The command users type for this package manager. */
export function pmBin(pm: PackageManager): "npm" | "pnpm" | "yarn" {
  return pm.id === "yarn-berry" ? "yarn" : pm.id;
}

export interface PmCommands {
  /** Installs every dependency, dev ones included (the build needs them). */
  install: string;
  run: (script: string) => string;
  /** Runs a dependency's CLI (node_modules/.bin, or Plug'n'Play) in the build stage. */
  exec: (command: string) => string;
  /** Drops dev dependencies after the build, if this package manager can. */
  prune?: string;
  cache: { name: string; target: string; sharing: "shared" | "locked" };
  /** Build-stage environment this package manager needs. */
  env: [string, string][];
}

/**
 * `npm ci`; when npm refuses the lockfile because it is out of sync with
 * package.json (what users hit after editing package.json by hand), the log
 * says so and `npm install` resolves afresh — what npm users expect and what
 * other builders do. Any other failure (network, a failing install script)
 * stays a failure.
 */
export function npmCiOrInstall(lockfile: string): string {
  const log = "/tmp/migetpacks-npm-ci.log";
  const warn = `migetpacks: ${lockfile} is out of sync with package.json, so npm ci refused it; installing with npm install instead (versions are resolved again). Run npm install and commit ${lockfile} to make builds reproducible.`;
  return `{ npm ci --include=dev 2>${log}; s=$?; cat ${log} >&2; if [ $s -ne 0 ]; then grep -q "in sync" ${log} && echo "${warn}" >&2 && npm install --include=dev; fi; }`;
}

export const PNPM_STORE = "/root/.local/share/pnpm/store";
export const YARN_CLASSIC_CACHE = "/usr/local/share/.cache/yarn";

export function pmCommands(pm: PackageManager): PmCommands {
  switch (pm.id) {
    case "npm":
      return {
        install: pm.lockfile ? npmCiOrInstall(pm.lockfile) : "npm install --include=dev",
        run: (s) => `npm run ${s}`,
        exec: (c) => `npm exec -- ${c}`,
        prune: "npm prune --omit=dev",
        cache: { name: "npm", target: "/root/.npm", sharing: "shared" },
        env: [],
      };
    case "pnpm":
      return {
        // NODE_ENV=production would make pnpm skip devDependencies.
        install: `pnpm install ${pm.lockfile ? "--frozen-lockfile" : "--no-frozen-lockfile"} --prod=false`,
        run: (s) => `pnpm run ${s}`,
        exec: (c) => `pnpm exec ${c}`,
        // Not `pnpm prune`: in a workspace it empties the members' node_modules. A production-only
        // re-install from the store works for single apps and workspaces alike.
        prune: "pnpm install --prod --frozen-lockfile --ignore-scripts --prefer-offline --config.confirm-modules-purge=false",
        cache: { name: "pnpm", target: PNPM_STORE, sharing: "shared" },
        // Explicit, so pnpm uses the cache mount instead of a store of its own on the build's disk
        // (pnpm up to 10 read npm_config_*, 11+ pnpm_config_*).
        env: [
          ["npm_config_store_dir", PNPM_STORE],
          ["pnpm_config_store_dir", PNPM_STORE],
        ],
      };
    case "yarn":
      return {
        install: `yarn install ${pm.lockfile ? "--frozen-lockfile " : ""}--production=false --non-interactive`,
        run: (s) => `yarn run ${s}`,
        exec: (c) => `yarn ${c}`,
        prune: `yarn install --production ${pm.lockfile ? "--frozen-lockfile " : ""}--ignore-scripts --prefer-offline --non-interactive`,
        // Yarn 1's cache is not safe for concurrent writers.
        cache: { name: "yarn", target: YARN_CLASSIC_CACHE, sharing: "locked" },
        env: [["YARN_CACHE_FOLDER", YARN_CLASSIC_CACHE]],
      };
    case "yarn-berry": {
      const env: [string, string][] = [["YARN_ENABLE_TELEMETRY", "0"]];
      if (pm.linker === "pnp") {
        // PnP reads packages from the cache at run time: keep it in the project (.yarn/cache, shipped),
        // not in the global cache mount (which still serves as the download mirror).
        env.push(["YARN_ENABLE_GLOBAL_CACHE", "false"]);
        // Always write .pnp.loader.mjs, so the runtime's --experimental-loader finds it (ESM apps need it).
        if ((pm.major ?? 4) >= 3) env.push(["YARN_PNP_ENABLE_ESM_LOADER", "true"]);
      }
      return {
        install: `yarn install${pm.lockfile ? " --immutable" : ""}`,
        run: (s) => `yarn run ${s}`,
        exec: (c) => `yarn ${c}`,
        prune: pm.canFocus ? "yarn workspaces focus --all --production" : undefined,
        cache: { name: "yarn-berry", target: "/root/.yarn/berry/cache", sharing: "shared" },
        env,
      };
    }
  }
}

/**
 * Shell that makes the pinned (or default) package manager the one on PATH.
 * Corepack downloads it through the npm registry npm is configured for (so a
 * mirror works and no second host is needed); when that registry serves no
 * signatures, the download is retried without corepack's signature check (the
 * tarball is then trusted like every dependency the install fetches).
 */
/** Makes `yarn` in the build stage the app's committed release (the image's own Yarn 1 link is replaced, never written through). */
export function yarnReleaseShell(release: string, root: string): string {
  return `rm -f /usr/local/bin/yarn /usr/local/bin/yarnpkg && printf '#!/bin/sh\\nexec node "${root}/${release}" "$@"\\n' > /usr/local/bin/yarn && chmod 755 /usr/local/bin/yarn`;
}

export function corepackShell(pm: PackageManager): string | undefined {
  if (!pm.corepack) return undefined;
  const spec = pm.corepack;
  const enable = pm.id === "npm" ? "corepack enable npm" : "corepack enable";
  return [
    `if [ "$(printf '%s\\n' ${COREPACK_MIN} "$(corepack --version 2>/dev/null || echo 0)" | sort -V | head -n1)" != ${COREPACK_MIN} ]; then npm install -g corepack@${COREPACK_VERSION}; fi`,
    `export COREPACK_NPM_REGISTRY="\${COREPACK_NPM_REGISTRY:-$(npm config get registry | sed 's:/*$::')}"`,
    enable,
    `{ corepack prepare ${spec} --activate || { echo "corepack could not verify ${spec}; retrying without registry signatures" >&2; COREPACK_INTEGRITY_KEYS=0 corepack prepare ${spec} --activate; }; }`,
  ].join(" && ");
}

// Bun: dependencies installed from package.json + bun.lock alone (cached apart
// from source, with bun's download cache as a cache mount), the build script,
// dev dependencies pruned, then oven/bun:<v>-slim running as uid 1000.
import * as z from "../../lib/zod.js";
import { isFile, readJson, readText, readVersionFile, UserError, type BuildContext } from "../../context/fs.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { BuildPlanInput, RunStep, Step } from "../../kit/schema.js";
import { commandArgv, selectWebCommand } from "../../kit/run-command.js";
import { NODE_RUNTIME_EXCLUDES } from "../../kit/cleanup.js";
import { defaultBunVersion, resolveBunVersion } from "./versions.js";
import { readPackageJson, type PackageJson } from "../nodejs/package-json.js";
import type { PlanInput, Provider } from "../../kit/provider.js";
import { minimumRelease, NONROOT, runScriptsWith } from "../../kit/hardened.js";
import { DEFAULT_PATH } from "../../kit/image-env.js";
import { detectWebApp, isDevServerScript, viteOutDir, FRAMEWORK_FILES } from "../nodejs/frameworks.js";
import { detectStaticSite, staticServerCommand, STATIC_SERVER_JS, STATIC_SERVER_PATH, type StaticSite } from "../nodejs/static-site.js";
import { nodeVersion } from "../nodejs/node-version.js";
import { NEXT_CONFIG_FILES } from "../nodejs/nextjs.js";
import { BUN_WITH_NODE_PATH, nodeInstallStep, NODE_PREFIX, usesNode } from "./node-beside.js";
import { toolVersion, TOOL_VERSION_FILES } from "../../manifest/tool-versions.js";
import { runtimeLibraries } from "../nodejs/system-libs.js";
import { findJsWorkspace } from "../nodejs/workspace-root.js";
import { BUN_LOCKFILES } from "./lockfiles.js";
import { shellQuote } from "../../kit/shell.js";

const BunSettings = z.object({
  BUN_VERSION: z.string().trim().optional(),
});

export const BUN_MARKERS = ["bun.lock", "bun.lockb", "bunfig.toml", ".bun-version"] as const;
export { BUN_LOCKFILES } from "./lockfiles.js";
/** Copied with the manifest before install: they change what `bun install` does (registries, scopes, auth). */
const CONFIG_FILES = ["bunfig.toml", ".npmrc"];
/** Tried in order when package.json names no start script, main or module (the original's list, plus src/server.ts and the .js twins). */
export const BUN_ENTRY_FILES = ["index.ts", "server.ts", "app.ts", "main.ts", "src/index.ts", "src/server.ts", "index.js", "server.js", "app.js", "main.js"];
/** Type packages only a Bun app depends on (the original looks for "bun-types"; @types/bun is its current name). */
const BUN_TYPE_PACKAGES = ["bun-types", "@types/bun"];

const CACHE = { name: "bun", target: "/root/.bun/install/cache" };

/** package.json fields only Bun looks at (the shared reader validates the rest). */
const BunFields = z.looseObject({
  module: z.string().optional(),
  engines: z.looseObject({ bun: z.string().optional() }).optional(),
  optionalDependencies: z.record(z.string(), z.string()).optional(),
  peerDependencies: z.record(z.string(), z.string()).optional(),
  patchedDependencies: z.record(z.string(), z.string()).optional(),
});
type BunPackageJson = PackageJson & z.infer<typeof BunFields>;

export interface BunFacts {
  /** Absent when the app is marked by bunfig.toml or .bun-version alone (a single-file app). */
  pkg?: BunPackageJson;
  version: { version: string; source: string };
  lockfile?: string;
  /** Manifest, lockfiles and config present in the app, copied before install. */
  installFiles: string[];
  /** First of BUN_ENTRY_FILES that exists. */
  entry?: string;
  /**
   * package.json `main` (else `module`): the file, or its TypeScript twin when only that exists
   * (bun create elysia writes "module": "src/index.js" beside src/index.ts); `exists` false when neither does.
   */
  pkgEntry?: { field: "main" | "module"; path: string; exists: boolean };
  /** A static site (SPA build): its output is served by migetpacks' small server, run by bun. */
  staticSite?: StaticSite;
  /** A framework's production server (e.g. Nitro's node .output/server/index.mjs) when there is no start script. */
  frameworkServer?: { framework: string; command: string };
  /** Real Node.js installed next to Bun, when the app runs node. */
  node?: { version: string; source: string };
  /** The framework's own build script when there is no `build` (VitePress's docs:build). */
  frameworkBuild?: string;
  /** A Turborepo turbo can run (turbo.json, turbo, packageManager): a workspace member builds with it. */
  turbo?: boolean;
}

export const bunProvider: Provider<BunFacts> = {
  id: "bun",
  name: "Bun",
  hardened: { repo: "bun", official: ["oven/bun"], user: NONROOT, floor: minimumRelease("Bun", "1.3.6") },
  execForm: runScriptsWith("bun", /^(\.\/)?[\w./-]+\.(m?js|cjs)$/),
  imageEnv: { "docker.io/oven/bun": [`PATH=${DEFAULT_PATH}:/usr/local/bun-node-fallback-bin`, "BUN_RUNTIME_TRANSPILER_CACHE_PATH=0", "BUN_INSTALL_BIN=/usr/local/bin"] },
  sample: { "package.json": '{"name":"app","scripts":{"start":"bun run index.ts"}}', "bun.lock": "{}", "index.ts": "" },
  ownsAssets: true,
  options: Object.keys(BunSettings.shape),
  markers: BUN_MARKERS,
  reads: ["package.json", ...BUN_MARKERS, ".npmrc", ...BUN_ENTRY_FILES, ...TOOL_VERSION_FILES, ...FRAMEWORK_FILES, ...NEXT_CONFIG_FILES, ".nvmrc", ".node-version", "Procfile", "turbo.json"],
  // A member of a Bun (or npm, pnpm, Yarn) workspace builds from its root, with the root's lockfile.
  workspaceRoot: (root, projectPath) => findJsWorkspace(root, projectPath),

  // package.json main / module and their TypeScript twins: paths the manifest names.
  async followUp(ctx) {
    const pkg = (await readJson(ctx, "package.json").catch(() => undefined)) as { main?: unknown; module?: unknown } | undefined;
    return [pkg?.main, pkg?.module].flatMap((f) => (typeof f === "string" ? entryCandidates(f) : []));
  },

  async matches(ctx) {
    for (const m of BUN_MARKERS) if (await isFile(ctx, m)) return true;
    // package.json asking for bun (packageManager) or typed for it; a broken
    // package.json is not ours to report here (Node.js reports it).
    const raw = await readJson(ctx, "package.json").catch(() => undefined);
    if (typeof raw !== "object" || raw === null) return false;
    const pkg = raw as Record<string, unknown>;
    if (typeof pkg.packageManager === "string" && /^\s*bun@/.test(pkg.packageManager)) return true;
    return [pkg.dependencies, pkg.devDependencies].some((deps) => typeof deps === "object" && deps !== null && BUN_TYPE_PACKAGES.some((p) => p in deps));
  },

  async facts(ctx: BuildContext, args: BuildArgs): Promise<BunFacts> {
    const settings = parseArgs(BunSettings, args);
    const pkg = await readBunPackageJson(ctx);
    const present = async (files: readonly string[]) => {
      const out: string[] = [];
      for (const f of files) if (await isFile(ctx, f)) out.push(f);
      return out;
    };
    const lockfiles = await present(BUN_LOCKFILES);
    let entry: string | undefined;
    for (const f of BUN_ENTRY_FILES) {
      if (await isFile(ctx, f)) {
        entry = f;
        break;
      }
    }
    return {
      pkg,
      version: await bunVersion(ctx, settings.BUN_VERSION, pkg),
      // bun.lock (text) wins over bun.lockb (binary) when both exist, as in bun itself.
      lockfile: lockfiles[0],
      installFiles: pkg ? ["package.json", ...lockfiles, ...(await present(CONFIG_FILES))] : [],
      entry,
      pkgEntry: await pkgEntry(ctx, pkg),
      turbo: !!pkg && (await isFile(ctx, "turbo.json")) && (pkg.dependencies?.turbo !== undefined || pkg.devDependencies?.turbo !== undefined) && typeof pkg.packageManager === "string",
      ...(pkg ? await webFacts(ctx, pkg, args) : {}),
    };
  },

  summary(f) {
    return { language: "bun", version: f.version.version, versionSource: f.version.source, packageManager: "bun" };
  },

  plan(input) {
    return planBun(input);
  },

  dhiCommand(facts, command) {
    return bunDhiCommand(facts.pkg?.scripts ?? {}, command);
  },
};

/**
 * A hardened runtime has no /bin/sh, which `bun run <script>` runs scripts with:
 * run the script's own command instead (`bun run start` → `bun server.ts`).
 */
export function bunDhiCommand(scripts: Record<string, string>, command: string, depth = 0): string {
  const m = /^bun\s+(?:run\s+)?([\w:.-]+)((?:\s.*)?)$/.exec(command.trim());
  const body = m ? scripts[m[1]!] : undefined;
  if (!m || body === undefined || depth >= 3) return command;
  return bunDhiCommand(scripts, `${body.trim()}${m[2]}`, depth + 1);
}

async function readBunPackageJson(ctx: BuildContext): Promise<BunPackageJson | undefined> {
  const pkg = await readPackageJson(ctx);
  if (!pkg) return undefined;
  const res = BunFields.safeParse(pkg);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    throw new UserError(`package.json: field "${issue.path.join(".")}" is invalid (${issue.message}); fix it and build again.`, "package.json");
  }
  return { ...pkg, ...res.data };
}

/** `bun@1.2.3` or `bun@1.2.3+sha512.…` (corepack style) → `1.2.3`; other package managers → undefined. */
export function bunFromPackageManager(field: string | undefined): string | undefined {
  const m = /^\s*bun@([^+\s]+)/.exec(field ?? "");
  return m?.[1];
}

/** BUN_VERSION, .bun-version, mise / .tool-versions, package.json packageManager (bun@x), engines.bun, then the default. */
export async function bunVersion(ctx: BuildContext, arg: string | undefined, pkg: BunPackageJson | undefined): Promise<{ version: string; source: string }> {
  const mise = await toolVersion(ctx, "bun");
  const candidates: [string | undefined, string, string | undefined][] = [
    [arg, "build arg BUN_VERSION", undefined],
    [await readVersionFile(ctx, ".bun-version"), ".bun-version", ".bun-version"],
    [mise?.version, mise?.file ?? "", mise?.file],
    [bunFromPackageManager(pkg?.packageManager), "package.json packageManager", "package.json"],
    [pkg?.engines?.bun, "package.json engines.bun", "package.json"],
  ];
  for (const [raw, source, file] of candidates) {
    if (!raw?.trim()) continue;
    const r = resolveBunVersion(raw);
    if (!r.ok) throw new UserError(`${source} asks for Bun "${raw.trim()}": ${r.reason}. Use a version such as 1.2, 1.2.19 or latest.`, file);
    return { version: r.version, source };
  }
  return { version: defaultBunVersion(), source: "default" };
}

/** `./src/index.js` → src/index.js and its twins src/index.ts, .tsx, .mts, .cts (a path out of the app: none). */
export function entryCandidates(file: string): string[] {
  const f = file.trim().replace(/^\.\//, "");
  if (!f || f.startsWith("/") || f.split("/").includes("..")) return [];
  const base = f.replace(/\.(?:[cm]?js|jsx)$/, "");
  const twins = base === f ? (/\.[cm]?tsx?$/.test(f) ? [] : [`${f}.ts`, `${f}.js`]) : ["ts", "tsx", "mts", "cts"].map((e) => `${base}.${e}`);
  return [f, ...twins];
}

async function pkgEntry(ctx: BuildContext, pkg: BunPackageJson | undefined): Promise<BunFacts["pkgEntry"]> {
  const field = pkg?.main ? "main" : pkg?.module ? "module" : undefined;
  if (!field) return undefined;
  const candidates = entryCandidates(pkg![field]!);
  for (const c of candidates) if (await isFile(ctx, c)) return { field, path: c, exists: true };
  return { field, path: candidates[0] ?? pkg![field]!, exists: false };
}

function hasEntries(rec: Record<string, string> | undefined): boolean {
  return rec !== undefined && Object.keys(rec).length > 0;
}

function planBun({ facts, common, procfile, member }: PlanInput<BunFacts>): BuildPlanInput {
  const { pkg } = facts;
  const warnings: string[] = [];
  const scripts = pkg?.scripts ?? {};
  const memberPkg = member?.pkg as BunPackageJson | undefined;
  const hasDeps = !!pkg && ([pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies, pkg.peerDependencies].some(hasEntries) || pkg.workspaces !== undefined);
  // bun treats a lockfile with nothing in it as out of date (it deletes it), so
  // --frozen-lockfile is only meaningful when there is something to lock.
  const frozen = facts.lockfile && hasDeps ? " --frozen-lockfile" : "";

  const steps: Step[] = [];
  // A node_modules in the context (no .dockerignore) must not overwrite the one just installed.
  const copySource: Step = { kind: "copy", name: "copy source", from: "context", paths: ["."], dest: "/build", exclude: ["node_modules", "**/node_modules"] };
  const install: Step = { kind: "run", name: "install dependencies (bun)", shell: `bun install${frozen}`, caches: [CACHE.name], env: [] };
  if (!pkg) steps.push(copySource);
  // Workspaces need every member's package.json, patchedDependencies their patch files:
  // install from the whole source then.
  else if (pkg.workspaces !== undefined || pkg.patchedDependencies !== undefined) steps.push(copySource, install);
  else steps.push({ kind: "copy", name: "copy package manifests", from: "context", paths: facts.installFiles, dest: "/build" }, install, copySource);
  const build = common.buildCommand ?? (member ? memberBuild(member.dir, memberPkg, facts.turbo) : scripts.build !== undefined ? "bun run build" : facts.frameworkBuild);
  // `bun install --production` leaves already-installed dev dependencies in place
  // (oven-sh/bun#11091): reinstall from the cache mount into a fresh node_modules.
  // A static site ships only its build output: nothing to prune.
  const prune = pkg && !facts.staticSite && (hasEntries(pkg.devDependencies) || hasEntries(memberPkg?.devDependencies)) ? `rm -rf node_modules && bun install --production${frozen}` : undefined;
  // Nothing to build and the install ran from the manifests alone: the prune needs no source
  // either, so it runs before the source copy and a source-only change re-runs nothing.
  const pruneEarly = prune !== undefined && !build && steps.at(-1) === copySource && steps.includes(install);
  if (pruneEarly) steps.splice(steps.length - 1, 0, { kind: "run", name: "prune dev dependencies", shell: prune, caches: [CACHE.name], env: [["NODE_ENV", "production"]] });
  const parts = [build, pruneEarly ? undefined : prune].filter(Boolean);
  if (parts.length) {
    const name = build && prune ? "build and prune dev dependencies" : build ? "build" : "prune dev dependencies";
    const buildStep: RunStep = { kind: "run", name, shell: parts.join(" && "), caches: prune ? [CACHE.name] : [], env: [["NODE_ENV", "production"]] };
    steps.push(buildStep);
  }

  const web = selectWebCommand(common.runCommand, procfile, member ? memberStart(member.dir, memberPkg, warnings) : defaultStart(facts, warnings));
  if (facts.node) steps.unshift(nodeInstallStep(facts.node.version));
  const site = facts.staticSite;

  return {
    schema: 2,
    result: {
      language: "bun",
      version: facts.version.version,
      versionSource: facts.version.source,
      packageManager: "bun",
      runCommand: web.command,
      port: common.port,
      processes: { web: web.command, release: procfile?.release, workers: procfile?.workers ?? [] },
      _shell: true,
    },
    caches: { [CACHE.name]: { id: "bun-install", target: CACHE.target, sharing: "shared" } },
    stages: [
      {
        name: "build",
        image: `oven/bun:${facts.version.version}`,
        workdir: "/build",
        // Explicit, so the cache mount is used whatever HOME the build runs with. NODE_ENV is
        // set for the build step only: `bun install` must keep installing dev dependencies
        // (the build needs them) even if bun starts reading NODE_ENV (oven-sh/bun#22964).
        env: [["BUN_INSTALL_CACHE_DIR", CACHE.target], ...(facts.node ? ([["PATH", BUN_WITH_NODE_PATH]] as [string, string][]) : [])],
        steps,
      },
    ],
    runtime: {
      image: `oven/bun:${facts.version.version}-slim`,
      user: "1000:1000",
      // A workspace member starts in its own folder; the whole workspace (node_modules, siblings) ships.
      workdir: member ? `/app/${member.dir}` : "/app",
      env: [
        ["NODE_ENV", "production"],
        ["PORT", String(common.port)],
        // Node.js servers that read HOST (Nitro, Astro) listen on every interface too.
        ["HOST", "0.0.0.0"],
      ],
      copies: [
        ...(site
          ? [{ stage: "build", src: `/build/${site.outDir}`.replace(/\/$/, ""), dest: "/app", exclude: [] }]
          : // node_modules in a layer of its own: unchanged by a source-only change, so reused (and not re-pushed).
            [
              { stage: "build", src: "/build/node_module[s]", dest: "/app/node_modules", exclude: [".cache"] },
              { stage: "build", src: "/build", dest: "/app", exclude: [...NODE_RUNTIME_EXCLUDES, "node_modules"] },
            ]),
        ...(facts.node ? [{ stage: "build", src: `${NODE_PREFIX}/bin/node`, dest: "/usr/local/bin/node", exclude: [] }] : []),
      ],
      files: site ? [{ path: STATIC_SERVER_PATH, mode: 0o644, content: STATIC_SERVER_JS }] : undefined,
      // Libraries of native modules (Prisma's OpenSSL); the hardened runtime has no package manager.
      packages: site || common.useDhi ? undefined : runtimeLibraries([pkg, memberPkg]),
      cmd: commandArgv(web.command),
      port: common.port,
      shell: true,
    },
    warnings,
  };
}

/** A member's build: with the repo's turbo (the member and what it depends on), else its own build script in its folder. */
function memberBuild(dir: string, m: BunPackageJson | undefined, turbo: boolean | undefined): string | undefined {
  const name = typeof m?.name === "string" ? m.name : undefined;
  if (turbo && name) return `TURBO_TELEMETRY_DISABLED=1 bun x turbo run build ${shellQuote(`--filter=${name}...`)} --env-mode=loose`;
  return m?.scripts?.build !== undefined ? `cd ${shellQuote(dir)} && bun run build` : undefined;
}

/** A member's start script (in its folder), else its main or module. */
function memberStart(dir: string, m: BunPackageJson | undefined, warnings: string[]): string {
  if (m?.scripts?.start) return "bun run start";
  const main = m?.main ?? m?.module;
  if (main) return `bun ${main.replace(/^\.\//, "")}`;
  warnings.push(`${dir}/package.json has no "start" script, "main" or "module"; running bun index.ts there. Add a start script.`);
  return "bun index.ts";
}

/**
 * Static sites and frameworks, with the Node.js provider's rules (a Vite site with bun.lock is still a
 * static site); and whether the app runs node, so real Node.js is installed next to Bun.
 */
async function webFacts(ctx: BuildContext, pkg: BunPackageJson, args: BuildArgs): Promise<Pick<BunFacts, "staticSite" | "frameworkServer" | "node" | "frameworkBuild">> {
  const start = pkg.scripts?.start;
  const devStart = isDevServerScript(start);
  const web = await detectWebApp(ctx, pkg);
  // A start script that cannot serve the static build (react-router-serve in SPA mode) is no production start either.
  const ownStart = !!start && !devStart && !(web?.staticDir && web.unusableStart?.test(start));
  const staticSite = web
    ? web.staticDir && !ownStart
      ? { framework: web.framework, outDir: web.staticDir }
      : undefined
    : detectStaticSite(pkg, { hasServerEntry: Boolean(pkg.main || pkg.module), devStart, outDir: await viteOutDir(ctx) });
  const frameworkServer = web?.server && !ownStart ? { framework: web.framework, command: web.server } : undefined;
  const procfile = (await readText(ctx, "Procfile")) ?? "";
  const commands = [ownStart ? start! : "", frameworkServer?.command ?? "", procfile, args.RUN_COMMAND ?? ""];
  const node = !staticSite && usesNode(commands, pkg.engines?.node) ? await nodeVersion(ctx, args.NODE_VERSION, pkg) : undefined;
  return { staticSite, frameworkServer, node, frameworkBuild: web?.buildScript ? `bun run ${web.buildScript}` : undefined };
}

/** `start` script, then package.json main / module, then the first entry file that exists. */
function defaultStart(facts: BunFacts, warnings: string[]): string {
  const pkg = facts.pkg;
  // migetpacks' static server is plain node:http, which bun runs as it is.
  if (facts.staticSite) return staticServerCommand(facts.staticSite).replace(/^node /, "bun ");
  if (facts.frameworkServer) return facts.frameworkServer.command;
  if (pkg?.scripts?.start) return "bun run start";
  const named = facts.pkgEntry;
  // A file the build writes (main: dist/server.js) exists only after it.
  if (named && (named.exists || pkg?.scripts?.build !== undefined)) return `bun ${named.path}`;
  if (named && facts.entry) {
    warnings.push(`package.json "${named.field}" names ${pkg![named.field]}, which does not exist (and no build script writes it); running bun ${facts.entry}. Fix "${named.field}" or add a start script.`);
    return `bun ${facts.entry}`;
  }
  if (named) return `bun ${named.path}`;
  if (facts.entry) return `bun ${facts.entry}`;
  warnings.push(`No start command found: package.json has no "start" script, "main" or "module", and none of ${BUN_ENTRY_FILES.join(", ")} exists; running bun index.ts. Add a start script or set RUN_COMMAND.`);
  return "bun index.ts";
}

// Node.js: the package manager prepared by corepack (pinned or a fixed default),
// dependencies installed from the manifests and lockfile alone (cached apart
// from source), the build script, dev dependencies pruned, slim runtime.
// Next.js `output: 'standalone'` ships only the traced server.
import * as z from "../../lib/zod.js";
import { isFile, readHeadText, readText, UserError, type BuildContext } from "../../context/fs.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { BuildPlanInput, CopyStep, RunStep } from "../../kit/schema.js";
import { commandArgv, selectWebCommand } from "../../kit/run-command.js";
import { NODE_RUNTIME_EXCLUDES } from "../../kit/cleanup.js";
import type { PlanInput, Provider } from "../../kit/provider.js";
import { nodeDhiCommand } from "./dhi.js";
import { devToolOf, devToolOfStart } from "./dev-start.js";
import { startBuild, withStartBuild } from "./start-build.js";
import { memberBuild, memberStart } from "./workspace-member.js";
import { detectStaticSite, STATIC_SERVER_JS, STATIC_SERVER_PATH, staticServerCommand } from "./static-site.js";
import { MANIFESTS, readManifest, type PackageJson } from "./package-json.js";
import { corepackShell, detectPackageManager, LOCKFILES, pmBin, pmCommands, yarnReleaseShell } from "./package-manager.js";
import { parseYarnRc, pnpmWorkspacePackages } from "./config-files.js";
import { NEXT_CONFIG_FILES, nextFacts } from "./nextjs.js";
import { installInputs } from "./install-inputs.js";
import { nodeVersion } from "./node-version.js";
import { readStaticfile, STATICFILE } from "./staticfile.js";
import { runtimeLibraries } from "./system-libs.js";
import { toolVersion, TOOL_VERSION_FILES } from "../../manifest/tool-versions.js";
import { detectWebApp, FRAMEWORK_FILES, isDevServerScript, viteOutDir, vueCliOutDir } from "./frameworks.js";
import { bunTool, callsBun, callsDependencyBin, callsPackageManager, dependencyBinPath, runtimePm, RUNTIME_PM_PATH, RUNTIME_PM_PREFIX } from "./runtime-pm.js";
import { bunVersion } from "../bun/index.js";
import { runScriptsWith } from "../../kit/hardened.js";
import { DEFAULT_PATH } from "../../kit/image-env.js";
import { findJsWorkspace } from "./workspace-root.js";
import { nodeAssets } from "./assets-stage.js";
import type { NodeFacts } from "./facts.js";

const NodeSettings = z.object({
  NODE_VERSION: z.string().trim().optional(),
  NODE_OPTIONS: z.string().optional(),
});

/** Lockfile bytes read for their header: the version lines sit in the first few hundred. */
const LOCK_HEAD_BYTES = 4096;

/** Nx's own way to build a workspace: every project with a build target, dependencies first; no daemon or cloud in a build. */
const NX_BUILD = "NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many --target=build";

const CONFIG_FILES = [".npmrc", ".yarnrc", ".yarnrc.yml", "pnpm-workspace.yaml", ".pnpmfile.cjs"];

/** Folders the install may need besides manifests: Yarn's committed release, plugins and patches; patch files (pnpm, patch-package). */
const YARN_BERRY_INSTALL_DIRS = [".yarn/releases/**", ".yarn/plugins/**", ".yarn/patches/**"];
const PATCH_DIRS = ["patches/**"];

/** Written by the install in the build stage: a stale copy from the build context must not replace them. */
const INSTALL_OUTPUTS = ["node_modules", "**/node_modules"];
const PNP_OUTPUTS = [".pnp.cjs", ".pnp.js", ".pnp.loader.mjs", ".pnp.data.json", ".yarn/install-state.gz", ".yarn/unplugged"];

/** Next.js binds to HOSTNAME; `::` is a dual-stack socket on Linux, so IPv4 and IPv6 clients both reach it. */
export const NEXT_STANDALONE_HOSTNAME = "::";

export type { NodeFacts };

export const nodejsProvider: Provider<NodeFacts> = {
  id: "nodejs",
  name: "Node.js",
  aliases: ["node", "node.js"],
  hardened: { repo: "node", official: ["node"], user: "1000:1000" },
  execForm: runScriptsWith("node", /^(\.\/)?[\w./-]+\.(m?js|cjs)$/),
  imageEnv: { "docker.io/library/node": [`PATH=${DEFAULT_PATH}`] },
  sample: {
    "package.json": '{"name":"app","scripts":{"start":"node index.js","build":"tsc"},"engines":{"node":"22"}}',
    "package-lock.json": '{"name":"app","lockfileVersion":3,"packages":{}}',
  },
  workspaceRoot: findJsWorkspace,
  assets: nodeAssets(() => nodejsProvider),
  ownsAssets: true,
  options: Object.keys(NodeSettings.shape),
  markers: [...MANIFESTS, STATICFILE],
  reads: [...MANIFESTS, STATICFILE, ...Object.keys(LOCKFILES), ...CONFIG_FILES, ...NEXT_CONFIG_FILES, ...FRAMEWORK_FILES, ".nvmrc", ".node-version", ".bun-version", "Procfile", "nx.json", "turbo.json", ...TOOL_VERSION_FILES, "server.js", "index.js"],

  async matches(ctx) {
    for (const m of [...MANIFESTS, STATICFILE]) if (await isFile(ctx, m)) return true;
    return false;
  },

  async facts(ctx: BuildContext, args: BuildArgs): Promise<NodeFacts> {
    const settings = parseArgs(NodeSettings, args);
    const manifest = await readManifest(ctx);
    const staticfile = await readStaticfile(ctx);
    // A Staticfile site needs no package.json: nothing to install, the files are served as they are.
    const pkg = manifest?.pkg ?? (staticfile ? {} : undefined);
    if (!pkg) throw new UserError("package.json is missing: a Node.js app needs one at the root of the build context (or set PROJECT_PATH to the app's folder).", "package.json");
    const present = async (files: string[]) => {
      const out: string[] = [];
      for (const f of files) if (await isFile(ctx, f)) out.push(f);
      return out;
    };
    const lockfiles = await present(Object.keys(LOCKFILES));
    const configs = await present(CONFIG_FILES);
    const yarnrcText = configs.includes(".yarnrc.yml") ? await readText(ctx, ".yarnrc.yml") : undefined;
    const pnpmWorkspace = configs.includes("pnpm-workspace.yaml") ? await readText(ctx, "pnpm-workspace.yaml") : undefined;
    const yarnrc = yarnrcText === undefined ? undefined : parseYarnRc(yarnrcText);
    const pm = detectPackageManager({
      lockfiles,
      pkg,
      yarnrc,
      // Only their headers matter (yarn's __metadata / v1 comment, pnpm's lockfileVersion).
      yarnLock: lockfiles.includes("yarn.lock") ? await readHeadText(ctx, "yarn.lock", LOCK_HEAD_BYTES) : undefined,
      pnpmLock: lockfiles.includes("pnpm-lock.yaml") ? await readHeadText(ctx, "pnpm-lock.yaml", LOCK_HEAD_BYTES) : undefined,
      pnpmProject: pnpmWorkspace !== undefined || (manifest !== undefined && manifest.file !== "package.json"),
      mise: { pnpm: await toolVersion(ctx, "pnpm", ["npm:pnpm"]), yarn: await toolVersion(ctx, "yarn", ["npm:yarn"]) },
    });
    const procfile = await readText(ctx, "Procfile");
    const usesBun = callsBun([...Object.values(pkg.scripts ?? {}), procfile ?? "", args.RUN_COMMAND ?? "", args.BUILD_COMMAND ?? ""]);
    const pkgWorkspaces = Array.isArray(pkg.workspaces) ? pkg.workspaces : pkg.workspaces?.packages;
    const workspaces = (pm.id === "pnpm" && pnpmWorkspace !== undefined ? pnpmWorkspacePackages(pnpmWorkspace) : undefined) ?? (pkgWorkspaces?.length ? pkgWorkspaces : undefined);
    return {
      pkg,
      pm,
      version: await nodeVersion(ctx, settings.NODE_VERSION, pkg),
      hasManifest: manifest !== undefined,
      bun: usesBun ? await bunVersion(ctx, args.BUN_VERSION, pkg) : undefined,
      nx: (await isFile(ctx, "nx.json")) && (pkg.dependencies?.nx !== undefined || pkg.devDependencies?.nx !== undefined),
      turbo: (await isFile(ctx, "turbo.json")) && (pkg.dependencies?.turbo !== undefined || pkg.devDependencies?.turbo !== undefined) && (typeof pkg.packageManager === "string" || hasDevEnginesPm(pkg)),
      installFiles: manifest ? [manifest.file, ...(pm.lockfile ? [pm.lockfile] : []), ...configs] : [],
      workspaces,
      yarnPath: pm.id === "yarn-berry" ? yarnrc?.yarnPath?.replace(/^\.\//, "") : undefined,
      startBuild: startBuild(pkg, pm),
      ...withBuildScript(await entryFacts(ctx, pkg), pm),
      ...(staticfile ? { staticSite: { framework: "staticfile", outDir: staticfile.root, fallback: staticfile.fallback }, web: undefined, next: undefined } : {}),
    };
  },

  summary(f) {
    return {
      language: "nodejs",
      version: f.version.version,
      versionSource: f.version.source,
      packageManager: f.pm.id === "yarn-berry" ? "yarn" : f.pm.id,
      framework: f.next ? "nextjs" : (f.web?.framework ?? f.staticSite?.framework),
    };
  },

  plan(input) {
    return planNode(input);
  },

  dhiCommand: (f, command) => nodeDhiCommand(f.pkg.scripts ?? {}, command),
};

/** `packages/*` → `packages/*\/package.json`; negations and odd entries dropped. */
export function workspaceManifestPatterns(globs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const g of globs) {
    const clean = g.trim().replace(/^\.\//, "").replace(/\/+$/, "");
    if (!clean || clean.startsWith("!") || clean.startsWith("/") || clean.split("/").includes("..")) continue;
    out.add(`${clean}/package.json`);
  }
  return [...out];
}

function planNode({ facts, args, common, procfile, role, member }: PlanInput<NodeFacts>): BuildPlanInput {
  const settings = parseArgs(NodeSettings, args);
  const { pkg, pm, next } = facts;
  const cmds = pmCommands(pm);
  const scripts = pkg.scripts ?? {};
  const warnings: string[] = [...pm.warnings];
  const pnp = pm.id === "yarn-berry" && pm.linker === "pnp";
  const standalone = next?.standalone === true;

  // 1. Package manager (before the manifests: cached until its version changes).
  const corepack = corepackShell(pm);
  const prepare: RunStep[] = corepack
    ? [{ kind: "run", name: `prepare ${pm.corepack} (corepack)`, shell: corepack, caches: [], env: [] }]
    : pm.release
      ? [{ kind: "run", name: `use the committed Yarn release ${pm.release}`, shell: yarnReleaseShell(pm.release, "/build"), caches: [], env: [] }]
      : [];

  // 2. Manifests: exact files, workspace members' package.json and install-time folders, each at its
  //    place; the layer (and so the install's cache key) covers only these files.
  const patterns = [
    ...workspaceManifestPatterns(facts.workspaces ?? []),
    ...(pm.id === "yarn-berry" ? [...YARN_BERRY_INSTALL_DIRS, ...(facts.yarnPath && !facts.yarnPath.startsWith(".yarn/releases/") ? [facts.yarnPath] : [])] : []),
    ...PATCH_DIRS,
    ...installInputs(pkg),
  ];
  const manifests: CopyStep = {
    kind: "copy",
    name: "copy package manifests",
    from: "context",
    paths: ["."],
    include: [...facts.installFiles, ...patterns],
    exclude: INSTALL_OUTPUTS,
    dest: "/build",
  };

  // 3. Build script (through the app's package manager), standalone assembly, prune.
  const buildScript = scripts["heroku-postbuild"] !== undefined ? "heroku-postbuild" : scripts.build !== undefined ? "build" : undefined;
  const build = common.buildCommand ?? (member ? memberBuild(pm, member, { turbo: facts.turbo }) : withStartBuild(buildScript ? cmds.run(buildScript) : (facts.web?.build ?? (facts.nx ? NX_BUILD : undefined)), buildScript, facts.startBuild));
  const assemble = standalone ? standaloneAssembly() : undefined;
  // Standalone ships only .next/standalone (its own traced node_modules): nothing to prune.
  // As an assets stage the whole tree is handed on without node_modules: pruning would only cost time.
  const web = selectWebCommand(common.runCommand, procfile, member ? memberStart(member, pnp ? "npm" : pmBin(pm), warnings) : defaultStart(facts, warnings));
  const keepDev = needsDevDependencies(facts, web.command, warnings);
  if (!member && web.source === "default" && facts.startBuild && web.command === facts.startBuild.serve) {
    warnings.push(`the start script compiles first (${facts.startBuild.written}), with dev dependencies the image does not keep: the build compiles, and the image starts with "${facts.startBuild.serve}".`);
  }
  // The package manager ships when what the image runs calls it (the default start does, for pnpm and Yarn).
  const processCommands = [web.command, procfile?.release ?? "", ...(procfile?.workers ?? []).map((w) => w.command)];
  const shipPm = role !== "assets" && !standalone && !facts.staticSite && !common.useDhi && callsPackageManager(pm, processCommands, member ? ((member.pkg.scripts as Record<string, string> | undefined) ?? {}) : scripts) ? runtimePm(pm, facts.yarnPath) : undefined;
  // A static site ships only its build output: pruning node_modules would be wasted work.
  const prune = standalone || role === "assets" || facts.staticSite || keepDev ? undefined : pnp && cmds.prune ? `rm -rf .yarn/cache && ${cmds.prune}` : cmds.prune;
  // As an assets stage the output feeds another language (Laravel/Rails write public/build, app/assets/builds): no static-site check.
  const siteCheck = facts.staticSite?.outDir && (build || !facts.hasManifest) && role !== "assets" ? staticOutputCheck(facts.staticSite.outDir, facts.staticSite.framework) : undefined;
  // Nothing to build: the prune needs no source, so it runs before the source copy and a
  // source-only change re-runs nothing (a build may write into node_modules, so it prunes after).
  // Plug'n'Play prunes .yarn/cache, which the source copy would bring back.
  const pruneEarly = prune !== undefined && facts.hasManifest && !pnp && !build && !assemble && !siteCheck;
  const buildParts = [build, assemble, siteCheck, pruneEarly ? undefined : prune].filter((x): x is string => Boolean(x));
  const buildName = [build ? "build" : undefined, assemble ? "assemble Next.js standalone output" : undefined, prune && !pruneEarly ? "prune dev dependencies" : undefined]
    .filter(Boolean)
    .join(", ")
    .replace(/, ([^,]*)$/, " and $1");
  const buildSteps: RunStep[] = buildParts.length ? [{ kind: "run", name: buildName, shell: buildParts.join(" && "), caches: [cmds.cache.name], env: [] }] : [];
  const earlyPrune: RunStep[] = pruneEarly ? [{ kind: "run", name: "prune dev dependencies", shell: prune, caches: [cmds.cache.name], env: [] }] : [];

  if (pnp && web.source === "default" && pkg.scripts?.start && !/^\s*node\s/.test(pkg.scripts.start)) {
    warnings.push(
      `Yarn Plug'n'Play has no node_modules/.bin, so the start script ("${pkg.scripts.start}") cannot call dependency binaries at run time (the image runs node with the PnP hooks, not Yarn). Make the start script run node (node server.js), set RUN_COMMAND, or set nodeLinker: node-modules in .yarnrc.yml.`,
    );
  }

  // The package manager first (and the runtime's copy of it): cached until its version changes; then the
  // manifests and the install, cached until they change; then the source.
  const install: RunStep = { kind: "run", name: `install dependencies (${pm.id})`, shell: cmds.install, caches: [cmds.cache.name], env: [] };
  const copySource: CopyStep = { kind: "copy", name: "copy source", from: "context", paths: ["."], dest: "/build", exclude: [...INSTALL_OUTPUTS, ...(pnp ? PNP_OUTPUTS : [])] };

  const env: [string, string][] = [
    ["NODE_ENV", "production"],
    ["NPM_CONFIG_LOGLEVEL", "error"],
    ["NPM_CONFIG_UPDATE_NOTIFIER", "false"],
    ["NPM_CONFIG_FUND", "false"],
    ["COREPACK_ENABLE_DOWNLOAD_PROMPT", "0"],
    ...(corepack
      ? ([
          // The lockfile may disagree with package.json `packageManager` (warned above); never pin package.json during the build.
          ["COREPACK_ENABLE_STRICT", "0"],
          ["COREPACK_ENABLE_AUTO_PIN", "0"],
        ] as [string, string][])
      : []),
    ...cmds.env,
    ...(next ? ([["NEXT_TELEMETRY_DISABLED", "1"]] as [string, string][]) : []),
    ["NODE_OPTIONS", settings.NODE_OPTIONS ?? "--max-old-space-size=2560"],
  ];

  const runtimeEnv: [string, string][] = [
    ["NODE_ENV", "production"],
    ["PORT", String(common.port)],
    // Servers that read HOST (Astro's node adapter, Nitro, SvelteKit's adapter-node, remix-serve) listen on every interface.
    ["HOST", "0.0.0.0"],
    ["NPM_CONFIG_UPDATE_NOTIFIER", "false"],
    ...listenEnv([pkg, member?.pkg]),
  ];
  if (standalone) runtimeEnv.push(["HOSTNAME", NEXT_STANDALONE_HOSTNAME]);
  if (pnp) runtimeEnv.push(["NODE_OPTIONS", pnpNodeOptions(pm.major ?? 4)]);
  // Tools installed into the prefix (the package manager, Bun) are on PATH in the build and at run time.
  const tools = [...(shipPm?.install ? [shipPm.install] : []), ...(facts.bun ? [bunTool(facts.bun.version)] : [])];
  // Standalone Next.js and static sites ship only their output, so no tools either.
  const shipsTools = tools.length > 0 && !standalone && !facts.staticSite;
  // Dependencies' CLIs called by name (Procfile `web: pm2-runtime ...`, RUN_COMMAND) are found in node_modules/.bin.
  const binPath = !common.useDhi && !standalone && !facts.staticSite && callsDependencyBin(processCommands) ? dependencyBinPath(member?.dir) : undefined;
  if (shipPm || shipsTools || binPath) runtimeEnv.push(["PATH", [shipPm || shipsTools ? RUNTIME_PM_PATH : DEFAULT_PATH, binPath].filter(Boolean).join(":")]);
  // Yarn at run time: no telemetry call on every start.
  if (shipPm && pm.id === "yarn-berry") runtimeEnv.push(["YARN_ENABLE_TELEMETRY", "0"]);
  // pnpm at run time: never re-check or re-install the pruned dependencies before a script, never look for
  // updates (pnpm up to 10 reads npm_config_*, 11+ pnpm_config_*).
  if (shipPm && pm.id === "pnpm") {
    for (const prefix of ["npm_config_", "pnpm_config_"]) runtimeEnv.push([`${prefix}verify_deps_before_run`, "false"], [`${prefix}update_notifier`, "false"]);
  }
  if (facts.bun) env.push(["PATH", RUNTIME_PM_PATH]);

  const excludes = [...NODE_RUNTIME_EXCLUDES, "node_modules/.cache", ...workspaceExcludes(facts.workspaces ?? [])];
  if (next && !standalone) excludes.push(".next/cache");
  // Yarn at run time reads the install state (`yarn run` refuses a project it thinks is not installed).
  if (pm.id === "yarn-berry" && !pnp) excludes.push(".yarn/cache", ...(shipPm ? [] : [".yarn/install-state.gz"]));

  return {
    schema: 2,
    result: {
      language: "nodejs",
      version: facts.version.version,
      versionSource: facts.version.source,
      packageManager: pm.id === "yarn-berry" ? "yarn" : pm.id,
      framework: next ? "nextjs" : (facts.web?.framework ?? facts.staticSite?.framework),
      runCommand: web.command,
      port: common.port,
      processes: { web: web.command, release: procfile?.release, workers: procfile?.workers ?? [] },
      _shell: true,
    },
    caches: {
      [cmds.cache.name]: { id: `node-${cmds.cache.name}`, target: cmds.cache.target, sharing: cmds.cache.sharing },
      ...(tools.length ? { npm: { id: "node-npm", target: "/root/.npm", sharing: "shared" as const } } : {}),
    },
    stages: [
      {
        name: "build",
        image: `node:${facts.version.version}`,
        workdir: "/build",
        env,
        steps: facts.hasManifest ? [...prepare, ...tools, manifests, install, ...earlyPrune, copySource, ...buildSteps] : [copySource, ...buildSteps],
      },
    ],
    runtime: {
      image: `node:${facts.version.version}-slim`,
      user: "1000:1000",
      // A workspace member starts in its own folder; the whole workspace (hoisted node_modules, siblings) ships.
      workdir: member ? `/app/${member.dir}` : "/app",
      env: runtimeEnv,
      copies: standalone
        ? [{ stage: "build", src: "/build/.next/standalone", dest: "/app", exclude: [] }]
        : facts.staticSite
          ? [{ stage: "build", src: `/build/${facts.staticSite.outDir}`.replace(/\/$/, ""), dest: "/app", exclude: facts.staticSite.outDir ? [] : [...NODE_RUNTIME_EXCLUDES, STATICFILE] }]
          : appCopies(pnp, excludes, shipsTools ? [{ stage: "build", src: RUNTIME_PM_PREFIX, dest: RUNTIME_PM_PREFIX, exclude: [] }] : []),
      files: facts.staticSite ? [{ path: STATIC_SERVER_PATH, mode: 0o644, content: STATIC_SERVER_JS }] : shipPm?.launcher ? [shipPm.launcher] : undefined,
      // Libraries of native modules (a static site ships none; the hardened runtime has no package manager).
      packages: facts.staticSite || common.useDhi || role === "assets" ? undefined : runtimeLibraries([pkg, member?.pkg as PackageJson | undefined]),
      cmd: commandArgv(web.command),
      port: common.port,
      shell: true,
    },
    warnings,
  };
}

/**
 * The installed node_modules in a layer of its own, then the app without it: after a
 * source-only change the (pruned) dependencies are byte-identical and their layer is
 * reused, so a push sends only the application's layer. `node_module[s]` is a
 * wildcard that may match nothing (an app without dependencies has no node_modules).
 * Plug'n'Play keeps dependencies in .yarn/cache beside the app: one copy.
 */
function appCopies(pnp: boolean, excludes: string[], tools: BuildPlanInput["runtime"]["copies"]): BuildPlanInput["runtime"]["copies"] {
  const app = { stage: "build", src: "/build", dest: "/app", exclude: excludes };
  if (pnp) return [...tools, app];
  return [
    { stage: "build", src: "/build/node_module[s]", dest: "/app/node_modules", exclude: [".cache"] },
    // The package manager shipped for run time changes with its version only: before the app too.
    ...tools,
    { ...app, exclude: [...excludes, "node_modules"] },
  ];
}

/**
 * Servers that listen on localhost unless told otherwise: fastify-cli's `fastify start` (0.0.0.0 only
 * where is-docker finds /.dockerenv, which Kubernetes and other runtimes do not create).
 */
function listenEnv(manifests: ({ dependencies?: unknown; devDependencies?: unknown } | undefined)[]): [string, string][] {
  const uses = (dep: string) => manifests.some((m) => [m?.dependencies, m?.devDependencies].some((d) => typeof d === "object" && d !== null && dep in d));
  return uses("fastify-cli") ? [["FASTIFY_ADDRESS", "0.0.0.0"]] : [];
}

/** Whether the web command runs a start script whose tool is a devDependency: then they stay. */
function needsDevDependencies(facts: NodeFacts, command: string, warnings: string[]): boolean {
  if (facts.web?.keepDev && command === facts.web.server) return true;
  const tool = /^(npm|pnpm|yarn)\s+(run\s+)?start$/.test(command.trim()) ? devToolOfStart(facts.pkg) : command === facts.startBuild?.serve ? devToolOf(facts.pkg, command) : undefined;
  if (!tool) return false;
  warnings.push(
    `the start script runs ${tool.bin} from devDependencies (${tool.pkg}), so dev dependencies are kept in the image; for a smaller image, add a "start:prod" script that runs the built app with node, or move ${tool.pkg} to dependencies.`,
  );
  return true;
}

/** A static build that wrote nothing fails here, clearly, not as an empty site. */
function staticOutputCheck(outDir: string, framework: string): string {
  const why =
    framework === "staticfile"
      ? `Staticfile says root: ${outDir}, but there is no ${outDir}/ folder; fix root (or add the folder)`
      : `the ${framework} build wrote no ${outDir}/ folder, which migetpacks serves; set the build's output folder to ${outDir} (or set RUN_COMMAND to run your own server)`;
  return `{ [ -d ${outDir} ] || { echo "${why}" >&2; exit 1; }; }`;
}

async function entryFacts(ctx: BuildContext, pkg: PackageJson): Promise<Pick<NodeFacts, "next" | "entryFiles" | "staticSite" | "web">> {
  const next = await nextFacts(ctx, pkg);
  const entryFiles = { server: await isFile(ctx, "server.js"), index: await isFile(ctx, "index.js") };
  const web = await detectWebApp(ctx, pkg);
  const start = pkg.scripts?.start;
  const devStart = isDevServerScript(start);
  // A start script is the app's production start unless it runs a dev server, or one that cannot serve the build (`next start` on an export).
  const ownStart = !!start && !devStart && !web?.unusableStart?.test(start);
  if (web) {
    // (`main` of a framework app is its client entry, e.g. Expo's expo-router/entry, not a server.)
    const staticSite = web.staticDir && !ownStart ? { framework: web.framework, outDir: web.staticDir } : undefined;
    return { next: staticSite ? undefined : next, entryFiles, staticSite, web: { ...web, server: ownStart ? undefined : web.server } };
  }
  const staticSite = next ? undefined : detectStaticSite(pkg, { hasServerEntry: entryFiles.server || entryFiles.index, devStart, outDir: await viteOutDir(ctx), vueCliOutDir: await vueCliOutDir(ctx) });
  return { next, entryFiles, staticSite };
}

/** package.json `devEngines.packageManager` (turbo accepts it instead of `packageManager`). */
function hasDevEnginesPm(pkg: PackageJson): boolean {
  const de = (pkg as { devEngines?: { packageManager?: unknown } }).devEngines;
  return typeof de === "object" && de !== null && typeof de.packageManager === "object" && de.packageManager !== null;
}

/** A framework's own build script (VitePress's docs:build) runs through the app's package manager. */
function withBuildScript<T extends { web?: NodeFacts["web"] }>(entry: T, pm: NodeFacts["pm"]): T {
  const script = entry.web?.buildScript;
  return script && !entry.web!.build ? { ...entry, web: { ...entry.web!, build: pmCommands(pm).run(script) } } : entry;
}

/** Yarn's own `yarn node` hooks, without Yarn: PnP resolution for require and import. */
export function pnpNodeOptions(yarnMajor: number): string {
  return yarnMajor >= 3 ? "--require /app/.pnp.cjs --experimental-loader file:///app/.pnp.loader.mjs" : "--require /app/.pnp.js";
}

/** Next.js copies neither static assets nor public/ into the standalone folder: the original's assembly, failing clearly when output is missing. */
function standaloneAssembly(): string {
  return [
    `{ [ -f .next/standalone/server.js ] || { echo "next.config sets output: 'standalone', but the build wrote no .next/standalone/server.js" >&2; exit 1; }; }`,
    `{ [ ! -d .next/static ] || cp -r .next/static .next/standalone/.next/static; }`,
    `{ [ ! -d public ] || cp -r public .next/standalone/public; }`,
  ].join(" && ");
}

/** Test and coverage folders of workspace members (the root's are in the common list). */
function workspaceExcludes(globs: readonly string[]): string[] {
  const dirs = workspaceManifestPatterns(globs).map((p) => p.replace(/\/package\.json$/, ""));
  return dirs.flatMap((d) => ["test", "tests", "__tests__", "coverage"].map((x) => `${d}/${x}`));
}

/**
 * Standalone Next.js → node server.js; then the `start` script (npm is in every
 * Node image), `main`, Next.js's own server, server.js / index.js, and the
 * documented fallback (node index.js) with a warning.
 */
function defaultStart(facts: NodeFacts, warnings: string[]): string {
  const { pkg, entryFiles: entry, next, pm, staticSite } = facts;
  if (next?.standalone) return "node server.js";
  if (staticSite) return staticServerCommand(staticSite);
  if (facts.web?.server) {
    if (facts.web.warning) warnings.push(facts.web.warning);
    return facts.web.server;
  }
  // Through the app's own package manager (shipped in the image): its user agent, its hooks. Plug'n'Play starts without Yarn.
  const bin = pm.id === "yarn-berry" && pm.linker === "pnp" ? "npm" : pmBin(pm);
  const start = pkg.scripts?.start;
  // A start script that runs a dev server (`next dev`) comes after the app's production entry points.
  const devStart = isDevServerScript(start);
  // NestJS convention: `start` runs the dev CLI, `start:prod` the compiled app.
  if (start && devToolOfStart(pkg) && pkg.scripts?.["start:prod"]) return `${bin} run start:prod`;
  // `npm run build:ts && fastify start dist/app.js`: the build compiled, the image serves.
  if (facts.startBuild) return facts.startBuild.serve;
  if (start && !devStart) return `${bin} start`;
  if (pkg.main) return `node ${pkg.main}`;
  // Through node, not the .bin shim: works on shell-less (DHI) runtimes too. Next.js reads PORT.
  if (next && !(pm.id === "yarn-berry" && pm.linker === "pnp")) return "node node_modules/next/dist/bin/next start";
  if (entry.server) return "node server.js";
  if (start) {
    warnings.push(`the start script ("${start}") runs a development server, and migetpacks found no production server to run instead; running it anyway. Add a start script that runs the built app, or set RUN_COMMAND.`);
    return `${bin} start`;
  }
  if (!entry.index && facts.workspaces?.length) {
    warnings.push(`this is a workspace root (${facts.workspaces.join(", ")}) with no "start" script; running node index.js. To build one app of the workspace, set PROJECT_PATH to its folder (--build-arg PROJECT_PATH=<folder>, one of the workspaces), or add a start script here.`);
  } else if (!entry.index) warnings.push('package.json has no "start" script or "main", and there is no server.js or index.js; running node index.js. Add a start script.');
  return "node index.js";
}

// Node.js: the package manager prepared by corepack (pinned or a fixed default),
// dependencies installed from the manifests and lockfile alone (cached apart
// from source), the build script, dev dependencies pruned, slim runtime.
// Next.js `output: 'standalone'` ships only the traced server.
import { z } from "zod";
import { isFile, readText, readTextHead, readVersionFile, UserError, type BuildContext } from "../../context/fs.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { BuildPlanInput, CopyStep, RunStep } from "../../plan/schema.js";
import { commandArgv, selectWebCommand } from "../../plan/run-command.js";
import { NODE_RUNTIME_EXCLUDES } from "../../plan/cleanup.js";
import { defaultNodeVersion, resolveNodeVersion } from "../../versions/node.js";
import type { PlanInput, Provider } from "../provider.js";
import { nodeDhiCommand } from "./dhi.js";
import { devToolOfStart } from "./dev-start.js";
import { memberBuild, memberStart } from "./workspace-member.js";
import { detectStaticSite, STATIC_SERVER_JS, STATIC_SERVER_PATH, type StaticSite } from "./static-site.js";
import { readPackageJson, type PackageJson } from "./package-json.js";
import { corepackShell, detectPackageManager, LOCKFILES, pmCommands, type PackageManager } from "./package-manager.js";
import { parseYarnRc, pnpmWorkspacePackages } from "./config-files.js";
import { NEXT_CONFIG_FILES, nextFacts, type NextFacts } from "./nextjs.js";

const NodeSettings = z.object({
  NODE_VERSION: z.string().trim().optional(),
  NODE_OPTIONS: z.string().optional(),
});

const CONFIG_FILES = [".npmrc", ".yarnrc", ".yarnrc.yml", "pnpm-workspace.yaml", ".pnpmfile.cjs"];

/** Folders the install may need besides manifests: Yarn's committed release, plugins and patches; patch files (pnpm, patch-package). */
const YARN_BERRY_INSTALL_DIRS = [".yarn/releases/**", ".yarn/plugins/**", ".yarn/patches/**"];
const PATCH_DIRS = ["patches/**"];

/** Written by the install in the build stage: a stale copy from the build context must not replace them. */
const INSTALL_OUTPUTS = ["node_modules", "**/node_modules"];
const PNP_OUTPUTS = [".pnp.cjs", ".pnp.js", ".pnp.loader.mjs", ".pnp.data.json", ".yarn/install-state.gz", ".yarn/unplugged"];

/** Next.js binds to HOSTNAME; `::` is a dual-stack socket on Linux, so IPv4 and IPv6 clients both reach it. */
export const NEXT_STANDALONE_HOSTNAME = "::";

export interface NodeFacts {
  pkg: PackageJson;
  pm: PackageManager;
  version: { version: string; source: string };
  /** Manifest, lockfile and package-manager config present in the app, copied before install. */
  installFiles: string[];
  /** Workspace globs (package.json `workspaces` or pnpm-workspace.yaml `packages`), if a monorepo root. */
  workspaces?: string[];
  /** .yarnrc.yml `yarnPath`: the committed Yarn release the install runs. */
  yarnPath?: string;
  next?: NextFacts;
  entryFiles: { server: boolean; index: boolean };
  /** A static site (SPA build, no server), served by migetpacks' own small server. */
  staticSite?: StaticSite;
}

export const nodejsProvider: Provider<NodeFacts> = {
  id: "nodejs",
  options: Object.keys(NodeSettings.shape),
  markers: ["package.json"],
  reads: ["package.json", ...Object.keys(LOCKFILES), ...CONFIG_FILES, ...NEXT_CONFIG_FILES, ".nvmrc", ".node-version", ".tool-versions", "server.js", "index.js"],

  async matches(ctx) {
    return isFile(ctx, "package.json");
  },

  async facts(ctx: BuildContext, args: BuildArgs): Promise<NodeFacts> {
    const settings = parseArgs(NodeSettings, args);
    const pkg = await readPackageJson(ctx);
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
      // Only the header says the flavour or lockfileVersion; whole lockfiles can be tens of MB.
      yarnLock: lockfiles.includes("yarn.lock") ? await readTextHead(ctx, "yarn.lock") : undefined,
      pnpmLock: lockfiles.includes("pnpm-lock.yaml") ? await readTextHead(ctx, "pnpm-lock.yaml") : undefined,
    });
    const pkgWorkspaces = Array.isArray(pkg.workspaces) ? pkg.workspaces : pkg.workspaces?.packages;
    const workspaces = (pm.id === "pnpm" && pnpmWorkspace !== undefined ? pnpmWorkspacePackages(pnpmWorkspace) : undefined) ?? (pkgWorkspaces?.length ? pkgWorkspaces : undefined);
    return {
      pkg,
      pm,
      version: await nodeVersion(ctx, settings.NODE_VERSION, pkg),
      installFiles: ["package.json", ...(pm.lockfile ? [pm.lockfile] : []), ...configs],
      workspaces,
      yarnPath: pm.id === "yarn-berry" ? yarnrc?.yarnPath?.replace(/^\.\//, "") : undefined,
      ...(await entryFacts(ctx, pkg)),
    };
  },

  summary(f) {
    return {
      language: "nodejs",
      version: f.version.version,
      versionSource: f.version.source,
      packageManager: f.pm.id === "yarn-berry" ? "yarn" : f.pm.id,
      framework: f.next ? "nextjs" : undefined,
    };
  },

  plan(input) {
    return planNode(input);
  },

  dhiCommand: (f, command) => nodeDhiCommand(f.pkg.scripts ?? {}, command),
};

/** NODE_VERSION, .node-version, .nvmrc, engines.node, .tool-versions, then the default LTS. */
async function nodeVersion(ctx: BuildContext, arg: string | undefined, pkg: PackageJson): Promise<{ version: string; source: string }> {
  const toolVersions = (await readText(ctx, ".tool-versions"))?.match(/^\s*(?:nodejs|node)\s+(\S+)/m)?.[1];
  const candidates: [string | undefined, string][] = [
    [arg, "build arg NODE_VERSION"],
    [await readVersionFile(ctx, ".node-version"), ".node-version"],
    [await readVersionFile(ctx, ".nvmrc"), ".nvmrc"],
    [pkg.engines?.node, "package.json engines.node"],
    [toolVersions, ".tool-versions"],
  ];
  for (const [raw, source] of candidates) {
    if (!raw?.trim()) continue;
    const r = resolveNodeVersion(raw);
    if (!r.ok) {
      const file = source.startsWith("build arg") ? undefined : source.split(" ")[0];
      throw new UserError(`${source} asks for Node.js "${raw.trim()}": ${r.reason}. Use a version such as 22, 22.11.0 or lts/*.`, file);
    }
    return { version: r.version, source };
  }
  return { version: defaultNodeVersion(), source: "default" };
}

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
  const prepare: RunStep[] = corepack ? [{ kind: "run", name: `prepare ${pm.corepack} (corepack)`, shell: corepack, caches: [], env: [] }] : [];

  // 2. Manifests: exact files, workspace members' package.json and install-time folders, each at its
  //    place; the layer (and so the install's cache key) covers only these files.
  const patterns = [
    ...workspaceManifestPatterns(facts.workspaces ?? []),
    ...(pm.id === "yarn-berry" ? [...YARN_BERRY_INSTALL_DIRS, ...(facts.yarnPath && !facts.yarnPath.startsWith(".yarn/releases/") ? [facts.yarnPath] : [])] : []),
    ...PATCH_DIRS,
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
  const build = common.buildCommand ?? (member ? memberBuild(pm, member) : buildScript ? cmds.run(buildScript) : undefined);
  const assemble = standalone ? standaloneAssembly() : undefined;
  // Standalone ships only .next/standalone (its own traced node_modules): nothing to prune.
  // As an assets stage the whole tree is handed on without node_modules: pruning would only cost time.
  const web = selectWebCommand(common.runCommand, procfile, member ? memberStart(member, warnings) : defaultStart(facts, warnings));
  const keepDev = needsDevDependencies(facts, web.command, cmds.run("start"), warnings);
  // A static site ships only its build output: pruning node_modules would be wasted work.
  const prune = standalone || role === "assets" || facts.staticSite || keepDev ? undefined : pnp && cmds.prune ? `rm -rf .yarn/cache && ${cmds.prune}` : cmds.prune;
  const siteCheck = facts.staticSite ? staticOutputCheck(facts.staticSite.outDir, facts.staticSite.framework) : undefined;
  const buildParts = [build, assemble, siteCheck, prune].filter((x): x is string => Boolean(x));
  const buildName = [build ? "build" : undefined, assemble ? "assemble Next.js standalone output" : undefined, prune ? "prune dev dependencies" : undefined]
    .filter(Boolean)
    .join(", ")
    .replace(/, ([^,]*)$/, " and $1");
  const buildSteps: RunStep[] = buildParts.length ? [{ kind: "run", name: buildName, shell: buildParts.join(" && "), caches: [cmds.cache.name], env: [] }] : [];

  if (pnp && web.source === "default" && pkg.scripts?.start && !/^\s*node\s/.test(pkg.scripts.start)) {
    warnings.push(
      `Yarn Plug'n'Play has no node_modules/.bin, so the start script ("${pkg.scripts.start}") cannot call dependency binaries at run time (the image runs node with the PnP hooks, not Yarn). Make the start script run node (node server.js), set RUN_COMMAND, or set nodeLinker: node-modules in .yarnrc.yml.`,
    );
  }

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
  ];
  if (standalone) runtimeEnv.push(["HOSTNAME", NEXT_STANDALONE_HOSTNAME]);
  if (pnp) runtimeEnv.push(["NODE_OPTIONS", pnpNodeOptions(pm.major ?? 4)]);

  const excludes = [...NODE_RUNTIME_EXCLUDES, "node_modules/.cache", ...workspaceExcludes(facts.workspaces ?? [])];
  if (next && !standalone) excludes.push(".next/cache");
  if (pm.id === "yarn-berry" && !pnp) excludes.push(".yarn/cache", ".yarn/install-state.gz");

  return {
    schema: 1,
    result: {
      language: "nodejs",
      version: facts.version.version,
      versionSource: facts.version.source,
      packageManager: pm.id === "yarn-berry" ? "yarn" : pm.id,
      framework: next ? "nextjs" : facts.staticSite?.framework,
      runCommand: web.command,
      port: common.port,
      processes: { web: web.command, release: procfile?.release, workers: procfile?.workers ?? [] },
      _shell: true,
    },
    caches: { [cmds.cache.name]: { id: `node-${cmds.cache.name}`, target: cmds.cache.target, sharing: cmds.cache.sharing } },
    stages: [
      {
        name: "build",
        image: `node:${facts.version.version}`,
        workdir: "/build",
        env,
        steps: [
          ...prepare,
          manifests,
          { kind: "run", name: `install dependencies (${pm.id})`, shell: cmds.install, caches: [cmds.cache.name], env: [] },
          { kind: "copy", name: "copy source", from: "context", paths: ["."], dest: "/build", exclude: [...INSTALL_OUTPUTS, ...(pnp ? PNP_OUTPUTS : [])] },
          ...buildSteps,
        ],
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
          ? [{ stage: "build", src: `/build/${facts.staticSite.outDir}`, dest: "/app", exclude: [] }]
          : [{ stage: "build", src: "/build", dest: "/app", exclude: excludes }],
      files: facts.staticSite ? [{ path: STATIC_SERVER_PATH, mode: 0o644, content: STATIC_SERVER_JS }] : undefined,
      cmd: commandArgv(web.command),
      port: common.port,
      shell: true,
    },
    warnings,
  };
}

/** Whether the web command runs a start script whose tool is a devDependency: then they stay. */
function needsDevDependencies(facts: NodeFacts, command: string, pmStart: string, warnings: string[]): boolean {
  const tool = devToolOfStart(facts.pkg);
  if (!tool || (command !== "npm start" && command !== pmStart)) return false;
  warnings.push(
    `the start script runs ${tool.bin} from devDependencies (${tool.pkg}), so dev dependencies are kept in the image; for a smaller image, add a "start:prod" script that runs the built app with node, or move ${tool.pkg} to dependencies.`,
  );
  return true;
}

/** A static build that wrote nothing fails here, clearly, not as an empty site. */
function staticOutputCheck(outDir: string, framework: string): string {
  return `{ [ -d ${outDir} ] || { echo "the ${framework} build wrote no ${outDir}/ folder, which migetpacks serves; set the build's output folder to ${outDir} (or set RUN_COMMAND to run your own server)" >&2; exit 1; }; }`;
}

async function entryFacts(ctx: BuildContext, pkg: PackageJson): Promise<Pick<NodeFacts, "next" | "entryFiles" | "staticSite">> {
  const next = await nextFacts(ctx, pkg);
  const entryFiles = { server: await isFile(ctx, "server.js"), index: await isFile(ctx, "index.js") };
  const staticSite = next ? undefined : detectStaticSite(pkg, entryFiles.server || entryFiles.index);
  return { next, entryFiles, staticSite };
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
  if (staticSite) return `node ${STATIC_SERVER_PATH} /app`;
  // NestJS convention: `start` runs the dev CLI, `start:prod` the compiled app.
  if (pkg.scripts?.start && devToolOfStart(pkg) && pkg.scripts["start:prod"]) return "npm run start:prod";
  if (pkg.scripts?.start) return "npm start";
  if (pkg.main) return `node ${pkg.main}`;
  // Through node, not the .bin shim: works on shell-less (DHI) runtimes too. Next.js reads PORT.
  if (next && !(pm.id === "yarn-berry" && pm.linker === "pnp")) return "node node_modules/next/dist/bin/next start";
  if (entry.server) return "node server.js";
  if (!entry.index) warnings.push('package.json has no "start" script or "main", and there is no server.js or index.js; running node index.js. Add a start script.');
  return "node index.js";
}

// Node.js: dependencies installed from the manifest and lockfile alone (cached
// apart from source), the build script, dev dependencies pruned, slim runtime.
import { z } from "zod";
import { isFile, readText, readVersionFile, UserError, type BuildContext } from "../../context/fs.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { BuildPlan, RunStep } from "../../plan/schema.js";
import { commandArgv, selectWebCommand } from "../../plan/run-command.js";
import { NODE_RUNTIME_EXCLUDES } from "../../plan/cleanup.js";
import { defaultNodeVersion, resolveNodeVersion } from "../../versions/node.js";
import type { PlanInput, Provider } from "../provider.js";
import { readPackageJson, type PackageJson } from "./package-json.js";
import { detectPackageManager, LOCKFILES, pmCommands, type PackageManager } from "./package-manager.js";

const NodeSettings = z.object({
  NODE_VERSION: z.string().trim().optional(),
  NODE_OPTIONS: z.string().optional(),
});

const CONFIG_FILES = [".npmrc", ".yarnrc", ".yarnrc.yml", "pnpm-workspace.yaml"];

export interface NodeFacts {
  pkg: PackageJson;
  pm: PackageManager;
  version: { version: string; source: string };
  /** Manifest, lockfile and package-manager config present in the app, copied before install. */
  installFiles: string[];
  entryFiles: { server: boolean; index: boolean };
}

export const nodejsProvider: Provider<NodeFacts> = {
  id: "nodejs",
  options: Object.keys(NodeSettings.shape),
  markers: ["package.json"],
  reads: ["package.json", ...Object.keys(LOCKFILES), ...CONFIG_FILES, ".nvmrc", ".node-version", ".tool-versions", "server.js", "index.js"],

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
    const pm = detectPackageManager(lockfiles, pkg, configs.includes(".yarnrc.yml"));
    return {
      pkg,
      pm,
      version: await nodeVersion(ctx, settings.NODE_VERSION, pkg),
      installFiles: ["package.json", ...(pm.lockfile ? [pm.lockfile] : []), ...configs],
      entryFiles: { server: await isFile(ctx, "server.js"), index: await isFile(ctx, "index.js") },
    };
  },

  summary(f) {
    return { language: "nodejs", version: f.version.version, versionSource: f.version.source, packageManager: f.pm.id === "yarn-berry" ? "yarn" : f.pm.id };
  },

  plan(input) {
    return planNode(input);
  },
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

function planNode({ facts, args, common, procfile }: PlanInput<NodeFacts>): BuildPlan {
  const settings = parseArgs(NodeSettings, args);
  const { pkg, pm } = facts;
  const cmds = pmCommands(pm);
  const scripts = pkg.scripts ?? {};
  const warnings: string[] = [];

  const buildScript = scripts["heroku-postbuild"] !== undefined ? "heroku-postbuild" : scripts.build !== undefined ? "build" : undefined;
  const buildParts = [common.buildCommand ?? (buildScript ? cmds.run(buildScript) : undefined), cmds.prune].filter(Boolean);
  const buildSteps: RunStep[] = buildParts.length
    ? [{ kind: "run", name: buildScript || common.buildCommand ? "build and prune dev dependencies" : "prune dev dependencies", shell: buildParts.join(" && "), caches: [cmds.cache.name], env: [] }]
    : [];

  const web = selectWebCommand(common.runCommand, procfile, defaultStart(pkg, facts.entryFiles, warnings));

  return {
    schema: 1,
    result: {
      language: "nodejs",
      version: facts.version.version,
      versionSource: facts.version.source,
      packageManager: pm.id === "yarn-berry" ? "yarn" : pm.id,
      runCommand: web.command,
      port: common.port,
      processes: { web: web.command, release: procfile?.release, workers: procfile?.workers ?? [] },
      _shell: true,
    },
    caches: { [cmds.cache.name]: { id: `node-${cmds.cache.name}`, target: cmds.cache.target, sharing: "shared" } },
    stages: [
      {
        name: "build",
        image: `node:${facts.version.version}`,
        workdir: "/build",
        env: [
          ["NODE_ENV", "production"],
          ["NPM_CONFIG_LOGLEVEL", "error"],
          ["NPM_CONFIG_UPDATE_NOTIFIER", "false"],
          ["NPM_CONFIG_FUND", "false"],
          ["COREPACK_ENABLE_DOWNLOAD_PROMPT", "0"],
          ["NODE_OPTIONS", settings.NODE_OPTIONS ?? "--max-old-space-size=2560"],
        ],
        steps: [
          { kind: "copy", name: "copy package manifests", from: "context", paths: facts.installFiles, dest: "/build" },
          { kind: "run", name: `install dependencies (${pm.id})`, shell: cmds.install, caches: [cmds.cache.name], env: [] },
          { kind: "copy", name: "copy source", from: "context", paths: ["."], dest: "/build" },
          ...buildSteps,
        ],
      },
    ],
    runtime: {
      image: `node:${facts.version.version}-slim`,
      user: "1000:1000",
      workdir: "/app",
      env: [
        ["NODE_ENV", "production"],
        ["PORT", String(common.port)],
      ],
      copies: [{ stage: "build", src: "/build", dest: "/app", exclude: NODE_RUNTIME_EXCLUDES }],
      cmd: commandArgv(web.command),
      port: common.port,
      shell: true,
    },
    warnings,
  };
}

/** `start` script (run by npm, present in every Node image), then `main`, then server.js / index.js. */
function defaultStart(pkg: PackageJson, entry: NodeFacts["entryFiles"], warnings: string[]): string {
  if (pkg.scripts?.start) return "npm start";
  if (pkg.main) return `node ${pkg.main}`;
  if (entry.server) return "node server.js";
  if (!entry.index) warnings.push('package.json has no "start" script or "main", and there is no server.js or index.js; running node index.js. Add a start script.');
  return "node index.js";
}

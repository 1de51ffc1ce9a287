// Deno: dependencies installed from deno.json(c) / deno.lock / package.json
// alone, the entry module's graph cached, and everything Deno fetched kept in a
// DENO_DIR inside the app (/build/.deno → /app/.deno), so the image starts
// without touching the network. denoland/deno:<v> for both stages, uid 1000.
import semver from "semver";
import * as z from "../../lib/zod.js";
import { isFile, readText, readVersionFile, UserError, type BuildContext } from "../../context/fs.js";
import { readJsonc } from "../../context/jsonc.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { BuildPlanInput, Step } from "../../kit/schema.js";
import { commandArgv, selectWebCommand } from "../../kit/run-command.js";
import { COMMON_RUNTIME_EXCLUDES } from "../../kit/cleanup.js";
import { defaultDenoVersion, resolveDenoVersion } from "./versions.js";
import type { PlanInput, Provider } from "../../kit/provider.js";
import { minimumRelease, runScriptsWith } from "../../kit/hardened.js";
import { DEFAULT_PATH } from "../../kit/image-env.js";
import { toolVersion, TOOL_VERSION_FILES } from "../../manifest/tool-versions.js";

const DenoSettings = z.object({
  DENO_VERSION: z.string().trim().optional(),
});

export const DENO_MARKERS = ["deno.json", "deno.jsonc", "deno.lock"] as const;
/** Deno looks for deno.json before deno.jsonc. */
const CONFIG_FILES = ["deno.json", "deno.jsonc"] as const;
/** Tried in order when there is no start task (the original's list). */
export const DENO_ENTRY_FILES = ["main.ts", "mod.ts", "server.ts", "app.ts", "index.ts", "index.js", "main.js", "src/main.ts", "src/mod.ts"];

/** DENO_DIR lives inside the app so what the build fetched ships with it (a cache mount would not). */
const BUILD_DENO_DIR = "/build/.deno";
const RUNTIME_DENO_DIR = "/app/.deno";

const Task = z.union([z.string(), z.looseObject({ command: z.string().optional(), description: z.string().optional() })]);
const DenoConfig = z.looseObject({
  tasks: z.record(z.string(), Task).optional(),
  imports: z.record(z.string(), z.string()).optional(),
});

export interface DenoFacts {
  /** deno.json or deno.jsonc, whichever Deno would use. */
  configFile?: string;
  /** Task name → command (object-form tasks reduced to their command). */
  tasks: Record<string, string>;
  lock: boolean;
  packageJson: boolean;
  version: { version: string; source: string };
  /** First of DENO_ENTRY_FILES that exists. */
  entry?: string;
  /** The entry is a `deno serve` module (`export default { fetch }`, a Hono app): `deno run` would exit at once. */
  entryServes?: boolean;
}

export const denoProvider: Provider<DenoFacts> = {
  id: "deno",
  name: "Deno",
  hardened: { repo: "deno", official: ["denoland/deno"], user: "1993:1993", floor: minimumRelease("Deno", "2.6.4") },
  execForm: runScriptsWith("deno", /^(\.\/)?[\w./-]+\.(m?js|cjs)$/),
  imageEnv: { "docker.io/denoland/deno": [`PATH=${DEFAULT_PATH}`, "DENO_DIR=/deno-dir/", "DENO_INSTALL_ROOT=/usr/local"] },
  sample: { "deno.jsonc": '{ // tasks\n "tasks": { "start": "deno run main.ts" }, }', "main.ts": "" },
  ownsAssets: true,
  options: Object.keys(DenoSettings.shape),
  markers: DENO_MARKERS,
  reads: [...DENO_MARKERS, "package.json", ".deno-version", ".dvmrc", ...DENO_ENTRY_FILES, ...TOOL_VERSION_FILES],

  async matches(ctx) {
    for (const m of DENO_MARKERS) if (await isFile(ctx, m)) return true;
    return false;
  },

  async facts(ctx: BuildContext, args: BuildArgs): Promise<DenoFacts> {
    const settings = parseArgs(DenoSettings, args);
    let configFile: string | undefined;
    for (const f of CONFIG_FILES) {
      if (await isFile(ctx, f)) {
        configFile = f;
        break;
      }
    }
    const tasks = configFile ? await readTasks(ctx, configFile) : {};
    let entry: string | undefined;
    for (const f of DENO_ENTRY_FILES) {
      if (await isFile(ctx, f)) {
        entry = f;
        break;
      }
    }
    return {
      configFile,
      tasks,
      entryServes: entry ? await servesModule(ctx, entry, tasks) : undefined,
      lock: await isFile(ctx, "deno.lock"),
      packageJson: await isFile(ctx, "package.json"),
      version: await denoVersion(ctx, settings.DENO_VERSION),
      entry,
    };
  },

  summary(f) {
    return { language: "deno", version: f.version.version, versionSource: f.version.source };
  },

  plan(input) {
    return planDeno(input);
  },
};

async function readTasks(ctx: BuildContext, path: string): Promise<Record<string, string>> {
  const raw = await readJsonc(ctx, path);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new UserError(`${path} must contain a JSON object ({ "tasks": ..., "imports": ... }).`, path);
  }
  const res = DenoConfig.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    throw new UserError(`${path}: field "${issue.path.join(".")}" is invalid (${issue.message}); fix it and build again.`, path);
  }
  const tasks: Record<string, string> = {};
  for (const [name, t] of Object.entries(res.data.tasks ?? {})) {
    const command = typeof t === "string" ? t : t.command;
    if (command?.trim()) tasks[name] = command.trim();
  }
  return tasks;
}

/**
 * Whether the entry is meant for `deno serve`: a task serves it (`deno init --serve` writes
 * `"dev": "deno serve --watch -R main.ts"`), or it exports a default (`{ fetch }`, a Hono app)
 * and starts no server of its own.
 */
async function servesModule(ctx: BuildContext, entry: string, tasks: Record<string, string>): Promise<boolean> {
  if (Object.values(tasks).some((t) => /(?:^|[\s;&|])deno\s+serve\b/.test(t) && moduleInCommand(t) === entry)) return true;
  const code = (await readText(ctx, entry)) ?? "";
  return /^\s*export\s+default\b/m.test(code) && !/\bDeno\.serve\s*\(|\.listen\s*\(/.test(code);
}

/** DENO_VERSION, .deno-version, .dvmrc, mise / .tool-versions, then the default. */
async function denoVersion(ctx: BuildContext, arg: string | undefined): Promise<{ version: string; source: string }> {
  const mise = await toolVersion(ctx, "deno");
  const candidates: [string | undefined, string, string | undefined][] = [
    [arg, "build arg DENO_VERSION", undefined],
    [await readVersionFile(ctx, ".deno-version"), ".deno-version", ".deno-version"],
    [await readVersionFile(ctx, ".dvmrc"), ".dvmrc", ".dvmrc"],
    [mise?.version, mise?.file ?? "", mise?.file],
  ];
  for (const [raw, source, file] of candidates) {
    if (!raw?.trim()) continue;
    const r = resolveDenoVersion(raw);
    if (!r.ok) throw new UserError(`${source} asks for Deno "${raw.trim()}": ${r.reason}. Use a version such as 2, 2.1 or 2.1.4.`, file);
    return { version: r.version, source };
  }
  return { version: defaultDenoVersion(), source: "default" };
}

// A module path in a command (`deno run -A src/app.ts`): the original's pattern, plus dots in names and .mjs/.jsx.
const MODULE_TOKEN = /(?:^|\s)(?:\.\/)?([A-Za-z0-9_][A-Za-z0-9_.\/-]*\.(?:ts|tsx|mts|js|mjs|jsx))(?=\s|$)/;

export function moduleInCommand(command: string): string | undefined {
  return MODULE_TOKEN.exec(command)?.[1];
}

function planDeno({ facts, common, procfile }: PlanInput<DenoFacts>): BuildPlanInput {
  const warnings: string[] = [];
  const deno2 = semver.major(facts.version.version) >= 2;
  const web = selectWebCommand(common.runCommand, procfile, defaultStart(facts, warnings));

  const steps: Step[] = [];
  const manifests = [facts.configFile, facts.lock ? "deno.lock" : undefined, facts.packageJson ? "package.json" : undefined].filter((f): f is string => !!f);
  // `deno install` (Deno 2) installs what deno.json imports and package.json
  // depends on; a deno.lock without a config file is not used by Deno at all.
  if (deno2 && (facts.configFile || facts.packageJson)) {
    steps.push(
      { kind: "copy", name: "copy deno manifests", from: "context", paths: manifests, dest: "/build" },
      { kind: "run", name: "install dependencies (deno)", shell: facts.lock ? "deno install --frozen" : "deno install", caches: [], env: [] },
    );
  }
  // A local node_modules or .deno in the context must not overwrite what the build installed.
  steps.push({ kind: "copy", name: "copy source", from: "context", paths: ["."], dest: "/build", exclude: ["node_modules", "**/node_modules", ".deno"] });
  const build = common.buildCommand ?? (facts.tasks.build !== undefined ? "deno task build" : undefined);
  if (build) steps.push({ kind: "run", name: "build", shell: build, caches: [], env: [] });

  // Cache the module graph of what the web command runs, so the image never fetches at start.
  // (The default command runs facts.entry, or a main.ts that does not exist: nothing to cache then.)
  const task = /^deno\s+task\s+(\S+)$/.exec(web.command.trim())?.[1];
  const command = task && facts.tasks[task] ? facts.tasks[task] : web.command;
  const target = web.source === "default" && !facts.tasks.start ? facts.entry : (moduleInCommand(command) ?? facts.entry);
  if (target) {
    const known = target === facts.entry;
    steps.push({
      kind: "run",
      name: "cache modules",
      // Only entry candidates are read at detection; any other path is checked when the step runs.
      shell: known ? `deno cache ${target}` : `if [ -f ${target} ]; then deno cache ${target}; fi`,
      caches: [],
      env: [],
    });
  }

  return {
    schema: 2,
    result: {
      language: "deno",
      version: facts.version.version,
      versionSource: facts.version.source,
      runCommand: web.command,
      port: common.port,
      processes: { web: web.command, release: procfile?.release, workers: procfile?.workers ?? [] },
      _shell: true,
    },
    caches: {},
    stages: [
      {
        name: "build",
        image: `denoland/deno:${facts.version.version}`,
        workdir: "/build",
        env: [
          ["DENO_DIR", BUILD_DENO_DIR],
          ["DENO_NO_UPDATE_CHECK", "1"],
        ],
        steps,
      },
    ],
    runtime: {
      image: `denoland/deno:${facts.version.version}`,
      user: "1000:1000",
      workdir: "/app",
      env: [
        ["DENO_DIR", RUNTIME_DENO_DIR],
        ["DENO_NO_UPDATE_CHECK", "1"],
        ["PORT", String(common.port)],
        // Without a shell to read PORT when the container starts, the address is the build's PORT.
        ...(common.useDhi ? ([["DENO_SERVE_ADDRESS", `tcp:0.0.0.0:${common.port}`]] as [string, string][]) : []),
      ],
      copies: [{ stage: "build", src: "/build", dest: "/app", exclude: COMMON_RUNTIME_EXCLUDES }],
      entrypoint: common.useDhi ? undefined : serveAddressEntrypoint(common.port),
      cmd: commandArgv(web.command),
      port: common.port,
      shell: true,
    },
    warnings,
  };
}

/**
 * Deno.serve listens on port 8000 unless the app passes another, and Hono's and Fresh's templates,
 * `deno serve` and oak pass none. Deno takes the address of such a server from DENO_SERVE_ADDRESS,
 * as Deno Deploy sets it (2.4 does; 2.2 ignores the variable, harmlessly). The entrypoint sets it
 * from PORT when the container starts (so `-e PORT=…` still moves the app), unless the environment
 * already sets it.
 */
function serveAddressEntrypoint(port: number): string[] {
  return ["/bin/sh", "-c", `export DENO_SERVE_ADDRESS="\${DENO_SERVE_ADDRESS:-tcp:0.0.0.0:\${PORT:-${port}}}"; exec "$@"`, "sh"];
}

/** `deno task start` (its production twin when it is a watcher), then the first entry file that exists. */
function defaultStart(facts: DenoFacts, warnings: string[]): string {
  const start = facts.tasks.start;
  if (start && /(?:^|\s)--watch\b/.test(start)) {
    // Fresh 1.x: `start` runs dev.ts under --watch; `preview` runs main.ts on what `build` wrote.
    if (facts.tasks.preview) return "deno task preview";
    warnings.push(`the "start" task (${start}) runs with --watch, a development mode; running it anyway. Add a production start task without --watch, or set RUN_COMMAND.`);
  }
  if (start) return "deno task start";
  // Least privilege for a web server: --allow-net to listen, --allow-env to read
  // PORT and other settings, --allow-read for static files and the module
  // cache. No write, run, ffi or sys: an app that needs more defines a start task.
  const run = (entry: string) => `deno ${facts.entryServes && entry === facts.entry ? "serve" : "run"} --allow-net --allow-env --allow-read ${entry}`;
  if (facts.entry) return run(facts.entry);
  warnings.push(`No start command found: ${facts.configFile ?? "deno.json"} has no "start" task and none of ${DENO_ENTRY_FILES.join(", ")} exists; running main.ts. Add a start task or set RUN_COMMAND.`);
  return run("main.ts");
}

// `migetpacks detect|plan|llb DIR`: the same core as the frontend, over local disk.
// Exit codes: 0 ok, 1 bad input (message names the file), 2 no supported language.
import { parseArgs as parseCli } from "node:util";
import { stat } from "node:fs/promises";
import { LocalContext } from "../context/local-fs.js";
import { UserError } from "../context/fs.js";
import { NoLanguageError } from "../detect/detect.js";
import { planProject, resolveProject } from "../plan/build-plan.js";
import { IgnoringContext } from "../context/ignoring.js";
import { planToLlb } from "../emit/plan-to-llb.js";
import { marshal } from "../llb/marshal.js";
import { parsePlatform } from "../llb/platform.js";
import { projectExcludes } from "../context/dockerignore.js";
import { formatPlan } from "./format-plan.js";
import { commonOptions } from "../options/build-args.js";

const HELP = `migetpacks — zero-configuration container builds (BuildKit frontend)

Usage:
  migetpacks detect DIR [--json] [--build-arg KEY=VALUE]...
  migetpacks plan DIR [--json] [--build-arg KEY=VALUE]...
  migetpacks llb DIR [--build-arg KEY=VALUE]... [--platform os/arch]
        Writes a pb.Definition to stdout for:
        migetpacks llb DIR | buildctl build --local context=DIR --output ...

Exit codes: 0 ok, 1 bad input, 2 no supported language found.
`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCli({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        "build-arg": { type: "string", multiple: true, default: [] },
        platform: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    process.stderr.write(`migetpacks: ${(e as Error).message}\n\n${HELP}`);
    return 1;
  }
  const [command, dir, ...extra] = parsed.positionals;
  if (parsed.values.help || !command) {
    process.stdout.write(HELP);
    return parsed.values.help ? 0 : 1;
  }
  if (!["detect", "plan", "llb"].includes(command) || !dir || extra.length) {
    process.stderr.write(`migetpacks: expected \`detect|plan|llb DIR\`\n\n${HELP}`);
    return 1;
  }
  try {
    return await run(command, dir, parsed.values);
  } catch (e) {
    return report(e);
  }
}

async function run(command: string, dir: string, v: { json?: boolean; "build-arg"?: string[]; platform?: string }): Promise<number> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new UserError(`${dir} is not a directory; pass the app's source folder.`);
  const args = parseBuildArgs(v["build-arg"] ?? []);
  // The frontend's rules: configuration from the raw context, everything else through .dockerignore.
  const raw = new LocalContext(dir);
  const setup = await resolveProject(raw, args);
  const ctx = new IgnoringContext(raw, await projectExcludes(raw, setup.projectPath));
  const { detection, plan, buildEnv } = await planProject(ctx, setup);
  if (command === "detect") {
    const s = detection.summary;
    const out = { language: s.language, version: s.version, packageManager: s.packageManager ?? null, framework: s.framework ?? null };
    process.stdout.write(v.json ? JSON.stringify(out) + "\n" : `${s.language} ${s.version} (${s.versionSource})${s.packageManager ? `, ${s.packageManager}` : ""}\n`);
    return 0;
  }
  if (command === "plan") {
    process.stdout.write(v.json ? JSON.stringify(plan, null, 2) + "\n" : formatPlan(plan));
    return 0;
  }
  const platform = parsePlatform(v.platform ?? hostPlatform());
  const state = planToLlb(plan, {
    platform,
    contextName: "context",
    excludePatterns: await projectExcludes(raw, plan.projectPath ?? ""),
    resolveMode: "default",
    cacheNamespace: commonOptions(args).cacheKey,
    proxyEnv: buildEnv.proxy,
  });
  process.stdout.write(marshal(state, { ignoreCache: commonOptions(args).noCache }).bytes);
  return 0;
}

export function parseBuildArgs(list: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const item of list) {
    const i = item.indexOf("=");
    if (i <= 0) throw new UserError(`--build-arg ${JSON.stringify(item)} must look like KEY=VALUE.`);
    args[item.slice(0, i)] = item.slice(i + 1);
  }
  return args;
}

function hostPlatform(): string {
  return `linux/${process.arch === "x64" ? "amd64" : process.arch}`;
}

function report(e: unknown): number {
  if (e instanceof NoLanguageError) {
    process.stderr.write(`migetpacks: ${e.message}\n`);
    return 2;
  }
  if (e instanceof UserError) {
    process.stderr.write(`migetpacks: ${e.message}\n`);
    return 1;
  }
  // A bug, not bad input: still no stack trace for the user, but enough to report it.
  process.stderr.write(`migetpacks: internal error: ${(e as Error)?.message ?? String(e)}\n`);
  if (process.env.MIGETPACKS_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
  return 1;
}

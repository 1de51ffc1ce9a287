// `migetpacks detect|plan|llb DIR`: the same core as the frontend, over local disk.
// Exit codes: 0 ok, 1 bad input (message names the file), 2 no supported language.
import { parseArgs as parseCli } from "node:util";
import { readFile, stat } from "node:fs/promises";
import { LocalContext } from "../context/local-fs.js";
import { UserError, type BuildContext } from "../context/fs.js";
import { NoLanguageError } from "../detect/detect.js";
import { IMAGE_ENV } from "../detect/registry.js";
import { planProject, resolveProject, type Planned } from "../pipeline/build-plan.js";
import { detectionView } from "../context/ignoring.js";
import { planToLlb } from "../emit/plan-to-llb.js";
import { marshal } from "../llb/marshal.js";
import { parsePlatform, type Platform } from "../llb/platform.js";
import { projectExcludes } from "../context/dockerignore.js";
import { formatPlan } from "./format-plan.js";
import { normalizeImageRef } from "../llb/image-ref.js";
import { commonOptions } from "../options/build-args.js";

const HELP = `migetpacks — zero-configuration container builds (BuildKit frontend)

Usage:
  migetpacks detect DIR [--json] [--build-arg KEY=VALUE]...
  migetpacks plan DIR [--json] [--build-arg KEY=VALUE]...
  migetpacks llb DIR [--build-arg KEY=VALUE]... [--platform os/arch] [--image-config REF=FILE]...
        Writes a pb.Definition to stdout for:
        migetpacks llb DIR | buildctl build --local context=DIR --output ...
        --image-config: a base image's config (\`docker image inspect REF\` output or
        an OCI config) whose Env replaces the built-in defaults, so the LLB equals
        the frontend's, which resolves every base image, byte for byte.

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
        "image-config": { type: "string", multiple: true, default: [] },
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

type CliValues = { json?: boolean; "build-arg"?: string[]; platform?: string; "image-config"?: string[] };

async function run(command: string, dir: string, v: CliValues): Promise<number> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new UserError(`${dir} is not a directory; pass the app's source folder.`);
  const args = parseBuildArgs(v["build-arg"] ?? []);
  if (command === "llb") {
    const configs = await readImageConfigs(v["image-config"] ?? []);
    const imageEnv = (ref: string) => configs.get(normalizeImageRef(ref));
    process.stdout.write(await emitLlb(new LocalContext(dir), args, { platform: parsePlatform(v.platform ?? hostPlatform()), imageEnv }));
    return 0;
  }
  const { detection, plan } = await planLocal(new LocalContext(dir), args);
  if (command === "detect") {
    const s = detection.summary;
    const out = { language: s.language, version: s.version, packageManager: s.packageManager ?? null, framework: s.framework ?? null };
    process.stdout.write(v.json ? JSON.stringify(out) + "\n" : `${s.language} ${s.version} (${s.versionSource})${s.packageManager ? `, ${s.packageManager}` : ""}\n`);
    return 0;
  }
  process.stdout.write(v.json ? JSON.stringify(plan, null, 2) + "\n" : formatPlan(plan));
  return 0;
}

/** The frontend's rules on local disk: configuration from the raw context, everything else through .dockerignore. */
async function planLocal(raw: BuildContext, args: Record<string, string>): Promise<Planned> {
  const setup = await resolveProject(raw, args);
  const ctx = detectionView(raw, setup.projectPath, await projectExcludes(raw, setup.projectPath));
  return planProject(ctx, setup);
}

/** The pb.Definition bytes `migetpacks llb` writes; the frontend solves the same for the same inputs. */
export async function emitLlb(ctx: BuildContext, args: Record<string, string>, o: { platform: Platform; imageEnv?: (ref: string) => string[] | undefined }): Promise<Uint8Array> {
  const { plan, buildEnv } = await planLocal(ctx, args);
  const state = planToLlb(plan, {
    platform: o.platform,
    contextName: "context",
    excludePatterns: await projectExcludes(ctx, plan.projectPath ?? ""),
    resolveMode: "default",
    knownEnv: IMAGE_ENV,
    buildPlatform: parsePlatform(hostPlatform()),
    imageEnv: o.imageEnv,
    cacheNamespace: commonOptions(args).cacheKey,
    proxyEnv: buildEnv.proxy,
  });
  return marshal(state, { ignoreCache: commonOptions(args).noCache }).bytes;
}

/** `--image-config REF=FILE`: the Env of `docker image inspect` output or of an OCI image config. */
async function readImageConfigs(list: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const item of list) {
    const i = item.indexOf("=");
    if (i <= 0) throw new UserError(`--image-config ${JSON.stringify(item)} must look like REF=FILE.`);
    const file = item.slice(i + 1);
    let doc: any;
    try {
      doc = JSON.parse(await readFile(file, "utf8"));
    } catch (e) {
      throw new UserError(`--image-config: ${file} is not a readable JSON file (${(e as Error).message}); pass \`docker image inspect REF > FILE\` output.`);
    }
    const cfg = Array.isArray(doc) ? doc[0]?.Config : (doc?.config ?? doc?.Config);
    const env = cfg?.Env;
    if (!Array.isArray(env)) throw new UserError(`--image-config: ${file} holds no image config with an Env list; pass \`docker image inspect REF > FILE\` output.`);
    out.set(normalizeImageRef(item.slice(0, i)), env.map(String));
  }
  return out;
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

// Go: static binaries built in golang:<v>, shipped on a slim Debian runtime.
import * as z from "../../lib/zod.js";
import { exists, isFile, readText, readVersionFile, UserError, type BuildContext } from "../../context/fs.js";
import { boolOption, parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { BuildPlanInput, CopyStep, RunStep } from "../../kit/schema.js";
import { selectWebCommand, commandArgv } from "../../kit/run-command.js";
import { GO_RUNTIME_EXCLUDES } from "../../kit/cleanup.js";
import type { PlanInput, Provider } from "../../kit/provider.js";
import { buildFlagWords, packageSpec } from "./build-flags.js";
import { binaryName, parseGoMod, type GoMod } from "./gomod.js";
import { findMainPackages, MAIN_PACKAGE_READS, pickWebBinary } from "./main-packages.js";
import { pickGoVersion, type VersionPick } from "./version.js";
import { toolVersion, TOOL_VERSION_FILES } from "../../manifest/tool-versions.js";
import { readWorkspace, workspaceBuild, workspaceReads, type GoWorkspace } from "./workspace.js";
import { GO_HARDENED } from "./hardened.js";
import { DEFAULT_PATH } from "../../kit/image-env.js";
import { shellQuote } from "../../kit/shell.js";

const MARKERS = ["go.mod", "go.work", "Godeps/Godeps.json", "glide.yaml"];

const GoSettings = z.object({
  GO_VERSION: z.string().optional(),
  GO_INSTALL_PACKAGE_SPEC: z.string().trim().optional(),
  GO_LINKER_SYMBOL: z.string().trim().optional(),
  GO_LINKER_VALUE: z.string().optional(),
  GO_BUILD_FLAGS: z.string().trim().optional(),
  GO_INSTALL_TOOLS_IN_IMAGE: boolOption.optional(),
});

export interface GoFacts {
  mod?: GoMod;
  /** go.work at the root: its modules are built in workspace mode. */
  workspace?: GoWorkspace;
  hasGoSum: boolean;
  hasVendor: boolean;
  version: VersionPick;
  hooks: { pre: boolean; post: boolean };
  marker: string;
  /** Main packages of a single module: ["."], or ./cmd/<name> ones when the root is not a program. */
  mainPackages?: string[];
}

/** The compiler runs on the build platform (native speed) and targets the image's platform. */
export const GO_CROSS_COMPILE = `export GOARCH="$TARGETARCH" && { [ "$TARGETARCH" != arm ] || export GOARM="\${TARGETVARIANT#v}"; }`;

const MIGRATE_MODULE = "github.com/golang-migrate/migrate";

export const goProvider: Provider<GoFacts> = {
  id: "go",
  name: "Go",
  aliases: ["golang"],
  hardened: GO_HARDENED,
  imageEnv: { "docker.io/library/golang": [`PATH=/go/bin:/usr/local/go/bin:${DEFAULT_PATH}`, "GOPATH=/go"] },
  sample: { "go.mod": "module example.com/app\n\ngo 1.22\n", "main.go": "package main" },
  options: Object.keys(GoSettings.shape),
  markers: MARKERS,
  // MAIN_PACKAGE_READS too: known up front, so a Go module needs no follow-up transfer (one context round trip).
  reads: [...MARKERS, "go.sum", "go.work.sum", ".go-version", ...TOOL_VERSION_FILES, "vendor/modules.txt", "bin/go-pre-compile", "bin/go-post-compile", ...MAIN_PACKAGE_READS],

  async matches(ctx) {
    for (const m of MARKERS) if (await isFile(ctx, m)) return true;
    return false;
  },

  // go.work members, or (one module) the files that say where `package main` is.
  followUp: async (ctx) => ((await isFile(ctx, "go.work")) ? workspaceReads(ctx) : (await isFile(ctx, "go.mod")) ? MAIN_PACKAGE_READS : []),

  async facts(ctx: BuildContext, args: BuildArgs): Promise<GoFacts> {
    const settings = parseArgs(GoSettings, args);
    const modText = await readText(ctx, "go.mod");
    const mod = modText === undefined ? undefined : parseGoMod(modText);
    const workspace = await readWorkspace(ctx);
    const marker = mod
      ? "go.mod"
      : workspace
        ? "go.work"
        : (await isFile(ctx, "Godeps/Godeps.json"))
        ? "Godeps/Godeps.json"
        : (await isFile(ctx, "glide.yaml"))
          ? "glide.yaml"
          : "go.mod";
    return {
      mod,
      workspace,
      hasGoSum: await isFile(ctx, "go.sum"),
      // `go mod vendor` writes vendor/modules.txt; reading only it keeps vendor/ out of the detection transfer.
      hasVendor: await isFile(ctx, "vendor/modules.txt"),
      version: pickGoVersion(settings.GO_VERSION, await readVersionFile(ctx, ".go-version"), mod, workspace?.work, await toolVersion(ctx, "go", ["golang"])),
      mainPackages: mod && !workspace ? await findMainPackages(ctx) : undefined,
      hooks: { pre: await exists(ctx, "bin/go-pre-compile"), post: await exists(ctx, "bin/go-post-compile") },
      marker,
    };
  },

  summary(f) {
    return { language: "go", version: f.version.version, versionSource: f.version.source, packageManager: "go modules" };
  },

  plan(input) {
    return planGo(input);
  },
};

function planGo({ facts, args, common, procfile }: PlanInput<GoFacts>): BuildPlanInput {
  const s = parseArgs(GoSettings, args);
  if (!facts.mod && facts.marker === "go.mod") {
    throw new UserError("go.mod is missing: a Go app needs go.mod at the root of the build context; run `go mod init <module>` and `go mod tidy`.", "go.mod");
  }
  if (!facts.mod && !facts.workspace) {
    throw new UserError(
      `${facts.marker} marks a pre-modules Go project, which needs go.mod to build; run \`go mod init <module>\` and \`go mod tidy\`, then commit go.mod and go.sum.`,
      facts.marker,
    );
  }
  const warnings: string[] = [];
  const specArg = s.GO_INSTALL_PACKAGE_SPEC ? packageSpec(args, s.GO_INSTALL_PACKAGE_SPEC.split(/\s+/), false) : packageSpec(args, facts.mod?.installSpec, true);
  const t = facts.workspace ? workspaceTargets(facts.workspace, specArg) : moduleTargets(facts, facts.mod!, specArg);
  const { spec, single, binaries } = t;

  const ldflags = ["-s", "-w"];
  if (s.GO_LINKER_SYMBOL && s.GO_LINKER_VALUE !== undefined) ldflags.push(`-X ${s.GO_LINKER_SYMBOL}=${s.GO_LINKER_VALUE}`);
  else if (s.GO_LINKER_SYMBOL || s.GO_LINKER_VALUE) warnings.push("GO_LINKER_SYMBOL and GO_LINKER_VALUE must both be set; the linker symbol was not applied.");

  const out = single ? `/build/${binaries[0]}` : "/build/bin/";
  const goBuild = ["go build", `-ldflags=${shellQuote(ldflags.join(" "))}`, ...buildFlagWords(args, s.GO_BUILD_FLAGS).map((w) => shellQuote(w)), "-o", out, ...spec.map((w) => shellQuote(w))]
    .filter(Boolean)
    .join(" ");
  const parts: string[] = [GO_CROSS_COMPILE];
  if (!single) parts.push("mkdir -p /build/bin");
  if (facts.hooks.pre) parts.push("chmod +x bin/go-pre-compile", "./bin/go-pre-compile");
  parts.push(common.buildCommand ?? goBuild);
  const migrate = [facts.mod, ...(facts.workspace?.members ?? []).map((m) => m.mod)].map((m) => m && migrateInstall(m)).find(Boolean);
  // Ship golang-migrate's CLI next to the app (the original installed it outside the shipped tree).
  if (migrate) parts.push(`GOBIN=/build/bin go install -tags 'postgres mysql' ${migrate}`);
  if (facts.hooks.post) parts.push("chmod +x bin/go-post-compile", "./bin/go-post-compile");

  const caches = ["gomod", "gobuild"];
  const installSteps: RunStep[] = facts.hasVendor || !t.download ? [] : [{ kind: "run", name: "download Go modules", shell: t.download, caches, env: [] }];

  const web = selectWebCommand(common.runCommand, procfile, defaultCommand(single, binaries, binaryName(facts.mod?.module)));
  const command = web.source === "default" ? web.command : prefixBinary(web.command, single, binaries);
  if (binaries.length > 1 && web.source === "default") {
    warnings.push(`Several binaries are built (${binaries.join(", ")}); running ${command}. Set RUN_COMMAND or a Procfile web: line to choose.`);
  }

  // What the source never changes comes first, so its layers stay cached (and pushed) when only the app changes.
  const runtimeCopies = [
    // debian:bookworm-slim has no CA bundle; the builder does. No package manager runs in the runtime.
    { stage: "build", src: "/etc/ssl/certs/ca-certificates.crt", dest: "/etc/ssl/certs/ca-certificates.crt", exclude: [] as string[] },
  ];
  const runtimeEnv: [string, string][] = [["PORT", String(common.port)]];
  if (s.GO_INSTALL_TOOLS_IN_IMAGE) {
    runtimeCopies.push({ stage: "build", src: "/usr/local/go", dest: "/usr/local/go", exclude: [] });
    runtimeEnv.push(["GOROOT", "/usr/local/go"], ["PATH", "/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
  }
  runtimeCopies.push({ stage: "build", src: "/build", dest: "/app", exclude: [...GO_RUNTIME_EXCLUDES, ...t.excludes] });

  return {
    schema: 2,
    result: {
      language: "go",
      version: facts.version.version,
      versionSource: facts.version.source,
      packageManager: "go modules",
      runCommand: command,
      port: common.port,
      processes: { web: command, release: procfile?.release, workers: procfile?.workers ?? [] },
      _shell: true,
    },
    caches: {
      gomod: { id: "go-mod", target: "/go/pkg/mod", sharing: "shared" },
      gobuild: { id: "go-build", target: "/root/.cache/go-build", sharing: "shared" },
    },
    stages: [
      {
        name: "build",
        image: `golang:${facts.version.version}`,
        platform: "build",
        workdir: "/build",
        env: [
          ["CGO_ENABLED", "0"],
          ["GOOS", "linux"],
          ["GOTOOLCHAIN", "local"],
        ],
        steps: [
          t.manifests,
          ...installSteps,
          { kind: "copy", name: "copy source", from: "context", paths: ["."], dest: "/build" },
          { kind: "run", name: "go build", shell: parts.join(" && "), caches, env: [] },
        ],
      },
    ],
    runtime: {
      image: "debian:bookworm-slim",
      user: "1000:1000",
      workdir: "/app",
      env: runtimeEnv,
      copies: runtimeCopies,
      cmd: commandArgv(command),
      port: common.port,
      shell: true,
    },
    warnings,
  };
}

interface Targets {
  spec: string[];
  /** One binary at /build/<name>; otherwise every binary goes to /build/bin/. */
  single: boolean;
  binaries: string[];
  manifests: CopyStep;
  /** The dependency download, or undefined when there is nothing to download. */
  download?: string;
  /** Extra paths kept out of the runtime image. */
  excludes: string[];
}

/** One module at the root: `.` (a binary named after the module) or the install spec's packages. */
function moduleTargets(facts: GoFacts, mod: GoMod, specArg: string[] | undefined): Targets {
  const spec = specArg ?? facts.mainPackages ?? ["."];
  const single = spec.length === 1 && spec[0] === ".";
  const binaries = single ? [binaryName(mod.module)] : spec.filter((p) => !p.includes("...")).map((p) => p.replace(/\/+$/, "").split("/").pop()!);
  const paths = ["go.mod", ...(facts.hasGoSum ? ["go.sum"] : [])];
  return { spec, single, binaries, manifests: { kind: "copy", name: "copy Go module files", from: "context", paths, dest: "/build" }, download: "go mod download", excludes: [] };
}

/**
 * A go.work workspace: the member(s) with `package main` at their root, or
 * the spec. Binaries always go to /build/bin/: a member folder usually has
 * the binary's name (api/ builds api), so /build/api would be that folder.
 */
function workspaceTargets(ws: GoWorkspace, specArg: string[] | undefined): Targets {
  const b = workspaceBuild(ws, specArg);
  const manifests: CopyStep = { kind: "copy", name: "copy Go module files", from: "context", paths: ["."], include: b.manifests, dest: "/build" };
  const excludes = b.manifests.filter((p) => p.includes("/"));
  return { spec: b.spec, single: false, binaries: b.binaries, manifests, download: b.download, excludes };
}

/** `go install` target for the golang-migrate CLI at the version go.mod requires (v4 module path or the older one). */
function migrateInstall(mod: GoMod): string | undefined {
  const v4 = mod.requires.get(`${MIGRATE_MODULE}/v4`);
  if (v4) return `${MIGRATE_MODULE}/v4/cmd/migrate@${v4}`;
  const old = mod.requires.get(MIGRATE_MODULE);
  return old ? `${MIGRATE_MODULE}/cmd/migrate@${old}` : undefined;
}

function defaultCommand(single: boolean, binaries: string[], moduleName: string): string {
  return single ? `./${binaries[0]}` : `./bin/${pickWebBinary(binaries, moduleName) ?? "app"}`;
}

/** Procfile `web: myapp` means the built binary: `./myapp`, or `./bin/myapp` for multi-binary builds. */
function prefixBinary(command: string, single: boolean, binaries: string[]): string {
  const trimmed = command.trim();
  if (/\s/.test(trimmed) || trimmed.includes("/")) return trimmed;
  if (!single && binaries.includes(trimmed)) return `./bin/${trimmed}`;
  return `./${trimmed}`;
}

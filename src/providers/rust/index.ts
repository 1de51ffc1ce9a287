// Rust: release binaries built with cargo in rust:<v>, shipped alone (plus
// asset folders) on a slim Debian runtime. Packages and workspaces alike.
import * as z from "../../lib/zod.js";
import { toolVersion, TOOL_VERSION_FILES } from "../../manifest/tool-versions.js";
import { isFile, readText, UserError, type BuildContext } from "../../context/fs.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { BuildPlanInput } from "../../kit/schema.js";
import { commandArgv, selectWebCommand } from "../../kit/run-command.js";
import type { PlanInput, Provider } from "../../kit/provider.js";
import { readManifest, type CargoManifest } from "./manifest.js";
import { packageBinaries, readBinaryFiles } from "./binaries.js";
import { builtPackages, memberReads, readMembers } from "./workspace.js";
import { readToolchainPin, TOOLCHAIN_FILES } from "./toolchain.js";
import { builderImage, checkMinimum, compare, pickRustVersion, type RustVersionPick } from "./version.js";
import { binaryPath, rewriteCommand, webBinary, type BinaryOwner, type Shipped } from "./command.js";
import { buildStep, CACHES, fetchStep, manifestCopy, OUT, sourceCopy } from "./build-steps.js";
import { parseToml } from "../../manifest/toml.js";
import { NONROOT } from "../../kit/hardened.js";
import { DEFAULT_PATH } from "../../kit/image-env.js";

const MARKERS = ["Cargo.toml", "Cargo.lock"];
const CARGO_CONFIGS = [".cargo/config.toml", ".cargo/config"];

const RustSettings = z.object({
  RUST_VERSION: z.string().trim().optional(),
  RUSTUP_TOOLCHAIN: z.string().trim().optional(),
  RUST_BIN: z.string().trim().optional(),
});

export interface RustFacts {
  /** False when only Cargo.lock exists (nothing cargo can build). */
  hasManifest: boolean;
  hasLock: boolean;
  /** `[source.*] directory = ...` in .cargo/config: dependencies are in the context, nothing to fetch. */
  vendored: boolean;
  workspace: boolean;
  /** The packages `cargo build` produces for the image, each with its binaries. */
  packages: BinaryOwner[];
  workspaceFlag: boolean;
  stubFiles: string[];
  version: RustVersionPick;
}

export const rustProvider: Provider<RustFacts> = {
  id: "rust",
  name: "Rust",
  hardened: { repo: "rust", official: ["rust"], user: NONROOT },
  imageEnv: { "docker.io/library/rust": [`PATH=/usr/local/cargo/bin:${DEFAULT_PATH}`, "CARGO_HOME=/usr/local/cargo", "RUSTUP_HOME=/usr/local/rustup"] },
  sample: { "Cargo.toml": '[package]\nname = "app"\nversion = "0.1.0"\n', "src/main.rs": "fn main() {}" },
  markers: MARKERS,
  options: Object.keys(RustSettings.shape),
  reads: [...MARKERS, ...TOOLCHAIN_FILES, "src/main.rs", "src/bin", ...CARGO_CONFIGS, ...TOOL_VERSION_FILES],

  async matches(ctx) {
    for (const m of MARKERS) if (await isFile(ctx, m)) return true;
    return false;
  },

  async followUp(ctx) {
    const root = await readManifest(ctx, "Cargo.toml");
    return root?.workspace ? memberReads(root) : [];
  },

  facts: rustFacts,

  summary(f) {
    return { language: "rust", version: f.version.version, versionSource: f.version.source, packageManager: "cargo" };
  },

  plan: planRust,
};

async function rustFacts(ctx: BuildContext, args: BuildArgs): Promise<RustFacts> {
  const settings = parseArgs(RustSettings, args);
  const root = await readManifest(ctx, "Cargo.toml");
  const hasLock = await isFile(ctx, "Cargo.lock");
  const pin = await readToolchainPin(ctx);
  const mise = await toolVersion(ctx, "rust");
  if (!root) {
    const version = pickRustVersion({ args: settings, pin, mise });
    return { hasManifest: false, hasLock, vendored: false, workspace: false, packages: [], workspaceFlag: false, stubFiles: [], version };
  }
  const members = root.workspace ? await readMembers(ctx, root) : [];
  const bins = new Map<CargoManifest, string[]>();
  for (const m of [root, ...members]) bins.set(m, m.package ? packageBinaries(m, await readBinaryFiles(ctx, m.dir), inherited(m, root, "edition")) : []);
  const built = builtPackages(root, members, (m) => bins.get(m)!.length > 0);
  return {
    hasManifest: true,
    hasLock,
    vendored: await isVendored(ctx),
    workspace: Boolean(root.workspace),
    packages: built.packages.map((m) => ({ name: m.package!.name, file: m.file, bins: bins.get(m)!, defaultRun: m.package!.defaultRun })),
    workspaceFlag: built.all,
    stubFiles: [root, ...members].flatMap((m) => m.requiredFiles.map((f) => (m.dir ? `${m.dir}/${f}` : f))),
    version: pickRustVersion({ args: settings, pin, mise, minimum: minimumVersion([root, ...members], root) }),
  };
}

/** A package field, or the root's [workspace.package] value when it says `field.workspace = true`. */
function inherited(m: CargoManifest, root: CargoManifest, field: "edition" | "rustVersion"): string | undefined {
  const own = m.package?.[field];
  return own === "workspace" ? root.workspace?.[field] : own;
}

/** The highest rust-version any package declares: building needs at least that. */
function minimumVersion(manifests: CargoManifest[], root: CargoManifest): { version: string; file: string } | undefined {
  let best: { version: string; file: string } | undefined;
  for (const m of manifests) {
    const raw = inherited(m, root, "rustVersion");
    if (!raw) continue;
    const version = checkMinimum(raw, m.package?.rustVersion === "workspace" ? root.file : m.file);
    if (!best || compare(version, best.version) > 0) best = { version, file: m.file };
  }
  return best;
}

async function isVendored(ctx: BuildContext): Promise<boolean> {
  for (const file of CARGO_CONFIGS) {
    const text = await readText(ctx, file);
    if (text === undefined) continue;
    const sources = parseToml(text, file).source as Record<string, Record<string, unknown>> | undefined;
    if (Object.values(sources ?? {}).some((s) => typeof s?.directory === "string")) return true;
  }
  return false;
}

function planRust({ facts, args, common, procfile }: PlanInput<RustFacts>): BuildPlanInput {
  const s = parseArgs(RustSettings, args);
  const shipped = shippedBinaries(facts);
  const web = webBinary(shipped, facts.packages, s.RUST_BIN);
  const chosen = selectWebCommand(common.runCommand, procfile, binaryPath(web.bin, shipped));
  const command = chosen.source === "default" ? chosen.command : rewriteCommand(chosen.command, shipped);
  const warnings = [...facts.version.warnings];
  if (shipped.multi && chosen.source === "default" && web.reason !== "RUST_BIN") {
    warnings.push(`Several binaries are built (${shipped.bins.join(", ")}); running ${command} (${web.reason}). Set RUST_BIN, RUN_COMMAND or a Procfile web: line to choose.`);
  }
  const stepInput = { hasLock: facts.hasLock, stubFiles: facts.stubFiles, workspaceFlag: facts.workspaceFlag, shipped, buildCommand: common.buildCommand };
  const dependencySteps = facts.vendored ? [] : [manifestCopy(), fetchStep(stepInput)];
  return {
    schema: 2,
    result: {
      language: "rust",
      version: facts.version.version,
      versionSource: facts.version.source,
      packageManager: "cargo",
      runCommand: command,
      port: common.port,
      processes: { web: command, release: procfile?.release, workers: procfile?.workers ?? [] },
      _shell: true,
    },
    caches: CACHES,
    stages: [
      {
        name: "build",
        image: builderImage(facts.version.version),
        workdir: "/build",
        // Set, not inherited: the cache mounts are at these paths whatever .cargo/config.toml says.
        env: [
          ["CARGO_HOME", "/usr/local/cargo"],
          ["CARGO_TARGET_DIR", "/build/target"],
        ],
        steps: [...dependencySteps, sourceCopy(), buildStep(stepInput)],
      },
    ],
    runtime: {
      image: "debian:bookworm-slim",
      user: "1000:1000",
      workdir: "/app",
      env: [
        ["PORT", String(common.port)],
        ["RUST_BACKTRACE", "1"],
        ["RUST_LOG", "info"],
      ],
      copies: [
        // debian:bookworm-slim has no CA bundle; the builder does. No package manager runs in the runtime.
        // Before the app: a layer the source never changes stays cached when only the app changes.
        { stage: "build", src: "/etc/ssl/certs/ca-certificates.crt", dest: "/etc/ssl/certs/ca-certificates.crt", exclude: [] },
        { stage: "build", src: OUT, dest: "/app", exclude: [] },
      ],
      cmd: commandArgv(command),
      port: common.port,
      shell: true,
    },
    warnings,
  };
}

/** The binaries to ship, or a UserError saying why there is nothing to run. */
function shippedBinaries(facts: RustFacts): Shipped {
  if (!facts.hasManifest) {
    // Reached with Cargo.lock only, or with LANGUAGE=rust and no Cargo file at all: say which.
    const found = facts.hasLock ? "Cargo.lock is here but Cargo.toml is not" : "Cargo.toml is not in the build context";
    throw new UserError(`${found}: cargo needs Cargo.toml at the root of the build context (or set PROJECT_PATH to the crate's folder).`, "Cargo.toml");
  }
  const bins = [...new Set(facts.packages.flatMap((p) => p.bins))];
  if (!bins.length) {
    const where = facts.workspace ? "no workspace member builds a binary" : "the package builds no binary";
    throw new UserError(`Cargo.toml: ${where}; a library cannot run. Add src/main.rs (or a [[bin]] section) to the app's package.`, "Cargo.toml");
  }
  return { bins, multi: bins.length > 1 };
}

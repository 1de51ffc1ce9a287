// The builder's steps. Dependencies first, from the manifests alone, so a
// source-only change leaves `cargo fetch` cached; then the source and the
// release build. target/ is a cache mount (incremental rebuilds across
// builds), so the binaries are copied out to /build/out in the same step.
import type { CopyStep, RunStep } from "../../kit/schema.js";
import type { Shipped } from "./command.js";

export const OUT = "/build/out";

// Folders the original shipped next to the binary (its asset loop): apps read them relative to /app.
const ASSET_DIRS = ["static", "public", "assets", "templates"];

// Host build output and toolchain pins stay out of the builder: the image's toolchain is the version
// planned from those pins, and rustup would otherwise try to download the pinned one.
export const SOURCE_EXCLUDES = ["target", "rust-toolchain.toml", "rust-toolchain"];

export const CACHES = {
  registry: { id: "cargo-registry", target: "/usr/local/cargo/registry", sharing: "shared" as const },
  git: { id: "cargo-git", target: "/usr/local/cargo/git", sharing: "shared" as const },
  // locked: the step copies binaries out of it, which another app's build must not replace meanwhile.
  target: { id: "rust-target", target: "/build/target", sharing: "locked" as const },
};

export interface StepInput {
  hasLock: boolean;
  /** Files cargo needs to load the manifests (targets declared without a path), from the root. */
  stubFiles: string[];
  /** `--workspace`: the root package is a library and the binaries are in members. */
  workspaceFlag: boolean;
  shipped: Shipped;
  buildCommand?: string;
}

/** Every manifest, lockfile and cargo config at its place, nothing else: the dependency layer's input. */
export function manifestCopy(): CopyStep {
  return {
    kind: "copy",
    name: "copy Cargo manifests",
    from: "context",
    paths: ["."],
    dest: "/build",
    include: ["**/Cargo.toml", "Cargo.lock", ".cargo/config.toml", ".cargo/config"],
    exclude: ["target", "**/target"],
  };
}

/**
 * `cargo fetch` loads every manifest, and cargo refuses a package without a
 * target, or with a declared target whose file is missing: empty stand-ins
 * are created for it (src/lib.rs everywhere, plus declared targets' files)
 * and removed again before the layer is stored.
 */
export function fetchStep(i: StepInput): RunStep {
  const libs = `find . -name Cargo.toml -not -path './target/*' -exec sh -c 'for m; do mkdir -p "\${m%Cargo.toml}src" && touch "\${m%Cargo.toml}src/lib.rs"; done' sh {} +`;
  const declared = i.stubFiles.length ? [`for f in ${i.stubFiles.map(quote).join(" ")}; do mkdir -p "$(dirname "$f")" && touch "$f"; done`] : [];
  const clean = ["find . -name '*.rs' -type f -delete", "find . -mindepth 1 -type d -empty -delete"];
  return {
    kind: "run",
    name: "cargo fetch",
    shell: [libs, ...declared, `cargo fetch${i.hasLock ? " --locked" : ""}`, ...clean].join(" && "),
    caches: ["registry", "git"],
    env: [],
  };
}

export function sourceCopy(): CopyStep {
  return { kind: "copy", name: "copy source", from: "context", paths: ["."], dest: "/build", exclude: SOURCE_EXCLUDES };
}

export function buildStep(i: StepInput): RunStep {
  const cargo = ["cargo build --release", i.hasLock ? "--locked" : "", i.workspaceFlag ? "--workspace" : ""].filter(Boolean).join(" ");
  const into = i.shipped.multi ? `${OUT}/bin` : OUT;
  const assets = `for d in ${ASSET_DIRS.join(" ")}; do if [ -d "$d" ]; then cp -R "$d" ${OUT}/; fi; done`;
  const copyOut = [`mkdir -p ${into}`, `cp ${i.shipped.bins.map((b) => quote(`target/release/${b}`)).join(" ")} ${into}/`, assets];
  return { kind: "run", name: "cargo build", shell: [i.buildCommand ?? cargo, ...copyOut].join(" && "), caches: ["registry", "git", "target"], env: [] };
}

function quote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

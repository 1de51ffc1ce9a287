// Rust version, first hit wins: RUST_VERSION (or RUSTUP_TOOLCHAIN) build arg,
// rust-toolchain.toml, rust-toolchain, then the default. Cargo.toml's
// `rust-version` is a minimum, not a pin: it is used only when it is newer
// than the default, and a pin below it earns a warning (cargo would refuse).
import { UserError } from "../../context/fs.js";
import type { ToolchainPin } from "./toolchain.js";

/**
 * The newest stable release whose official images we know exist (the
 * original migetpacks defaults to it as well); pin newer ones with
 * RUST_VERSION or rust-toolchain.toml.
 */
export const DEFAULT_RUST_VERSION = "1.92.0";

export interface RustVersionPick {
  version: string;
  source: string;
  warnings: string[];
}

export interface VersionInputs {
  args: { RUST_VERSION?: string; RUSTUP_TOOLCHAIN?: string };
  pin?: ToolchainPin;
  /** rust pinned in mise.toml / .tool-versions (after rust-toolchain files, which rustup itself reads first). */
  mise?: { version: string; file: string };
  /** Highest `rust-version` of the packages built, with the manifest that says it. */
  minimum?: { version: string; file: string };
}

const RELEASE = /^\d+\.\d+(\.\d+)?$/;

export function pickRustVersion({ args, pin, mise, minimum }: VersionInputs): RustVersionPick {
  const candidates: [string | undefined, string, string | undefined][] = [
    [args.RUST_VERSION, "build arg RUST_VERSION", undefined],
    [args.RUSTUP_TOOLCHAIN, "build arg RUSTUP_TOOLCHAIN", undefined],
    [pin?.channel, pin?.file ?? "", pin?.file],
    [mise?.version, mise?.file ?? "", mise?.file],
  ];
  for (const [raw, source, file] of candidates) {
    const v = raw?.trim();
    if (!v || v === "default") continue;
    const version = v === "stable" ? DEFAULT_RUST_VERSION : checked(v, source, file);
    const warnings = minimum && compare(version, minimum.version) < 0 ? [tooOld(version, source, minimum)] : [];
    return { version, source: v === "stable" ? `${source} (stable)` : source, warnings };
  }
  if (minimum && compare(minimum.version, DEFAULT_RUST_VERSION) > 0) {
    return { version: minimum.version, source: `${minimum.file} rust-version`, warnings: [] };
  }
  return { version: DEFAULT_RUST_VERSION, source: "default", warnings: [] };
}

/** A `rust-version` value, which cargo requires to be a plain release number. */
export function checkMinimum(raw: string, file: string): string {
  const v = raw.trim();
  if (!RELEASE.test(v)) throw new UserError(`${file}: rust-version = "${raw}" is not a Rust release; use a version such as 1.75 or 1.75.0.`, file);
  return v;
}

/**
 * The builder image. Its Debian release is pinned to the runtime's
 * (bookworm): a binary linked against a newer glibc (trixie's) would not start
 * on debian:bookworm-slim. Releases older than the bookworm tags use
 * bullseye's, whose older glibc runs fine on bookworm.
 */
export function builderImage(version: string): string {
  const minor = Number(version.split(".")[1]);
  const suite = minor >= 70 ? "bookworm" : minor >= 54 ? "bullseye" : "buster";
  return `rust:${version}-${suite}`;
}

/** -1, 0 or 1; a missing patch counts as 0. */
export function compare(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

function checked(v: string, source: string, file: string | undefined): string {
  if (RELEASE.test(v)) return v;
  const what = /^(beta|nightly)/.test(v) ? `the ${v.split("-")[0]} channel, which the official rust images do not ship` : "not a Rust release";
  throw new UserError(`${source} says "${v}": ${what}; use a stable version such as ${DEFAULT_RUST_VERSION} (or "stable").`, file);
}

function tooOld(version: string, source: string, minimum: { version: string; file: string }): string {
  return `Rust ${version} (${source}) is older than rust-version = "${minimum.version}" in ${minimum.file}; cargo will refuse to build. Raise the version or lower rust-version.`;
}

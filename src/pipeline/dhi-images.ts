// Docker Hardened Images per language: `dhi.io/<repo>:<v>-dev` builds,
// `dhi.io/<repo>:<v>` runs (distroless: no shell, no package manager).
// Version floors are the oldest hardened tags that exist (from the original).
import semver from "semver";
import { UserError } from "../context/fs.js";
import type { LanguageId } from "../kit/schema.js";

export interface DhiSpec {
  repo: string;
  /** Official repositories whose images this language's stages use (rewritten to DHI). */
  official: string[];
  /** The image's non-root user, numerically (file ownership needs ids). */
  user: string;
  /** Raises a version below the oldest hardened tag (with a warning) or refuses it. */
  floor?: (version: string) => { version: string; warning?: string };
}

const NONROOT = "65532:65532";

export const DHI: Partial<Record<LanguageId, DhiSpec>> = {
  go: { repo: "golang", official: ["golang"], user: NONROOT, floor: goFloor },
  nodejs: { repo: "node", official: ["node"], user: "1000:1000" },
  bun: { repo: "bun", official: ["oven/bun"], user: NONROOT, floor: (v) => minimum("Bun", v, "1.3.6") },
  deno: { repo: "deno", official: ["denoland/deno"], user: "1993:1993", floor: (v) => minimum("Deno", v, "2.6.4") },
  python: { repo: "python", official: ["python"], user: NONROOT },
  ruby: { repo: "ruby", official: ["ruby"], user: NONROOT },
  rust: { repo: "rust", official: ["rust"], user: NONROOT },
};

/** Languages whose hardened runtime does not exist: official images are kept, with a warning. */
export const NO_DHI: Partial<Record<LanguageId, string>> = {
  php: "PHP (FrankenPHP) has no hardened image",
  elixir: "Elixir has no hardened image",
};

const GO_PATCH_FLOORS: Record<string, number> = { "1.22": 12, "1.23": 7, "1.24": 1 };

function goFloor(version: string): { version: string; warning?: string } {
  const [major, minor, patch] = version.split(".").map(Number) as [number, number, number | undefined];
  if (major === 1 && minor < 22) {
    throw new UserError(`Go ${version} has no hardened image (USE_DHI=true needs Go 1.22.12 or newer); raise the go directive in go.mod or GO_VERSION, or build without USE_DHI.`, "go.mod");
  }
  const floor = GO_PATCH_FLOORS[`${major}.${minor}`];
  if (floor !== undefined && patch !== undefined && patch < floor) {
    const raised = `${major}.${minor}.${floor}`;
    return { version: raised, warning: `Go ${version} has no hardened image; using ${raised}, the oldest hardened ${major}.${minor} release.` };
  }
  return { version };
}

function minimum(name: string, version: string, min: string): { version: string; warning?: string } {
  const v = semver.coerce(version);
  if (v && semver.lt(v, min)) return { version: min, warning: `${name} ${version} has no hardened image; using ${min}, the oldest hardened release.` };
  return { version };
}

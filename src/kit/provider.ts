// A provider knows one language: which files mark it, which files it may read,
// how to gather facts from the context (async, reading only), and how to turn
// those facts into a build plan (pure, synchronous).
import type { BuildContext } from "../context/fs.js";
import type { BuildArgs, CommonOptions } from "../options/build-args.js";
import type { BuildPlanInput, LanguageId } from "./schema.js";
import type { Procfile } from "../manifest/procfile.js";

export interface DetectSummary {
  language: LanguageId;
  version: string;
  versionSource: string;
  packageManager?: string;
  framework?: string;
}

export interface PlanInput<F> {
  facts: F;
  args: BuildArgs;
  common: CommonOptions;
  procfile?: Procfile;
  /** "assets": planned as a secondary buildpack whose build output feeds another language (no pruning, no runtime of its own). */
  role?: "primary" | "assets";
  /** Building one member of a workspace whose root is the context: its folder and package manifest. */
  member?: { dir: string; pkg: Record<string, unknown> };
}

export interface Provider<F = unknown> {
  id: LanguageId;
  /** Files whose presence selects this language (for messages and the include list). */
  markers: readonly string[];
  /** Build-arg names this provider reads (its settings): never passed to the app as user variables. */
  options: readonly string[];
  /** Every path detection may read (exact paths); the gateway loads only these. */
  reads: readonly string[];
  // Paths to load in a second pass, after `reads`: files that a root file points at
  // (go.work `use ./api` → `api/go.mod`; Cargo workspace `members = ["crates/*"]` →
  // `crates/*/Cargo.toml`). Exact paths, or `*` wildcards inside one path component
  // (BuildKit's followpaths accept both). Reads only `reads`; never throws.
  followUp?(ctx: BuildContext, args: BuildArgs): Promise<string[]>;
  /** Cheap presence check; true when this language applies. */
  matches(ctx: BuildContext): Promise<boolean>;
  /** Reads what planning needs. Throws UserError on bad user files. */
  facts(ctx: BuildContext, args: BuildArgs): Promise<F>;
  summary(facts: F): DetectSummary;
  plan(input: PlanInput<F>): BuildPlanInput;
  /** Language-specific rewrite of the start command for a shell-less (USE_DHI) runtime. */
  dhiCommand?(facts: F, command: string): string;
}

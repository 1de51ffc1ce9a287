// A provider knows one language, and everything particular to it lives in its
// folder (src/providers/<lang>/): which files mark it, which files it may read,
// how to gather facts from the context (async, reading only), how to turn those
// facts into a build plan (pure, synchronous), its images' known env, its
// hardened-runtime spec and shell-less rewrites, its buildpack aliases, the
// sample app the frontend's start-up snapshot warms with, and (standin.sh) the
// recipe of the stand-in images its end-to-end tests need. The pipeline reads
// these fields and never names a language.
import type { BuildContext } from "../context/fs.js";
import type { BuildArgs, CommonOptions } from "../options/build-args.js";
import type { BuildPlanInput, LanguageId } from "./schema.js";
import type { Procfile } from "../manifest/procfile.js";

/** What detection reports; the plan's result takes these fields from here, so `detect` and `plan` never disagree. */
export interface DetectSummary {
  language: LanguageId;
  version: string;
  versionSource: string;
  packageManager?: string;
  framework?: string;
}

/** What a provider returns: a plan whose result may leave out the fields its summary() gives. */
export type ProviderPlan = Omit<BuildPlanInput, "result"> & {
  result: Omit<BuildPlanInput["result"], "language" | "version" | "versionSource"> & Partial<Pick<BuildPlanInput["result"], "language" | "version" | "versionSource">>;
};

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

/** Docker Hardened Images: `dhi.io/<repo>:<v>-dev` builds, `dhi.io/<repo>:<v>` runs (no shell, no package manager). */
export interface HardenedSpec {
  repo: string;
  /** Official repositories whose images this language's stages use (rewritten to DHI). */
  official: string[];
  /** The image's non-root user, numerically (file ownership needs ids). */
  user: string;
  /** Raises a version below the oldest hardened tag (with a warning) or refuses it (UserError). */
  floor?: (version: string) => { version: string; warning?: string };
  /** Image names when they do not follow `dhi.io/<repo>:<v>-dev` / `dhi.io/<repo>:<v>` (`runtime` is the official runtime image). */
  images?: (version: string, runtime: string) => { builder: string; runtime: string };
}

/** A language without hardened images: the official ones are kept, with this reason in a warning. */
export interface NoHardened {
  unsupported: string;
}

/** A workspace whose root builds the app at PROJECT_PATH (one install with the root lockfile). */
export interface WorkspaceRoot {
  /** Workspace root, relative to the context ("" = the context root). */
  root: string;
  /** The member's folder, relative to the workspace root. */
  member: string;
  /** The language that builds the workspace, when the root says so (a Bun workspace's member may look like a Node.js app). */
  language?: LanguageId;
}

/**
 * A secondary buildpack: a stage that runs before the primary language's build
 * and whose output replaces the raw source (e.g. a package.json build script
 * producing assets that Go embeds).
 */
export interface AssetsHook {
  /** Whether this context wants the stage: `requested` when BUILDPACKS/app.json name this language. */
  wanted(ctx: BuildContext, requested: boolean, explicitList: boolean): Promise<boolean>;
  /** Adds the stage to the primary plan (or returns it unchanged when there is nothing to build). */
  add(ctx: BuildContext, plan: BuildPlanInput, args: BuildArgs, common: CommonOptions): Promise<BuildPlanInput>;
}

export interface Provider<F = unknown> {
  id: LanguageId;
  /** Display name in messages ("Node.js"). */
  name: string;
  /** Other names for LANGUAGE and BUILDPACKS (`golang`, `heroku-buildpack-ruby` is handled generically). */
  aliases?: readonly string[];
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
  plan(input: PlanInput<F>): ProviderPlan;

  /** Hardened runtime images, or why there are none. Absent: no hardened images. */
  hardened?: HardenedSpec | NoHardened;
  /** Language-specific rewrite of the start command (a string) for a shell-less runtime, e.g. `npm start` → the script. */
  dhiCommand?(facts: F, command: string): string;
  /** Interpreter shims made explicit for a shell-less runtime: `bundle exec puma` → `ruby -S bundle exec puma`. */
  execForm?(argv: string[]): string[];
  /**
   * Env of the images this language's plans use, by repository (`docker.io/library/golang`),
   * as their configs set it: used where no daemon is asked (the CLI's `llb`).
   */
  imageEnv?: Readonly<Record<string, readonly string[]>>;
  /** A minimal app of this language (path → content): warms the frontend's start-up snapshot. */
  sample?: Readonly<Record<string, string>>;
  /** PROJECT_PATH names a member of a workspace that must be built from its root. */
  workspaceRoot?(root: BuildContext, projectPath: string): Promise<WorkspaceRoot | undefined>;
  /** This language can run as a secondary buildpack before another language's build. */
  assets?: AssetsHook;
  /** This language builds its own JavaScript assets: no secondary assets stage is added to it. */
  ownsAssets?: boolean;
}

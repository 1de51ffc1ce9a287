// The build plan: plain, serializable data and the only input of the LLB
// emitter. Providers produce it; `migetpacks plan --json` prints it.
import * as z from "../lib/zod.js";

/**
 * A language id ("go", "nodejs", ...). The set is whatever the registry holds:
 * no language is named here, so adding one never touches the plan model.
 */
export const LanguageId = z.string().regex(/^[a-z][a-z0-9]*$/);
export type LanguageId = z.infer<typeof LanguageId>;

/** Ordered environment: order is part of BuildKit's cache key, so it is a list. */
export const EnvList = z.array(z.tuple([z.string(), z.string()]));
export type EnvList = z.infer<typeof EnvList>;

export const CacheDef = z.object({
  /** Globally unique id on the daemon (namespaced by the emitter). */
  id: z.string(),
  target: z.string(),
  sharing: z.enum(["shared", "private", "locked"]),
});
export type CacheDef = z.infer<typeof CacheDef>;

export const StageRef = z.object({ stage: z.string() });

/** Copies paths from the build context or another stage into the stage's workdir (or `dest`). */
export const CopyStep = z.object({
  kind: z.literal("copy"),
  name: z.string().optional(),
  from: z.union([z.literal("context"), StageRef]),
  /** Paths relative to the context root, or absolute in the source stage. */
  paths: z.array(z.string()).min(1),
  dest: z.string(),
  // Only paths matching these patterns (e.g. `**/Cargo.toml`), at their places: a manifests-only layer.
  include: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
});

/** A read-only bind mount of the context or another stage into one step (no layer is copied). */
export const BindMount = z.object({
  from: z.union([z.literal("context"), StageRef]),
  /** Path in the source (relative to the app folder for the context). */
  src: z.string(),
  target: z.string(),
});

/** Runs a shell command in the stage (builder images always have a shell). */
export const RunStep = z.object({
  kind: z.literal("run"),
  name: z.string(),
  shell: z.string(),
  /** Names of plan caches mounted into this step. */
  caches: z.array(z.string()).default([]),
  env: EnvList.default([]),
  /**
   * BuildKit secret ids mounted into this step only (as env and /run/secrets/<id>).
   * The pipeline adds the user's SECRETS to every run step; the value never reaches a layer or the LLB.
   */
  secrets: z.array(z.string()).default([]),
  /** Forward the client's SSH agent (private git dependencies): `--ssh default`. */
  ssh: z.boolean().optional(),
  binds: z.array(BindMount).optional(),
});

export const Step = z.discriminatedUnion("kind", [CopyStep, RunStep]);
// Step types are the *input* shapes (defaults optional): what providers write.
export type Step = z.input<typeof Step>;
export type CopyStep = z.input<typeof CopyStep>;
export type RunStep = z.input<typeof RunStep>;

/**
 * Where a stage runs. Compilers whose output does not depend on the machine
 * that made it (Go, JVM, .NET) run on the build platform and target the
 * target platform (TARGETOS/TARGETARCH are in their env); installs of
 * interpreted languages run on the target (native extensions match it).
 */
export const StagePlatform = z.enum(["build", "target"]);

export const Stage = z.object({
  name: z.string(),
  /** Base image; or `from` another stage of the plan (listed before it). */
  image: z.string().optional(),
  from: StageRef.optional(),
  platform: StagePlatform.default("target"),
  workdir: z.string(),
  env: EnvList,
  steps: z.array(Step),
});
export type Stage = z.input<typeof Stage>;

/**
 * What moves from a build stage into the runtime image. Each copy is its own
 * layer, in order: dependencies first, the application last, so a source-only
 * change leaves the dependency layers (and their digests) as they were.
 */
export const RuntimeCopy = z.object({
  stage: z.string(),
  src: z.string(),
  dest: z.string(),
  exclude: z.array(z.string()).default([]),
});

export const Runtime = z.object({
  image: z.string(),
  /**
   * Debian packages the app needs at run time (shared libraries of native
   * extensions: libpq5, libxml2...). Installed with apt in a runtime-prep
   * stage on the runtime image; the hardened runtime has no package manager
   * and refuses them by name.
   */
  packages: z.array(z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/)).default([]),
  user: z.string(),
  workdir: z.string(),
  env: EnvList,
  copies: z.array(RuntimeCopy),
  /** Small files written into the runtime by migetpacks itself (e.g. a static-site server). */
  files: z.array(z.object({ path: z.string(), mode: z.number().int(), content: z.string() })).optional(),
  /** Exec-form argv the image runs (already wrapped in `sh -c` when a shell is needed). */
  entrypoint: z.array(z.string()).optional(),
  cmd: z.array(z.string()),
  port: z.number().int().min(1).max(65535),
  /** Whether the runtime image has a shell (false on hardened images). */
  shell: z.boolean(),
});
export type Runtime = z.infer<typeof Runtime>;

export const Processes = z.object({
  web: z.string().optional(),
  release: z.string().optional(),
  workers: z.array(z.object({ name: z.string(), command: z.string() })).default([]),
});

/** What deployment systems read back (the original's result JSON, success part). */
export const Result = z.object({
  language: LanguageId,
  version: z.string(),
  versionSource: z.string(),
  packageManager: z.string().optional(),
  framework: z.string().optional(),
  runCommand: z.string(),
  port: z.number().int(),
  processes: Processes,
  _shell: z.boolean(),
  /** Hardened (distroless) runtime. */
  _dhi: z.boolean().optional(),
  ports: z.array(z.string()).optional(),
  /** app.json env; values the platform must generate are null (never generated during a build). */
  env: z.record(z.string(), z.string().nullable()).optional(),
  formation: z.array(z.object({ name: z.string(), quantity: z.number(), size: z.string().nullable() })).optional(),
  scripts: z.array(z.object({ name: z.string(), command: z.string(), size: z.string().nullable() })).optional(),
  addons: z.array(z.object({ plan: z.string(), as: z.string().nullable(), options: z.unknown() })).optional(),
});
export type Result = z.infer<typeof Result>;

export const BuildPlan = z.object({
  schema: z.literal(2),
  /** Folder of the build context holding the app (PROJECT_PATH); "" for the root. */
  projectPath: z.string().optional(),
  /** The user's BuildKit secret ids (SECRETS): mounted into every install/build step, never into the image. */
  secrets: z.array(z.string()).optional(),
  result: Result,
  caches: z.record(z.string(), CacheDef),
  stages: z
    .array(Stage.refine((s) => Boolean(s.image) !== Boolean(s.from), { message: "a stage has either an image or `from` another stage" }))
    .min(1),
  runtime: Runtime,
  warnings: z.array(z.string()),
});
export type BuildPlan = z.infer<typeof BuildPlan>;
/** What providers produce: defaults (result extras, secrets, project path) are filled in afterwards. */
export type BuildPlanInput = z.input<typeof BuildPlan>;

// Parsed shapes (defaults filled in): what the pipeline and the emitter read.
export type PlanStage = BuildPlan["stages"][number];
export type PlanStep = PlanStage["steps"][number];
export type PlanCopyStep = Extract<PlanStep, { kind: "copy" }>;
export type PlanRunStep = Extract<PlanStep, { kind: "run" }>;

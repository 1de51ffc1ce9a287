// Secondary Node.js (BUILDPACKS=go,nodejs, or automatically when a non-JS app
// has a package.json with a build script, as the original does): an `assets`
// stage installs and runs the build script, and the primary stage copies its
// source from that stage instead of the raw context — so assets exist before
// the primary build (Go's //go:embed, Rust's include_bytes!, asset pipelines).
import { isFile, type BuildContext } from "../../context/fs.js";
import type { BuildArgs, CommonOptions } from "../../options/build-args.js";
import { nodejsProvider } from "./index.js";
import type { BuildPlanInput, LanguageId } from "../../kit/schema.js";

type Stage = BuildPlanInput["stages"][number];

const JS_RUNTIMES: readonly LanguageId[] = ["nodejs", "bun", "deno"];

export async function wantsSecondaryNode(ctx: BuildContext, primary: LanguageId, additional: string[], explicit: boolean): Promise<boolean> {
  if (JS_RUNTIMES.includes(primary)) return false;
  if (additional.includes("nodejs")) return true;
  return !explicit && (await isFile(ctx, "package.json"));
}

export async function addSecondaryNode(ctx: BuildContext, plan: BuildPlanInput, args: BuildArgs, common: CommonOptions): Promise<BuildPlanInput> {
  const facts = await nodejsProvider.facts(ctx, args);
  const scripts = facts.pkg.scripts ?? {};
  if (scripts["heroku-postbuild"] === undefined && scripts.build === undefined) return plan; // nothing to build
  // The Node plan's build stage, without the language's own BUILD_COMMAND, pruning or runtime.
  const node = nodejsProvider.plan({ facts, args, common: { ...common, buildCommand: undefined, runCommand: undefined }, role: "assets" });
  const assets: Stage = { ...node.stages[0]!, name: "assets" };
  const fromAssets = (s: Stage): Stage => ({
    ...s,
    steps: s.steps.map((st) =>
      // Only the full source copy: include-filtered copies (Cargo/Go manifest layers) stay on the context.
      st.kind === "copy" && st.from === "context" && st.paths.length === 1 && st.paths[0] === "." && !st.include
        ? { kind: "copy" as const, name: "copy source with built assets", from: { stage: "assets" }, paths: ["/build"], dest: st.dest, exclude: ["node_modules", ...(st.exclude ?? [])] }
        : st,
    ),
  });
  return {
    ...plan,
    caches: { ...node.caches, ...plan.caches },
    stages: [assets, ...plan.stages.map(fromAssets)],
    warnings: [...plan.warnings, `package.json found: its build script runs in a Node.js ${facts.version.version} stage before the ${plan.result.language} build.`],
  };
}

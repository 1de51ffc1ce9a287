// Secondary Node.js (BUILDPACKS=go,nodejs, or automatically when another
// language's app has a package.json with a build script, as the original does):
// an `assets` stage installs and runs the build script, and the primary stage
// copies its source from that stage instead of the raw context — so assets
// exist before the primary build (Go's //go:embed, Rust's include_bytes!,
// asset pipelines).
import { isFile } from "../../context/fs.js";
import type { BuildPlanInput, Stage } from "../../kit/schema.js";
import type { AssetsHook, Provider } from "../../kit/provider.js";
import type { NodeFacts } from "./facts.js";
import { pmCommands } from "./package-manager.js";

/** Build scripts an assets stage runs, in order. */
const ASSET_SCRIPTS = ["build", "build:css"];

/** The hook, given the Node.js provider lazily (it is defined in index.ts, which imports this file). */
export function nodeAssets(node: () => Provider<NodeFacts>): AssetsHook {
  return {
    async wanted(ctx, requested, explicitList) {
      if (requested) return true;
      return !explicitList && (await isFile(ctx, "package.json"));
    },
    async add(ctx, plan, args, common) {
      const provider = node();
      const facts = await provider.facts(ctx, args);
      const scripts = facts.pkg.scripts ?? {};
      // heroku-postbuild replaces the rest; otherwise `build`, and `build:css` (the script cssbundling-rails calls from
      // the asset pipeline, which then has no node to run it).
      const run = scripts["heroku-postbuild"] !== undefined ? ["heroku-postbuild"] : ASSET_SCRIPTS.filter((s) => scripts[s] !== undefined);
      if (!run.length) return plan; // nothing to build
      // The Node plan's build stage, without the language's own BUILD_COMMAND, pruning or runtime.
      const buildCommand = run.length > 1 || run[0] === "build:css" ? run.map((s) => pmCommands(facts.pm).run(s)).join(" && ") : undefined;
      const planned = provider.plan({ facts, args, common: { ...common, buildCommand, runCommand: undefined }, role: "assets" });
      const assets: Stage = { ...planned.stages[0]!, name: "assets" };
      return {
        ...plan,
        caches: { ...planned.caches, ...plan.caches },
        stages: [assets, ...plan.stages.map(fromAssets)],
        warnings: [...plan.warnings, `package.json found: its build script runs in a Node.js ${facts.version.version} stage before the ${plan.result.language} build.`],
      };
    },
  };
}

/** The primary stage's full source copy comes from the assets stage; include-filtered copies (manifest layers) stay on the context. */
function fromAssets(s: Stage): Stage {
  return {
    ...s,
    steps: s.steps.map((st) =>
      st.kind === "copy" && st.from === "context" && st.paths.length === 1 && st.paths[0] === "." && !st.include
        ? { kind: "copy" as const, name: "copy source with built assets", from: { stage: "assets" }, paths: ["/build"], dest: st.dest, exclude: ["node_modules", ...(st.exclude ?? [])] }
        : st,
    ),
  };
}

// Reads only what planning needs: the configuration (.dockerignore,
// migetpacks.toml) and exactly the paths detection declares, inside the
// project folder. Both come in one transfer, so an app costs one round trip;
// a second only when migetpacks.toml moves the project folder, and a
// follow-up transfer only for files named by others (go.work members).
import { State } from "../src/llb/state.js";
import { marshal } from "../src/llb/marshal.js";
import { defaultExcludes, projectExcludes } from "../src/context/dockerignore.js";
import { ancestors, normalizeProjectPath, SubdirContext } from "../src/context/subdir.js";
import { MIGETPACKS_TOML } from "../src/manifest/migetpacks-toml.js";
import { resolveProject, type ProjectSetup } from "../src/pipeline/build-plan.js";
import { detectionReads } from "../src/detect/registry.js";
import { followUpReads, isBroughtBy } from "../src/detect/follow-up.js";
import type { BuildContext } from "../src/context/fs.js";
import type { Bridge } from "./bridge.js";
import type { FrontendOptions } from "./options.js";
import { GatewayContext } from "./gateway-fs.js";
import { checkFollowPaths } from "../src/context/limits.js";
import { detectionView } from "../src/context/ignoring.js";

// Local sources carry no platform; any value gives the same op.
const platform = { os: "linux", architecture: "amd64" };

export interface LoadedContext {
  /** The context as loaded (unscoped): planning applies the project folder. */
  root: BuildContext;
  /** The configuration transfer (.dockerignore files), for a project folder that moves during planning. */
  config: BuildContext;
  setup: ProjectSetup;
  excludePatterns: string[];
  /** Digest of the detection source: warnings attach to this vertex. */
  detectDigest: string;
}

export async function loadContexts(bridge: Bridge, opts: FrontendOptions, sessionId: string): Promise<LoadedContext> {
  const load = (paths: string[], hint: string, excludePatterns?: string[]) =>
    State.local(opts.contextName, {
      platform,
      sessionId,
      ...splitPatterns(paths),
      excludePatterns: excludePatterns?.length ? excludePatterns : undefined,
      sharedKeyHint: `${opts.contextName}-migetpacks-${hint}`,
      differ: "none",
      name: `[internal] load ${hint.startsWith("config") ? "build configuration" : "files for language detection"}`,
    });
  const argPath = normalizeProjectPath(opts.buildArgs.PROJECT_PATH);
  // With a project folder, the folders above it too: it may be a member of a JavaScript workspace there
  // (whose own .dockerignore then applies to the build).
  const above = (projectPath: string) => (projectPath ? ancestors(projectPath) : []);
  const under = (dir: string, p: string) => (dir ? `${dir}/${p}` : p);
  const readsFor = (projectPath: string) => [projectPath, ...above(projectPath)].flatMap((d) => detectionReads().map((p) => under(d, p)));
  const configFor = (projectPath: string) => [MIGETPACKS_TOML, ...[projectPath, ...above(projectPath)].map((d) => under(d, ".dockerignore"))];
  // One transfer brings the configuration and the detection files together, whether or not the
  // app has a .dockerignore: BuildKit leaves out what the default patterns exclude (never a
  // .dockerignore or migetpacks.toml, never a detection file), and the .dockerignore read from
  // this very transfer is applied here (detectionView: the CLI sees the same).
  const detectSrc0 = load([...new Set([...configFor(argPath), ...readsFor(argPath)])], "detect", defaultExcludes(argPath));
  const first = new GatewayContext(bridge, await solveRef(bridge, detectSrc0));
  await first.prefetch();
  const setup = await resolveProject(first, opts.buildArgs);
  // migetpacks.toml moved the project: its .dockerignore and detection files were not in the first transfer.
  const moved = setup.projectPath !== argPath;
  const config: BuildContext = moved ? new GatewayContext(bridge, await solveRef(bridge, load(configFor(setup.projectPath), "config-project"))) : first;
  const excludePatterns = await projectExcludes(config, setup.projectPath);
  const reads = readsFor(setup.projectPath);
  const detectSrc = moved ? load(reads, "detect", defaultExcludes(setup.projectPath)) : detectSrc0;
  let gw = moved ? new GatewayContext(bridge, await solveRef(bridge, detectSrc)) : first;
  if (moved) await gw.prefetch();
  const view = (c: BuildContext) => detectionView(c, setup.projectPath, excludePatterns);
  const prefix = (p: string) => under(setup.projectPath, p);
  const scoped = (c: BuildContext) => (setup.projectPath ? new SubdirContext(c, setup.projectPath) : c);
  // Files that root files point at (go.work members, Cargo workspace members): one more transfer,
  // unless this one already brought them (a declared path, a folder above them, a matching pattern).
  const found = await followUpReads(scoped(view(gw)), setup.args);
  checkFollowPaths(found, "the workspace file (go.work or Cargo.toml [workspace])");
  const extra = found.map(prefix).filter((p) => !isBroughtBy(p, reads));
  if (extra.length) {
    gw = new GatewayContext(bridge, await solveRef(bridge, load([...reads, ...extra], "detect", defaultExcludes(setup.projectPath))));
    await gw.prefetch();
  }
  return {
    // The CLI's view too, and it lets detection say which .dockerignore pattern hid a file.
    root: view(gw),
    config,
    setup,
    excludePatterns,
    detectDigest: detectSrc.output!.vertex.encode().digest,
  };
}

async function solveRef(bridge: Bridge, state: State): Promise<string> {
  const res = await bridge.call("Solve", {
    Definition: marshal(state).definition,
    allowResultReturn: true,
    allowResultArrayRef: true,
  });
  return res.result?.ref?.id ?? "";
}

/**
 * Exact paths are followed (a symlinked package.json brings its target); paths
 * with a `*` are include patterns. BuildKit's client resolves every followed path
 * component by component, and a `*` component lists its folder and stats each
 * entry, for every such path: dozens of `*` paths made the detection transfer
 * slower for every app. The transfer brings the union of both.
 */
function splitPatterns(paths: string[]): { followPaths: string[]; includePatterns?: string[] } {
  const patterns = paths.filter((p) => p.includes("*"));
  return { followPaths: paths.filter((p) => !p.includes("*")), ...(patterns.length ? { includePatterns: patterns } : {}) };
}

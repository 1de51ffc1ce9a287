// Reads only what planning needs, in two small transfers: first the root
// configuration (.dockerignore, migetpacks.toml), then exactly the paths
// detection declares, inside the project folder, with the ignore patterns
// applied by BuildKit itself.
import { State } from "../src/llb/state.js";
import { marshal } from "../src/llb/marshal.js";
import { Definition } from "../src/llb/pb.js";
import { projectExcludes } from "../src/context/dockerignore.js";
import { normalizeProjectPath, SubdirContext } from "../src/context/subdir.js";
import { MIGETPACKS_TOML } from "../src/manifest/migetpacks-toml.js";
import { resolveProject, type ProjectSetup } from "../src/plan/build-plan.js";
import { detectionReads } from "../src/detect/registry.js";
import { ancestors } from "../src/plan/js-workspace.js";
import { followUpReads } from "../src/detect/follow-up.js";
import type { BuildContext } from "../src/context/fs.js";
import type { Bridge } from "./bridge.js";
import type { FrontendOptions } from "./options.js";
import { GatewayContext } from "./gateway-fs.js";
import { checkFollowPaths } from "../src/context/limits.js";
import { IgnoringContext } from "../src/context/ignoring.js";

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
  const load = (followPaths: string[], hint: string, excludePatterns?: string[]) =>
    State.local(opts.contextName, {
      platform,
      sessionId,
      followPaths,
      excludePatterns: excludePatterns?.length ? excludePatterns : undefined,
      sharedKeyHint: `${opts.contextName}-migetpacks-${hint}`,
      differ: "none",
      name: `[internal] load ${hint === "config" ? "build configuration" : "files for language detection"}`,
    });
  const argPath = normalizeProjectPath(opts.buildArgs.PROJECT_PATH);
  const config = [".dockerignore", MIGETPACKS_TOML, ...(argPath ? [`${argPath}/.dockerignore`] : [])];
  let root = new GatewayContext(bridge, await solveRef(bridge, load(config, "config")));
  const setup = await resolveProject(root, opts.buildArgs);
  if (setup.projectPath !== argPath) {
    // migetpacks.toml moved the project: its .dockerignore was not in the first transfer.
    root = new GatewayContext(bridge, await solveRef(bridge, load([`${setup.projectPath}/.dockerignore`], "config-project")));
  }
  const excludePatterns = await projectExcludes(root, setup.projectPath);
  const prefix = (p: string) => (setup.projectPath ? `${setup.projectPath}/${p}` : p);
  // With a project folder, the folders above it too: it may be a member of a JavaScript workspace there.
  const above = setup.projectPath ? ancestors(setup.projectPath).flatMap((a) => detectionReads().map((p) => (a ? `${a}/${p}` : p))) : [];
  const reads = [...detectionReads().map(prefix), ...above];
  const detectSrc = load(reads, "detect", excludePatterns);
  let gw = new GatewayContext(bridge, await solveRef(bridge, detectSrc));
  const scoped = (c: BuildContext) => (setup.projectPath ? new SubdirContext(c, setup.projectPath) : c);
  // Files that root files point at (go.work members, Cargo workspace members): one more transfer.
  const extra = await followUpReads(scoped(gw), setup.args);
  checkFollowPaths(extra, "the workspace file (go.work or Cargo.toml [workspace])");
  if (extra.length) gw = new GatewayContext(bridge, await solveRef(bridge, load([...reads, ...extra.map(prefix)], "detect", excludePatterns)));
  return {
    // BuildKit already left out what .dockerignore excludes; the same filter as the CLI's makes
    // the rules one, and lets detection say which pattern hid a file.
    root: new IgnoringContext(gw, excludePatterns),
    config: root,
    setup,
    excludePatterns,
    detectDigest: detectSrc.output!.vertex.encode().digest,
  };
}

async function solveRef(bridge: Bridge, state: State): Promise<string> {
  const res = await bridge.call("Solve", {
    Definition: Definition.decode(marshal(state).bytes),
    allowResultReturn: true,
    allowResultArrayRef: true,
  });
  return res.result?.ref?.id ?? "";
}

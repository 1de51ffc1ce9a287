// Reads only what planning needs: the root configuration (.dockerignore,
// migetpacks.toml) and exactly the paths detection declares, inside the
// project folder, with the ignore patterns applied by BuildKit itself. Both
// transfers are asked for at once (see the guess below), so a typical app
// costs one round trip; a follow-up transfer only for files named by others.
import { State } from "../src/llb/state.js";
import { marshal } from "../src/llb/marshal.js";
import { projectExcludes } from "../src/context/dockerignore.js";
import { normalizeProjectPath, SubdirContext } from "../src/context/subdir.js";
import { MIGETPACKS_TOML } from "../src/manifest/migetpacks-toml.js";
import { resolveProject, type ProjectSetup } from "../src/pipeline/build-plan.js";
import { detectionReads } from "../src/detect/registry.js";
import { ancestors } from "../src/providers/nodejs/workspace-root.js";
import { followUpReads } from "../src/detect/follow-up.js";
import type { BuildContext } from "../src/context/fs.js";
import type { Bridge } from "./bridge.js";
import type { FrontendOptions } from "./options.js";
import { GatewayContext } from "./gateway-fs.js";
import { MemoryContext } from "../src/context/memory-fs.js";
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
  // With a project folder, the folders above it too: it may be a member of a JavaScript workspace there.
  const readsFor = (projectPath: string) => {
    const above = projectPath ? ancestors(projectPath).flatMap((a) => detectionReads().map((p) => (a ? `${a}/${p}` : p))) : [];
    return [...detectionReads().map((p) => (projectPath ? `${projectPath}/${p}` : p)), ...above];
  };
  // The detection transfer needs the ignore patterns, which the configuration
  // transfer brings. Most apps have no .dockerignore: guess that (the default
  // patterns) and ask for both at once; the guess is dropped when wrong.
  const guess = await projectExcludes(NO_FILES, argPath);
  const guessSrc = load(readsFor(argPath), "detect", guess);
  const [configRef, guessRef] = await Promise.all([solveRef(bridge, load(config, "config")), solveRef(bridge, guessSrc)]);
  let root = new GatewayContext(bridge, configRef);
  await root.prefetch();
  const setup = await resolveProject(root, opts.buildArgs);
  if (setup.projectPath !== argPath) {
    // migetpacks.toml moved the project: its .dockerignore was not in the first transfer.
    root = new GatewayContext(bridge, await solveRef(bridge, load([`${setup.projectPath}/.dockerignore`], "config-project")));
  }
  const excludePatterns = await projectExcludes(root, setup.projectPath);
  const reads = readsFor(setup.projectPath);
  const guessed = setup.projectPath === argPath && sameList(excludePatterns, guess);
  const detectSrc = guessed ? guessSrc : load(reads, "detect", excludePatterns);
  let gw = new GatewayContext(bridge, guessed ? guessRef : await solveRef(bridge, detectSrc));
  await gw.prefetch();
  const prefix = (p: string) => (setup.projectPath ? `${setup.projectPath}/${p}` : p);
  const scoped = (c: BuildContext) => (setup.projectPath ? new SubdirContext(c, setup.projectPath) : c);
  // Files that root files point at (go.work members, Cargo workspace members): one more transfer, unless already in this one.
  const found = await followUpReads(scoped(gw), setup.args);
  checkFollowPaths(found, "the workspace file (go.work or Cargo.toml [workspace])");
  const extra = found.map(prefix).filter((p) => !reads.includes(p));
  if (extra.length) {
    gw = new GatewayContext(bridge, await solveRef(bridge, load([...reads, ...extra], "detect", excludePatterns)));
    await gw.prefetch();
  }
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

const NO_FILES = new MemoryContext({});

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function solveRef(bridge: Bridge, state: State): Promise<string> {
  const res = await bridge.call("Solve", {
    Definition: marshal(state).definition,
    allowResultReturn: true,
    allowResultArrayRef: true,
  });
  return res.result?.ref?.id ?? "";
}

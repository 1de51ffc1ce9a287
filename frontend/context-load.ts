// Reads only what planning needs: the configuration (.dockerignore,
// migetpacks.toml) and exactly the paths detection declares, inside the
// project folder, with the ignore patterns applied by BuildKit itself. Both
// come in one transfer (see the guess below), so a typical app costs one
// round trip; a second only when a .dockerignore changes the patterns, and a
// follow-up transfer only for files named by others.
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
  // With a project folder, the folders above it too: it may be a member of a JavaScript workspace there
  // (whose own .dockerignore then applies to the build).
  const above = (projectPath: string) => (projectPath ? ancestors(projectPath) : []);
  const under = (dir: string, p: string) => (dir ? `${dir}/${p}` : p);
  const readsFor = (projectPath: string) => [projectPath, ...above(projectPath)].flatMap((d) => detectionReads().map((p) => under(d, p)));
  const configFor = (projectPath: string) => [MIGETPACKS_TOML, ...[projectPath, ...above(projectPath)].map((d) => under(d, ".dockerignore"))];
  // One transfer brings the configuration and the detection files together. Its exclude patterns
  // are a guess (the defaults, right for every app without a .dockerignore), since the real ones
  // come from a file in this very transfer; .dockerignore and migetpacks.toml are never excluded
  // by the defaults. A wrong guess costs a second transfer with the real patterns.
  const guess = await projectExcludes(NO_FILES, argPath);
  const guessSrc = load([...new Set([...configFor(argPath), ...readsFor(argPath)])], "detect", guess);
  const first = new GatewayContext(bridge, await solveRef(bridge, guessSrc));
  await first.prefetch();
  let config: BuildContext = first;
  const setup = await resolveProject(first, opts.buildArgs);
  if (setup.projectPath !== argPath) {
    // migetpacks.toml moved the project: its .dockerignore was not in the first transfer.
    config = new GatewayContext(bridge, await solveRef(bridge, load(configFor(setup.projectPath), "config-project")));
  }
  const excludePatterns = await projectExcludes(config, setup.projectPath);
  const reads = readsFor(setup.projectPath);
  const guessed = setup.projectPath === argPath && sameList(excludePatterns, guess);
  const detectSrc = guessed ? guessSrc : load(reads, "detect", excludePatterns);
  let gw = guessed ? first : new GatewayContext(bridge, await solveRef(bridge, detectSrc));
  if (!guessed) await gw.prefetch();
  const prefix = (p: string) => under(setup.projectPath, p);
  const scoped = (c: BuildContext) => (setup.projectPath ? new SubdirContext(c, setup.projectPath) : c);
  // Files that root files point at (go.work members, Cargo workspace members): one more transfer, unless already in this one.
  const found = await followUpReads(scoped(new IgnoringContext(gw, excludePatterns)), setup.args);
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
    config,
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

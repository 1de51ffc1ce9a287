// Reads only what detection needs: first .dockerignore, then the declared
// detection paths (with the ignore patterns applied by BuildKit itself).
import { State } from "../src/llb/state.js";
import { marshal } from "../src/llb/marshal.js";
import { Definition } from "../src/llb/pb.js";
import { parseDockerignore } from "../src/context/dockerignore.js";
import { detectionReads } from "../src/detect/registry.js";
import type { Bridge } from "./bridge.js";
import type { FrontendOptions } from "./options.js";
import { GatewayContext } from "./gateway-fs.js";

// Local sources carry no platform; any value gives the same op.
const platform = { os: "linux", architecture: "amd64" };

export async function loadContexts(bridge: Bridge, opts: FrontendOptions, sessionId: string) {
  const ignoreSrc = State.local(opts.contextName, {
    platform,
    sessionId,
    followPaths: [".dockerignore"],
    sharedKeyHint: `${opts.contextName}-dockerignore`,
    differ: "none",
    name: "[internal] load .dockerignore",
  });
  const ignoreCtx = new GatewayContext(bridge, await solveRef(bridge, ignoreSrc));
  const ignoreBytes = await ignoreCtx.readFile(".dockerignore");
  const excludePatterns = ignoreBytes ? parseDockerignore(new TextDecoder().decode(ignoreBytes)) : [];

  const detectSrc = State.local(opts.contextName, {
    platform,
    sessionId,
    followPaths: detectionReads(),
    excludePatterns: excludePatterns.length ? excludePatterns : undefined,
    sharedKeyHint: `${opts.contextName}-migetpacks-detect`,
    differ: "none",
    name: "[internal] load files for language detection",
  });
  const detectDigest = detectSrc.output!.vertex.encode().digest;
  const ctx = new GatewayContext(bridge, await solveRef(bridge, detectSrc));
  return { ctx, excludePatterns, detectDigest };
}

async function solveRef(bridge: Bridge, state: State): Promise<string> {
  const res = await bridge.call("Solve", {
    Definition: Definition.decode(marshal(state).bytes),
    allowResultReturn: true,
    allowResultArrayRef: true,
  });
  return res.result?.ref?.id ?? "";
}

// The frontend's in-memory LLBBridge (frontend/memory-bridge.ts) with what the
// tests ask of it: the final solves, the returned result, and a way to run the
// frontend against it.
import { Definition } from "../../src/llb/pb.js";
import { runFrontend } from "../../frontend/build.js";
import { toStatus, type RpcStatus } from "../../frontend/errors.js";
import type { Bridge } from "../../frontend/bridge.js";
import { MemoryBridge } from "../../frontend/memory-bridge.js";

export { CAPS } from "../../frontend/memory-bridge.js";

export class FakeBridge extends MemoryBridge {
  finalSolves(): any[] {
    return this.calls.filter((c) => c.name === "Solve" && (Definition.toObject(Definition.fromObject(c.req.Definition)) as any).def.length > 3);
  }

  returned(): any {
    return this.calls.find((c) => c.name === "Return")!.req;
  }
}

export const frontendEnv = (opts: string[]) => Object.fromEntries([["BUILDKIT_SESSION_ID", "sess1"], ...opts.map((o, i) => [`BUILDKIT_FRONTEND_OPT_${i}`, o])]);

/** Runs the frontend; undefined on success, else the status it would return. */
export async function runFake(bridge: FakeBridge, opts: string[]): Promise<RpcStatus | undefined> {
  try {
    await runFrontend(bridge as unknown as Bridge, frontendEnv(opts));
    return undefined;
  } catch (e) {
    return toStatus(e);
  }
}

// Failures become a google.rpc.Status for Return: user errors carry the same
// sentence the CLI prints; a failed build step keeps BuildKit's own status.
import { UserError } from "../src/context/fs.js";
import { NoLanguageError } from "../src/detect/detect.js";
import { type } from "../src/llb/pb.js";
import type { CallError } from "./bridge.js";
import { codeName, stripCodePrefixes } from "./grpc-status.js";

export const Code = { UNKNOWN: 2, INVALID_ARGUMENT: 3, NOT_FOUND: 5, UNIMPLEMENTED: 12, INTERNAL: 13 } as const;

export class FrontendError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RpcStatus {
  code: number;
  message: string;
  details?: { type_url: string; value: Buffer }[];
}

export function toStatus(e: unknown): RpcStatus {
  if (e instanceof FrontendError) return { code: e.code, message: e.message };
  if (e instanceof UserError) return { code: Code.INVALID_ARGUMENT, message: e.message };
  if (e instanceof NoLanguageError) return { code: Code.NOT_FOUND, message: e.message };
  const ce = e as CallError;
  if (typeof ce?.code === "number") {
    // A failed Solve: hand back BuildKit's rich status (vertex, exit code) unchanged.
    // Its message loses any "Code: " prefix: BuildKit prepends one for the code we return.
    if (ce.statusDetails?.length) {
      const Status = type("google.rpc.Status");
      const st = Status.toObject(Status.decode(ce.statusDetails), { defaults: true, bytes: Buffer }) as RpcStatus;
      return { ...st, message: stripCodePrefixes(st.message) };
    }
    return { code: ce.code, message: stripCodePrefixes(ce.details || ce.message) };
  }
  return { code: Code.INTERNAL, message: `migetpacks internal error: ${(e as Error)?.message ?? String(e)}` };
}


/**
 * The status handed to Return. BuildKit's grpcerrors writes the code name in
 * front of the message each time a status crosses one of its hops, except for
 * UNKNOWN: docker buildx through a `# syntax=` stub showed
 * "InvalidArgument: InvalidArgument: InvalidArgument: InvalidArgument: ...".
 * So a status leaves us as UNKNOWN with its code name written once into the
 * message: exactly one prefix, however many hops. Details (vertex, exit code)
 * are kept. One exception keeps its code: buildx recognises a frontend
 * without a capability it asked for (`frontend.caps`) by UNIMPLEMENTED plus
 * BuildKit's sentence "unsupported frontend capability ...".
 */
export function statusForReturn(st: RpcStatus): RpcStatus {
  if (st.code === 0 || st.code === Code.UNKNOWN) return st;
  if (st.code === Code.UNIMPLEMENTED && st.message.startsWith("unsupported frontend capability")) return st;
  return { ...st, code: Code.UNKNOWN, message: `${codeName(st.code)}: ${stripCodePrefixes(st.message)}` };
}

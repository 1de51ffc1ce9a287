// Typed LLBBridge calls, serialized with our own protobuf descriptor:
// requests are built from the proto's exact field names.
import { type, type moby } from "../src/llb/pb.js";
import { msSinceStart } from "./clock.js";
import { GrpcClient, type RpcError } from "./grpc.js";
import type { Transport } from "./h2/transport.js";

const SERVICE = "/moby.buildkit.v1.frontend.LLBBridge/";
export const TO_OBJECT = { longs: String, enums: Number, defaults: true, bytes: Buffer } as const;

/** Each LLBBridge method the frontend calls, with its request and response message names. */
const METHODS = {
  Ping: ["PingRequest", "PongResponse"],
  Solve: ["SolveRequest", "SolveResponse"],
  ReadFile: ["ReadFileRequest", "ReadFileResponse"],
  ReadDir: ["ReadDirRequest", "ReadDirResponse"],
  StatFile: ["StatFileRequest", "StatFileResponse"],
  ResolveImageConfig: ["ResolveImageConfigRequest", "ResolveImageConfigResponse"],
  Warn: ["WarnRequest", "WarnResponse"],
  Return: ["ReturnRequest", "ReturnResponse"],
} as const;

export type MethodName = keyof typeof METHODS;

/** Each method's message types, looked up once (in the start-up snapshot), not on every call. */
export const CODECS = Object.fromEntries(
  Object.entries(METHODS).map(([name, [req, res]]) => [name, { Req: type(`moby.buildkit.v1.frontend.${req}`), Res: type(`moby.buildkit.v1.frontend.${res}`) }]),
) as Record<MethodName, { Req: ReturnType<typeof type>; Res: ReturnType<typeof type> }>;

/** Request message per method (generated from proto/gateway.proto): a misspelled field is a type error. */
interface Requests {
  Ping: moby.buildkit.v1.frontend.PingRequest;
  Solve: moby.buildkit.v1.frontend.SolveRequest;
  ReadFile: moby.buildkit.v1.frontend.ReadFileRequest;
  ReadDir: moby.buildkit.v1.frontend.ReadDirRequest;
  StatFile: moby.buildkit.v1.frontend.StatFileRequest;
  ResolveImageConfig: moby.buildkit.v1.frontend.ResolveImageConfigRequest;
  Warn: moby.buildkit.v1.frontend.WarnRequest;
  Return: moby.buildkit.v1.frontend.ReturnRequest;
}
export type CallError = RpcError;
type Msg = Record<string, any>;

// Read when a call is made, not at load: the image's snapshot is built without the variable.
let TRACE = false;
export function setTrace(on: boolean): void {
  TRACE = on;
}

function traceArg(req: Msg): string {
  return String(req.FilePath ?? req.DirPath ?? req.Ref ?? "");
}

export class Bridge {
  private constructor(private readonly client: GrpcClient) {}

  static async connect(transport: Transport): Promise<Bridge> {
    return new Bridge(await GrpcClient.connect(transport));
  }

  async call<N extends MethodName>(name: N, req: Requests[N]): Promise<Msg> {
    const { Req, Res } = CODECS[name];
    const t0 = TRACE ? msSinceStart() : 0;
    const bytes = await this.client.unary(SERVICE + name, Req.encode(Req.fromObject(req)).finish());
    // MIGETPACKS_TRACE=1 (an image ENV): every call's start and duration in the daemon's log, to see where a build waits.
    if (TRACE) console.error(`migetpacks: trace ${name} ${traceArg(req)} at=${t0.toFixed(1)} took=${(msSinceStart() - t0).toFixed(1)} ms`);
    return Res.toObject(Res.decode(bytes), TO_OBJECT);
  }

  close(): void {
    this.client.close();
  }
}

/** A peer that answers LLBBridge calls with plain objects (MemoryBridge). */
export interface BridgePeer {
  call(name: string, req: Msg): Promise<Msg>;
}

/**
 * The daemon's side of one call to `path` (/moby.buildkit.v1.frontend.LLBBridge/Ping):
 * the request message decoded, answered by `peer`, the response encoded. For the
 * in-memory gateways (the snapshot's warm-up, the tests' emulated gateway).
 */
export async function serveCall(peer: BridgePeer, path: string, message: Uint8Array): Promise<Uint8Array> {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const codecs = CODECS[name as MethodName];
  if (!codecs) throw new Error(`unknown method ${name}`);
  const req = codecs.Req.toObject(codecs.Req.decode(message), TO_OBJECT);
  return codecs.Res.encode(codecs.Res.fromObject(await peer.call(name, req))).finish();
}

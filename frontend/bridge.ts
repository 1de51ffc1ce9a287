// Typed LLBBridge calls over grpc-js, serialized with our own protobuf
// descriptor (no proto-loader: requests are built from exact field names).
import * as grpc from "@grpc/grpc-js";
import { type } from "../src/llb/pb.js";

const SERVICE = "/moby.buildkit.v1.frontend.LLBBridge/";
const TO_OBJECT = { longs: String, enums: Number, defaults: true, bytes: Buffer } as const;

type Msg = Record<string, any>;

function method(name: string, req: string, res: string) {
  const Req = type(`moby.buildkit.v1.frontend.${req}`);
  const Res = type(`moby.buildkit.v1.frontend.${res}`);
  return {
    path: SERVICE + name,
    requestStream: false,
    responseStream: false,
    requestSerialize: (o: Msg) => Buffer.from(Req.encode(Req.fromObject(o)).finish()),
    requestDeserialize: (b: Buffer) => Req.toObject(Req.decode(b), TO_OBJECT),
    responseSerialize: (o: Msg) => Buffer.from(Res.encode(Res.fromObject(o)).finish()),
    responseDeserialize: (b: Buffer) => Res.toObject(Res.decode(b), TO_OBJECT),
  };
}

const METHODS = {
  Ping: method("Ping", "PingRequest", "PongResponse"),
  Solve: method("Solve", "SolveRequest", "SolveResponse"),
  ReadFile: method("ReadFile", "ReadFileRequest", "ReadFileResponse"),
  ReadDir: method("ReadDir", "ReadDirRequest", "ReadDirResponse"),
  StatFile: method("StatFile", "StatFileRequest", "StatFileResponse"),
  ResolveImageConfig: method("ResolveImageConfig", "ResolveImageConfigRequest", "ResolveImageConfigResponse"),
  Warn: method("Warn", "WarnRequest", "WarnResponse"),
  Return: method("Return", "ReturnRequest", "ReturnResponse"),
};

export type MethodName = keyof typeof METHODS;

/** gRPC error as received, with the google.rpc.Status trailer when BuildKit sent one. */
export interface CallError extends Error {
  code?: number;
  details?: string;
  metadata?: grpc.Metadata;
}

export class Bridge {
  private readonly client: grpc.Client & Record<string, Function>;

  constructor(target: string) {
    const Ctor = grpc.makeGenericClientConstructor(METHODS as unknown as grpc.ServiceDefinition, "LLBBridge");
    this.client = new Ctor(target, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 16 << 20,
      "grpc.max_send_message_length": 16 << 20,
      // A reconnect after an idle timeout can never succeed over stdio.
      "grpc.client_idle_timeout_ms": 2147483647,
    }) as grpc.Client & Record<string, Function>;
  }

  call(name: MethodName, req: Msg): Promise<Msg> {
    return new Promise((resolve, reject) => {
      this.client[name]!(req, (err: CallError | null, res: Msg) => (err ? reject(err) : resolve(res)));
    });
  }

  close(): void {
    this.client.close();
  }
}

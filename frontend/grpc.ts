// Minimal unary gRPC client over HTTP/2 on any duplex stream. BuildKit serves
// cleartext HTTP/2 (prior knowledge) on the frontend's stdin/stdout; every
// LLBBridge call a frontend makes is unary, so framing is five bytes and
// trailers. Replaces @grpc/grpc-js, which cannot run over an existing stream
// and costs ~40% of the bundle's start-up time.
import type http2 from "node:http2";
import { Duplex } from "node:stream";

export interface RpcError extends Error {
  code: number;
  details: string;
  /** Serialized google.rpc.Status from `grpc-status-details-bin`, when sent. */
  statusDetails?: Buffer;
}

export class GrpcClient {
  private constructor(private readonly session: http2.ClientHttp2Session) {}

  /** node:http2 is loaded here, not at module load: it cannot live in a V8 startup snapshot. */
  static async connect(stream: Duplex): Promise<GrpcClient> {
    // A plain require (the bundle is CommonJS): dynamic import() is unavailable in a snapshot's main.
    const { connect } = require("node:http2") as typeof http2;
    const session = connect("http://localhost", {
      createConnection: () => stream,
      // ReadFile answers and Solve requests may reach BuildKit's 16 MiB limit.
      maxSessionMemory: 64,
    });
    // Errors surface on the calls; an unhandled session error must not crash us.
    session.on("error", () => {});
    return new GrpcClient(session);
  }

  unary(path: string, request: Uint8Array): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const req = this.session.request({
        ":method": "POST",
        ":path": path,
        "content-type": "application/grpc",
        te: "trailers",
      });
      const chunks: Buffer[] = [];
      let status: { code: number; message: string; details?: Buffer } | undefined;
      const takeStatus = (h: http2.IncomingHttpHeaders) => {
        if (h["grpc-status"] === undefined) return;
        const bin = h["grpc-status-details-bin"];
        status = {
          code: Number(h["grpc-status"]),
          message: decodeURIComponent(String(h["grpc-message"] ?? "")),
          details: typeof bin === "string" ? Buffer.from(bin, "base64") : undefined,
        };
      };
      req.on("response", takeStatus); // trailers-only responses put the status here
      req.on("trailers", takeStatus);
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("error", reject);
      req.on("end", () => {
        if (!status) return reject(rpcError(13, `${path}: response without grpc-status`));
        if (status.code !== 0) return reject(rpcError(status.code, status.message, status.details));
        resolve(unframe(Buffer.concat(chunks)));
      });
      const frame = Buffer.allocUnsafe(5 + request.length);
      frame[0] = 0; // not compressed
      frame.writeUInt32BE(request.length, 1);
      frame.set(request, 5);
      req.end(frame);
    });
  }

  close(): void {
    this.session.close();
  }
}

function unframe(body: Buffer): Buffer {
  if (body.length < 5) return Buffer.alloc(0);
  const len = body.readUInt32BE(1);
  return body.subarray(5, 5 + len);
}

function rpcError(code: number, details: string, statusDetails?: Buffer): RpcError {
  const e = new Error(details) as RpcError;
  e.code = code;
  e.details = details;
  e.statusDetails = statusDetails;
  return e;
}

/** BuildKit writes into our stdin and reads our stdout. */
export function stdioStream(): Duplex {
  return Duplex.from({ readable: process.stdin, writable: process.stdout });
}

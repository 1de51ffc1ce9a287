// Minimal unary gRPC client over HTTP/2 on any duplex stream. BuildKit serves
// cleartext HTTP/2 (prior knowledge) on the frontend's stdin/stdout; every
// LLBBridge call a frontend makes is unary, so framing is five bytes and
// trailers. Replaces @grpc/grpc-js, which cannot run over an existing stream
// and costs ~40% of the bundle's start-up time.
import type http2 from "node:http2";
import { Duplex } from "node:stream";
import { GrpcCode, codeForHttpStatus, decodeGrpcMessage, stripCodePrefixes } from "./grpc-status.js";

export interface RpcError extends Error {
  code: number;
  details: string;
  /** Serialized google.rpc.Status from `grpc-status-details-bin`, when sent. */
  statusDetails?: Buffer;
}

interface GrpcStatus {
  code: number;
  message: string;
  details?: Buffer;
}

/** What a finished call saw: the HTTP status, the gRPC status and the body bytes. */
interface CallOutcome {
  httpStatus?: number;
  status?: GrpcStatus;
  body: Buffer;
}

export class GrpcClient {
  private constructor(private readonly session: http2.ClientHttp2Session) {}

  /** node:http2 is loaded here, not at module load: it cannot live in a V8 startup snapshot. */
  static async connect(stream: Duplex): Promise<GrpcClient> {
    const { connect } = loadHttp2();
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
      const seen: Omit<CallOutcome, "body"> = {};
      req.on("response", (h) => {
        seen.httpStatus = Number(h[":status"]);
        seen.status = readStatus(h) ?? seen.status; // trailers-only responses put the status here
      });
      req.on("trailers", (h) => (seen.status = readStatus(h) ?? seen.status));
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("error", (e) => reject(rpcError(GrpcCode.UNAVAILABLE, `${path}: ${e.message}`)));
      req.on("end", () => {
        try {
          resolve(settle(path, { ...seen, body: Buffer.concat(chunks) }));
        } catch (e) {
          reject(e);
        }
      });
      req.end(frame(request));
    });
  }

  close(): void {
    this.session.close();
  }
}

function readStatus(h: http2.IncomingHttpHeaders): GrpcStatus | undefined {
  if (h["grpc-status"] === undefined) return undefined;
  const bin = h["grpc-status-details-bin"];
  return {
    code: Number(h["grpc-status"]),
    message: decodeGrpcMessage(String(h["grpc-message"] ?? "")),
    details: typeof bin === "string" ? Buffer.from(bin, "base64") : undefined,
  };
}

/** The response message of a finished unary call, or the RpcError it amounts to. */
function settle(path: string, o: CallOutcome): Buffer {
  if (o.httpStatus !== undefined && o.httpStatus !== 200) {
    const why = o.status?.message ? `: ${stripCodePrefixes(o.status.message)}` : "";
    throw rpcError(codeForHttpStatus(o.httpStatus), `${path}: HTTP status ${o.httpStatus}${why}`);
  }
  if (!o.status) throw rpcError(GrpcCode.INTERNAL, `${path}: response without grpc-status`);
  if (o.status.code !== GrpcCode.OK) throw rpcError(o.status.code, o.status.message, o.status.details);
  return unframe(path, o.body);
}

/** Exactly one uncompressed message: anything else is a broken response, never an empty success. */
function unframe(path: string, body: Buffer): Buffer {
  if (body.length === 0) throw rpcError(GrpcCode.INTERNAL, `${path}: OK status without a response message`);
  if (body.length < 5) throw rpcError(GrpcCode.INTERNAL, `${path}: truncated response frame (${body.length} bytes)`);
  if (body[0] !== 0) throw rpcError(GrpcCode.INTERNAL, `${path}: compressed response, but no compression was negotiated`);
  const len = body.readUInt32BE(1);
  if (body.length < 5 + len) throw rpcError(GrpcCode.INTERNAL, `${path}: truncated response message (${body.length - 5} of ${len} bytes)`);
  if (body.length > 5 + len) throw rpcError(GrpcCode.INTERNAL, `${path}: more than one response message for a unary call`);
  return body.subarray(5);
}

function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0; // not compressed
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

/** Errors carry one message without "Code: " prefixes: the code is a field of its own. */
function rpcError(code: number, details: string, statusDetails?: Buffer): RpcError {
  const message = stripCodePrefixes(details);
  const e = new Error(message) as RpcError;
  e.code = code;
  e.details = message;
  e.statusDetails = statusDetails;
  return e;
}

/**
 * A plain require in the CommonJS bundle (dynamic import() is unavailable in a
 * snapshot's main); ESM callers such as the tests use getBuiltinModule.
 */
function loadHttp2(): typeof http2 {
  if (typeof require === "function") return require("node:http2") as typeof http2;
  return process.getBuiltinModule("node:http2") as typeof http2;
}

/** BuildKit writes into our stdin and reads our stdout. */
export function stdioStream(): Duplex {
  return Duplex.from({ readable: process.stdin, writable: process.stdout });
}

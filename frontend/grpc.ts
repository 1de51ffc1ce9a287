// Minimal unary gRPC client over our own HTTP/2 session (h2/). BuildKit
// serves cleartext HTTP/2 (prior knowledge) on the frontend's stdin/stdout;
// every LLBBridge call a frontend makes is unary, so framing is five bytes and
// trailers. node:http2 is not used: it cannot live in the V8 startup snapshot
// and loading it costs start-up time on every build.
import type { Duplex } from "node:stream";
import { GrpcCode, codeForHttpStatus, decodeGrpcMessage, stripCodePrefixes } from "./grpc-status.js";
import { Http2Session, headerValue, type Response } from "./h2/session.js";
import { duplexTransport, type Transport } from "./h2/transport.js";
import type { HeaderList } from "./h2/hpack.js";

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
  private constructor(private readonly session: Http2Session) {}

  /** Over BuildKit's file descriptors (fdTransport), or any node stream (a socket in tests). */
  static async connect(io: Transport | Duplex): Promise<GrpcClient> {
    return new GrpcClient(new Http2Session(isTransport(io) ? io : duplexTransport(io)));
  }

  async unary(path: string, request: Uint8Array): Promise<Buffer> {
    let res: Response;
    try {
      res = await this.session.request(requestHeaders(path), frameMessage(request));
    } catch (e) {
      throw rpcError(GrpcCode.UNAVAILABLE, `${path}: ${(e as Error).message}`);
    }
    const status = readStatus(res.trailers) ?? readStatus(res.headers); // trailers-only responses put the status in the headers
    return settle(path, { httpStatus: Number(headerValue(res.headers, ":status")), status, body: res.body });
  }

  close(): void {
    this.session.close();
  }
}

function isTransport(io: Transport | Duplex): io is Transport {
  return typeof (io as Transport).demand === "function";
}

function requestHeaders(path: string): Array<[string, string]> {
  return [
    [":method", "POST"],
    [":scheme", "http"],
    [":path", path],
    [":authority", "localhost"],
    ["content-type", "application/grpc"],
    ["te", "trailers"],
  ];
}

function readStatus(h: HeaderList | undefined): GrpcStatus | undefined {
  const code = h && headerValue(h, "grpc-status");
  if (!h || code === undefined) return undefined;
  const bin = headerValue(h, "grpc-status-details-bin");
  return {
    code: Number(code),
    message: decodeGrpcMessage(headerValue(h, "grpc-message") ?? ""),
    details: bin === undefined ? undefined : Buffer.from(bin, "base64"), // Buffer accepts unpadded base64
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

/** One uncompressed gRPC message: flag, length, bytes (both ends of a call frame them so). */
export function frameMessage(message: Uint8Array): Buffer {
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

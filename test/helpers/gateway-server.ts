// BuildKit's side of the gateway, emulated: an HTTP/2 gRPC server on one
// duplex stream (a frontend process's stdio) that decodes each LLBBridge call,
// lets a FakeBridge answer it and encodes the reply the way grpc-go does. It
// runs the frontend as BuildKit runs it — the image's own process, its
// snapshot and its HTTP/2 client — without a daemon (tests, and the
// benchmark's instruction counts under callgrind).
import { spawn } from "node:child_process";
import http2 from "node:http2";
import { Duplex } from "node:stream";
import { serveCall } from "../../frontend/bridge.js";
import { frameMessage } from "../../frontend/grpc.js";
import type { FakeBridge } from "./fake-bridge.js";

/** Serves LLBBridge calls on `socket` until it closes; resolves when the frontend has returned and the stream ended. */
function serveGateway(socket: Duplex, bridge: FakeBridge): Promise<void> {
  const session = http2.performServerHandshake(socket);
  session.on("error", () => {});
  session.on("stream", (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => void answer(stream, String(headers[":path"]), Buffer.concat(chunks), bridge));
  });
  return new Promise((resolve) => {
    session.on("close", resolve);
    socket.on("close", resolve);
  });
}

async function answer(stream: http2.ServerHttp2Stream, path: string, body: Buffer, bridge: FakeBridge): Promise<void> {
  try {
    const res = await serveCall(bridge, path, body.subarray(5));
    stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    stream.end(frameMessage(res));
  } catch (e) {
    const message = encodeURIComponent((e as Error).message);
    stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "2", "grpc-message": message }, { endStream: true });
  }
}

/** Runs `argv` as BuildKit runs a frontend (gRPC on its stdin/stdout) against `bridge`; its exit code and stderr. */
export async function runFrontendProcess(argv: string[], env: NodeJS.ProcessEnv, bridge: FakeBridge): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c) => (stderr += c));
  void serveGateway(Duplex.from({ readable: child.stdout, writable: child.stdin }), bridge);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, stderr };
}

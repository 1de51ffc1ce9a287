// frontend/h2/session.ts against node:http2's server (which Huffman-encodes
// and indexes its headers, like grpc-go) over loopback sockets: concurrency,
// flow control both ways, PING, RST_STREAM, GOAWAY, a dropped connection and
// header blocks larger than a frame. A raw socket server plays a broken peer.
import { describe, it, expect, afterEach } from "vitest";
import http2 from "node:http2";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { GrpcClient, type RpcError } from "../../frontend/grpc.js";
import { Http2Session, headerValue } from "../../frontend/h2/session.js";
import { duplexTransport } from "../../frontend/h2/transport.js";
import { encodeFrame, FrameType, Flag } from "../../frontend/h2/frames.js";
import { encodeHeaderBlock } from "../../frontend/h2/hpack.js";

type Handler = (stream: http2.ServerHttp2Stream, request: Buffer, headers: http2.IncomingHttpHeaders) => void;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A node:http2 server whose every stream goes to `handler` once its request is read whole. */
async function serve(handler: Handler, settings: http2.Settings = {}, options: http2.ServerOptions = {}): Promise<{ port: number; sessions: Set<http2.ServerHttp2Session>; sockets: Set<net.Socket> }> {
  const server = http2.createServer({ settings, ...options });
  const sessions = new Set<http2.ServerHttp2Session>();
  const sockets = new Set<net.Socket>();
  server.on("session", (s) => sessions.add(s));
  server.on("connection", (sock: net.Socket) => sockets.add(sock));
  server.on("stream", (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => handler(stream, Buffer.concat(chunks), headers));
    stream.on("error", () => {});
  });
  server.on("sessionError", () => {});
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  cleanups.push(() => {
    // A server session that still holds streams (GOAWAY, reset) would keep close() waiting.
    sessions.forEach((s) => s.destroy());
    return new Promise<void>((res) => server.close(() => res()));
  });
  return { port: (server.address() as AddressInfo).port, sessions, sockets };
}

async function client(port: number): Promise<GrpcClient> {
  const c = await GrpcClient.connect(net.connect(port, "127.0.0.1"));
  cleanups.push(() => c.close());
  return c;
}

function withLength(msg: Buffer): Buffer {
  const out = Buffer.alloc(5 + msg.length);
  out.writeUInt32BE(msg.length, 1);
  msg.copy(out, 5);
  return out;
}

function grpcReply(stream: http2.ServerHttp2Stream, message: Buffer, trailers: http2.OutgoingHttpHeaders = { "grpc-status": "0" }): void {
  if (stream.destroyed) return;
  stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  stream.on("wantTrailers", () => stream.sendTrailers(trailers));
  stream.end(withLength(message));
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail("call succeeded"),
    (e: RpcError) => e,
  );

/** Deterministic bytes, so a corrupted or reordered byte is caught. */
function pattern(n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + (i >> 12)) & 0xff;
  return b;
}

describe("HTTP/2 session against node:http2", () => {
  it("runs 100 concurrent calls, each answered with its own request", async () => {
    const { port } = await serve((stream, req) => grpcReply(stream, Buffer.concat([Buffer.from("re:"), req.subarray(5)])));
    const c = await client(port);
    const out = await Promise.all(Array.from({ length: 100 }, (_, i) => c.unary(`/t/call${i}`, Buffer.from(`n${i}`))));
    expect(out.map(String)).toEqual(Array.from({ length: 100 }, (_, i) => `re:n${i}`));
  });

  it("queues calls above the server's SETTINGS_MAX_CONCURRENT_STREAMS instead of having them refused", async () => {
    let open = 0;
    let most = 0;
    const { port } = await serve(
      (stream, req) => {
        most = Math.max(most, ++open);
        setTimeout(() => {
          open--;
          grpcReply(stream, req.subarray(5));
        }, 2);
      },
      { maxConcurrentStreams: 3 },
    );
    const c = await client(port);
    await c.unary("/t/first", Buffer.from("x")); // the server's SETTINGS have arrived
    const out = await Promise.all(Array.from({ length: 20 }, (_, i) => c.unary("/t/q", Buffer.from(String(i)))));
    expect(out.map(String)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(most).toBeLessThanOrEqual(3);
  });

  it("sends a 5 MiB request through the server's small windows (flow control, window size change mid-call)", async () => {
    const big = pattern(5 * 1024 * 1024);
    let got: Buffer | undefined;
    const { port, sessions } = await serve(
      (stream, req) => {
        got = req;
        grpcReply(stream, Buffer.from(String(req.length)));
      },
      { initialWindowSize: 1000 },
    );
    const c = await client(port);
    const done = c.unary("/t/upload", big);
    done.catch(() => {});
    // Raise every stream's window while the upload is under way: the session must apply the difference.
    setTimeout(() => sessions.forEach((s) => s.settings({ initialWindowSize: 200_000 })), 5);
    expect(String(await done)).toBe(String(big.length + 5));
    expect(got!.subarray(5).equals(big)).toBe(true);
  });

  it("receives a 10 MiB response (our WINDOW_UPDATEs keep it flowing), twice over one connection", async () => {
    const big = pattern(10 * 1024 * 1024);
    // node's server refuses (ENHANCE_YOUR_CALM) to buffer more than maxSessionMemory MiB of answers.
    const { port } = await serve((stream) => grpcReply(stream, big), {}, { maxSessionMemory: 64 });
    const c = await client(port);
    for (let i = 0; i < 2; i++) expect((await c.unary("/t/download", Buffer.from("x"))).equals(big)).toBe(true);
    const both = await Promise.all([c.unary("/t/a", Buffer.from("x")), c.unary("/t/b", Buffer.from("x"))]);
    expect(both.every((b) => b.equals(big))).toBe(true);
  });

  it("answers the server's PING in the middle of a call", async () => {
    let acked = false;
    const { port } = await serve((stream, req) => {
      stream.session!.ping(Buffer.from("12345678"), (err, _ms, payload) => {
        acked = !err && payload.toString() === "12345678";
        grpcReply(stream, req.subarray(5));
      });
    });
    const c = await client(port);
    expect(String(await c.unary("/t/ping", Buffer.from("ok")))).toBe("ok");
    expect(acked).toBe(true);
  });

  it("fails only the call whose stream the server resets", async () => {
    const { port } = await serve((stream, req, headers) => {
      if (headers[":path"] === "/t/reset") stream.close(http2.constants.NGHTTP2_CANCEL);
      else setTimeout(() => grpcReply(stream, req.subarray(5)), 10);
    });
    const c = await client(port);
    const [a, reset, b] = [c.unary("/t/a", Buffer.from("a")), failure(c.unary("/t/reset", Buffer.from("r"))), c.unary("/t/b", Buffer.from("b"))];
    const e = await reset;
    expect(e.code).toBe(14);
    expect(e.message).toBe("/t/reset: the server reset the stream (CANCEL)");
    expect(String(await a) + String(await b)).toBe("ab");
    expect(String(await c.unary("/t/after", Buffer.from("c")))).toBe("c");
  });

  it("on GOAWAY, fails the calls the server will not process and every later one; earlier ones finish", async () => {
    const held: http2.ServerHttp2Stream[] = [];
    const { port } = await serve((stream) => {
      held.push(stream);
      if (held.length < 3) return;
      const [first] = held;
      stream.session!.goaway(http2.constants.NGHTTP2_NO_ERROR, first!.id!, Buffer.from("draining"));
      grpcReply(first!, Buffer.from("first"));
    });
    const c = await client(port);
    const first = c.unary("/t/1", Buffer.from("1"));
    await new Promise((r) => setTimeout(r, 20)); // stream 1 reaches the server first
    const second = failure(c.unary("/t/2", Buffer.from("2")));
    const third = failure(c.unary("/t/3", Buffer.from("3")));
    expect(String(await first)).toBe("first");
    expect((await second).message).toBe("/t/2: the server closed the connection (GOAWAY NO_ERROR: draining)");
    expect((await third).code).toBe(14);
    expect((await failure(c.unary("/t/4", Buffer.from("4")))).message).toMatch(/^\/t\/4: the server closed the connection \(GOAWAY/);
  });

  it("fails every pending call with a clear message when the server drops the connection", async () => {
    let arrived = 0;
    const server = await serve(() => {
      if (++arrived === 3) server.sockets.forEach((sock) => sock.destroy());
    });
    const { port } = server;
    const c = await client(port);
    const errors = await Promise.all([1, 2, 3].map((i) => failure(c.unary(`/t/${i}`, Buffer.from("x")))));
    for (const e of errors) {
      expect(e.code).toBe(14);
      expect(e.message).toMatch(/^\/t\/\d: the (server closed the connection|connection failed: .*)$/);
    }
    expect((await failure(c.unary("/t/later", Buffer.from("x")))).code).toBe(14);
  });

  it("sends and receives header blocks larger than one frame (CONTINUATION)", async () => {
    const long = "é".repeat(20_000); // 40 000 bytes: three frames of 16 KiB
    let seen: string | undefined;
    const { port } = await serve(
      (stream, req, headers) => {
        seen = String(headers["x-long"]);
        grpcReply(stream, req.subarray(5), { "grpc-status": "3", "grpc-message": encodeURIComponent(long) });
      },
      { maxHeaderListSize: 1 << 20 },
      { maxSendHeaderBlockLength: 1 << 20 },
    );
    const socket = net.connect(port, "127.0.0.1");
    const session = new Http2Session(duplexTransport(socket));
    cleanups.push(() => session.close());
    const headers: Array<[string, string]> = [[":method", "POST"], [":scheme", "http"], [":path", "/t/long"], [":authority", "localhost"], ["x-long", long]];
    const res = await session.request(headers, withLength(Buffer.from("x")));
    expect(Buffer.from(seen!, "latin1").toString("utf8")).toBe(long); // node reads header values as Latin-1
    expect(decodeURIComponent(headerValue(res.trailers!, "grpc-message")!)).toBe(long);
  });

  it("decodes an unpadded grpc-status-details-bin and a status in a trailers-only response", async () => {
    const details = Buffer.from([8, 3, 0x12, 1, 0x78]); // base64 "CAMSAXg=" sent as "CAMSAXg"
    const { port } = await serve((stream) =>
      stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "3", "grpc-message": "bad", "grpc-status-details-bin": "CAMSAXg" }, { endStream: true }),
    );
    const c = await client(port);
    const e = await failure(c.unary("/t/details", Buffer.from("x")));
    expect(e.code).toBe(3);
    expect(e.statusDetails).toEqual(details);
  });
});

describe("HTTP/2 session against a broken peer", () => {
  /** A plain TCP server that reads our preface and answers with `reply` (raw frames). */
  async function rawPeer(reply: (sock: net.Socket) => void): Promise<{ port: number; received: () => Buffer }> {
    const got: Buffer[] = [];
    const server = net.createServer((sock) => {
      sock.on("data", (d) => got.push(d));
      sock.on("error", () => {});
      sock.once("data", () => reply(sock));
    });
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
    cleanups.push(() => new Promise<void>((res) => server.close(() => res())));
    return { port: (server.address() as AddressInfo).port, received: () => Buffer.concat(got) };
  }

  const settings = encodeFrame(FrameType.SETTINGS, 0, 0);

  it.each([
    ["a broken HPACK block", () => encodeFrame(FrameType.HEADERS, Flag.END_HEADERS, 1, Buffer.from([0x80])), /^\/t\/x: HTTP\/2 protocol error \(COMPRESSION_ERROR\): HPACK: index 0$/],
    ["a PUSH_PROMISE", () => encodeFrame(FrameType.PUSH_PROMISE, Flag.END_HEADERS, 1, Buffer.from([0, 0, 0, 2])), /PROTOCOL_ERROR\): PUSH_PROMISE received, but push was disabled/],
    ["a frame above our maximum size", () => encodeFrame(FrameType.DATA, 0, 1, Buffer.alloc(20_000)), /FRAME_SIZE_ERROR\): frame of 20000 bytes exceeds/],
    ["a header block interrupted by DATA", () => Buffer.concat([encodeFrame(FrameType.HEADERS, 0, 1, encodeHeaderBlock([[":status", "200"]])), encodeFrame(FrameType.DATA, 0, 1, Buffer.from("x"))]), /a header block was interrupted by a DATA frame/],
    ["a PING of the wrong size", () => encodeFrame(FrameType.PING, 0, 0, Buffer.alloc(3)), /FRAME_SIZE_ERROR\): PING frame of 3 bytes/],
    ["data on stream 0", () => encodeFrame(FrameType.DATA, 0, 0, Buffer.from("x")), /DATA frame on stream 0/],
  ])("fails pending calls cleanly on %s, and tells the server with GOAWAY", async (_what, bad, message) => {
    const peer = await rawPeer((sock) => sock.write(Buffer.concat([settings, bad()])));
    const c = await client(peer.port);
    const e = await failure(c.unary("/t/x", Buffer.from("x")));
    expect(e.code).toBe(14);
    expect(e.message).toMatch(message);
    expect(e.stack ?? "").not.toMatch(/session\.ts/); // what a user sees is the message
    await new Promise((r) => setTimeout(r, 20));
    expect(peer.received().includes(Buffer.from([0, 0, 8, FrameType.GOAWAY]))).toBe(true);
  });

  it("ignores frames of unknown types and PRIORITY frames", async () => {
    const ok = [
      encodeFrame(0x42, 0xff, 0, Buffer.from("whatever")),
      encodeFrame(FrameType.PRIORITY, 0, 1, Buffer.alloc(5)),
      encodeFrame(FrameType.HEADERS, Flag.END_HEADERS | Flag.PADDED | Flag.PRIORITY, 1, Buffer.concat([Buffer.from([2]), Buffer.alloc(5), encodeHeaderBlock([[":status", "200"]]), Buffer.alloc(2)])),
      encodeFrame(FrameType.DATA, Flag.PADDED, 1, Buffer.concat([Buffer.from([3]), withLength(Buffer.from("hi")), Buffer.alloc(3)])),
      encodeFrame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, encodeHeaderBlock([["grpc-status", "0"]])),
    ];
    const peer = await rawPeer((sock) => sock.write(Buffer.concat([settings, ...ok])));
    const c = await client(peer.port);
    expect(String(await c.unary("/t/x", Buffer.from("x")))).toBe("hi");
  });
});

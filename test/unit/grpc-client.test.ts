// frontend/grpc.ts against a real in-process HTTP/2 server (node:http2 on a
// loopback port), the way BuildKit's gateway answers on stdio: trailers-only
// errors, malformed headers, broken frames and non-200 HTTP statuses.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import http2 from "node:http2";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { GrpcClient, type RpcError } from "../../frontend/grpc.js";
import { codeForHttpStatus, decodeGrpcMessage, stripCodePrefixes } from "../../frontend/grpc-status.js";
import { statusForReturn, toStatus } from "../../frontend/errors.js";

type Handler = (stream: http2.ServerHttp2Stream, request: Buffer) => void;
const handlers = new Map<string, Handler>();
let server: http2.Http2Server;
let client: GrpcClient;

const frame = (msg: Buffer, flag = 0) => Buffer.concat([Buffer.from([flag]), u32(msg.length), msg]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** A reply with headers, a body and trailers, as grpc-go writes one. */
function reply(body: Buffer, trailers: http2.OutgoingHttpHeaders, status = 200): Handler {
  return (stream) => {
    stream.respond({ ":status": status, "content-type": "application/grpc" }, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers(trailers));
    stream.end(body);
  };
}

/** A trailers-only reply: status in the only HEADERS frame (how errors usually arrive). */
function trailersOnly(headers: http2.OutgoingHttpHeaders): Handler {
  return (stream) => stream.respond({ ":status": 200, "content-type": "application/grpc", ...headers }, { endStream: true });
}

async function call(name: string, handler: Handler, request = Buffer.from("req")): Promise<Buffer> {
  handlers.set(`/test/${name}`, handler);
  return client.unary(`/test/${name}`, request);
}

async function callError(name: string, handler: Handler): Promise<RpcError> {
  return call(name, handler).then(
    () => expect.fail("call succeeded"),
    (e: RpcError) => e,
  );
}

beforeAll(async () => {
  server = http2.createServer();
  server.on("stream", (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => handlers.get(String(headers[":path"]))!(stream, Buffer.concat(chunks)));
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  const { port } = server.address() as AddressInfo;
  client = await GrpcClient.connect(net.connect(port, "127.0.0.1"));
});

afterAll(async () => {
  client.close();
  await new Promise((res) => server.close(res));
});

describe("GrpcClient (unary over HTTP/2)", () => {
  it("sends one framed request and returns the one response message", async () => {
    let seen: Buffer = Buffer.alloc(0);
    const out = await call("echo", (stream, req) => {
      seen = req;
      reply(frame(Buffer.from("pong")), { "grpc-status": "0" })(stream, req);
    });
    expect(seen).toEqual(frame(Buffer.from("req")));
    expect(out.toString()).toBe("pong");
  });

  it("accepts an empty message (ReturnResponse) framed with length 0", async () => {
    expect((await call("empty", reply(frame(Buffer.alloc(0)), { "grpc-status": "0" }))).length).toBe(0);
  });

  it("rejects with the status code and decoded message of a trailers-only error", async () => {
    const e = await callError("notfound", trailersOnly({ "grpc-status": "5", "grpc-message": "open%20x:%20no%20such%20file" }));
    expect(e.code).toBe(5);
    expect(e.message).toBe("open x: no such file");
  });

  it("survives a malformed grpc-message header (bad escapes and bad UTF-8 are kept, not thrown)", async () => {
    const e = await callError("malformed", trailersOnly({ "grpc-status": "3", "grpc-message": "bad %E0%A4%A and %zz and %FF" }));
    expect(e.code).toBe(3);
    expect(e.message).toBe("bad \uFFFD%A and %zz and \uFFFD");
  });

  it("fails an OK status that carries no response message", async () => {
    const e = await callError("nomessage", reply(Buffer.alloc(0), { "grpc-status": "0" }));
    expect(e.code).toBe(13);
    expect(e.message).toMatch(/OK status without a response message/);
    const e2 = await callError("trailersonlyok", trailersOnly({ "grpc-status": "0" }));
    expect(e2.code).toBe(13);
  });

  it("fails truncated frames: a short header, or a message shorter than its length", async () => {
    const short = await callError("shortheader", reply(Buffer.from([0, 0, 0]), { "grpc-status": "0" }));
    expect(short.message).toMatch(/truncated response frame/);
    const body = frame(Buffer.from("0123456789")).subarray(0, 9);
    const cut = await callError("shortbody", reply(body, { "grpc-status": "0" }));
    expect(cut.code).toBe(13);
    expect(cut.message).toMatch(/truncated response message \(4 of 10 bytes\)/);
  });

  it("fails a compressed frame and a second message", async () => {
    const z = await callError("compressed", reply(frame(Buffer.from("x"), 1), { "grpc-status": "0" }));
    expect(z.message).toMatch(/compressed response/);
    const two = await callError("two", reply(Buffer.concat([frame(Buffer.from("a")), frame(Buffer.from("b"))]), { "grpc-status": "0" }));
    expect(two.message).toMatch(/more than one response message/);
  });

  it("fails a response that ends without any grpc-status", async () => {
    const e = await callError("nostatus", (stream) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.end(frame(Buffer.from("x")));
    });
    expect(e.code).toBe(13);
    expect(e.message).toMatch(/without grpc-status/);
  });

  it.each([
    [400, 13],
    [401, 16],
    [403, 7],
    [404, 12],
    [429, 14],
    [502, 14],
    [503, 14],
    [504, 14],
    [500, 2],
  ])("maps HTTP status %i to gRPC code %i", async (http, code) => {
    const e = await callError(`http${http}`, (stream) => stream.respond({ ":status": http }, { endStream: true }));
    expect(e.code).toBe(code);
    expect(e.message).toBe(`/test/http${http}: HTTP status ${http}`);
  });

  it("carries grpc-status-details-bin as statusDetails", async () => {
    const details = Buffer.from([8, 3, 0x12, 1, 0x78]);
    const e = await callError("details", trailersOnly({ "grpc-status": "3", "grpc-message": "x", "grpc-status-details-bin": details.toString("base64") }));
    expect(e.statusDetails).toEqual(details);
  });
});

describe("one error prefix per message", () => {
  it("strips the code prefixes BuildKit stacked onto a message", async () => {
    const msg = encodeURIComponent("InvalidArgument: InvalidArgument: PROJECT_PATH is wrong");
    const e = await callError("stacked", trailersOnly({ "grpc-status": "3", "grpc-message": msg }));
    expect(e.message).toBe("PROJECT_PATH is wrong");
    // What we hand to Return: BuildKit adds exactly one "InvalidArgument: " for code 3.
    expect(toStatus(e)).toEqual({ code: 3, message: "PROJECT_PATH is wrong" });
  });

  it("strips them from a rich google.rpc.Status too, and only leading ones", () => {
    // google.rpc.Status{code: 3, message: "NotFound: failed: Internal: x"}
    const message = Buffer.from("NotFound: failed: Internal: x");
    const status = Buffer.concat([Buffer.from([8, 3, 0x12, message.length]), message]);
    const e = Object.assign(new Error("m"), { code: 3, details: "m", statusDetails: status });
    expect(toStatus(e).message).toBe("failed: Internal: x");
    expect(stripCodePrefixes("Unknown: Unavailable: x")).toBe("x");
    expect(stripCodePrefixes("InvalidArgumentx: y")).toBe("InvalidArgumentx: y");
  });
});

describe("status helpers", () => {
  it("decodes percent-encoded UTF-8 and leaves plain text alone", () => {
    expect(decodeGrpcMessage("caf%C3%A9 ✓ 100%")).toBe("café ✓ 100%");
  });

  it("maps unlisted HTTP statuses to UNKNOWN", () => {
    expect(codeForHttpStatus(418)).toBe(2);
  });
});

describe("statusForReturn", () => {
  it("leaves the frontend as UNKNOWN with the code name written once, so BuildKit's hops add none", () => {
    expect(statusForReturn({ code: 3, message: "InvalidArgument: PROJECT_PATH is wrong" })).toEqual({ code: 2, message: "InvalidArgument: PROJECT_PATH is wrong" });
    expect(statusForReturn({ code: 5, message: "No supported language found" })).toEqual({ code: 2, message: "NotFound: No supported language found" });
    expect(statusForReturn({ code: 12, message: "this BuildKit lacks LLB features" })).toEqual({ code: 2, message: "Unimplemented: this BuildKit lacks LLB features" });
  });

  it("keeps UNKNOWN statuses (failed steps) and their details as they are", () => {
    const st = { code: 2, message: "process did not complete successfully: exit code: 1", details: [{ type_url: "x", value: Buffer.from([1]) }] };
    expect(statusForReturn(st)).toBe(st);
    const rich = { code: 13, message: "boom", details: st.details };
    expect(statusForReturn(rich)).toEqual({ code: 2, message: "Internal: boom", details: st.details });
  });

  it("keeps UNIMPLEMENTED for BuildKit's unsupported-capability sentence, which buildx matches", () => {
    const st = { code: 12, message: "unsupported frontend capability moby.buildkit.frontend.contexts" };
    expect(statusForReturn(st)).toBe(st);
  });
});

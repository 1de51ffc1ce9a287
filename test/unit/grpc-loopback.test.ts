// The in-memory gRPC server end (frontend/grpc-loopback.ts) that the image's
// snapshot warm-up builds through: it must carry a whole build through our
// HTTP/2 client unchanged, fail calls as grpc-go does, and write header blocks
// the way grpc-go does (Huffman-coded literals, then indexes), so the warm-up
// runs the client's decoding paths that real responses take.
import { describe, it, expect } from "vitest";
import { loopbackTransport, IndexingEncoder } from "../../frontend/grpc-loopback.js";
import { Bridge, serveCall } from "../../frontend/bridge.js";
import { HpackDecoder } from "../../frontend/h2/hpack.js";
import { runFrontend } from "../../frontend/build.js";
import { FakeBridge, frontendEnv, runFake } from "../helpers/fake-bridge.js";
import { LocalContext } from "../../src/context/local-fs.js";

const connect = (daemon: { call(name: string, req: any): Promise<any> }) =>
  Bridge.connect(loopbackTransport((path, message) => serveCall(daemon, path, message)));

describe("the loopback gRPC server", () => {
  it("carries a whole build through the HTTP/2 client: the same definition bytes as the in-process path", async () => {
    const viaClient = new FakeBridge(new LocalContext("fixtures/node-npm-deps"));
    const bridge = await connect(viaClient);
    await runFrontend(bridge, frontendEnv([]));
    bridge.close();
    const inProcess = new FakeBridge(new LocalContext("fixtures/node-npm-deps"));
    expect(await runFake(inProcess, [])).toBeUndefined();
    const defs = (b: FakeBridge) => b.finalSolves().map((c) => (c.req.Definition.def as Uint8Array[]).map((d) => Buffer.from(d).toString("hex")));
    expect(defs(inProcess)).toHaveLength(1);
    expect(defs(viaClient)).toEqual(defs(inProcess));
    expect(viaClient.calls.map((c) => c.name)).toEqual(inProcess.calls.map((c) => c.name));
  });

  it("answers a failed call with its status and message, as grpc-go does", async () => {
    const bridge = await connect({ call: async () => Promise.reject(new Error("no such ref: ref9 (50% gone)")) });
    await expect(bridge.call("ReadFile", { Ref: "ref9", FilePath: "go.mod" })).rejects.toMatchObject({ code: 2, message: "no such ref: ref9 (50% gone)" });
    bridge.close();
  });

  it("answers calls made at once, each with its own response", async () => {
    const bridge = await connect({ call: async (_name: string, req: any) => ({ Data: Buffer.from(`content of ${req.FilePath}`) }) });
    const paths = Array.from({ length: 40 }, (_, i) => `file-${i}.txt`);
    const got = await Promise.all(paths.map((p) => bridge.call("ReadFile", { Ref: "r", FilePath: p })));
    expect(got.map((r) => Buffer.from(r.Data).toString())).toEqual(paths.map((p) => `content of ${p}`));
    bridge.close();
  });

  it("writes header blocks a decoder reads back: Huffman-coded literals first, indexes after", () => {
    const encoder = new IndexingEncoder();
    const decoder = new HpackDecoder();
    // Every ASCII octet, control characters included: the codes run from 5 to 28 bits.
    const ascii = Buffer.from(Array.from({ length: 128 }, (_, i) => i)).toString("latin1");
    const headers: Array<[string, string]> = [[":status", "200"], ["content-type", "application/grpc"], ["x-every-octet", ascii], ["grpc-message", ""]];
    expect(decoder.decode(encoder.encode(headers))).toEqual(headers);
    // ":status 200" is static entry 8; the literals went into both dynamic tables, so they come back as one octet each.
    const again = encoder.encode(headers);
    expect([...again]).toEqual([0x88, 0x80 | 64, 0x80 | 63, 0x80 | 62]);
    expect(decoder.decode(again)).toEqual(headers);
    // Huffman-coded: a literal of "application/grpc" takes fewer octets than its 16 characters.
    expect(new IndexingEncoder().encode([["x", "application/grpc"]]).length).toBeLessThan(1 + 2 + 1 + 16);
  });
});

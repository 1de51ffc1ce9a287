// HPACK (frontend/h2/hpack.ts) against the examples of RFC 7541, Appendix C:
// each request/response sequence shares one decoder, and the dynamic table
// after each block must be exactly what the RFC lists.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { HpackDecoder, decodeInteger, encodeHeaderBlock, encodeInteger, huffmanDecode } from "../../frontend/h2/hpack.js";
import { ConnectionError } from "../../frontend/h2/frames.js";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
type Pairs = Array<[string, string]>;

interface Step {
  block: string;
  headers: Pairs;
  table: Pairs;
  size: number;
}

function runSequence(steps: Step[], tableSize = 4096): void {
  const d = new HpackDecoder(tableSize);
  steps.forEach((step) => {
    expect(d.decode(hex(step.block))).toEqual(step.headers);
    expect(d.dynamicTable).toEqual({ entries: step.table, size: step.size });
  });
}

const REQ1: Pairs = [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"]];
const REQ2: Pairs = [...REQ1, ["cache-control", "no-cache"]];
const REQ3: Pairs = [[":method", "GET"], [":scheme", "https"], [":path", "/index.html"], [":authority", "www.example.com"], ["custom-key", "custom-value"]];
const requestSteps = (blocks: [string, string, string]): Step[] => [
  { block: blocks[0], headers: REQ1, table: [[":authority", "www.example.com"]], size: 57 },
  { block: blocks[1], headers: REQ2, table: [["cache-control", "no-cache"], [":authority", "www.example.com"]], size: 110 },
  { block: blocks[2], headers: REQ3, table: [["custom-key", "custom-value"], ["cache-control", "no-cache"], [":authority", "www.example.com"]], size: 164 },
];

const DATE1 = "Mon, 21 Oct 2013 20:13:21 GMT";
const DATE2 = "Mon, 21 Oct 2013 20:13:22 GMT";
const LOC = "https://www.example.com";
const COOKIE = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
/** C.5/C.6 use a 256-octet table, so later responses evict earlier entries. */
const responseSteps = (blocks: [string, string, string]): Step[] => [
  {
    block: blocks[0],
    headers: [[":status", "302"], ["cache-control", "private"], ["date", DATE1], ["location", LOC]],
    table: [["location", LOC], ["date", DATE1], ["cache-control", "private"], [":status", "302"]],
    size: 222,
  },
  {
    block: blocks[1],
    headers: [[":status", "307"], ["cache-control", "private"], ["date", DATE1], ["location", LOC]],
    table: [[":status", "307"], ["location", LOC], ["date", DATE1], ["cache-control", "private"]],
    size: 222,
  },
  {
    block: blocks[2],
    headers: [[":status", "200"], ["cache-control", "private"], ["date", DATE2], ["location", LOC], ["content-encoding", "gzip"], ["set-cookie", COOKIE]],
    table: [["set-cookie", COOKIE], ["content-encoding", "gzip"], ["date", DATE2]],
    size: 215,
  },
];

describe("HPACK decoder: RFC 7541 Appendix C", () => {
  it("C.2: the literal representations and an indexed field", () => {
    const d = new HpackDecoder();
    expect(d.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"))).toEqual([["custom-key", "custom-header"]]);
    expect(d.dynamicTable).toEqual({ entries: [["custom-key", "custom-header"]], size: 55 });
    const d2 = new HpackDecoder();
    expect(d2.decode(hex("040c 2f73 616d 706c 652f 7061 7468"))).toEqual([[":path", "/sample/path"]]);
    expect(d2.decode(hex("1008 7061 7373 776f 7264 0673 6563 7265 74"))).toEqual([["password", "secret"]]);
    expect(d2.decode(hex("82"))).toEqual([[":method", "GET"]]);
    expect(d2.dynamicTable.entries).toEqual([]);
  });

  it("C.3: requests without Huffman coding", () => {
    runSequence(requestSteps(["8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", "8286 84be 5808 6e6f 2d63 6163 6865", "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"]));
  });

  it("C.4: requests with Huffman coding", () => {
    runSequence(requestSteps(["8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", "8286 84be 5886 a8eb 1064 9cbf", "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"]));
  });

  it("C.5: responses without Huffman coding, with eviction", () => {
    runSequence(
      responseSteps([
        "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
        "4803 3330 37c1 c0bf",
        "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
      ]),
      256,
    );
  });

  it("C.6: responses with Huffman coding, with eviction", () => {
    runSequence(
      responseSteps([
        "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
        "4883 640e ffc1 c0bf",
        "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
      ]),
      256,
    );
  });
});

describe("HPACK integers (RFC 7541 section 5.1)", () => {
  const decode = (bytes: number[], prefix: number) => decodeInteger({ buf: Uint8Array.from(bytes), pos: 0 }, prefix);

  it("C.1: 10 and 1337 with a 5-bit prefix, 42 with an 8-bit prefix", () => {
    expect([...encodeInteger(10, 5, 0)]).toEqual([0x0a]);
    expect([...encodeInteger(1337, 5, 0)]).toEqual([0x1f, 0x9a, 0x0a]);
    expect([...encodeInteger(42, 8, 0)]).toEqual([0x2a]);
    expect(decode([0x1f, 0x9a, 0x0a], 5)).toBe(1337);
  });

  it("a value of exactly 2^N-1 needs a continuation byte of 0; the prefix ignores the bits above it", () => {
    expect([...encodeInteger(31, 5, 0xe0)]).toEqual([0xff, 0x00]);
    expect(decode([0xff, 0x00], 5)).toBe(31);
    expect(decode([0xea], 5)).toBe(10);
    expect(decode([0xff, 0x80, 0x80, 0x00], 5)).toBe(31); // redundant zero groups are allowed
  });

  it("round-trips any value up to 2^32-1 with any prefix", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 8 }), (v, n) => {
        expect(decode([...encodeInteger(v, n, 0)], n)).toBe(v);
      }),
    );
  });

  it("fails cleanly on a truncated or oversized integer", () => {
    expect(() => decode([0x1f], 5)).toThrow(/ends inside an integer/);
    expect(() => decode([0x1f, 0x80], 5)).toThrow(/ends inside an integer/);
    expect(() => decode([0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], 5)).toThrow(/integer too large/);
    expect(() => decode([0x1f, ...Array(100).fill(0x80), 0], 5)).not.toThrow(); // zero groups never grow the value
  });
});

describe("HPACK failures are clean connection errors", () => {
  const decodeError = (block: number[], d = new HpackDecoder()) => {
    try {
      d.decode(Uint8Array.from(block));
    } catch (e) {
      expect(e).toBeInstanceOf(ConnectionError);
      expect((e as ConnectionError).code).toBe(9); // COMPRESSION_ERROR
      return (e as Error).message;
    }
    return expect.fail("decoded");
  };

  it("Huffman padding must be all ones and shorter than 8 bits; EOS must not appear", () => {
    expect(huffmanDecode(Uint8Array.from([0x1f])).toString()).toBe("a"); // 00011 + 111
    expect(() => huffmanDecode(Uint8Array.from([0x18]))).toThrow(/padding is not all ones/);
    expect(() => huffmanDecode(Uint8Array.from([0x1f, 0xff]))).toThrow(/padding longer than 7 bits/);
    expect(() => huffmanDecode(Uint8Array.from([0xff, 0xff, 0xff, 0xff]))).toThrow(/contains EOS/);
    expect(decodeError([0x00, 0x81, 0x18, 0x01, 0x78])).toMatch(/padding is not all ones/);
  });

  it("index 0 and indexes past the tables", () => {
    expect(decodeError([0x80])).toMatch(/index 0/);
    expect(decodeError([0xbe])).toMatch(/index 62 is beyond the 61 table entries/);
    expect(decodeError([0x7f, 0x10, 0x01, 0x78])).toMatch(/index 79 is beyond/); // literal with an indexed name (63 + 16)
  });

  it("table size updates: within our limit and only at the start of a block", () => {
    const d = new HpackDecoder();
    d.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
    d.decode(Uint8Array.from([0x20])); // size 0 evicts everything
    expect(d.dynamicTable).toEqual({ entries: [], size: 0 });
    expect(decodeError([0x3f, 0xe2, 0x1f])).toMatch(/exceeds the limit of 4096/); // 4097
    expect(decodeError([0x82, 0x20])).toMatch(/size update after a header field/);
  });

  it("strings that run past the block", () => {
    expect(decodeError([0x00, 0x05, 0x61])).toMatch(/runs past the end/);
    expect(decodeError([0x00])).toMatch(/ends before a string/);
  });

  it("any byte string decodes or fails with a ConnectionError, never anything else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          new HpackDecoder().decode(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(ConnectionError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("HPACK encoder", () => {
  it("writes literals without indexing that decode back, UTF-8 included", () => {
    const headers: Pairs = [[":path", "/moby.buildkit.v1.frontend.LLBBridge/ReadFile"], ["x-long", "v".repeat(300)], ["x-text", "café ✓"]];
    const block = encodeHeaderBlock(headers);
    expect(block[0]).toBe(0x00);
    const d = new HpackDecoder();
    expect(d.decode(block)).toEqual(headers);
    expect(d.dynamicTable.entries).toEqual([]);
  });
});

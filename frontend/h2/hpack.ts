// HPACK header compression (RFC 7541). The encoder writes every field as a
// literal without indexing and without Huffman: always valid, and our request
// headers are a few short strings, so compressing them would save nothing that
// matters. The decoder is complete, because the server may use every part of
// the format (gRPC servers index and Huffman-encode their response headers).
import { ConnectionError, ErrorCode } from "./frames.js";
import { HUFFMAN_CODES, HUFFMAN_LENGTHS } from "./huffman-table.js";
import { STATIC_TABLE } from "./static-table.js";

export type HeaderList = Array<[string, string]>;

/** Every decoding failure is a connection error: the peer's table and ours may now differ. */
function fail(message: string): never {
  throw new ConnectionError(ErrorCode.COMPRESSION_ERROR, `HPACK: ${message}`);
}

// ---- Encoding ----------------------------------------------------------------

export function encodeHeaderBlock(headers: ReadonlyArray<readonly [string, string]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of headers) {
    parts.push(Buffer.from([0x00])); // literal without indexing, new name (section 6.2.2)
    parts.push(encodeString(name), encodeString(value));
  }
  return Buffer.concat(parts);
}

function encodeString(s: string): Buffer {
  const bytes = Buffer.from(s, "utf8");
  return Buffer.concat([encodeInteger(bytes.length, 7, 0x00), bytes]); // H bit 0: raw octets
}

/** An integer with an N-bit prefix (section 5.1); `high` holds the bits above the prefix. */
export function encodeInteger(value: number, prefixBits: number, high: number): Buffer {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Buffer.from([high | value]);
  const out = [high | max];
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return Buffer.from(out);
}

// ---- Decoding ----------------------------------------------------------------

/** Where decoding stands in a header block. */
interface Cursor {
  buf: Uint8Array;
  pos: number;
}

/**
 * Integers larger than this are never meaningful here (indexes, string lengths,
 * table sizes) and would lose precision as they grow: reject them.
 */
const MAX_INTEGER = 2 ** 32 - 1;

export function decodeInteger(c: Cursor, prefixBits: number): number {
  if (c.pos >= c.buf.length) fail("header block ends inside an integer");
  const max = (1 << prefixBits) - 1;
  let value = c.buf[c.pos++]! & max;
  if (value < max) return value;
  for (let scale = 1; ; scale *= 128) {
    if (c.pos >= c.buf.length) fail("header block ends inside an integer");
    const b = c.buf[c.pos++]!;
    value += (b & 0x7f) * scale;
    if (value > MAX_INTEGER) fail("integer too large");
    if ((b & 0x80) === 0) return value;
  }
}

/** A string literal's raw octets (section 5.2), Huffman-decoded when its H bit is set. */
function decodeStringBytes(c: Cursor): Buffer {
  if (c.pos >= c.buf.length) fail("header block ends before a string");
  const huffman = (c.buf[c.pos]! & 0x80) !== 0;
  const length = decodeInteger(c, 7);
  if (length > c.buf.length - c.pos) fail(`string of ${length} bytes runs past the end of the header block`);
  const raw = c.buf.subarray(c.pos, c.pos + length);
  c.pos += length;
  return huffman ? huffmanDecode(raw) : Buffer.from(raw);
}

/**
 * The Huffman code as a binary tree in a flat array: node n's children are at
 * 2n (bit 0) and 2n+1 (bit 1); a child value < 0 is the leaf of symbol -v-1,
 * 0 means "no node yet" (the root, node 0, is never anyone's child). The code
 * is complete (every bit path ends in a symbol), so decoding never meets a hole.
 */
const TREE = buildTree();

function buildTree(): Int32Array {
  const tree = new Int32Array(2 * 2 * HUFFMAN_CODES.length);
  let nodes = 1;
  HUFFMAN_CODES.forEach((code, symbol) => {
    const length = HUFFMAN_LENGTHS[symbol]!;
    let node = 0;
    for (let i = length - 1; i > 0; i--) {
      const slot = 2 * node + (Math.floor(code / 2 ** i) & 1);
      if (tree[slot] === 0) tree[slot] = nodes++;
      node = tree[slot]!;
    }
    tree[2 * node + (code & 1)] = -symbol - 1;
  });
  return tree;
}

const EOS = 256;

export function huffmanDecode(input: Uint8Array): Buffer {
  const out: number[] = [];
  let node = 0;
  let depth = 0; // bits read since the last symbol
  let allOnes = true; // whether those bits are all 1 (the only valid padding)
  for (const byte of input) {
    for (let bit = 7; bit >= 0; bit--) {
      const b = (byte >> bit) & 1;
      const next = TREE[2 * node + b]!;
      depth++;
      allOnes &&= b === 1;
      if (next >= 0) {
        node = next;
        continue;
      }
      const symbol = -next - 1;
      if (symbol === EOS) fail("Huffman-encoded string contains EOS");
      out.push(symbol);
      node = 0;
      depth = 0;
      allOnes = true;
    }
  }
  // Section 5.2: padding is the most significant bits of EOS (all ones), shorter than 8 bits.
  if (depth > 7) fail("Huffman padding longer than 7 bits");
  if (!allOnes) fail("Huffman padding is not all ones");
  return Buffer.from(out);
}

interface Entry {
  name: string;
  value: string;
  /** Octets of name and value plus 32 (section 4.1): what the table's size limit counts. */
  size: number;
}

/**
 * One decoder per connection: the dynamic table carries over from one header
 * block to the next, so every block the peer sends must be decoded, in order,
 * even for a stream nobody waits for any more.
 */
export class HpackDecoder {
  /** Newest first: dynamic index 62 is entries[0]. */
  private entries: Entry[] = [];
  private size = 0;
  private maxSize: number;

  /** `limit` is our SETTINGS_HEADER_TABLE_SIZE: the most the peer may set the table to. */
  constructor(private readonly limit = 4096) {
    this.maxSize = limit;
  }

  decode(block: Uint8Array): HeaderList {
    const c: Cursor = { buf: block, pos: 0 };
    const out: HeaderList = [];
    while (c.pos < block.length) {
      const b = block[c.pos]!;
      if (b & 0x80) out.push(this.field(decodeInteger(c, 7))); // indexed (6.1)
      else if (b & 0x40) out.push(this.literal(c, 6, true)); // with incremental indexing (6.2.1)
      else if (b & 0x20) {
        // Dynamic table size update (6.3): only at the start of a block (4.2).
        if (out.length > 0) fail("table size update after a header field");
        this.resize(decodeInteger(c, 5));
      } else out.push(this.literal(c, 4, false)); // without indexing (6.2.2) or never indexed (6.2.3)
    }
    return out;
  }

  private literal(c: Cursor, prefixBits: number, index: boolean): [string, string] {
    const nameIndex = decodeInteger(c, prefixBits);
    const nameBytes = nameIndex === 0 ? decodeStringBytes(c) : undefined;
    const name = nameBytes ? nameBytes.toString("latin1") : this.field(nameIndex)[0];
    const valueBytes = decodeStringBytes(c);
    // Values are octets; UTF-8 keeps the text of a server that sends it unencoded.
    const value = valueBytes.toString("utf8");
    if (index) this.add({ name, value, size: (nameBytes?.length ?? Buffer.byteLength(name, "latin1")) + valueBytes.length + 32 });
    return [name, value];
  }

  private field(index: number): [string, string] {
    if (index === 0) fail("index 0");
    const fixed = STATIC_TABLE[index];
    if (index < STATIC_TABLE.length && fixed) return [fixed[0], fixed[1]];
    const entry = this.entries[index - STATIC_TABLE.length];
    if (!entry) fail(`index ${index} is beyond the ${STATIC_TABLE.length - 1 + this.entries.length} table entries`);
    return [entry.name, entry.value];
  }

  private resize(maxSize: number): void {
    if (maxSize > this.limit) fail(`table size update to ${maxSize} exceeds the limit of ${this.limit}`);
    this.maxSize = maxSize;
    this.evict(0);
  }

  /** An entry larger than the whole table empties it and is not added (section 4.4). */
  private add(entry: Entry): void {
    this.evict(entry.size);
    if (entry.size <= this.maxSize) {
      this.entries.unshift(entry);
      this.size += entry.size;
    }
  }

  /** Drops the oldest entries until `room` more octets fit. */
  private evict(room: number): void {
    while (this.entries.length > 0 && this.size + room > this.maxSize) this.size -= this.entries.pop()!.size;
  }

  /** For tests: the dynamic table as [name, value] pairs, newest first, and its size. */
  get dynamicTable(): { entries: Array<[string, string]>; size: number } {
    return { entries: this.entries.map((e) => [e.name, e.value]), size: this.size };
  }
}

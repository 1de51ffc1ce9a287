// The server end of a gRPC connection, in memory: a Transport for our own
// client (Http2Session) whose peer answers each unary call with `serve`. Used
// while the image's start-up snapshot is built (warmup.ts): a whole build then
// runs through the client once, so its code is compiled into the snapshot
// instead of on every build. It writes what grpc-go writes (its response
// headers indexed and Huffman-coded, trailers, settings), so the client's
// decoding paths run too. Small exchanges only: it sends without watching the
// client's windows (16 MiB), and takes every request as one header block.
import { CLIENT_PREFACE, DEFAULT_MAX_FRAME_SIZE, Flag, FrameReader, FrameType, Setting, encodeFrame, frameContent, settingsPayload, type Frame } from "./h2/frames.js";
import { HpackDecoder, encodeInteger } from "./h2/hpack.js";
import { HUFFMAN_CODES, HUFFMAN_LENGTHS } from "./h2/huffman-table.js";
import { STATIC_TABLE } from "./h2/static-table.js";
import type { Transport } from "./h2/transport.js";
import { headerValue } from "./h2/session.js";
import { frameMessage } from "./grpc.js";

/** Answers one call: the request message (gRPC framing removed) in, the response message out. */
export type Serve = (path: string, message: Buffer) => Promise<Uint8Array>;

export function loopbackTransport(serve: Serve): Transport {
  let deliver: (bytes: Uint8Array) => void = () => {};
  let closed = false;
  const reader = new FrameReader(DEFAULT_MAX_FRAME_SIZE);
  const decoder = new HpackDecoder();
  const encoder = new IndexingEncoder();
  const requests = new Map<number, { path: string; chunks: Buffer[] }>();
  let preface = Buffer.alloc(0);

  // Delivered a turn later, in order: the client never sees its own write's answer re-entrantly.
  const send = (type: number, flags: number, streamId: number, payload?: Uint8Array) => {
    const bytes = encodeFrame(type, flags, streamId, payload);
    queueMicrotask(() => closed || deliver(bytes));
  };

  const answer = (id: number, path: string, body: Buffer) => {
    serve(path, body.subarray(5)).then(
      (message) => {
        send(FrameType.HEADERS, Flag.END_HEADERS, id, encoder.encode([[":status", "200"], ["content-type", "application/grpc"]]));
        const framed = frameMessage(message);
        for (let at = 0; at < framed.length; at += DEFAULT_MAX_FRAME_SIZE) send(FrameType.DATA, 0, id, framed.subarray(at, at + DEFAULT_MAX_FRAME_SIZE));
        send(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, id, encoder.encode([["grpc-status", "0"], ["grpc-message", ""]]));
      },
      (e: Error) => {
        // A trailers-only response, as grpc-go sends for a failed call.
        const status: Array<[string, string]> = [[":status", "200"], ["content-type", "application/grpc"], ["grpc-status", "2"], ["grpc-message", encodeURIComponent(e.message)]];
        send(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, id, encoder.encode(status));
      },
    );
  };

  const handle = (f: Frame) => {
    switch (f.type) {
      case FrameType.SETTINGS:
        if (!(f.flags & Flag.ACK)) send(FrameType.SETTINGS, Flag.ACK, 0);
        return;
      case FrameType.PING:
        if (!(f.flags & Flag.ACK)) send(FrameType.PING, Flag.ACK, 0, f.payload);
        return;
      case FrameType.HEADERS: {
        const path = headerValue(decoder.decode(frameContent(f)), ":path") ?? "";
        requests.set(f.streamId, { path, chunks: [] });
        if (f.flags & Flag.END_STREAM) end(f.streamId);
        return;
      }
      case FrameType.DATA: {
        requests.get(f.streamId)?.chunks.push(frameContent(f));
        if (f.flags & Flag.END_STREAM) end(f.streamId);
        return;
      }
      case FrameType.RST_STREAM:
        requests.delete(f.streamId);
        return;
      default:
        return; // WINDOW_UPDATE, GOAWAY: nothing to do for a peer that never waits
    }
  };

  const end = (id: number) => {
    const r = requests.get(id);
    requests.delete(id);
    if (r) answer(id, r.path, Buffer.concat(r.chunks));
  };

  return {
    write: (bytes) => {
      if (closed) return;
      let chunk = Buffer.from(bytes);
      if (preface.length < CLIENT_PREFACE.length) {
        const need = CLIENT_PREFACE.length - preface.length;
        preface = Buffer.concat([preface, chunk.subarray(0, need)]);
        chunk = chunk.subarray(need);
      }
      for (const f of reader.push(chunk)) handle(f);
    },
    onData: (cb) => {
      deliver = cb;
      // The server's SETTINGS open the connection, as grpc-go's do.
      send(FrameType.SETTINGS, 0, 0, settingsPayload([[Setting.MAX_FRAME_SIZE, DEFAULT_MAX_FRAME_SIZE]]));
    },
    onClose: () => {},
    demand: () => {},
    close: () => {
      closed = true;
    },
  };
}

/**
 * HPACK as grpc-go's server writes it: a field seen before is one index into
 * the tables, a new one a literal with incremental indexing, Huffman-coded.
 * Its table never fills (a few distinct fields), so it never evicts.
 */
export class IndexingEncoder {
  private readonly dynamic: string[] = []; // "name\0value", newest first

  encode(headers: ReadonlyArray<readonly [string, string]>): Buffer {
    const parts: Buffer[] = [];
    for (const [name, value] of headers) {
      const fixed = STATIC_TABLE.findIndex(([n, v], i) => i > 0 && n === name && v === value);
      const seen = this.dynamic.indexOf(`${name}\0${value}`);
      if (fixed > 0) parts.push(encodeInteger(fixed, 7, 0x80));
      else if (seen >= 0) parts.push(encodeInteger(STATIC_TABLE.length + seen, 7, 0x80));
      else {
        parts.push(Buffer.from([0x40]), huffmanString(name), huffmanString(value));
        this.dynamic.unshift(`${name}\0${value}`);
      }
    }
    return Buffer.concat(parts);
  }
}

/** A string literal, Huffman-coded (RFC 7541, section 5.2): the code's bits, padded with ones. */
function huffmanString(s: string): Buffer {
  const out: number[] = [];
  let bits = 0;
  let count = 0;
  for (const byte of Buffer.from(s, "latin1")) {
    const len = HUFFMAN_LENGTHS[byte]!;
    bits = bits * 2 ** len + HUFFMAN_CODES[byte]!;
    count += len;
    while (count >= 8) {
      count -= 8;
      out.push(Math.floor(bits / 2 ** count) & 0xff);
      bits %= 2 ** count;
    }
  }
  if (count > 0) out.push(((bits << (8 - count)) | ((1 << (8 - count)) - 1)) & 0xff);
  return Buffer.concat([encodeInteger(out.length, 7, 0x80), Buffer.from(out)]);
}

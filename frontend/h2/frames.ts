// HTTP/2 framing (RFC 9113, section 4): the 9-byte frame header, the payloads
// a client reads and writes, and a reader that cuts a byte stream into frames.
// Only what a cleartext gRPC client needs; everything else is the session's job.

export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

export const Flag = {
  END_STREAM: 0x1,
  ACK: 0x1, // SETTINGS and PING
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

export const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

/** Error codes (RFC 9113, section 7), by number: messages name them. */
export const ErrorCode = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
} as const;

const ERROR_NAMES = Object.fromEntries(Object.entries(ErrorCode).map(([k, v]) => [v, k]));

export function errorName(code: number): string {
  return ERROR_NAMES[code] ?? `error code 0x${code.toString(16)}`;
}

/** The smallest frame size every peer must accept, and the largest anyone may ask for. */
export const DEFAULT_MAX_FRAME_SIZE = 16_384;
export const MAX_ALLOWED_FRAME_SIZE = 16_777_215;
/** Flow-control windows are 31-bit (RFC 9113, section 6.9.1). */
export const MAX_WINDOW = 2 ** 31 - 1;
export const DEFAULT_WINDOW = 65_535;

export const CLIENT_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

export interface Frame {
  type: number;
  flags: number;
  streamId: number;
  payload: Buffer;
}

/**
 * A violation of the protocol by the peer: the connection cannot go on.
 * `code` is what our GOAWAY tells the peer.
 */
export class ConnectionError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function encodeFrame(type: number, flags: number, streamId: number, payload: Uint8Array = EMPTY): Buffer {
  const out = Buffer.allocUnsafe(9 + payload.length);
  out.writeUIntBE(payload.length, 0, 3);
  out[3] = type;
  out[4] = flags;
  out.writeUInt32BE(streamId & MAX_WINDOW, 5); // the reserved bit is always sent as 0
  out.set(payload, 9);
  return out;
}

const EMPTY = Buffer.alloc(0);

export function settingsPayload(settings: ReadonlyArray<readonly [number, number]>): Buffer {
  const out = Buffer.allocUnsafe(6 * settings.length);
  settings.forEach(([id, value], i) => {
    out.writeUInt16BE(id, 6 * i);
    out.writeUInt32BE(value, 6 * i + 2);
  });
  return out;
}

export function parseSettings(payload: Buffer): Array<[number, number]> {
  if (payload.length % 6 !== 0) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, `SETTINGS frame of ${payload.length} bytes (not a multiple of 6)`);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < payload.length; i += 6) out.push([payload.readUInt16BE(i), payload.readUInt32BE(i + 2)]);
  return out;
}

export function u32Payload(value: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(value);
  return out;
}

/** RST_STREAM's error code, and WINDOW_UPDATE's increment (31 bits, reserved bit ignored). */
export function readU32(frame: Frame, what: string): number {
  if (frame.payload.length !== 4) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, `${what} frame of ${frame.payload.length} bytes (expected 4)`);
  return frame.payload.readUInt32BE(0);
}

export function goawayPayload(lastStreamId: number, code: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeUInt32BE(lastStreamId & MAX_WINDOW, 0);
  out.writeUInt32BE(code, 4);
  return out;
}

export interface GoAway {
  lastStreamId: number;
  code: number;
  debug: string;
}

export function parseGoaway(payload: Buffer): GoAway {
  if (payload.length < 8) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, `GOAWAY frame of ${payload.length} bytes (at least 8 expected)`);
  return { lastStreamId: payload.readUInt32BE(0) & MAX_WINDOW, code: payload.readUInt32BE(4), debug: payload.subarray(8).toString("utf8") };
}

/**
 * The content of a DATA or HEADERS payload without its padding and, for
 * HEADERS, without the (deprecated, ignored) priority fields.
 */
export function frameContent(frame: Frame): Buffer {
  let p = frame.payload;
  let padding = 0;
  if (frame.flags & Flag.PADDED) {
    if (p.length < 1) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, "padded frame without a pad length");
    padding = p[0]!;
    p = p.subarray(1);
  }
  if (frame.type === FrameType.HEADERS && frame.flags & Flag.PRIORITY) {
    if (p.length < 5) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, "HEADERS frame too short for its priority fields");
    p = p.subarray(5);
  }
  if (padding > p.length) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, "padding longer than the frame's payload");
  return p.subarray(0, p.length - padding);
}

/**
 * Cuts a byte stream into frames. Bytes arrive in chunks of any size: a frame
 * may span many chunks (a 1 MiB DATA frame) and a chunk may hold many frames
 * (dozens of small responses), so chunks are only joined when a frame spans them.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** `maxFrameSize` is the SETTINGS_MAX_FRAME_SIZE we announced: a larger frame is an error. */
  constructor(private readonly maxFrameSize: number) {}

  push(chunk: Uint8Array): Frame[] {
    if (chunk.length === 0) return [];
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  private next(): Frame | undefined {
    if (this.buffered < 9) return undefined;
    const head = this.take(9, false);
    const length = head.readUIntBE(0, 3);
    if (length > this.maxFrameSize) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, `frame of ${length} bytes exceeds our maximum frame size of ${this.maxFrameSize}`);
    if (this.buffered < 9 + length) return undefined;
    const whole = this.take(9 + length, true);
    return { type: whole[3]!, flags: whole[4]!, streamId: whole.readUInt32BE(5) & MAX_WINDOW, payload: whole.subarray(9) };
  }

  /** The first `n` buffered bytes (n <= buffered), consumed or only looked at. */
  private take(n: number, consume: boolean): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    const first = this.chunks[0]!;
    const out = first.subarray(0, n);
    if (consume) {
      this.buffered -= n;
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    }
    return out;
  }
}

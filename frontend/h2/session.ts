// One HTTP/2 client connection (RFC 9113) over a Transport: cleartext with
// prior knowledge, client side only, as BuildKit's gateway expects on a
// frontend's stdio. Each request sends headers and a whole body and waits for
// the whole response, which is all unary gRPC needs. Lives in the V8 startup
// snapshot, unlike node:http2.
import {
  CLIENT_PREFACE,
  ConnectionError,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW,
  ErrorCode,
  Flag,
  FrameReader,
  FrameType,
  MAX_ALLOWED_FRAME_SIZE,
  MAX_WINDOW,
  Setting,
  encodeFrame,
  errorName,
  frameContent,
  goawayPayload,
  parseGoaway,
  parseSettings,
  readU32,
  settingsPayload,
  u32Payload,
  type Frame,
} from "./frames.js";
import { HpackDecoder, encodeHeaderBlock, type HeaderList } from "./hpack.js";
import type { Transport } from "./transport.js";

export interface Response {
  /** The response's HEADERS (informational 1xx ones skipped); for a trailers-only response, also its trailers. */
  headers: HeaderList;
  /** The trailing HEADERS, if any. */
  trailers?: HeaderList;
  body: Buffer;
}

/**
 * Receive windows, stream and connection. ReadFile answers reach 16 MiB and
 * BuildKit answers dozens of calls at once: a window this large never makes it
 * wait, and memory is only used by what we asked for.
 */
const RECEIVE_WINDOW = 16 * 1024 * 1024;
/** Credit is returned once this much was consumed: few WINDOW_UPDATEs, and the window never runs dry. */
const UPDATE_THRESHOLD = RECEIVE_WINDOW / 4;
/**
 * The largest frame we accept: the protocol's default, so we need not announce
 * it. grpc-go writes no larger frames anyway, and headers beyond it arrive in
 * CONTINUATION frames, which we handle.
 */
const OUR_MAX_FRAME_SIZE = DEFAULT_MAX_FRAME_SIZE;
/** A bound on one header block, against a peer that never ends one. */
const MAX_HEADER_BLOCK = 16 * 1024 * 1024;
const MAX_STREAM_ID = 2 ** 31 - 1;

interface Pending {
  headers: ReadonlyArray<readonly [string, string]>;
  body: Uint8Array;
  resolve: (r: Response) => void;
  reject: (e: Error) => void;
}

interface Stream extends Pending {
  id: number;
  /** Request bytes already sent, and what the peer lets us send now. */
  sent: number;
  sendWindow: number;
  /** Whether END_STREAM went out: then nothing more is sent. */
  localEnded: boolean;
  /** Receive window left, and bytes consumed since the last WINDOW_UPDATE. */
  recvWindow: number;
  consumed: number;
  response?: HeaderList;
  trailers?: HeaderList;
  chunks: Buffer[];
}

/** A header block being collected over HEADERS and CONTINUATION frames. */
interface PartialBlock {
  streamId: number;
  endStream: boolean;
  parts: Buffer[];
  size: number;
}

export class Http2Session {
  private readonly streams = new Map<number, Stream>();
  /** Requests over the peer's SETTINGS_MAX_CONCURRENT_STREAMS, in order. */
  private readonly queued: Pending[] = [];
  private nextStreamId = 1;
  private readonly reader = new FrameReader(OUR_MAX_FRAME_SIZE);
  private readonly decoder = new HpackDecoder();
  private block: PartialBlock | undefined;

  // The peer's settings (RFC 9113 defaults until its SETTINGS arrive).
  private peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  private peerInitialWindow = DEFAULT_WINDOW;
  private peerMaxStreams = Infinity;

  private sendWindow = DEFAULT_WINDOW;
  /** The connection's receive window, and bytes consumed since its last WINDOW_UPDATE. */
  private readonly received = { recvWindow: RECEIVE_WINDOW, consumed: 0 };

  private outbox: Buffer[] = [];
  private flushQueued = false;
  /** Set once no new request can succeed: why, for every later request. */
  private refusal: string | undefined;
  private closing = false;

  constructor(private readonly transport: Transport) {
    transport.onData((chunk) => this.receive(chunk));
    transport.onClose((err) => this.lost(err ? `the connection failed: ${err.message}` : "the server closed the connection"));
    this.send(CLIENT_PREFACE);
    const settings: Array<[number, number]> = [
      [Setting.ENABLE_PUSH, 0],
      [Setting.INITIAL_WINDOW_SIZE, RECEIVE_WINDOW],
    ];
    this.frame(FrameType.SETTINGS, 0, 0, settingsPayload(settings));
    // The connection's window starts at 64 KiB whatever the settings say: widen it now.
    this.frame(FrameType.WINDOW_UPDATE, 0, 0, u32Payload(RECEIVE_WINDOW - DEFAULT_WINDOW));
  }

  /** Sends one request with its whole body; resolves with the whole response. */
  request(headers: ReadonlyArray<readonly [string, string]>, body: Uint8Array): Promise<Response> {
    return new Promise((resolve, reject) => {
      if (this.refusal) return reject(new Error(this.refusal));
      this.queued.push({ headers, body, resolve, reject });
      this.openQueued();
      this.updateDemand();
    });
  }

  /** No new requests; the connection ends once those under way are answered. */
  close(): void {
    this.closing = true;
    this.refusal ??= "the connection was closed";
    this.endIfIdle();
  }

  // ---- Sending ----------------------------------------------------------------

  private openQueued(): void {
    while (this.queued.length > 0 && this.streams.size < this.peerMaxStreams) {
      const req = this.queued.shift()!;
      if (this.nextStreamId > MAX_STREAM_ID) {
        req.reject(new Error("the connection ran out of stream ids"));
        continue;
      }
      this.open(req);
    }
  }

  private open(req: Pending): void {
    const id = this.nextStreamId;
    this.nextStreamId += 2; // client streams are odd
    const s: Stream = { ...req, id, sent: 0, sendWindow: this.peerInitialWindow, localEnded: false, recvWindow: RECEIVE_WINDOW, consumed: 0, chunks: [] };
    this.streams.set(id, s);
    const endStream = req.body.length === 0;
    this.sendHeaders(id, encodeHeaderBlock(req.headers), endStream);
    s.localEnded = endStream;
    this.sendData();
  }

  /** A header block larger than the peer's frame size continues in CONTINUATION frames, back to back. */
  private sendHeaders(id: number, block: Buffer, endStream: boolean): void {
    const size = this.peerMaxFrameSize;
    for (let at = 0, first = true; first || at < block.length; at += size, first = false) {
      const last = at + size >= block.length;
      const flags = (last ? Flag.END_HEADERS : 0) | (first && endStream ? Flag.END_STREAM : 0);
      this.frame(first ? FrameType.HEADERS : FrameType.CONTINUATION, flags, id, block.subarray(at, at + size));
    }
  }

  /** Sends request bodies as far as the connection's and each stream's window allow. */
  private sendData(): void {
    for (const s of this.streams.values()) {
      while (!s.localEnded) {
        const left = s.body.length - s.sent;
        const n = Math.min(left, this.sendWindow, s.sendWindow, this.peerMaxFrameSize);
        if (n <= 0 && left > 0) break; // wait for WINDOW_UPDATE
        const end = n === left;
        this.frame(FrameType.DATA, end ? Flag.END_STREAM : 0, s.id, s.body.subarray(s.sent, s.sent + n));
        s.sent += n;
        s.sendWindow -= n;
        this.sendWindow -= n;
        s.localEnded = end;
      }
      if (this.sendWindow <= 0) return;
    }
  }

  private frame(type: number, flags: number, streamId: number, payload?: Uint8Array): void {
    this.send(encodeFrame(type, flags, streamId, payload));
  }

  /** Frames written in one turn of the event loop leave in one write. */
  private send(bytes: Buffer): void {
    this.outbox.push(bytes);
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.outbox.length === 0) return;
    const bytes = this.outbox.length === 1 ? this.outbox[0]! : Buffer.concat(this.outbox);
    this.outbox = [];
    this.transport.write(bytes);
  }

  // ---- Receiving --------------------------------------------------------------

  private receive(chunk: Uint8Array): void {
    if (this.refusal && this.streams.size === 0) return; // nothing is waiting for anything
    try {
      for (const frame of this.reader.push(chunk)) this.handle(frame);
    } catch (e) {
      const err = e instanceof ConnectionError ? e : new ConnectionError(ErrorCode.INTERNAL_ERROR, (e as Error).message);
      this.fail(err);
    }
    this.updateDemand();
  }

  private handle(f: Frame): void {
    if (this.block && (f.type !== FrameType.CONTINUATION || f.streamId !== this.block.streamId)) {
      throw protocolError(`a header block was interrupted by a ${frameName(f.type)} frame`);
    }
    switch (f.type) {
      case FrameType.DATA:
        return this.onData(f);
      case FrameType.HEADERS:
        return this.onHeaders(f);
      case FrameType.CONTINUATION:
        return this.onContinuation(f);
      case FrameType.RST_STREAM:
        return this.onReset(f);
      case FrameType.SETTINGS:
        return this.onSettings(f);
      case FrameType.PUSH_PROMISE:
        throw protocolError("PUSH_PROMISE received, but push was disabled");
      case FrameType.PING:
        return this.onPing(f);
      case FrameType.GOAWAY:
        return this.onGoaway(f);
      case FrameType.WINDOW_UPDATE:
        return this.onWindowUpdate(f);
      default:
        return; // PRIORITY and unknown types are ignored (RFC 9113, sections 4.1 and 5.3.2)
    }
  }

  private onData(f: Frame): void {
    requireStream(f);
    const size = f.payload.length; // padding counts against the windows too
    this.received.recvWindow -= size;
    if (this.received.recvWindow < 0) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "the server sent more data than the connection window allows");
    this.credit(this.received, 0, size);
    const s = this.streams.get(f.streamId);
    if (!s) return; // a stream we already finished or reset
    if (!s.response) return this.failStream(s, ErrorCode.PROTOCOL_ERROR, "the server sent data before response headers");
    s.recvWindow -= size;
    if (s.recvWindow < 0) return this.failStream(s, ErrorCode.FLOW_CONTROL_ERROR, "the server sent more data than the stream window allows");
    const content = frameContent(f);
    if (content.length > 0) s.chunks.push(content);
    if (f.flags & Flag.END_STREAM) return this.complete(s);
    this.credit(s, s.id, size);
  }

  /** Counts `size` consumed on a receive window (the connection's: stream 0) and returns the credit in batches. */
  private credit(w: { recvWindow: number; consumed: number }, streamId: number, size: number): void {
    w.consumed += size;
    if (w.consumed < UPDATE_THRESHOLD) return;
    this.frame(FrameType.WINDOW_UPDATE, 0, streamId, u32Payload(w.consumed));
    w.recvWindow += w.consumed;
    w.consumed = 0;
  }

  private onHeaders(f: Frame): void {
    requireStream(f);
    this.block = { streamId: f.streamId, endStream: (f.flags & Flag.END_STREAM) !== 0, parts: [], size: 0 };
    this.addToBlock(frameContent(f), f.flags);
  }

  private onContinuation(f: Frame): void {
    if (!this.block) throw protocolError("CONTINUATION frame without a header block to continue");
    this.addToBlock(f.payload, f.flags);
  }

  private addToBlock(fragment: Buffer, flags: number): void {
    const block = this.block!;
    block.parts.push(fragment);
    block.size += fragment.length;
    if (block.size > MAX_HEADER_BLOCK) throw protocolError(`header block larger than ${MAX_HEADER_BLOCK} bytes`);
    if (!(flags & Flag.END_HEADERS)) return;
    this.block = undefined;
    // Always decoded, even for a stream nobody waits for: the table must follow the peer's.
    const headers = this.decoder.decode(block.parts.length === 1 ? block.parts[0]! : Buffer.concat(block.parts));
    const s = this.streams.get(block.streamId);
    if (s) this.onHeaderBlock(s, headers, block.endStream);
  }

  private onHeaderBlock(s: Stream, headers: HeaderList, endStream: boolean): void {
    if (!s.response) {
      const status = headerValue(headers, ":status");
      if (status === undefined) return this.failStream(s, ErrorCode.PROTOCOL_ERROR, "response headers without :status");
      if (/^1\d\d$/.test(status) && !endStream) return; // informational: the real response follows
      s.response = headers;
    } else {
      if (!endStream) return this.failStream(s, ErrorCode.PROTOCOL_ERROR, "trailers without END_STREAM");
      s.trailers = headers;
    }
    if (endStream) this.complete(s);
  }

  private onReset(f: Frame): void {
    requireStream(f);
    const code = readU32(f, "RST_STREAM");
    const s = this.streams.get(f.streamId);
    if (s) this.failStream(s, undefined, `the server reset the stream (${errorName(code)})`);
  }

  private onSettings(f: Frame): void {
    if (f.streamId !== 0) throw protocolError("SETTINGS frame on a stream");
    if (f.flags & Flag.ACK) {
      if (f.payload.length !== 0) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS acknowledgement with a payload");
      return;
    }
    for (const [id, value] of parseSettings(f.payload)) this.applySetting(id, value);
    this.frame(FrameType.SETTINGS, Flag.ACK, 0);
    this.openQueued();
    this.sendData();
  }

  private applySetting(id: number, value: number): void {
    switch (id) {
      case Setting.ENABLE_PUSH:
        if (value > 1) throw protocolError(`SETTINGS_ENABLE_PUSH of ${value}`);
        return;
      case Setting.MAX_CONCURRENT_STREAMS:
        this.peerMaxStreams = value;
        return;
      case Setting.INITIAL_WINDOW_SIZE: {
        if (value > MAX_WINDOW) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, `SETTINGS_INITIAL_WINDOW_SIZE of ${value}`);
        // The change applies to every open stream's window, which may go negative (section 6.9.2).
        const delta = value - this.peerInitialWindow;
        this.peerInitialWindow = value;
        for (const s of this.streams.values()) {
          s.sendWindow += delta;
          if (s.sendWindow > MAX_WINDOW) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE overflows a stream's window");
        }
        return;
      }
      case Setting.MAX_FRAME_SIZE:
        if (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_ALLOWED_FRAME_SIZE) throw protocolError(`SETTINGS_MAX_FRAME_SIZE of ${value}`);
        this.peerMaxFrameSize = value;
        return;
      default:
        return; // HEADER_TABLE_SIZE: our encoder never indexes; others are advisory or unknown
    }
  }

  private onPing(f: Frame): void {
    if (f.streamId !== 0) throw protocolError("PING frame on a stream");
    if (f.payload.length !== 8) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, `PING frame of ${f.payload.length} bytes`);
    if (!(f.flags & Flag.ACK)) this.frame(FrameType.PING, Flag.ACK, 0, f.payload);
  }

  /** Streams above the last one the server will process fail now; the others may still finish. */
  private onGoaway(f: Frame): void {
    if (f.streamId !== 0) throw protocolError("GOAWAY frame on a stream");
    const g = parseGoaway(f.payload);
    const why = `the server closed the connection (GOAWAY ${errorName(g.code)}${g.debug ? `: ${g.debug}` : ""})`;
    this.refusal ??= why;
    for (const s of [...this.streams.values()]) if (s.id > g.lastStreamId) this.failStream(s, undefined, why);
    for (const req of this.queued.splice(0)) req.reject(new Error(why));
  }

  private onWindowUpdate(f: Frame): void {
    const increment = readU32(f, "WINDOW_UPDATE") & MAX_WINDOW;
    if (f.streamId === 0) {
      if (increment === 0) throw protocolError("WINDOW_UPDATE of 0 for the connection");
      this.sendWindow += increment;
      if (this.sendWindow > MAX_WINDOW) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "WINDOW_UPDATE overflows the connection window");
    } else {
      const s = this.streams.get(f.streamId);
      if (!s) return;
      if (increment === 0) return this.failStream(s, ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE of 0 for the stream");
      s.sendWindow += increment;
      if (s.sendWindow > MAX_WINDOW) return this.failStream(s, ErrorCode.FLOW_CONTROL_ERROR, "WINDOW_UPDATE overflows the stream window");
    }
    this.sendData();
  }

  // ---- Ending streams and the connection --------------------------------------

  private complete(s: Stream): void {
    this.streams.delete(s.id);
    // A server may answer before reading the whole request (section 8.1): stop sending it.
    if (!s.localEnded) this.frame(FrameType.RST_STREAM, 0, s.id, u32Payload(ErrorCode.NO_ERROR));
    s.resolve({ headers: s.response!, trailers: s.trailers, body: s.chunks.length === 1 ? s.chunks[0]! : Buffer.concat(s.chunks) });
    this.afterStreamEnd();
  }

  /** `rstCode`: the error we report to the peer, when it is ours to report. */
  private failStream(s: Stream, rstCode: number | undefined, why: string): void {
    this.streams.delete(s.id);
    if (rstCode !== undefined) this.frame(FrameType.RST_STREAM, 0, s.id, u32Payload(rstCode));
    s.reject(new Error(why));
    this.afterStreamEnd();
  }

  private afterStreamEnd(): void {
    this.openQueued();
    this.endIfIdle();
  }

  private endIfIdle(): void {
    if (!this.closing || this.streams.size > 0 || this.queued.length > 0) return;
    this.frame(FrameType.GOAWAY, 0, 0, goawayPayload(0, ErrorCode.NO_ERROR));
    this.flush();
    this.transport.close();
    this.updateDemand();
  }

  /** A protocol violation: tell the server, fail everything, drop the connection. */
  private fail(e: ConnectionError): void {
    this.frame(FrameType.GOAWAY, 0, 0, goawayPayload(0, e.code));
    this.flush();
    this.lost(`HTTP/2 protocol error (${errorName(e.code)}): ${e.message}`);
    this.transport.close();
  }

  /** The connection is gone: every request waiting, and every later one, fails with why. */
  private lost(why: string): void {
    this.refusal ??= why;
    const err = () => new Error(why);
    for (const s of this.streams.values()) s.reject(err());
    this.streams.clear();
    for (const req of this.queued.splice(0)) req.reject(err());
    this.updateDemand();
  }

  private updateDemand(): void {
    this.transport.demand(this.streams.size > 0 || this.queued.length > 0);
  }
}

function requireStream(f: Frame): void {
  if (f.streamId === 0) throw protocolError(`${frameName(f.type)} frame on stream 0`);
  if (f.streamId % 2 === 0) throw protocolError(`${frameName(f.type)} frame on stream ${f.streamId}, which only a server could open`);
}

function protocolError(message: string): ConnectionError {
  return new ConnectionError(ErrorCode.PROTOCOL_ERROR, message);
}

const FRAME_NAMES = Object.fromEntries(Object.entries(FrameType).map(([k, v]) => [v, k]));

function frameName(type: number): string {
  return FRAME_NAMES[type] ?? `type 0x${type.toString(16)}`;
}

/** The first value of a header (names are lower case on the wire). */
export function headerValue(headers: HeaderList, name: string): string | undefined {
  return headers.find(([n]) => n === name)?.[1];
}

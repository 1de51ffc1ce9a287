// The byte pipe an HTTP/2 session runs over. The session never needs to know
// whether it is a socket (tests) or the file descriptors BuildKit gives the
// frontend (fd-transport.ts).
import type { Duplex } from "node:stream";

export interface Transport {
  /** Sends bytes after everything written before, in order. */
  write(bytes: Uint8Array): void;
  /** Receives what the peer sends. Set once, before data can arrive. */
  onData(cb: (chunk: Uint8Array) => void): void;
  /** Called once when no more data will arrive: without an error when the peer ended cleanly. */
  onClose(cb: (err?: Error) => void): void;
  /**
   * Whether the session is waiting for anything. A transport may stop reading
   * while nobody waits (see fdTransport: a pending read would keep the process
   * from exiting); one that cannot stop may ignore this.
   */
  demand(waiting: boolean): void;
  /** Stops reading and writing; later writes are dropped. */
  close(): void;
}

/** A node stream (a socket in the tests) as a Transport; it always reads. */
export function duplexTransport(stream: Duplex): Transport {
  let closed = false;
  let closeCb: (err?: Error) => void = () => {};
  let failure: Error | undefined;
  const finish = (err?: Error) => {
    if (closed) return;
    closed = true;
    closeCb(err);
  };
  // A reset socket emits 'error' then 'close': report the error, once.
  stream.on("error", (e: Error) => {
    failure = e;
    finish(e);
  });
  stream.on("end", () => finish(failure));
  stream.on("close", () => finish(failure));
  return {
    write: (bytes) => {
      if (!closed && !stream.destroyed) stream.write(bytes);
    },
    onData: (cb) => {
      stream.on("data", (chunk: Buffer) => cb(chunk));
    },
    onClose: (cb) => {
      closeCb = cb;
    },
    demand: () => {},
    close: () => {
      closed = true;
      // Written bytes (our GOAWAY) go out first, then the stream is done.
      stream.end(() => stream.destroy());
    },
  };
}

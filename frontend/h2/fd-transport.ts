// A Transport over two file descriptors with plain fs.read/fs.write. BuildKit
// speaks to a frontend on its stdin and stdout (pipes). process.stdin and
// process.stdout on a pipe load node:net, which costs start-up time on every
// build and cannot live in the V8 startup snapshot; fs is already loaded.
//
// fs.read on a blocking pipe waits in a libuv worker thread, and Node joins
// those threads when it exits: a read still waiting then keeps the process
// alive for as long as the peer sends nothing. BuildKit keeps our stdin open
// until we have exited, so we only read while the session waits for
// something (`demand`): after the last answer (Return's) no read is pending.
import fs from "node:fs";
import type { Transport } from "./transport.js";

const READ_SIZE = 64 * 1024; // a Linux pipe's default capacity
/** Reads this small are copied out so the read buffer can be reused. */
const COPY_BELOW = 16 * 1024;
/** Non-blocking descriptors answer EAGAIN: poll again, backing off to this many ms. */
const MAX_RETRY_MS = 8;

interface FsError extends Error {
  code?: string;
}

/** EAGAIN (a non-blocking descriptor with nothing to give or no room) and EINTR just mean "again". */
function isRetryable(e: FsError): boolean {
  return e.code === "EAGAIN" || e.code === "EWOULDBLOCK" || e.code === "EINTR";
}

export function fdTransport(readFd = 0, writeFd = 1): Transport {
  let dataCb: (chunk: Uint8Array) => void = () => {};
  let closeCb: (err?: Error) => void = () => {};
  let closed = false;
  const finish = (err?: Error) => {
    if (closed) return;
    closed = true;
    closeCb(err);
  };
  const reader = startReader(readFd, (chunk) => dataCb(chunk), finish, () => closed);
  const writer = startWriter(writeFd, finish, () => closed);
  return {
    write: writer,
    onData: (cb) => (dataCb = cb),
    onClose: (cb) => (closeCb = cb),
    demand: reader,
    // The descriptors are the process's stdio: left open, only no longer used.
    close: () => {
      closed = true;
    },
  };
}

/** The read loop; returns the function that turns it on and off. */
function startReader(fd: number, deliver: (chunk: Uint8Array) => void, finish: (err?: Error) => void, isClosed: () => boolean): (on: boolean) => void {
  let wanted = false;
  let busy = false; // a read or a retry timer is pending
  let delay = 0;
  let buf = Buffer.allocUnsafe(READ_SIZE);

  const onRead = (err: FsError | null, n: number) => {
    busy = false;
    if (isClosed()) return;
    if (err && isRetryable(err)) return retry();
    if (err) return finish(new Error(`reading file descriptor ${fd}: ${err.code ?? err.message}`));
    if (n === 0) return finish(); // end of file: the peer closed its end
    delay = 0;
    deliver(takeChunk(n));
    pump();
  };
  const takeChunk = (n: number): Buffer => {
    if (n < COPY_BELOW) return Buffer.from(buf.subarray(0, n));
    const chunk = buf.subarray(0, n);
    buf = Buffer.allocUnsafe(READ_SIZE);
    return chunk;
  };
  const retry = () => {
    busy = true;
    delay = Math.min(MAX_RETRY_MS, delay + 1);
    setTimeout(() => {
      busy = false;
      pump();
    }, delay);
  };
  const pump = () => {
    if (busy || !wanted || isClosed()) return;
    busy = true;
    fs.read(fd, buf, 0, buf.length, null, onRead);
  };
  return (on) => {
    wanted = on;
    pump();
  };
}

/** Writes in order, one fs.write at a time, joining what queued up meanwhile; returns `write`. */
function startWriter(fd: number, finish: (err?: Error) => void, isClosed: () => boolean): (bytes: Uint8Array) => void {
  const queue: Uint8Array[] = [];
  let current: Buffer | undefined;
  let offset = 0;
  let delay = 0;

  // Once queued, bytes go out even after close(): the last GOAWAY is among them.
  const next = () => {
    if (!current || offset === current.length) {
      if (queue.length === 0) return void (current = undefined);
      current = Buffer.concat(queue.splice(0));
      offset = 0;
    }
    fs.write(fd, current, offset, current.length - offset, null, onWritten);
  };
  const onWritten = (err: FsError | null, written: number) => {
    if (err && isRetryable(err)) {
      delay = Math.min(MAX_RETRY_MS, delay + 1);
      return void setTimeout(next, delay);
    }
    if (err) return finish(new Error(`writing file descriptor ${fd}: ${err.code ?? err.message}`));
    delay = 0;
    offset += written; // a pipe may take only part of a large write
    next();
  };
  return (bytes) => {
    if (isClosed() || bytes.length === 0) return;
    queue.push(bytes);
    if (!current) next();
  };
}

// The frontend's log lines go to stderr, which BuildKit copies into the
// daemon's log. Written with fs.writeSync on fd 2, not through the console:
// process.stderr on a pipe loads node:net (and more) at its first use, which
// is not in the start-up snapshot and cost every build its summary line.
import fs from "node:fs";
import { format } from "node:util";

/** console.log's formatting; a line that cannot be written is dropped (logging never fails a build). */
export function logLine(...args: unknown[]): void {
  const bytes = Buffer.from(`${format(...args)}\n`);
  let offset = 0;
  try {
    while (offset < bytes.length) offset += fs.writeSync(2, bytes, offset);
  } catch {
    // stderr closed or not writable: nothing to report it to.
  }
}

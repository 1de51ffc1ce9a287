// fdTransport (frontend/h2/fd-transport.ts) the way BuildKit uses a frontend:
// a child node process runs GrpcClient over fdTransport(0, 1) and this process
// serves node:http2 on the child's stdin/stdout. Once through real pipes (a
// shell pipeline, as BuildKit gives os.Pipe()s) and once through the socket
// pair node's spawn makes. The child reports which built-in modules it loaded,
// and must exit at once after its last call although its stdin stays open.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import http2 from "node:http2";
import { spawn, type ChildProcess } from "node:child_process";
import { Duplex, Writable } from "node:stream";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const ROOT = resolve(__dirname, "../..");
let dir: string;
let script: string;

/** The child: calls echo with small and large requests, then reports and exits. */
const CHILD = `
import fs from "node:fs";
import { GrpcClient } from "./frontend/grpc.js";
import { fdTransport } from "./frontend/h2/fd-transport.js";

const BUILTINS = /^NativeModule (net|http2|tls|_tls_wrap|_http_client|http)$/;
async function run() {
  const c = await GrpcClient.connect(fdTransport(0, 1));
  const small = await Promise.all(Array.from({ length: 30 }, (_, i) => c.unary("/t/echo", Buffer.from("m" + i))));
  const big = Buffer.alloc(3 * 1024 * 1024, 7); // more than a pipe holds: partial writes
  const echoed = await c.unary("/t/echo", big);
  const download = await c.unary("/t/download", Buffer.from("x"));
  const report = {
    small: small.map(String),
    bigEchoed: echoed.equals(big),
    downloadBytes: download.length,
    pid: process.pid,
    stdin: fs.fstatSync(0).isFIFO() ? "fifo" : fs.fstatSync(0).isSocket() ? "socket" : "other",
    loaded: process.moduleLoadList.filter((m) => BUILTINS.test(m)),
  };
  await c.unary("/t/report", Buffer.from(JSON.stringify(report)));
  c.close();
  process.exit(0);
}
run().catch((e) => {
  fs.writeSync(2, "child failed: " + e.message + "\\n");
  process.exit(1);
});
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "h2-fd-"));
  script = join(dir, "child.cjs");
  await build({ stdin: { contents: CHILD, resolveDir: ROOT, loader: "ts", sourcefile: "child.ts" }, bundle: true, platform: "node", format: "cjs", outfile: script, logLevel: "error" });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const withLength = (msg: Buffer) => {
  const out = Buffer.alloc(5 + msg.length);
  out.writeUInt32BE(msg.length, 1);
  msg.copy(out, 5);
  return out;
};

interface Report {
  small: string[];
  bigEchoed: boolean;
  downloadBytes: number;
  pid: number;
  stdin: string;
  loaded: string[];
}

/** Whether a process is still there (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until the process is gone; the time it took, or Infinity after `limitMs`. */
async function exitTime(pid: number, limitMs: number): Promise<number> {
  const t0 = performance.now();
  while (alive(pid)) {
    if (performance.now() - t0 > limitMs) return Infinity;
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - t0;
}

/** Serves the child's stdio with node:http2; resolves with its report and how long it took to exit after it. */
function serveChild(child: ChildProcess): Promise<{ report: Report; endedAfterMs: number; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const server = http2.createServer({ maxSessionMemory: 64 });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => reject(new Error(`child did not report; stderr: ${stderr}`)), 15_000);
    const finish = async (report: Report) => {
      clearTimeout(timer);
      const endedAfterMs = await exitTime(report.pid, 2000);
      child.stdin!.end(); // now the rest of a shell pipeline can end too
      child.kill();
      server.close();
      resolvePromise({ report, endedAfterMs, stderr });
    };
    server.on("stream", (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const req = Buffer.concat(chunks).subarray(5);
        const path = headers[":path"];
        const body = path === "/t/download" ? Buffer.alloc(6 * 1024 * 1024, 1) : path === "/t/report" ? Buffer.alloc(0) : req;
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
        stream.end(withLength(body));
        if (path !== "/t/report") return;
        // Once the answer is out, send nothing more (node would answer the child's GOAWAY with
        // its own, which grpc-go does not): a read left pending in the child would wait forever.
        stream.on("close", () => (muted = true));
        void finish(JSON.parse(req.toString()));
      });
    });
    server.on("sessionError", () => {});
    // Like BuildKit, which closes a frontend's stdin only once it has exited (and ignores a
    // client's GOAWAY), the child's stdin is not ended here: the child must exit by itself.
    let muted = false;
    const keepOpen = new Writable({
      write: (chunk, _enc, done) => (muted ? done() : void child.stdin!.write(chunk, done)),
      final: (done) => done(),
    });
    server.emit("connection", Duplex.from({ readable: child.stdout!, writable: keepOpen }));
  });
}

function expectWorked(r: { report: Report; endedAfterMs: number; stderr: string }, stdin: string): void {
  expect(r.stderr).toBe("");
  expect(r.report.stdin).toBe(stdin);
  expect(r.report.small).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`));
  expect(r.report.bigEchoed).toBe(true);
  expect(r.report.downloadBytes).toBe(6 * 1024 * 1024);
  expect(r.report.loaded).toEqual([]); // no node:net, node:http2 or node:tls in the client
  expect(r.endedAfterMs).toBeLessThan(2000); // no fs.read left waiting in a worker thread at exit
}

describe("fdTransport", () => {
  it("carries gRPC over real pipes (a shell pipeline), loads no network module and exits at once", async () => {
    // cat relays between this process's socket pair and the pipes the shell gives node.
    const child = spawn("sh", ["-c", `cat | "${process.execPath}" "${script}" | cat`], { stdio: ["pipe", "pipe", "pipe"] });
    expectWorked(await serveChild(child), "fifo");
  });

  it("carries gRPC over the socket pair of node's spawn", async () => {
    const child = spawn(process.execPath, [script], { stdio: ["pipe", "pipe", "pipe"] });
    expectWorked(await serveChild(child), "socket");
  });
});

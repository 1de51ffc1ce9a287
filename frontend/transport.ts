// BuildKit serves gRPC (cleartext HTTP/2) on our stdin/stdout. grpc-js only
// dials sockets, so we listen on a private unix socket and splice its single
// connection onto stdio; grpc-js then dials `unix://<socket>`.
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export async function stdioBridgeTarget(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migetpacks-"));
  const sock = path.join(dir, "gw.sock");
  let used = false;
  const server = net.createServer((conn) => {
    // There is exactly one HTTP/2 stream pair; a second connection could never be served.
    if (used) {
      conn.destroy();
      return;
    }
    used = true;
    process.stdin.pipe(conn);
    conn.pipe(process.stdout);
    server.close();
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(sock, resolve));
  return "unix://" + sock;
}

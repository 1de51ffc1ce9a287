// Runs a frontend command (argv after `--`) against an emulated gateway that
// serves a fixture (test/helpers/gateway-server.ts), as BuildKit would run it:
// gRPC over the child's stdin/stdout. The benchmark runs the image's node
// under callgrind this way: the CPU one whole build costs, whatever the load.
// Bundled and run by scripts/bench.mjs; prints JSON { code, returned, stderr }.
import { spawn } from "node:child_process";
import { Duplex } from "node:stream";
import { FakeBridge, frontendEnv } from "../../test/helpers/fake-bridge.js";
import { serveGateway } from "../../test/helpers/gateway-server.js";
import { LocalContext } from "../../src/context/local-fs.js";

const [fixture, sep, ...argv] = process.argv.slice(2);
if (!fixture || sep !== "--" || !argv.length) throw new Error("usage: replay.cjs FIXTURE_DIR -- COMMAND...");
const bridge = new FakeBridge(new LocalContext(fixture));
const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...frontendEnv([]) }, stdio: ["pipe", "pipe", "pipe"] });
let stderr = "";
child.stderr.on("data", (c) => (stderr += c));
void serveGateway(Duplex.from({ readable: child.stdout, writable: child.stdin }), bridge);
child.on("exit", (code) => {
  const returned = bridge.calls.some((c) => c.name === "Return" && c.req.result);
  console.log(JSON.stringify({ code, returned, stderr }));
  process.exit(0);
});

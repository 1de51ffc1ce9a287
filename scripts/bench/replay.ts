// Runs a frontend command (argv after `--`) against an emulated gateway that
// serves a fixture (test/helpers/gateway-server.ts), as BuildKit would run it:
// gRPC over the child's stdin/stdout. The benchmark runs the image's node
// under callgrind this way: the CPU one whole build costs, whatever the load.
// Bundled and run by scripts/bench.mjs; prints JSON { code, returned, stderr }.
import { FakeBridge, frontendEnv } from "../../test/helpers/fake-bridge.js";
import { runFrontendProcess } from "../../test/helpers/gateway-server.js";
import { LocalContext } from "../../src/context/local-fs.js";

const [fixture, sep, ...argv] = process.argv.slice(2);
if (!fixture || sep !== "--" || !argv.length) throw new Error("usage: replay.cjs FIXTURE_DIR -- COMMAND...");
const bridge = new FakeBridge(new LocalContext(fixture));
void runFrontendProcess(argv, { ...process.env, ...frontendEnv([]) }, bridge).then(({ code, stderr }) => {
  const returned = bridge.calls.some((c) => c.name === "Return" && c.req.result);
  console.log(JSON.stringify({ code, returned, stderr }));
  process.exit(0);
});

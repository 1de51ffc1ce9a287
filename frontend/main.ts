// Gateway entry. BuildKit runs this as the image's entrypoint and speaks gRPC
// on stdin/stdout: nothing else may ever write to stdout.
//
// The image runs it from a V8 startup snapshot (see Dockerfile.frontend): when
// the snapshot is being built we only warm up and register `main`, so a build
// starts with every module already initialised.
import v8 from "node:v8";
import { msSinceStart } from "./clock.js";
import { fdTransport } from "./h2/fd-transport.js";
import { Bridge, setTrace } from "./bridge.js";
import { runFrontend } from "./build.js";
import { statusForReturn, toStatus } from "./errors.js";
import { warmUp } from "./warmup.js";
import { logLine } from "./log.js";

// Nothing may ever write to stdout (the gRPC stream), and the console's stderr would load node:net.
console.log = console.info = console.warn = console.error = console.debug = logLine;

/** Node's record of the built-in modules and bindings it has loaded (not in @types/node). */
const moduleLoadList = () => (process as unknown as { moduleLoadList: string[] }).moduleLoadList;

async function main(): Promise<void> {
  const booted = msSinceStart();
  const loadedBefore = moduleLoadList().length;
  const trace = process.env.MIGETPACKS_TRACE === "1";
  setTrace(trace);
  const bridge = await Bridge.connect(fdTransport(0, 1));
  try {
    await runFrontend(bridge, process.env, booted);
  } catch (e) {
    const status = toStatus(e);
    console.error(`migetpacks: ${status.message}`);
    await bridge.call("Return", { error: statusForReturn(status) }).catch((err) => console.error(`migetpacks: Return failed: ${err?.message}`));
  }
  bridge.close();
  // A built-in module loaded now, not in the snapshot, is loaded and initialised on every build: there should be none.
  if (trace) console.error(`migetpacks: trace loaded at run time: ${moduleLoadList().slice(loadedBefore).join(", ") || "nothing"}`);
  // BuildKit keeps stdin open until we exit, so Node would never exit by itself; exit 0 keeps
  // the returned result. No read of stdin is pending by now (fd-transport.ts), so exit is immediate.
  process.exit(0);
}

if (v8.startupSnapshot?.isBuildingSnapshot()) {
  // Top-level await is not available in a CommonJS bundle; the snapshot is
  // taken after the event loop drains, so the warm-up's promises complete.
  void warmUp();
  v8.startupSnapshot.setDeserializeMainFunction(() => void main());
} else {
  void main();
}

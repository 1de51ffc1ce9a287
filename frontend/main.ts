// Gateway entry. BuildKit runs this as the image's entrypoint and speaks gRPC
// on stdin/stdout: nothing else may ever write to stdout.
import { stdioBridgeTarget } from "./transport.js";
import { Bridge } from "./bridge.js";
import { runFrontend } from "./build.js";
import { toStatus } from "./errors.js";

console.log = console.error;
console.info = console.error;

async function main(): Promise<void> {
  const bridge = new Bridge(await stdioBridgeTarget());
  try {
    await runFrontend(bridge, process.env);
  } catch (e) {
    const status = toStatus(e);
    console.error(`migetpacks: ${status.message}`);
    await bridge.call("Return", { error: status }).catch((err) => console.error(`migetpacks: Return failed: ${err?.message}`));
  }
  bridge.close();
  // stdin stays open, so Node would never exit by itself; exit 0 keeps the returned result.
  process.exit(0);
}

void main();

// Runs once while the image's V8 startup snapshot is built: a whole build of
// each language's sample app through the frontend's own path (HTTP/2 client,
// gRPC, context reads, planner, LLB encoder) against an in-memory BuildKit,
// and every protobuf message type once, so their code is compiled and all
// module state is set up in the snapshot: a build starts with nothing left to compile.
import { MemoryContext } from "../src/context/memory-fs.js";
import { PROVIDERS } from "../src/detect/registry.js";
import protobuf from "protobufjs/light.js";
import { root } from "../src/llb/pb.js";
import { Bridge, serveCall } from "./bridge.js";
import { runFrontend } from "./build.js";
import { MemoryBridge } from "./memory-bridge.js";
import { loopbackTransport } from "./grpc-loopback.js";

// Each language's own sample app (Provider.sample): a new language warms itself.
const APPS = PROVIDERS.flatMap((p) => (p.sample ? [{ ...p.sample }] : []));

/** A project's own ignore file: its parser and matchers run on the builds of projects that have one. */
const IGNORE_FILE = { ".dockerignore": "# warm-up\n.git\n*.log\n!keep.log\n" };

export async function warmUp(): Promise<void> {
  for (const files of [...APPS, { ...APPS[0], ...IGNORE_FILE }]) {
    // Warming up only saves start-up time; a failure here must never break the image build.
    try {
      await buildThroughGateway(files);
    } catch (e) {
      console.error(`migetpacks: snapshot warm-up skipped an app: ${(e as Error).message}`);
    }
  }
  exerciseCodecs(root);
}

/** One build, as BuildKit would run it, of an app held in memory. */
async function buildThroughGateway(files: Record<string, string>): Promise<void> {
  const daemon = new MemoryBridge(new MemoryContext(files));
  const bridge = await Bridge.connect(loopbackTransport((path, message) => serveCall(daemon, path, message)));
  // The build's summary line is for the daemon's log, not the image build's.
  const log = console.error;
  console.error = () => {};
  try {
    await runFrontend(bridge, { BUILDKIT_SESSION_ID: "warm-up" });
  } finally {
    console.error = log;
    bridge.close();
  }
  if (!daemon.calls.some((c) => c.name === "Return")) throw new Error("the warm-up build returned nothing");
}

/**
 * Every message type's codecs, generated and run once. protobufjs generates a
 * type's encoder, decoder and converters (new Function) on its first use, and a
 * nested type's only when a message carries one: a Pong's worker records or a
 * ReadDir's entries were set up at run time, on every build (about 2 ms).
 */
function exerciseCodecs(ns: protobuf.NamespaceBase): void {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) nested.toObject(nested.decode(nested.encode(nested.fromObject({})).finish()), { defaults: true });
    if (nested instanceof protobuf.Namespace) exerciseCodecs(nested);
  }
}

// Runs once while the image's V8 startup snapshot is built: exercises the
// planner, the LLB encoder and every protobuf message type, so protobufjs's
// generated codecs and all module state are captured in the snapshot and a
// build starts with nothing left to compile.
import { MemoryContext } from "../src/context/memory-fs.js";
import { detectionView } from "../src/context/ignoring.js";
import { defaultExcludes } from "../src/context/dockerignore.js";
import { PROVIDERS } from "../src/detect/registry.js";
import { buildPlan } from "../src/pipeline/build-plan.js";
import { planToLlb } from "../src/emit/plan-to-llb.js";
import { imageConfig } from "../src/emit/image-config.js";
import { marshal } from "../src/llb/marshal.js";
import protobuf from "protobufjs/light.js";
import { Definition, root } from "../src/llb/pb.js";

// Each language's own sample app (Provider.sample): a new language warms itself.
const APPS = PROVIDERS.flatMap((p) => (p.sample ? [{ ...p.sample }] : []));

export async function warmUp(): Promise<void> {
  const platform = { os: "linux", architecture: "amd64" };
  for (const files of APPS) {
    // Warming up only saves start-up time; a failure here must never break the image build.
    try {
      // Through the view a build without a .dockerignore reads: its matchers are built here too.
      const { plan } = await buildPlan(detectionView(new MemoryContext(files), "", defaultExcludes("")), {});
      const m = marshal(planToLlb(plan, { platform, contextName: "context", sessionId: "s", excludePatterns: ["x"], resolveMode: "local", cacheNamespace: "w" }));
      Definition.toObject(Definition.decode(m.bytes));
      imageConfig(plan, platform, undefined, {});
    } catch (e) {
      console.error(`migetpacks: snapshot warm-up skipped an app: ${(e as Error).message}`);
    }
  }
  exerciseCodecs(root);
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

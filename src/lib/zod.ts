// The zod API migetpacks uses, re-exported by name. `import { z } from "zod"`
// is a namespace of all of zod, which the bundler cannot trim: the frontend's
// V8 start-up snapshot then held and deserialized all of it on every build
// (the bundle loses 90 KB; start-up 7 M instructions, callgrind).
// Import it as `import * as z from "…/lib/zod.js"`; add a name here when a schema needs it.
import { config } from "zod";

export { array, boolean, discriminatedUnion, enum, literal, looseObject, number, object, record, string, tuple, union, unknown } from "zod";
export type { infer, input, ZodObject } from "zod";

// zod compiles each object schema into a parser of its own (new Function) on its first
// parse. A build parses each schema once or twice: the generated source and code only
// grew the frontend's snapshot, and the generic path costs less overall (a whole build,
// callgrind: go-hello 237 → 234 M instructions, node-npm-deps 253 → 246 M).
config({ jitless: true });

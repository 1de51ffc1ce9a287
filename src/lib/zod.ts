// The zod API migetpacks uses, re-exported by name. `import { z } from "zod"`
// is a namespace of all of zod, which the bundler cannot trim: the frontend's
// V8 start-up snapshot then held and deserialized all of it on every build
// (the bundle loses 90 KB; start-up 7 M instructions, callgrind).
// Import it as `import * as z from "…/lib/zod.js"`; add a name here when a schema needs it.
export { array, boolean, discriminatedUnion, enum, literal, looseObject, number, object, record, string, tuple, union, unknown } from "zod";
export type { infer, input, ZodObject } from "zod";

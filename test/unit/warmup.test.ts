// The snapshot warm-up (frontend/warmup.ts) must leave nothing to generate at
// run time: protobufjs builds each type's codecs on first use, which a build
// would otherwise pay for on every run.
import { it, expect } from "vitest";
import protobuf from "protobufjs/light.js";
import { warmUp } from "../../frontend/warmup.js";
import { root } from "../../src/llb/pb.js";

function types(ns: protobuf.NamespaceBase): protobuf.Type[] {
  return ns.nestedArray.flatMap((n) => [...(n instanceof protobuf.Type ? [n] : []), ...(n instanceof protobuf.Namespace ? types(n) : [])]);
}

it("generates every message type's encoder, decoder and converters", async () => {
  await warmUp();
  const all = types(root);
  expect(all.length).toBeGreaterThan(60);
  const missing = all.filter((t) => !["encode", "decode", "fromObject", "toObject"].every((k) => Object.hasOwn(t, k))).map((t) => t.fullName);
  expect(missing).toEqual([]);
}, 60_000);

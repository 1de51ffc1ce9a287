// The snapshot warm-up (frontend/warmup.ts) must leave nothing to generate or
// compile at run time: protobufjs builds each type's codecs on first use, and
// V8 compiles a function on its first call, both of which a build would
// otherwise pay for on every run. (test/e2e/frontend-image.test.ts counts what
// the image's own process still compiles.)
import { it, expect, vi } from "vitest";
import protobuf from "protobufjs/light.js";
import { warmUp } from "../../frontend/warmup.js";
import { root } from "../../src/llb/pb.js";

function types(ns: protobuf.NamespaceBase): protobuf.Type[] {
  return ns.nestedArray.flatMap((n) => [...(n instanceof protobuf.Type ? [n] : []), ...(n instanceof protobuf.Namespace ? types(n) : [])]);
}

it("builds every sample app through the gateway path and generates every message type's codecs", async () => {
  const logged: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
  try {
    await warmUp();
  } finally {
    spy.mockRestore();
  }
  // A failed sample build is only logged (it must never break the image build): here it fails the test.
  expect(logged).toEqual([]);
  const all = types(root);
  expect(all.length).toBeGreaterThan(60);
  const missing = all.filter((t) => !["encode", "decode", "fromObject", "toObject"].every((k) => Object.hasOwn(t, k))).map((t) => t.fullName);
  expect(missing).toEqual([]);
}, 60_000);

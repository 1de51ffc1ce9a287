// Type-level proof that LLB messages are checked by tsc (`npm run typecheck`
// compiles this file): each @ts-expect-error below must stay an error, or tsc
// fails with "Unused '@ts-expect-error' directive". The runtime part only
// shows why it matters: protobufjs drops an unknown field without a word.
import { describe, it, expect } from "vitest";
import { omitZero } from "../../src/llb/encode.js";
import { encodeOp } from "../../src/llb/encode.js";
import { Op, type pb } from "../../src/llb/pb.js";

describe("generated LLB message types", () => {
  it("reject misspelled fields at compile time", () => {
    // @ts-expect-error proxyEnv is not a field of pb.Meta (it is proxy_env)
    const meta = omitZero<pb.Meta>({ args: ["true"], proxyEnv: { http_proxy: "x" } });
    // @ts-expect-error cacheOpt.id is spelled ID in BuildKit's proto
    const mount: pb.Mount = { dest: "/c", mountType: 3, cacheOpt: { id: "x" } };
    // @ts-expect-error a bare omitZero without a message type does not compile
    const untyped = omitZero({ args: ["true"] });
    // @ts-expect-error wrong value type: mode is a number
    const sec: pb.SecretOpt = { ID: "tok", mode: "0400" };
    // @ts-expect-error an enum takes only its values (MountType is 0..4)
    const badEnum: pb.Mount = { dest: "/x", mountType: 7 };
    const op: pb.Op = {
      // @ts-expect-error Op has no field "exe"
      exe: { meta },
    };
    expect([meta, mount, untyped, sec, badEnum, op]).toHaveLength(6);
  });

  it("accept correctly spelled messages", () => {
    const meta = omitZero<pb.Meta>({ args: ["true"], proxy_env: { http_proxy: "x" } });
    const bytes = encodeOp({ constraints: {}, exec: { meta } });
    const back = Op.toObject(Op.decode(bytes)) as pb.Op;
    expect(back.exec?.meta?.proxy_env?.http_proxy).toBe("x");
  });

  it("(why) protobufjs silently drops an unknown field", () => {
    const loose = { constraints: {}, exec: { meta: { args: ["true"], proxyEnv: { http_proxy: "x" } } } };
    const back = Op.toObject(Op.decode(encodeOp(loose as pb.Op))) as pb.Op;
    expect(back.exec?.meta?.proxy_env).toBeUndefined();
  });
});

describe("generated files", () => {
  it("src/generated (descriptor and types) match proto/*.proto", async () => {
    const { execFileSync } = await import("node:child_process");
    const root = new URL("../..", import.meta.url);
    // Exits non-zero, naming the stale file, when `npm run gen:proto` was not run after a .proto edit.
    expect(() => execFileSync(process.execPath, ["scripts/gen-proto.mjs", "--check"], { cwd: root, stdio: "pipe" })).not.toThrow();
  });
});

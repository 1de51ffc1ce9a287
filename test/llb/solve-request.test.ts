// The SolveRequest carries marshal()'s Definition object: it must encode to
// exactly the marshalled bytes (it used to be decoded back from them).
import { describe, it, expect } from "vitest";
import { State, FileAction } from "../../src/llb/state.js";
import { marshal } from "../../src/llb/marshal.js";
import { Definition, type } from "../../src/llb/pb.js";
import { hex } from "../helpers/llb.js";

describe("marshal().definition", () => {
  it("encodes to the same bytes, alone and inside a SolveRequest", () => {
    const amd64 = { os: "linux", architecture: "amd64" };
    const base = State.image("alpine:3", { platform: amd64 });
    const m = marshal(base.file([FileAction.mkdir("/x", 0o755)], { name: "mkdir" }).run({ args: ["true"], ignoreCache: true }));
    expect(hex(Definition.encode(Definition.fromObject(m.definition)).finish())).toBe(hex(m.bytes));
    const Req = type("moby.buildkit.v1.frontend.SolveRequest");
    const viaObject = Req.encode(Req.fromObject({ Definition: m.definition, allowResultReturn: true })).finish();
    const viaDecode = Req.encode(Req.fromObject({ Definition: Definition.decode(m.bytes), allowResultReturn: true })).finish();
    expect(hex(viaObject)).toBe(hex(viaDecode));
  });
});

// MergeOp, DiffOp and ssh mounts: decode the marshalled Definition and check
// the ops BuildKit will see (fields, input indexes, caps, determinism).
import { describe, it, expect } from "vitest";
import { State, FileAction } from "../../src/llb/state.js";
import { marshal } from "../../src/llb/marshal.js";
import { decodeDefinition, headOp, hex } from "../helpers/llb.js";

const amd64 = { os: "linux", architecture: "amd64" };
const base = State.image("debian:bookworm-slim", { platform: amd64 });
const app = State.scratch(amd64).file([FileAction.mkfile("/app/a.txt", 0o644, "a")]);
const tools = State.scratch(amd64).file([FileAction.mkfile("/opt/t", 0o755, "t")]);

describe("State.merge", () => {
  it("writes a MergeOp over every input, in order, without platform", () => {
    const d = decodeDefinition(marshal(State.merge([base, app, tools], { name: "merge" })).bytes);
    const head = headOp(d);
    expect(head.op.platform).toBeUndefined();
    expect(head.op.constraints).toEqual({});
    expect(head.op.merge.inputs).toEqual([{}, { input: 1 }, { input: 2 }]);
    const inputDigests = head.op.inputs.map((i: { digest: string }) => i.digest);
    expect(inputDigests).toEqual([base, app, tools].map((s) => s.output!.vertex.encode().digest));
    expect(head.metadata.caps).toEqual({ mergeop: true });
    expect(head.metadata.description).toEqual({ "llb.customname": "merge" });
    // The oneof goes last (Go's order): constraints (0x5a 0x00), then merge (field 6 → 0x32).
    expect(hex(head.bytes)).toContain("5a0032");
  });

  it("drops scratch inputs; one remaining input is returned as is", () => {
    const scratch = State.scratch(amd64);
    expect(State.merge([scratch, app, scratch])).toBe(app);
    expect(State.merge([scratch, scratch]).output).toBeNull();
    const d = decodeDefinition(marshal(State.merge([scratch, base, scratch, app])).bytes);
    expect(headOp(d).op.merge.inputs).toHaveLength(2);
  });

  it("lists a repeated input once per position, as Go's client does", () => {
    const head = headOp(decodeDefinition(marshal(State.merge([base, app, base])).bytes));
    expect(head.op.inputs).toHaveLength(3);
    expect(head.op.inputs[0]).toEqual(head.op.inputs[2]);
  });

  it("is deterministic and keeps the first layer's env and platform", () => {
    const a = marshal(State.merge([base.withEnv("A", "1"), app])).bytes;
    const b = marshal(State.merge([base.withEnv("A", "1"), app])).bytes;
    expect(hex(a)).toBe(hex(b));
    expect(State.merge([base.withEnv("A", "1"), app]).getEnv("A")).toBe("1");
  });
});

describe("State.diff", () => {
  const upper = base.run({ args: ["/bin/sh", "-c", "touch /x"] });

  it("writes a DiffOp with lower = input 0 and upper = input 1", () => {
    const head = headOp(decodeDefinition(marshal(State.diff(base, upper)).bytes));
    expect(head.op.platform).toBeUndefined();
    expect(head.op.diff).toEqual({ lower: {}, upper: { input: 1 } });
    expect(head.op.inputs.map((i: { digest: string }) => i.digest)).toEqual([
      base.output!.vertex.encode().digest,
      upper.output!.vertex.encode().digest,
    ]);
    expect(head.metadata.caps).toEqual({ diffop: true });
  });

  it("marks a scratch upper as -1 and returns upper for a scratch lower", () => {
    const head = headOp(decodeDefinition(marshal(State.diff(base, State.scratch(amd64))).bytes));
    expect(head.op.diff).toEqual({ lower: {}, upper: { input: -1 } });
    expect(head.op.inputs).toHaveLength(1);
    expect(State.diff(State.scratch(amd64), upper)).toBe(upper);
  });

  it("composes with merge (diff layer over another base)", () => {
    const layer = State.diff(base, upper);
    const d = decodeDefinition(marshal(State.merge([State.image("alpine:3", { platform: amd64 }), layer])).bytes);
    expect(headOp(d).op.merge.inputs).toHaveLength(2);
    expect(d.ops.some((o) => o.op.diff)).toBe(true);
  });
});

describe("ssh mounts", () => {
  it("adds SSH mounts after secrets, with SSH_AUTH_SOCK and the exec.mount.ssh cap", () => {
    const s = base.run({
      args: ["git", "clone", "git@example:x"],
      mounts: [
        { kind: "ssh", id: "default" },
        { kind: "secret", dest: "/run/secrets/t", id: "t" },
        { kind: "ssh", id: "deploy", dest: "/tmp/agent.sock", uid: 1000, gid: 1000, mode: 0o400, optional: true },
        { kind: "cache", dest: "/root/.cache", id: "c", sharing: "locked" },
      ],
    });
    const head = headOp(decodeDefinition(marshal(s).bytes));
    const mounts = head.op.exec.mounts;
    expect(mounts.map((m: { dest: string }) => m.dest)).toEqual(["/", "/root/.cache", "/run/secrets/t", "/run/buildkit/ssh_agent.0", "/tmp/agent.sock"]);
    expect(mounts[3]).toEqual({ input: -1, dest: "/run/buildkit/ssh_agent.0", mountType: 2, SSHOpt: { ID: "default", mode: 0o600 } });
    expect(mounts[4].SSHOpt).toEqual({ ID: "deploy", uid: 1000, gid: 1000, mode: 0o400, optional: true });
    expect(head.op.exec.meta.env).toContain("SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0");
    expect(head.metadata.caps["exec.mount.ssh"]).toBe(true);
  });

  it("keeps an SSH_AUTH_SOCK the step already sets", () => {
    const s = base.run({ args: ["true"], env: { SSH_AUTH_SOCK: "/mine" }, mounts: [{ kind: "ssh", id: "default" }] });
    const env: string[] = headOp(decodeDefinition(marshal(s).bytes)).op.exec.meta.env;
    expect(env.filter((e) => e.startsWith("SSH_AUTH_SOCK="))).toEqual(["SSH_AUTH_SOCK=/mine"]);
  });
});

import { describe, it, expect } from "vitest";
import { State, FileAction } from "../../src/llb/state.js";
import { marshal } from "../../src/llb/marshal.js";
import { encodeOp } from "../../src/llb/encode.js";
import { Op } from "../../src/llb/pb.js";
import { digestOf } from "../../src/llb/digest.js";
import { normalizeImageRef } from "../../src/llb/image-ref.js";
import { parsePlatform } from "../../src/llb/platform.js";
import { decodeDefinition, headOp, hex } from "../helpers/llb.js";

const amd64 = { os: "linux", architecture: "amd64" };

describe("op encoding (Go-canonical)", () => {
  it("writes an image source as platform, constraints, then the source oneof", () => {
    const d = decodeDefinition(marshal(State.image("node:22-slim", { platform: amd64 })).bytes);
    const src = d.ops[0]!;
    // 0x52 = field 10 (platform), 0x5a 0x00 = empty constraints (11), 0x1a = source (3).
    expect(hex(src.bytes).startsWith("52")).toBe(true);
    expect(hex(src.bytes)).toContain("5a001a");
    expect(src.op.source.identifier).toBe("docker-image://docker.io/library/node:22-slim");
  });

  it("re-encodes a decoded op to the same bytes (no field order drift)", () => {
    const s = State.image("golang:1.22", { platform: amd64 })
      .run({ args: ["go", "build"], mounts: [{ kind: "cache", dest: "/go/pkg/mod", id: "x-go", sharing: "locked" }] });
    for (const op of decodeDefinition(marshal(s).bytes).ops) {
      const obj = Op.toObject(Op.decode(op.bytes), { longs: Number, defaults: false });
      expect(hex(encodeOp(obj))).toBe(hex(op.bytes));
    }
  });

  it("omits proto3 zero values but keeps -1 sentinels", () => {
    const base = State.image("debian:bookworm-slim", { platform: amd64 });
    const s = base.file([FileAction.copy(base, "/etc/hosts", "/x", { owner: { uid: 0, gid: 0 } })]);
    const file = headOp(decodeDefinition(marshal(s).bytes)).op.file;
    const copy = file.actions[0].copy;
    expect(file.actions[0].input).toBeUndefined(); // 0 → omitted
    expect(file.actions[0].secondaryInput).toBeUndefined(); // same input (0) for both
    expect(copy.mode).toBe(-1);
    expect(copy.timestamp).toBe(-1);
    // A oneof scalar is written even when zero: root ownership must survive.
    expect(copy.owner.user).toEqual({ byID: 0 });
  });
});

describe("definition", () => {
  const ctx = State.local("context", { platform: amd64, sessionId: "s1", sharedKeyHint: "context", excludePatterns: ["node_modules"] });
  const build = State.image("golang:1.22", { platform: amd64 })
    .withEnv("CGO_ENABLED", "0")
    .dir("/build")
    .file([FileAction.copy(ctx, "/go.mod", "/build/", { createDestPath: true })], { name: "copy go.mod" })
    .run({
      args: ["/bin/sh", "-c", "go mod download"],
      mounts: [
        { kind: "cache", dest: "/root/.cache/go-build", id: "ns-go-build", sharing: "shared" },
        { kind: "cache", dest: "/go/pkg/mod", id: "ns-go-mod", sharing: "locked" },
        { kind: "secret", dest: "/run/secrets/tok", id: "tok", optional: true },
      ],
      name: "download",
    });
  const runtime = State.image("debian:bookworm-slim", { platform: amd64 }).file([
    FileAction.mkdir("/app", 0o755, { makeParents: true, owner: { uid: 1000, gid: 1000 } }),
    FileAction.copy(build, "/build", "/app/", { owner: { uid: 1000, gid: 1000 }, excludePatterns: ["**/*.go"] }),
    FileAction.mkfile("/app/VERSION", 0o644, "1\n"),
  ]);
  const m = marshal(runtime);
  const d = decodeDefinition(m.bytes);

  it("digests are sha256 of the exact op bytes and every input resolves", () => {
    for (const op of d.ops) {
      expect(op.digest).toBe(digestOf(op.bytes));
      for (const i of op.op.inputs ?? []) expect(d.byDigest.has(i.digest)).toBe(true);
    }
  });

  it("lists inputs before the ops that use them, each op once, terminal op last", () => {
    const pos = new Map(d.ops.map((o, i) => [o.digest, i]));
    d.ops.forEach((o, i) => (o.op.inputs ?? []).forEach((inp: any) => expect(pos.get(inp.digest)!).toBeLessThan(i)));
    expect(new Set(d.ops.map((o) => o.digest)).size).toBe(d.ops.length);
    const terminal = d.ops.at(-1)!;
    expect(Object.keys(terminal.op)).toEqual(["inputs"]);
    // Go's client puts the caps of metadata features (named steps here) on the terminal op.
    expect(terminal.metadata.caps).toEqual({ constraints: true, platform: true, "meta.description": true });
  });

  it("sorts fs mounts by dest after /, secrets last; cache mounts carry id and sharing", () => {
    const exec = d.ops.find((o) => o.op.exec)!.op.exec;
    expect(exec.mounts.map((x: any) => x.dest)).toEqual(["/", "/go/pkg/mod", "/root/.cache/go-build", "/run/secrets/tok"]);
    const [, mod, gobuild, secret] = exec.mounts;
    expect(mod).toMatchObject({ input: -1, output: -1, mountType: 3, cacheOpt: { ID: "ns-go-mod", sharing: 2 } });
    expect(gobuild.cacheOpt).toEqual({ ID: "ns-go-build" }); // SHARED = 0 is omitted
    expect(secret).toMatchObject({ input: -1, mountType: 1, secretOpt: { ID: "tok", mode: 0o400, optional: true } });
    expect(exec.meta).toMatchObject({ args: ["/bin/sh", "-c", "go mod download"], cwd: "/build", removeMountStubsRecursive: true });
    expect(exec.meta.env).toContain("CGO_ENABLED=0");
  });

  it("numbers file actions like BuildKit: base, secondary inputs, then previous results", () => {
    const file = headOp(d).op.file;
    const [mkdir, copy, mkfile] = file.actions;
    expect(mkdir).toMatchObject({ secondaryInput: -1, output: -1 });
    expect(mkdir.input).toBeUndefined(); // input 0 = runtime base image
    expect(copy).toMatchObject({ input: 2, secondaryInput: 1, output: -1 });
    expect(mkfile).toMatchObject({ input: 3, secondaryInput: -1 });
    expect(mkfile.output).toBeUndefined(); // 0: the op's only output
    expect(copy.copy).toMatchObject({ src: "/build", dest: "/app/", owner: { user: { byID: 1000 }, group: { byID: 1000 } }, exclude_patterns: ["**/*.go"] });
  });

  it("records caps and step names in metadata, never in digests", () => {
    expect(m.caps).toEqual(expect.arrayContaining(["exec.mount.cache", "exec.mount.cache.sharing", "exec.mount.secret", "file.copy.includeexcludepatterns", "source.local.sessionid"]));
    const exec = d.ops.find((o) => o.op.exec)!;
    expect(exec.metadata.description).toEqual({ "llb.customname": "download" });
    const renamed = marshal(State.image("golang:1.22", { platform: amd64, name: "other" }));
    const plain = marshal(State.image("golang:1.22", { platform: amd64 }));
    expect(hex(renamed.ops[0]!)).toBe(hex(plain.ops[0]!));
  });

  it("local sources have no platform and list their attrs sorted", () => {
    const local = d.ops.find((o) => o.op.source?.identifier === "local://context")!;
    expect(local.op.platform).toBeUndefined();
    expect(Object.keys(local.op.source.attrs)).toEqual(["local.excludepatterns", "local.session", "local.sharedkeyhint"]);
  });

  it("is deterministic: 100 marshals, identical bytes", () => {
    const first = hex(m.bytes);
    for (let i = 0; i < 100; i++) expect(hex(marshal(runtime).bytes)).toBe(first);
  });

  it("no-cache marks exec and file ops, not sources", () => {
    const nc = decodeDefinition(marshal(runtime, { ignoreCache: true }).bytes);
    for (const o of nc.ops.slice(0, -1)) expect(Boolean(o.metadata.ignore_cache)).toBe(!o.op.source);
  });
});

describe("helpers", () => {
  it.each([
    ["node:22", "docker.io/library/node:22"],
    ["node", "docker.io/library/node:latest"],
    ["oven/bun:1", "docker.io/oven/bun:1"],
    ["dhi.io/golang:1.25", "dhi.io/golang:1.25"],
    ["localhost:5000/fe", "localhost:5000/fe:latest"],
    ["node@sha256:abc", "docker.io/library/node@sha256:abc"],
  ])("normalizes %s", (ref, want) => expect(normalizeImageRef(ref)).toBe(want));

  it.each([
    ["linux/amd64", { os: "linux", architecture: "amd64" }],
    ["linux/x86_64", { os: "linux", architecture: "amd64" }],
    ["linux/aarch64", { os: "linux", architecture: "arm64" }],
    ["linux/arm64/v8", { os: "linux", architecture: "arm64" }],
    ["linux/arm", { os: "linux", architecture: "arm", variant: "v7" }],
  ])("parses platform %s", (text, want) => expect(parsePlatform(text)).toEqual(want));

  it("rejects a malformed platform with a clear message", () => {
    expect(() => parsePlatform("amd64")).toThrow(/expected os\/arch/);
  });
});

// readHead: the first bytes of a file, from every BuildContext. The gateway
// asks BuildKit for a byte range instead of the whole file.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readHead, readHeadText, type BuildContext } from "../../src/context/fs.js";
import { LocalContext } from "../../src/context/local-fs.js";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { RecordingContext } from "../../src/context/recording.js";
import { SubdirContext } from "../../src/context/subdir.js";
import { GatewayContext } from "../../frontend/gateway-fs.js";
import type { Bridge } from "../../frontend/bridge.js";

const BIG = "# yarn lockfile v1\n" + "x".repeat(100_000) + "\n";
const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString() : undefined);

/** Serves ReadDir/ReadFile from a MemoryContext and logs every request, like BuildKit would. */
class FakeBridge {
  requests: { name: string; req: any }[] = [];
  constructor(private readonly ctx: MemoryContext) {}
  async call(name: string, req: any): Promise<any> {
    this.requests.push({ name, req });
    if (name === "ReadDir") {
      const entries = (await this.ctx.readDir(req.DirPath)) ?? [];
      return { entries: entries.map((e) => ({ path: e.name, mode: e.kind === "dir" ? 0x80000000 | 0o755 : 0o644, size: String(e.size) })) };
    }
    if (name === "ReadFile") {
      const data = (await this.ctx.readFile(req.FilePath))!;
      const start = Number(req.Range?.Offset ?? 0);
      const end = req.Range ? start + Number(req.Range.Length) : data.length;
      return { Data: Buffer.from(data.subarray(start, end)) };
    }
    throw new Error(`unexpected ${name}`);
  }
}

describe("readHead on each BuildContext", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "readhead-"));
    mkdirSync(path.join(dir, "app/sub"), { recursive: true });
    writeFileSync(path.join(dir, "app/yarn.lock"), BIG);
    writeFileSync(path.join(dir, "app/short.txt"), "abc");
    symlinkSync("yarn.lock", path.join(dir, "app/link"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const memory = () => new MemoryContext({ "app/yarn.lock": BIG, "app/short.txt": "abc", "app/sub/.keep": "" });
  const contexts: [string, () => BuildContext][] = [
    ["local", () => new LocalContext(dir)],
    ["memory", memory],
    ["recording", () => new RecordingContext(memory())],
    ["subdir", () => new SubdirContext(new MemoryContext({ "root/app/yarn.lock": BIG, "root/app/short.txt": "abc", "root/app/sub/.keep": "" }), "root")],
    ["gateway", () => new GatewayContext(new FakeBridge(memory()) as unknown as Bridge, "ref1")],
  ];

  for (const [name, make] of contexts) {
    it(`${name}: first bytes, whole short files, undefined for dirs and missing paths`, async () => {
      const ctx = make();
      expect(ctx.readHead).toBeTypeOf("function");
      expect(text(await readHead(ctx, "app/yarn.lock", 18))).toBe("# yarn lockfile v1");
      expect(text(await readHead(ctx, "/app/short.txt", 100))).toBe("abc");
      expect(await readHead(ctx, "app/sub", 10)).toBeUndefined();
      expect(await readHead(ctx, "app/missing", 10)).toBeUndefined();
    });
  }

  it("local: a symlink is not followed, as readFile does not (the gateway's rule)", async () => {
    const local = new LocalContext(dir);
    expect(await readHead(local, "app/link", 4)).toBeUndefined();
    expect(await local.readFile("app/link")).toBeUndefined();
  });

  it("recording: records the path", async () => {
    const rec = new RecordingContext(memory());
    await readHead(rec, "app/yarn.lock", 10);
    expect([...rec.paths]).toEqual(["app/yarn.lock"]);
  });

  it("gateway: asks BuildKit for a byte range, not the whole file", async () => {
    const bridge = new FakeBridge(memory());
    const ctx = new GatewayContext(bridge as unknown as Bridge, "ref1");
    const head = await readHead(ctx, "app/yarn.lock", 4096);
    expect(head?.length).toBe(4096);
    const reads = bridge.requests.filter((r) => r.name === "ReadFile");
    expect(reads).toEqual([{ name: "ReadFile", req: { Ref: "ref1", FilePath: "app/yarn.lock", Range: { Offset: 0, Length: 4096 } } }]);
  });

  it("gateway: a file smaller than the head, or already read, costs no ranged read", async () => {
    const bridge = new FakeBridge(memory());
    const ctx = new GatewayContext(bridge as unknown as Bridge, "ref1");
    expect(text(await readHead(ctx, "app/short.txt", 4096))).toBe("abc");
    await ctx.readFile("app/yarn.lock");
    expect(text(await readHead(ctx, "app/yarn.lock", 6))).toBe("# yarn");
    const reads = bridge.requests.filter((r) => r.name === "ReadFile").map((r) => r.req);
    expect(reads).toEqual([
      { Ref: "ref1", FilePath: "app/short.txt" },
      { Ref: "ref1", FilePath: "app/yarn.lock" },
    ]);
  });
});

describe("readHead fallback and readHeadText", () => {
  it("falls back to readFile for a context without readHead", async () => {
    const inner = new MemoryContext({ "a.txt": "hello" });
    const plain: BuildContext = { readFile: (p) => inner.readFile(p), readDir: (p) => inner.readDir(p), stat: (p) => inner.stat(p) };
    expect(text(await readHead(plain, "a.txt", 2))).toBe("he");
  });

  it("keeps whole lines only, so a cut never leaves half a value", async () => {
    const ctx = new MemoryContext({ "pnpm-lock.yaml": "\uFEFFlockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n" });
    expect(await readHeadText(ctx, "pnpm-lock.yaml", 30)).toBe("lockfileVersion: '9.0'\n\n");
    expect(await readHeadText(ctx, "pnpm-lock.yaml", 20)).toBe("");
    expect(await readHeadText(ctx, "pnpm-lock.yaml", 1000)).toBe("lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n");
    expect(await readHeadText(ctx, "missing", 10)).toBeUndefined();
  });
});

describe("lockfile headers in the Node.js provider", () => {
  /** A context whose whole-file read of a lockfile fails: only readHead may be used. */
  class HeadOnlyLocks extends MemoryContext {
    override async readFile(p: string) {
      if (/(yarn\.lock|pnpm-lock\.yaml)$/.test(p)) throw new Error(`whole read of ${p}`);
      return super.readFile(p);
    }
  }

  it.each([
    ["yarn.lock", "__metadata:\n  version: 8\n  cacheKey: 10c0\n", "yarn"],
    ["yarn.lock", "# yarn lockfile v1\n\n", "yarn"],
    ["pnpm-lock.yaml", "lockfileVersion: '9.0'\n", "pnpm"],
  ])("%s: detected from its header alone (%s)", async (file, header, pm) => {
    const { buildPlan } = await import("../../src/pipeline/build-plan.js");
    const files = { "package.json": '{"name":"a","scripts":{"start":"node i.js"}}', [file]: header + "x: 1\n".repeat(50_000) };
    const { plan } = await buildPlan(new HeadOnlyLocks(files), {});
    expect(plan.result.packageManager).toBe(pm);
    // Same plan as from the whole file: the header carries everything detection uses.
    expect(plan).toEqual((await buildPlan(new MemoryContext(files), {})).plan);
  });
});

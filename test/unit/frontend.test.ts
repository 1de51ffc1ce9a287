// The frontend's orchestration against a fake LLBBridge: what it solves, what
// it returns (single and multi-platform), caps checks and error statuses.
// (The docker driver on the classic store refuses several platforms before
// BuildKit runs, so the refs map is proven here.)
import { describe, it, expect, vi } from "vitest";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { LocalContext } from "../../src/context/local-fs.js";
import { Definition, Op } from "../../src/llb/pb.js";
import { toStatus } from "../../frontend/errors.js";
import { CAPS, FakeBridge, runFake } from "../helpers/fake-bridge.js";
import { buildkitVersion } from "../../frontend/build.js";
import { detectionReads } from "../../src/detect/registry.js";

const GO_APP = { "go.mod": "module example.com/api\n\ngo 1.22\n", "main.go": "package main" };
const run = runFake;

describe("frontend orchestration", () => {
  it("returns one ref with the merged image config, result metadata and labels", async () => {
    const b = new FakeBridge(new MemoryContext(GO_APP));
    expect(await run(b, ["label:org.example=1", "build-arg:GREETING=hi"])).toBeUndefined();
    const ret = b.returned().result;
    expect(ret.ref.id).toMatch(/^ref\d+$/);
    const cfg = JSON.parse(ret.metadata["containerimage.config"].toString());
    expect(cfg).toMatchObject({ architecture: "amd64", os: "linux", config: { User: "1000:1000", WorkingDir: "/app", Cmd: ["./api"], ExposedPorts: { "5000/tcp": {} } } });
    expect(cfg.config.Labels).toMatchObject({ base: "yes", "org.example": "1" });
    const result = JSON.parse(ret.metadata["frontend.miget.result"].toString());
    expect(JSON.parse(cfg.config.Labels["io.miget.build.result"])).toEqual(result);
    expect(result.language).toBe("go");
    // Ping overlapped with the context reads; nothing read beyond the declared paths.
    expect(b.calls[0]!.name).toBe("Ping");
  });

  it("builds one graph per platform and returns a refs map with per-platform configs", async () => {
    const b = new FakeBridge(new MemoryContext(GO_APP));
    expect(await run(b, ["platform=linux/amd64,linux/arm64"])).toBeUndefined();
    const ret = b.returned().result;
    expect(Object.keys(ret.refs.refs).sort()).toEqual(["linux/amd64", "linux/arm64"]);
    expect(JSON.parse(ret.metadata["refs.platforms"].toString())).toEqual({
      Platforms: [
        { ID: "linux/amd64", Platform: { architecture: "amd64", os: "linux" } },
        { ID: "linux/arm64", Platform: { architecture: "arm64", os: "linux" } },
      ],
    });
    expect(JSON.parse(ret.metadata["containerimage.config/linux/arm64"].toString()).architecture).toBe("arm64");
    const platforms = b.finalSolves().map((s) => {
      const def = Definition.toObject(Definition.fromObject(s.req.Definition)) as any;
      return (Op.decode(def.def[0]) as any).platform?.Architecture;
    });
    expect(platforms.sort()).toEqual(["amd64", "arm64"]);
  });

  it("passes cache imports to the Solve and honours no-cache", async () => {
    const b = new FakeBridge(new MemoryContext(GO_APP));
    await run(b, ['cache-imports=[{"Type":"registry","Attrs":{"ref":"r.example/c"}}]', "no-cache="]);
    const solve = b.finalSolves()[0]!.req;
    expect(solve.CacheImports).toEqual([{ Type: "registry", Attrs: { ref: "r.example/c" } }]);
    const md = Object.values((Definition.toObject(Definition.fromObject(solve.Definition)) as any).metadata) as any[];
    expect(md.some((m) => m.ignore_cache)).toBe(true);
  });

  it("sends plan warnings through Warn", async () => {
    const b = new FakeBridge(new MemoryContext(GO_APP));
    await run(b, ["build-arg:API_TOKEN=x"]);
    const warns = b.calls.filter((c) => c.name === "Warn").map((c) => c.req.short.toString());
    expect(warns.join()).toMatch(/API_TOKEN looks like a credential/);
  });

  it.each([
    [{}, [], 5, /No supported language found/],
    [GO_APP, ["build-arg:PORT=http"], 3, /PORT="http" is invalid/],
    [{ "package.json": "{ nope" }, [], 3, /package.json is not valid JSON/],
    [GO_APP, ["requestid=frontend.outline"], 12, /does not answer the "frontend.outline" request/],
  ])("errors become a gRPC status with the CLI's sentence (%#)", async (files, opts, code, msg) => {
    const st = await run(new FakeBridge(new MemoryContext(files as Record<string, string>)), opts as string[]);
    expect(st?.code).toBe(code);
    expect(st?.message).toMatch(msg);
  });

  it("frontend.plan (--print=plan / --call=plan) returns the plan and builds nothing", async () => {
    const b = new FakeBridge(new MemoryContext(GO_APP));
    expect(await run(b, ["requestid=frontend.plan"])).toBeUndefined();
    const ret = b.returned().result;
    expect(ret.ref).toEqual({ id: "" });
    expect(ret.metadata["result.txt"].toString()).toMatch(/^go 1\.22 \(go\.mod go directive\)/);
    expect(JSON.parse(ret.metadata["result.json"].toString()).result.language).toBe("go");
    expect(b.finalSolves()).toHaveLength(0);
  });

  it("describes the requests it answers", async () => {
    const b = new FakeBridge(new MemoryContext(GO_APP));
    expect(await run(b, ["requestid=frontend.subrequests.describe"])).toBeUndefined();
    const list = JSON.parse(b.returned().result.metadata["result.json"].toString());
    expect(list.map((x: { name: string }) => x.name)).toEqual(["frontend.plan", "frontend.subrequests.describe"]);
  });

  it("a daemon lacking an LLB feature gets a clear error naming it, before any build", async () => {
    const b = new FakeBridge(new MemoryContext(GO_APP), CAPS.filter((c) => c !== "exec.mount.cache"));
    const st = await run(b, []);
    expect(st?.code).toBe(12);
    expect(st?.message).toMatch(/lacks LLB features migetpacks needs \(exec\.mount\.cache\)/);
    expect(b.finalSolves()).toHaveLength(0);
  });

  it("logs which BuildKit answered Ping and how many caps it enabled (daemon log, one line per build)", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    try {
      expect(await run(new FakeBridge(new MemoryContext(GO_APP)), [])).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    expect(lines.join("\n")).toMatch(new RegExp(`built for linux/amd64 on buildkit v0\\.26\\.3 \\(${CAPS.length} LLB caps, 3 API caps\\);`));
  });

  it("takes the BuildKit version from Ping's worker record, else from BUILDKIT_WORKERS", () => {
    expect(buildkitVersion({ Workers: [{ BuildkitVersion: { version: "v0.26.3" } }] }, {})).toBe("v0.26.3");
    const workers = JSON.stringify([{ id: "w", buildkitVersion: { package: "github.com/moby/buildkit", version: "v0.26.3", revision: "" } }]);
    expect(buildkitVersion({ Workers: [{}] }, { BUILDKIT_WORKERS: workers })).toBe("v0.26.3");
    expect(buildkitVersion({}, { BUILDKIT_WORKERS: "not json" })).toBeUndefined();
    expect(buildkitVersion({}, {})).toBeUndefined();
  });
});

describe("context transfers", () => {
  /** The local sources the frontend solved before the build: name hint and exclude patterns. */
  function transfers(b: FakeBridge): { hint: string; excludes: string[] }[] {
    return b.calls
      .filter((c) => c.name === "Solve")
      .map((c) => Definition.toObject(Definition.fromObject(c.req.Definition)) as any)
      .filter((d) => d.def.length <= 3)
      .map((d) => (Op.decode(d.def[0]) as any).source.attrs)
      .map((a) => ({ hint: a["local.sharedkeyhint"], excludes: JSON.parse(a["local.excludepatterns"] ?? "[]") }));
  }

  it("without a .dockerignore, configuration and detection files come in one transfer", async () => {
    const b = new FakeBridge(new MemoryContext(GO_APP));
    expect(await run(b, [])).toBeUndefined();
    const t = transfers(b);
    expect(t.map((x) => x.hint)).toEqual(["context-migetpacks-detect"]);
    expect(t[0]!.excludes).toContain("node_modules");
    expect(b.transferred).toHaveLength(1);
    // Ping and the transfer are asked for before either answers.
    expect(b.calls.map((c) => c.name).slice(0, 2)).toEqual(["Ping", "Solve"]);
  });

  it("with a .dockerignore too, one transfer: its patterns are applied to what came, and the build's context source carries them", async () => {
    const b = new FakeBridge(new MemoryContext({ ...GO_APP, ".dockerignore": "secret.txt\nProcfile\n", Procfile: "web: ./other" }));
    expect(await run(b, [])).toBeUndefined();
    expect(transfers(b).map((x) => x.hint)).toEqual(["context-migetpacks-detect"]);
    expect(b.transferred).toHaveLength(1);
    // The ignored Procfile came with the transfer (the defaults do not exclude it) but detection never saw it.
    const result = JSON.parse(String(b.returned().result.metadata["frontend.miget.result"]));
    expect(result.runCommand).not.toContain("other");
    const def = Definition.toObject(Definition.fromObject(b.finalSolves()[0]!.req.Definition)) as any;
    const local = def.def.map((d: Uint8Array) => Op.decode(d) as any).find((o: any) => o.source?.identifier?.startsWith("local://"));
    expect(JSON.parse(local.source.attrs["local.excludepatterns"])).toEqual(["secret.txt", "Procfile"]);
  });

  // Their follow-ups name files the declared patterns already brought: a Rails app's asset manifests, a
  // packaged Python project's module, Django's settings, first-level Maven modules and Gradle projects.
  it.each(["ruby-rails", "python-fastapi-uv", "python-pdm", "python-django-poetry", "python-django-uvicorn", "java-maven-multimodule", "kotlin-gradle-multi"])(
    "%s loads in one transfer: its follow-up asks for nothing the first lacks",
    async (fixture) => {
      const b = new FakeBridge(new LocalContext(`fixtures/${fixture}`));
      expect(await run(b, [])).toBeUndefined();
      expect(transfers(b).map((x) => x.hint)).toEqual(["context-migetpacks-detect"]);
      expect(b.transferred).toHaveLength(1);
    },
  );

  it("the detection transfer follows exact paths and matches `*` paths as include patterns: together, every declared read", async () => {
    const b = new FakeBridge(new MemoryContext(GO_APP));
    expect(await run(b, [])).toBeUndefined();
    const solve = b.calls.find((c) => c.name === "Solve")!;
    const def = Definition.toObject(Definition.fromObject(solve.req.Definition)) as any;
    const attrs = (Op.decode(def.def[0]) as any).source.attrs;
    const follow: string[] = JSON.parse(attrs["local.followpaths"]);
    const include: string[] = JSON.parse(attrs["local.includepattern"]);
    // BuildKit's client resolves each followed path component by component, listing a folder for every `*`.
    expect(follow.filter((p) => p.includes("*"))).toEqual([]);
    expect(include.length).toBeGreaterThan(20);
    expect(include.every((p) => p.includes("*"))).toBe(true);
    expect(new Set([...follow, ...include])).toEqual(new Set([".dockerignore", "migetpacks.toml", ...detectionReads()]));
  });

  it("a follow-up outside the first transfer gets exactly one more: a Cargo workspace's members", async () => {
    const b = new FakeBridge(new LocalContext("fixtures/rust-workspace"));
    expect(await run(b, [])).toBeUndefined();
    expect(transfers(b).map((x) => x.hint)).toEqual(["context-migetpacks-detect", "context-migetpacks-detect"]);
  });

  it("detection never looks where the default patterns exclude (_build), even when the .dockerignore does not", async () => {
    const files = {
      "package.json": JSON.stringify({ name: "web", scripts: { start: "node server.js" } }),
      "package-lock.json": "{}",
      "server.js": "",
      ".dockerignore": "*.md\n",
      "_build/tools/Tool.csproj": "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>",
    };
    const b = new FakeBridge(new MemoryContext(files));
    expect(await run(b, [])).toBeUndefined();
    expect(JSON.parse(String(b.returned().result.metadata["frontend.miget.result"])).language).toBe("nodejs");
  });

  it("a workspace member's build reads the .dockerignore of the workspace root above it from the same transfer", async () => {
    const files = {
      "mono/package.json": JSON.stringify({ name: "mono", private: true, workspaces: ["apps/*"] }),
      "mono/package-lock.json": "{}",
      "mono/.dockerignore": "secret.txt\n",
      "mono/apps/web/package.json": JSON.stringify({ name: "web", scripts: { start: "node server.js" } }),
      "mono/apps/web/server.js": "",
    };
    const b = new FakeBridge(new MemoryContext(files));
    expect(await run(b, ["build-arg:PROJECT_PATH=mono/apps/web"])).toBeUndefined();
    expect(b.transferred).toHaveLength(1); // the member has no .dockerignore of its own: the guess holds
    const solve = b.finalSolves()[0]!.req;
    const def = Definition.toObject(Definition.fromObject(solve.Definition)) as any;
    const local = def.def.map((d: Uint8Array) => Op.decode(d) as any).find((o: any) => o.source?.identifier?.startsWith("local://") && !o.source.attrs["local.followpaths"]);
    expect(JSON.parse(local.source.attrs["local.excludepatterns"])).toEqual(["mono/secret.txt"]);
  });
});

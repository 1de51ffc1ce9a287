// Every path writes the same LLB: `migetpacks llb DIR | buildctl build` and the
// frontend must produce byte-identical definitions for the same context, options
// and base-image configs, or a CLI build after a frontend build re-runs every
// step (issue 17: the Go step's env used to come out in two orders).
import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { Definition } from "../../src/llb/pb.js";
import { normalizeImageRef } from "../../src/llb/image-ref.js";
import { emitLlb } from "../../src/cli/main.js";
import { runFrontend } from "../../frontend/build.js";
import { canonicalEnv } from "../../src/emit/plan-to-llb.js";
import { knownImageEnv } from "../../src/emit/image-env.js";
import { IMAGE_ENV } from "../../src/detect/registry.js";
import type { Bridge } from "../../frontend/bridge.js";

const FIXTURES = path.resolve(__dirname, "../../fixtures");
const CAPS = ["source.image", "source.local", "source.local.sessionid", "source.local.includepatterns", "source.local.followpaths", "source.local.excludepatterns", "source.local.sharedkeyhint", "source.local.differ", "exec.meta.base", "exec.mount.bind", "exec.mount.cache", "exec.mount.cache.sharing", "exec.mount.secret", "exec.secretenv", "exec.meta.proxyenv", "file.base", "file.copy.includeexcludepatterns", "constraints", "platform", "meta.description", "meta.ignorecache"];

// Configs as a registry would return them: the Go image sets GOTOOLCHAIN itself,
// which the plan sets too (the case that used to reorder the env).
const CONFIGS: Record<string, string[]> = {
  "docker.io/library/golang": ["PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "GOLANG_VERSION=1.22.12", "GOTOOLCHAIN=local", "GOPATH=/go"],
  "docker.io/library/node": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NODE_VERSION=22.11.0", "YARN_VERSION=1.22.22"],
  "docker.io/library/rust": ["PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "RUSTUP_HOME=/usr/local/rustup", "CARGO_HOME=/usr/local/cargo", "RUST_VERSION=1.83.0"],
};
const envFor = (ref: string) => CONFIGS[normalizeImageRef(ref).replace(/[:@].*$/, "")] ?? ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];

/** The LLBBridge, answering from a fixture folder; keeps the final Solve's definition. */
class FixtureBridge {
  final?: Uint8Array;
  constructor(
    private readonly ctx: LocalContext,
    private readonly env: (ref: string) => string[],
  ) {}
  async call(name: string, req: any): Promise<any> {
    switch (name) {
      case "Ping":
        return { LLBCaps: CAPS.map((ID) => ({ ID, Enabled: true })), FrontendAPICaps: [], Workers: [{ platforms: [{ OS: "linux", Architecture: "amd64" }] }] };
      case "Solve": {
        const bytes = Definition.encode(Definition.fromObject(req.Definition)).finish();
        if (req.Definition.def.length > 3) this.final = bytes;
        return { result: { ref: { id: "r" } } };
      }
      case "ReadDir": {
        const entries = (await this.ctx.readDir(req.DirPath)) ?? [];
        return { entries: entries.map((e) => ({ path: e.name, mode: e.kind === "dir" ? 0x80000000 + 0o755 : 0o644, size: String(e.size) })) };
      }
      case "ReadFile":
        return { Data: Buffer.from((await this.ctx.readFile(req.FilePath)) ?? []) };
      case "ResolveImageConfig":
        return { Config: Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", config: { Env: this.env(req.Ref) } })) };
      default:
        return {};
    }
  }
}

async function viaFrontend(dir: string, env = envFor): Promise<Uint8Array> {
  const b = new FixtureBridge(new LocalContext(dir), env);
  // No session id: buildctl attaches the CLI's LLB to its own session, so neither path names one here.
  await runFrontend(b as unknown as Bridge, { BUILDKIT_FRONTEND_OPT_0: "platform=linux/amd64" });
  if (!b.final) throw new Error("the frontend solved no build");
  return b.final;
}

describe("the CLI and the frontend write the same LLB", () => {
  for (const name of ["go-hello", "go-workspace", "node-npm-deps", "node-pnpm", "rust-single", "bun-basic", "deno-basic"]) {
    it(`${name}: byte-identical definitions given the same base-image configs`, async () => {
      const dir = path.join(FIXTURES, name);
      const fromFrontend = await viaFrontend(dir);
      // The CLI is told the same configs (`migetpacks llb --image-config REF=FILE`).
      const cli = await emitLlb(new LocalContext(dir), {}, { platform: { os: "linux", architecture: "amd64" }, imageEnv: envFor });
      expect(Buffer.from(cli).equals(Buffer.from(fromFrontend))).toBe(true);
    });
  }

  it("go-hello: the CLI's known defaults equal an image whose Env also sets a variable the plan sets (GOTOOLCHAIN)", async () => {
    const dir = path.join(FIXTURES, "go-hello");
    // The Go stand-in's config: the known defaults plus GOTOOLCHAIN=local, which the Go stage sets too.
    const standin = (ref: string) => (ref.startsWith("golang") ? [...knownImageEnv(ref, IMAGE_ENV), "GOTOOLCHAIN=local"] : knownImageEnv(ref, IMAGE_ENV));
    const fromFrontend = await viaFrontend(dir, standin);
    const cli = await emitLlb(new LocalContext(dir), {}, { platform: { os: "linux", architecture: "amd64" } });
    expect(Buffer.from(cli).equals(Buffer.from(fromFrontend))).toBe(true);
  });
});

describe("canonical env order", () => {
  it("puts the image's entries first (its order), minus what the stage sets, then the stage's in plan order", () => {
    const image = ["PATH=/go/bin:/usr/bin", "GOTOOLCHAIN=local", "GOPATH=/go"];
    const own: [string, string][] = [["CGO_ENABLED", "0"], ["GOOS", "linux"], ["GOTOOLCHAIN", "local"]];
    expect(canonicalEnv(image, own)).toEqual(["PATH=/go/bin:/usr/bin", "GOPATH=/go", "CGO_ENABLED=0", "GOOS=linux", "GOTOOLCHAIN=local"]);
    // Known defaults lacking GOTOOLCHAIN give the same order.
    expect(canonicalEnv(["PATH=/go/bin:/usr/bin", "GOPATH=/go"], own)).toEqual(canonicalEnv(image, own));
  });
});


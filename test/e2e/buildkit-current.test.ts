// The frontend on current BuildKit: a standalone buildkitd v0.26.3 (OCI worker,
// runc) driven by buildctl, not Docker 26's embedded BuildKit 0.13. The
// frontend image and the base images come from a local registry that buildkitd
// uses as its Docker Hub mirror (scripts/buildkit/up.sh, push.sh). Never skips:
// when buildkitd cannot start, beforeAll fails with the script's reason.
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FRONTEND_IMAGE, ROOT, fixtureDir, inspect, requireEngine, runAndFetch, sh } from "./engine.js";
import { buildctl, buildkitUp, planImages, pushToRegistry, buildSteps, type Buildkit, type BuildctlResult } from "./buildkit.js";

const FIXTURES = ["go-hello", "node-npm"];
let bk: Buildkit;

beforeAll(() => {
  requireEngine();
  bk = buildkitUp();
  pushToRegistry(planImages(FIXTURES.map(fixtureDir)));
});

/** Pulls a pushed result into the Docker engine so it can be run and inspected. */
function pull(name: string): string {
  const ref = `${bk.registry}/${name}`;
  sh("docker", ["pull", "--quiet", ref]);
  return ref;
}

describe("go-hello on buildkitd v0.26.3", () => {
  const name = "bkcurrent-e2e/go-hello:latest";
  let first: BuildctlResult;

  beforeAll(() => {
    first = buildctl(bk, fixtureDir("go-hello"), name);
    if (!first.ok) throw new Error(`buildctl build failed (${first.seconds.toFixed(1)}s):\n${first.log}\nbuildkitd log:\n${first.daemonLog}`);
  });

  it("builds, and the image answers HTTP as uid 1000", async () => {
    const res = await runAndFetch(pull(name));
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from go-hello uid=1000");
    expect(res.uid).toBe("1000");
  });

  it("returns the build result as frontend metadata and as the image label", () => {
    expect(JSON.parse(String(first.metadata?.["frontend.miget.result"]))).toMatchObject({ language: "go", version: "1.22" });
    const label = inspect(`${bk.registry}/${name}`).Config.Labels["io.miget.build.result"];
    expect(JSON.parse(label)).toMatchObject({ language: "go", version: "1.22" });
  });

  it("used the caps this BuildKit announced in Ping (v0.26.3 enables 79 LLB caps; Docker 26.1.5 61 of 63)", () => {
    const line = first.daemonLog.split("\n").find((l) => l.includes("migetpacks: go 1.22 built for"));
    expect(line, `frontend log line in the buildkitd log:\n${first.daemonLog}`).toBeDefined();
    const m = line!.match(/on buildkit (\S+) \((\d+) LLB caps, (\d+) API caps\)/);
    expect(m, line).not.toBeNull();
    expect(m![1]).toBe("v0.26.3");
    expect(Number(m![2])).toBeGreaterThan(63);
  });

  it("a second build is fully cached", () => {
    const again = buildctl(bk, fixtureDir("go-hello"), name);
    expect(again.ok, again.log).toBe(true);
    const steps = buildSteps(again.log);
    expect(steps.map((s) => s.name), again.log).toEqual(expect.arrayContaining(["[build] go build", "[build] download Go modules"]));
    expect(steps.filter((s) => !s.cached).map((s) => s.name), again.log).toEqual([]);
    console.log(`go-hello on v0.26.3: first build ${first.seconds.toFixed(1)}s, cached rebuild ${again.seconds.toFixed(1)}s`);
  });

  it("takes build args as --opt build-arg:KEY=VALUE (PORT=8080)", async () => {
    const r = buildctl(bk, fixtureDir("go-hello"), "bkcurrent-e2e/go-hello-port:latest", ["--opt", "build-arg:PORT=8080"]);
    expect(r.ok, r.log).toBe(true);
    const ref = pull("bkcurrent-e2e/go-hello-port:latest");
    expect(inspect(ref).Config.Env).toContain("PORT=8080");
    expect(Object.keys(inspect(ref).Config.ExposedPorts)).toEqual(["8080/tcp"]);
    const res = await runAndFetch(ref, { port: 8080 });
    expect(res.body).toContain("hello from go-hello uid=1000");
  });
});

describe("node-npm on buildkitd v0.26.3", () => {
  const name = "bkcurrent-e2e/node-npm:latest";

  it("builds with npm ci and answers HTTP as uid 1000", async () => {
    const r = buildctl(bk, fixtureDir("node-npm"), name);
    expect(r.ok, `${r.log}\nbuildkitd log:\n${r.daemonLog}`).toBe(true);
    expect(JSON.parse(String(r.metadata?.["frontend.miget.result"]))).toMatchObject({ language: "nodejs" });
    const res = await runAndFetch(pull(name));
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from node-npm uid=1000");
  });
});

describe("the published frontend image (scripts/publish-frontend.sh: zstd layers)", () => {
  const tag = FRONTEND_IMAGE.slice(FRONTEND_IMAGE.lastIndexOf(":") + 1);
  let ref: string;
  let bytes: number;

  beforeAll(() => {
    ref = `${bk.registry}/miget-e2e/migetpacks-frontend:published-${tag}`;
    const r = spawnSync("bash", ["scripts/publish-frontend.sh", ref], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, MIGETPACKS_PREBUILT: "1" } });
    if (r.status !== 0) throw new Error(`scripts/publish-frontend.sh failed (exit ${r.status}):\n${r.stderr}`);
    bytes = Number(r.stdout.trim().split("\n").pop());
  });

  it("is stored as zstd layers, under 45 MB", () => {
    const manifest = JSON.parse(sh("curl", ["-fsS", "-H", "Accept: application/vnd.oci.image.manifest.v1+json", `http://${bk.registry}/v2/miget-e2e/migetpacks-frontend/manifests/published-${tag}`]));
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual(manifest.layers.map(() => "application/vnd.oci.image.layer.v1.tar+zstd"));
    expect(manifest.layers.reduce((a: number, l: { size: number }) => a + l.size, 0)).toBe(bytes);
    expect(bytes).toBeLessThan(45e6);
    console.log(`published frontend image: ${(bytes / 1e6).toFixed(1)} MB (zstd)`);
  });

  it("runs as the # syntax= frontend of Docker 26.1's BuildKit 0.13, which pulls zstd layers", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "published-stub-"));
    writeFileSync(path.join(dir, "Dockerfile"), `# syntax=${ref}\n`);
    const image = "bkcurrent-e2e/published-frontend:go-hello";
    const r = spawnSync("docker", ["buildx", "build", "--progress=plain", "--load", "-t", image, "-f", path.join(dir, "Dockerfile"), fixtureDir("go-hello")], { encoding: "utf8", maxBuffer: 64 << 20 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toContain(`resolve image config for docker-image://${ref}`);
    const res = await runAndFetch(image);
    expect(res.body).toContain("hello from go-hello uid=1000");
  });
});

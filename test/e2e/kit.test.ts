// Build plan v2 on a real engine: runtime layers split so a source-only
// change re-creates only the application's layers, and runtime system
// packages installed with apt are present in the image.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { buildx, copyFixture, fixtureDir, inspect, requireEngine, runAndFetch, runIn, sh, stepCached } from "./engine.js";

const layers = (tag: string): string[] => inspect(tag).RootFS.Layers;

describe("runtime layers: dependencies apart from the application", () => {
  const tag = "migetpacks-e2e/kit-layers";
  let before: string[];
  let after: string[];
  let runtimeImage: string;
  beforeAll(() => {
    requireEngine();
    const dir = copyFixture("node-npm-deps");
    runtimeImage = JSON.parse(sh("node", ["dist/cli.cjs", "plan", dir, "--json"])).runtime.image;
    const first = buildx(dir, tag);
    if (!first.ok) throw new Error(`build failed:\n${first.log}`);
    before = layers(tag);
    appendFileSync(path.join(dir, "app.js"), "\n// a source-only change\n");
    const second = buildx(dir, tag);
    if (!second.ok) throw new Error(`rebuild failed:\n${second.log}`);
    expect(stepCached(second.log, "install dependencies (npm)")).toBe(true);
    after = layers(tag);
  });

  it("keeps every layer up to and including node_modules; only the application's layer is new", () => {
    expect(after.length).toBe(before.length);
    // On the base image: the workdir, node_modules, then the app — three layers of our own.
    const base = layers(runtimeImage).length;
    expect(after.length - base).toBe(3);
    const changed = after.map((d, i) => (d === before[i] ? -1 : i)).filter((i) => i >= 0);
    // Exactly one layer differs, and it is the last: the app copy (node_modules' layer is reused).
    expect(changed).toEqual([after.length - 1]);
  });

  it("the app still answers", async () => {
    const res = await runAndFetch(tag);
    expect(res.body).toContain("hello from express uid=1000");
  });
});

describe("runtime system packages (RUNTIME_PACKAGES)", () => {
  const tag = "migetpacks-e2e/kit-packages";
  beforeAll(() => {
    requireEngine();
    const r = buildx(fixtureDir("go-hello"), tag, { buildArgs: { RUNTIME_PACKAGES: "libjemalloc2" } });
    if (!r.ok) throw new Error(`build failed:\n${r.log}`);
  });

  it("installs the package in the runtime image, and the app runs as before", async () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 && dpkg-query -W -f '${Status}' libjemalloc2"]);
    expect(r.out).toContain("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
    expect(r.out).toContain("install ok installed");
    const res = await runAndFetch(tag);
    expect(res.body).toContain("uid=1000");
  });

  it("apt's lists and archives stay in cache mounts, out of the image", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls /var/lib/apt/lists | grep -c _ || true; ls /var/cache/apt/archives/*.deb 2>/dev/null | wc -l"]);
    expect(r.out.trim().split("\n")).toEqual(["0", "0"]);
  });
});

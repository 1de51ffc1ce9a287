// Build plan v2 on a real engine: runtime system packages installed with apt
// are present in the image. (Runtime layers split so a source-only change
// re-creates only the application's layer: node.test.ts, node-npm-deps, the
// one file that builds that app, so no concurrent build of the same steps
// leaves BuildKit two cache records with different layers to choose from.)
import { describe, it, expect, beforeAll } from "vitest";
import { buildx, fixtureDir, requireEngine, runAndFetch, runIn } from "./engine.js";

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

// A Vite single-page app (real vite from the registry): the build output is
// served by migetpacks' own small server — client-side routes fall back to
// index.html, fingerprinted assets are cached, nothing else ships.
import { describe, it, expect, beforeAll } from "vitest";
import { buildx, fixtureDir, inspect, requireEngine, runIn, sh } from "./engine.js";

beforeAll(() => requireEngine());

describe("node-vite-spa", () => {
  const tag = "migetpacks-e2e/node-vite-spa";
  beforeAll(() => {
    const r = buildx(fixtureDir("node-vite-spa"), tag);
    if (!r.ok) throw new Error(`build failed:\n${r.log}`);
  });

  it("serves the built site, SPA routes, cached assets and 404s, as uid 1000", async () => {
    const id = sh("docker", ["run", "-d", "-p", "127.0.0.1::5000", tag]).trim();
    try {
      const base = `http://${sh("docker", ["port", id, "5000/tcp"]).trim().split("\n")[0]}`;
      // Every response body is read, and every request has a deadline: nothing can hang the suite.
      const get = async (p: string) => {
        const res = await fetch(base + p, { signal: AbortSignal.timeout(5000) });
        return { status: res.status, headers: res.headers, body: await res.text() };
      };
      let home: Awaited<ReturnType<typeof get>> | undefined;
      for (let i = 0; i < 60 && !home; i++) {
        home = await get("/").catch(() => undefined);
        if (!home) await new Promise((r) => setTimeout(r, 250));
      }
      expect(home?.status).toBe(200);
      const html = home!.body;
      expect(html).toContain("static page from node-vite-spa");
      const route = await get("/about");
      expect(route.status).toBe(200);
      expect(route.body).toBe(html);
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
      const js = await get(asset);
      expect(js.status).toBe(200);
      expect(js.headers.get("content-type")).toMatch(/javascript/);
      expect(js.headers.get("cache-control")).toMatch(/immutable/);
      expect((await get("/missing.png")).status).toBe(404);
      expect(sh("docker", ["top", id, "-o", "pid,uid"]).trim().split("\n")[1]!.trim().split(/\s+/)[1]).toBe("1000");
    } finally {
      sh("docker", ["rm", "-f", id]);
    }
  });

  it("ships only the build output and the server, no node_modules or sources", () => {
    const ls = runIn(tag, "/bin/sh", ["-c", "ls -a /app; ls /opt/migetpacks"]);
    expect(ls.out).toContain("index.html");
    expect(ls.out).toContain("assets");
    expect(ls.out).toContain("serve-static.cjs");
    expect(ls.out).not.toContain("node_modules");
    expect(ls.out).not.toContain("package.json");
    expect(inspect(tag).Config.Cmd).toEqual(["node", "/opt/migetpacks/serve-static.cjs", "/app"]);
  });
});

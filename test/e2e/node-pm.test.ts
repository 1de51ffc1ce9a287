// Node.js package managers through the real frontend: pnpm, Yarn classic and
// Yarn Berry (Plug'n'Play) prepared by corepack, npm workspaces, and a real
// Next.js standalone app — dependencies fetched from the registry during the build.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildx, copyFixture, fixtureDir, inspect, requireEngine, runAndFetch, runIn, sh, stepCached, type BuildResult } from "./engine.js";

beforeAll(() => requireEngine());

const timings: string[] = [];
function build(dir: string, tag: string, label: string): BuildResult {
  const r = buildx(dir, tag);
  timings.push(`${label}: ${r.seconds.toFixed(1)}s${r.ok ? "" : " (failed)"}`);
  if (!r.ok) throw new Error(`build of ${label} failed:\n${r.log}`);
  return r;
}

/** Builds a copy, changes only a source file, builds again: the install must come from the cache. */
function sourceOnlyRebuild(fixture: string, tag: string, sourceFile: string, installStep: string): BuildResult {
  const dir = copyFixture(fixture);
  build(dir, tag, `${fixture} (copy)`);
  appendFileSync(path.join(dir, sourceFile), "\n// a source-only change\n");
  const edited = build(dir, tag, `${fixture} (source edited)`);
  expect(stepCached(edited.log, installStep), edited.log).toBe(true);
  return edited;
}

/** Runs the image and calls several paths on it (and a command inside it) while it runs. */
async function withContainer<T>(tag: string, fn: (base: string, id: string) => Promise<T>, port = 5000): Promise<T> {
  const id = sh("docker", ["run", "-d", "-p", `127.0.0.1::${port}`, tag]).trim();
  try {
    const base = `http://${sh("docker", ["port", id, `${port}/tcp`]).trim().split("\n")[0]}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await fetch(base + "/", { signal: AbortSignal.timeout(5000) });
        break;
      } catch (e) {
        if (Date.now() > deadline) {
          const logs = spawnSync("docker", ["logs", id], { encoding: "utf8" });
          throw new Error(`no HTTP answer from ${tag}: ${String(e)}\n${logs.stdout}${logs.stderr}`);
        }
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    return await fn(base, id);
  } finally {
    spawnSync("docker", ["rm", "-f", id]);
  }
}

describe("node-pnpm (corepack, pinned pnpm@9.15.9)", () => {
  const tag = "migetpacks-e2e/node-pnpm";
  beforeAll(() => {
    build(fixtureDir("node-pnpm"), tag, "node-pnpm");
  });

  it("builds with pnpm, prunes dev dependencies, answers HTTP 200 as uid 1000", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from node-pnpm uid=1000 ms=1m devDepShipped=false built by pnpm/9.15.9 isNumber(5)=true");
  });

  it("after a source-only change the install (and corepack) steps are CACHED", () => {
    const edited = sourceOnlyRebuild("node-pnpm", `${tag}-edit`, "server.js", "install dependencies (pnpm)");
    expect(stepCached(edited.log, "prepare pnpm@9.15.9 (corepack)")).toBe(true);
  });
});

describe("node-yarn-classic (yarn.lock v1 without registry URLs, unpinned)", () => {
  const tag = "migetpacks-e2e/node-yarn-classic";
  beforeAll(() => {
    build(fixtureDir("node-yarn-classic"), tag, "node-yarn-classic");
  });

  it("runs heroku-postbuild with Yarn 1, prunes, answers HTTP 200 as uid 1000", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from node-yarn-classic uid=1000 ms=1m devDepShipped=false built by yarn/1.22.22 isNumber(5)=true");
  });

  it("ships no tests", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls -a /app"]);
    expect(r.out).toContain("server.js");
    expect(r.out).not.toMatch(/^test$/m);
  });

  it("after a source-only change yarn install is CACHED", () => {
    sourceOnlyRebuild("node-yarn-classic", `${tag}-edit`, "server.js", "install dependencies (yarn)");
  });
});

describe("node-yarn-berry (Yarn 4, Plug'n'Play, ESM)", () => {
  const tag = "migetpacks-e2e/node-yarn-berry";
  beforeAll(() => {
    build(fixtureDir("node-yarn-berry"), tag, "node-yarn-berry");
  });

  it("runs under the PnP hooks without Yarn or network, answers HTTP 200 as uid 1000", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from node-yarn-berry uid=1000 ms=1m devDepShipped=false pnp=3 built by yarn/4.18.1 isNumber(5)=true");
    expect(inspect(tag).Config.Env).toContain("NODE_OPTIONS=--require /app/.pnp.cjs --experimental-loader file:///app/.pnp.loader.mjs");
  });

  it("ships .pnp.cjs and the project cache without node_modules or dev packages", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls -a /app; ls /app/.yarn/cache"]);
    expect(r.out).toMatch(/^\.pnp\.cjs$/m);
    expect(r.out).toMatch(/^\.pnp\.loader\.mjs$/m);
    expect(r.out).toMatch(/^ms-npm-2\.1\.3-.*\.zip$/m);
    expect(r.out).not.toMatch(/is-number/);
    expect(r.out).not.toMatch(/^node_modules$/m);
  });

  it("after a source-only change yarn install is CACHED", () => {
    sourceOnlyRebuild("node-yarn-berry", `${tag}-edit`, "server.js", "install dependencies (yarn-berry)");
  });
});

describe("node-workspaces (npm workspaces, installed at the root)", () => {
  const tag = "migetpacks-e2e/node-workspaces";
  beforeAll(() => {
    build(fixtureDir("node-workspaces"), tag, "node-workspaces");
  });

  it("links the workspace package, runs every member's build, answers HTTP 200 as uid 1000", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from node-workspaces (greet built, isNumber(5)=true) uid=1000 ms=1m devDepShipped=false");
  });

  it("ships no workspace member tests", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls -a /app/packages/web"]);
    expect(r.out).toContain("server.js");
    expect(r.out).not.toMatch(/^test$/m);
  });

  it("after a source-only change in a member npm ci is CACHED", () => {
    sourceOnlyRebuild("node-workspaces", `${tag}-edit`, "packages/web/server.js", "install dependencies (npm)");
  });
});

describe("node-nextjs-standalone (real Next.js 15, pnpm unpinned)", () => {
  const tag = "migetpacks-e2e/node-nextjs-standalone";
  beforeAll(() => {
    build(fixtureDir("node-nextjs-standalone"), tag, "node-nextjs-standalone");
  });

  it("runs node server.js from the standalone output only", () => {
    const cfg = inspect(tag).Config;
    expect(cfg.Cmd).toEqual(["node", "server.js"]);
    expect(cfg.Env).toContain("HOSTNAME=::");
    const r = runIn(tag, "/bin/sh", ["-c", "ls -a /app /app/.next"]);
    expect(r.out).toMatch(/^server\.js$/m);
    expect(r.out).toMatch(/^static$/m);
    expect(r.out).not.toMatch(/^app$/m); // the source tree is not shipped
    expect(r.out).not.toMatch(/^pnpm-lock\.yaml$/m);
  });

  it("serves the page as uid 1000, static chunks and public/, over IPv4 and IPv6", async () => {
    await withContainer(tag, async (base, id) => {
      const page = await fetch(base + "/");
      const html = await page.text();
      expect(page.status).toBe(200);
      // React separates text and expressions with <!-- --> markers.
      expect(html.replaceAll("<!-- -->", "")).toContain("hello from node-nextjs-standalone uid=1000 standalone=true");
      const chunk = html.match(/\/_next\/static\/[^"]+\.js/)?.[0];
      expect(chunk).toBeDefined();
      expect((await fetch(base + chunk)).status).toBe(200);
      const pub = await fetch(base + "/hello.txt");
      expect(pub.status).toBe(200);
      expect(await pub.text()).toContain("static file from public/");
      const probe = (host: string) =>
        spawnSync("docker", ["exec", id, "node", "-e", `fetch("http://${host}:5000/").then(r => console.log("status", r.status))`], { encoding: "utf8" }).stdout;
      expect(probe("127.0.0.1")).toContain("status 200");
      expect(probe("[::1]")).toContain("status 200");
    });
  });

  it("timings", () => {
    console.log(`node-pm build timings:\n  ${timings.join("\n  ")}`);
  });
});

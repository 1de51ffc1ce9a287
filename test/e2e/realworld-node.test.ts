// Real-world JavaScript apps through the real frontend, dependencies from the
// npm registry: each build proves one defect class of the real-world issue and
// starts the image to check its answer on PORT.
import { describe, it, expect, beforeAll } from "vitest";
import { buildx, fixtureDir, inspect, requireEngine, runAndFetch, runIn, type BuildResult } from "./engine.js";

beforeAll(() => requireEngine());

function build(fixture: string, tag: string, extra: string[] = []): BuildResult {
  const r = buildx(fixtureDir(fixture), tag, { extra });
  if (!r.ok) throw new Error(`build of ${fixture} failed:\n${r.log}`);
  return r;
}
const env = (tag: string): string[] => inspect(tag).Config.Env;

describe("class 2+3: pnpm at run time, at the version engines.pnpm asks for", () => {
  const tag = "realworld-e2e/node-pnpm-runtime";
  beforeAll(() => build("node-pnpm-runtime", tag), 600_000);

  it("starts with pnpm start (whose script calls pnpm again): pnpm's user agent, pnpm 10 from engines.pnpm", async () => {
    const res = await runAndFetch(tag);
    expect(res.body).toContain("hello from node-pnpm-runtime agent=pnpm/10.34.9 ms=1m");
    expect(inspect(tag).Config.Cmd).toEqual(["pnpm", "start"]);
  });

  it("no npm update notice and HOST on every interface in the image", () => {
    expect(env(tag)).toEqual(expect.arrayContaining(["NPM_CONFIG_UPDATE_NOTIFIER=false", "HOST=0.0.0.0"]));
    expect(runIn(tag, "pnpm", ["--version"]).out.trim()).toBe("10.34.9");
  });
});

describe("class 7: an out-of-sync package-lock.json", () => {
  const tag = "realworld-e2e/node-npm-out-of-sync";
  let log = "";
  beforeAll(() => {
    // --no-cache: the check reads what npm printed, which a cached install step does not print again.
    log = build("node-npm-out-of-sync", tag, ["--no-cache"]).log;
  }, 600_000);

  it("npm ci refuses it, the log says so, npm install installs what package.json lists", async () => {
    expect(log).toContain("can only install packages when your package.json and package-lock.json");
    expect(log).toContain("migetpacks: package-lock.json is out of sync with package.json, so npm ci refused it; installing with npm install instead");
    expect((await runAndFetch(tag)).body).toContain("hello from node-npm-out-of-sync ms=1m isNumber(5)=true");
  });
});

describe("class 4: Vite build.outDir, with a dev-server start script", () => {
  const tag = "realworld-e2e/node-vite-outdir";
  beforeAll(() => build("node-vite-outdir", tag), 900_000);

  it("serves site/ (vite.config's outDir), not the vite dev server", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from node-vite-outdir");
    expect(res.body).toMatch(/src="\/assets\/index-[\w-]+\.js"/);
    expect((await runAndFetch(tag, { path: "/some/client/route" })).body).toContain("hello from node-vite-outdir");
  });
});

describe("class 4: SvelteKit with adapter-node is a server", () => {
  const tag = "realworld-e2e/node-sveltekit-node";
  beforeAll(() => build("node-sveltekit-node", tag), 900_000);

  it("runs node build on PORT (another PORT too), server-rendered", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["node", "build"]);
    const page = await runAndFetch(tag);
    expect(page.body).toContain("hello from sveltekit");
    expect(page.body).toMatch(/rendered on the server at node v\d+/);
    const health = await runAndFetch(tag, { path: "/health", port: 8080, env: { PORT: "8080" } });
    expect(health.body).toBe("sveltekit adapter-node ok uid=1000 port=8080");
  });
});

describe("class 4: Astro with the node adapter listens on every interface", () => {
  const tag = "realworld-e2e/node-astro-node";
  beforeAll(() => build("node-astro-node", tag), 900_000);

  it("runs dist/server/entry.mjs with HOST=0.0.0.0 and answers from outside the container", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["node", "dist/server/entry.mjs"]);
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from astro node");
    expect(res.body).toMatch(/port=(<!-- -->)?5000/);
  });
});

describe("class 9: a Staticfile site without package.json", () => {
  const tag = "realworld-e2e/static-staticfile";
  beforeAll(() => build("static-staticfile", tag), 600_000);

  it("serves root: public only, folders' index.html, and 404 for unknown paths (index_fallback: false)", async () => {
    expect((await runAndFetch(tag)).body).toContain("hello from static-staticfile");
    expect((await runAndFetch(tag, { path: "/about/" })).body).toContain("about static-staticfile");
    const missing = await runAndFetch(tag, { path: "/no/such/route" });
    expect(missing.status).toBe(404);
    expect((await runAndFetch(tag, { path: "/README.md" })).status).toBe(404);
    expect((await runAndFetch(tag, { path: "/Staticfile" })).status).toBe(404);
  });
});

describe("class 2: Yarn 4 (node_modules) at run time", () => {
  const tag = "realworld-e2e/node-yarn-berry-nm";
  beforeAll(() => build("node-yarn-berry-nm", tag), 600_000);

  it("starts with yarn start, whose script calls yarn again: Yarn 4.9.2 is in the image", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["yarn", "start"]);
    expect((await runAndFetch(tag)).body).toContain("hello from node-yarn-berry-nm agent=yarn/4.9.2 ms=1m");
  });
});

describe("a start script that compiles first: fastify-cli's TypeScript template", () => {
  const tag = "realworld-e2e/node-fastify-cli-ts";
  beforeAll(() => build("node-fastify-cli-ts", tag), 900_000);

  it("tsc runs in the build; the image starts fastify-cli on dist/app.js without the pruned compiler", async () => {
    const cfg = inspect(tag).Config;
    expect(cfg.Cmd).toEqual(["fastify", "start", "-l", "info", "dist/app.js"]);
    expect(cfg.Env).toEqual(expect.arrayContaining(["FASTIFY_ADDRESS=0.0.0.0", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/app/node_modules/.bin"]));
    const res = await runAndFetch(tag);
    expect(res.body).toBe("hello from node-fastify-cli-ts uid=1000 port=5000 typescript=pruned\n");
    expect(res.uid).toBe("1000");
  });

  it("another PORT at run time moves the server", async () => {
    const res = await runAndFetch(tag, { port: 8080, env: { PORT: "8080" } });
    expect(res.body).toContain("port=8080 typescript=pruned");
  });
});

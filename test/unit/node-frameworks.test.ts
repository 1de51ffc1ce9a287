// Defect class 4 (frameworks): what each framework's production build is, read
// from its own config and dependencies, and how the image starts or serves it.
import { describe, it, expect } from "vitest";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import type { BuildPlan } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";
import { isDevServerScript } from "../../src/providers/nodejs/frameworks.js";

const plan = async (files: Record<string, string>, args: Record<string, string> = {}): Promise<BuildPlan> => (await buildPlan(new MemoryContext(files), args)).plan;
const pkg = (o: object) => JSON.stringify({ name: "app", ...o });
const STATIC = ["node", "/opt/migetpacks/serve-static.cjs", "/app"];
const servedDir = (p: BuildPlan) => p.runtime.copies[0]!.src.replace(/^\/build\//, "");
const shells = (p: BuildPlan) => p.stages[0]!.steps.flatMap((s) => (s.kind === "run" ? [s.shell] : [])).join("\n");

describe("dev-server start scripts are not production starts", () => {
  it.each(["ng serve", "vite", "vite --host", "vite dev", "next dev --turbo", "nuxt dev", "astro dev", "expo start", "react-scripts start", "cross-env PORT=3000 vite", "npx vite", "parcel index.html"])("%s", (s) => expect(isDevServerScript(s)).toBe(true));
  it.each(["node server.js", "next start", "vite build", "parcel build index.html", "serve -s dist", "react-router-serve ./build/server/index.js"])("not %s", (s) => expect(isDevServerScript(s)).toBe(false));
});

describe("frameworks", () => {
  it("Next.js output: 'export' serves out/ (its `next start` script cannot)", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { build: "next build", start: "next start" }, dependencies: { next: "15" } }), "next.config.mjs": "export default { output: 'export' };\n" });
    expect([p.result.framework, p.runtime.cmd, servedDir(p)]).toEqual(["nextjs", STATIC, "out"]);
  });

  it("Angular (application builder, ng serve start) serves <outputPath>/browser", async () => {
    const angular = { version: 1, projects: { shop: { projectType: "application", architect: { build: { builder: "@angular/build:application", options: { outputPath: "dist/shop", browser: "src/main.ts" } } } } } };
    const p = await plan({ "package.json": pkg({ scripts: { start: "ng serve", build: "ng build" }, dependencies: { "@angular/core": "19" } }), "angular.json": JSON.stringify(angular) });
    expect([p.result.framework, p.runtime.cmd, servedDir(p)]).toEqual(["angular", STATIC, "dist/shop/browser"]);
  });

  it("Angular with the old browser builder serves outputPath; with SSR runs server.mjs", async () => {
    const old = { projects: { app: { architect: { build: { builder: "@angular-devkit/build-angular:browser", options: { outputPath: "dist/app" } } } } } };
    expect(servedDir(await plan({ "package.json": pkg({ scripts: { start: "ng serve", build: "ng build" }, dependencies: { "@angular/core": "15" } }), "angular.json": JSON.stringify(old) }))).toBe("dist/app");
    const ssr = { projects: { app: { architect: { build: { builder: "@angular-devkit/build-angular:application", options: { outputPath: "dist/app", server: "src/main.server.ts", ssr: { entry: "server.ts" } } } } } } };
    const p = await plan({ "package.json": pkg({ scripts: { start: "ng serve", build: "ng build" }, dependencies: { "@angular/core": "19", "@angular/ssr": "19" } }), "angular.json": JSON.stringify(ssr) });
    expect(p.runtime.cmd).toEqual(["node", "dist/app/server/server.mjs"]);
  });

  it("Vite build.outDir is served", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { build: "vite build" }, devDependencies: { vite: "6" } }), "vite.config.ts": "export default defineConfig({\n  // outDir: 'nope',\n  build: { outDir: 'public/app' },\n});\n" });
    expect(servedDir(p)).toBe("public/app");
    expect(shells(p)).toContain("[ -d public/app ]");
  });

  it("SvelteKit adapter-node runs node build (or the adapter's out); adapter-static is served", async () => {
    const deps = { devDependencies: { "@sveltejs/kit": "2", "@sveltejs/adapter-node": "5", vite: "6" } };
    const cfg = (adapter: string, opts = "") => `import adapter from '${adapter}';\nexport default { kit: { adapter: adapter(${opts}) } };\n`;
    expect((await plan({ "package.json": pkg({ scripts: { build: "vite build", dev: "vite dev" }, ...deps }), "svelte.config.js": cfg("@sveltejs/adapter-node") })).runtime.cmd).toEqual(["node", "build"]);
    expect((await plan({ "package.json": pkg({ scripts: { build: "vite build" }, ...deps }), "svelte.config.js": cfg("@sveltejs/adapter-node", "{ out: 'server' }") })).runtime.cmd).toEqual(["node", "server"]);
    const st = await plan({ "package.json": pkg({ scripts: { build: "vite build" }, devDependencies: { "@sveltejs/kit": "2", "@sveltejs/adapter-static": "3" } }), "svelte.config.js": cfg("@sveltejs/adapter-static", "{ pages: 'site' }") });
    expect([st.runtime.cmd, servedDir(st)]).toEqual([STATIC, "site"]);
  });

  it("SvelteKit adapter-auto is a server (vite preview on PORT, all interfaces), not a static site, with a warning", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { build: "vite build" }, devDependencies: { "@sveltejs/kit": "2", "@sveltejs/adapter-auto": "3", vite: "6" } }), "svelte.config.js": "import adapter from '@sveltejs/adapter-auto';\nexport default { kit: { adapter: adapter() } };\n" });
    expect(p.runtime.cmd).toEqual(["/bin/sh", "-c", 'node_modules/.bin/vite preview --host 0.0.0.0 --port "$PORT"']);
    expect(shells(p)).not.toContain("prune");
    expect(p.warnings.join("\n")).toContain("adapter-node");
  });

  it.each([
    ["nuxt", { nuxt: "3" }],
    ["tanstack-start", { "@tanstack/react-start": "1" }],
    ["solid-start", { "@solidjs/start": "1" }],
  ])("%s without a start script runs .output/server/index.mjs", async (framework, deps) => {
    const p = await plan({ "package.json": pkg({ scripts: { build: "vite build", dev: "vite dev" }, dependencies: deps }) });
    expect([p.result.framework, p.runtime.cmd]).toEqual([framework, ["node", ".output/server/index.mjs"]]);
  });

  it("nuxt generate serves .output/public; an app's own start script is kept", async () => {
    expect(servedDir(await plan({ "package.json": pkg({ scripts: { build: "nuxt generate" }, dependencies: { nuxt: "3" } }) }))).toBe(".output/public");
    expect((await plan({ "package.json": pkg({ scripts: { build: "nuxt build", start: "node .output/server/index.mjs --x" }, dependencies: { nuxt: "3" } }), "package-lock.json": "{}" })).runtime.cmd).toEqual(["npm", "start"]);
  });

  it("Astro's node adapter runs its entry with HOST=0.0.0.0; without it, outDir is served", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { build: "astro build", dev: "astro dev" }, dependencies: { astro: "5", "@astrojs/node": "9" } }), "astro.config.mjs": "import node from '@astrojs/node';\nexport default defineConfig({ output: 'server', adapter: node({ mode: 'standalone' }) });\n" });
    expect(p.runtime.cmd).toEqual(["node", "dist/server/entry.mjs"]);
    expect(p.runtime.env).toContainEqual(["HOST", "0.0.0.0"]);
    const st = await plan({ "package.json": pkg({ scripts: { build: "astro build" }, dependencies: { astro: "5" } }), "astro.config.mjs": "export default defineConfig({ outDir: './build' });\n" });
    expect([st.runtime.cmd, servedDir(st)]).toEqual([STATIC, "build"]);
  });

  it("Expo web: expo export (when there is no build script), dist/ served, not the Metro dev server", async () => {
    const p = await plan({ "package.json": pkg({ main: "expo-router/entry", scripts: { start: "expo start", web: "expo start --web" }, dependencies: { expo: "52", "react-native-web": "0.19", "react-dom": "18" } }) });
    expect([p.result.framework, p.runtime.cmd, servedDir(p)]).toEqual(["expo", STATIC, "dist"]);
    expect(shells(p)).toContain("npx expo export --platform web");
  });
});

describe("documentation sites and React Router / Remix", () => {
  it.each(["docusaurus start", "docusaurus serve --port 3000", "vitepress", "vitepress dev docs", "vitepress preview docs"])("%s is a development server", (s) => expect(isDevServerScript(s)).toBe(true));

  it("Docusaurus (start = docusaurus start, a dev server on localhost) serves build/, or the build's --out-dir", async () => {
    const docs = { scripts: { docusaurus: "docusaurus", start: "docusaurus start", build: "docusaurus build", serve: "docusaurus serve" }, dependencies: { "@docusaurus/core": "3.7.0", "@docusaurus/preset-classic": "3.7.0", react: "19" } };
    const p = await plan({ "package.json": pkg(docs), "package-lock.json": "{}", "docusaurus.config.ts": "export default {};\n" });
    expect([p.result.framework, p.runtime.cmd, servedDir(p)]).toEqual(["docusaurus", STATIC, "build"]);
    expect(shells(p)).toContain("npm run build && { [ -d build ]");
    const out = await plan({ "package.json": pkg({ ...docs, scripts: { ...docs.scripts, build: "docusaurus build --out-dir site" } }), "package-lock.json": "{}" });
    expect(servedDir(out)).toBe("site");
  });

  it("VitePress (vitepress init: docs:build, no build script) builds through its script and serves <dir>/.vitepress/dist", async () => {
    const p = await plan({ "package.json": pkg({ type: "module", devDependencies: { vitepress: "^1.6.3" }, scripts: { "docs:dev": "vitepress dev docs", "docs:build": "vitepress build docs", "docs:preview": "vitepress preview docs" } }), "package-lock.json": "{}" });
    expect([p.result.framework, p.runtime.cmd, servedDir(p)]).toEqual(["vitepress", STATIC, "docs/.vitepress/dist"]);
    expect(shells(p)).toContain("npm run docs:build && { [ -d docs/.vitepress/dist ]");
    const root = await plan({ "package.json": pkg({ devDependencies: { vitepress: "1" }, scripts: { build: "vitepress build", dev: "vitepress" } }), "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" });
    expect([servedDir(root), shells(root)]).toEqual([".vitepress/dist", expect.stringContaining("pnpm run build && { [ -d .vitepress/dist ]")]);
  });

  const rr = { type: "module", scripts: { build: "react-router build", dev: "react-router dev", start: "react-router-serve ./build/server/index.js" }, dependencies: { "@react-router/node": "7", "@react-router/serve": "7", isbot: "5", react: "19", "react-dom": "19", "react-router": "7" }, devDependencies: { "@react-router/dev": "7", vite: "6" } };
  it("React Router 7 (framework mode) runs its start script, and says it is react-router", async () => {
    const p = await plan({ "package.json": pkg(rr), "package-lock.json": "{}", "react-router.config.ts": "export default {\n  // Server-side render by default, to enable SPA mode set this to `false`\n  ssr: true,\n} satisfies Config;\n" });
    expect([p.result.framework, p.runtime.cmd]).toEqual(["react-router", ["npm", "start"]]);
  });

  it("React Router 7 SPA mode (ssr: false) writes no server build: build/client is served, not react-router-serve", async () => {
    const p = await plan({ "package.json": pkg(rr), "package-lock.json": "{}", "react-router.config.ts": "import type { Config } from '@react-router/dev/config';\nexport default {\n  ssr: false,\n} satisfies Config;\n" });
    expect([p.result.framework, p.runtime.cmd, servedDir(p)]).toEqual(["react-router", STATIC, "build/client"]);
  });

  it("Remix (Vite) without a start script runs remix-serve on the server build", async () => {
    const p = await plan({ "package.json": pkg({ type: "module", scripts: { build: "remix vite:build", dev: "remix vite:dev" }, dependencies: { "@remix-run/node": "2", "@remix-run/react": "2", "@remix-run/serve": "2" }, devDependencies: { "@remix-run/dev": "2", vite: "5" } }), "package-lock.json": "{}", "vite.config.ts": "import { vitePlugin as remix } from '@remix-run/dev';\nexport default defineConfig({ plugins: [remix()] });\n" });
    expect([p.result.framework, p.runtime.cmd]).toEqual(["remix", ["node_modules/.bin/remix-serve", "build/server/index.js"]]);
  });

  it("Qwik City with a Node.js adapter (qwik add express / node-server) runs its serve entry; with the static adapter dist/ is served", async () => {
    const qwik = (adapter: string, serve?: string) => pkg({ type: "module", scripts: { build: "qwik build", "build.client": "vite build", "build.server": `vite build -c adapters/${adapter}/vite.config.ts`, dev: "vite --mode ssr", start: "vite --open --mode ssr", ...(serve ? { serve } : {}), qwik: "qwik" }, devDependencies: { "@builder.io/qwik": "1.13", "@builder.io/qwik-city": "1.13", vite: "5" } });
    const express = await plan({ "package.json": qwik("express", "node server/entry.express"), "package-lock.json": "{}" });
    expect([express.result.framework, express.runtime.cmd]).toEqual(["qwik", ["node", "server/entry.express"]]);
    const st = await plan({ "package.json": qwik("static"), "package-lock.json": "{}" });
    expect([st.result.framework, st.runtime.cmd, servedDir(st)]).toEqual(["qwik", STATIC, "dist"]);
  });

  it("Medusa v2: medusa build writes a standalone .medusa/server, which is what starts (the root's medusa start needs the TypeScript loaders pruned with dev dependencies)", async () => {
    const medusa = { scripts: { build: "medusa build", seed: "medusa exec ./src/scripts/seed.ts", start: "medusa start", dev: "medusa develop" }, dependencies: { "@medusajs/framework": "2.7.1", "@medusajs/medusa": "2.7.1", "@medusajs/cli": "2.7.1" }, devDependencies: { "@swc/core": "1.5.7", "ts-node": "10", typescript: "5" } };
    const p = await plan({ "package.json": pkg(medusa), "yarn.lock": "# yarn lockfile v1\n" });
    expect([p.result.framework, p.result.runCommand]).toEqual(["medusa", "cd .medusa/server && exec medusa start"]);
    expect(p.runtime.env).toContainEqual(["PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/app/node_modules/.bin"]);
    expect(shells(p)).toContain("yarn run build && yarn install --production");
  });

  it("Vue CLI's outputDir (vue.config.js) is served", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { serve: "vue-cli-service serve", build: "vue-cli-service build" }, devDependencies: { "@vue/cli-service": "5" } }), "package-lock.json": "{}", "vue.config.js": "const { defineConfig } = require('@vue/cli-service')\nmodule.exports = defineConfig({ transpileDependencies: true, outputDir: 'public_html' })\n" });
    expect([p.result.framework, servedDir(p)]).toEqual(["vue-cli", "public_html"]);
  });
});

describe("Nx workspaces", () => {
  it("without a build script, nx builds every project's build target", async () => {
    const p = await plan({ "package.json": pkg({ scripts: {}, devDependencies: { nx: "20" } }), "nx.json": "{}", "package-lock.json": "{}" });
    expect(shells(p)).toContain("NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many --target=build");
  });
  it("an Nx workspace's own build script wins", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { build: "nx build api" }, devDependencies: { nx: "20" } }), "nx.json": "{}", "package-lock.json": "{}" });
    expect(shells(p)).toContain("npm run build");
    expect(shells(p)).not.toContain("run-many");
  });
});

describe("every file the new rules read is declared (the gateway loads only declared files)", () => {
  it.each([
    ["angular", { "package.json": pkg({ scripts: { build: "ng build", start: "ng serve" }, dependencies: { "@angular/core": "19" } }), "angular.json": "{}" }],
    ["sveltekit", { "package.json": pkg({ scripts: { build: "vite build" }, devDependencies: { "@sveltejs/kit": "2" } }), "svelte.config.js": "" }],
    ["astro", { "package.json": pkg({ scripts: { build: "astro build" }, dependencies: { astro: "5" } }), "astro.config.mjs": "" }],
    ["vite", { "package.json": pkg({ scripts: { build: "vite build" }, devDependencies: { vite: "6" } }), "vite.config.ts": "" }],
    ["react-router", { "package.json": pkg({ scripts: { build: "react-router build" }, devDependencies: { "@react-router/dev": "7" } }), "react-router.config.ts": "" }],
    ["vue-cli", { "package.json": pkg({ scripts: { build: "vue-cli-service build" }, devDependencies: { "@vue/cli-service": "5" } }), "vue.config.js": "" }],
    ["staticfile + mise + nx", { Staticfile: "root: .\n", "mise.toml": "[tools]\n", ".tool-versions": "", "nx.json": "{}", "package.json": pkg({ devDependencies: { nx: "20" } }) }],
    ["bun + node", { "package.json": pkg({ scripts: { start: "node server.js" }, dependencies: { next: "15" } }), "bun.lock": "{}", ".nvmrc": "22\n", "next.config.ts": "" }],
    ["node + bun", { "package.json": pkg({ scripts: { start: "bun server.ts" } }), "package-lock.json": "{}", ".bun-version": "1.2.23\n", Procfile: "web: bun server.ts\n" }],
  ] as [string, Record<string, string>][])("%s", async (_n, files) => {
    const { RecordingContext } = await import("../../src/context/recording.js");
    const { detectionReads } = await import("../../src/detect/registry.js");
    const declared = detectionReads();
    const { isDeclaredRead } = await import("../../src/detect/follow-up.js");
    const rec = new RecordingContext(new MemoryContext(files));
    await buildPlan(rec, {});
    expect([...rec.paths].filter((p) => !isDeclaredRead(p, declared))).toEqual([]);
  });
});

describe("a dev-server start script is the last resort", () => {
  it("Next.js with start = next dev runs next start", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { build: "next build", start: "next dev" }, dependencies: { next: "15" } }), "package-lock.json": "{}" });
    expect(p.runtime.cmd).toEqual(["node", "node_modules/next/dist/bin/next", "start"]);
  });
  it("nothing better: the dev server runs, with a warning", async () => {
    const p = await plan({ "package.json": pkg({ scripts: { start: "webpack serve" }, devDependencies: { webpack: "5" } }), "package-lock.json": "{}" });
    expect(p.runtime.cmd).toEqual(["npm", "start"]);
    expect(p.warnings.join("\n")).toContain("runs a development server");
  });
});

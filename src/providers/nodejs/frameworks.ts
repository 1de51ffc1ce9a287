// What a web framework's production build is, read from the framework's own
// config and dependencies (never from file names alone): a folder of static
// files to serve, or a server entry the build writes. Each rule follows the
// framework's deployment docs:
//   Next.js `output: 'export'` → out/ (static)
//   Angular (angular.json) → <outputPath>/browser (application builder) or
//     <outputPath> (browser builder); with SSR, node <outputPath>/server/server.mjs
//   SvelteKit adapter-node → node build (or the adapter's `out`); adapter-static →
//     build (or `pages`); adapter-auto writes no server here → vite preview
//   Nuxt, TanStack Start, SolidStart, Analog (Nitro) → node .output/server/index.mjs;
//     `nuxt generate` → .output/public
//   Astro: @astrojs/node → node dist/server/entry.mjs with HOST; otherwise outDir
//   Expo (web) → `expo export --platform web` into dist/
//   React Router 7 (framework mode) → its start script (react-router-serve);
//     `ssr: false` in react-router.config (SPA mode) writes no server: build/client
//   Remix (Vite) → remix-serve build/server/index.js; `ssr: false` → build/client
//   Medusa v2 → the standalone build in .medusa/server (`medusa start` there)
//   Qwik City: a Node.js adapter's `serve` script (node server/entry.express); the static adapter → dist/
//   Docusaurus → build/ (or the build's --out-dir); VitePress → <dir>/.vitepress/dist,
//     built by the script that runs `vitepress build <dir>` (docs:build)
//   Vite and the other SPA tools → build.outDir (or the tool's default folder)
// A start script that only runs a development server (`ng serve`, `vite`,
// `next dev`, `expo start`, ...) is not a production start command.
import { readJsonc } from "../../context/jsonc.js";
import type { BuildContext } from "../../context/fs.js";
import type { PackageJson } from "./package-json.js";
import { cleanDir, importsPackage, readJsConfig, stringSetting } from "./js-config.js";
import { hasExportOutput, NEXT_CONFIG_FILES } from "./nextjs.js";

const exts = (base: string, list = ["js", "mjs", "cjs", "ts", "mts", "cts"]) => list.map((e) => `${base}.${e}`);
export const VITE_CONFIGS = exts("vite.config");
export const ASTRO_CONFIGS = exts("astro.config");
export const SVELTE_CONFIGS = exts("svelte.config");
export const REACT_ROUTER_CONFIGS = exts("react-router.config");
/** Vue CLI reads vue.config.js, .cjs and (5.x) .mjs. */
export const VUE_CONFIGS = exts("vue.config", ["js", "cjs", "mjs"]);
/** Config files the framework rules read (the provider's `reads`). */
export const FRAMEWORK_FILES = ["angular.json", ...VITE_CONFIGS, ...ASTRO_CONFIGS, ...SVELTE_CONFIGS, ...REACT_ROUTER_CONFIGS, ...VUE_CONFIGS];

export interface WebApp {
  framework: string;
  /** Static output folder (relative to the app), served by migetpacks' own server. */
  staticDir?: string;
  /** The framework's production server, used when the app has no production start script. */
  server?: string;
  /** Build command when package.json has no build script. */
  build?: string;
  /** The app's own script that builds (VitePress's docs:build), run through its package manager when there is no build script. */
  buildScript?: string;
  /** Start scripts that cannot serve the build (`next start` on an export, react-router-serve in SPA mode, Medusa's root `medusa start`). */
  unusableStart?: RegExp;
  /** The server is a dev-dependency tool (vite preview): dev dependencies stay. */
  keepDev?: boolean;
  warning?: string;
}

/** Start scripts that run a development server. */
const DEV_SERVERS = [
  /^ng\s+serve\b/,
  /^vite(?:\s+(?:dev|serve|preview)\b|\s+-|\s*$)/,
  /^(?:next|nuxt|nuxi|astro|remix|react-router|vinxi|svelte-kit)\s+dev\b/,
  /^expo\s+start\b/,
  /^react-scripts\s+start\b/,
  /^vue-cli-service\s+serve\b/,
  /^gatsby\s+develop\b/,
  /^webpack(?:-dev-server\b|\s+serve\b)/,
  /^parcel(?!\s+build)\b/,
  // `docusaurus serve` serves the build, but on localhost:3000 unless told otherwise: a preview, like `vite preview`.
  /^docusaurus\s+(?:start|serve)\b/,
  /^vitepress(?!\s+build\b)(?:\s|$)/,
];

/** Whether a script runs a development server (env assignments, cross-env and npx skipped). */
export function isDevServerScript(script: string | undefined): boolean {
  if (!script) return false;
  const cmd = script.trim().replace(/^(?:(?:cross-env|npx|pnpm\s+exec|yarn|bunx)\s+|[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*/g, "");
  return DEV_SERVERS.some((re) => re.test(cmd));
}

const has = (pkg: PackageJson, dep: string) => pkg.dependencies?.[dep] !== undefined || pkg.devDependencies?.[dep] !== undefined;

/** Frameworks whose build writes a Nitro server (.output/server/index.mjs). */
const NITRO = ["nuxt", "nuxt3", "@tanstack/react-start", "@tanstack/solid-start", "@solidjs/start", "@analogjs/platform", "nitropack", "nitro"];

export async function detectWebApp(ctx: BuildContext, pkg: PackageJson): Promise<WebApp | undefined> {
  if (has(pkg, "next")) return nextApp(ctx);
  if (has(pkg, "@angular/core")) return angularApp(ctx, pkg);
  if (has(pkg, "@sveltejs/kit")) return svelteKitApp(ctx, pkg);
  const nitro = NITRO.find((d) => has(pkg, d));
  if (nitro) return nitroApp(pkg, nitro);
  if (has(pkg, "astro")) return astroApp(ctx, pkg);
  if (has(pkg, "expo") && (has(pkg, "react-native-web") || has(pkg, "react-dom"))) {
    return { framework: "expo", staticDir: "dist", build: "npx expo export --platform web" };
  }
  if (has(pkg, "@react-router/dev")) return reactRouterApp(ctx, pkg);
  if (has(pkg, "@remix-run/dev")) return remixApp(ctx, pkg);
  // Medusa v2: `medusa build` writes a standalone server to .medusa/server (compiled config, admin in
  // public/admin), which Medusa's docs start from; the root's own `medusa start` loads the TypeScript sources
  // with loaders that are dev dependencies. The root's node_modules resolve from there.
  if (has(pkg, "@medusajs/medusa") && /\bmedusa\s+build\b/.test(pkg.scripts?.build ?? "")) {
    return { framework: "medusa", server: "cd .medusa/server && exec medusa start", unusableStart: /^\s*medusa\s+start\b/ };
  }
  if (has(pkg, "@docusaurus/core")) return docusaurusApp(pkg);
  // NestJS: its start script or start:prod (see dev-start.ts); named here for the result.
  if (has(pkg, "@nestjs/core")) return { framework: "nestjs" };
  if (has(pkg, "@builder.io/qwik-city") || has(pkg, "@qwik.dev/router")) {
    const qwik = qwikApp(pkg);
    if (qwik) return qwik;
  }
  if (has(pkg, "vitepress")) return vitepressApp(pkg);
  return undefined;
}

/** `ssr: false` in live code (SPA mode of React Router 7 and Remix). */
const SSR_OFF = /(?:^|[^\w$.])['"]?ssr['"]?\s*:\s*false\b/m;

async function reactRouterApp(ctx: BuildContext, pkg: PackageJson): Promise<WebApp> {
  const cfg = await readJsConfig(ctx, REACT_ROUTER_CONFIGS);
  // SPA mode prerenders build/client/index.html and removes the server build, which react-router-serve would load.
  if (cfg && SSR_OFF.test(cfg.code)) return { framework: "react-router", staticDir: "build/client", unusableStart: /\breact-router-serve\b/ };
  return { framework: "react-router", server: has(pkg, "@react-router/serve") ? "node_modules/.bin/react-router-serve build/server/index.js" : undefined };
}

async function remixApp(ctx: BuildContext, pkg: PackageJson): Promise<WebApp> {
  const vite = await readJsConfig(ctx, VITE_CONFIGS);
  const onVite = vite !== undefined && importsPackage(vite.code, "@remix-run/dev");
  if (onVite && SSR_OFF.test(vite.code)) return { framework: "remix", staticDir: "build/client", unusableStart: /\bremix-serve\b/ };
  // The Vite plugin writes build/server/index.js; the classic compiler build/index.js.
  return { framework: "remix", server: has(pkg, "@remix-run/serve") ? `node_modules/.bin/remix-serve ${onVite ? "build/server/index.js" : "build/index.js"}` : undefined };
}

/**
 * Qwik City's server adapters (`qwik add express`, `node-server`, `fastify`) add a `serve` script that
 * runs the entry `qwik build` writes (node server/entry.express); the static adapter writes the site to dist/.
 */
function qwikApp(pkg: PackageJson): WebApp | undefined {
  const serve = pkg.scripts?.serve?.trim();
  // Qwik apps keep everything in devDependencies (the client is bundled); the server build may still import
  // them (express, the adapter's runtime), so they stay, as for vite preview.
  if (serve && /^node\s+server\/entry\.[\w-]+(?:\.m?js)?$/.test(serve)) return { framework: "qwik", server: serve, keepDev: true };
  if (/adapters\/static\//.test(pkg.scripts?.["build.server"] ?? "")) return { framework: "qwik", staticDir: "dist" };
  return undefined;
}

function docusaurusApp(pkg: PackageJson): WebApp {
  const out = /\bdocusaurus\s+build\b.*?\s--out-dir[\s=]+([^\s;&|]+)/.exec(pkg.scripts?.build ?? "")?.[1];
  return { framework: "docusaurus", staticDir: (out && cleanDir(out)) ?? "build" };
}

/** VitePress writes <srcDir>/.vitepress/dist; the scripts of `vitepress init` are docs:dev, docs:build, docs:preview. */
function vitepressApp(pkg: PackageJson): WebApp | undefined {
  const scripts = pkg.scripts ?? {};
  const name = ["build", ...Object.keys(scripts)].find((n) => /\bvitepress\s+build\b/.test(scripts[n] ?? ""));
  if (!name) return undefined;
  const dir = /\bvitepress\s+build(?:\s+([^\s;&|-][^\s;&|]*))?/.exec(scripts[name]!)?.[1];
  const src = dir === undefined ? "" : cleanDir(dir);
  if (src === undefined) return undefined;
  return { framework: "vitepress", staticDir: src ? `${src}/.vitepress/dist` : ".vitepress/dist", buildScript: name === "build" ? undefined : name };
}

async function nextApp(ctx: BuildContext): Promise<WebApp | undefined> {
  const cfg = await readJsConfig(ctx, NEXT_CONFIG_FILES);
  // `next build` writes a static export to out/ (whatever distDir says); `next start` cannot serve it.
  return cfg && hasExportOutput(cfg.code) ? { framework: "nextjs", staticDir: "out", unusableStart: /^\s*next\s+start\b/ } : undefined;
}

interface AngularTarget {
  builder?: string;
  options?: { outputPath?: string | { base?: string; browser?: string }; ssr?: unknown; server?: unknown; prerender?: unknown };
}

async function angularApp(ctx: BuildContext, pkg: PackageJson): Promise<WebApp | undefined> {
  const raw = (await readJsonc(ctx, "angular.json")) as { defaultProject?: string; projects?: Record<string, { projectType?: string; architect?: { build?: AngularTarget }; targets?: { build?: AngularTarget } }> } | undefined;
  if (!raw?.projects) return undefined;
  const names = Object.keys(raw.projects);
  const name = raw.defaultProject && raw.projects[raw.defaultProject] ? raw.defaultProject : (names.find((n) => raw.projects![n]!.projectType !== "library") ?? names[0]);
  if (!name) return undefined;
  const build = raw.projects[name]!.architect?.build ?? raw.projects[name]!.targets?.build;
  const opts = build?.options ?? {};
  const out = opts.outputPath;
  const base = cleanDir(typeof out === "string" ? out : (out?.base ?? `dist/${name}`)) ?? `dist/${name}`;
  // The application builder (Angular 17+) writes browser/ and server/ below outputPath; the older browser builder writes the site itself.
  const application = !build?.builder || /:application$/.test(build.builder);
  const browser = application ? `${base}/${(typeof out === "object" && out.browser !== undefined ? out.browser : "browser") || ""}`.replace(/\/$/, "") : base;
  const ssr = application && opts.ssr !== undefined && opts.ssr !== false && has(pkg, "@angular/ssr");
  if (ssr) return { framework: "angular", server: `node ${base}/server/server.mjs` };
  return { framework: "angular", staticDir: browser };
}

async function svelteKitApp(ctx: BuildContext, pkg: PackageJson): Promise<WebApp> {
  const cfg = await readJsConfig(ctx, SVELTE_CONFIGS);
  const uses = (adapter: string) => (cfg ? importsPackage(cfg.code, adapter) : has(pkg, adapter));
  if (uses("@sveltejs/adapter-node")) {
    const out = (cfg && cleanDir(stringSetting(cfg.code, "out") ?? "")) ?? "build";
    return { framework: "sveltekit", server: `node ${out}` };
  }
  if (uses("@sveltejs/adapter-static")) {
    const pages = (cfg && cleanDir(stringSetting(cfg.code, "pages") ?? "")) ?? "build";
    return { framework: "sveltekit-static", staticDir: pages };
  }
  // adapter-auto finds no supported platform in a container and writes no server: SvelteKit's preview server serves the build.
  return {
    framework: "sveltekit",
    server: 'node_modules/.bin/vite preview --host 0.0.0.0 --port "$PORT"',
    keepDev: true,
    warning: 'SvelteKit with adapter-auto builds no server for a container; the image runs "vite preview". For production, use @sveltejs/adapter-node (npm i -D @sveltejs/adapter-node, then import it in svelte.config.js).',
  };
}

function nitroApp(pkg: PackageJson, dep: string): WebApp {
  const framework = dep.startsWith("nuxt") ? "nuxt" : dep.startsWith("@tanstack/") ? "tanstack-start" : dep === "@solidjs/start" ? "solid-start" : dep === "@analogjs/platform" ? "analog" : "nitro";
  // `nuxt generate` prerenders every page into .output/public: a static site.
  if (/\b(?:nuxt|nuxi)\s+generate\b/.test(pkg.scripts?.build ?? "")) return { framework, staticDir: ".output/public" };
  return { framework, server: "node .output/server/index.mjs" };
}

async function astroApp(ctx: BuildContext, pkg: PackageJson): Promise<WebApp> {
  const cfg = await readJsConfig(ctx, ASTRO_CONFIGS);
  const outDir = (cfg && cleanDir(stringSetting(cfg.code, "outDir") ?? "")) ?? "dist";
  const node = cfg ? importsPackage(cfg.code, "@astrojs/node") : has(pkg, "@astrojs/node");
  // The node adapter listens on localhost unless HOST says otherwise: the runtime sets HOST for every Node.js server.
  if (node) return { framework: "astro", server: `node ${outDir}/server/entry.mjs` };
  return { framework: "astro", staticDir: outDir };
}

/** Vue CLI's `outputDir`, when vue.config sets it to a literal folder. */
export async function vueCliOutDir(ctx: BuildContext): Promise<string | undefined> {
  const cfg = await readJsConfig(ctx, VUE_CONFIGS);
  return cfg ? cleanDir(stringSetting(cfg.code, "outputDir") ?? "") : undefined;
}

/** Vite's `build.outDir`, when vite.config sets it to a literal folder. */
export async function viteOutDir(ctx: BuildContext): Promise<string | undefined> {
  const cfg = await readJsConfig(ctx, VITE_CONFIGS);
  return cfg ? cleanDir(stringSetting(cfg.code, "outDir") ?? "") : undefined;
}

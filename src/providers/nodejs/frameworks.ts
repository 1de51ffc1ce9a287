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
/** Config files the framework rules read (the provider's `reads`). */
export const FRAMEWORK_FILES = ["angular.json", ...VITE_CONFIGS, ...ASTRO_CONFIGS, ...SVELTE_CONFIGS];

export interface WebApp {
  framework: string;
  /** Static output folder (relative to the app), served by migetpacks' own server. */
  staticDir?: string;
  /** The framework's production server, used when the app has no production start script. */
  server?: string;
  /** Build command when package.json has no build script. */
  build?: string;
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
  return undefined;
}

async function nextApp(ctx: BuildContext): Promise<WebApp | undefined> {
  const cfg = await readJsConfig(ctx, NEXT_CONFIG_FILES);
  // `next build` writes a static export to out/ (whatever distDir says); `next start` cannot serve it.
  return cfg && hasExportOutput(cfg.code) ? { framework: "nextjs", staticDir: "out" } : undefined;
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

/** Vite's `build.outDir`, when vite.config sets it to a literal folder. */
export async function viteOutDir(ctx: BuildContext): Promise<string | undefined> {
  const cfg = await readJsConfig(ctx, VITE_CONFIGS);
  return cfg ? cleanDir(stringSetting(cfg.code, "outDir") ?? "") : undefined;
}

// Single-page apps and static sites (Vite, Create React App, Vue CLI, Parcel,
// Astro, Gatsby, SvelteKit's static adapter): a build script, no server. Their
// build output is served by a small dependency-free server that migetpacks
// writes into the image — so the runtime needs only node, works on a
// shell-less (DHI) image, and client-side routes fall back to index.html.
import type { PackageJson } from "./package-json.js";

/** Build tool (a dependency) → the folder its default build writes. Most specific first: frameworks built on Vite list vite too. */
// (Frameworks with their own output settings — Next.js, Angular, SvelteKit, Astro, Nuxt, Expo — are in frameworks.ts.)
const TOOLS: [dep: string, name: string, outDir: string][] = [
  ["gatsby", "gatsby", "public"],
  ["react-scripts", "create-react-app", "build"],
  ["@vue/cli-service", "vue-cli", "dist"],
  ["parcel", "parcel", "dist"],
  ["vite", "vite", "dist"],
];

export interface StaticSite {
  framework: string;
  /** Folder served ("" = the whole app, for a Staticfile without root). */
  outDir: string;
  /** Client-side routes fall back to index.html (default); a Staticfile can turn it off. */
  fallback?: boolean;
}

/** The server's argv: the folder it serves, and whether unknown routes answer index.html. */
export function staticServerCommand(site: StaticSite): string {
  return `node ${STATIC_SERVER_PATH} /app${site.fallback === false ? " --no-fallback" : ""}`;
}

export const STATIC_SERVER_PATH = "/opt/migetpacks/serve-static.cjs";

export interface StaticSiteHints {
  hasServerEntry: boolean;
  /** The start script only runs a development server (`vite`, `ng serve`): not a production start. */
  devStart: boolean;
  /** The build tool's configured output folder (Vite `build.outDir`). */
  outDir?: string;
  /** Vue CLI's `outputDir` (vue.config.js). */
  vueCliOutDir?: string;
}

/** A static site: a known SPA/static build tool, a build script, and nothing that would run a server. */
export function detectStaticSite(pkg: PackageJson, hints: StaticSiteHints): StaticSite | undefined {
  const scripts = pkg.scripts ?? {};
  if ((scripts.start && !hints.devStart) || pkg.main || hints.hasServerEntry || (!scripts.build && !scripts["heroku-postbuild"])) return undefined;
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const hit = TOOLS.find(([dep]) => deps[dep] !== undefined);
  if (!hit) return undefined;
  // vite.config's build.outDir moves a plain Vite build (frameworks on Vite have their own settings); vue.config's outputDir a Vue CLI one.
  const configured = hit[1] === "vite" ? hints.outDir : hit[1] === "vue-cli" ? hints.vueCliOutDir : undefined;
  return { framework: hit[1], outDir: configured ?? hit[2] };
}

/**
 * The server: GET/HEAD only, paths confined to the site root, content types
 * for web assets, long caching for fingerprinted assets, index.html for
 * client-side routes (paths without an extension), listening on PORT on all
 * interfaces (IPv4 and IPv6).
 */
export const STATIC_SERVER_JS = `"use strict";
// Written by migetpacks: serves a static build; no dependencies.
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");
const root = path.resolve(process.argv[2] || "/app");
const fallback = process.argv[3] !== "--no-fallback";
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json", ".map": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon", ".txt": "text/plain; charset=utf-8", ".xml": "application/xml", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".wasm": "application/wasm", ".webmanifest": "application/manifest+json" };
function file(p) { try { return fs.statSync(p).isFile() ? p : null; } catch { return null; } }
function resolve(urlPath) {
  let rel;
  try { rel = decodeURIComponent(urlPath.split("?")[0]); } catch { return null; }
  const full = path.resolve(root, "." + path.posix.normalize("/" + rel));
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  return file(full) || file(path.join(full, "index.html")) || file(full + ".html") || (path.extname(full) || !fallback ? null : file(path.join(root, "index.html")));
}
http.createServer((req, res) => {
  if (req.method !== "GET" && req.method !== "HEAD") { res.writeHead(405, { Allow: "GET, HEAD" }); return res.end(); }
  const p = resolve(req.url || "/");
  if (!p) { res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }); return res.end("Not found\\n"); }
  const immutable = /[.-][0-9a-zA-Z_-]{8,}\\.(js|css|mjs|woff2?|png|jpe?g|svg|webp|avif)$/.test(p);
  res.writeHead(200, { "Content-Type": types[path.extname(p).toLowerCase()] || "application/octet-stream", "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache" });
  if (req.method === "HEAD") return res.end();
  fs.createReadStream(p).pipe(res);
}).listen(Number(process.env.PORT) || 5000, () => console.log("serving " + root + " on port " + (process.env.PORT || 5000)));
`;

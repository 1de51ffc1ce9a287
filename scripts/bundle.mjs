// Bundles the CLI and the frontend into single CommonJS files: no module
// resolution over node_modules at start-up, no .proto parsing (descriptor is inlined).
import { build } from "esbuild";
import { chmodSync } from "node:fs";

/**
 * zod's namespace export (`z`) carries every message locale (about 300 KB of the
 * 1.1 MB bundle), and a namespace import keeps them all: the frontend's V8 snapshot
 * then holds and deserializes them on every build. Only English is ever used
 * (zod configures it itself), so the locale index resolves to English alone.
 */
const englishOnlyZod = {
  name: "zod-english-only",
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export { default as en } from "./en.js";', loader: "js", resolveDir: undefined }));
  },
};

const common = { bundle: true, platform: "node", target: "node20", format: "cjs", minify: true, sourcemap: false, legalComments: "none", logLevel: "warning", plugins: [englishOnlyZod] };
await build({ ...common, entryPoints: ["src/cli/bin.ts"], outfile: "dist/cli.cjs", banner: { js: "#!/usr/bin/env node" } });
chmodSync("dist/cli.cjs", 0o755);
await build({ ...common, entryPoints: ["frontend/main.ts"], outfile: "dist/frontend.cjs" }).catch((e) => {
  if (!String(e).includes("frontend/main.ts")) throw e;
});

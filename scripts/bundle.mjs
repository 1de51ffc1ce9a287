// Bundles the CLI and the frontend into single CommonJS files: no module
// resolution over node_modules at start-up, no .proto parsing (descriptor is inlined).
import { build } from "esbuild";
import { chmodSync } from "node:fs";

const common = { bundle: true, platform: "node", target: "node20", format: "cjs", minify: true, sourcemap: false, legalComments: "none", logLevel: "warning" };
await build({ ...common, entryPoints: ["src/cli/bin.ts"], outfile: "dist/cli.cjs", banner: { js: "#!/usr/bin/env node" } });
chmodSync("dist/cli.cjs", 0o755);
await build({ ...common, entryPoints: ["frontend/main.ts"], outfile: "dist/frontend.cjs" }).catch((e) => {
  if (!String(e).includes("frontend/main.ts")) throw e;
});

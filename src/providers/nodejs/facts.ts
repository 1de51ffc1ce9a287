// What the Node.js provider learns about an app. Its own file so that
// assets-stage.ts can name it without importing index.ts (which imports
// assets-stage.ts): no import cycle, not even a type-only one.
import type { PackageJson } from "./package-json.js";
import type { PackageManager } from "./package-manager.js";
import type { NextFacts } from "./nextjs.js";
import type { StaticSite } from "./static-site.js";
import type { WebApp } from "./frameworks.js";
import type { StartBuild } from "./start-build.js";

export interface NodeFacts {
  pkg: PackageJson;
  /** False for a Staticfile site without package.json: nothing to install or build. */
  hasManifest: boolean;
  pm: PackageManager;
  version: { version: string; source: string };
  /** Manifest, lockfile and package-manager config present in the app, copied before install. */
  installFiles: string[];
  /** Workspace globs (package.json `workspaces` or pnpm-workspace.yaml `packages`), if a monorepo root. */
  workspaces?: string[];
  /** .yarnrc.yml `yarnPath`: the committed Yarn release the install runs. */
  yarnPath?: string;
  next?: NextFacts;
  entryFiles: { server: boolean; index: boolean };
  /** A static site (SPA build, no server), served by migetpacks' own small server. */
  staticSite?: StaticSite;
  /** An Nx workspace (nx.json and the nx package): without a build script, every project's build target runs. */
  nx?: boolean;
  /** A Turborepo turbo can run (turbo.json, the turbo package, and the packageManager field turbo 2 requires): members build with it. */
  turbo?: boolean;
  /** Bun, when the app's scripts call it (installed next to Node.js at the version the app asks for). */
  bun?: { version: string; source: string };
  /** The web framework, from its config and dependencies; `server` only when the app has no production start script of its own. */
  web?: WebApp;
  /** The start script compiles before it serves (`npm run build:ts && fastify start dist/app.js`): the build compiles, the image serves. */
  startBuild?: StartBuild;
}

// Source files that dependencies' install scripts read, so they go into the
// install layer with the manifests. Prisma's client package generates the
// client in its postinstall (`prisma generate`) from the schema: without
// the schema in the layer nothing is generated and the build's `tsc` fails
// on a missing client. The schema locations are Prisma's documented ones.
import type { PackageJson } from "./package-json.js";

const PRISMA_PACKAGES = ["prisma", "@prisma/client"];
const PRISMA_FILES = ["prisma/**/*.prisma", "schema.prisma", ...["ts", "mts", "cts", "js", "mjs", "cjs"].flatMap((e) => [`prisma.config.${e}`, `.config/prisma.${e}`])];

/** Include patterns (relative to the app) for the install layer. */
export function installInputs(pkg: PackageJson): string[] {
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  if (!PRISMA_PACKAGES.some((p) => deps[p] !== undefined)) return [];
  // package.json "prisma": { "schema": "db/schema.prisma" } (a file, or a folder of .prisma files).
  const custom = (pkg as { prisma?: { schema?: unknown } }).prisma?.schema;
  const extra = typeof custom === "string" && !custom.includes("..") ? [custom.replace(/^\.\//, ""), `${custom.replace(/^\.\//, "").replace(/\/+$/, "")}/**/*.prisma`] : [];
  return [...PRISMA_FILES, ...extra];
}

// Shared libraries that native modules load at run time, as Debian packages for
// the slim runtime (node:<v>-slim and oven/bun:<v>-slim are bookworm-slim, which
// has no libssl, libpq, ...). The builder is the full image, whose -dev packages
// and compilers build the modules; none of that reaches the runtime. Modules that
// bundle their libraries (sharp's libvips, better-sqlite3's SQLite, bcrypt,
// argon2, canvas's prebuilt binaries) need nothing.
import type { PackageJson } from "./package-json.js";

const LIBS: Record<string, string[]> = {
  // Prisma's query and schema engines (library or binary) link OpenSSL, and Prisma picks the engine by
  // probing `openssl version` / libssl: without them it fails at the first query ("libssl.so.3: cannot
  // open shared object file"). Prisma's own Docker guide installs `openssl` on node:*-slim.
  prisma: ["openssl"],
  "@prisma/client": ["openssl"],
  // libpq bindings (pg's native driver).
  "pg-native": ["libpq5"],
  libpq: ["libpq5"],
};

/** Debian packages the app's dependencies need at run time, sorted and unique. */
export function runtimeLibraries(manifests: (Pick<PackageJson, "dependencies" | "devDependencies"> | undefined)[]): string[] {
  const out = new Set<string>();
  for (const m of manifests) {
    for (const dep of Object.keys({ ...m?.dependencies, ...m?.devDependencies })) for (const p of LIBS[dep] ?? []) out.add(p);
  }
  return [...out].sort();
}

// Shared pieces of hardened-runtime specs (see HardenedSpec in provider.ts).
import semver from "semver";

/** The distroless images' `nonroot` user. */
export const NONROOT = "65532:65532";

/** A floor that raises versions older than the oldest hardened release `min`, with a warning. */
export function minimumRelease(name: string, min: string): (version: string) => { version: string; warning?: string } {
  return (version) => {
    const v = semver.coerce(version);
    if (v && semver.lt(v, min)) return { version: min, warning: `${name} ${version} has no hardened image; using ${min}, the oldest hardened release.` };
    return { version };
  };
}

/**
 * Scripts that rely on a shebang (`#!/usr/bin/env node`) cannot start where
 * /usr/bin/env does not exist: `./server.js` runs as `<interpreter> ./server.js`.
 */
export function runScriptsWith(interpreter: string, script: RegExp): (argv: string[]) => string[] {
  return (argv) => (argv[0] !== undefined && script.test(argv[0]) ? [interpreter, ...argv] : argv);
}

// Paths under the context root, cleaned. Every context layer (the ignore view,
// a project folder, the gateway's reads) cleans each path it is given, and
// detection asks for thousands; path.normalize is slow until V8 optimizes it
// (about 6 ms of a Maven app's build, cold, by CPU profile), and nearly every
// path is already clean.
import path from "node:path/posix";

/** A leading or doubled slash, or a `.` or `..` segment: what normalize("/" + p) would change besides a trailing slash. */
const UNCLEAN = /^\/|\/\/|(?:^|\/)\.\.?(?:\/|$)/;

/** `p` as normalize("/" + p) without its leading slash (a trailing slash stays); `..` never climbs above the root. */
export function rootRelative(p: string): string {
  return UNCLEAN.test(p) ? path.normalize("/" + p).slice(1) : p;
}

/** `a/b`, or "" for the root: rootRelative without a trailing slash. */
export function cleanPath(p: string): string {
  const n = rootRelative(p).replace(/\/+$/, "");
  return n === "." ? "" : n;
}

// Bounds on what a context can make the frontend send to BuildKit. Past them
// BuildKit answers with raw gRPC errors ("received message larger than max",
// "header list size … violates the maximum size"); here the user gets one
// sentence naming what is too big. The bounds are far above real apps.
import { UserError } from "./fs.js";

/** Entries of a list file (Procfile processes, go.work `use`, workspace members). */
export const MAX_ENTRIES = 500;
/** One identifier taken from a file (a module path, a process command). */
export const MAX_NAME = 4096;
/** Paths and bytes of the follow-up transfer (sent as gRPC metadata headers). */
export const MAX_FOLLOW_PATHS = 2000;
export const MAX_FOLLOW_BYTES = 128 * 1024;
/** The build result: an image label and exporter metadata. */
export const MAX_RESULT_BYTES = 256 * 1024;

/** Refuses a list of `count` entries from `file` past MAX_ENTRIES. */
export function checkEntries(count: number, what: string, file: string): void {
  if (count > MAX_ENTRIES) throw new UserError(`${file} has ${count} ${what}; migetpacks supports at most ${MAX_ENTRIES}. Split the app or trim ${file}.`, file);
}

/** Refuses a value from `file` longer than MAX_NAME characters. */
export function checkLength(value: string, what: string, file: string): void {
  if (value.length > MAX_NAME) throw new UserError(`${file}: the ${what} is ${value.length} characters long; at most ${MAX_NAME} are supported.`, file);
}

/** Refuses a follow-up read list BuildKit could not carry. */
export function checkFollowPaths(paths: readonly string[], source: string): void {
  const bytes = paths.reduce((n, p) => n + p.length + 1, 0);
  if (paths.length > MAX_FOLLOW_PATHS || bytes > MAX_FOLLOW_BYTES) {
    throw new UserError(`${source} names ${paths.length} paths to read for detection (${Math.ceil(bytes / 1024)} KB); at most ${MAX_FOLLOW_PATHS} paths (${MAX_FOLLOW_BYTES / 1024} KB) fit in one BuildKit transfer. List fewer members.`);
  }
}

/** Refuses a build result too big for an image label, naming its biggest field. */
export function checkResultSize(result: Record<string, unknown>): void {
  const size = Buffer.byteLength(JSON.stringify(result));
  if (size <= MAX_RESULT_BYTES) return;
  const [field] = Object.entries(result)
    .map(([k, v]) => [k, JSON.stringify(v ?? null).length] as const)
    .sort((a, b) => b[1] - a[1])[0] ?? ["?"];
  throw new UserError(`the build result is ${Math.ceil(size / 1024)} KB, more than the ${MAX_RESULT_BYTES / 1024} KB an image label may carry; most of it is "${field}" (from the Procfile, app.json or the manifests). Shorten it.`);
}

// Environment a base image sets in its config. BuildKit does not apply an
// image's Env to RUN steps; the frontend must. The frontend resolves real
// configs; a table of known defaults (the providers' imageEnv, gathered by the
// registry) stands in when no daemon is asked (`migetpacks llb`).
import { normalizeImageRef } from "../llb/image-ref.js";
import { DEFAULT_PATH } from "../kit/image-env.js";

export type ImageEnvTable = Readonly<Record<string, readonly string[]>>;

export function knownImageEnv(ref: string, table: ImageEnvTable = {}): string[] {
  const name = normalizeImageRef(ref).replace(/[:@].*$/, "");
  return [...(table[name] ?? [`PATH=${DEFAULT_PATH}`])];
}

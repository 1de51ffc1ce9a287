// Environment a base image sets in its config. BuildKit does not apply an
// image's Env to RUN steps; the frontend must. The frontend resolves real
// configs; these defaults stand in when no daemon is asked (`migetpacks llb`).
import { normalizeImageRef } from "../llb/image-ref.js";

export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const KNOWN: Record<string, string[]> = {
  "docker.io/library/golang": [`PATH=/go/bin:/usr/local/go/bin:${DEFAULT_PATH}`, "GOPATH=/go"],
  "docker.io/library/node": [`PATH=${DEFAULT_PATH}`],
  "docker.io/library/rust": [`PATH=/usr/local/cargo/bin:${DEFAULT_PATH}`, "CARGO_HOME=/usr/local/cargo", "RUSTUP_HOME=/usr/local/rustup"],
  "docker.io/library/debian": [`PATH=${DEFAULT_PATH}`],
  "docker.io/oven/bun": [`PATH=${DEFAULT_PATH}:/usr/local/bun-node-fallback-bin`, "BUN_RUNTIME_TRANSPILER_CACHE_PATH=0", "BUN_INSTALL_BIN=/usr/local/bin"],
  "docker.io/denoland/deno": [`PATH=${DEFAULT_PATH}`, "DENO_DIR=/deno-dir/", "DENO_INSTALL_ROOT=/usr/local"],
};

export function knownImageEnv(ref: string): string[] {
  const name = normalizeImageRef(ref).replace(/[:@].*$/, "");
  return KNOWN[name] ?? [`PATH=${DEFAULT_PATH}`];
}

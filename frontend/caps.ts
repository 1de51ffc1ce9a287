// LLB caps: every cap our graph lists must be one the daemon enabled, or the
// build fails with a clear sentence instead of BuildKit's "unknown API capability".
import { Code, FrontendError } from "./errors.js";

export interface Caps {
  llb: Set<string>;
  api: Set<string>;
}

export function checkCaps(needed: readonly string[], available: Set<string>): void {
  if (available.size === 0) return; // Daemon predates caps reporting: let it judge.
  const missing = needed.filter((c) => !available.has(c));
  if (missing.length) {
    throw new FrontendError(
      Code.UNIMPLEMENTED,
      `this BuildKit lacks LLB features migetpacks needs (${missing.join(", ")}); upgrade Docker/BuildKit (Docker 26 / BuildKit 0.13 or newer).`,
    );
  }
}

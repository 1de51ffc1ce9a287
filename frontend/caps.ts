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

/**
 * One line for the daemon log saying which BuildKit answered Ping and how many
 * caps it enabled (Docker 26.1.5's BuildKit: 61 of 63 LLB caps enabled; v0.26.3: 79), so an
 * operator (and the e2e test on current BuildKit) can see which API the build used.
 */
export function daemonSummary(caps: Caps, version?: string): string {
  return `buildkit ${version || "?"} (${caps.llb.size} LLB caps, ${caps.api.size} API caps)`;
}

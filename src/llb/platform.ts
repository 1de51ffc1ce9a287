// OCI platforms, normalized the way containerd does, so `linux/x86_64` and
// `linux/amd64` give the same LLB.
import type { pb } from "./pb.js";
import { UserError } from "../context/fs.js";

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const ARCH_ALIASES: Record<string, string> = { x86_64: "amd64", x86: "386", aarch64: "arm64", armhf: "arm", armel: "arm" };

export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase();
  let architecture = p.architecture.toLowerCase();
  architecture = ARCH_ALIASES[architecture] ?? architecture;
  let variant = p.variant?.toLowerCase() || undefined;
  if (architecture === "arm64" && variant === "v8") variant = undefined;
  if (architecture === "arm" && !variant) variant = "v7";
  if (architecture === "amd64" && variant === "v1") variant = undefined;
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** Parses `linux/amd64[/variant]`; throws a user-facing message on bad input. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((x) => !/^[A-Za-z0-9_.-]+$/.test(x))) {
    // A user's input, not a bug: a UserError, so the CLI and the frontend say it in one sentence.
    const shown = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
    throw new UserError(`platform ${shown} is invalid: expected os/arch[/variant], such as linux/amd64 or linux/arm64.`);
  }
  return normalizePlatform({ os: parts[0]!, architecture: parts[1]!, variant: parts[2] });
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join("/");
}

export function toPbPlatform(p: Platform): pb.Platform {
  const out: pb.Platform = { Architecture: p.architecture, OS: p.os };
  if (p.variant) out.Variant = p.variant;
  return out;
}

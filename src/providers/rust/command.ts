// Where the binaries land and which one the web process runs. One binary
// ships as /app/<name>; several ship as /app/bin/<name> and one is chosen:
// RUST_BIN, else `default-run`, else the binary named after its package.
import { UserError } from "../../context/fs.js";

export interface Shipped {
  bins: string[];
  multi: boolean;
}

export interface BinaryOwner {
  name: string;
  file: string;
  bins: string[];
  defaultRun?: string;
}

export interface WebBinary {
  bin: string;
  /** Why this one, for the warning when several were built. */
  reason: string;
}

export function binaryPath(bin: string, shipped: Shipped): string {
  return shipped.multi ? `./bin/${bin}` : `./${bin}`;
}

/** The binary the web process runs when no RUN_COMMAND or Procfile says otherwise. */
export function webBinary(shipped: Shipped, packages: BinaryOwner[], rustBin: string | undefined): WebBinary {
  if (rustBin) {
    if (!shipped.bins.includes(rustBin)) {
      throw new UserError(`build arg RUST_BIN=${JSON.stringify(rustBin)} names no binary of this app; it builds: ${shipped.bins.join(", ")}.`);
    }
    return { bin: rustBin, reason: "RUST_BIN" };
  }
  if (!shipped.multi) return { bin: shipped.bins[0]!, reason: "the only binary" };
  const byDefaultRun = packages.find((p) => p.defaultRun && p.bins.includes(p.defaultRun));
  if (byDefaultRun) return { bin: byDefaultRun.defaultRun!, reason: `default-run in ${byDefaultRun.file}` };
  const own = packages.find((p) => p.bins.includes(p.name));
  if (own) return { bin: own.name, reason: `named after package ${own.name}` };
  return { bin: shipped.bins[0]!, reason: "the first binary" };
}

/**
 * A RUN_COMMAND or Procfile command in terms of what was shipped: cargo's
 * output path (`./target/release/api --port 80`) becomes the shipped one, and a
 * bare binary name (`api`) gets its path (`./api`, `./bin/api`).
 */
export function rewriteCommand(command: string, shipped: Shipped): string {
  const trimmed = command.trim().replace(/(?<![\w/.-])(?:\.\/)?target\/release\/([A-Za-z0-9_-]+)/g, (_m, bin: string) => binaryPath(bin, shipped));
  if (/\s/.test(trimmed) || trimmed.includes("/")) return trimmed;
  return shipped.bins.includes(trimmed) ? binaryPath(trimmed, shipped) : `./${trimmed}`;
}

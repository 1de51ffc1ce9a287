// The second pass of detection reads. The gateway loads only declared paths,
// but some files are named by other files (go.work → api/go.mod, a Cargo
// workspace → crates/*/Cargo.toml). After the first pass over `reads`, the
// chosen provider lists those paths and the gateway loads them in one more
// transfer, unless the first one brought them (isBroughtBy). Local contexts
// (CLI, tests) see every file and skip this.
import type { BuildContext } from "../context/fs.js";
import type { BuildArgs } from "../options/build-args.js";
import { REGISTRY } from "./registry.js";
import { firstMatch, parseLanguage } from "./detect.js";
import { Memo } from "../lib/memo.js";

/** Extra paths (exact, or with `*` inside a component) the provider that will plan this context needs. */
export async function followUpReads(ctx: BuildContext, args: BuildArgs): Promise<string[]> {
  try {
    const forced = args.LANGUAGE?.trim() ? parseLanguage(args.LANGUAGE) : undefined;
    const provider = forced ? REGISTRY.find((p) => p.id === forced) : await firstMatch(ctx);
    if (!provider?.followUp) return [];
    return [...new Set(await provider.followUp(ctx, args))].sort();
  } catch {
    // Detection itself reports bad input (with the file to fix); a second pass never should.
    return [];
  }
}

// Whether reading `path` stays inside what the gateway loaded for `declared`:
// the path itself, a match of a `*` pattern, anything below a declared folder
// (a followed folder comes whole), or the folder whose listing expands a `*`
// (`crates` for `crates/*/Cargo.toml`). A trailing `/` (how RecordingContext
// marks a listing) is ignored.
export function isDeclaredRead(path: string, declared: readonly string[]): boolean {
  return compiled(declared).covers(path, "listed");
}

/**
 * Whether a transfer of `declared` brought `path` whole: the path itself, a
 * match of a `*` pattern, or anything below a declared folder. Not a folder only
 * listed to expand a `*` below it: a follow-up naming that folder wants all of it.
 */
export function isBroughtBy(path: string, declared: readonly string[]): boolean {
  return compiled(declared).covers(path, "whole");
}

/**
 * Whether `path` lies on the way to a declared path or below one: what a local
 * source following `declared` lists or brings (the in-memory LLBBridge's view).
 */
export function isOnDeclaredPath(path: string, declared: readonly string[]): boolean {
  return compiled(declared).covers(path, "on-path");
}

/** A declared path cut into components: a name, or a `*` pattern's expression. */
type Pattern = Array<string | RegExp>;

/** What counts as covered besides the path and what lies below it: the folders listed to expand a `*`, or every folder above. */
type Reach = "whole" | "listed" | "on-path";

/**
 * A declared list, compiled once and indexed by first component: the frontend
 * checks dozens of follow-up paths against the ~300 detection reads, and building
 * each `*` component's expression per check cost a workspace's build 16 ms.
 */
class DeclaredPaths {
  private readonly byFirst = new Map<string, Pattern[]>();
  private readonly wildFirst: Pattern[] = [];

  constructor(declared: readonly string[]) {
    for (const d of declared) {
      const pattern = split(d).map((c) => (c.includes("*") ? new RegExp("^" + c.split("*").map(escapeRegExp).join("[^/]*") + "$") : c));
      const first = pattern[0];
      if (first === undefined || first instanceof RegExp) this.wildFirst.push(pattern);
      else this.byFirst.set(first, [...(this.byFirst.get(first) ?? []), pattern]);
    }
  }

  covers(path: string, reach: Reach): boolean {
    const parts = split(path);
    const candidates = [...(this.byFirst.get(parts[0] ?? "") ?? []), ...this.wildFirst];
    return candidates.some((pattern) => {
      const n = Math.min(parts.length, pattern.length);
      for (let i = 0; i < n; i++) if (!componentMatches(pattern[i]!, parts[i]!)) return false;
      const next = pattern[parts.length];
      return parts.length >= pattern.length || reach === "on-path" || (reach === "listed" && next instanceof RegExp);
    });
  }
}

const compiledLists = new Memo<DeclaredPaths>();

function compiled(declared: readonly string[]): DeclaredPaths {
  return compiledLists.get(declared.join("\n"), () => new DeclaredPaths(declared));
}

function split(p: string): string[] {
  return p.split("/").filter((s) => s !== "" && s !== ".");
}

function componentMatches(pattern: string | RegExp, name: string): boolean {
  return typeof pattern === "string" ? pattern === name : pattern.test(name);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

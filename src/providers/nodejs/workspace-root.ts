// PROJECT_PATH pointing at a member of a JavaScript workspace (npm/Yarn
// `workspaces`, pnpm-workspace.yaml): the member has no lockfile of its own
// and may depend on its siblings, so it cannot be installed alone. The build
// then runs from the workspace root — one install with the root lockfile —
// and the member is what gets built and started.
import path from "node:path/posix";
import { ancestors } from "../../context/subdir.js";
import picomatch from "picomatch";
import { isFile, readJson, readText, type BuildContext } from "../../context/fs.js";
import { pnpmWorkspacePackages } from "./config-files.js";
import { LOCKFILES as NODE_LOCKFILES } from "./package-manager.js";
import { BUN_LOCKFILES } from "../bun/lockfiles.js";

/** A package with one of these installs on its own: it is built alone, not as a member. */
const LOCKFILES = [...Object.keys(NODE_LOCKFILES), ...BUN_LOCKFILES];

export interface JsWorkspace {
  /** Workspace root, relative to the context ("" = the context root). */
  root: string;
  /** The member's folder, relative to the workspace root. */
  member: string;
  /** Who installs it: Bun for a bun.lock at the root (and no npm, pnpm or Yarn lockfile), else Node.js. */
  language: "nodejs" | "bun";
}



export async function findJsWorkspace(root: BuildContext, projectPath: string): Promise<JsWorkspace | undefined> {
  if (!projectPath || !(await isFile(root, `${projectPath}/package.json`))) return undefined;
  for (const f of LOCKFILES) if (await isFile(root, `${projectPath}/${f}`)) return undefined;
  for (const a of ancestors(projectPath)) {
    const at = (f: string) => (a ? `${a}/${f}` : f);
    const patterns = await workspacePatterns(root, at);
    if (!patterns) continue;
    const member = a ? path.relative(a, projectPath) : projectPath;
    if (patterns.some((p) => matches(p, member))) return { root: a, member, language: await rootLanguage(root, at) };
  }
  return undefined;
}

/** A Bun workspace has bun.lock (or bun.lockb) and none of the other package managers' lockfiles. */
async function rootLanguage(ctx: BuildContext, at: (f: string) => string): Promise<JsWorkspace["language"]> {
  for (const f of Object.keys(NODE_LOCKFILES)) if (await isFile(ctx, at(f))) return "nodejs";
  for (const f of BUN_LOCKFILES) if (await isFile(ctx, at(f))) return "bun";
  return "nodejs";
}

async function workspacePatterns(ctx: BuildContext, at: (f: string) => string): Promise<string[] | undefined> {
  const pnpm = await readText(ctx, at("pnpm-workspace.yaml"));
  if (pnpm !== undefined) return pnpmWorkspacePackages(pnpm);
  const pkg = (await readJson(ctx, at("package.json")).catch(() => undefined)) as { workspaces?: unknown } | undefined;
  const ws = pkg?.workspaces;
  const list = Array.isArray(ws) ? ws : (ws as { packages?: unknown } | undefined)?.packages;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : undefined;
}

/**
 * Workspace globs as npm, Yarn and pnpm match them (picomatch, the glob
 * matcher their own tooling builds on): `*` is one folder, `**` any depth,
 * `?` exactly one character; negations never select.
 */
function matches(pattern: string, member: string): boolean {
  if (pattern.startsWith("!")) return false;
  const clean = pattern.replace(/^\.\//, "").replace(/\/+$/, "");
  return picomatch.isMatch(member, clean, { dot: false });
}

// go.work workspaces. go.work names its modules (`use ./api`), so the
// gateway loads each member's go.mod, go.sum and top-level .go files in a
// second pass; the module with `package main` at its root is the app.
import { isFile, readText, UserError, type BuildContext } from "../../context/fs.js";
import { binaryName, packageName, parseGoMod, parseGoWork, type GoMod, type GoWork } from "./gomod.js";

export interface GoMember {
  /** Folder from the context root ("" for the root module). */
  dir: string;
  mod?: GoMod;
  hasGoSum: boolean;
  /** A non-test .go file at the member's root says `package main`. */
  main: boolean;
}

export interface GoWorkspace {
  work: GoWork;
  hasWorkSum: boolean;
  members: GoMember[];
}

/** What a workspace build needs beyond a single module's. */
export interface WorkspaceBuild {
  spec: string[];
  /** Names `go build -o /build/bin/` gives, in spec order. */
  binaries: string[];
  /** go.work, go.work.sum and each member's go.mod/go.sum, at their places. */
  manifests: string[];
  /** Explicit `path@version` downloads, or undefined when nothing comes from outside the workspace. */
  download?: string;
}

/** `use` folders, normalised (`./api/` → `api`, `.` → ""); folders outside the context are refused. */
export function useDirs(work: GoWork): string[] {
  return work.use.map((raw) => {
    const parts = raw.split("/").filter((s) => s !== "" && s !== ".");
    if (raw.startsWith("/") || parts.includes("..")) {
      throw new UserError(`go.work uses "${raw}", which is outside the build context; workspace modules must be inside it.`, "go.work");
    }
    return parts.join("/");
  });
}

/** Paths the gateway loads in its second pass for a workspace. */
export async function workspaceReads(ctx: BuildContext): Promise<string[]> {
  const text = await readText(ctx, "go.work");
  if (text === undefined) return [];
  return useDirs(parseGoWork(text)).flatMap((d) => ["go.mod", "go.sum", "*.go"].map((f) => (d ? `${d}/${f}` : f)));
}

export async function readWorkspace(ctx: BuildContext): Promise<GoWorkspace | undefined> {
  const text = await readText(ctx, "go.work");
  if (text === undefined) return undefined;
  const work = parseGoWork(text);
  const members: GoMember[] = [];
  for (const dir of new Set(useDirs(work))) {
    const member = await readMember(ctx, dir);
    // Fail at the first missing module, not after reading every other one.
    if (!member.mod) throw missingMember(dir);
    members.push(member);
  }
  return { work, hasWorkSum: await isFile(ctx, "go.work.sum"), members };
}

async function readMember(ctx: BuildContext, dir: string): Promise<GoMember> {
  const at = (p: string) => (dir ? `${dir}/${p}` : p);
  const modText = await readText(ctx, at("go.mod"));
  if (modText === undefined) return { dir, hasGoSum: false, main: false };
  let main = false;
  for (const e of (await ctx.readDir(dir)) ?? []) {
    if (e.kind !== "file" || !e.name.endsWith(".go") || e.name.endsWith("_test.go")) continue;
    if (packageName((await readText(ctx, at(e.name))) ?? "") === "main") main = true;
  }
  return { dir, mod: parseGoMod(modText, at("go.mod")), hasGoSum: await isFile(ctx, at("go.sum")), main };
}

function missingMember(dir: string): UserError {
  return new UserError(`go.work uses "${dir || "."}", but ${dir ? `${dir}/` : ""}go.mod is not in the build context.`, "go.work");
}

/**
 * Which packages to build: GO_INSTALL_PACKAGE_SPEC (or the root go.mod's
 * `+heroku install`), else every member with `package main` at its root.
 */
export function workspaceBuild(ws: GoWorkspace, spec: string[] | undefined): WorkspaceBuild {
  for (const m of ws.members) if (!m.mod) throw missingMember(m.dir);
  const mains = ws.members.filter((m) => m.main);
  const chosen = spec ?? mains.map((m) => `./${m.dir}`.replace(/\/$/, ""));
  if (!chosen.length) {
    throw new UserError(
      `go.work uses ${ws.members.map((m) => `./${m.dir}`).join(", ")}, but no module has \`package main\` at its root; set GO_INSTALL_PACKAGE_SPEC to the package to build (such as ./api/cmd/server).`,
      "go.work",
    );
  }
  return { spec: chosen, binaries: chosen.filter((p) => !p.includes("...")).map((p) => nameOf(p, ws)), manifests: manifests(ws), download: download(ws) };
}

/** `go build -o dir/` names a binary after its import path: a member root by its module path. */
function nameOf(pkg: string, ws: GoWorkspace): string {
  const dir = pkg.replace(/^\.\/?/, "").replace(/\/+$/, "");
  const member = ws.members.find((m) => m.dir === dir);
  return member ? binaryName(member.mod?.module) : (dir.split("/").pop() ?? "app");
}

function manifests(ws: GoWorkspace): string[] {
  const out = ["go.work", ...(ws.hasWorkSum ? ["go.work.sum"] : [])];
  for (const m of ws.members) {
    const at = (p: string) => (m.dir ? `${m.dir}/${p}` : p);
    out.push(at("go.mod"), ...(m.hasGoSum ? [at("go.sum")] : []));
  }
  return out;
}

/**
 * `go mod download` without arguments loads the whole module graph and fails
 * when one member requires another at a placeholder version (normal in a
 * workspace); naming the outside modules explicitly downloads just those.
 */
function download(ws: GoWorkspace): string | undefined {
  const local = new Set([...ws.members.map((m) => m.mod?.module), ...ws.work.replaces].filter(Boolean));
  const wanted = new Set<string>();
  for (const m of ws.members) {
    for (const [path, version] of m.mod?.requires ?? []) if (!local.has(path) && !m.mod?.replaces.has(path)) wanted.add(`${path}@${version}`);
  }
  return wanted.size ? `go mod download ${[...wanted].sort().join(" ")}` : undefined;
}

// Cargo workspaces: `[workspace] members` (paths or globs such as
// `crates/*`) expanded the way cargo does, `exclude` removed, and the member
// manifests read. The gateway sees member files only through the follow-up
// paths listed here, so both must agree on what a member is.
import { isFile, UserError, type BuildContext } from "../../context/fs.js";
import { readManifest, type CargoManifest } from "./manifest.js";
import { checkEntries } from "../../context/limits.js";

/** Member folders, normalised (`./crates/a/` → `crates/a`); `..` is refused (outside the build context). */
export function memberPatterns(root: CargoManifest): string[] {
  checkEntries(root.workspace?.members?.length ?? 0, "workspace members", root.file);
  return (root.workspace?.members ?? []).map((p) => normalize(p, root.file)).filter((p) => p !== "");
}

/** What the gateway must load for each member: its manifest and its binary sources' names. */
export function memberReads(root: CargoManifest): string[] {
  // Follow-up paths know only `*`: `?` and `[ab]` widen to `*` (a superset, filtered when read).
  const widened = memberPatterns(root).map((p) => p.replace(/\[[^\]/]*\]|\?/g, "*"));
  return widened.flatMap((p) => [`${p}/Cargo.toml`, `${p}/src/main.rs`, `${p}/src/bin`]);
}

/** The member manifests (not the root's), in the order cargo lists them. */
export async function readMembers(ctx: BuildContext, root: CargoManifest): Promise<CargoManifest[]> {
  const exclude = (root.workspace?.exclude ?? []).map((p) => normalize(p, root.file));
  const out: CargoManifest[] = [];
  const seen = new Set<string>();
  for (const pattern of memberPatterns(root)) {
    for (const dir of await expand(ctx, pattern)) {
      if (seen.has(dir) || exclude.some((x) => dir === x || dir.startsWith(`${x}/`))) continue;
      seen.add(dir);
      // Globs can expand past the listed entries: the same bound applies to what they find.
      checkEntries(seen.size, "workspace members (after expanding globs)", root.file);
      const m = await readManifest(ctx, `${dir}/Cargo.toml`);
      if (!m) {
        throw new UserError(`Cargo.toml lists workspace member "${dir}", but ${dir}/Cargo.toml is not in the build context; fix members or .dockerignore.`, "Cargo.toml");
      }
      if (!m.package) throw new UserError(`${m.file} has no [package] table; a workspace member must be a package.`, m.file);
      out.push(m);
    }
  }
  return out;
}

/**
 * The packages a plain `cargo build` at the root produces, as cargo picks
 * them: `default-members`; else the root package when it has binaries; else
 * every member (`all`: a root library package then needs `--workspace`).
 */
export function builtPackages(root: CargoManifest, members: CargoManifest[], hasBins: (m: CargoManifest) => boolean): { packages: CargoManifest[]; all: boolean } {
  const ws = root.workspace;
  const everyone = [...(root.package ? [root] : []), ...members];
  if (ws?.defaultMembers) {
    const dirs = ws.defaultMembers.map((p) => normalize(p, root.file));
    return { packages: everyone.filter((m) => dirs.includes(m.dir)), all: false };
  }
  if (root.package && hasBins(root)) return { packages: [root], all: false };
  return { packages: everyone, all: Boolean(root.package) };
}

function normalize(raw: string, file: string): string {
  const parts = raw.split("/").filter((s) => s !== "" && s !== ".");
  if (parts.includes("..")) {
    throw new UserError(`${file}: workspace path "${raw}" leaves the project folder; members must be inside the build context.`, file);
  }
  if (parts.some((s) => s.includes("**"))) {
    throw new UserError(`${file}: workspace pattern "${raw}" uses **, which migetpacks does not expand; list the member folders or use one * per level (crates/*).`, file);
  }
  return parts.join("/");
}

const GLOB = /[*?[]/;

/** Folders matching a member pattern; a literal path is returned as is, a glob only where a Cargo.toml exists. */
async function expand(ctx: BuildContext, pattern: string): Promise<string[]> {
  if (!GLOB.test(pattern)) return [pattern];
  let dirs = [""];
  for (const part of pattern.split("/")) {
    const next: string[] = [];
    for (const dir of dirs) {
      const at = (name: string) => (dir ? `${dir}/${name}` : name);
      if (!GLOB.test(part)) next.push(at(part));
      else for (const e of (await ctx.readDir(dir)) ?? []) if (e.kind === "dir" && globMatch(part, e.name)) next.push(at(e.name));
    }
    dirs = next;
  }
  const found: string[] = [];
  for (const dir of dirs) if (await isFile(ctx, `${dir}/Cargo.toml`)) found.push(dir);
  return found;
}

/** One path component against a glob (`*`, `?`, `[abc]`), like cargo's glob crate. */
function globMatch(glob: string, name: string): boolean {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        re += "[" + glob.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\") + "]";
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`).test(name);
}

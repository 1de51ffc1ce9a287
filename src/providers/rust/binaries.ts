// Which binaries a package builds, by cargo's rules: declared [[bin]]
// targets, plus (unless autodiscovery is off) src/main.rs named after the
// package and every src/bin/<name>.rs or src/bin/<name>/main.rs.
import { isFile, type BuildContext } from "../../context/fs.js";
import type { CargoManifest } from "./manifest.js";

/** The binary sources found on disk for one package. */
export interface BinaryFiles {
  mainRs: boolean;
  /** `src/bin/x.rs` → x, `src/bin/y/main.rs` → y, with the path each came from. */
  binDir: { name: string; path: string }[];
}

/** Reads `<dir>/src/main.rs` and the listing of `<dir>/src/bin`. */
export async function readBinaryFiles(ctx: BuildContext, dir: string): Promise<BinaryFiles> {
  const at = (p: string) => (dir ? `${dir}/${p}` : p);
  const binDir: BinaryFiles["binDir"] = [];
  for (const e of (await ctx.readDir(at("src/bin"))) ?? []) {
    if (e.kind === "file" && e.name.endsWith(".rs")) binDir.push({ name: e.name.slice(0, -3), path: `src/bin/${e.name}` });
    else if (e.kind === "dir" && (await isFile(ctx, at(`src/bin/${e.name}/main.rs`)))) binDir.push({ name: e.name, path: `src/bin/${e.name}/main.rs` });
  }
  return { mainRs: await isFile(ctx, at("src/main.rs")), binDir };
}

/** Binary names in cargo's order: declared first, then inferred ones not already declared. */
export function packageBinaries(m: CargoManifest, files: BinaryFiles, edition: string | undefined): string[] {
  if (!m.package) return [];
  const declared = m.bins.map((b) => b.name);
  if (!autodiscover(m, edition)) return declared;
  const paths = new Set(m.bins.map((b) => b.path?.replace(/^\.\//, "")).filter(Boolean));
  const inferred = [...(files.mainRs ? [{ name: m.package.name, path: "src/main.rs" }] : []), ...files.binDir];
  const extra = inferred.filter((t) => !declared.includes(t.name) && !paths.has(t.path)).map((t) => t.name);
  return [...declared, ...new Set(extra)];
}

/** `autobins` wins; without it, edition 2015 (cargo's default) stops inferring once any [[bin]] is declared. */
function autodiscover(m: CargoManifest, edition: string | undefined): boolean {
  if (m.package?.autobins !== undefined) return m.package.autobins;
  return !((edition ?? "2015") === "2015" && m.bins.length > 0);
}

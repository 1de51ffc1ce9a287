// Settings read from a framework's JavaScript/TypeScript config file (vite.config.ts,
// astro.config.mjs, svelte.config.js). Configs are code: only literal string
// values in live code (comments removed first) are read; anything computed is
// left to the framework's default, never guessed.
import { readText, type BuildContext } from "../../context/fs.js";
import { stripJsComments } from "./nextjs.js";

/** The first config file of `names` that exists, comments removed. */
export async function readJsConfig(ctx: BuildContext, names: readonly string[]): Promise<{ file: string; code: string } | undefined> {
  for (const file of names) {
    const text = await readText(ctx, file);
    if (text !== undefined) return { file, code: stripJsComments(text) };
  }
  return undefined;
}

/** `key: 'literal'` (or "…", `…` without interpolation) anywhere in the code; undefined when absent or computed. */
export function stringSetting(code: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|[^\\w$.])['"]?${key}['"]?\\s*:\\s*(['"\`])([^'"\`$]*)\\1`, "m").exec(code);
  return m?.[2];
}

/** Whether the code imports (or requires) `pkg`. */
export function importsPackage(code: string, pkg: string): boolean {
  const q = pkg.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`(?:from\\s*|require\\(\\s*|import\\(\\s*)['"]${q}['"]`).test(code);
}

/** `./dist/` → `dist`: a folder relative to the app, as the copy steps name it. */
export function cleanDir(dir: string): string | undefined {
  const d = dir.trim().replace(/^\.\//, "").replace(/\/+$/, "");
  if (!d || d === "." || d.startsWith("/") || d.split("/").includes("..")) return undefined;
  return d;
}

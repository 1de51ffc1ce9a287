// Next.js: detected from the `next` dependency; `output: 'standalone'` read from
// next.config.* with comments removed first, so a commented-out line never counts.
import { readText, type BuildContext } from "../../context/fs.js";
import type { PackageJson } from "./package-json.js";

/** In Next.js's own lookup order (.cjs too, which it loads like .js). */
export const NEXT_CONFIG_FILES = ["next.config.js", "next.config.mjs", "next.config.cjs", "next.config.ts", "next.config.mts"];

export interface NextFacts {
  /** The config file read, if any. */
  config?: string;
  standalone: boolean;
}

export function usesNext(pkg: PackageJson): boolean {
  return pkg.dependencies?.next !== undefined || pkg.devDependencies?.next !== undefined;
}

export async function nextFacts(ctx: BuildContext, pkg: PackageJson): Promise<NextFacts | undefined> {
  if (!usesNext(pkg)) return undefined;
  for (const file of NEXT_CONFIG_FILES) {
    const text = await readText(ctx, file);
    if (text !== undefined) return { config: file, standalone: hasStandaloneOutput(text) };
  }
  return { standalone: false };
}

/** Removes // and /* *\/ comments outside string and template literals. */
export function stripJsComments(src: string): string {
  let out = "";
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === "/" && next === "/") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = src.indexOf("*/", i + 2);
      i = end < 0 ? src.length : end + 2;
      out += " ";
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\") j++;
        else if (c !== "`" && src[j] === "\n") break;
        j++;
      }
      out += src.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** `output: '<mode>'` (or `"output": "<mode>"`, `config.output = "<mode>"`) in live code. */
function hasOutput(configSource: string, mode: string): boolean {
  return new RegExp(`(?:^|[^\\w$.])(?:[\\w$]+\\.)?['"]?output['"]?\\s*[:=]\\s*(['"\`])${mode}\\1`, "m").test(stripJsComments(configSource));
}

export const hasStandaloneOutput = (configSource: string) => hasOutput(configSource, "standalone");
/** `output: 'export'`: a static export in out/. */
export const hasExportOutput = (configSource: string) => hasOutput(configSource, "export");

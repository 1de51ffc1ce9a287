// Tool versions pinned with mise (mise.toml, .mise.toml, ...) or asdf
// (.tool-versions), for every language. mise loads a directory's config files
// in a fixed order, later files overriding earlier ones, with .tool-versions
// first (mise reads it as the lowest-precedence config); this reader follows
// that order and reports which file the version came from.
// TOML through smol-toml; .tool-versions is asdf's line format (`tool v1 v2`,
// `#` comments, the first version is the one used).
import { parse as parseToml } from "smol-toml";
import { readText, UserError, type BuildContext } from "../context/fs.js";

/** Lowest precedence first (mise's own load order for one directory). */
export const TOOL_VERSION_FILES = [
  ".tool-versions",
  ".config/mise/config.toml",
  ".config/mise.toml",
  "mise/config.toml",
  "mise.toml",
  ".mise/config.toml",
  ".mise.toml",
  ".config/mise/config.local.toml",
  ".config/mise.local.toml",
  "mise/config.local.toml",
  "mise.local.toml",
  ".mise/config.local.toml",
  ".mise.local.toml",
] as const;

export interface ToolVersion {
  version: string;
  /** The file that pinned it (for messages and the result's versionSource). */
  file: string;
}

/**
 * The version `tool` is pinned to, from the highest-precedence file that pins it.
 * mise also accepts `core:<tool>`; `aliases` are other names the tool goes by
 * (asdf's plugin `nodejs`, mise's `npm:pnpm`), given by the language that asks.
 */
export async function toolVersion(ctx: BuildContext, tool: string, aliases: readonly string[] = []): Promise<ToolVersion | undefined> {
  const names = [tool, `core:${tool}`, ...aliases];
  let found: ToolVersion | undefined;
  for (const { file, text } of await presentFiles(ctx)) {
    const v = file === ".tool-versions" ? fromToolVersions(text, names) : fromMiseToml(text, file, names);
    if (v) found = { version: v, file };
  }
  return found;
}

// Several tools are looked up per build (node, pnpm, yarn, ...): the files are read once per context.
const loaded = new WeakMap<BuildContext, Promise<{ file: string; text: string }[]>>();

function presentFiles(ctx: BuildContext): Promise<{ file: string; text: string }[]> {
  let p = loaded.get(ctx);
  if (!p) {
    p = (async () => {
      const out: { file: string; text: string }[] = [];
      for (const file of TOOL_VERSION_FILES) {
        const text = await readText(ctx, file);
        if (text !== undefined) out.push({ file, text });
      }
      return out;
    })();
    loaded.set(ctx, p);
  }
  return p;
}

function fromToolVersions(text: string, names: string[]): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const [name, first] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (name && first && names.includes(name)) return clean(first);
  }
  return undefined;
}

/** `[tools]` entries: `node = "20"`, `node = ["20", "18"]` (the first is used), `node = { version = "20" }`. */
function fromMiseToml(text: string, file: string, names: string[]): string | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    const err = e as { line?: number; column?: number; message: string };
    const at = err.line ? ` at line ${err.line}` : "";
    throw new UserError(`${file} is not valid TOML${at} (${err.message.split("\n")[0]}); fix it and build again.`, file);
  }
  const tools = doc.tools;
  if (typeof tools !== "object" || tools === null) return undefined;
  for (const name of names) {
    const raw = (tools as Record<string, unknown>)[name];
    const v = Array.isArray(raw) ? raw[0] : raw;
    const s = typeof v === "string" ? v : typeof v === "object" && v !== null && typeof (v as { version?: unknown }).version === "string" ? (v as { version: string }).version : undefined;
    if (s?.trim()) return clean(s);
  }
  return undefined;
}

/** mise's `prefix:20` means "newest 20.x", which is what a bare `20` resolves to here. */
function clean(v: string): string {
  return v.trim().replace(/^prefix:/, "");
}

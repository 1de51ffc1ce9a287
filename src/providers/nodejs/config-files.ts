// The few YAML settings planning needs (.yarnrc.yml, pnpm-workspace.yaml),
// read without a YAML library: top-level `key: value` scalars and one block or
// flow sequence. Anything fancier is ignored, never misread as something else.
import { UserError } from "../../context/fs.js";
import type { YarnLinker } from "./package-manager.js";

export interface YarnRc {
  nodeLinker?: YarnLinker;
  yarnPath?: string;
  /** `plugins:` lists @yarnpkg/plugin-workspace-tools (needed for `workspaces focus` before Yarn 4). */
  hasWorkspaceToolsPlugin: boolean;
}

function stripComment(line: string): string {
  // A `#` starts a comment at the line start or after whitespace, outside quotes.
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0]) return t.slice(1, -1);
  return t;
}

/** Top-level `key: value` pairs (indentation 0), comments removed. */
function topLevelScalars(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s/.test(raw)) continue;
    const line = stripComment(raw).trimEnd();
    const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (m && m[2]) out.set(m[1]!, unquote(m[2]));
  }
  return out;
}

const LINKERS: readonly YarnLinker[] = ["pnp", "node-modules", "pnpm"];

export function parseYarnRc(text: string): YarnRc {
  const top = topLevelScalars(text);
  const linker = top.get("nodeLinker");
  if (linker !== undefined && !(LINKERS as readonly string[]).includes(linker)) {
    throw new UserError(`.yarnrc.yml: nodeLinker "${linker}" is not one of ${LINKERS.join(", ")}; fix it and build again.`, ".yarnrc.yml");
  }
  return {
    nodeLinker: linker as YarnLinker | undefined,
    yarnPath: top.get("yarnPath"),
    hasWorkspaceToolsPlugin: /plugin-workspace-tools/.test(text),
  };
}

/** Items of a top-level sequence `key:` (block `- item` lines or flow `[a, b]`). */
export function topLevelList(text: string, key: string): string[] | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => new RegExp(`^${key}\\s*:`).test(stripComment(l)));
  if (start < 0) return undefined;
  const rest = stripComment(lines[start]!).replace(new RegExp(`^${key}\\s*:`), "").trim();
  if (rest.startsWith("[")) {
    const inner = rest.replace(/^\[/, "").replace(/\].*$/, "");
    return inner.split(",").map(unquote).filter(Boolean);
  }
  const items: string[] = [];
  for (const raw of lines.slice(start + 1)) {
    const line = stripComment(raw);
    if (!line.trim()) continue;
    if (!/^\s/.test(line) && !line.startsWith("-")) break; // next top-level key
    const m = /^\s*-\s*(.+)$/.exec(line);
    if (m) items.push(unquote(m[1]!));
  }
  return items;
}

/** pnpm-workspace.yaml `packages:` globs; undefined when the file only holds settings. */
export function pnpmWorkspacePackages(text: string): string[] | undefined {
  const list = topLevelList(text, "packages");
  return list?.length ? list : undefined;
}

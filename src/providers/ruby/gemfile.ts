// Gemfile is Ruby code; only its documented declarative forms are read, line
// by line: `ruby "3.3.0"` / `ruby "~> 3.2"` / `ruby file: ".ruby-version"`,
// `gem "name", ...` with `path:` (or `:path =>`), `path "dir" do` blocks,
// `gemspec`, `eval_gemfile "file"`. Anything computed (`ruby RUBY_VERSION`,
// `ruby File.read(...)`) says nothing, and is never guessed at.
import { UserError } from "../../context/fs.js";

export interface GemLine {
  name: string;
  line: number;
  path?: string;
}

export interface Gemfile {
  /** The `ruby` directive: version requirements, or the file holding the version. */
  ruby?: { requirements: string[]; file?: string; engine?: string; line: number };
  gems: GemLine[];
  /** Local gem folders (`path:` options and `path "dir" do` blocks), as written. */
  paths: { dir: string; line: number }[];
  /** `gemspec`: the app is a gem; its *.gemspec is part of the install. */
  gemspec: boolean;
  /** `eval_gemfile "file"` targets. */
  evalGemfiles: string[];
}

/** One string literal: "x" or 'x' (no interpolation). */
const STR = `(?:"([^"\\\\#]*)"|'([^'\\\\]*)')`;
const strValue = (m: RegExpExecArray, i: number) => m[i] ?? m[i + 1];

/** One pass over a line: the code before a `#` comment (outside string literals), and whether a string is left open. */
function scanLine(line: string): { code: string; open: boolean } {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return { code: line.slice(0, i), open: false };
  }
  return { code: line, open: quote !== "" };
}

/** The line without its comment (a `#` outside string literals). */
export function stripComment(line: string): string {
  return scanLine(line).code;
}

function unterminated(line: string): boolean {
  return scanLine(line).open;
}

/** The value of a `key: "v"` or `:key => "v"` option on a line. */
function option(rest: string, key: string): string | undefined {
  const m = new RegExp(`(?:\\b${key}:|:${key}\\s*=>)\\s*${STR}`).exec(rest);
  return m ? strValue(m, 1) : undefined;
}

export function parseGemfile(text: string, file = "Gemfile"): Gemfile {
  const out: Gemfile = { gems: [], paths: [], gemspec: false, evalGemfiles: [] };
  const lines = text.split(/\r?\n/);
  let heredoc: string | undefined;
  lines.forEach((raw, i) => {
    const n = i + 1;
    if (heredoc !== undefined) {
      if (raw.trim() === heredoc) heredoc = undefined;
      return;
    }
    const hd = /<<[~-]?(["']?)([A-Z_][A-Z0-9_]*)\1/.exec(raw);
    if (hd) heredoc = hd[2];
    const line = stripComment(raw).trim();
    if (!line) return;
    const where = `${file} line ${n}`;
    const directive = /^(gem|ruby|path|gemspec|eval_gemfile)\b\s*\(?\s*(.*)$/.exec(line);
    if (!directive) return;
    const [, kind, rest] = directive as unknown as [string, string, string];
    if (kind !== "gemspec" && unterminated(line)) throw new UserError(`${where}: a string is not closed (\`${line.slice(0, 60)}\`); fix the quotes.`, file);
    if (kind === "gem") {
      const m = new RegExp(`^${STR}`).exec(rest);
      if (!m) return; // `gem name_var`: computed, nothing to read
      const name = strValue(m, 1)!;
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new UserError(`${where}: "${name}" is not a gem name.`, file);
      const path = option(rest, "path");
      out.gems.push({ name, line: n, path });
      if (path !== undefined) out.paths.push({ dir: path, line: n });
    } else if (kind === "ruby") {
      const fileOpt = option(rest, "file");
      const engine = option(rest, "engine");
      const reqs: string[] = [];
      const re = new RegExp(`\\s*,?\\s*${STR}`, "y");
      let pos = 0;
      for (;;) {
        re.lastIndex = pos;
        const m = re.exec(rest);
        if (!m) break;
        reqs.push(strValue(m, 1)!.trim());
        pos = re.lastIndex;
      }
      if (reqs.length || fileOpt !== undefined) out.ruby ??= { requirements: reqs, file: fileOpt, engine, line: n };
    } else if (kind === "path") {
      const m = new RegExp(`^${STR}`).exec(rest);
      if (m && /\bdo\b|\{/.test(rest)) out.paths.push({ dir: strValue(m, 1)!, line: n });
    } else if (kind === "gemspec") {
      out.gemspec = true;
      const p = option(rest, "path");
      if (p !== undefined) out.paths.push({ dir: p, line: n });
    } else if (kind === "eval_gemfile") {
      const m = new RegExp(`^${STR}`).exec(rest);
      if (m) out.evalGemfiles.push(strValue(m, 1)!);
    }
  });
  return out;
}

/**
 * A RubyGems requirement list (`~> 3.2`, `>= 3.1`, `3.3.0`) as a semver
 * range. A bare version with fewer than three parts means that line
 * (`3.3` → 3.3.x), as users mean it.
 */
export function requirementToRange(reqs: readonly string[]): string | undefined {
  const parts: string[] = [];
  for (const raw of reqs) {
    const m = /^\s*(~>|>=|<=|!=|=|>|<)?\s*(\d+(?:\.\d+){0,3})(?:[.-]?(?:preview|rc|dev)\d*)?\s*$/i.exec(raw);
    if (!m) return undefined;
    const op = m[1] ?? "";
    const segs = m[2]!.split(".").map(Number);
    const full = (s: number[]) => [...s, 0, 0, 0].slice(0, 3).join(".");
    if (op === "~>") {
      const upper = segs.length > 1 ? segs.slice(0, -1) : [...segs];
      upper[upper.length - 1]! += 1;
      parts.push(`>=${full(segs)} <${full(upper)}-0`);
    } else if (op === "" || op === "=") {
      if (segs.length >= 3) parts.push(full(segs));
      else parts.push(`>=${full(segs)} <${full(segs.length === 1 ? [segs[0]! + 1] : [segs[0]!, segs[1]! + 1])}-0`);
    } else if (op !== "!=") parts.push(`${op}${full(segs)}`); // `!=` excludes one release: never the pick's concern
  }
  return parts.length ? parts.join(" ") : undefined;
}

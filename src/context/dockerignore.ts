// .dockerignore → exclude patterns. BuildKit never applies it by itself: the
// frontend sends these with the context source so ignored files never transfer.
import dockerignore, { type Ignore } from "@balena/dockerignore";
import { readText, UserError, type BuildContext } from "./fs.js";
import path from "node:path/posix";

// A CommonJS package: under NodeNext its function is the default's `default` (it sets both).
const ignore = dockerignore.default;

/**
 * Patterns of a .dockerignore, checked the way BuildKit will check them: a
 * bad pattern (`[`) or a binary file is a UserError naming the file and line
 * here, for the CLI and the frontend alike, instead of BuildKit's raw error.
 */
export function parseDockerignore(text: string, file = ".dockerignore"): string[] {
  const nul = text.indexOf("\u0000");
  if (nul >= 0) throw new UserError(`${file} is not a text file (it holds binary data at character ${nul + 1}); write one pattern per line, such as node_modules or *.log.`, file);
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const patterns = lines.flatMap((raw, i) => (raw.startsWith("#") || !raw.trim() ? [] : [{ line: raw.trim(), number: i + 1 }]));
  const bad = firstInvalid(patterns.map((p) => p.line));
  if (bad) {
    const { line, number } = patterns[bad.index]!;
    const shown = JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);
    throw new UserError(`${file}:${number}: pattern ${shown} is invalid (${bad.problem}); fix it (a literal [ is written \\[) and build again.`, file);
  }
  for (let { line } of patterns) {
    let neg = "";
    if (line.startsWith("!")) {
      neg = "!";
      line = line.slice(1).trim();
    }
    let p = path.normalize(line).replace(/(.)\/+$/, "$1");
    if (p.length > 1 && p.startsWith("/")) p = p.slice(1);
    out.push(neg + p);
  }
  return out;
}


/**
 * Used when the app has no .dockerignore (the original wrote one into the
 * source; we only apply it): repository metadata, local dependency folders,
 * editor and OS litter, caches and logs never need to reach the builder.
 * Unlike the original, `dist` and `build` are NOT excluded: apps commit built
 * assets there (Go's //go:embed dist, prebuilt frontends).
 */
export const DEFAULT_IGNORES = [
  ".git", ".hg", ".svn", "node_modules", "**/node_modules", "vendor/bundle", ".bundle", "__pycache__", "**/__pycache__", "**/*.pyc",
  ".pytest_cache", ".tox", ".mypy_cache", ".venv", "htmlcov", "coverage", ".nyc_output", "target/debug", "target/release",
  "_build", "deps", ".elixir_ls", ".mix", ".env.local", ".env.*.local", "*.log", ".DS_Store", "Thumbs.db", ".idea", ".vscode",
  "*.swp", "*.swo", ".cache",
];

/**
 * Exclude patterns for the project folder: its own .dockerignore (the
 * project folder is the context the app sees), rewritten relative to the root;
 * DEFAULT_IGNORES when it has none.
 */
export async function projectExcludes(root: BuildContext, projectPath: string): Promise<string[]> {
  const file = projectPath ? `${projectPath}/.dockerignore` : ".dockerignore";
  const text = await readText(root, file);
  return text === undefined ? defaultExcludes(projectPath) : scoped(parseDockerignore(text, file), projectPath);
}

/** DEFAULT_IGNORES for the project folder, relative to the root. */
export function defaultExcludes(projectPath: string): string[] {
  return scoped(DEFAULT_IGNORES, projectPath);
}

function scoped(patterns: readonly string[], projectPath: string): string[] {
  if (!projectPath) return [...patterns];
  return patterns.map((p) => (p.startsWith("!") ? `!${projectPath}/${p.slice(1)}` : `${projectPath}/${p}`));
}

/**
 * The first pattern that is not valid, and why (patternProblem). Each is scanned,
 * but compiled only all together: a matcher per pattern is the slow part, and
 * only a list that fails as a whole is searched for its culprit.
 */
export function firstInvalid(patterns: readonly string[]): { index: number; problem: string } | undefined {
  if (!patterns.some((p) => syntaxProblem(p) !== undefined) && compileProblem(patterns) === undefined) return undefined;
  for (const [index, p] of patterns.entries()) {
    const problem = patternProblem(p);
    if (problem) return { index, problem };
  }
  return undefined;
}

/** Why a pattern is not valid Go filepath.Match syntax (what BuildKit's matcher accepts), or undefined. */
export function patternProblem(p: string): string | undefined {
  return syntaxProblem(p) ?? compileProblem([p]);
}

function syntaxProblem(p: string): string | undefined {
  if (p.length > 4096) return `it is ${p.length} characters long (at most 4096)`;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      if (++i >= p.length) return "it ends with a lone \\";
    } else if (c === "[") {
      let j = i + 1;
      if (p[j] === "^") j++;
      const start = j;
      while (j < p.length && p[j] !== "]") j += p[j] === "\\" ? 2 : 1;
      if (j >= p.length) return "a [ is never closed";
      if (j === start) return "a [] class is empty";
      i = j;
    }
  }
  return undefined;
}

/** Last line of defence: patterns our matcher cannot compile are refused, never a crash. */
function compileProblem(patterns: readonly string[]): string | undefined {
  try {
    matcher(patterns).ignores("x");
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: \/.*\/: /, "").toLowerCase();
  }
}

/**
 * A Docker-compatible matcher for root-relative patterns. The library builds a
 * regular expression escaping only `.` and `$`, so `x(` crashed it and `a+b`
 * matched `aab`; BuildKit takes `( ) + | { } ^` literally (checked on the
 * engine), so they are escaped first — outside `[...]` classes, where `^` negates.
 */
export function matcher(patterns: readonly string[]): Ignore {
  return ignore({ ignorecase: false }).add(patterns.map(literalize));
}

function literalize(pattern: string): string {
  const neg = pattern.startsWith("!") ? "!" : "";
  let out = "";
  let inClass = false;
  const body = pattern.slice(neg.length);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\") {
      out += body.slice(i, i + 2);
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
    } else out += "()+|{}^".includes(c) ? `\\${c}` : c;
  }
  return neg + out;
}

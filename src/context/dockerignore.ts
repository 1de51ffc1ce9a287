// .dockerignore → exclude patterns. BuildKit never applies it by itself: the
// frontend sends these with the context source so ignored files never transfer.
import { readText, type BuildContext } from "./fs.js";
import path from "node:path/posix";

export function parseDockerignore(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    if (raw.startsWith("#")) continue;
    let line = raw.trim();
    if (!line) continue;
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
  const patterns = text === undefined ? DEFAULT_IGNORES : parseDockerignore(text);
  if (!projectPath) return patterns;
  return patterns.map((p) => (p.startsWith("!") ? `!${projectPath}/${p.slice(1)}` : `${projectPath}/${p}`));
}

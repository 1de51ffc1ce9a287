// The parts of go.mod and go.work that shape a build: module path, go and
// toolchain directives, the Heroku install spec comment, required and
// replaced modules, and a workspace's member folders.
import { checkEntries, checkLength } from "../../context/limits.js";

export interface GoMod {
  module?: string;
  go?: string;
  toolchain?: string;
  /** `// +heroku install ./cmd/a ./cmd/b` package list, if present. */
  installSpec?: string[];
  requires: Map<string, string>;
  /** Module paths a `replace` directive points elsewhere (not downloadable as required). */
  replaces: Set<string>;
}

export interface GoWork {
  go?: string;
  toolchain?: string;
  /** `use` folders as written (`./api`, `.`). */
  use: string[];
  replaces: Set<string>;
}

export function parseGoMod(text: string, file = "go.mod"): GoMod {
  const mod: GoMod = { requires: new Map(), replaces: new Set() };
  const heroku = /^\s*\/\/\s*\+heroku\s+install\s+(.+)$/m.exec(text);
  if (heroku) mod.installSpec = heroku[1]!.trim().split(/\s+/);
  for (const [verb, arg] of directives(text)) {
    if (verb === "module") {
      checkLength(arg, "module path", file);
      mod.module ??= unquote(arg);
    }
    else if (verb === "go") mod.go ??= arg;
    else if (verb === "toolchain") mod.toolchain ??= arg;
    else if (verb === "require") addRequire(mod, arg);
    else if (verb === "replace") addReplace(mod.replaces, arg);
  }
  return mod;
}

export function parseGoWork(text: string): GoWork {
  const work: GoWork = { use: [], replaces: new Set() };
  for (const [verb, arg] of directives(text)) {
    if (verb === "go") work.go ??= arg;
    else if (verb === "toolchain") work.toolchain ??= arg;
    else if (verb === "use") {
      // Checked while parsing, so a 100,000-line go.work fails at entry 501, not after reading every member.
      checkEntries(work.use.length + 1, "`use` entries (or more)", "go.work");
      work.use.push(unquote(arg));
    }
    else if (verb === "replace") addReplace(work.replaces, arg);
  }
  return work;
}

/** The package clause of a Go source file (`package main` → "main"). */
export function packageName(source: string): string | undefined {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  return /^\s*package\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(code)?.[1];
}

/** `verb arg` pairs; `verb ( ... )` blocks give one pair per line. Comments are dropped. */
function directives(text: string): [string, string][] {
  const out: [string, string][] = [];
  let block: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (!line) continue;
    if (block) {
      if (line === ")") block = undefined;
      else out.push([block, line]);
      continue;
    }
    const m = /^([a-z]+)\s*(.*)$/.exec(line);
    if (!m) continue;
    if (m[2] === "(") block = m[1];
    else out.push([m[1]!, m[2]!]);
  }
  return out;
}

function addRequire(mod: GoMod, spec: string): void {
  const [path, version] = spec.split(/\s+/);
  if (path && version) mod.requires.set(unquote(path), version);
}

function addReplace(into: Set<string>, spec: string): void {
  const old = spec.split("=>")[0]?.trim().split(/\s+/)[0];
  if (old) into.add(unquote(old));
}

function unquote(s: string): string {
  return s.replace(/^"(.*)"$/, "$1").replace(/^`(.*)`$/, "$1");
}

/** Binary name from the module path: its last element, skipping a `/vN` major suffix. */
export function binaryName(module: string | undefined): string {
  if (!module) return "app";
  const parts = module.split("/").filter(Boolean);
  let last = parts.pop();
  if (last && /^v\d+$/.test(last) && parts.length) last = parts.pop();
  const name = (last ?? "").replace(/[^A-Za-z0-9._-]/g, "");
  // `.` or `..` would name a folder, not a file, in `go build -o` and the image's command.
  return /^\.*$/.test(name) ? "app" : name;
}

// The parts of go.mod that shape a build: module path, go/toolchain
// directives, the Heroku install spec comment, and required modules.
export interface GoMod {
  module?: string;
  go?: string;
  toolchain?: string;
  /** `// +heroku install ./cmd/a ./cmd/b` package list, if present. */
  installSpec?: string[];
  requires: Map<string, string>;
}

export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { requires: new Map() };
  let inRequire = false;
  for (const raw of text.split(/\r?\n/)) {
    const heroku = /^\s*\/\/\s*\+heroku\s+install\s+(.+)$/.exec(raw);
    if (heroku) {
      mod.installSpec ??= heroku[1]!.trim().split(/\s+/);
      continue;
    }
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (!line) continue;
    if (inRequire) {
      if (line === ")") inRequire = false;
      else addRequire(mod, line);
      continue;
    }
    const [word, ...rest] = line.split(/\s+/);
    const arg = rest.join(" ");
    if (word === "module") mod.module ??= unquote(arg);
    else if (word === "go") mod.go ??= arg;
    else if (word === "toolchain") mod.toolchain ??= arg;
    else if (word === "require") {
      if (arg === "(") inRequire = true;
      else addRequire(mod, arg);
    }
  }
  return mod;
}

function addRequire(mod: GoMod, spec: string): void {
  const [path, version] = spec.split(/\s+/);
  if (path && version) mod.requires.set(unquote(path), version);
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
  return name || "app";
}

// pip requirements files (pip's documented format): one requirement or option
// per line, `#` comments, `\` continuations, `-r`/`-c` includes relative to the
// including file, `-e`/local paths, `--find-links` folders, per-requirement
// options (`--hash=...`). What the build needs from them: the distribution
// names (servers, frameworks, system libraries), the other files and local
// folders the install reads (copied with the manifests, before the source),
// and whether the app's own folder is installed (`.`, `-e .`), which needs
// the source.
import { UserError } from "../../context/fs.js";

export interface Requirements {
  /** Normalised distribution names (PEP 503: lower case, runs of -_. as -). */
  names: string[];
  /** Files named by -r/-c, relative to the context root. */
  includes: string[];
  /** Local folders and archives pip reads (find-links, local paths), relative to the context root. */
  localPaths: string[];
  /** The app's own folder is installed (`.`, `-e .`): the install needs the source. */
  installsSelf: boolean;
}

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** Options whose value is the next word (or `=value`) and that we do not need. */
const VALUE_OPTIONS = new Set([
  "-i",
  "--index-url",
  "--extra-index-url",
  "--trusted-host",
  "--no-binary",
  "--only-binary",
  "--use-feature",
  "--config-settings",
  "--global-option",
  "--hash",
]);
const FLAG_OPTIONS = new Set(["--no-index", "--prefer-binary", "--pre", "--require-hashes"]);

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*/;
const VERSION_SPEC = /^\(?\s*(===|==|~=|!=|<=|>=|<|>)\s*[A-Za-z0-9*][^,;\s()]*(\s*,\s*(===|==|~=|!=|<=|>=|<|>)\s*[A-Za-z0-9*][^,;\s()]*)*\s*\)?\s*/;

/** posix join of a folder and a relative path, normalising `.` and `..`; undefined when it leaves the context. */
export function joinPath(dir: string, rel: string): string | undefined {
  const out: string[] = dir ? dir.split("/") : [];
  for (const part of rel.split("/")) {
    if (!part || part === ".") continue;
    if (part === "..") {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join("/");
}

const isLocalPath = (s: string) => /^(\.{1,2}(\/|$|\[)|\/|file:)/.test(s) || (/^[^\s@]+\.(whl|tar\.gz|zip|tar\.bz2)$/i.test(s) && !s.includes("://"));

/**
 * Parses one requirements file. `file` is its path from the context root;
 * relative paths in it are relative to its folder (pip's rule for -r/-c and,
 * since pip 24, local paths as well in practice for apps run from the root: we
 * resolve them against the context root, where the install runs).
 */
export function parseRequirements(text: string, file: string): Requirements {
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
  const out: Requirements = { names: [], includes: [], localPaths: [], installsSelf: false };
  const lines = text.split(/\r?\n/);
  const bad = (n: number, why: string) => new UserError(`${file} line ${n}: ${why}; fix the line (pip's requirements format) and build again.`, file);
  const local = (n: number, p: string, root = "") => {
    const clean = p.replace(/^file:(\/\/)?/, "");
    if (clean.startsWith("/")) throw bad(n, `"${p}" is an absolute path, which does not exist inside the build; use a path relative to the app`);
    const joined = joinPath(root, clean.replace(/[#[].*$/, ""));
    if (joined === undefined) throw bad(n, `"${p}" points outside the build context`);
    if (joined === "") out.installsSelf = true;
    else out.localPaths.push(joined);
  };
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!;
    while (line.endsWith("\\") && i + 1 < lines.length) line = line.slice(0, -1) + " " + lines[++i]!;
    line = line.replace(/(^|\s)#.*$/, "").trim();
    if (!line) continue;
    if (line.startsWith("-")) {
      const m = /^(--?[A-Za-z-]+)(?:[=\s]\s*(.*))?$/.exec(line);
      if (!m) throw bad(start, `cannot read "${line}"`);
      const [, opt, value = ""] = m;
      const v = value.trim();
      if (opt === "-r" || opt === "--requirement" || opt === "-c" || opt === "--constraint") {
        if (!v) throw bad(start, `${opt} needs a file name`);
        const inc = joinPath(dir, v);
        if (inc === undefined || v.startsWith("/") || /^[a-z+]+:\/\//i.test(v)) throw bad(start, `${opt} ${v} must name a file inside the app`);
        out.includes.push(inc);
      } else if (opt === "-e" || opt === "--editable") {
        if (!v) throw bad(start, `${opt} needs a path or URL`);
        if (isLocalPath(v)) local(start, v);
        else addName(out, v);
      } else if (opt === "-f" || opt === "--find-links") {
        if (!v) throw bad(start, `${opt} needs a folder or URL`);
        if (!/^[a-z+]+:\/\//i.test(v) || v.startsWith("file:")) local(start, v);
      } else if (VALUE_OPTIONS.has(opt!) || FLAG_OPTIONS.has(opt!)) {
        // Index and install options: pip reads them itself.
      } else {
        throw bad(start, `unknown pip option ${opt}`);
      }
      continue;
    }
    // A requirement, with optional per-requirement options (--hash=..., --config-settings ...).
    const req = line.replace(/\s+--?[A-Za-z-]+(?:[=\s]\S+)?/g, "").trim();
    if (isLocalPath(req)) {
      local(start, req);
      continue;
    }
    if (/^[a-z+]+:\/\//i.test(req)) {
      const egg = /#egg=([A-Za-z0-9._-]+)/.exec(req);
      if (egg) out.names.push(normaliseName(egg[1]!));
      continue;
    }
    const name = NAME.exec(req);
    if (!name) throw bad(start, `"${req}" is not a requirement (expected a name such as flask==3.0.3)`);
    let rest = req.slice(name[0].length);
    if (rest.startsWith("@")) {
      const url = rest.slice(1).trim();
      if (!url) throw bad(start, `"${req}" has "@" but no URL`);
      if (url.startsWith("file:")) local(start, url);
    } else {
      const spec = VERSION_SPEC.exec(rest);
      if (spec) rest = rest.slice(spec[0].length);
      if (rest && !rest.startsWith(";")) throw bad(start, `cannot read the version specifier in "${req}"`);
    }
    out.names.push(...withImplied(name[1]!, name[2]));
  }
  return out;
}

/**
 * Extras that install a distribution the plan looks for: a server the start command needs (`fastapi[standard]` brings
 * uvicorn, `channels[daphne]` daphne), or the build of a driver that decides the runtime's libraries (`psycopg[binary]`
 * bundles libpq, `psycopg[c]` links the system's).
 */
const IMPLIED: Record<string, Record<string, string[]>> = {
  fastapi: { standard: ["uvicorn"], "standard-no-fastapi-cloud-cli": ["uvicorn"], all: ["uvicorn"] },
  channels: { daphne: ["daphne"] },
  litestar: { standard: ["uvicorn"] },
  psycopg: { binary: ["psycopg-binary"], c: ["psycopg-c"] },
};

function withImplied(rawName: string, extras: string | undefined): string[] {
  const name = normaliseName(rawName);
  const list = (extras ?? "").replace(/[[\]\s]/g, "").split(",").filter(Boolean).map((e) => e.toLowerCase());
  return [name, ...list.flatMap((e) => IMPLIED[name]?.[e] ?? [])];
}

function addName(out: Requirements, v: string) {
  const egg = /#egg=([A-Za-z0-9._-]+)/.exec(v);
  if (egg) out.names.push(normaliseName(egg[1]!));
}

/** PEP 508 requirement string → normalised name (undefined when it is not one). */
export function requirementName(req: string): string | undefined {
  const m = NAME.exec(req.trim());
  return m ? normaliseName(m[1]!) : undefined;
}

/** PEP 508 requirement string → its name and the servers its extras bring. */
export function requirementNames(req: string): string[] {
  const m = NAME.exec(req.trim());
  return m ? withImplied(m[1]!, m[2]) : [];
}

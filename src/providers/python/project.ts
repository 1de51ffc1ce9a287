// What the manifests say: which package manager owns the app (by its lockfile,
// then its pyproject table), the files its install reads, the names of the
// distributions that will be installed (declared and locked), and the
// version sources the manifests carry.
import path from "node:path/posix";
import picomatch from "picomatch";
import { isFile, readJson, readText, UserError, type BuildContext } from "../../context/fs.js";
import { parseToml, type TomlTable } from "../../manifest/toml.js";
import type { WorkspaceRoot } from "../../kit/provider.js";
import { ancestors } from "../../context/subdir.js";
import { joinPath, normaliseName, parseRequirements, requirementNames } from "./requirements.js";

export type PackageManagerId = "uv" | "poetry" | "pdm" | "pipenv" | "pip";

export interface Project {
  pm: PackageManagerId;
  /** Files the dependency install reads, copied before the source (relative to the app). */
  installFiles: string[];
  /** Glob patterns copied with the manifests (local wheel folders, workspace members' pyproject.toml). */
  installPatterns: string[];
  /** Distribution names the install will put in the venv (declared and, where a lockfile says, transitive). */
  names: string[];
  /** Declared (direct) dependency names. */
  declared: string[];
  /** The app itself is an installable project (pip: `.` in requirements or a pyproject/setup.py with no requirements file). */
  installsSelf: boolean;
  /** pip without requirements.txt: the dependencies declared in pyproject [project].dependencies or setup.cfg install_requires, installed before the source. */
  pyprojectDeps?: string[];
  /** Poetry: the project is a package outside the app's root folder (`from = "src"`), so it is installed after the source. */
  poetryInstallSelf: boolean;
  /** Poetry: `package-mode = false`. PDM: `distribution = false`. uv: `package = false`. */
  nonPackage: boolean;
  /** uv workspace member globs. */
  uvWorkspace: string[];
  /** The app's own package (names and where), for finding its app object: see packageModules. */
  modules: PackageModule[];
  /** Console scripts the project declares ([project.scripts], [tool.poetry.scripts]); on PATH when the project is installed. */
  scripts: string[];
  /** The project itself is installed into the venv (its package importable from site-packages, its scripts on PATH). */
  installed: boolean;
  /** Version constraints the manifests carry, in the order they count. */
  versionHints: { raw: string | undefined; source: string }[];
  /** PROJECT_PATH is this uv workspace member (its folder from the workspace root, its project name): installed with --package. */
  member?: { dir: string; name: string };
  warnings: string[];
}

export const LOCKFILES = ["uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock"] as const;
export const MANIFESTS = ["requirements.txt", "pyproject.toml", "setup.py", "setup.cfg", "Pipfile", ...LOCKFILES] as const;
/** Common nested requirement files, read so their names count even two includes deep. */
export const NESTED_REQUIREMENTS = ["requirements/base.txt", "requirements/common.txt", "requirements/prod.txt", "requirements/production.txt", "requirements/main.txt"];

async function toml(ctx: BuildContext, file: string): Promise<TomlTable | undefined> {
  const text = await readText(ctx, file);
  return text === undefined ? undefined : parseToml(text, file);
}

const asTable = (v: unknown): TomlTable | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as TomlTable) : undefined);

function stringList(v: unknown, file: string, field: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new UserError(`${file}: ${field} must be a list of strings (PEP 621), such as ["flask>=3"]; fix it and build again.`, file);
  return v as string[];
}

/** Reads a requirements file and every file it includes (once each). */
export async function readRequirementsTree(ctx: BuildContext, file: string) {
  const seen = new Set<string>();
  const names: string[] = [];
  const localPaths: string[] = [];
  let installsSelf = false;
  const unread: string[] = [];
  const visit = async (f: string, depth: number) => {
    if (seen.has(f) || depth > 10) return;
    seen.add(f);
    const text = await readText(ctx, f);
    // An include we could not load is still copied, with the requirement files next to it (its own
    // includes, which we cannot see); pip reads them at build time and fails clearly if one is missing.
    if (text === undefined) {
      if (depth > 0) unread.push(f.includes("/") ? `${f.slice(0, f.lastIndexOf("/"))}/*.txt` : "*.txt");
      return;
    }
    const r = parseRequirements(text, f);
    names.push(...r.names);
    localPaths.push(...r.localPaths);
    installsSelf ||= r.installsSelf;
    for (const inc of r.includes) await visit(inc, depth + 1);
  };
  await visit(file, 0);
  return { files: [...seen], names, localPaths, installsSelf, unread: [...new Set(unread)] };
}

/** The includes of the app's requirements files, for the gateway's second read pass. */
export async function requirementIncludes(ctx: BuildContext): Promise<string[]> {
  const out: string[] = [];
  for (const f of ["requirements.txt", ...NESTED_REQUIREMENTS]) {
    const text = await readText(ctx, f);
    if (text === undefined) continue;
    try {
      out.push(...parseRequirements(text, f).includes);
    } catch {
      // Reported by facts().
    }
  }
  return out;
}

/** uv workspace member globs (`backend`, `packages/*`), cleaned. */
function uvMemberGlobs(pyproject: TomlTable | undefined): string[] {
  const ws = asTable(asTable(asTable(pyproject?.tool)?.uv)?.workspace);
  const members = Array.isArray(ws?.members) ? (ws!.members as unknown[]).filter((m): m is string => typeof m === "string") : [];
  return members.map((m) => joinPath("", m)).filter((m): m is string => Boolean(m));
}

/** uv workspace members' pyproject.toml patterns, for the second read pass and the manifests copy. */
export function uvMemberPatterns(pyproject: TomlTable | undefined): string[] {
  return uvMemberGlobs(pyproject).map((m) => `${m}/pyproject.toml`);
}

/** Where a member's package may hold the app object (`backend/app/main.py`, `apps/web/src/web/main.py`), as read patterns. */
export function uvMemberEntryPatterns(pyproject: TomlTable | undefined): string[] {
  return uvMemberGlobs(pyproject).flatMap((m) => [`${m}/*.py`, `${m}/src/*.py`, ...[...MODULE_ENTRY_NAMES, "__init__"].flatMap((f) => [`${m}/*/${f}.py`, `${m}/src/*/${f}.py`])]);
}

/** The members' folders: each glob component expanded by listing (uv's members are globs, `packages/*`). */
async function expandMembers(ctx: BuildContext, globs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const g of globs) {
    let dirs = [""];
    for (const part of g.split("/")) {
      if (!/[*?[]/.test(part)) {
        dirs = dirs.map((d) => (d ? `${d}/${part}` : part));
        continue;
      }
      const re = new RegExp("^" + part.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]") + "$");
      const next: string[] = [];
      for (const d of dirs) for (const e of (await ctx.readDir(d)) ?? []) if (e.kind === "dir" && re.test(e.name)) next.push(d ? `${d}/${e.name}` : e.name);
      dirs = next.sort();
    }
    out.push(...dirs);
  }
  return [...new Set(out)];
}

/** Locked package names from uv.lock reachable from the workspace's own packages (or the one named), without dev dependencies. */
function uvLockNames(lock: TomlTable, only?: string): string[] {
  const pkgs = (Array.isArray(lock.package) ? lock.package : []) as TomlTable[];
  const byName = new Map(pkgs.map((p) => [String(p.name), p]));
  const roots = pkgs.filter((p) => {
    const src = asTable(p.source);
    return src && (src.editable !== undefined || src.virtual !== undefined) && (!only || normaliseName(String(p.name)) === normaliseName(only));
  });
  const out = new Set<string>();
  const seenExtras = new Set<string>();
  const walk = (p: TomlTable | undefined) => {
    if (!p) return;
    for (const d of (Array.isArray(p.dependencies) ? p.dependencies : []) as TomlTable[]) {
      const n = normaliseName(String(d.name));
      const dep = byName.get(String(d.name));
      // `{ name = "psycopg", extra = ["binary"] }`: the extra's own dependencies are installed too.
      const optional = asTable(dep?.["optional-dependencies"]);
      for (const e of Array.isArray(d.extra) ? d.extra : []) {
        const key = `${n}[${String(e)}]`;
        if (seenExtras.has(key)) continue;
        seenExtras.add(key);
        walk({ dependencies: optional?.[String(e)] ?? [] } as TomlTable);
      }
      if (out.has(n)) continue;
      out.add(n);
      walk(dep);
    }
  };
  for (const r of roots) walk(r);
  if (!roots.length) for (const p of pkgs) out.add(normaliseName(String(p.name)));
  return [...out];
}

/** Locked names of the main group (Poetry 2: `groups`, Poetry 1: `category`). */
function poetryLockNames(lock: TomlTable): string[] {
  const pkgs = (Array.isArray(lock.package) ? lock.package : []) as TomlTable[];
  return pkgs
    .filter((p) => (Array.isArray(p.groups) ? (p.groups as unknown[]).includes("main") : p.category === undefined || p.category === "main"))
    .map((p) => normaliseName(String(p.name)));
}

function pdmLockNames(lock: TomlTable): string[] {
  const pkgs = (Array.isArray(lock.package) ? lock.package : []) as TomlTable[];
  return pkgs.filter((p) => !Array.isArray(p.groups) || (p.groups as unknown[]).includes("default")).map((p) => normaliseName(String(p.name)));
}

function poetryDeclared(pyproject: TomlTable | undefined): string[] {
  const deps = asTable(asTable(asTable(pyproject?.tool)?.poetry)?.dependencies);
  return Object.keys(deps ?? {}).filter((n) => n.toLowerCase() !== "python").map(normaliseName);
}

export async function readProject(ctx: BuildContext, memberDir?: string): Promise<Project> {
  const has = async (f: string) => isFile(ctx, f);
  const pyproject = await toml(ctx, "pyproject.toml");
  const tool = asTable(pyproject?.tool) ?? {};
  const project = asTable(pyproject?.project);
  const declaredPep621 = stringList(project?.dependencies, "pyproject.toml", "[project] dependencies").flatMap((r) => requirementNames(r));
  const hasReq = await has("requirements.txt");
  const locks = { uv: await has("uv.lock"), poetry: await has("poetry.lock"), pdm: await has("pdm.lock"), pipenvLock: await has("Pipfile.lock") };
  const pipfile = await has("Pipfile");
  const warnings: string[] = [];
  const versionHints: Project["versionHints"] = [];
  const projectPython = typeof project?.["requires-python"] === "string" ? (project["requires-python"] as string) : undefined;
  const poetryPython = (() => {
    const v = asTable(asTable(tool.poetry)?.dependencies)?.python;
    return typeof v === "string" ? v : undefined;
  })();

  // Which manager: a lockfile decides (the lock is what gets installed), then a pyproject tool table, then pip.
  let pm: PackageManagerId;
  if (locks.uv) pm = "uv";
  else if (locks.poetry) pm = "poetry";
  else if (locks.pdm) pm = "pdm";
  else if (locks.pipenvLock || pipfile) pm = "pipenv";
  else if (hasReq) pm = "pip";
  // Poetry 2 keeps the dependencies in [project]: a [tool.poetry] table alone (package-mode, groups) is Poetry's project.
  else if (asTable(tool.poetry)) pm = "poetry";
  else if (tool.uv) pm = "uv";
  else if (tool.pdm) pm = "pdm";
  else pm = "pip";
  const lockOf: Record<PackageManagerId, string | undefined> = { uv: "uv.lock", poetry: "poetry.lock", pdm: "pdm.lock", pipenv: "Pipfile.lock", pip: undefined };
  if (hasReq && pm !== "pip") warnings.push(`requirements.txt is ignored: ${lockOf[pm] && (await has(lockOf[pm]!)) ? lockOf[pm] : "pyproject.toml"} says the app uses ${pm}, which installs from its own lockfile. Delete one of them if that is wrong.`);
  if (!lockOf[pm] || !(await has(lockOf[pm]!))) {
    if (pm === "uv") warnings.push("pyproject.toml has [tool.uv] but there is no uv.lock: dependencies are resolved during the build, so builds are not reproducible. Commit uv.lock (uv lock).");
    if (pm === "poetry") warnings.push("pyproject.toml has [tool.poetry] but there is no poetry.lock: dependencies are resolved during the build. Commit poetry.lock (poetry lock).");
    if (pm === "pdm") warnings.push("pyproject.toml has [tool.pdm] but there is no pdm.lock: dependencies are resolved during the build. Commit pdm.lock (pdm lock).");
    if (pm === "pipenv") warnings.push("Pipfile has no Pipfile.lock: dependencies are resolved during the build. Commit Pipfile.lock (pipenv lock).");
  }

  const installFiles: string[] = [];
  const installPatterns: string[] = [];
  let names: string[] = [];
  let declared: string[] = [];
  let installsSelf = false;
  let pyprojectDeps: string[] | undefined;
  let nonPackage = false;
  let poetryInstallSelf = false;
  const uvWorkspace = uvMemberPatterns(pyproject);
  const setupCfgText = await readText(ctx, "setup.cfg");
  const cfg = setupCfgText === undefined ? undefined : setupCfg(setupCfgText);
  const modules = packageModules(pyproject, cfg, await readText(ctx, "setup.py"));
  // uv installs every member of a workspace (a virtual root installs them all): their packages may hold the app.
  const memberDeclared: string[] = [];
  // PROJECT_PATH = one member: its manifest says what the app is (modules relative to its folder, where it runs).
  const memberDoc = memberDir === undefined ? undefined : await toml(ctx, `${memberDir}/pyproject.toml`);
  const memberProject = asTable(memberDoc?.project);
  const member = memberDir !== undefined && typeof memberProject?.name === "string" ? { dir: memberDir, name: memberProject.name } : undefined;
  if (member) {
    modules.splice(0, modules.length, ...packageModules(memberDoc, undefined, undefined));
    memberDeclared.push(...stringList(memberProject!.dependencies, `${member.dir}/pyproject.toml`, "[project] dependencies").flatMap((r) => requirementNames(r)));
  } else if (uvWorkspace.length) {
    for (const dir of await expandMembers(ctx, uvMemberGlobs(pyproject))) {
      let member: TomlTable | undefined;
      try {
        member = await toml(ctx, `${dir}/pyproject.toml`);
      } catch {
        continue; // uv itself reports a broken member
      }
      const name = asTable(member?.project)?.name;
      if (typeof name !== "string") continue;
      for (const m of packageModules(member, undefined, undefined)) modules.push({ ...m, dir: m.dir ? `${dir}/${m.dir}` : dir });
      const deps = asTable(member?.project)?.dependencies;
      if (Array.isArray(deps)) memberDeclared.push(...deps.filter((d): d is string => typeof d === "string").flatMap((d) => requirementNames(d)));
    }
  }
  const buildSystem = Boolean(pyproject?.["build-system"]);

  switch (pm) {
    case "uv": {
      installFiles.push("pyproject.toml", "uv.lock");
      installPatterns.push(...uvWorkspace);
      const lock = await toml(ctx, "uv.lock");
      const memberPython = member && typeof memberProject?.["requires-python"] === "string" ? (memberProject["requires-python"] as string) : undefined;
      if (member) versionHints.push({ raw: memberPython, source: `${member.dir}/pyproject.toml requires-python` });
      if (typeof lock?.["requires-python"] === "string") versionHints.push({ raw: projectPython, source: "pyproject.toml requires-python" }, { raw: lock["requires-python"] as string, source: "uv.lock requires-python" });
      else versionHints.push({ raw: projectPython, source: "pyproject.toml requires-python" });
      declared = member ? memberDeclared : [...declaredPep621, ...memberDeclared];
      names = lock ? uvLockNames(lock, member?.name) : declared;
      const own = member ? asTable(asTable(memberDoc?.tool)?.uv) : asTable(tool.uv);
      nonPackage = own?.package === false || !(member ? memberDoc : pyproject)?.["build-system"];
      break;
    }
    case "poetry": {
      installFiles.push("pyproject.toml", "poetry.lock", "poetry.toml");
      const lock = await toml(ctx, "poetry.lock");
      declared = [...declaredPep621, ...poetryDeclared(pyproject)];
      names = lock ? poetryLockNames(lock) : declared;
      versionHints.push({ raw: projectPython, source: "pyproject.toml requires-python" }, { raw: poetryPython, source: "pyproject.toml tool.poetry.dependencies.python" });
      nonPackage = asTable(tool.poetry)?.["package-mode"] === false;
      // `poetry install --no-root` (Poetry's own advice for deployments) leaves the app's package out of the venv: fine for a
      // package at the root (/app is on PYTHONPATH), not for one under src/. That one is installed after the source.
      if (!nonPackage && buildSystem) {
        const fromDir = modules.some((m) => m.explicit && m.dir !== "");
        let srcPkg = false;
        for (const m of modules) if (!m.explicit && m.dir === "src" && (await has(`src/${m.module}/__init__.py`))) srcPkg = true;
        poetryInstallSelf = fromDir || srcPkg;
      }
      break;
    }
    case "pdm": {
      installFiles.push("pyproject.toml", "pdm.lock", "pdm.toml");
      const lock = await toml(ctx, "pdm.lock");
      declared = declaredPep621;
      names = lock ? pdmLockNames(lock) : declared;
      versionHints.push({ raw: projectPython, source: "pyproject.toml requires-python" });
      nonPackage = asTable(tool.pdm)?.distribution === false || (asTable(tool.pdm)?.distribution === undefined && !pyproject?.["build-system"]);
      break;
    }
    case "pipenv": {
      installFiles.push("Pipfile", "Pipfile.lock");
      const pf = await toml(ctx, "Pipfile");
      const requires = asTable(pf?.requires);
      declared = Object.keys(asTable(pf?.packages) ?? {}).map(normaliseName);
      const lock = (await readJson(ctx, "Pipfile.lock")) as { default?: Record<string, unknown>; _meta?: { requires?: Record<string, string> } } | undefined;
      if (lock !== undefined && (typeof lock !== "object" || lock === null)) throw new UserError("Pipfile.lock is not a Pipfile lock (expected a JSON object); run pipenv lock and build again.", "Pipfile.lock");
      names = lock?.default ? Object.keys(lock.default).map(normaliseName) : declared;
      versionHints.push(
        { raw: strOf(requires?.python_full_version), source: "Pipfile python_full_version" },
        { raw: strOf(requires?.python_version), source: "Pipfile python_version" },
        { raw: lock?._meta?.requires?.python_full_version ?? lock?._meta?.requires?.python_version, source: "Pipfile.lock python_version" },
      );
      break;
    }
    case "pip": {
      versionHints.push({ raw: projectPython, source: "pyproject.toml requires-python" });
      if (hasReq) {
        const tree = await readRequirementsTree(ctx, "requirements.txt");
        installFiles.push(...tree.files);
        installPatterns.push(...tree.localPaths.flatMap((p) => [p, `${p}/**`]), ...tree.unread);
        names = declared = tree.names;
        installsSelf = tree.installsSelf;
        if (installsSelf) installFiles.push("pyproject.toml", "setup.py", "setup.cfg");
      } else {
        // A package (a build backend, setup.py or setup.cfg): `pip install .`. Its declared dependencies (PEP 621, or
        // setup.cfg's declarative install_requires) install first, from the manifest alone. A pyproject [project] without
        // [build-system] is an application, not a package (uv and PDM treat it so): its dependencies alone are installed.
        const setupPy = await has("setup.py");
        installsSelf = (project !== undefined && buildSystem) || setupPy || cfg !== undefined;
        // `dynamic = ["dependencies"]`: the backend computes them (setup.py, setup.cfg, a file), so `pip install .` installs them.
        const dynamicDeps = Array.isArray(project?.dynamic) && (project!.dynamic as unknown[]).includes("dependencies");
        pyprojectDeps = dynamicDeps ? undefined : project ? stringList(project.dependencies, "pyproject.toml", "[project] dependencies") : cfg?.installRequires;
        const setupPyNames = !project && !cfg?.installRequires && setupPy ? setupPyRequires((await readText(ctx, "setup.py")) ?? "") : [];
        names = declared = project ? declaredPep621 : [...(cfg?.installRequires ?? []), ...setupPyNames].flatMap((r) => requirementNames(r));
        if (!project && !cfg?.installRequires && setupPy) warnings.push("setup.py declares its dependencies in code, so they are installed with the app after the source is copied (no separate dependency layer). A requirements.txt or pyproject.toml [project] dependencies makes that layer cacheable.");
      }
      break;
    }
  }
  const present: string[] = [];
  for (const f of installFiles) if (await has(f)) present.push(f);
  // uv reads .python-version (it must agree with the interpreter); nothing else outside the manifests.
  if (pm === "uv" && (await has(".python-version"))) present.push(".python-version");
  const scripts = member ? Object.keys(asTable(memberProject?.scripts) ?? {}) : [...Object.keys(asTable(project?.scripts) ?? {}), ...Object.keys(asTable(asTable(tool.poetry)?.scripts) ?? {})];
  const installed = pm === "uv" ? !nonPackage || uvWorkspace.length > 0 : pm === "pdm" ? !nonPackage : pm === "poetry" ? poetryInstallSelf : pm === "pip" ? installsSelf : false;
  return {
    pm,
    installFiles: present,
    installPatterns,
    names: [...new Set([...names, ...declared])],
    declared: [...new Set(declared)],
    installsSelf,
    pyprojectDeps,
    poetryInstallSelf,
    nonPackage,
    uvWorkspace,
    modules,
    scripts: [...new Set(scripts)],
    installed,
    versionHints,
    warnings,
    member,
  };
}

/**
 * PROJECT_PATH names a member of a uv workspace (listed in an enclosing pyproject's [tool.uv.workspace] members, not
 * excluded) with no lockfile or requirements.txt of its own: it is built from the workspace root, with the root's uv.lock.
 */
export async function findUvWorkspace(root: BuildContext, projectPath: string): Promise<WorkspaceRoot | undefined> {
  if (!projectPath || !(await isFile(root, `${projectPath}/pyproject.toml`))) return undefined;
  for (const f of [...LOCKFILES, "requirements.txt"]) if (await isFile(root, `${projectPath}/${f}`)) return undefined;
  for (const a of ancestors(projectPath)) {
    let doc: TomlTable | undefined;
    try {
      doc = await toml(root, a ? `${a}/pyproject.toml` : "pyproject.toml");
    } catch {
      continue;
    }
    const ws = asTable(asTable(asTable(doc?.tool)?.uv)?.workspace);
    if (!ws) continue;
    const member = a ? path.relative(a, projectPath) : projectPath;
    const globs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").map((g) => g.replace(/^\.\//, "").replace(/\/+$/, "")) : []);
    const listed = globs(ws.members).some((g) => picomatch.isMatch(member, g)) && !globs(ws.exclude).some((g) => picomatch.isMatch(member, g));
    return listed ? { root: a, member } : undefined;
  }
  return undefined;
}

/** The workspace member planning is for: PROJECT_PATH seen from the folder being planned (the workspace root), if it is below it. */
export function memberOf(planned: string, projectPath: string): string | undefined {
  if (!projectPath || planned === projectPath) return undefined;
  if (!planned) return projectPath;
  return projectPath.startsWith(`${planned}/`) ? projectPath.slice(planned.length + 1) : undefined;
}

/** A module the app's own package may be: its import name and the folder holding it ("" for the root). */
export interface PackageModule {
  module: string;
  dir: string;
  /** Named by the build config with its folder (Poetry `packages`, Hatch `packages`), not guessed from the project name. */
  explicit: boolean;
}

/** The project name as an import name (PEP 503 name → module: `acme-api` → `acme_api`). */
const importName = (name: string) => name.trim().toLowerCase().replace(/[-.\s]+/g, "_");
const IDENT = /^[A-Za-z_]\w*$/;

/**
 * Where the app's own package may live, from what the build config says: the project name (pyproject [project] or
 * [tool.poetry], setup.cfg, setup.py), at the root or under src/ (the two layouts setuptools, Hatch, Flit, uv and
 * Poetry default to), and the folders Poetry's and Hatch's `packages` name.
 */
export function packageModules(pyproject: TomlTable | undefined, cfg: { name?: string } | undefined, setupPy: string | undefined): PackageModule[] {
  const out: PackageModule[] = [];
  const add = (module: string, dir: string, explicit: boolean) => {
    const m = module.replace(/\/+$/, "");
    if (IDENT.test(m) && !out.some((x) => x.module === m && x.dir === dir)) out.push({ module: m, dir, explicit });
  };
  const tool = asTable(pyproject?.tool);
  const poetry = asTable(tool?.poetry);
  for (const p of Array.isArray(poetry?.packages) ? poetry!.packages : []) {
    const t = asTable(p);
    if (typeof t?.include === "string") add(t.include, typeof t.from === "string" ? joinPath("", t.from) ?? "" : "", true);
  }
  const hatch = asTable(asTable(asTable(asTable(tool?.hatch)?.build)?.targets)?.wheel)?.packages;
  for (const p of Array.isArray(hatch) ? hatch : []) {
    if (typeof p !== "string") continue;
    const clean = joinPath("", p) ?? "";
    const cut = clean.lastIndexOf("/");
    add(clean.slice(cut + 1), cut < 0 ? "" : clean.slice(0, cut), true);
  }
  const names = [asTable(pyproject?.project)?.name, poetry?.name, cfg?.name, setupPy && /\bname\s*=\s*["']([\w.-]+)["']/.exec(setupPy)?.[1]];
  for (const n of names) {
    if (typeof n !== "string" || !n.trim()) continue;
    add(importName(n), "", false);
    add(importName(n), "src", false);
  }
  return out;
}

const MODULE_ENTRY_NAMES = ["main", "app", "wsgi", "asgi", "api", "server", "application"];

/**
 * moduleEntryFiles for a module of any name, at the root or under src/, as
 * patterns. Declared with the detection reads, they come in the first transfer:
 * a packaged project (its name in pyproject.toml, setup.cfg or setup.py) then
 * needs no second one for its module's files.
 */
export const MODULE_ENTRY_PATTERNS = ["", "src/"].flatMap((dir) => [`${dir}*.py`, ...[...MODULE_ENTRY_NAMES, "__init__"].map((f) => `${dir}*/${f}.py`)]);

/** Files that may hold the app object in a package module, in the order they are searched. */
export function moduleEntryFiles(m: PackageModule): { file: string; module: string }[] {
  const at = (f: string) => (m.dir ? `${m.dir}/${f}` : f);
  return [
    { file: at(`${m.module}.py`), module: m.module },
    ...MODULE_ENTRY_NAMES.map((f) => ({ file: at(`${m.module}/${f}.py`), module: `${m.module}.${f}` })),
    { file: at(`${m.module}/__init__.py`), module: m.module },
  ];
}

/** The package modules' entry files, for the gateway's second read pass. */
export async function packageEntryFiles(ctx: BuildContext): Promise<string[]> {
  const pyproject = await toml(ctx, "pyproject.toml");
  const cfgText = await readText(ctx, "setup.cfg");
  const mods = packageModules(pyproject, cfgText === undefined ? undefined : setupCfg(cfgText), await readText(ctx, "setup.py"));
  return mods.flatMap((m) => moduleEntryFiles(m).map((e) => e.file));
}

/** setuptools' declarative config (setup.cfg, INI): `[metadata] name` and `[options] install_requires`. */
export function setupCfg(text: string): { name?: string; installRequires?: string[] } {
  let section = "";
  let key = "";
  const values = new Map<string, string[]>();
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*[#;]/.test(raw) || !raw.trim()) continue;
    const sec = /^\[([^\]]+)\]\s*$/.exec(raw);
    if (sec) {
      section = sec[1]!.trim();
      key = "";
      continue;
    }
    if (/^\s/.test(raw) && key) {
      values.get(key)!.push(raw.trim());
      continue;
    }
    const kv = /^([\w.-]+)\s*[=:]\s*(.*)$/.exec(raw);
    if (!kv) continue;
    key = `${section}.${kv[1]!.toLowerCase().replace(/-/g, "_")}`;
    values.set(key, kv[2]!.trim() ? [kv[2]!.trim()] : []);
  }
  const name = values.get("metadata.name")?.[0];
  const req = values.get("options.install_requires");
  // A dangling list, one requirement a line (the form setuptools documents; `file:` is read by setuptools itself).
  const installRequires = req?.map((l) => l.replace(/\s+#.*$/, "").trim()).filter((l) => l && !l.startsWith("file:"));
  return { name, installRequires: installRequires?.length ? installRequires : undefined };
}

/** setup.py's `install_requires=[...]` when it is a literal list of strings (names only: the install itself runs setup.py). */
export function setupPyRequires(text: string): string[] {
  const list = /\binstall_requires\s*=\s*\[([^\]]*)\]/.exec(text)?.[1];
  if (!list) return [];
  return [...list.matchAll(/["']([^"'\n]+)["']/g)].map((m) => m[1]!);
}

const strOf = (v: unknown) => (typeof v === "string" ? v : undefined);

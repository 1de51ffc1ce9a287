// What the manifests say: which package manager owns the app (by its lockfile,
// then its pyproject table), the files its install reads, the names of the
// distributions that will be installed (declared and locked), and the
// version sources the manifests carry.
import { isFile, readJson, readText, UserError, type BuildContext } from "../../context/fs.js";
import { parseToml, type TomlTable } from "../../manifest/toml.js";
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
  /** pip without requirements.txt: the dependencies listed in pyproject [project].dependencies, installed before the source. */
  pyprojectDeps?: string[];
  /** Poetry: `package-mode = false`. PDM: `distribution = false`. uv: `package = false`. */
  nonPackage: boolean;
  /** uv workspace member globs. */
  uvWorkspace: string[];
  /** Version constraints the manifests carry, in the order they count. */
  versionHints: { raw: string | undefined; source: string }[];
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

/** uv workspace members' pyproject.toml patterns, for the second read pass and the manifests copy. */
export function uvMemberPatterns(pyproject: TomlTable | undefined): string[] {
  const ws = asTable(asTable(asTable(pyproject?.tool)?.uv)?.workspace);
  const members = Array.isArray(ws?.members) ? (ws!.members as unknown[]).filter((m): m is string => typeof m === "string") : [];
  return members.map((m) => joinPath("", m)).filter((m): m is string => Boolean(m)).map((m) => `${m}/pyproject.toml`);
}

/** Locked package names from uv.lock reachable from the workspace's own packages, without dev dependencies. */
function uvLockNames(lock: TomlTable): string[] {
  const pkgs = (Array.isArray(lock.package) ? lock.package : []) as TomlTable[];
  const byName = new Map(pkgs.map((p) => [String(p.name), p]));
  const roots = pkgs.filter((p) => {
    const src = asTable(p.source);
    return src && (src.editable !== undefined || src.virtual !== undefined);
  });
  const out = new Set<string>();
  const walk = (p: TomlTable | undefined) => {
    if (!p) return;
    for (const d of (Array.isArray(p.dependencies) ? p.dependencies : []) as TomlTable[]) {
      const n = normaliseName(String(d.name));
      if (out.has(n)) continue;
      out.add(n);
      walk(byName.get(String(d.name)));
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

export async function readProject(ctx: BuildContext): Promise<Project> {
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
  else if (asTable(asTable(tool.poetry)?.dependencies)) pm = "poetry";
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
  const uvWorkspace = uvMemberPatterns(pyproject);

  switch (pm) {
    case "uv": {
      installFiles.push("pyproject.toml", "uv.lock");
      installPatterns.push(...uvWorkspace);
      const lock = await toml(ctx, "uv.lock");
      if (typeof lock?.["requires-python"] === "string") versionHints.push({ raw: projectPython, source: "pyproject.toml requires-python" }, { raw: lock["requires-python"] as string, source: "uv.lock requires-python" });
      else versionHints.push({ raw: projectPython, source: "pyproject.toml requires-python" });
      declared = declaredPep621;
      names = lock ? uvLockNames(lock) : declared;
      nonPackage = asTable(tool.uv)?.package === false || !pyproject?.["build-system"];
      break;
    }
    case "poetry": {
      installFiles.push("pyproject.toml", "poetry.lock", "poetry.toml");
      const lock = await toml(ctx, "poetry.lock");
      declared = [...declaredPep621, ...poetryDeclared(pyproject)];
      names = lock ? poetryLockNames(lock) : declared;
      versionHints.push({ raw: projectPython, source: "pyproject.toml requires-python" }, { raw: poetryPython, source: "pyproject.toml tool.poetry.dependencies.python" });
      nonPackage = asTable(tool.poetry)?.["package-mode"] === false;
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
        // A package (pyproject.toml / setup.py / setup.cfg): `pip install .`. Its PEP 621 dependencies install first, from the manifest alone.
        installsSelf = (await has("pyproject.toml")) || (await has("setup.py")) || (await has("setup.cfg"));
        pyprojectDeps = project ? stringList(project.dependencies, "pyproject.toml", "[project] dependencies") : undefined;
        names = declared = declaredPep621;
        if (!project && (await has("setup.py"))) warnings.push("setup.py declares its dependencies in code, so they are installed with the app after the source is copied (no separate dependency layer). A requirements.txt or pyproject.toml [project] dependencies makes that layer cacheable.");
        if (!project && !(await has("setup.py")) && !(await has("setup.cfg")) && pyproject) installsSelf = false;
      }
      break;
    }
  }
  const present: string[] = [];
  for (const f of installFiles) if (await has(f)) present.push(f);
  // uv reads .python-version (it must agree with the interpreter); nothing else outside the manifests.
  if (pm === "uv" && (await has(".python-version"))) present.push(".python-version");
  return { pm, installFiles: present, installPatterns, names: [...new Set([...names, ...declared])], declared: [...new Set(declared)], installsSelf, pyprojectDeps, nonPackage, uvWorkspace, versionHints, warnings };
}

const strOf = (v: unknown) => (typeof v === "string" ? v : undefined);

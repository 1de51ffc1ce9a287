// Python: a virtualenv at /app/.venv built in the full python:<v> image (it has
// the compilers and -dev libraries sdists need) by the app's own package
// manager from its manifests and lockfile alone — before the source is copied,
// so a source-only change keeps the install cached — then copied into
// python:<v>-slim with the shared libraries native extensions load, and the
// app's source. The start command is the production server the app installs.
import * as z from "../../lib/zod.js";
import { isFile, readText, readVersionFile, UserError, type BuildContext } from "../../context/fs.js";
import { boolOption, parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { BuildPlanInput, RunStep, Step } from "../../kit/schema.js";
import { commandArgv, selectWebCommand } from "../../kit/run-command.js";
import { COMMON_RUNTIME_EXCLUDES } from "../../kit/cleanup.js";
import { pickVersion, type VersionPick } from "../../kit/version-pick.js";
import { NONROOT } from "../../kit/hardened.js";
import { DEFAULT_PATH } from "../../kit/image-env.js";
import { shellQuote } from "../../kit/shell.js";
import type { PlanInput, Provider } from "../../kit/provider.js";
import { defaultPythonVersion, resolvePythonVersion } from "./versions.js";
import { SubdirContext, normalizeProjectPath } from "../../context/subdir.js";
import { findUvWorkspace, memberOf, MANIFESTS, MODULE_ENTRY_PATTERNS, NESTED_REQUIREMENTS, packageEntryFiles, readProject, requirementIncludes, uvMemberEntryPatterns, uvMemberPatterns, type PackageManagerId, type Project } from "./project.js";
import { defaultWebCommand, djangoEntryFiles, ENTRY_FILES, findManagePy, NESTED_MANAGE_PY, SETTINGS_PATTERNS, settingsFiles, settingsModuleOf, webFacts, type WebFacts } from "./web.js";
import { toolVersion, TOOL_VERSION_FILES } from "../../manifest/tool-versions.js";
import { runtimeLibraries } from "./system-libs.js";
import { parseToml } from "../../manifest/toml.js";

const PythonSettings = z.object({
  PYTHON_VERSION: z.string().trim().optional(),
  /** Heroku's switch: skip Django's collectstatic. */
  DISABLE_COLLECTSTATIC: boolOption.optional(),
});

/** Package managers' own versions, pinned (never "latest" at build time). */
export const TOOL_VERSIONS = { uv: "0.13.9", poetry: "2.5.1", pdm: "2.29.4", pipenv: "2026.10.3" } as const;
/**
 * Installed with the tools, pinned too: Poetry's export plugin (no longer bundled with Poetry 2:
 * poetry.lock → hashed requirements for pip), and the HTTP cache PDM 2.29 was made against
 * (hishel 2.0 removed the storage class it imports, so an unpinned install breaks every `pdm` command).
 */
export const TOOL_EXTRAS: Readonly<Record<string, readonly string[]>> = { poetry: ["poetry-plugin-export==1.10.1"], pdm: ["hishel==1.4.0"] };

export const VENV = "/app/.venv";
const APP = "/app";

/** The seeds' cleanup list (tests, caches, coverage) plus repository metadata; `__pycache__` never leaves the context (see SOURCE_EXCLUDES). */
export const PYTHON_RUNTIME_EXCLUDES = [...COMMON_RUNTIME_EXCLUDES, ".venv", "test", "tests", ".pytest_cache", ".coverage", "htmlcov", ".tox", ".nox", ".mypy_cache", ".ruff_cache"];
/** Stale bytecode and local environments from the developer's machine: fresh bytecode is compiled in the build. */
const SOURCE_EXCLUDES = [".venv", "**/__pycache__", "**/*.pyc", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox", ".nox"];

const VERSION_FILES = [".python-version", "runtime.txt", ...TOOL_VERSION_FILES];

export interface PythonFacts {
  version: VersionPick;
  project: Project;
  web: WebFacts;
  names: string[];
  systemPackages: string[];
}

export const pythonProvider: Provider<PythonFacts> = {
  id: "python",
  name: "Python",
  aliases: ["py", "python3"],
  hardened: { repo: "python", official: ["python"], user: NONROOT },
  // Venv scripts (gunicorn, uvicorn...) start through their shebang; on a shell-less runtime they run as modules of the venv's python, and `./x.py` as `python x.py`.
  execForm: pythonExecForm,
  imageEnv: { "docker.io/library/python": [`PATH=${DEFAULT_PATH}`, "LANG=C.UTF-8"] },
  sample: {
    "requirements.txt": "flask==3.1.0\ngunicorn==23.0.0\n",
    "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
  },
  markers: MANIFESTS,
  workspaceRoot: findUvWorkspace,
  options: Object.keys(PythonSettings.shape),
  reads: [...MANIFESTS, ...VERSION_FILES, "poetry.toml", "pdm.toml", "manage.py", NESTED_MANAGE_PY, ...ENTRY_FILES, ...NESTED_REQUIREMENTS, ...MODULE_ENTRY_PATTERNS, ...SETTINGS_PATTERNS],

  async matches(ctx) {
    for (const m of MANIFESTS) if (await isFile(ctx, m)) return true;
    return false;
  },

  async followUp(ctx) {
    const out = await requirementIncludes(ctx);
    const pyproject = await readText(ctx, "pyproject.toml");
    if (pyproject !== undefined) {
      try {
        const doc = parseToml(pyproject, "pyproject.toml");
        out.push(...uvMemberPatterns(doc), ...uvMemberEntryPatterns(doc));
      } catch {
        // Reported by facts().
      }
    }
    try {
      out.push(...(await packageEntryFiles(ctx)));
    } catch {
      // Reported by facts().
    }
    const manage = await findManagePy(ctx);
    const settings = manage && settingsModuleOf(manage.text);
    const at = (f: string) => (manage?.dir ? `${manage.dir}/${f}` : f);
    if (settings) out.push(...[...settingsFiles(settings), ...djangoEntryFiles(settings)].map(at));
    return out;
  },

  facts: pythonFacts,

  summary(f) {
    return { language: "python", version: f.version.version, versionSource: f.version.source, packageManager: f.project.pm, framework: f.web.framework };
  },

  plan: planPython,
};

async function pythonFacts(ctx: BuildContext, args: BuildArgs): Promise<PythonFacts> {
  const settings = parseArgs(PythonSettings, args);
  for (const lock of ["uv.lock", "poetry.lock", "pdm.lock"]) {
    if ((await isFile(ctx, lock)) && !(await isFile(ctx, "pyproject.toml"))) {
      throw new UserError(`${lock} is here but pyproject.toml is not: the lockfile belongs to a project, and its manager needs pyproject.toml next to it (or set PROJECT_PATH to the app's folder).`, "pyproject.toml");
    }
  }
  if ((await isFile(ctx, "Pipfile.lock")) && !(await isFile(ctx, "Pipfile"))) {
    throw new UserError("Pipfile.lock is here but Pipfile is not: pipenv installs from both; commit the Pipfile.", "Pipfile");
  }
  // Planned at a uv workspace's root for the member PROJECT_PATH names (see findUvWorkspace).
  const memberDir = memberOf(ctx instanceof SubdirContext ? ctx.dir : "", normalizeProjectPath(args.PROJECT_PATH));
  const project = await readProject(ctx, memberDir);
  const mise = await toolVersion(ctx, "python");
  const version = pickVersion(
    "Python",
    [
      { raw: settings.PYTHON_VERSION, source: "build arg PYTHON_VERSION" },
      { raw: await readVersionFile(ctx, ".python-version"), source: ".python-version" },
      { raw: await readVersionFile(ctx, "runtime.txt"), source: "runtime.txt" },
      // mise (mise.toml and the rest, .tool-versions as its lowest-precedence file) and asdf.
      { raw: mise?.version, source: mise?.file ?? ".tool-versions" },
      ...project.versionHints,
    ],
    resolvePythonVersion,
    defaultPythonVersion(),
    "Use a version such as 3.13, 3.13.9 or a range such as >=3.11",
  );
  const names = new Set(project.names);
  const web = await webFacts(project.member ? new SubdirContext(ctx, project.member.dir) : ctx, names, project);
  return { version, project, web, names: [...names].sort(), systemPackages: runtimeLibraries(names) };
}


const TOOL_VENV = (tool: string) => `/opt/${tool}`;

/** A package manager installed at its pinned version into its own venv (never into the app's). */
function toolStep(tool: Exclude<PackageManagerId, "pip">): RunStep {
  const v = TOOL_VERSIONS[tool];
  const extra = (TOOL_EXTRAS[tool] ?? []).map((x) => ` ${x}`).join("");
  return {
    kind: "run",
    name: `install ${tool} ${v}`,
    shell: `python -m venv ${TOOL_VENV(tool)} && ${TOOL_VENV(tool)}/bin/pip install --disable-pip-version-check -q ${tool}==${v}${extra}`,
    caches: ["pip"],
    env: [],
  };
}

const CACHES = {
  pip: { id: "python-pip", target: "/root/.cache/pip", sharing: "shared" as const },
  uv: { id: "python-uv", target: "/root/.cache/uv", sharing: "shared" as const },
  poetry: { id: "python-poetry", target: "/root/.cache/pypoetry", sharing: "shared" as const },
  pdm: { id: "python-pdm", target: "/root/.cache/pdm", sharing: "shared" as const },
};

interface InstallPlan {
  /** Runs before the source is copied (from the manifests alone). */
  deps?: { shell: string; caches: string[] };
  /** Runs after the source is copied (the app itself as a package). */
  self?: { name: string; shell: string; caches: string[] };
  env: [string, string][];
  warnings: string[];
}

const COMPILE_VENV = `{ python -m compileall -q -j 0 ${VENV}/lib >/dev/null 2>&1 || true; }`;

function installPlan(p: Project): InstallPlan {
  const venv = `python -m venv ${VENV}`;
  const warnings: string[] = [];
  switch (p.pm) {
    case "uv": {
      const ws = p.uvWorkspace.length > 0;
      const locked = p.installFiles.includes("uv.lock") ? "--locked" : "";
      const flags = [locked, "--no-dev"].filter(Boolean).join(" ");
      // One member of the workspace (PROJECT_PATH): its dependencies and itself, not the other members'.
      const only = p.member ? ` --package ${shellQuote(p.member.name)}` : "";
      return {
        deps: { shell: `${TOOL_VENV("uv")}/bin/uv sync ${flags} ${ws ? "--no-install-workspace" : "--no-install-project"}${only}`, caches: ["uv"] },
        self: p.nonPackage && !ws ? undefined : { name: "install the project (uv sync)", shell: `${TOOL_VENV("uv")}/bin/uv sync ${flags}${only}`, caches: ["uv"] },
        env: [
          ["UV_PROJECT_ENVIRONMENT", VENV],
          ["UV_PYTHON_DOWNLOADS", "never"],
          ["UV_PYTHON_PREFERENCE", "only-system"],
          ["UV_COMPILE_BYTECODE", "1"],
          ["UV_LINK_MODE", "copy"],
          ["UV_CACHE_DIR", CACHES.uv.target],
          ["UV_NO_PROGRESS", "1"],
        ],
        warnings,
      };
    }
    case "poetry": {
      // With poetry.lock: exported with its hashes (poetry-plugin-export) and installed by pip, which verifies every
      // file against the lock and needs only the index's simple API. --no-root: the app runs from /app (on PYTHONPATH).
      const locked = p.installFiles.includes("poetry.lock");
      const exported = "/tmp/poetry-requirements.txt";
      const poetry = `${TOOL_VENV("poetry")}/bin/poetry`;
      const shell = locked
        ? `${venv} && ${poetry} export --only main --format requirements.txt --output ${exported} && pip install --no-deps -r ${exported} && rm ${exported}`
        : `${venv} && ${poetry} install --no-interaction --no-ansi --no-root --only main && ${COMPILE_VENV}`;
      return {
        deps: { shell, caches: locked ? ["pip"] : ["poetry", "pip"] },
        self: p.poetryInstallSelf ? { name: "install the project (pip install --no-deps .)", shell: "pip install --no-deps .", caches: ["pip"] } : undefined,
        env: [
          ["POETRY_VIRTUALENVS_IN_PROJECT", "true"],
          ["POETRY_CACHE_DIR", CACHES.poetry.target],
          ["POETRY_NO_INTERACTION", "1"],
        ],
        warnings,
      };
    }
    case "pdm": {
      const check = p.installFiles.includes("pdm.lock") ? "--check " : "";
      return {
        deps: { shell: `${venv} && ${TOOL_VENV("pdm")}/bin/pdm install ${check}--prod --no-self && ${COMPILE_VENV}`, caches: ["pdm", "pip"] },
        self: p.nonPackage ? undefined : { name: "install the project (pdm)", shell: `${TOOL_VENV("pdm")}/bin/pdm install ${check}--prod`, caches: ["pdm", "pip"] },
        env: [
          ["PDM_CHECK_UPDATE", "false"],
          ["PDM_CACHE_DIR", CACHES.pdm.target],
          ["PDM_NON_INTERACTIVE", "1"],
        ],
        warnings,
      };
    }
    case "pipenv": {
      const locked = p.installFiles.includes("Pipfile.lock");
      return {
        deps: { shell: `${venv} && ${TOOL_VENV("pipenv")}/bin/pipenv ${locked ? "install --deploy" : "install --skip-lock"} && ${COMPILE_VENV}`, caches: ["pip"] },
        env: [
          ["PIPENV_VENV_IN_PROJECT", "1"],
          ["PIPENV_VERBOSITY", "-1"],
          ["PIPENV_NOSPIN", "1"],
          ["PIPENV_YES", "1"],
        ],
        warnings,
      };
    }
    case "pip": {
      const req = p.installFiles.includes("requirements.txt");
      if (req && p.installsSelf) {
        warnings.push("requirements.txt installs the app's own folder (`.` or `-e .`), so the install runs after the source is copied and a source change re-runs it. List the dependencies alone in requirements.txt to keep them cached.");
        return { self: { name: "install dependencies (pip)", shell: `${venv} && pip install -r requirements.txt`, caches: ["pip"] }, env: [], warnings };
      }
      if (req) return { deps: { shell: `${venv} && pip install -r requirements.txt`, caches: ["pip"] }, env: [], warnings };
      const deps = p.pyprojectDeps ?? [];
      const depsStep = { shell: deps.length ? `${venv} && pip install ${shellQuote(...deps)}` : venv, caches: deps.length ? ["pip"] : [] };
      if (!p.installsSelf) {
        // pyproject [project] without a build backend: an application whose dependencies are all there is to install.
        if (!p.pyprojectDeps) warnings.push("no requirements.txt, lockfile or installable project was found, so no dependencies are installed; add a requirements.txt.");
        return { deps: depsStep, env: [], warnings };
      }
      return {
        deps: { ...depsStep, caches: ["pip"] },
        self: { name: "install the app (pip install .)", shell: `pip install ${p.pyprojectDeps ? "--no-deps " : ""}.`, caches: ["pip"] },
        env: [],
        warnings,
      };
    }
  }
}

function planPython({ facts, args, common, procfile }: PlanInput<PythonFacts>): BuildPlanInput {
  const settings = parseArgs(PythonSettings, args);
  const { project, web, version } = facts;
  const names = new Set(facts.names);
  const warnings = [...project.warnings];
  const install = installPlan(project);
  warnings.push(...install.warnings);

  const fallback = () => {
    const w: string[] = [];
    const cmd = defaultWebCommand(web, names, w);
    warnings.push(...w);
    if (!cmd) {
      throw new UserError("there is no start command: no Django manage.py, no app object in " + ENTRY_FILES.slice(0, 6).join(", ") + ", and no app.py or main.py. Set RUN_COMMAND, or add a Procfile with a web: line (web: gunicorn myapp.wsgi --bind 0.0.0.0:$PORT).", "Procfile");
    }
    return cmd;
  };
  const chosen = common.runCommand || procfile?.web ? selectWebCommand(common.runCommand, procfile, "") : { command: fallback(), source: "default" as const };
  // `poetry run gunicorn ...` (Procfiles written for a machine with the tool): the runtime has the venv on PATH and no tool.
  const direct = (cmd: string | undefined) => {
    const r = withoutRunner(cmd);
    if (r.runner) warnings.push(`"${r.runner} run" is dropped from "${cmd}": the venv's commands are on PATH in the image, and ${r.runner} is not installed there.`);
    return r.command;
  };
  const command = direct(chosen.command)!;
  const release = direct(procfile?.release);
  const workers = (procfile?.workers ?? []).map((w) => ({ ...w, command: direct(w.command)! }));

  const tool = project.pm === "pip" ? undefined : toolStep(project.pm);
  const usedCaches = new Set<string>(tool ? ["pip"] : []);
  const steps: Step[] = [];
  if (tool) steps.push(tool);
  if (install.deps) {
    // Nothing to copy when the install reads no file (dependencies named in the command): an empty include would copy everything.
    const manifests = [...project.installFiles, ...project.installPatterns];
    if (manifests.length) steps.push({ kind: "copy", name: "copy dependency manifests", from: "context", paths: ["."], include: manifests, exclude: SOURCE_EXCLUDES, dest: APP });
    steps.push({ kind: "run", name: `install dependencies (${project.pm})`, shell: install.deps.shell, caches: install.deps.caches, env: [] });
    install.deps.caches.forEach((c) => usedCaches.add(c));
  }
  steps.push({ kind: "copy", name: "copy source", from: "context", paths: ["."], dest: APP, exclude: SOURCE_EXCLUDES });
  if (install.self) {
    steps.push({ kind: "run", name: install.self.name, shell: install.self.shell, caches: install.self.caches, env: [] });
    install.self.caches.forEach((c) => usedCaches.add(c));
  }
  // Build: BUILD_COMMAND, else Django's collectstatic when settings set STATIC_ROOT; then the app's bytecode.
  const collect = web.django?.staticRoot && !settings.DISABLE_COLLECTSTATIC && !common.buildCommand;
  // A workspace member runs in its own folder; paths the build uses are from the workspace root.
  const member = project.member?.dir;
  const inMember = (p: string) => (member ? (p ? `${member}/${p}` : member) : p);
  const managePy = inMember(`${web.django?.dir ? `${web.django.dir}/` : ""}manage.py`);
  const build = common.buildCommand ?? (collect ? collectstatic(managePy) : undefined);
  const compile = `{ python -m compileall -q -j 0 -x '/\\.venv/' . >/dev/null || echo "warning: some .py files do not compile (python -m compileall); they are shipped as they are" >&2; }`;
  steps.push({
    kind: "run",
    name: [common.buildCommand ? "build" : collect ? "collectstatic" : undefined, "compile bytecode"].filter(Boolean).join(" and "),
    shell: [build, compile].filter(Boolean).join(" && "),
    caches: [],
    // Throwaway values for collectstatic only: Django refuses to import settings without a SECRET_KEY. Never in the image.
    env: collect
      ? [
          ["SECRET_KEY", "migetpacks-collectstatic-not-a-secret"],
          ["DJANGO_SECRET_KEY", "migetpacks-collectstatic-not-a-secret"],
        ]
      : [],
  });
  if (web.django?.staticRootElsewhere && !common.buildCommand) {
    const module = web.django.settingsModule!;
    warnings.push(`STATIC_ROOT is set only in a settings module ${managePy} does not use (it uses ${module}), so collectstatic does not run. Set STATIC_ROOT there, or collect with BUILD_COMMAND="DJANGO_SETTINGS_MODULE=<your production settings> python ${managePy} collectstatic --noinput".`);
  } else if (web.django && !web.django.staticRoot && !web.django.noStaticfiles && !common.buildCommand && chosen.source === "default") {
    warnings.push("Django settings set no STATIC_ROOT, so collectstatic does not run; set STATIC_ROOT (and serve static files, e.g. with WhiteNoise) for production.");
  }

  const caches = Object.fromEntries([...usedCaches].sort().map((c) => [c, CACHES[c as keyof typeof CACHES]]));
  return {
    schema: 2,
    result: {
      language: "python",
      version: version.version,
      versionSource: version.source,
      packageManager: project.pm,
      framework: web.framework,
      runCommand: command,
      port: common.port,
      processes: { web: command, release, workers },
      _shell: true,
    },
    caches,
    stages: [
      {
        name: "build",
        image: `python:${version.version}`,
        platform: "target",
        workdir: APP,
        env: [
          ["PATH", `${VENV}/bin:${DEFAULT_PATH}`],
          ["VIRTUAL_ENV", VENV],
          ["PYTHONUNBUFFERED", "1"],
          ["PYTHONDONTWRITEBYTECODE", "1"],
          ["LANG", "C.UTF-8"],
          ["PIP_DISABLE_PIP_VERSION_CHECK", "1"],
          ["PIP_ROOT_USER_ACTION", "ignore"],
          ["PIP_NO_INPUT", "1"],
          ...install.env,
        ],
        steps,
      },
    ],
    runtime: {
      image: `python:${version.version}-slim`,
      packages: facts.systemPackages,
      user: "1000:1000",
      workdir: member ? `${APP}/${member}` : APP,
      env: [
        ["PATH", `${VENV}/bin:${DEFAULT_PATH}`],
        ["VIRTUAL_ENV", VENV],
        ["PYTHONUNBUFFERED", "1"],
        ["PYTHONDONTWRITEBYTECODE", "1"],
        // A Django project in a folder of the repository (mysite/manage.py), or an app run from src/, imports its modules from there.
        ["PYTHONPATH", [...web.pythonPath.map(inMember), ...(member ? [member] : []), APP].map((d) => (d === APP ? d : `${APP}/${d}`)).join(":")],
        ["LANG", "C.UTF-8"],
        // uid 1000 has no home in the image (HOME=/ is not writable): gunicorn 25+ makes ~/.gunicorn for its control
        // socket, and matplotlib, Hugging Face and NLTK keep their caches under HOME.
        ["HOME", "/tmp"],
        // The platform's proxy sets X-Forwarded-*: gunicorn and uvicorn trust it.
        ["FORWARDED_ALLOW_IPS", "*"],
        ["PORT", String(common.port)],
        // `flask run` (an app.run() script that would bind 127.0.0.1): the app it serves.
        ...(chosen.source === "default" && command.startsWith("flask run") && web.app ? ([["FLASK_APP", web.app.target.replace(/'/g, "")]] as [string, string][]) : []),
        // Gradio binds 127.0.0.1:7860 unless its own variables say otherwise (Hugging Face Spaces set them the same way).
        ...(web.gradio
          ? ([
              ["GRADIO_SERVER_NAME", "0.0.0.0"],
              ["GRADIO_SERVER_PORT", String(common.port)],
            ] as [string, string][])
          : []),
      ],
      // The venv first (its own layer: unchanged by source edits), the application last.
      copies: [
        { stage: "build", src: VENV, dest: VENV, exclude: [] },
        { stage: "build", src: APP, dest: APP, exclude: PYTHON_RUNTIME_EXCLUDES },
      ],
      cmd: commandArgv(command),
      port: common.port,
      shell: true,
    },
    warnings,
  };
}

function collectstatic(managePy: string): string {
  return `{ python ${managePy} collectstatic --noinput || { echo "python ${managePy} collectstatic failed (output above). Settings must import during the build without run-time services or secrets; fix that, or set DISABLE_COLLECTSTATIC=1." >&2; exit 1; }; }`;
}

/** `poetry run` / `uv run` / `pipenv run` / `pdm run` and their flags that take no value, before the command they run. */
const RUNNER = /^\s*(poetry|uv|pipenv|pdm)\s+run\s+((?:--(?:no-sync|frozen|locked|no-dev|offline|quiet|no-project|active)\s+|-q\s+)*)(?=[^-\s])/;

export function withoutRunner(command: string | undefined): { command: string | undefined; runner?: string } {
  const m = command === undefined ? null : RUNNER.exec(command);
  return m ? { command: command!.slice(m[0].length), runner: m[1] } : { command };
}

/** Console scripts of the venv that run the same as `python -m <tool>`. */
const MODULE_TOOLS = new Set(["gunicorn", "uvicorn", "hypercorn", "granian", "streamlit", "flask", "celery", "daphne", "waitress-serve", "sanic"]);

export function pythonExecForm(argv: string[]): string[] {
  const [first, ...rest] = argv;
  if (first === undefined) return argv;
  if (/^(\.\/)?[\w./-]+\.py$/.test(first)) return ["python", first.replace(/^\.\//, ""), ...rest];
  const base = first.replace(/^(\/app\/\.venv\/bin\/|\.venv\/bin\/)/, "");
  if (MODULE_TOOLS.has(base)) return ["python", "-m", base === "waitress-serve" ? "waitress" : base, ...rest];
  if (base === "python3") return ["python", ...rest];
  return argv;
}

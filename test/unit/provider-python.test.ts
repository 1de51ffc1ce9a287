import { describe, it, expect } from "vitest";
import { UserError, type BuildContext } from "../../src/context/fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { pythonExecForm, pythonProvider, TOOL_VERSIONS } from "../../src/providers/python/index.js";
import { parseRequirements } from "../../src/providers/python/requirements.js";
import { defaultPythonVersion, PYTHON_RELEASES, resolvePythonVersion, SUPPORTED_LINES } from "../../src/providers/python/versions.js";
import { runtimeLibraries } from "../../src/providers/python/system-libs.js";
import type { BuildPlan, CopyStep, RunStep } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";
import { userError } from "../helpers/user-error.js";
import { moduleEntryFiles } from "../../src/providers/python/project.js";
import { djangoEntryFiles, settingsFiles } from "../../src/providers/python/web.js";
import { isBroughtBy } from "../../src/detect/follow-up.js";

type Files = Record<string, string>;
const plan = async (ctx: BuildContext, args: Files = {}) => (await buildPlan(ctx, args)).plan;
const mem = (files: Files, args: Files = {}) => plan(new MemoryContext(files), args);
const runs = (p: BuildPlan) => p.stages[0]!.steps.filter((s) => s.kind === "run") as (RunStep & { env: [string, string][] })[];
const shells = (p: BuildPlan) => runs(p).map((s) => s.shell).join("\n");
const flask = { "requirements.txt": "flask==3.1.3\ngunicorn==23.0.0\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n", ".python-version": "3.11\n" };


const newest = (line: string) => PYTHON_RELEASES.filter((v) => v.startsWith(line + ".")).at(-1)!;

describe("python detection", () => {
  it.each(["requirements.txt", "pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "uv.lock", "poetry.lock", "pdm.lock"])("%s marks Python", async (marker) => {
    expect(await pythonProvider.matches(new MemoryContext({ [marker]: "" }))).toBe(true);
  });
  it("main.py alone does not", async () => expect(await pythonProvider.matches(new MemoryContext({ "main.py": "" }))).toBe(false));
  it("Python wins over package.json and go.mod (the original's order), Ruby over Python", async () => {
    expect((await mem({ ...flask, "package.json": "{}", "go.mod": "module x\n" })).result.language).toBe("python");
    await expect(mem({ ...flask, Gemfile: "" })).rejects.toThrow(/Ruby/);
  });
  it("an app with only main.py and requirements.txt runs python main.py", async () => {
    const p = await mem({ "requirements.txt": "requests\n", "main.py": "print(1)\n", ".python-version": "3.11" });
    expect(p.result.runCommand).toBe("python main.py");
    expect(p.result.packageManager).toBe("pip");
  });
  it("a lockfile without pyproject.toml is a clear error", async () => {
    const e = await userError(mem({ "uv.lock": "version = 1\n" }));
    expect(e.message).toContain("uv.lock is here but pyproject.toml is not");
  });
  it("no start command at all is a clear error naming the fixes", async () => {
    const e = await userError(mem({ "requirements.txt": "requests\n", ".python-version": "3.11" }));
    expect(e.message).toMatch(/RUN_COMMAND.*Procfile/);
  });
});

describe("python versions", () => {
  it.each([
    ["3.12.3", "3.12.3"],
    ["3.11", newest("3.11")],
    ["python-3.10.4", "3.10.4"],
    ["cpython-3.12", newest("3.12")],
    [">=3.10,<3.12", newest("3.11")],
    ["~=3.11", newest(SUPPORTED_LINES[0]!)],
    ["~=3.11.2", newest("3.11")],
    ["==3.12.*", newest("3.12")],
    ["^3.11", newest(SUPPORTED_LINES[0]!)],
    ["~3.10", newest("3.10")],
    [">=3.9, !=3.13.*", newest(SUPPORTED_LINES[0]!).startsWith("3.13") ? newest("3.12") : newest(SUPPORTED_LINES[0]!)],
    ["<3.10", newest("3.9")],
    ["3.99.1", "3.99.1"],
  ])("%s → %s", (raw, want) => {
    expect(resolvePythonVersion(raw)).toEqual({ ok: true, version: want });
  });
  it("a range prefers the newest supported line", () => {
    expect(resolvePythonVersion(">=3.8")).toEqual({ ok: true, version: newest(SUPPORTED_LINES[0]!) });
    expect(defaultPythonVersion()).toBe(PYTHON_RELEASES.at(-1));
  });
  it.each([
    ["pypy3.10", /not CPython/],
    ["3.13t", /free-threaded/],
    ["3.11.99", /never released/],
    [">=3.11b1", /pre-, post- or local/],
    ["3.11.*.x", /comparison operator/],
    [">=4", /no Python release satisfies/],
    ["~=3", /~= needs at least two/],
  ])("%s is refused: %s", (raw, reason) => {
    const r = resolvePythonVersion(raw);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });
  it("PYTHON_VERSION > .python-version > runtime.txt > .tool-versions > requires-python", async () => {
    const base = { "requirements.txt": "x\n", "main.py": "", "runtime.txt": "python-3.10.4\n", ".tool-versions": "nodejs 22\npython 3.9.18 3.11.1\n", "pyproject.toml": '[project]\nname="a"\nrequires-python=">=3.12"\n' };
    expect((await mem({ ...base, ".python-version": "3.11.2\n" }, { PYTHON_VERSION: "3.12.1" })).result).toMatchObject({ version: "3.12.1", versionSource: "build arg PYTHON_VERSION" });
    expect((await mem({ ...base, ".python-version": "# pin\n3.11.2\n" })).result).toMatchObject({ version: "3.11.2", versionSource: ".python-version" });
    expect((await mem(base)).result).toMatchObject({ version: "3.10.4", versionSource: "runtime.txt" });
    const { "runtime.txt": _, ...noRuntime } = base;
    expect((await mem(noRuntime)).result).toMatchObject({ version: "3.9.18", versionSource: ".tool-versions" });
  });
  it("Pipfile python_version and Poetry's python constraint count", async () => {
    expect((await mem({ Pipfile: '[packages]\n[requires]\npython_version = "3.10"\n', "main.py": "" })).result).toMatchObject({ version: newest("3.10"), versionSource: "Pipfile python_version" });
    const poetry = '[tool.poetry]\nname="a"\n[tool.poetry.dependencies]\npython = "~3.10"\n';
    expect((await mem({ "pyproject.toml": poetry, "poetry.lock": "", "main.py": "" })).result).toMatchObject({ version: newest("3.10"), versionSource: "pyproject.toml tool.poetry.dependencies.python" });
  });
  it("a bad version names its file", async () => {
    const e = await userError(mem({ ...flask, ".python-version": "pypy3.10\n" }));
    expect(e.file).toBe(".python-version");
    expect(e.message).toContain("Use a version such as 3.13");
  });
  it(".tool-versions: the first python version", async () => {
    expect((await mem({ "requirements.txt": "x\n", "main.py": "", ".tool-versions": "ruby 3.3\npython 3.12.1 3.11.0\n" })).result).toMatchObject({ version: "3.12.1", versionSource: ".tool-versions" });
    expect((await mem({ "requirements.txt": "x\n", "main.py": "", ".tool-versions": "nodejs 22\n" })).result.versionSource).toBe("default");
  });
});

describe("requirements files", () => {
  it("reads names, includes, local paths and per-line options", () => {
    const r = parseRequirements(
      [
        "# comment",
        "-r base.txt",
        "--constraint=constraints.txt",
        "-i https://index.example/simple",
        "Flask[async]>=3.0,<4 ; python_version >= '3.9'",
        "gunicorn==23.0.0 --hash=sha256:abc \\",
        "    --hash=sha256:def",
        "Django_Storages ~= 1.14",
        "-e ./libs/shared",
        "--find-links ./wheels",
        "./vendor/thing-1.0-py3-none-any.whl",
        "mylib @ https://example.invalid/mylib.zip",
        "https://example.invalid/x.tar.gz#egg=xpkg",
      ].join("\n"),
      "requirements/prod.txt",
    );
    expect(r.names).toEqual(["flask", "gunicorn", "django-storages", "mylib", "xpkg"]);
    expect(r.includes).toEqual(["requirements/base.txt", "requirements/constraints.txt"]);
    expect(r.localPaths).toEqual(["libs/shared", "wheels", "vendor/thing-1.0-py3-none-any.whl"]);
    expect(r.installsSelf).toBe(false);
  });
  it("`.` and `-e .` install the app itself", () => {
    expect(parseRequirements("-e .\n", "requirements.txt").installsSelf).toBe(true);
    expect(parseRequirements(".[web]\n", "requirements.txt").installsSelf).toBe(true);
  });
  it.each([
    ["flask==\n", 1, /version specifier/],
    ["ok\n--frobnicate\n", 2, /unknown pip option --frobnicate/],
    ["\n\n-r\n", 3, /-r needs a file name/],
    ["-r ../../etc/passwd\n", 1, /inside the app/],
    ["/opt/wheels/x.whl\n", 1, /absolute path/],
    ["flask @\n", 1, /no URL/],
    ["!!!\n", 1, /is not a requirement/],
  ])("%j is refused at line %i", (text, line, why) => {
    let err: unknown;
    try {
      parseRequirements(text, "requirements.txt");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain(`requirements.txt line ${line}:`);
    expect((err as UserError).message).toMatch(why);
    expect((err as UserError).file).toBe("requirements.txt");
  });
  it("a malformed line fails the plan with file and line", async () => {
    const e = await userError(mem({ ...flask, "requirements.txt": "flask\ngunicorn===\n" }));
    expect(e.message).toContain("requirements.txt line 2");
  });
  it("-r includes are copied with the manifests and their names count", async () => {
    const p = await mem({ ...flask, "requirements.txt": "-r requirements/base.txt\n", "requirements/base.txt": "flask\ngunicorn\npsycopg2==2.9.10\n" });
    const copy = p.stages[0]!.steps.find((s) => s.kind === "copy") as CopyStep;
    expect(copy.include).toEqual(["requirements.txt", "requirements/base.txt"]);
    expect(p.runtime.packages).toEqual(["libpq5"]);
    expect(p.result.runCommand).toBe("gunicorn app:app --bind 0.0.0.0:$PORT");
  });
  it("an include detection could not load is copied with the requirement files next to it", async () => {
    const p = await mem({ ...flask, "requirements.txt": "-r deps/web.txt\n" });
    expect((p.stages[0]!.steps.find((s) => s.kind === "copy") as CopyStep).include).toEqual(["requirements.txt", "deps/*.txt"]);
  });
  it("local wheel folders go with the manifests; `-e .` moves the install after the source with a warning", async () => {
    const p = await mem({ ...flask, "requirements.txt": "--find-links ./wheels\nflask\n" });
    expect((p.stages[0]!.steps.find((s) => s.kind === "copy") as CopyStep).include).toEqual(["requirements.txt", "wheels", "wheels/**"]);
    const self = await mem({ ...flask, "requirements.txt": "-e .\nflask\n", "pyproject.toml": '[project]\nname="a"\nversion="1"\n' });
    expect(self.stages[0]!.steps.map((s) => s.name)).toEqual(["copy source", "install dependencies (pip)", "compile bytecode"]);
    expect(self.warnings.join()).toContain("installs the app's own folder");
  });
});

describe("manifest errors name the file and line", () => {
  it.each([
    ["pyproject.toml", "[project\nname = 1\n"],
    ["Pipfile", "[packages]\nflask = \n"],
  ])("%s", async (file, text) => {
    const e = await userError(mem({ [file]: text, "main.py": "" }));
    expect(e.file).toBe(file);
    expect(e.message).toMatch(new RegExp(`${file} is not valid TOML: line \\d+`));
  });
  it("poetry.lock and uv.lock", async () => {
    const poetry = await userError(mem({ "pyproject.toml": '[tool.poetry]\nname="a"\n', "poetry.lock": "[[package]]\nname = \n", "main.py": "" }));
    expect(poetry.message).toMatch(/poetry\.lock is not valid TOML: line 2/);
    const uv = await userError(mem({ "pyproject.toml": '[project]\nname="a"\n', "uv.lock": "version = 1\n[[package]\n", "main.py": "" }));
    expect(uv.message).toMatch(/uv\.lock is not valid TOML: line 2/);
  });
  it("Pipfile.lock", async () => {
    const e = await userError(mem({ Pipfile: "[packages]\n", "Pipfile.lock": "{ nope", "main.py": "" }));
    expect(e.file).toBe("Pipfile.lock");
  });
  it("pyproject dependencies of the wrong type", async () => {
    const e = await userError(mem({ "pyproject.toml": '[project]\nname="a"\ndependencies = "flask"\n', "main.py": "" }));
    expect(e.message).toContain("[project] dependencies must be a list of strings");
  });
});

describe("package managers", () => {
  const uvProject = '[project]\nname="a"\nversion="1"\nrequires-python=">=3.11,<3.12"\ndependencies=["fastapi","uvicorn"]\n';
  it("uv: pinned uv, locked sync of dependencies before the source, project after", async () => {
    const p = await mem({ "pyproject.toml": uvProject + '[build-system]\nrequires=["hatchling"]\nbuild-backend="hatchling.build"\n', "uv.lock": 'version = 1\nrequires-python = ">=3.11"\n', "main.py": "from fastapi import FastAPI\napp = FastAPI()\n" });
    expect(shells(p)).toContain(`uv==${TOOL_VERSIONS.uv}`);
    expect(runs(p).map((r) => r.shell)).toEqual(expect.arrayContaining(["/opt/uv/bin/uv sync --locked --no-dev --no-install-project", "/opt/uv/bin/uv sync --locked --no-dev"]));
    expect(p.caches.uv).toMatchObject({ target: "/root/.cache/uv" });
    expect(p.result).toMatchObject({ packageManager: "uv", framework: "fastapi", runCommand: "uvicorn main:app --host 0.0.0.0 --port $PORT" });
  });
  it("Poetry: exported with hashes, main group only, no root; package-mode false changes nothing else", async () => {
    const p = await mem({ "pyproject.toml": '[tool.poetry]\nname="a"\npackage-mode = false\n[tool.poetry.dependencies]\npython="~3.11"\ndjango="*"\n', "poetry.lock": "", "main.py": "" });
    expect(shells(p)).toContain("poetry export --only main --format requirements.txt");
    expect(shells(p)).toContain(`poetry==${TOOL_VERSIONS.poetry}`);
    expect(shells(p)).not.toContain("latest");
  });
  it("Poetry without a lock: poetry install, with a warning", async () => {
    const p = await mem({ "pyproject.toml": '[tool.poetry]\nname="a"\n[tool.poetry.dependencies]\npython="~3.11"\n', "main.py": "" });
    expect(shells(p)).toContain("poetry install --no-interaction --no-ansi --no-root --only main");
    expect(p.warnings.join()).toContain("no poetry.lock");
  });
  it("PDM and Pipenv", async () => {
    const pdm = await mem({ "pyproject.toml": '[project]\nname="a"\nrequires-python="~=3.11.0"\n[tool.pdm]\n', "pdm.lock": "", "main.py": "" });
    expect(shells(pdm)).toContain("pdm install --check --prod --no-self");
    const pipenv = await mem({ Pipfile: '[packages]\nflask="*"\n', "Pipfile.lock": "{}", "main.py": "" });
    expect(shells(pipenv)).toContain("pipenv install --deploy");
    expect(pipenv.stages[0]!.env).toContainEqual(["PIPENV_VENV_IN_PROJECT", "1"]);
  });
  it("a lockfile wins over requirements.txt, with a warning", async () => {
    const p = await mem({ "requirements.txt": "flask\n", "pyproject.toml": uvProject, "uv.lock": "version = 1\n", "main.py": "" });
    expect(p.result.packageManager).toBe("uv");
    expect(p.warnings.join()).toContain("requirements.txt is ignored");
  });
  it("pip with a pyproject: [project] dependencies install before the source, the app after with --no-deps", async () => {
    const p = await mem({ "pyproject.toml": '[project]\nname="a"\nversion="1"\nrequires-python=">=3.11,<3.12"\ndependencies=["flask>=3", "gunicorn"]\n[build-system]\nrequires=["setuptools"]\nbuild-backend="setuptools.build_meta"\n', "app.py": "from flask import Flask\napp = Flask(__name__)\n" });
    expect(runs(p).map((r) => r.shell)).toEqual(expect.arrayContaining(["python -m venv /app/.venv && pip install flask\\>\\=3 gunicorn", "pip install --no-deps ."]));
  });
});

describe("frameworks and start commands", () => {
  const django = (settings: string, reqs = "django\ngunicorn\n") => ({
    "requirements.txt": reqs,
    ".python-version": "3.11",
    "manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings.prod')\n",
    "site1/settings/prod.py": settings,
    "site1/wsgi.py": "",
  });
  it("Django: WSGI module from settings, collectstatic with throwaway env when STATIC_ROOT is set", async () => {
    const p = await mem(django('WSGI_APPLICATION = "site1.wsgi.application"\nSTATIC_ROOT = BASE_DIR / "static"\n'));
    expect(p.result).toMatchObject({ framework: "django", runCommand: "gunicorn site1.wsgi:application --bind 0.0.0.0:$PORT" });
    const step = runs(p).find((r) => r.shell.includes("collectstatic"))!;
    expect(step.env).toContainEqual(["SECRET_KEY", "migetpacks-collectstatic-not-a-secret"]);
    expect(p.runtime.env.map(([k]) => k)).not.toContain("SECRET_KEY");
  });
  it("Django split settings: WSGI_APPLICATION and STATIC_ROOT from the shared base module", async () => {
    const p = await mem({
      "requirements.txt": "django\ngunicorn\n",
      ".python-version": "3.11",
      "manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n',
      "config/settings/local.py": "from .base import *\nDEBUG = True\n",
      "config/settings/base.py": 'WSGI_APPLICATION = "config.wsgi.application"\nSTATIC_ROOT = str(BASE_DIR / "staticfiles")\n',
    });
    expect(p.result.runCommand).toBe("gunicorn config.wsgi:application --bind 0.0.0.0:$PORT");
    expect(shells(p)).toContain("collectstatic --noinput");
  });
  it("Django: DISABLE_COLLECTSTATIC and BUILD_COMMAND skip collectstatic", async () => {
    const files = django("STATIC_ROOT = 'static'\n");
    expect(shells(await mem(files, { DISABLE_COLLECTSTATIC: "1" }))).not.toContain("collectstatic");
    expect(shells(await mem(files, { BUILD_COMMAND: "make assets" }))).toMatch(/^make assets && /m);
  });
  it("Django without a server: runserver with a warning; with uvicorn: the ASGI module", async () => {
    const dev = await mem(django("", "django\n"));
    expect(dev.result.runCommand).toBe("python manage.py runserver 0.0.0.0:$PORT");
    expect(dev.warnings.join()).toContain("development server");
    const asgi = await mem({ ...django("", "django\nuvicorn\n"), "site1/asgi.py": "" });
    expect(asgi.result.runCommand).toBe("uvicorn site1.asgi:application --host 0.0.0.0 --port $PORT");
  });
  it.each([
    ["app.py", "import flask\napp = flask.Flask(__name__)\n", "flask\ngunicorn\n", "gunicorn app:app --bind 0.0.0.0:$PORT"],
    ["src/main.py", "from fastapi import FastAPI\napi: FastAPI = FastAPI()\n", "fastapi\nhypercorn\n", "hypercorn src.main:api --bind 0.0.0.0:$PORT"],
    ["main.py", "from fasthtml.common import *\napp, rt = fast_app()\n", "python-fasthtml\n", "uvicorn main:app --host 0.0.0.0 --port $PORT"],
    ["app/__init__.py", "from flask import Flask\ndef create_app():\n    pass\n", "flask\ngranian\n", "granian --interface wsgi --host 0.0.0.0 --port $PORT 'app:create_app()'"],
    ["streamlit_app.py", "import streamlit as st\n", "streamlit\n", "streamlit run streamlit_app.py --server.port $PORT --server.address 0.0.0.0 --server.headless true"],
    ["app.py", "from litestar import Litestar\napp = Litestar([])\n", "litestar\nuvicorn\n", "uvicorn app:app --host 0.0.0.0 --port $PORT"],
  ])("%s → %s", async (file, text, reqs, command) => {
    const p = await mem({ "requirements.txt": reqs, [file]: text, ".python-version": "3.11" });
    expect(p.result.runCommand).toBe(command);
  });
  it("fastapi[standard] brings uvicorn (requirements and pyproject alike)", async () => {
    const main = { "main.py": "from fastapi import FastAPI\napp = FastAPI()\n", ".python-version": "3.11" };
    expect((await mem({ ...main, "requirements.txt": "fastapi[standard]==0.115.0\n" })).result.runCommand).toBe("uvicorn main:app --host 0.0.0.0 --port $PORT");
    expect((await mem({ ...main, "pyproject.toml": '[project]\nname="a"\nversion="1"\ndependencies=["fastapi[standard]>=0.115"]\n' })).result.runCommand).toBe("uvicorn main:app --host 0.0.0.0 --port $PORT");
  });
  it("RUN_COMMAND and Procfile web: win", async () => {
    expect((await mem(flask, { RUN_COMMAND: "python worker.py" })).result.runCommand).toBe("python worker.py");
    expect((await mem({ ...flask, Procfile: "web: gunicorn app:app -w 4\n" })).result.runCommand).toBe("gunicorn app:app -w 4");
  });
});

describe("runtime", () => {
  it("the venv and the app are separate layers, in that order; env and user", async () => {
    const p = await mem(flask);
    expect(p.runtime.copies.map((c) => [c.src, c.dest])).toEqual([
      ["/app/.venv", "/app/.venv"],
      ["/app", "/app"],
    ]);
    expect(p.runtime.copies[1]!.exclude).toEqual(expect.arrayContaining([".venv", "tests", "test", ".pytest_cache", ".coverage", "htmlcov", ".git"]));
    expect(p.runtime).toMatchObject({ image: `python:${newest("3.11")}-slim`, user: "1000:1000", workdir: "/app" });
    expect(p.runtime.env).toEqual(expect.arrayContaining([["PATH", expect.stringMatching(/^\/app\/\.venv\/bin:/)], ["PYTHONUNBUFFERED", "1"], ["PYTHONDONTWRITEBYTECODE", "1"]]));
    expect(p.stages[0]!.image).toBe(`python:${newest("3.11")}`);
  });
  it("stale bytecode never leaves the context; fresh bytecode is compiled", async () => {
    const p = await mem(flask);
    const src = p.stages[0]!.steps.find((s) => s.name === "copy source") as CopyStep;
    expect(src.exclude).toEqual(expect.arrayContaining(["**/__pycache__", ".venv"]));
    expect(shells(p)).toContain("python -m compileall");
  });
  it.each([
    [["psycopg2"], ["libpq5"]],
    [["psycopg"], ["libpq5"]],
    [["psycopg", "psycopg-binary"], []],
    [["psycopg2-binary"], []],
    [["mysqlclient"], ["libmariadb3"]],
    [["lxml"], ["libxml2", "libxslt1.1"]],
    [["pycairo"], ["libcairo2"]],
    [["flask"], []],
  ])("%j need %j at run time", (names, pkgs) => {
    expect(runtimeLibraries(new Set(names))).toEqual(pkgs);
  });
});

describe("hardened runtime", () => {
  it("exec form: venv scripts run as modules, scripts through python", () => {
    expect(pythonExecForm(["gunicorn", "app:app", "--bind", "0.0.0.0:5000"])).toEqual(["python", "-m", "gunicorn", "app:app", "--bind", "0.0.0.0:5000"]);
    expect(pythonExecForm(["./server.py"])).toEqual(["python", "server.py"]);
    expect(pythonExecForm(["python3", "x.py"])).toEqual(["python", "x.py"]);
    expect(pythonExecForm(["node", "x.js"])).toEqual(["node", "x.js"]);
  });
  it("USE_DHI: dhi.io images, $PORT pre-expanded, python -m gunicorn", async () => {
    const p = await mem(flask, { USE_DHI: "true" });
    expect(p.runtime.image).toBe(`dhi.io/python:${newest("3.11")}`);
    expect(p.stages[0]!.image).toBe(`dhi.io/python:${newest("3.11")}-dev`);
    expect(p.runtime.cmd).toEqual(["python", "-m", "gunicorn", "app:app", "--bind", "0.0.0.0:5000"]);
  });
  it("USE_DHI refuses runtime system packages by name", async () => {
    const e = await userError(mem({ ...flask, "requirements.txt": "psycopg2\ngunicorn\nflask\n" }, { USE_DHI: "true" }));
    expect(e.message).toContain("libpq5");
  });
});

describe("real-world shapes", () => {
  const step = (p: BuildPlan, name: string) => p.stages[0]!.steps.find((s) => s.name === name);
  it("startproject inside the repo (requirements.txt at the root, mysite/manage.py): the project's folder is on PYTHONPATH, collectstatic runs there", async () => {
    const p = await mem({
      "requirements.txt": "Django==5.1.4\ngunicorn==23.0.0\n",
      ".python-version": "3.12",
      "mysite/manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      "mysite/mysite/settings.py": 'WSGI_APPLICATION = "mysite.wsgi.application"\nSTATIC_ROOT = os.path.join(BASE_DIR, "staticfiles")\n',
      "mysite/mysite/wsgi.py": "",
    });
    expect(p.result).toMatchObject({ framework: "django", runCommand: "gunicorn mysite.wsgi:application --bind 0.0.0.0:$PORT" });
    expect(p.runtime.env).toContainEqual(["PYTHONPATH", "/app/mysite:/app"]);
    expect(shells(p)).toContain("python mysite/manage.py collectstatic --noinput");
    expect(p.warnings.join()).not.toContain("guessing");
  });
  it("a nested Django project without a server runs its own manage.py", async () => {
    const p = await mem({ "requirements.txt": "django\n", "src/manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n", "src/config/settings.py": "" });
    expect(p.result.runCommand).toBe("python src/manage.py runserver 0.0.0.0:$PORT");
  });
  it.each([
    ["wsgi.py", "from flaskr import create_app\n\napp = create_app()\n", "gunicorn wsgi:app --bind 0.0.0.0:$PORT"],
    ["wsgi.py", "from api.factory import build\napplication = build()\n", "gunicorn wsgi:application --bind 0.0.0.0:$PORT"],
    ["wsgi.py", "from myapp import app  # noqa\n", "gunicorn wsgi:app --bind 0.0.0.0:$PORT"],
    ["wsgi.py", "from myapp import create_app, app as application\n", "gunicorn wsgi:application --bind 0.0.0.0:$PORT"],
    ["flaskr/__init__.py", "from flask import Flask\n\ndef create_app(test_config=None):\n    app = Flask(__name__)\n    return app\n", "gunicorn 'flaskr:create_app()' --bind 0.0.0.0:$PORT"],
  ])("Flask entry %s → %s", async (file, text, command) => {
    const p = await mem({ "requirements.txt": "Flask==3.1.0\ngunicorn==23.0.0\n", ".python-version": "3.12", "pyproject.toml": '[tool.black]\nline-length = 100\n', [file]: text, ...(file.startsWith("flaskr") ? { "setup.cfg": "[metadata]\nname = flaskr\n" } : {}) });
    expect(p.result.runCommand).toBe(command);
    expect(p.warnings.join()).not.toContain("guessing");
  });
  it("FastAPI app factory in main.py: `app = create_app()` is served by uvicorn", async () => {
    const p = await mem({ "requirements.txt": "fastapi\nuvicorn\n", ".python-version": "3.12", "main.py": "from fastapi import FastAPI\n\ndef create_app() -> FastAPI:\n    app = FastAPI()\n    return app\n\napp = create_app()\n" });
    expect(p.result.runCommand).toBe("uvicorn main:app --host 0.0.0.0 --port $PORT");
  });
  it("src layout (uv, hatchling): the app object in the project's package", async () => {
    const p = await mem({
      "pyproject.toml": '[project]\nname = "acme-api"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["fastapi", "uvicorn[standard]"]\n[project.scripts]\nacme-api = "acme_api.main:run"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
      "uv.lock": 'version = 1\nrequires-python = ">=3.12"\n',
      "src/acme_api/__init__.py": "",
      "src/acme_api/main.py": "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI(title='Acme')\n",
    });
    expect(p.result.runCommand).toBe("uvicorn acme_api.main:app --host 0.0.0.0 --port $PORT");
    expect(p.warnings.join()).not.toContain("guessing");
  });
  it("Poetry package with a src layout: the package is installed after the source (--no-root leaves it off the path)", async () => {
    const p = await mem({
      "pyproject.toml": '[tool.poetry]\nname = "shop"\nversion = "0.1.0"\npackages = [{ include = "shop", from = "src" }]\n[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "^0.110.0"\nuvicorn = "^0.29.0"\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n',
      "poetry.lock": "",
      "src/shop/__init__.py": "",
      "src/shop/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    });
    expect(p.result.runCommand).toBe("uvicorn shop.main:app --host 0.0.0.0 --port $PORT");
    expect(step(p, "install the project (pip install --no-deps .)")).toMatchObject({ shell: "pip install --no-deps ." });
  });
  it("a Poetry app whose name matches no folder (the usual non-package app) is not installed", async () => {
    const p = await mem({ "pyproject.toml": '[tool.poetry]\nname = "my-site"\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "*"\ngunicorn = "*"\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n', "poetry.lock": "", "app.py": "from flask import Flask\napp = Flask(__name__)\n" });
    expect(shells(p)).not.toContain("pip install --no-deps .");
  });
  it("setup.cfg declarative install_requires count, and the package's app object is found", async () => {
    const p = await mem({
      "setup.cfg": "[metadata]\nname = hello\n\n[options]\npackage_dir =\n    = src\npackages = find:\ninstall_requires =\n    flask>=3\n    gunicorn\n",
      "setup.py": "from setuptools import setup\nsetup()\n",
      "src/hello/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
    });
    expect(p.result).toMatchObject({ framework: "flask", runCommand: "gunicorn hello:app --bind 0.0.0.0:$PORT" });
  });
  it("setup.py install_requires list counts", async () => {
    const p = await mem({ "setup.py": 'from setuptools import setup\nsetup(\n    name="svc",\n    install_requires=[\n        "Flask>=3",\n        "gunicorn==23.0.0",\n    ],\n)\n', "app.py": "from flask import Flask\napp = Flask(__name__)\n" });
    expect(p.result.runCommand).toBe("gunicorn app:app --bind 0.0.0.0:$PORT");
  });
  it("flit single-module project: the module named after the project", async () => {
    const p = await mem({ "pyproject.toml": '[build-system]\nrequires = ["flit_core >=3.2,<4"]\nbuild-backend = "flit_core.buildapi"\n[project]\nname = "quotes"\ndynamic = ["version", "description"]\ndependencies = ["starlette>=0.40", "uvicorn>=0.30"]\n', "quotes.py": '"""Quotes."""\nfrom starlette.applications import Starlette\napp = Starlette()\n' });
    expect(p.result.runCommand).toBe("uvicorn quotes:app --host 0.0.0.0 --port $PORT");
  });
  it("[project.scripts]: the one entry point when no app object or entry file is found", async () => {
    const p = await mem({ "pyproject.toml": '[project]\nname = "ingest"\nversion = "1.0"\ndependencies = ["aiohttp>=3.11"]\n[project.scripts]\ningest-server = "ingest.server:main"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', "src/ingest/server.py": "def main():\n    pass\n" });
    expect(p.result.runCommand).toBe("ingest-server");
  });
  it("mise.toml pins Python (after .python-version and runtime.txt)", async () => {
    const base = { "requirements.txt": "x\n", "main.py": "", "mise.toml": '[tools]\npython = "3.12"\nnode = "22"\n' };
    expect((await mem(base)).result).toMatchObject({ version: newest("3.12"), versionSource: "mise.toml" });
    expect((await mem({ ...base, "runtime.txt": "python-3.11.9\n" })).result).toMatchObject({ version: "3.11.9", versionSource: "runtime.txt" });
    expect((await mem({ ...base, ".tool-versions": "python 3.10.4\n" })).result).toMatchObject({ versionSource: "mise.toml" });
  });
  it("a PEP 621 app without [build-system] is no package: dependencies only, never `pip install .`, and no copy of the whole source before them", async () => {
    const p = await mem({ "pyproject.toml": '[project]\nname = "mysite"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["django>=5.1", "gunicorn>=23"]\n[dependency-groups]\ndev = ["pytest"]\n', "manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n", "mysite/settings.py": "", "mysite/wsgi.py": "", "polls/__init__.py": "" });
    expect(shells(p)).not.toContain("pip install --no-deps .");
    expect(shells(p)).toContain("pip install django\\>\\=5.1 gunicorn\\>\\=23");
    const copies = p.stages[0]!.steps.filter((s) => s.kind === "copy") as CopyStep[];
    expect(copies.every((c) => c.include === undefined || c.include.length > 0)).toBe(true);
    expect(copies.map((c) => c.name)).toEqual(["copy source"]);
  });
  it("`dynamic = [\"dependencies\"]`: the backend computes them, so `pip install .` installs them (never --no-deps)", async () => {
    const p = await mem({ "pyproject.toml": '[project]\nname="a"\nversion="1"\ndynamic=["dependencies"]\n[build-system]\nrequires=["setuptools"]\nbuild-backend="setuptools.build_meta"\n', "setup.cfg": "[options]\ninstall_requires =\n    flask\n", "main.py": "" });
    expect(shells(p)).toMatch(/^pip install \.$/m);
  });
  it("pip-installed package (pyproject with a backend): the dependency layer copies no source", async () => {
    const p = await mem({ "pyproject.toml": '[project]\nname="a"\nversion="1"\ndependencies=["flask", "gunicorn"]\n[build-system]\nrequires=["setuptools"]\nbuild-backend="setuptools.build_meta"\n', "app.py": "from flask import Flask\napp = Flask(__name__)\n" });
    const copies = p.stages[0]!.steps.filter((s) => s.kind === "copy") as CopyStep[];
    expect(copies.every((c) => c.include === undefined || c.include.length > 0)).toBe(true);
    expect(copies.map((c) => c.name)).toEqual(["copy source"]);
  });
  it("Poetry 2 (PEP 621 dependencies, [tool.poetry] without a dependencies table), no lock: Poetry, not pip", async () => {
    const p = await mem({ "pyproject.toml": '[project]\nname = "blog"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["flask (>=3.1,<4)", "gunicorn (>=23)"]\n[tool.poetry]\npackage-mode = false\n', "app.py": "from flask import Flask\napp = Flask(__name__)\n" });
    expect(p.result.packageManager).toBe("poetry");
    expect(p.result.runCommand).toBe("gunicorn app:app --bind 0.0.0.0:$PORT");
  });
  it("Django Channels: channels[daphne] brings daphne, and the ASGI application is served even when gunicorn is installed", async () => {
    const files = { "manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'chatsite.settings')\n", "chatsite/settings.py": 'WSGI_APPLICATION = "chatsite.wsgi.application"\nASGI_APPLICATION = "chatsite.asgi.application"\n', ".python-version": "3.12" };
    expect((await mem({ ...files, "requirements.txt": "django\nchannels[daphne]\n" })).result.runCommand).toBe("daphne -b 0.0.0.0 -p $PORT chatsite.asgi:application");
    expect((await mem({ ...files, "requirements.txt": "django\nchannels\ngunicorn\nuvicorn[standard]\n" })).result.runCommand).toBe("uvicorn chatsite.asgi:application --host 0.0.0.0 --port $PORT");
  });
  it("psycopg[binary] bundles libpq (requirements and uv.lock extras); psycopg[c] needs libpq5", async () => {
    expect((await mem({ ...flask, "requirements.txt": "flask\ngunicorn\npsycopg[binary]>=3\n" })).runtime.packages).toEqual([]);
    expect((await mem({ ...flask, "requirements.txt": "flask\ngunicorn\npsycopg[c]==3.2.3\n" })).runtime.packages).toEqual(["libpq5"]);
    const lock = 'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "a"\nversion = "1"\nsource = { virtual = "." }\ndependencies = [{ name = "psycopg", extra = ["binary"] }]\n\n[[package]]\nname = "psycopg"\nversion = "3.2.3"\nsource = { registry = "https://index.invalid/simple" }\n\n[package.optional-dependencies]\nbinary = [{ name = "psycopg-binary" }]\n\n[[package]]\nname = "psycopg-binary"\nversion = "3.2.3"\nsource = { registry = "https://index.invalid/simple" }\n';
    const p = await mem({ "pyproject.toml": '[project]\nname="a"\nversion="1"\nrequires-python=">=3.11,<3.12"\ndependencies=["psycopg[binary]"]\n', "uv.lock": lock, "main.py": "" });
    expect(p.runtime.packages).toEqual([]);
  });
  it("`poetry run` / `uv run` / `pipenv run` in a Procfile: the venv is on PATH and the tool is not in the runtime image", async () => {
    for (const tool of ["poetry run", "uv run", "pipenv run", "uv run --no-sync"]) {
      const p = await mem({ ...flask, Procfile: `web: ${tool} gunicorn app:app --workers 2\nrelease: ${tool} python manage.py migrate\n` });
      expect(p.result.runCommand).toBe("gunicorn app:app --workers 2");
      expect(p.result.processes?.release).toBe("python manage.py migrate");
      expect(p.warnings.join()).toContain(`${tool.split(" ")[0]} run`);
    }
  });
  it("src/main.py of a requirements.txt app (not an installed package): imported as src.main, with src/ on PYTHONPATH for its sibling imports", async () => {
    const p = await mem({ "requirements.txt": "fastapi\nuvicorn\n", ".python-version": "3.12", "src/main.py": "from fastapi import FastAPI\nfrom routers import items\napp = FastAPI()\n" });
    expect(p.result.runCommand).toBe("uvicorn src.main:app --host 0.0.0.0 --port $PORT");
    expect(p.runtime.env).toContainEqual(["PYTHONPATH", "/app/src:/app"]);
  });
  it("Quart brings hypercorn; litestar[standard] brings uvicorn", async () => {
    expect((await mem({ "requirements.txt": "quart\n", ".python-version": "3.12", "app.py": "from quart import Quart\napp = Quart(__name__)\n" })).result.runCommand).toBe("hypercorn app:app --bind 0.0.0.0:$PORT");
    expect((await mem({ "requirements.txt": "litestar[standard]\n", ".python-version": "3.12", "app.py": "from litestar import Litestar\napp = Litestar([])\n" })).result.runCommand).toBe("uvicorn app:app --host 0.0.0.0 --port $PORT");
  });
  it('manage.py that assigns os.environ["DJANGO_SETTINGS_MODULE"] names the settings too', async () => {
    const p = await mem({ "requirements.txt": "django\ngunicorn\n", ".python-version": "3.12", "manage.py": 'import os\nos.environ["DJANGO_SETTINGS_MODULE"] = "proj.settings"\n', "proj/settings.py": 'WSGI_APPLICATION = "proj.wsgi.application"\n' });
    expect(p.result.runCommand).toBe("gunicorn proj.wsgi:application --bind 0.0.0.0:$PORT");
  });
  it("Gradio (a Hugging Face Space's app.py): the script serves on 0.0.0.0:PORT through Gradio's own variables (shell-less runtimes too)", async () => {
    const p = await mem({ "requirements.txt": "gradio==5.9.1\ntransformers\n", ".python-version": "3.12", "app.py": 'import gradio as gr\n\ndef greet(name):\n    return "Hello " + name\n\ndemo = gr.Interface(fn=greet, inputs="text", outputs="text")\ndemo.launch()\n' });
    expect(p.result).toMatchObject({ framework: "gradio", runCommand: "python app.py" });
    expect(p.runtime.env).toEqual(expect.arrayContaining([["GRADIO_SERVER_NAME", "0.0.0.0"], ["GRADIO_SERVER_PORT", "5000"]]));
    expect((await mem({ "requirements.txt": "gradio\n", ".python-version": "3.12", "app.py": "import gradio as gr\ngr.Blocks().launch()\n" }, { PORT: "7860", USE_DHI: "true" })).runtime.env).toContainEqual(["GRADIO_SERVER_PORT", "7860"]);
  });
  it("Dash: gunicorn serves the Flask server Dash's docs expose (server = app.server)", async () => {
    const p = await mem({ "requirements.txt": "dash\ngunicorn\n", ".python-version": "3.12", "app.py": "from dash import Dash, html\n\napp = Dash(__name__)\nserver = app.server\napp.layout = html.Div('hi')\n" });
    expect(p.result).toMatchObject({ framework: "dash", runCommand: "gunicorn app:server --bind 0.0.0.0:$PORT" });
  });
  it("collectstatic runs with manage.py's settings: STATIC_ROOT only in a production sibling, or no staticfiles app, means no collectstatic (it would fail the build)", async () => {
    const split = { "requirements.txt": "django\ngunicorn\n", ".python-version": "3.12", "manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.dev')\n", "proj/settings/base.py": 'INSTALLED_APPS = ["django.contrib.staticfiles"]\nWSGI_APPLICATION = "proj.wsgi.application"\n', "proj/settings/dev.py": "from .base import *\n" };
    const onlyProd = await mem({ ...split, "proj/settings/prod.py": "from .base import *\nSTATIC_ROOT = BASE_DIR / 'static'\n" });
    expect(shells(onlyProd)).not.toContain("collectstatic");
    expect(onlyProd.result.runCommand).toBe("gunicorn proj.wsgi:application --bind 0.0.0.0:$PORT");
    expect(onlyProd.warnings.join()).toContain("STATIC_ROOT is set only in a settings module manage.py does not use (it uses proj.settings.dev)");
    const inBase = await mem({ ...split, "proj/settings/base.py": split["proj/settings/base.py"] + "STATIC_ROOT = 'static'\n" });
    expect(shells(inBase)).toContain("collectstatic");
    const api = await mem({ ...split, "proj/settings/base.py": 'INSTALLED_APPS = ["rest_framework"]\nSTATIC_ROOT = "static"\n' });
    expect(shells(api)).not.toContain("collectstatic");
    expect(api.warnings.join()).not.toContain("STATIC_ROOT");
  });
  it("the runtime user has a writable HOME (gunicorn 25+ puts its control socket in ~/.gunicorn; caches of matplotlib, Hugging Face, NLTK live there)", async () => {
    expect((await mem(flask)).runtime.env).toContainEqual(["HOME", "/tmp"]);
  });
  const fullStack: Files = {
    "pyproject.toml": '[tool.uv.workspace]\nmembers = ["backend"]\n',
    "uv.lock": 'version = 1\nrequires-python = ">=3.10"\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "backend" }\ndependencies = [{ name = "fastapi", extra = ["standard"] }]\n\n[[package]]\nname = "fastapi"\nversion = "0.115.6"\nsource = { registry = "https://index.invalid/simple" }\n',
    "backend/pyproject.toml": '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.10,<4.0"\ndependencies = ["fastapi[standard]"]\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
    "backend/app/__init__.py": "",
    "backend/app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "frontend/package.json": "{}",
  };
  const membersGlob: Files = {
    "pyproject.toml": '[project]\nname = "monorepo"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["web"]\n[tool.uv.sources]\nweb = { workspace = true }\n[tool.uv.workspace]\nmembers = ["packages/*", "apps/*"]\n',
    "packages/core/pyproject.toml": '[project]\nname = "core"\nversion = "0.1.0"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
    "packages/core/src/core/__init__.py": "",
    "apps/web/pyproject.toml": '[project]\nname = "web"\nversion = "0.1.0"\ndependencies = ["fastapi", "uvicorn"]\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
    "apps/web/src/web/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
  };
  it("uv workspace whose app is a member (full-stack-fastapi-template: backend/ under a virtual root): its package's app object", async () => {
    const p = await mem(fullStack);
    expect(p.result).toMatchObject({ packageManager: "uv", framework: "fastapi", runCommand: "uvicorn app.main:app --host 0.0.0.0 --port $PORT" });
    const glob = await mem(membersGlob);
    expect(glob.result.runCommand).toBe("uvicorn web.main:app --host 0.0.0.0 --port $PORT");
  });
  it("Flask without a server whose app.py calls app.run() on Flask's default 127.0.0.1: flask run on 0.0.0.0:$PORT (python app.py would be unreachable)", async () => {
    const base = { "requirements.txt": "flask\nrequests\n", ".python-version": "3.12" };
    const local = await mem({ ...base, "app.py": 'from flask import Flask\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(debug=True)\n' });
    expect(local.result.runCommand).toBe("flask run --host 0.0.0.0 --port $PORT");
    expect(local.runtime.env).toContainEqual(["FLASK_APP", "app:app"]);
    expect(local.warnings.join()).toContain("development server");
    const bound = await mem({ ...base, "app.py": 'import os\nfrom flask import Flask\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 5000)))\n' });
    expect(bound.result.runCommand).toBe("python app.py");
    expect((await mem({ ...base, "app.py": "from flask import Flask\napp = Flask(__name__)\napp.run(port=8080)\n" })).result.runCommand).toBe("flask run --host 0.0.0.0 --port $PORT");
    const socketio = await mem({ ...base, "requirements.txt": "flask\nflask-socketio\n", "app.py": 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    socketio.run(app)\n' });
    expect(socketio.result.runCommand).toBe("python app.py");
  });
  it("Sanic without uvicorn: Sanic's own server CLI", async () => {
    const p = await mem({ "requirements.txt": "sanic\n", ".python-version": "3.12", "server.py": 'from sanic import Sanic\napp = Sanic("MyApp")\n' });
    expect(p.result.runCommand).toBe("sanic server:app --host 0.0.0.0 --port $PORT");
  });
  it("PROJECT_PATH names a uv workspace member with no lock of its own: built from the workspace root with its uv.lock, --package, started in its folder", async () => {
    const p = await mem({ ...fullStack, "backend/Procfile": "release: python -m app.prestart\n" }, { PROJECT_PATH: "backend" });
    expect(p.result).toMatchObject({ packageManager: "uv", framework: "fastapi", runCommand: "uvicorn app.main:app --host 0.0.0.0 --port $PORT" });
    expect(p.projectPath ?? "").toBe("");
    expect(runs(p).map((r) => r.shell)).toEqual(expect.arrayContaining(["/opt/uv/bin/uv sync --locked --no-dev --no-install-workspace --package app", "/opt/uv/bin/uv sync --locked --no-dev --package app"]));
    expect((p.stages[0]!.steps.find((s) => s.name === "copy dependency manifests") as CopyStep).include).toEqual(expect.arrayContaining(["pyproject.toml", "uv.lock", "backend/pyproject.toml"]));
    expect(p.runtime.workdir).toBe("/app/backend");
    expect(p.runtime.env).toContainEqual(["PYTHONPATH", "/app/backend:/app"]);
    expect(p.result.processes?.release).toBe("python -m app.prestart");
    // A member with a lock of its own builds alone, as before.
    const own = await mem({ ...fullStack, "backend/uv.lock": 'version = 1\nrequires-python = ">=3.10"\n' }, { PROJECT_PATH: "backend" });
    expect(runs(own).map((r) => r.shell)).toContain("/opt/uv/bin/uv sync --locked --no-dev --no-install-project");
    expect(own.projectPath).toBe("backend");
  });
  it("a Django member of a uv workspace: collectstatic through the member's manage.py", async () => {
    const files: Files = {
      "pyproject.toml": '[tool.uv.workspace]\nmembers = ["services/*"]\n',
      "uv.lock": 'version = 1\nrequires-python = ">=3.12"\n',
      "services/web/pyproject.toml": '[project]\nname = "web"\nversion = "1"\nrequires-python = ">=3.12,<3.13"\ndependencies = ["django", "gunicorn"]\n',
      "services/web/manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
      "services/web/site1/settings.py": 'WSGI_APPLICATION = "site1.wsgi.application"\nSTATIC_ROOT = "static"\n',
    };
    const p = await mem(files, { PROJECT_PATH: "services/web" });
    expect(p.result).toMatchObject({ version: newest("3.12"), framework: "django", runCommand: "gunicorn site1.wsgi:application --bind 0.0.0.0:$PORT" });
    expect(shells(p)).toContain("python services/web/manage.py collectstatic --noinput");
    expect(p.runtime.workdir).toBe("/app/services/web");
  });
  it("detection reads only declared paths, the follow-up pass included", async () => {
    const { RecordingContext } = await import("../../src/context/recording.js");
    const { followUpReads, isDeclaredRead } = await import("../../src/detect/follow-up.js");
    const { detectionReads } = await import("../../src/detect/registry.js");
    const shapes: Files[] = [
      { "requirements.txt": "django\ngunicorn\n", "mysite/manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n", "mysite/mysite/settings.py": "STATIC_ROOT = 'x'\n", "mysite/mysite/wsgi.py": "" },
      { "pyproject.toml": '[project]\nname = "acme-api"\nversion = "1"\ndependencies = ["fastapi", "uvicorn"]\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', "src/acme_api/main.py": "from fastapi import FastAPI\napp = FastAPI()\n" },
      { "setup.cfg": "[metadata]\nname = hello\n[options]\ninstall_requires =\n    flask\n    gunicorn\n", "src/hello/__init__.py": "from flask import Flask\napp = Flask(__name__)\n" },
      fullStack,
      membersGlob,
    ];
    for (const files of shapes) {
      const ctx = new MemoryContext(files);
      const rec = new RecordingContext(ctx);
      await buildPlan(rec, {});
      const declared = [...detectionReads(), ...(await followUpReads(ctx, {}))];
      expect([...rec.paths].filter((x) => !isDeclaredRead(x, declared))).toEqual([]);
    }
  });
});

describe("app objects whose framework the names do not show", () => {
  it("wsgi.py `application = build()` with no known framework installed: served, and the framework stays unset (not an empty string)", async () => {
    const p = await mem({ "requirements.txt": "gunicorn\n", ".python-version": "3.12", "wsgi.py": "from api.factory import build\napplication = build()\n" });
    expect(p.result.runCommand).toBe("gunicorn wsgi:application --bind 0.0.0.0:$PORT");
    expect(p.result.framework).toBeUndefined();
  });
});

describe("files the first transfer brings for every packaged project (the patterns stay in step with the follow-up)", () => {
  const declared = pythonProvider.reads;
  it.each(["shop", "fastapi_uv", "my_app2"])("a module named %s, at the root and under src/", (module) => {
    for (const dir of ["", "src"]) expect(moduleEntryFiles({ module, dir, explicit: false }).map((e) => e.file).filter((f) => !isBroughtBy(f, declared))).toEqual([]);
  });
  it.each(["mysite.settings", "config.settings.local", "proj.settings.production"])("Django settings %s next to a root manage.py", (module) => {
    expect([...settingsFiles(module), ...djangoEntryFiles(module)].filter((f) => !isBroughtBy(f, declared))).toEqual([]);
  });
  it("a settings module of another name still gets its files, with a second transfer", () => {
    expect(settingsFiles("core.config").filter((f) => !isBroughtBy(f, declared))).toContain("core/config.py");
  });
});

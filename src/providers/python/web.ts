// The framework and the default web command. Frameworks come from the
// installed distributions; the app object from the usual entry files
// (`app = Flask(__name__)`, `app = FastAPI()`, `app, rt = fast_app()`); a
// Django project from manage.py's DJANGO_SETTINGS_MODULE and that settings
// module's WSGI_APPLICATION / ASGI_APPLICATION / STATIC_ROOT. The server is the
// production server the app installs (gunicorn, uvicorn, hypercorn, granian,
// waitress, daphne), always bound to 0.0.0.0:$PORT.
import { readText, type BuildContext } from "../../context/fs.js";
import { moduleEntryFiles, type PackageModule } from "./project.js";

/** Files searched for an app object, in order (the gateway loads exact paths only). */
export const ENTRY_FILES = [
  "app.py",
  "main.py",
  "wsgi.py",
  "asgi.py",
  "application.py",
  "server.py",
  "api.py",
  "run.py",
  "streamlit_app.py",
  "Home.py",
  "app/__init__.py",
  "app/main.py",
  "app/app.py",
  "src/app.py",
  "src/main.py",
  "api/main.py",
  "api/index.py",
];

/** manage.py one folder down (`django-admin startproject mysite` run inside the repository, or a src/ folder). */
export const NESTED_MANAGE_PY = "*/manage.py";

export interface DjangoFacts {
  /** manage.py's folder, "" at the root; a nested project's folder goes on PYTHONPATH. */
  dir: string;
  settingsModule?: string;
  /** `mysite.wsgi:application` */
  wsgi?: string;
  asgi?: string;
  /** settings set STATIC_ROOT: collectstatic has somewhere to write. */
  staticRoot: boolean;
  /** STATIC_ROOT is set only in a sibling module manage.py does not use (settings/production.py). */
  staticRootElsewhere?: boolean;
  /** INSTALLED_APPS leaves out django.contrib.staticfiles (an API-only project): no static files to collect. */
  noStaticfiles?: boolean;
}

export interface AppObject {
  file: string;
  /** `pkg.module:var` (or `module:create_app()` for a factory). */
  target: string;
  kind: "wsgi" | "asgi";
  framework: string;
  /** The file starts Flask's development server on its default 127.0.0.1 (`app.run()` without `host`). */
  localDevServer?: boolean;
}

export interface WebFacts {
  framework?: string;
  django?: DjangoFacts;
  app?: AppObject;
  /** A Streamlit script. */
  streamlit?: string;
  /** A Gradio script (`demo.launch()`, a Hugging Face Space's app.py). */
  gradio?: string;
  /** The project's one console script, when the project is installed (its entry point on PATH). */
  script?: string;
  /** App folders that go on PYTHONPATH before the app's root: a nested Django project's, src/ for an app run from there. */
  pythonPath: string[];
  entry: { appPy: boolean; mainPy: boolean; managePy: boolean };
}

/** What the project's manifests say about its own package (see project.ts). */
export interface ProjectShape {
  modules: PackageModule[];
  scripts: string[];
  installed: boolean;
}

const ASGI: Record<string, string> = { FastAPI: "fastapi", Starlette: "starlette", Litestar: "litestar", Quart: "quart", FastHTML: "fasthtml", fast_app: "fasthtml", Sanic: "sanic" };
const WSGI: Record<string, string> = { Flask: "flask", Bottle: "bottle", App: "falcon", API: "falcon" };
const APP_RE = /^([A-Za-z_]\w*)\s*(?::\s*[\w.[\], ]+)?(?:,\s*\w+\s*)?=\s*(?:(?:flask|fastapi|starlette\.applications|litestar|quart|falcon|bottle|fasthtml\.common|sanic)\.)?(FastAPI|Starlette|Litestar|Quart|FastHTML|fast_app|Sanic|Flask|Bottle|App|API)\s*\(/m;
/** A Flask app factory callable with no arguments: `def create_app():`, `def create_app(test_config=None):`. */
const FACTORY_RE = /^def (create_app|make_app)\s*\(([^)]*)\)/m;
const callableBare = (params: string) => params.split(",").every((p) => !p.trim() || p.includes("=") || p.trim().startsWith("*"));
/** A module-level `app` / `application` made by a call (`app = create_app()`, `application: Flask = build()`). */
const ASSIGN_RE = /^(app|application)\s*(?::\s*[\w.[\], ]+)?=\s*([\w.]+)\s*\(/m;
/** ...or imported from the package (`from myapp import app`, `from myapp import create_app, app as application`), as WSGI/ASGI entry modules do. */
function importedApp(text: string): string | undefined {
  for (const m of text.matchAll(/^from\s+[\w.]+\s+import\s+\(?([\w\s,]+)\)?/gm)) {
    const bound = m[1]!.split(",").map((part) => part.trim().split(/\s+as\s+/).at(-1)!.trim());
    const name = ["application", "app"].find((n) => bound.includes(n));
    if (name) return name;
  }
  return undefined;
}
/** Files whose purpose is to hold the server's app object. */
const ENTRY_MODULE = /(^|\/)(wsgi|asgi|application)\.py$/;
const ASGI_FRAMEWORKS = new Set(["fastapi", "starlette", "litestar", "quart", "fasthtml", "sanic"]);

/** Framework by installed distribution, most specific first. */
const FRAMEWORKS: [string, string][] = [
  ["django", "django"],
  ["python-fasthtml", "fasthtml"],
  // Gradio runs on FastAPI, Dash on Flask: with a lockfile both are among the names.
  ["gradio", "gradio"],
  ["fastapi", "fastapi"],
  ["streamlit", "streamlit"],
  ["dash", "dash"],
  ["flask", "flask"],
  ["litestar", "litestar"],
  ["quart", "quart"],
  ["sanic", "sanic"],
  ["starlette", "starlette"],
  ["falcon", "falcon"],
  ["bottle", "bottle"],
];

export function frameworkOf(names: ReadonlySet<string>): string | undefined {
  return FRAMEWORKS.find(([dist]) => names.has(dist))?.[1];
}

/** `import x` / `from x import` of a module in a file's text. */
const imports = (text: string, mod: string) => new RegExp(`^\\s*(import\\s+${mod}\\b|from\\s+${mod}(\\.|\\s))`, "m").test(text);

/** An entry file's module from the app's root (`src/main.py` → `src.main`: a namespace package when src/ has no __init__.py). */
function moduleOf(file: string): string {
  return file.replace(/\.py$/, "").replace(/\/__init__$/, "").replace(/\//g, ".");
}

export async function webFacts(ctx: BuildContext, names: ReadonlySet<string>, shape: ProjectShape = { modules: [], scripts: [], installed: false }): Promise<WebFacts> {
  const framework = frameworkOf(names);
  const entry = { appPy: (await readText(ctx, "app.py")) !== undefined, mainPy: (await readText(ctx, "main.py")) !== undefined, managePy: false };
  const manage = await findManagePy(ctx);
  entry.managePy = manage?.dir === "";
  let django: DjangoFacts | undefined;
  // A nested manage.py counts only for an app that installs Django.
  if (manage && (names.has("django") || (manage.dir === "" && /django/i.test(manage.text)))) django = await djangoFacts(ctx, manage.text, manage.dir);
  let streamlit: string | undefined;
  let gradio: string | undefined;
  let app: AppObject | undefined;
  // The usual entry files at the root, then the project's own package (src/ layout, a package named after the project).
  const candidates = [...ENTRY_FILES.map((file) => ({ file, module: moduleOf(file), root: true })), ...shape.modules.flatMap((m) => moduleEntryFiles(m).map((e) => ({ ...e, root: false })))];
  const seen = new Set<string>();
  for (const { file, module, root } of candidates) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readText(ctx, file);
    if (text === undefined) continue;
    if (!streamlit && root && imports(text, "streamlit")) streamlit = file;
    if (!gradio && root && imports(text, "gradio") && /\.launch\s*\(/.test(text)) gradio = file;
    if (!app) app = appObject(file, module, text, framework);
  }
  const script = shape.installed && shape.scripts.length === 1 ? shape.scripts[0] : undefined;
  // src/main.py of an app that is not an installed package: its modules import each other as they do when run from src/.
  const pythonPath = django?.dir ? [django.dir] : app && /^src\/[^/]+\.py$/.test(app.file) && ENTRY_FILES.includes(app.file) ? ["src"] : [];
  if (!names.has("gradio")) gradio = undefined;
  return { framework: django ? "django" : streamlit && names.has("streamlit") ? "streamlit" : (app?.framework || (gradio ? "gradio" : framework)), django, app, streamlit, gradio, script, entry, pythonPath };
}

/** The app object a file defines: a framework's constructor, a Flask factory, or an `app` made by a call or imported. */
function appObject(file: string, module: string, text: string, framework: string | undefined): AppObject | undefined {
  const m = APP_RE.exec(text);
  if (m) {
    const cls = m[2]!;
    // Falcon's App/API only count when falcon is imported.
    if ((cls === "App" || cls === "API") && !imports(text, "falcon")) return undefined;
    const run = new RegExp(`^\\s*${m[1]}\\.run\\(([^)]*)\\)`, "m").exec(text);
    return { file, target: `${module}:${m[1]}`, kind: ASGI[cls] ? "asgi" : "wsgi", framework: ASGI[cls] ?? WSGI[cls]!, localDevServer: cls === "Flask" && run !== null && !/\bhost\s*=/.test(run[1]!) };
  }
  // Dash: the Flask instance its docs tell to expose for gunicorn (`server = app.server`).
  if (imports(text, "dash") && /^server\s*=\s*\w+\.server\b/m.test(text)) return { file, target: `${module}:server`, kind: "wsgi", framework: "dash" };
  const factory = FACTORY_RE.exec(text);
  // Quoted: the parentheses are shell syntax.
  if (factory && callableBare(factory[2]!) && imports(text, "flask")) return { file, target: `'${module}:${factory[1]}()'`, kind: "wsgi", framework: "flask" };
  const assigned = ASSIGN_RE.exec(text);
  const imported = ENTRY_MODULE.test(file) ? importedApp(text) : undefined;
  // `app = create_app()` anywhere; in wsgi.py / asgi.py any call or import (that is what those files are for).
  const made = assigned && (ENTRY_MODULE.test(file) || /app/i.test(assigned[2]!.split(".").at(-1)!)) ? assigned[1] : imported;
  if (!made) return undefined;
  const kind = (framework && ASGI_FRAMEWORKS.has(framework)) || /(^|\/)asgi\.py$/.test(file) ? "asgi" : "wsgi";
  return { file, target: `${module}:${made}`, kind, framework: framework ?? "" };
}

/** manage.py at the root, else the one a folder down that sets DJANGO_SETTINGS_MODULE (first by name). */
export async function findManagePy(ctx: BuildContext): Promise<{ dir: string; text: string } | undefined> {
  const root = await readText(ctx, "manage.py");
  if (root !== undefined) return { dir: "", text: root };
  const dirs = ((await ctx.readDir("")) ?? []).filter((e) => e.kind === "dir" && !e.name.startsWith(".") && !SKIP_DIRS.has(e.name)).map((e) => e.name);
  for (const d of dirs.sort()) {
    const text = await readText(ctx, `${d}/manage.py`);
    if (text !== undefined && settingsModuleOf(text)) return { dir: d, text };
  }
  return undefined;
}

const SKIP_DIRS = new Set(["node_modules", "venv", "env", "site-packages", "tests", "test", "docs"]);

/** manage.py's DJANGO_SETTINGS_MODULE → the settings module's file(s), for the gateway's second read pass. */
export function settingsModuleOf(manage: string): string | undefined {
  // os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x.settings") or os.environ["DJANGO_SETTINGS_MODULE"] = "x.settings"
  return /DJANGO_SETTINGS_MODULE["']\s*(?:,|\]\s*=)\s*["']([\w.]+)["']/.exec(manage)?.[1];
}

/**
 * The settings module's files, and the shared modules split settings usually import
 * (`config.settings.local` → `config/settings/base.py`, cookiecutter-django's layout).
 */
export function settingsFiles(module: string): string[] {
  const p = module.replace(/\./g, "/");
  const parent = p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "";
  const siblings = parent ? ["base", "common", "production", "prod", "__init__"].map((n) => `${parent}/${n}.py`) : [];
  return [...new Set([`${p}.py`, `${p}/__init__.py`, `${p}/base.py`, ...siblings])];
}

/**
 * settingsFiles and djangoEntryFiles of a project whose manage.py is at the root
 * and whose settings module is named settings (`mysite.settings`,
 * `config.settings.local`), as patterns: declared with the detection reads, they
 * come in the first transfer. Other layouts get a second transfer.
 */
export const SETTINGS_PATTERNS = ["*/settings.py", "*/settings/*.py", "*/settings/*/__init__.py", "*/settings/*/base.py", ...["base", "common", "production", "prod", "__init__", "wsgi", "asgi"].map((n) => `*/${n}.py`)];

/** The WSGI/ASGI modules Django's project template puts next to the settings. */
export function djangoEntryFiles(module: string): string[] {
  const pkg = module.split(".")[0]!;
  return [`${pkg}/wsgi.py`, `${pkg}/asgi.py`];
}

async function djangoFacts(ctx: BuildContext, manage: string, dir: string): Promise<DjangoFacts> {
  const settingsModule = settingsModuleOf(manage);
  if (!settingsModule) return { dir, staticRoot: false };
  const at = (f: string) => (dir ? `${dir}/${f}` : f);
  // collectstatic runs with manage.py's settings module: STATIC_ROOT counts there and in what it builds on (base,
  // common, the package's __init__), not in a production sibling it never imports.
  const own = settingsModule.replace(/\./g, "/");
  let text = "";
  let ownText = "";
  for (const f of settingsFiles(settingsModule)) {
    const t = ((await readText(ctx, at(f))) ?? "") + "\n";
    text += t;
    if (!/\/(production|prod)\.py$/.test(f) || f === `${own}.py`) ownText += t;
  }
  const setting = (name: string) => new RegExp(`^${name}\\s*=\\s*["']([\\w.]+)["']`, "m").exec(text)?.[1];
  const dotted = (v: string | undefined) => (v ? v.replace(/\.(\w+)$/, ":$1") : undefined);
  const pkg = settingsModule.split(".")[0]!;
  const wsgi = dotted(setting("WSGI_APPLICATION")) ?? ((await readText(ctx, at(`${pkg}/wsgi.py`))) !== undefined ? `${pkg}.wsgi:application` : undefined);
  const asgi = dotted(setting("ASGI_APPLICATION")) ?? ((await readText(ctx, at(`${pkg}/asgi.py`))) !== undefined ? `${pkg}.asgi:application` : undefined);
  // Without django.contrib.staticfiles (an API-only project) there is no collectstatic command.
  const noStaticfiles = /^\s*INSTALLED_APPS\b/m.test(text) && !text.includes("django.contrib.staticfiles");
  const staticRoot = /^STATIC_ROOT\s*=/m.test(ownText) && !noStaticfiles;
  return { dir, settingsModule, wsgi, asgi, staticRoot, staticRootElsewhere: !staticRoot && !noStaticfiles && /^STATIC_ROOT\s*=/m.test(text), noStaticfiles };
}

const BIND = "0.0.0.0";

/** The language default, with a warning when only a development server or a guess is left. */
export function defaultWebCommand(w: WebFacts, names: ReadonlySet<string>, warnings: string[]): string | undefined {
  const has = (n: string) => names.has(n);
  // Implied servers: FastHTML and fastapi[standard] bring uvicorn (already in `names` when a lockfile lists it).
  const uvicorn = has("uvicorn") || has("python-fasthtml");
  const asgiServer = (target: string) =>
    uvicorn
      ? `uvicorn ${target} --host ${BIND} --port $PORT`
      : has("hypercorn") || has("quart") // Quart depends on Hypercorn
        ? `hypercorn ${target} --bind ${BIND}:$PORT`
        : has("granian")
          ? `granian --interface asgi --host ${BIND} --port $PORT ${target}`
          : has("daphne")
            ? `daphne -b ${BIND} -p $PORT ${target}`
            : undefined;
  const wsgiServer = (target: string) =>
    has("gunicorn")
      ? `gunicorn ${target} --bind ${BIND}:$PORT`
      : has("granian")
        ? `granian --interface wsgi --host ${BIND} --port $PORT ${target}`
        : has("waitress")
          ? `waitress-serve --listen=${BIND}:$PORT ${target}`
          : undefined;

  if (w.django) {
    const d = w.django;
    // Channels (websockets) needs the ASGI application; so does an app that installs daphne.
    const asgiFirst = has("channels") || has("daphne");
    const wsgi = d.wsgi && wsgiServer(d.wsgi);
    const asgi = d.asgi && asgiServer(d.asgi);
    const cmd = asgiFirst ? (asgi ?? wsgi) : (wsgi ?? asgi);
    if (cmd) return cmd;
    warnings.push("Django runs with its development server (manage.py runserver): add gunicorn (WSGI) or uvicorn (ASGI) to the dependencies for production, or set RUN_COMMAND.");
    return `python ${d.dir ? `${d.dir}/` : ""}manage.py runserver ${BIND}:$PORT`;
  }
  if (w.streamlit && has("streamlit")) return `streamlit run ${w.streamlit} --server.port $PORT --server.address ${BIND} --server.headless true`;
  // Gradio listens on 127.0.0.1:7860 unless told otherwise: the runtime sets its own variables (as Hugging Face Spaces do).
  if (w.gradio && !w.app) return `python ${w.gradio}`;
  if (w.app) {
    const cmd = w.app.kind === "asgi" ? asgiServer(w.app.target) : wsgiServer(w.app.target);
    if (cmd) return cmd;
    // Sanic ships its own production server CLI.
    if (w.app.framework === "sanic" && has("sanic")) return `sanic ${w.app.target} --host ${BIND} --port $PORT`;
    if (w.script) return w.script;
    // app.run() binds 127.0.0.1, which nothing outside the container reaches: Flask's CLI binds where it is told.
    if (w.app.localDevServer && has("flask") && !has("flask-socketio")) {
      warnings.push(`${w.app.file} starts Flask's development server on 127.0.0.1 (app.run() without host=), which nothing outside the container reaches; running flask run on 0.0.0.0:$PORT instead, still the development server. Add gunicorn to the dependencies for production, or set RUN_COMMAND.`);
      // FLASK_APP (set by the plan) rather than --app, which Flask 1.x and 2.0/2.1 lack.
      return `flask run --host ${BIND} --port $PORT`;
    }
    // A root file runs as a script; one in a package as its module (relative imports work), never a package's __init__.py.
    const module = w.app.target.replace(/'/g, "").split(":")[0]!;
    const run = !w.app.file.includes("/") ? `python ${w.app.file}` : w.app.file.endsWith("/__init__.py") ? undefined : `python -m ${module}`;
    if (run) {
      warnings.push(`${w.app.file} defines ${w.app.target.replace(/'/g, "").split(":")[1]} but no production server is installed (gunicorn, uvicorn, hypercorn, granian); running ${run}, which must listen on $PORT itself. Add a server to the dependencies or set RUN_COMMAND.`);
      return run;
    }
  }
  // The project's own entry point (pyproject [project.scripts]), installed on PATH.
  if (w.script) return w.script;
  // A server but no app object found: the conventional module names.
  if (has("gunicorn")) {
    const target = w.entry.appPy ? "app:app" : w.entry.mainPy ? "main:app" : "wsgi:application";
    warnings.push(`gunicorn is installed but no app object was found in ${ENTRY_FILES.slice(0, 6).join(", ")}; guessing ${target}. Set RUN_COMMAND or a Procfile web: line if that is wrong.`);
    return `gunicorn ${target} --bind ${BIND}:$PORT`;
  }
  if (uvicorn) {
    const target = w.entry.mainPy ? "main:app" : w.entry.appPy ? "app:app" : "main:app";
    warnings.push(`uvicorn is installed but no app object was found; guessing ${target}. Set RUN_COMMAND or a Procfile web: line if that is wrong.`);
    return `uvicorn ${target} --host ${BIND} --port $PORT`;
  }
  if (w.entry.managePy) return `python manage.py runserver ${BIND}:$PORT`;
  if (w.entry.appPy) return "python app.py";
  if (w.entry.mainPy) return "python main.py";
  return undefined;
}

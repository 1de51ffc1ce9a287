// The framework and the default web command. Frameworks come from the
// installed distributions; the app object from the usual entry files
// (`app = Flask(__name__)`, `app = FastAPI()`, `app, rt = fast_app()`); a
// Django project from manage.py's DJANGO_SETTINGS_MODULE and that settings
// module's WSGI_APPLICATION / ASGI_APPLICATION / STATIC_ROOT. The server is the
// production server the app installs (gunicorn, uvicorn, hypercorn, granian,
// waitress, daphne), always bound to 0.0.0.0:$PORT.
import { readText, type BuildContext } from "../../context/fs.js";

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

export interface DjangoFacts {
  settingsModule?: string;
  /** `mysite.wsgi:application` */
  wsgi?: string;
  asgi?: string;
  /** settings set STATIC_ROOT: collectstatic has somewhere to write. */
  staticRoot: boolean;
}

export interface AppObject {
  file: string;
  /** `pkg.module:var` (or `module:create_app()` for a factory). */
  target: string;
  kind: "wsgi" | "asgi";
  framework: string;
}

export interface WebFacts {
  framework?: string;
  django?: DjangoFacts;
  app?: AppObject;
  /** A Streamlit script. */
  streamlit?: string;
  entry: { appPy: boolean; mainPy: boolean; managePy: boolean };
}

const ASGI: Record<string, string> = { FastAPI: "fastapi", Starlette: "starlette", Litestar: "litestar", Quart: "quart", FastHTML: "fasthtml", fast_app: "fasthtml", Sanic: "sanic" };
const WSGI: Record<string, string> = { Flask: "flask", Bottle: "bottle", App: "falcon", API: "falcon" };
const APP_RE = /^([A-Za-z_]\w*)\s*(?::\s*[\w.[\], ]+)?(?:,\s*\w+\s*)?=\s*(?:(?:flask|fastapi|starlette\.applications|litestar|quart|falcon|bottle|fasthtml\.common|sanic)\.)?(FastAPI|Starlette|Litestar|Quart|FastHTML|fast_app|Sanic|Flask|Bottle|App|API)\s*\(/m;
const FACTORY_RE = /^def (create_app|make_app)\s*\(\s*\)/m;

/** Framework by installed distribution, most specific first. */
const FRAMEWORKS: [string, string][] = [
  ["django", "django"],
  ["python-fasthtml", "fasthtml"],
  ["fastapi", "fastapi"],
  ["streamlit", "streamlit"],
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

function moduleOf(file: string): string {
  return file.replace(/\.py$/, "").replace(/\/__init__$/, "").replace(/^src\//, "").replace(/\//g, ".");
}

export async function webFacts(ctx: BuildContext, names: ReadonlySet<string>): Promise<WebFacts> {
  const framework = frameworkOf(names);
  const entry = { appPy: (await readText(ctx, "app.py")) !== undefined, mainPy: (await readText(ctx, "main.py")) !== undefined, managePy: false };
  const manage = await readText(ctx, "manage.py");
  entry.managePy = manage !== undefined;
  let django: DjangoFacts | undefined;
  if (manage !== undefined && (names.has("django") || /django/i.test(manage))) django = await djangoFacts(ctx, manage);
  let streamlit: string | undefined;
  let app: AppObject | undefined;
  for (const file of ENTRY_FILES) {
    const text = await readText(ctx, file);
    if (text === undefined) continue;
    if (!streamlit && imports(text, "streamlit")) streamlit = file;
    if (!app) {
      const m = APP_RE.exec(text);
      if (m) {
        const cls = m[2]!;
        const fw = ASGI[cls] ?? WSGI[cls]!;
        // Falcon's App/API only count when falcon is imported.
        if ((cls === "App" || cls === "API") && !imports(text, "falcon")) continue;
        app = { file, target: `${moduleOf(file)}:${m[1]}`, kind: ASGI[cls] ? "asgi" : "wsgi", framework: fw };
      } else if (FACTORY_RE.exec(text) && imports(text, "flask")) {
        // Quoted: the parentheses are shell syntax.
        app = { file, target: `'${moduleOf(file)}:${FACTORY_RE.exec(text)![1]}()'`, kind: "wsgi", framework: "flask" };
      }
    }
  }
  return { framework: django ? "django" : streamlit && names.has("streamlit") ? "streamlit" : (app?.framework ?? framework), django, app, streamlit, entry };
}

/** manage.py's DJANGO_SETTINGS_MODULE → the settings module's file(s), for the gateway's second read pass. */
export function settingsModuleOf(manage: string): string | undefined {
  return /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/.exec(manage)?.[1];
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

/** The WSGI/ASGI modules Django's project template puts next to the settings. */
export function djangoEntryFiles(module: string): string[] {
  const pkg = module.split(".")[0]!;
  return [`${pkg}/wsgi.py`, `${pkg}/asgi.py`];
}

async function djangoFacts(ctx: BuildContext, manage: string): Promise<DjangoFacts> {
  const settingsModule = settingsModuleOf(manage);
  if (!settingsModule) return { staticRoot: false };
  let text = "";
  for (const f of settingsFiles(settingsModule)) text += ((await readText(ctx, f)) ?? "") + "\n";
  const setting = (name: string) => new RegExp(`^${name}\\s*=\\s*["']([\\w.]+)["']`, "m").exec(text)?.[1];
  const dotted = (v: string | undefined) => (v ? v.replace(/\.(\w+)$/, ":$1") : undefined);
  const pkg = settingsModule.split(".")[0]!;
  const wsgi = dotted(setting("WSGI_APPLICATION")) ?? ((await readText(ctx, `${pkg}/wsgi.py`)) !== undefined ? `${pkg}.wsgi:application` : undefined);
  const asgi = dotted(setting("ASGI_APPLICATION")) ?? ((await readText(ctx, `${pkg}/asgi.py`)) !== undefined ? `${pkg}.asgi:application` : undefined);
  return { settingsModule, wsgi, asgi, staticRoot: /^STATIC_ROOT\s*=/m.test(text) };
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
      : has("hypercorn")
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
    const cmd = (d.wsgi && wsgiServer(d.wsgi)) ?? (d.asgi && asgiServer(d.asgi));
    if (cmd) return cmd;
    warnings.push("Django runs with its development server (manage.py runserver): add gunicorn (WSGI) or uvicorn (ASGI) to the dependencies for production, or set RUN_COMMAND.");
    return `python manage.py runserver ${BIND}:$PORT`;
  }
  if (w.streamlit && has("streamlit")) return `streamlit run ${w.streamlit} --server.port $PORT --server.address ${BIND} --server.headless true`;
  if (w.app) {
    const cmd = w.app.kind === "asgi" ? asgiServer(w.app.target) : wsgiServer(w.app.target);
    if (cmd) return cmd;
    warnings.push(`${w.app.file} defines ${w.app.target.replace(/'/g, "").split(":")[1]} but no production server is installed (gunicorn, uvicorn, hypercorn, granian); running python ${w.app.file}, which must listen on $PORT itself. Add a server to the dependencies or set RUN_COMMAND.`);
    return `python ${w.app.file}`;
  }
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

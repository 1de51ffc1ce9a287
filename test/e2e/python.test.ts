// Python through the real frontend, with real packages from PyPI: Flask +
// gunicorn (pip, requirements with an -r include), FastAPI + uvicorn (uv, a
// uv.lock made for the test), Django + gunicorn (Poetry, collectstatic),
// psycopg2 compiled against libpq in the builder with libpq5 in the runtime,
// a Django project one folder down (mysite/manage.py) and a Poetry package
// under src/ (installed, its app object found in the package).
// Each runs as uid 1000 and answers HTTP on PORT; a source-only change leaves
// the dependency install CACHED.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { buildx, copyFixture, fixtureDir, inspect, requireEngine, ROOT, runAndFetch, runIn, sh, stepCached, type BuildResult } from "./engine.js";

beforeAll(() => requireEngine());

function built(dir: () => string, name: string, tag: string): () => BuildResult {
  let result: BuildResult;
  beforeAll(() => {
    result = buildx(dir(), tag);
    if (!result.ok) throw new Error(`build of ${name} failed:\n${result.log}`);
    console.log(`${name}: built in ${result.seconds.toFixed(1)}s`);
  }, 900_000);
  return () => result;
}

/** After a source-only edit, the install step is CACHED and the image still answers. */
function sourceEditKeepsInstall(dir: () => string, file: string, tag: string, installStep: string, first: () => BuildResult) {
  it(`after a source-only change "${installStep}" is CACHED`, () => {
    appendFileSync(path.join(dir(), file), `\n# a source-only change ${Date.now()}\n`);
    const edited = buildx(dir(), tag);
    expect(edited.ok, edited.log).toBe(true);
    expect(stepCached(edited.log, installStep)).toBe(true);
    expect(stepCached(edited.log, "copy source")).toBe(false);
    console.log(`${tag}: first ${first().seconds.toFixed(1)}s, after a source edit ${edited.seconds.toFixed(1)}s`);
  }, 900_000);
}

describe("python-flask-pip (Flask, gunicorn, pip with an -r include)", () => {
  const tag = "python-e2e/flask-pip";
  let dir = "";
  beforeAll(() => {
    dir = copyFixture("python-flask-pip");
  });
  const first = built(() => dir, "python-flask-pip", tag);

  it("answers HTTP 200 on PORT as uid 1000 through gunicorn", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from python-flask-pip uid=1000 flask");
    expect(res.uid).toBe("1000");
    expect(inspect(tag).Config.Cmd).toEqual(["/bin/sh", "-c", "gunicorn app:app --bind 0.0.0.0:$PORT"]);
  });

  it("ships the venv and compiled source, without tests or build tools", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls /app; ls /app/__pycache__; test -x /app/.venv/bin/gunicorn && echo VENV; command -v gcc || echo NO-GCC; echo $PATH"]);
    expect(r.out).toContain("VENV");
    expect(r.out).toContain("NO-GCC");
    expect(r.out).toMatch(/greeting\.cpython-311\.pyc/);
    expect(r.out).not.toMatch(/^tests$/m);
    expect(r.out).toContain("/app/.venv/bin:");
  });

  sourceEditKeepsInstall(() => dir, "greeting.py", tag, "install dependencies (pip)", first);
});

describe("python-fastapi-uv (FastAPI, uvicorn, uv sync --locked, Python 3.13)", () => {
  const tag = "python-e2e/fastapi-uv";
  let dir = "";
  beforeAll(() => {
    // uv.lock names the package index's host, which this repository never records: the test locks the fixture itself, with uv from PyPI.
    dir = copyFixture("python-fastapi-uv");
    const builder = JSON.parse(sh("node", ["dist/cli.cjs", "plan", dir, "--json"])).stages[0].image as string;
    const lock = spawnSync(
      "docker",
      ["run", "--rm", "--network", "host", "-v", `${dir}:/w`, "-w", "/w", builder, "sh", "-c", "python -m venv /tmp/uv && /tmp/uv/bin/pip install -q uv==0.13.9 && /tmp/uv/bin/uv lock -q && chmod 644 uv.lock"],
      { encoding: "utf8" },
    );
    if (lock.status !== 0) throw new Error(`uv lock failed:\n${lock.stdout}${lock.stderr}`);
  }, 300_000);
  const first = built(() => dir, "python-fastapi-uv", tag);

  it("installs with uv sync --locked and answers HTTP 200 on PORT as uid 1000 through uvicorn", async () => {
    // The plan for this context (with the test's uv.lock) syncs --locked: a stale lock fails the build.
    const plan = JSON.parse(sh("node", ["dist/cli.cjs", "plan", dir, "--json"]));
    expect(JSON.stringify(plan.stages[0].steps)).toContain("uv sync --locked --no-dev --no-install-project");
    expect(first().ok).toBe(true);
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from python-fastapi-uv uid=1000 fastapi");
    expect(res.uid).toBe("1000");
  });

  it("runs Python 3.13 and leaves dev dependencies out", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "python --version; ls /app/.venv/lib/python3.13/site-packages"]);
    expect(r.out).toContain("Python 3.13.");
    expect(r.out).toMatch(/^fastapi$/m);
    expect(r.out).not.toMatch(/^pytest$/m);
  });

  sourceEditKeepsInstall(() => dir, "main.py", tag, "install dependencies (uv)", first);
});

describe("python-django-poetry (Django, gunicorn, Poetry lock, collectstatic)", () => {
  const tag = "python-e2e/django-poetry";
  let dir = "";
  beforeAll(() => {
    dir = copyFixture("python-django-poetry");
  });
  const first = built(() => dir, "python-django-poetry", tag);

  it("answers HTTP 200 on PORT as uid 1000 through gunicorn with the project's WSGI module", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from python-django-poetry uid=1000 django");
    expect(inspect(tag).Config.Cmd).toEqual(["/bin/sh", "-c", "gunicorn mysite.wsgi:application --bind 0.0.0.0:$PORT"]);
  });

  it("ran collectstatic into STATIC_ROOT, and the throwaway SECRET_KEY is not in the image", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "cat /app/staticfiles/site.css; env"]);
    expect(r.out).toContain("color: teal");
    expect(r.out).not.toContain("SECRET_KEY");
    expect(JSON.stringify(inspect(tag).Config)).not.toContain("collectstatic-not-a-secret");
  });

  it("installed the main group only", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls /app/.venv/lib/python3.11/site-packages"]);
    expect(r.out).toMatch(/^django$/m);
    expect(r.out).not.toMatch(/^pytest$/m);
  });

  sourceEditKeepsInstall(() => dir, "mysite/urls.py", tag, "install dependencies (poetry)", first);
});

describe("python-psycopg2 (compiled against libpq; libpq5 in the runtime)", () => {
  const tag = "python-e2e/psycopg2";
  const first = built(() => fixtureDir("python-psycopg2"), "python-psycopg2", tag);

  it("answers HTTP 200 on PORT as uid 1000 and reports the libpq it links", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/hello from python-psycopg2 uid=1000 libpq=\d{5,6}/);
    expect(first().log).toContain("install system packages: libpq5");
  });

  it("compiled psycopg2 from source (no bundled libpq) and the runtime has no compiler", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "ls /app/.venv/lib/python3.11/site-packages | grep -i psycopg2; ls /app/.venv/lib/python3.11/site-packages/psycopg2_binary.libs 2>/dev/null || echo NOT-BINARY; command -v gcc || echo NO-GCC"]);
    expect(r.out).toContain("NOT-BINARY");
    expect(r.out).toContain("NO-GCC");
  });
});

describe("python-django-nested (startproject inside the repository: requirements.txt at the root, mysite/manage.py)", () => {
  const tag = "python-e2e/django-nested";
  let dir = "";
  beforeAll(() => {
    dir = copyFixture("python-django-nested");
  });
  const first = built(() => dir, "python-django-nested", tag);

  it("answers HTTP 200 on PORT as uid 1000 through gunicorn, the project's folder on PYTHONPATH", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from python-django-nested uid=1000 django=5.1.4");
    expect(inspect(tag).Config.Cmd).toEqual(["/bin/sh", "-c", "gunicorn mysite.wsgi:application --bind 0.0.0.0:$PORT"]);
    expect(inspect(tag).Config.Env).toContain("PYTHONPATH=/app/mysite:/app");
  });

  it("ran the nested manage.py's collectstatic into its STATIC_ROOT", () => {
    // The image, not the log: a build served from cache prints no collectstatic output.
    const r = runIn(tag, "/bin/sh", ["-c", "cat /app/mysite/staticfiles/hello/site.css"]);
    expect(r.out).toContain("rebeccapurple");
  });

  sourceEditKeepsInstall(() => dir, "mysite/hello/views.py", tag, "install dependencies (pip)", first);
});

describe("python-poetry-src-layout (Poetry 2, FastAPI package under src/, poetry.lock)", () => {
  const tag = "python-e2e/poetry-src-layout";
  let dir = "";
  beforeAll(() => {
    dir = copyFixture("python-poetry-src-layout");
  });
  const first = built(() => dir, "python-poetry-src-layout", tag);

  it("serves the app object found in src/shop/main.py through uvicorn as uid 1000 (relative imports work: it is the installed package)", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from python-poetry-src-layout uid=1000 fastapi");
    expect(inspect(tag).Config.Cmd).toEqual(["/bin/sh", "-c", "uvicorn shop.main:app --host 0.0.0.0 --port $PORT"]);
  });

  it("installed the package itself after the locked main group: its console script runs, pytest is absent", () => {
    const r = runIn(tag, "/bin/sh", ["-c", "shop-admin; python --version; ls /app/.venv/lib/python3.13/site-packages"]);
    expect(r.out).toContain("shop-admin: hello from python-poetry-src-layout");
    expect(r.out).toContain("Python 3.13.");
    expect(r.out).toMatch(/^shop-0\.1\.0\.dist-info$/m);
    expect(r.out).not.toMatch(/^pytest$/m);
  });

  sourceEditKeepsInstall(() => dir, "src/shop/greeting.py", tag, "install dependencies (poetry)", first);
});

describe("python-flask-pip with USE_DHI=true (shell-less runtime)", () => {
  const tag = "python-e2e/flask-dhi";
  let result: BuildResult;
  beforeAll(() => {
    execFileSync("node", ["scripts/standins.mjs", "--dhi", fixtureDir("python-flask-pip")], { cwd: ROOT, stdio: "inherit" });
    result = buildx(fixtureDir("python-flask-pip"), tag, { buildArgs: { USE_DHI: "true" } });
    if (!result.ok) throw new Error(`build failed:\n${result.log}`);
  }, 900_000);

  it("runs gunicorn as a module of the venv's python, $PORT pre-expanded, as the image's non-root user", async () => {
    expect(inspect(tag).Config.Cmd).toEqual(["python", "-m", "gunicorn", "app:app", "--bind", "0.0.0.0:5000"]);
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain("hello from python-flask-pip uid=65532 flask");
    expect(runIn(tag, "/bin/sh", ["-c", "true"]).code).not.toBe(0);
  });
});

// Configuration surface: options, precedence, user variables, credentials,
// secrets, PROJECT_PATH, REGISTRY_MIRROR, BUILDPACKS and the result block.
import { describe, it, expect } from "vitest";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { commonOptions } from "../../src/options/build-args.js";
import { classifyBuildArgs, isCredential } from "../../src/options/classify.js";
import { mirrorImage } from "../../src/pipeline/registry-mirror.js";
import { buildpackOrder, mapBuildpack } from "../../src/pipeline/buildpacks.js";
import { normalizeProjectPath } from "../../src/context/subdir.js";
import { planToLlb } from "../../src/emit/plan-to-llb.js";
import { marshal } from "../../src/llb/marshal.js";
import { decodeDefinition } from "../helpers/llb.js";
import { userError } from "../helpers/user-error.js";

const GO = { "go.mod": "module example.com/api\n\ngo 1.22\n", "main.go": "package main" };
const amd64 = { os: "linux", architecture: "amd64" };


describe("options", () => {
  it.each([
    ["PORT", "8080", (o: any) => expect(o.port).toBe(8080)],
    ["USE_DHI", "true", (o: any) => expect(o.useDhi).toBe(true)],
    ["USE_DHI", "0", (o: any) => expect(o.useDhi).toBe(false)],
    ["NO_CACHE", "yes", (o: any) => expect(o.noCache).toBe(true)],
    ["CACHE_KEY", "app-1", (o: any) => expect(o.cacheKey).toBe("app-1")],
    ["BUILD_CACHE_DIR", "/cache/apps/x", (o: any) => expect(o.cacheKey).toBe("cache-apps-x")],
    ["SECRETS", "NPM_TOKEN, GH_TOKEN", (o: any) => expect(o.secrets).toEqual(["NPM_TOKEN", "GH_TOKEN"])],
    ["REGISTRY_MIRROR", "https://mirror.example", (o: any) => expect(o.registryMirror).toBe("https://mirror.example")],
  ])("%s=%s is accepted", (key, value, check) => check(commonOptions({ [key]: value })));

  it.each([
    ["PORT", "http", /PORT="http" is invalid: must be a whole number between 1 and 65535/],
    ["PORT", "70000", /between 1 and 65535/],
    ["USE_DHI", "maybe", /USE_DHI="maybe" is invalid: must be true or false/],
    ["CACHE_KEY", "a b", /CACHE_KEY/],
    ["SECRETS", "NPM TOKEN", /SECRETS/],
  ])("%s=%s is one clear error naming the option", (key, value, msg) => {
    expect(() => commonOptions({ [key]: value })).toThrow(msg);
  });

  it("LANGUAGE with an unknown value lists the allowed ones", async () => {
    const e = await userError(buildPlan(new MemoryContext(GO), { LANGUAGE: "cobol" }));
    expect(e.message).toMatch(/LANGUAGE="cobol".*one of: deno, ruby, python, go, rust, .*bun, nodejs\./);
  });
});

describe("build args → user variables", () => {
  it("passes unknown names as build-stage env, sorted; keeps options and session noise out", () => {
    const c = classifyBuildArgs({ VITE_API_URL: "https://api", NODE_OPTIONS: "--x", PORT: "1", GO_VERSION: "1.22", PATH: "/x", BUILDKIT_SYNTAX: "y", APP_VERSION: "3" }, ["GO_VERSION"]);
    expect(c.userEnv).toEqual([["APP_VERSION", "3"], ["NODE_OPTIONS", "--x"], ["VITE_API_URL", "https://api"]]);
  });

  it.each(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "DOCKER_CONFIG", "NPM_TOKEN", "GITHUB_TOKEN", "SECRET_KEY_BASE", "DB_PASSWORD", "STRIPE_SECRET", "MY_API_KEY", "SENTRY_AUTH_TOKEN", "DHI_PASSWORD"])("%s is a credential", (n) => {
    expect(isCredential(n)).toBe(true);
  });

  it.each(["NODE_OPTIONS", "VITE_API_URL", "NEXT_PUBLIC_STRIPE_KEY", "VITE_PUBLIC_KEY", "PASSPORT_MODE", "KEYBOARD", "TOKENIZER_MODEL", "APP_VERSION"])("%s is not a credential", (n) => {
    expect(isCredential(n)).toBe(false);
  });

  it("drops credentials and routes proxies to BuildKit's proxy env", () => {
    const c = classifyBuildArgs({ AWS_SECRET_ACCESS_KEY: "s", HTTP_PROXY: "http://p:3128", no_proxy: "localhost" }, []);
    expect(c.userEnv).toEqual([]);
    expect(c.dropped).toEqual(["AWS_SECRET_ACCESS_KEY"]);
    expect(c.proxy).toEqual({ HTTP_PROXY: "http://p:3128", NO_PROXY: "localhost" });
  });

  it("user variables reach every build stage, never the runtime; credentials never reach the LLB", async () => {
    const { plan, buildEnv } = await buildPlan(new MemoryContext(GO), { GREETING: "hi", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI-very-secret", HTTPS_PROXY: "http://proxy:1" });
    expect(plan.stages[0]!.env).toContainEqual(["GREETING", "hi"]);
    expect(plan.runtime.env.map(([k]) => k)).not.toContain("GREETING");
    expect(plan.warnings.join("\n")).toMatch(/AWS_SECRET_ACCESS_KEY looks like a credential.*--secret id=AWS_SECRET_ACCESS_KEY/);
    const bytes = marshal(planToLlb(plan, { platform: amd64, contextName: "context", excludePatterns: [], resolveMode: "default", cacheNamespace: "t", proxyEnv: buildEnv.proxy })).bytes;
    const text = Buffer.from(bytes).toString("latin1");
    expect(text).toContain("GREETING=hi");
    expect(text).not.toContain("wJalrXUtnFEMI");
    const exec = decodeDefinition(bytes).ops.find((o) => o.op.exec)!;
    expect(exec.op.exec.meta.proxy_env).toEqual({ https_proxy: "http://proxy:1" });
    expect(exec.op.exec.meta.env.join(" ")).not.toContain("proxy");
  });
});

describe("secrets", () => {
  it("are exposed to build steps as env and /run/secrets files, by id only, never to the runtime", async () => {
    const { plan } = await buildPlan(new MemoryContext(GO), { SECRETS: "NPM_TOKEN" });
    const d = decodeDefinition(marshal(planToLlb(plan, { platform: amd64, contextName: "context", excludePatterns: [], resolveMode: "default", cacheNamespace: "t" })).bytes);
    const execs = d.ops.filter((o) => o.op.exec);
    expect(execs.length).toBeGreaterThan(0);
    for (const e of execs) {
      expect(e.op.exec.secretenv).toEqual([{ ID: "NPM_TOKEN", name: "NPM_TOKEN" }]);
      expect(e.op.exec.mounts.at(-1)).toMatchObject({ dest: "/run/secrets/NPM_TOKEN", mountType: 1, secretOpt: { ID: "NPM_TOKEN" } });
    }
  });
});

describe("config files and precedence", () => {
  const files = {
    ...GO,
    "migetpacks.toml": 'run_command = "./api --from-toml"\nport = 7000\n[env]\nFROM_TOML = "1"\nSHARED = "toml"\n',
    "app.json": JSON.stringify({
      env: { SHARED: "app", FROM_APP: { value: "2" }, SESSION_SECRET: { generator: "secret" }, PLAIN: { description: "x", value: "y" } },
      formation: { web: { quantity: 2, size: "standard" } },
      scripts: { postdeploy: "./migrate", "pr-predestroy": { command: "./cleanup", size: "small" } },
      addons: ["heroku-postgresql", { plan: "redis:mini", as: "CACHE" }],
    }),
  };

  it("build args > migetpacks.toml > app.json", async () => {
    const { plan } = await buildPlan(new MemoryContext(files), { SHARED: "arg" });
    expect(plan.result.runCommand).toBe("./api --from-toml");
    expect(plan.runtime.port).toBe(7000);
    const env = Object.fromEntries(plan.stages[0]!.env);
    expect(env).toMatchObject({ SHARED: "arg", FROM_TOML: "1", FROM_APP: "2", PLAIN: "y" });
    expect(env.SESSION_SECRET).toBeUndefined();
    const { plan: p2 } = await buildPlan(new MemoryContext(files), { RUN_COMMAND: "./api --from-arg", PORT: "9000" });
    expect(p2.result.runCommand).toBe("./api --from-arg");
    expect(p2.runtime.port).toBe(9000);
  });

  it("records app.json formation, scripts, addons and env (generated values as null) in the result", async () => {
    const { plan } = await buildPlan(new MemoryContext(files), {});
    expect(plan.result.formation).toEqual([{ name: "web", quantity: 2, size: "standard" }]);
    expect(plan.result.scripts).toEqual([
      { name: "postdeploy", command: "./migrate", size: null },
      { name: "pr-predestroy", command: "./cleanup", size: "small" },
    ]);
    expect(plan.result.addons).toEqual([
      { plan: "heroku-postgresql", as: null, options: null },
      { plan: "redis:mini", as: "CACHE", options: null },
    ]);
    expect(plan.result.env).toMatchObject({ SESSION_SECRET: null, FROM_APP: "2" });
    expect(plan.result.ports).toEqual(["7000/tcp"]);
  });

  it("bad migetpacks.toml and app.json are clear errors naming the file", async () => {
    expect((await userError(buildPlan(new MemoryContext({ ...GO, "migetpacks.toml": "port = = 1" }), {}))).message).toMatch(/^migetpacks.toml is not valid TOML at line 1/);
    expect((await userError(buildPlan(new MemoryContext({ ...GO, "app.json": '{"formation": 3}' }), {}))).message).toMatch(/^app.json: "formation" is invalid/);
  });

  it("Procfile processes are recorded, release and workers included", async () => {
    const { plan } = await buildPlan(new MemoryContext({ ...GO, Procfile: "web: api\nworker: api --queue\nrelease: ./migrate up\n" }), {});
    expect(plan.result.processes).toEqual({ web: "./api", release: "./migrate up", workers: [{ name: "worker", command: "api --queue" }] });
    expect(plan.runtime.cmd).toEqual(["./api"]);
  });
});

describe("PROJECT_PATH", () => {
  const mono = { "apps/api/go.mod": GO["go.mod"], "apps/api/main.go": "package main", "apps/web/package.json": "{}", "package.json": "{}" };

  it.each([
    ["apps/api", "apps/api"],
    ["/apps/api/", "apps/api"],
    ["./apps//api", "apps/api"],
    ["", ""],
    [".", ""],
  ])("%j normalizes to %j", (raw, want) => expect(normalizeProjectPath(raw)).toBe(want));

  it.each(["..", "../other", "apps/../../x"])("%s escaping the context is refused", (raw) => {
    expect(() => normalizeProjectPath(raw)).toThrow(/outside the build context/);
  });

  it("plans the sub-app and copies only its folder from the context", async () => {
    const { plan } = await buildPlan(new MemoryContext(mono), { PROJECT_PATH: "apps/api" });
    expect(plan.result.language).toBe("go");
    expect(plan.projectPath).toBe("apps/api");
    const d = decodeDefinition(marshal(planToLlb(plan, { platform: amd64, contextName: "context", excludePatterns: [], resolveMode: "default", cacheNamespace: "t" })).bytes);
    const local = d.ops.find((o) => o.op.source?.identifier === "local://context")!;
    expect(JSON.parse(local.op.source.attrs["local.includepattern"])).toEqual(["apps/api"]);
    const srcs = d.ops.filter((o) => o.op.file).flatMap((o) => o.op.file.actions.map((a: any) => a.copy?.src)).filter(Boolean);
    expect(srcs).toContain("/apps/api/go.mod");
    expect(srcs).toContain("/apps/api");
  });

  it("may come from migetpacks.toml", async () => {
    const { plan } = await buildPlan(new MemoryContext({ ...mono, "migetpacks.toml": 'project_path = "apps/api"\n' }), {});
    expect(plan.projectPath).toBe("apps/api");
  });
});

describe("REGISTRY_MIRROR", () => {
  it.each([
    ["node:22-slim", "mirror.example", undefined, "mirror.example/mirror/library/node:22-slim"],
    ["oven/bun:1", "https://mirror.example/", undefined, "mirror.example/mirror/oven/bun:1"],
    ["golang:1.22", "harbor.example/dockerhub", undefined, "harbor.example/dockerhub/library/golang:1.22"],
    ["docker.io/library/debian:bookworm-slim", "m.example", undefined, "m.example/mirror/library/debian:bookworm-slim"],
    ["mcr.microsoft.com/dotnet/aspnet:8.0", "m.example", undefined, "mcr.microsoft.com/dotnet/aspnet:8.0"],
    ["dhi.io/node:22", "m.example", undefined, "dhi.io/node:22"],
    ["dhi.io/node:22", "m.example", "dhi-mirror.example", "dhi-mirror.example/node:22"],
    ["node:22", undefined, undefined, "node:22"],
  ])("%s via %s → %s", (ref, mirror, dhi, want) => expect(mirrorImage(ref, mirror, dhi)).toBe(want));

  it("rewrites every base image of the plan", async () => {
    const { plan } = await buildPlan(new MemoryContext(GO), { REGISTRY_MIRROR: "mirror.example" });
    expect(plan.stages[0]!.image).toBe("mirror.example/mirror/library/golang:1.22");
    expect(plan.runtime.image).toBe("mirror.example/mirror/library/debian:bookworm-slim");
  });
});

describe("BUILDPACKS", () => {
  it.each([
    ["heroku/nodejs", "nodejs"],
    ["miget/go", "go"],
    ["golang", "go"],
    ["heroku/gradle", "kotlin"],
    ["https://github.com/heroku/heroku-buildpack-python.git", "python"],
    ["something/else", undefined],
  ])("%s → %s", (name, want) => expect(mapBuildpack(name)).toBe(want));

  it("BUILDPACKS: first is primary; app.json: last is primary", () => {
    expect(buildpackOrder("go, nodejs", undefined)).toEqual({ primary: "go", additional: ["nodejs"] });
    expect(buildpackOrder(undefined, ["heroku/nodejs", "heroku/go"])).toEqual({ primary: "go", additional: ["nodejs"] });
    expect(buildpackOrder("nodejs", ["heroku/go"])).toEqual({ primary: "nodejs", additional: [] });
  });

  it("the primary buildpack decides the language over detection", async () => {
    const { plan } = await buildPlan(new MemoryContext({ ...GO, "package.json": '{"scripts":{"start":"node x"}}' }), { BUILDPACKS: "nodejs" });
    expect(plan.result.language).toBe("nodejs");
  });
});

describe("secondary Node.js", () => {
  const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: "x", scripts });
  const stageNames = async (files: Record<string, string>, args: Record<string, string> = {}) =>
    (await buildPlan(new MemoryContext(files), args)).plan.stages.map((s) => s.name);

  it("a Go app with a package.json build script gets an assets stage its build copies from", async () => {
    const { plan } = await buildPlan(new MemoryContext({ ...GO, "package.json": pkg({ build: "vite build" }) }), {});
    expect(plan.stages.map((s) => s.name)).toEqual(["assets", "build"]);
    const copy = plan.stages[1]!.steps.find((s) => s.kind === "copy" && s.from !== "context");
    expect(copy).toMatchObject({ from: { stage: "assets" }, paths: ["/build"], exclude: ["node_modules"] });
    expect(plan.stages[0]!.steps.some((s) => s.kind === "run" && /prune/.test(s.shell))).toBe(false);
  });

  it("is skipped without a build script, and when BUILDPACKS names only the primary", async () => {
    expect(await stageNames({ ...GO, "package.json": pkg({ start: "x" }) })).toEqual(["build"]);
    expect(await stageNames({ ...GO, "package.json": pkg({ build: "x" }) }, { BUILDPACKS: "go" })).toEqual(["build"]);
  });

  it("BUILDPACKS=go,nodejs asks for it explicitly", async () => {
    expect(await stageNames({ ...GO, "package.json": pkg({ build: "x" }) }, { BUILDPACKS: "go,nodejs" })).toEqual(["assets", "build"]);
  });
});

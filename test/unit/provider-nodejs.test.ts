import { describe, it, expect } from "vitest";
import path from "node:path";
import semver from "semver";
import table from "../../src/providers/nodejs/versions.json" with { type: "json" };
import { LocalContext } from "../../src/context/local-fs.js";
import { UserError, type BuildContext } from "../../src/context/fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { defaultNodeVersion } from "../../src/providers/nodejs/versions.js";
import type { BuildPlan, CopyStep, RunStep } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";
import { npmCiOrInstall } from "../../src/providers/nodejs/package-manager.js";
import { userError } from "../helpers/user-error.js";

const fixture = (name: string) => new LocalContext(path.resolve(__dirname, "../../fixtures", name));
const plan = async (ctx: BuildContext, args: Record<string, string> = {}) => (await buildPlan(ctx, args)).plan;
const mem = async (files: Record<string, string>, args: Record<string, string> = {}) => plan(new MemoryContext(files), args);
const pkg = (o: object = {}) => JSON.stringify({ name: "app", ...o });
const latest = (major: number) => semver.maxSatisfying(table.versions, `${major}.x`)!;
const steps = (p: BuildPlan) => p.stages[0]!.steps;
const installStep = (p: BuildPlan) => steps(p).find((s) => s.kind === "run" && s.name.startsWith("install dependencies")) as RunStep;
const buildStep = (p: BuildPlan) => steps(p).find((s) => s.kind === "run" && s.name.includes("prune")) as RunStep | undefined;


describe("node version precedence", () => {
  const all = {
    "package.json": pkg({ engines: { node: "16" } }),
    ".node-version": "20\n",
    ".nvmrc": "v22\n",
    ".tool-versions": "ruby 3.3.0\nnodejs 14.21.3\n",
  };
  const without = (...keys: string[]) => Object.fromEntries(Object.entries(all).filter(([k]) => !keys.includes(k)));
  const cases: [string, Record<string, string>, Record<string, string>, () => string, string][] = [
    ["NODE_VERSION", all, { NODE_VERSION: "18" }, () => latest(18), "build arg NODE_VERSION"],
    [".node-version", all, {}, () => latest(20), ".node-version"],
    [".nvmrc", without(".node-version"), {}, () => latest(22), ".nvmrc"],
    // A pinning file (mise, .tool-versions) beats engines.node, which is a range the app accepts.
    [".tool-versions over engines.node", without(".node-version", ".nvmrc"), {}, () => "14.21.3", ".tool-versions"],
    ["engines.node", without(".node-version", ".nvmrc", ".tool-versions"), {}, () => latest(16), "package.json engines.node"],
    ["default", { "package.json": pkg() }, {}, defaultNodeVersion, "default"],
  ];
  it.each(cases)("%s", async (_n, files, args, version, source) => {
    const p = await mem(files, args);
    expect([p.result.version, p.result.versionSource]).toEqual([version(), source]);
    expect(p.stages[0]!.image).toBe(`node:${version()}`);
    expect(p.runtime.image).toBe(`node:${version()}-slim`);
  });
  it("fixture node-npm: .nvmrc (20) beats engines.node (22)", async () => {
    expect((await plan(fixture("node-npm"))).result).toMatchObject({ version: latest(20), versionSource: ".nvmrc" });
  });
  it.each([
    [{ "package.json": pkg({ engines: { node: "banana" } }) }, "package.json"],
    [{ "package.json": pkg(), ".nvmrc": "lts/nope\n" }, ".nvmrc"],
  ] as [Record<string, string>, string][])("bad version → UserError naming the file (%#)", async (files, file) => {
    const e = await userError(mem(files));
    expect(e.file).toBe(file);
    expect(e.message).toContain(file);
  });
});

describe("package.json problems", () => {
  it("invalid JSON → one-line UserError naming package.json", async () => {
    const e = await userError(mem({ "package.json": '{ "name": "x", }' }));
    expect(e.file).toBe("package.json");
    expect(e.message).toMatch(/^package\.json is not valid JSON/);
    expect(e.message).not.toContain("\n");
  });
  it.each(["[1, 2]", "null", '"text"'])("%s → UserError asking for an object", async (text) => {
    const e = await userError(mem({ "package.json": text }));
    expect(e.message).toContain("package.json must contain a JSON object");
  });
  it("wrong field type → UserError naming the field", async () => {
    const e = await userError(mem({ "package.json": pkg({ scripts: { start: 1 } }) }));
    expect(e.message).toContain('"scripts.start"');
  });
});

describe("package manager", () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ["npm + lockfile", { "package-lock.json": "{}" }, "npm", npmCiOrInstall("package-lock.json")],
    ["npm shrinkwrap", { "npm-shrinkwrap.json": "{}" }, "npm", npmCiOrInstall("npm-shrinkwrap.json")],
    ["npm without lockfile", {}, "npm", "npm install --include=dev"],
    ["yarn.lock", { "yarn.lock": "" }, "yarn", "yarn install --frozen-lockfile --production=false --non-interactive"],
    ["pnpm-lock.yaml", { "pnpm-lock.yaml": "" }, "pnpm", "pnpm install --frozen-lockfile --prod=false"],
    ["pnpm > yarn > npm", { "pnpm-lock.yaml": "", "yarn.lock": "", "package-lock.json": "{}" }, "pnpm", "pnpm install --frozen-lockfile --prod=false"],
    ["yarn > npm", { "yarn.lock": "", "package-lock.json": "{}" }, "yarn", "yarn install --frozen-lockfile --production=false --non-interactive"],
    ["yarn berry via .yarnrc.yml", { "yarn.lock": "", ".yarnrc.yml": "nodeLinker: node-modules\n" }, "yarn", "yarn install --immutable"],
    ["yarn berry via lockfile format", { "yarn.lock": "__metadata:\n  version: 8\n  cacheKey: 10c0\n" }, "yarn", "yarn install --immutable"],
    ["packageManager pnpm", { "package.json": pkg({ packageManager: "pnpm@9.1.0" }) }, "pnpm", "pnpm install --no-frozen-lockfile --prod=false"],
    ["packageManager yarn 1", { "package.json": pkg({ packageManager: "yarn@1.22.19" }) }, "yarn", "yarn install --production=false --non-interactive"],
    ["packageManager yarn 4", { "package.json": pkg({ packageManager: "yarn@4.1.0" }) }, "yarn", "yarn install"],
    ["lockfile beats packageManager", { "package.json": pkg({ packageManager: "yarn@4.1.0" }), "package-lock.json": "{}" }, "npm", npmCiOrInstall("package-lock.json")],
  ];
  it.each(cases)("%s", async (_n, files, pm, install) => {
    const p = await mem({ "package.json": pkg(), ...files });
    expect(p.result.packageManager).toBe(pm);
    expect(installStep(p).shell).toBe(install);
  });

  it("install copies only manifest + lockfile + config (+ patches), before the source copy", async () => {
    const p = await mem({ "package.json": pkg(), "package-lock.json": "{}", ".npmrc": "x", "server.js": "", "src/a.js": "", "yarn.lock.bak": "" });
    const [manifests, install] = steps(p) as [CopyStep, RunStep];
    const source = steps(p).find((s) => s.name === "copy source") as CopyStep;
    expect(manifests).toMatchObject({ kind: "copy", from: "context", paths: ["."], include: ["package.json", "package-lock.json", ".npmrc", "patches/**"], dest: "/build" });
    expect(manifests.exclude).toContain("node_modules");
    expect(install.kind).toBe("run");
    expect(source).toMatchObject({ kind: "copy", from: "context", paths: ["."], exclude: ["node_modules", "**/node_modules"] });
  });
});

describe("build step", () => {
  it.each([
    ["heroku-postbuild preferred over build", { build: "b", "heroku-postbuild": "h" }, {}, "npm run heroku-postbuild && npm prune --omit=dev"],
    ["build script", { build: "b" }, {}, "npm run build && npm prune --omit=dev"],
    ["BUILD_COMMAND overrides scripts", { build: "b" }, { BUILD_COMMAND: "make assets" }, "make assets && npm prune --omit=dev"],
  ] as [string, Record<string, string>, Record<string, string>, string][])("%s", async (_n, scripts, args, shell) => {
    const p = await mem({ "package.json": pkg({ scripts }), "package-lock.json": "{}" }, args);
    expect(buildStep(p)?.shell).toBe(shell);
    expect(steps(p).at(-1)).toBe(buildStep(p)); // after the source copy: a build may write into node_modules
  });
  it("no build script: the prune runs before the source copy, so a source-only change re-runs nothing", async () => {
    const p = await mem({ "package.json": pkg({ devDependencies: { x: "1" } }), "package-lock.json": "{}" });
    const names = steps(p).map((s) => s.name);
    expect(buildStep(p)?.shell).toBe("npm prune --omit=dev");
    expect(names.slice(-3)).toEqual(["install dependencies (npm)", "prune dev dependencies", "copy source"]);
  });
  it("Plug'n'Play prunes after the source copy (which would bring .yarn/cache back)", async () => {
    const p = await mem({ "package.json": pkg({ packageManager: "yarn@4.5.0" }), "yarn.lock": "__metadata:\n  version: 8\n", ".yarnrc.yml": "nodeLinker: pnp\n" });
    expect(steps(p).at(-1)?.name).toMatch(/prune/);
  });
  it("pnpm builds with pnpm run", async () => {
    const p = await mem({ "package.json": pkg({ scripts: { build: "b" } }), "pnpm-lock.yaml": "" });
    expect(buildStep(p)?.shell).toBe("pnpm run build && pnpm install --prod --frozen-lockfile --ignore-scripts --prefer-offline --config.confirm-modules-purge=false");
  });
});

describe("start command", () => {
  it.each([
    ["start script", { "package.json": pkg({ scripts: { start: "node x.js" }, main: "m.js" }), "server.js": "" }, "npm start", ["npm", "start"]],
    ["main", { "package.json": pkg({ main: "lib/app.js" }), "server.js": "" }, "node lib/app.js", ["node", "lib/app.js"]],
    ["server.js fallback", { "package.json": pkg(), "server.js": "", "index.js": "" }, "node server.js", ["node", "server.js"]],
    ["index.js fallback", { "package.json": pkg(), "index.js": "" }, "node index.js", ["node", "index.js"]],
  ] as [string, Record<string, string>, string, string[]][])("%s", async (_n, files, command, cmd) => {
    const p = await mem(files);
    expect(p.result.runCommand).toBe(command);
    expect(p.runtime.cmd).toEqual(cmd);
    expect(p.warnings).toEqual([]);
  });
  it("nothing to start → node index.js with a warning", async () => {
    const p = await mem({ "package.json": pkg() });
    expect(p.result.runCommand).toBe("node index.js");
    expect(p.warnings.join("\n")).toContain("start");
  });
  it("Procfile web with $PORT runs under sh -c; release and workers recorded", async () => {
    const p = await plan(fixture("node-procfile"));
    expect(p.result.runCommand).toBe("node web.js $PORT");
    expect(p.runtime.cmd).toEqual(["/bin/sh", "-c", "node web.js $PORT"]);
    expect(p.result.processes).toEqual({ web: "node web.js $PORT", release: "node migrate.js", workers: [{ name: "worker", command: "node worker.js" }] });
  });
  it("RUN_COMMAND beats Procfile", async () => {
    expect((await plan(fixture("node-procfile"), { RUN_COMMAND: "node worker.js" })).runtime.cmd).toEqual(["node", "worker.js"]);
  });
});

describe("node runtime", () => {
  it("slim image, /app, user 1000, tests and .git excluded", async () => {
    const p = await plan(fixture("node-npm"));
    expect(p.runtime).toMatchObject({ image: `node:${p.result.version}-slim`, user: "1000:1000", workdir: "/app", port: 5000 });
    // HOST: servers that read it listen on every interface; no npm update notice on every start.
    expect(p.runtime.env).toEqual([["NODE_ENV", "production"], ["PORT", "5000"], ["HOST", "0.0.0.0"], ["NPM_CONFIG_UPDATE_NOTIFIER", "false"]]);
    const copy = p.runtime.copies.at(-1)!;
    expect(copy).toMatchObject({ stage: "build", src: "/build", dest: "/app" });
    for (const x of ["test", "tests", ".git", "coverage"]) expect(copy.exclude).toContain(x);
  });

  it("node_modules is its own layer, before the app (which leaves it out)", async () => {
    const p = await plan(fixture("node-npm-deps"));
    expect(p.runtime.copies.map((c) => [c.src, c.dest])).toEqual([
      ["/build/node_module[s]", "/app/node_modules"],
      ["/build", "/app"],
    ]);
    expect(p.runtime.copies[1]!.exclude).toContain("node_modules");
  });
});

describe("dependency CLIs at run time (node_modules/.bin on PATH, as on Heroku)", () => {
  const pathOf = (p: BuildPlan) => p.runtime.env.find(([k]) => k === "PATH")?.[1];
  it.each([
    ["Procfile web: a dependency's CLI", { "package.json": pkg({ dependencies: { pm2: "5" } }), "package-lock.json": "{}", Procfile: "web: pm2-runtime start ecosystem.config.js\n" }],
    ["Procfile release: prisma migrate deploy", { "package.json": pkg({ scripts: { start: "node index.js" }, dependencies: { prisma: "6" } }), "package-lock.json": "{}", Procfile: "web: npm start\nrelease: prisma migrate deploy\n" }],
    ["a start script that compiles first, then runs fastify", { "package.json": pkg({ scripts: { start: "npm run build:ts && fastify start dist/app.js", "build:ts": "tsc" }, dependencies: { "fastify-cli": "7" }, devDependencies: { typescript: "5" } }), "package-lock.json": "{}" }],
  ] as [string, Record<string, string>][])("%s", async (_n, files) => {
    expect(pathOf(await mem(files))).toBe("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/app/node_modules/.bin");
  });
  it("RUN_COMMAND too; a pnpm member also gets its own folder's bins", async () => {
    expect(pathOf(await mem({ "package.json": pkg(), "package-lock.json": "{}" }, { RUN_COMMAND: "next start -p $PORT" }))).toMatch(/:\/app\/node_modules\/\.bin$/);
    const ws = { "package.json": pkg({ private: true }), "pnpm-lock.yaml": "lockfileVersion: '9.0'\n", "pnpm-workspace.yaml": "packages:\n  - apps/*\n", "apps/web/package.json": pkg({ name: "web", scripts: { build: "next build" }, dependencies: { next: "15" } }), "apps/web/Procfile": "web: next start\n" };
    expect(pathOf(await mem(ws, { PROJECT_PATH: "apps/web" }))).toBe("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/app/apps/web/node_modules/.bin:/app/node_modules/.bin");
  });
  it("commands that run node, npm or a path need no PATH of their own", async () => {
    for (const web of ["node server.js", "npm start", "./bin/www", "node_modules/.bin/next start", "NODE_ENV=production node x.js"]) {
      expect(pathOf(await mem({ "package.json": pkg(), "package-lock.json": "{}" }, { RUN_COMMAND: web }))).toBeUndefined();
    }
  });
});

describe("listening on every interface", () => {
  const env = (p: BuildPlan) => Object.fromEntries(p.runtime.env);
  it("fastify-cli listens on localhost unless FASTIFY_ADDRESS says otherwise (outside Docker's /.dockerenv)", async () => {
    const p = await mem({ "package.json": pkg({ scripts: { start: "fastify start -l info app.js" }, dependencies: { fastify: "5", "fastify-cli": "7" } }), "package-lock.json": "{}" });
    expect(env(p)).toMatchObject({ FASTIFY_ADDRESS: "0.0.0.0", HOST: "0.0.0.0" });
    expect(env(await mem({ "package.json": pkg({ scripts: { start: "node app.js" }, dependencies: { fastify: "5" } }), "package-lock.json": "{}" })).FASTIFY_ADDRESS).toBeUndefined();
  });
});

describe("shared libraries native modules load at run time (the slim runtime has none of them)", () => {
  it.each([
    ["Prisma's engines need OpenSSL (node:*-slim has no libssl)", { dependencies: { "@prisma/client": "6" }, devDependencies: { prisma: "6" } }, ["openssl"]],
    ["pg-native links libpq", { dependencies: { pg: "8", "pg-native": "3" } }, ["libpq5"]],
    ["both", { dependencies: { "@prisma/client": "6", libpq: "1" } }, ["libpq5", "openssl"]],
    ["bcrypt, sharp, better-sqlite3 bundle theirs", { dependencies: { bcrypt: "5", sharp: "0.33", "better-sqlite3": "11" } }, []],
  ] as [string, object, string[]][])("%s", async (_n, deps, packages) => {
    const p = await mem({ "package.json": pkg({ scripts: { start: "node index.js" }, ...deps }), "package-lock.json": "{}" });
    expect(p.runtime.packages).toEqual(packages);
  });
  it("a Next.js standalone server with Prisma needs OpenSSL too; a static site ships no node_modules", async () => {
    const standalone = await mem({ "package.json": pkg({ scripts: { build: "next build", start: "next start" }, dependencies: { next: "15", "@prisma/client": "6" } }), "package-lock.json": "{}", "next.config.js": "module.exports = { output: 'standalone' };\n" });
    expect(standalone.runtime.packages).toEqual(["openssl"]);
    const site = await mem({ "package.json": pkg({ scripts: { build: "vite build" }, devDependencies: { vite: "6", prisma: "6" } }), "package-lock.json": "{}" });
    expect(site.runtime.packages).toEqual([]);
  });
  it("USE_DHI: the hardened image has no package manager; the build is not refused for them", async () => {
    const p = await mem({ "package.json": pkg({ scripts: { start: "node index.js" }, dependencies: { "@prisma/client": "6" } }), "package-lock.json": "{}" }, { USE_DHI: "true" });
    expect(p.runtime.packages).toEqual([]);
  });
});

describe("corepack step", () => {
  const prepare = (p: BuildPlan) => steps(p).find((s) => s.kind === "run" && s.name.startsWith("prepare ")) as RunStep | undefined;
  it.each([
    ["pnpm lockfile v9, unpinned", { "pnpm-lock.yaml": "lockfileVersion: '9.0'\n" }, "prepare pnpm@9.15.9 (corepack)"],
    ["pinned pnpm", { "package.json": pkg({ packageManager: "pnpm@10.2.0" }), "pnpm-lock.yaml": "" }, "prepare pnpm@10.2.0 (corepack)"],
    ["yarn classic", { "yarn.lock": "# yarn lockfile v1\n" }, "prepare yarn@1.22.22 (corepack)"],
    ["yarn berry", { "yarn.lock": "__metadata:\n  version: 10\n" }, "prepare yarn@4.18.1 (corepack)"],
    ["pinned npm", { "package.json": pkg({ packageManager: "npm@10.9.0" }), "package-lock.json": "{}" }, "prepare npm@10.9.0 (corepack)"],
    ["unpinned npm: the image's npm", { "package-lock.json": "{}" }, undefined],
  ] as [string, Record<string, string>, string | undefined][])("%s", async (_n, files, name) => {
    const p = await mem({ "package.json": pkg(), ...files });
    expect(prepare(p)?.name).toBe(name);
    if (!name) return;
    // First, before the manifests: its layer survives package.json edits.
    expect(steps(p)[0]).toBe(prepare(p));
    expect(p.stages[0]!.env).toEqual(expect.arrayContaining([["COREPACK_ENABLE_STRICT", "0"], ["COREPACK_ENABLE_AUTO_PIN", "0"]]));
  });
});

describe("caches", () => {
  it.each([
    [{ "package-lock.json": "{}" }, "npm", "node-npm", "/root/.npm", "shared"],
    [{ "pnpm-lock.yaml": "" }, "pnpm", "node-pnpm", "/root/.local/share/pnpm/store", "shared"],
    [{ "yarn.lock": "" }, "yarn", "node-yarn", "/usr/local/share/.cache/yarn", "locked"],
    [{ "yarn.lock": "", ".yarnrc.yml": "" }, "yarn-berry", "node-yarn-berry", "/root/.yarn/berry/cache", "shared"],
  ] as [Record<string, string>, string, string, string, string][])("%j → %s", async (files, name, id, target, sharing) => {
    const p = await mem({ "package.json": pkg({ scripts: { build: "b" } }), ...files });
    expect(p.caches).toEqual({ [name]: { id, target, sharing } });
    expect(installStep(p).caches).toEqual([name]);
    expect(buildStep(p)?.caches ?? []).toEqual([name]);
  });
});

describe("build scripts through the app's package manager", () => {
  it.each([
    ["yarn classic heroku-postbuild", { "yarn.lock": "" }, { "heroku-postbuild": "h", build: "b" }, {}, /^yarn run heroku-postbuild && yarn install --production /],
    ["yarn berry build", { "yarn.lock": "", ".yarnrc.yml": "nodeLinker: node-modules\n" }, { build: "b" }, {}, /^yarn run build && yarn workspaces focus --all --production$/],
    ["pnpm BUILD_COMMAND", { "pnpm-lock.yaml": "" }, { build: "b" }, { BUILD_COMMAND: "make assets" }, /^make assets && pnpm install --prod /],
    ["pnp: project cache refilled with production packages only", { "yarn.lock": "", ".yarnrc.yml": "" }, { build: "b" }, {}, /^yarn run build && rm -rf \.yarn\/cache && yarn workspaces focus --all --production$/],
  ] as [string, Record<string, string>, Record<string, string>, Record<string, string>, RegExp][])("%s", async (_n, files, scripts, args, re) => {
    const p = await mem({ "package.json": pkg({ scripts }), ...files }, args);
    expect(buildStep(p)?.shell).toMatch(re);
  });
});

describe("workspaces (installed at the root)", () => {
  it.each([
    ["package.json workspaces (npm)", { "package.json": pkg({ workspaces: ["packages/*", "apps/web"] }), "package-lock.json": "{}" }, ["packages/*/package.json", "apps/web/package.json"]],
    ["workspaces.packages (yarn classic)", { "package.json": pkg({ workspaces: { packages: ["packages/*"] } }), "yarn.lock": "" }, ["packages/*/package.json"]],
    ["pnpm-workspace.yaml", { "package.json": pkg(), "pnpm-lock.yaml": "", "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - '!apps/legacy'\n" }, ["apps/*/package.json"]],
  ] as [string, Record<string, string>, string[]][])("%s", async (_n, files, patterns) => {
    const p = await mem(files);
    const manifests = steps(p).find((s) => s.kind === "copy" && s.name === "copy package manifests") as CopyStep;
    expect(manifests.include).toEqual(expect.arrayContaining(["package.json", ...patterns]));
    expect(manifests.exclude).toEqual(expect.arrayContaining(["**/node_modules"]));
    const tests = patterns.map((x) => x.replace("package.json", "test"));
    expect(p.runtime.copies.at(-1)!.exclude).toEqual(expect.arrayContaining(tests));
  });

  it("fixture node-workspaces: members' manifests before install, root scripts", async () => {
    const p = await plan(fixture("node-workspaces"));
    expect((steps(p)[0] as CopyStep).include).toEqual(["package.json", "package-lock.json", "packages/*/package.json", "patches/**"]);
    expect(buildStep(p)?.shell).toBe("npm run build && npm prune --omit=dev");
    expect(p.runtime.cmd).toEqual(["npm", "start"]);
  });
});

describe("Turborepo (turbo.json, turbo and packageManager at the root)", () => {
  const root = (pm: string, extra: Record<string, string>) => ({
    "package.json": pkg({ name: "mono", private: true, workspaces: ["apps/*", "packages/*"], scripts: { build: "turbo run build", dev: "turbo run dev" }, devDependencies: { turbo: "^2.5.0" }, packageManager: pm }),
    "turbo.json": JSON.stringify({ tasks: { build: { dependsOn: ["^build"], outputs: ["dist/**"] } } }),
    "apps/api/package.json": pkg({ name: "api", scripts: { build: "tsc", start: "node dist/index.js" }, dependencies: { "@repo/shared": "*" } }),
    "apps/web/package.json": pkg({ name: "web", scripts: { build: "vite build" } }),
    "packages/shared/package.json": pkg({ name: "@repo/shared", main: "dist/index.js", scripts: { build: "tsc" } }),
    ...extra,
  });
  const build = (p: BuildPlan) => buildStep(p)?.shell ?? "";
  it("a member builds with turbo: its dependencies first (npm runs workspaces in glob order, apps/* before packages/*), nothing else", async () => {
    const p = await mem(root("npm@10.9.2", { "package-lock.json": "{}" }), { PROJECT_PATH: "apps/api" });
    expect(build(p)).toBe("TURBO_TELEMETRY_DISABLED=1 npm exec -- turbo run build --filter=api... --env-mode=loose && npm prune --omit=dev");
    expect(p.runtime).toMatchObject({ workdir: "/app/apps/api", cmd: ["npm", "start"] });
  });
  it("pnpm and yarn run the repo's turbo too", async () => {
    const pn = await mem(root("pnpm@9.0.0", { "pnpm-lock.yaml": "lockfileVersion: '9.0'\n", "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n" }), { PROJECT_PATH: "apps/web" });
    expect(build(pn)).toMatch(/^TURBO_TELEMETRY_DISABLED=1 pnpm exec turbo run build --filter=web\.\.\. --env-mode=loose && pnpm install --prod/);
    const y = await mem(root("yarn@1.22.22", { "yarn.lock": "# yarn lockfile v1\n" }), { PROJECT_PATH: "apps/web" });
    expect(build(y)).toMatch(/^TURBO_TELEMETRY_DISABLED=1 yarn turbo run build --filter=web\.\.\. --env-mode=loose && yarn install --production/);
  });
  it("without packageManager turbo refuses to run: the package manager's own member build", async () => {
    const files = root("npm@10.9.2", { "package-lock.json": "{}" });
    files["package.json"] = pkg({ name: "mono", private: true, workspaces: ["apps/*", "packages/*"], devDependencies: { turbo: "2" } });
    expect(build(await mem(files, { PROJECT_PATH: "apps/api" }))).toMatch(/^npm run build --workspaces --if-present/);
  });
  it("the workspace root itself, with no start script: the warning names PROJECT_PATH and the workspaces", async () => {
    const p = await mem(root("npm@10.9.2", { "package-lock.json": "{}" }));
    expect(p.warnings.join("\n")).toMatch(/workspace root \(apps\/\*, packages\/\*\).*PROJECT_PATH/);
  });
});

describe("Next.js", () => {
  const nextPkg = (o: object = {}) => pkg({ dependencies: { next: "15.5.0", react: "19.0.0" }, scripts: { build: "next build", start: "next start" }, ...o });
  it("output: 'standalone' → only .next/standalone (+ static, public), node server.js, HOSTNAME=::", async () => {
    const p = await mem({ "package.json": nextPkg(), "package-lock.json": "{}", "next.config.ts": 'const c: NextConfig = { output: "standalone" };\nexport default c;' });
    expect(p.result).toMatchObject({ framework: "nextjs", runCommand: "node server.js" });
    expect(p.runtime.cmd).toEqual(["node", "server.js"]);
    expect(p.runtime.copies).toEqual([{ stage: "build", src: "/build/.next/standalone", dest: "/app", exclude: [] }]);
    expect(p.runtime.env).toContainEqual(["HOSTNAME", "::"]);
    const b = steps(p).at(-1) as RunStep;
    expect(b.name).toBe("build and assemble Next.js standalone output");
    expect(b.shell).toMatch(/^npm run build && /);
    expect(b.shell).toContain("cp -r .next/static .next/standalone/.next/static");
    expect(b.shell).toContain("cp -r public .next/standalone/public");
    expect(b.shell).not.toContain("prune"); // the standalone folder carries its own traced node_modules
    expect(p.stages[0]!.env).toContainEqual(["NEXT_TELEMETRY_DISABLED", "1"]);
  });
  it.each(["next.config.js", "next.config.mjs", "next.config.cjs", "next.config.ts", "next.config.mts"])("%s is read", async (file) => {
    const p = await mem({ "package.json": nextPkg(), [file]: "module.exports = { output: 'standalone' }" });
    expect(p.result.runCommand).toBe("node server.js");
  });
  it("commented-out standalone → next start through the start script (Next reads PORT)", async () => {
    const p = await mem({ "package.json": nextPkg(), "next.config.js": "module.exports = {\n  // output: 'standalone',\n};\n" });
    expect(p.result.runCommand).toBe("npm start");
    expect(p.runtime.env).not.toContainEqual(["HOSTNAME", "::"]);
    expect(p.runtime.copies.at(-1)!.exclude).toContain(".next/cache");
  });
  it("no start script → the app's own next, through node", async () => {
    const p = await mem({ "package.json": nextPkg({ scripts: { build: "next build" } }) });
    expect(p.result.runCommand).toBe("node node_modules/next/dist/bin/next start");
    expect(p.runtime.cmd).toEqual(["node", "node_modules/next/dist/bin/next", "start"]);
  });
  it("RUN_COMMAND still wins over standalone", async () => {
    const p = await plan(fixture("node-nextjs-standalone"), { RUN_COMMAND: "node custom.js" });
    expect(p.runtime.cmd).toEqual(["node", "custom.js"]);
  });
  it("fixture: next.config.mjs with a commented-out output line; pnpm unpinned", async () => {
    const p = await plan(fixture("node-nextjs-standalone"));
    expect(p.result).toMatchObject({ framework: "nextjs", packageManager: "pnpm", runCommand: "node server.js" });
    expect(steps(p)[0]).toMatchObject({ name: "prepare pnpm@9.15.9 (corepack)" });
  });
});

describe("Yarn Berry", () => {
  it("Plug'n'Play: runtime runs node with the PnP hooks; install outputs not overwritten by the context", async () => {
    const p = await plan(fixture("node-yarn-berry"));
    expect(p.runtime.env).toContainEqual(["NODE_OPTIONS", "--require /app/.pnp.cjs --experimental-loader file:///app/.pnp.loader.mjs"]);
    expect(p.runtime.cmd).toEqual(["npm", "start"]);
    const source = steps(p).find((s) => s.kind === "copy" && s.name === "copy source") as CopyStep;
    expect(source.exclude).toEqual(expect.arrayContaining([".pnp.cjs", ".pnp.loader.mjs", ".yarn/install-state.gz"]));
    expect(p.runtime.copies.at(-1)!.exclude).not.toContain(".yarn/cache"); // PnP reads packages from it
    expect(p.stages[0]!.env).toContainEqual(["YARN_ENABLE_GLOBAL_CACHE", "false"]);
    expect(p.warnings).toEqual([]);
    const manifests = steps(p).find((s) => s.kind === "copy" && s.name === "copy package manifests") as CopyStep;
    expect(manifests.include).toEqual(expect.arrayContaining([".yarnrc.yml", "yarn.lock", ".yarn/releases/**", ".yarn/plugins/**"]));
  });
  it("node-modules linker: no hooks, project cache not shipped", async () => {
    const p = await mem({ "package.json": pkg({ scripts: { start: "node s.js" } }), "yarn.lock": "__metadata:\n  version: 10\n", ".yarnrc.yml": "nodeLinker: node-modules\n" });
    expect(p.runtime.env.map(([k]) => k)).not.toContain("NODE_OPTIONS");
    expect(p.runtime.copies.at(-1)!.exclude).toContain(".yarn/cache");
  });
  it("yarnPath outside .yarn/releases is copied before install", async () => {
    const p = await mem({ "package.json": pkg(), "yarn.lock": "", ".yarnrc.yml": "yarnPath: ./tools/yarn-3.6.4.cjs\n" });
    expect((steps(p).find((s) => s.kind === "copy") as CopyStep).include).toContain("tools/yarn-3.6.4.cjs");
    expect(p.result.packageManager).toBe("yarn");
  });
  it("PnP + a start script calling a dependency binary → warning", async () => {
    const p = await mem({ "package.json": pkg({ scripts: { start: "next start" } }), "yarn.lock": "", ".yarnrc.yml": "" });
    expect(p.warnings.join("\n")).toContain("Plug'n'Play has no node_modules/.bin");
  });
});

describe("warnings", () => {
  it("several lockfiles", async () => {
    const p = await mem({ "package.json": pkg(), "package-lock.json": "{}", "yarn.lock": "" });
    expect(p.warnings.join("\n")).toMatch(/Multiple lockfiles detected \(yarn\.lock, package-lock\.json\)/);
  });
});

describe("runtime cleanup", () => {
  it("seed list (.git, tests, coverage, caches) plus build caches; never node_modules or the app", async () => {
    const p = await plan(fixture("node-pnpm"));
    const ex = p.runtime.copies.at(-1)!.exclude;
    for (const x of [".git", ".github", "test", "tests", "spec", "__tests__", "coverage", ".nyc_output", ".cache", "node_modules/.cache"]) expect(ex).toContain(x);
    for (const x of ["dist", "package.json", "server.js", ".next"]) expect(ex).not.toContain(x);
    // node_modules ships, in a layer of its own (the copy before the app's).
    expect(p.runtime.copies[0]).toMatchObject({ src: "/build/node_module[s]", dest: "/app/node_modules", exclude: [".cache"] });
  });
});

describe("reads", () => {
  it("every Node.js file detection may read is declared (next.config.*, lockfiles, .pnpmfile.cjs)", async () => {
    const { RecordingContext } = await import("../../src/context/recording.js");
    const { detectionReads } = await import("../../src/detect/registry.js");
    const { isDeclaredRead } = await import("../../src/detect/follow-up.js");
    const declared = detectionReads();
    const files = {
      "package.json": pkg({ dependencies: { next: "15" }, workspaces: ["packages/*"] }),
      "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
      "pnpm-workspace.yaml": "packages:\n  - packages/*\n",
      ".pnpmfile.cjs": "",
      ".yarnrc.yml": "",
      "next.config.mts": "export default {}",
      "packages/a/package.json": "{}",
    };
    const rec = new RecordingContext(new MemoryContext(files));
    await buildPlan(rec, {});
    expect([...rec.paths].filter((p) => !isDeclaredRead(p, declared))).toEqual([]);
  });
});

// The configuration surface on a real engine: user build args reach the build
// step; credentials and BuildKit secrets never reach the image; PROJECT_PATH
// builds a sub-app; Procfile web is the command; the result is in --metadata-file.
import { describe, it, expect, beforeAll } from "vitest";
import { buildx, fixtureDir, inspect, requireEngine, runAndFetch, savedImage, sh } from "./engine.js";

beforeAll(() => requireEngine());

const CREDENTIAL = "AKIA-e2e-credential-value-4711";
const SECRET = "npm-e2e-secret-value-0815";

describe("user variables, credentials and secrets", () => {
  const tag = "migetpacks-e2e/node-config";
  let build: ReturnType<typeof buildx>;

  beforeAll(() => {
    build = buildx(fixtureDir("node-config"), tag, {
      buildArgs: { APP_GREETING: "hello-from-build-arg", AWS_SECRET_ACCESS_KEY: CREDENTIAL, SECRETS: "NPM_TOKEN" },
      extra: ["--secret", "id=NPM_TOKEN,env=NPM_TOKEN"],
      env: { NPM_TOKEN: SECRET },
    });
    if (!build.ok) throw new Error(`build failed:\n${build.log}`);
  });

  it("the build step saw the user variable, app.json env and the secret, but not the credential", async () => {
    const res = await runAndFetch(tag);
    expect(JSON.parse(res.body)).toEqual({
      greeting: "hello-from-build-arg",
      fromAppJson: "app-json-value",
      secretEnvSeen: true,
      secretFileSeen: true,
      credentialSeen: false,
    });
  });

  it("neither the credential nor the secret is anywhere in the image (config, history, every layer)", () => {
    const image = savedImage(tag);
    expect(image.length).toBeGreaterThan(1000);
    expect(image.includes(CREDENTIAL)).toBe(false);
    expect(image.includes(SECRET)).toBe(false);
    const history = sh("docker", ["history", "--no-trunc", "--format", "{{.CreatedBy}}", tag]);
    expect(history).not.toContain(CREDENTIAL);
    expect(JSON.stringify(inspect(tag))).not.toContain(SECRET);
  });

  it("warns about the dropped credential in the build output", () => {
    expect(build.log).toMatch(/AWS_SECRET_ACCESS_KEY looks like a credential/);
  });

  it("the Procfile web command is the image command, and the result is in --metadata-file and a label", () => {
    const cfg = inspect(tag).Config;
    expect(cfg.Cmd).toEqual(["node", "server.js"]);
    const result = JSON.parse(String(build.metadata?.["frontend.miget.result"]));
    expect(result).toMatchObject({
      language: "nodejs",
      processes: { web: "node server.js" },
      ports: ["5000/tcp"],
      formation: [{ name: "web", quantity: 1, size: "small" }],
      scripts: [{ name: "postdeploy", command: "node migrate.js", size: null }],
      env: { FROM_APP_JSON: "app-json-value", SESSION_SECRET: null },
      _shell: true,
    });
    expect(JSON.parse(cfg.Labels["io.miget.build.result"])).toEqual(result);
  });
});

describe("PROJECT_PATH", () => {
  it("builds the sub-app of a monorepo", async () => {
    const tag = "migetpacks-e2e/monorepo-api";
    const r = buildx(fixtureDir("monorepo"), tag, { buildArgs: { PROJECT_PATH: "apps/api" } });
    expect(r.ok, r.log).toBe(true);
    expect(inspect(tag).Config.Cmd).toEqual(["./api"]);
    const res = await runAndFetch(tag);
    expect(res.body).toContain("uid=1000");
  });

  it("builds a member of a JavaScript workspace from the workspace root (sibling built, root lockfile)", async () => {
    const tag = "migetpacks-e2e/workspace-member";
    const r = buildx(fixtureDir("node-workspaces"), tag, { buildArgs: { PROJECT_PATH: "packages/web" } });
    expect(r.ok, r.log).toBe(true);
    const cfg = inspect(tag).Config;
    expect(cfg.WorkingDir).toBe("/app/packages/web");
    expect(cfg.Cmd).toEqual(["node", "server.js"]);
    const res = await runAndFetch(tag);
    expect(res.body).toMatch(/greet built/);
    expect(res.body).toMatch(/devDepShipped=false/);
    expect(res.uid).toBe("1000");
  });

  it("refuses a path outside the context with a clear error", () => {
    const r = buildx(fixtureDir("monorepo"), "migetpacks-e2e/escape", { buildArgs: { PROJECT_PATH: "../etc" } });
    expect(r.ok).toBe(false);
    // One code prefix, not one per BuildKit hop ("InvalidArgument: InvalidArgument: ...").
    expect(r.log).toMatch(/failed to solve: InvalidArgument: PROJECT_PATH="\.\.\/etc" points outside the build context/);
    expect(r.log).not.toMatch(/\n\s+at .*\.cjs:\d+/); // no stack trace
  });
});

describe("errors a user can meet", () => {
  it("an app with no supported language fails with the marker list, not a stack trace", () => {
    const r = buildx(fixtureDir("monorepo") + "/apps", "migetpacks-e2e/none");
    expect(r.ok).toBe(false);
    expect(r.log).toMatch(/failed to solve: NotFound: No supported language found/);
  });
});

describe("secondary Node.js", () => {
  it("builds assets with Node before go build, so //go:embed sees them", async () => {
    const tag = "migetpacks-e2e/go-assets";
    const r = buildx(fixtureDir("go-assets"), tag);
    expect(r.ok, r.log).toBe(true);
    const res = await runAndFetch(tag);
    expect(res.body).toContain("embedded=built-by-node");
    expect(res.body).toContain("uid=1000");
  });
});

describe("no .dockerignore", () => {
  it("local litter (logs, editor folders, .git) never reaches the builder or the image", async () => {
    const { copyFixture } = await import("./engine.js");
    const { mkdirSync, writeFileSync, existsSync } = await import("node:fs");
    const dir = copyFixture("node-npm");
    expect(existsSync(`${dir}/.dockerignore`)).toBe(false);
    writeFileSync(`${dir}/npm-debug.log`, "host log\n");
    mkdirSync(`${dir}/.idea`);
    writeFileSync(`${dir}/.idea/workspace.xml`, "<x/>");
    const tag = "migetpacks-e2e/no-dockerignore";
    const r = buildx(dir, tag);
    expect(r.ok, r.log).toBe(true);
    const { runIn } = await import("./engine.js");
    const ls = runIn(tag, "/bin/sh", ["-c", "ls -a /app"]);
    expect(ls.out).toContain("server.js");
    expect(ls.out).not.toContain("npm-debug.log");
    expect(ls.out).not.toContain(".idea");
  });
});

// USE_DHI on a real engine, with hardened stand-ins that contain no shell:
// the apps build, start and answer HTTP; a shell cannot even be started; the
// image user is not root; the result says `_shell: false`.
import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
import { buildx, fixtureDir, inspect, requireEngine, ROOT, runAndFetch, runIn } from "./engine.js";

const CASES = [
  { fixture: "go-hello", body: "hello from go-hello uid=65532", user: "65532:65532", cmd: ["./go-hello"] },
  { fixture: "node-npm", body: "hello from node-npm uid=1000", user: "1000:1000", cmd: ["node", "server.js"] },
];

beforeAll(() => {
  requireEngine();
  execFileSync("node", ["scripts/standins.mjs", "--dhi", ...CASES.map((c) => fixtureDir(c.fixture))], { cwd: ROOT, stdio: "inherit" });
});

describe.each(CASES)("USE_DHI=true $fixture", ({ fixture, body, user, cmd }) => {
  const tag = `migetpacks-e2e/dhi-${fixture}`;
  let build: ReturnType<typeof buildx>;
  beforeAll(() => {
    build = buildx(fixtureDir(fixture), tag, { buildArgs: { USE_DHI: "true" } });
    if (!build.ok) throw new Error(`build failed:\n${build.log}`);
  });

  it("starts without a shell and answers HTTP 200 as the image's non-root user", async () => {
    const res = await runAndFetch(tag);
    expect(res.status).toBe(200);
    expect(res.body).toContain(body);
  });

  it("has no shell at all, and the config is exec form with a non-root user", () => {
    const sh = runIn(tag, "/bin/sh", ["-c", "echo hi"]);
    expect(sh.code).not.toBe(0);
    expect(sh.out).not.toContain("hi\n");
    const cfg = inspect(tag).Config;
    expect(cfg.User).toBe(user);
    expect(cfg.User.split(":")[0]).not.toBe("0");
    expect(cfg.Cmd).toEqual(cmd);
    expect(cfg.Entrypoint ?? null).toBeNull();
  });

  it("reports _shell false and _dhi true in the build result", () => {
    expect(JSON.parse(String(build.metadata?.["frontend.miget.result"]))).toMatchObject({ _shell: false, _dhi: true });
  });
});

// Issue 11, defects 4, 8 (migetpacks.toml messages), 9 (unknown keys) and 10
// (credential values in the result): each fails on the code before the fix.
import { describe, it, expect } from "vitest";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { userError } from "../helpers/user-error.js";

const GO = { "go.mod": "module example.com/api\n\ngo 1.22\n", "main.go": "package main\nfunc main() {}\n" };


describe("defect 4: names of build-time variables are validated", () => {
  it.each([
    ['"" = "x"', /^migetpacks\.toml:2: \[env\]: a name is empty/],
    ['"A B=C" = "x"', /^migetpacks\.toml:2: \[env\]: "A B=C" is not a variable name/],
    ['PATH = "/evil"', /^migetpacks\.toml:2: \[env\]: PATH is reserved/],
    ['1X = "x"', /^migetpacks\.toml:2: \[env\]: "1X" is not a variable name/],
  ])("migetpacks.toml [env] %s is refused with the file, line and name", async (line, message) => {
    const e = await userError(buildPlan(new MemoryContext({ ...GO, "migetpacks.toml": `[env]\n${line}\n` }), {}));
    expect(e.message).toMatch(message);
  });

  it("app.json env with such names is not passed, and a warning names app.json and the name", async () => {
    const { plan } = await buildPlan(new MemoryContext({ ...GO, "app.json": JSON.stringify({ env: { "": "x", "A B=C": "y", PATH: "/evil", GOOD: "1" } }) }), {});
    const env = plan.stages[0]!.env.map(([k]) => k);
    expect(env).toContain("GOOD");
    expect(env).not.toContain("");
    expect(env).not.toContain("A B=C");
    expect(plan.stages[0]!.env.find(([k]) => k === "PATH")?.[1]).not.toBe("/evil");
    const w = plan.warnings.join("\n");
    expect(w).toContain("app.json: env: a name is empty");
    expect(w).toContain('app.json: env: "A B=C" is not a variable name');
    expect(w).toContain("app.json: env: PATH is reserved");
  });

  it("build args with such names are not dropped silently", async () => {
    const { plan } = await buildPlan(new MemoryContext(GO), { "A B": "x", "1X": "y", PATH: "/evil", "BUILDKIT_SYNTAX": "z" });
    const w = plan.warnings.join("\n");
    expect(w).toContain('build arg: "A B" is not a variable name');
    expect(w).toContain('build arg: "1X" is not a variable name');
    expect(w).toContain("build arg: PATH is reserved");
    expect(w).not.toContain("BUILDKIT_SYNTAX");
  });
});

describe("defect 8: migetpacks.toml values are reported as the file's, not as build args", () => {
  it.each([
    ['port = "abc"', /^migetpacks\.toml: port = "abc" is invalid: must be a whole number between 1 and 65535\.$/],
    ["port = -1", /^migetpacks\.toml: port = -1 is invalid: must be a whole number between 1 and 65535\.$/],
    ["port = 70000", /^migetpacks\.toml: port = 70000 is invalid: must be a whole number between 1 and 65535\.$/],
    ['use_dhi = "maybe"', /^migetpacks\.toml: use_dhi = "maybe" is invalid: must be true or false\.$/],
    ['no_cache = "perhaps"', /^migetpacks\.toml: no_cache = "perhaps" is invalid: must be true or false\.$/],
  ])("%s", async (line, message) => {
    const e = await userError(buildPlan(new MemoryContext({ ...GO, "migetpacks.toml": `${line}\n` }), {}));
    expect(e.message).toMatch(message);
  });

  it("the same bad value as a build arg still names the build arg", async () => {
    const e = await userError(buildPlan(new MemoryContext(GO), { PORT: "-1" }));
    expect(e.message).toBe('build arg PORT="-1" is invalid: must be a whole number between 1 and 65535.');
  });

  it("a build arg that overrides a good migetpacks.toml value is blamed, not the file", async () => {
    const e = await userError(buildPlan(new MemoryContext({ ...GO, "migetpacks.toml": "port = 8080\n" }), { PORT: "x" }));
    expect(e.message).toMatch(/^build arg PORT="x"/);
  });
});

describe("defect 9: an unknown migetpacks.toml key is refused, with a suggestion", () => {
  it("run_comand → did you mean run_command?", async () => {
    const e = await userError(buildPlan(new MemoryContext({ ...GO, "migetpacks.toml": 'port = 8080\nrun_comand = "./api"\n' }), {}));
    expect(e.message).toBe('migetpacks.toml:2: unknown key "run_comand"; did you mean run_command? (build-time variables go in the [env] table).');
  });

  it("a key far from every option points at the README and [env]", async () => {
    const e = await userError(buildPlan(new MemoryContext({ ...GO, "migetpacks.toml": 'MY_FLAG = "1"\n' }), {}));
    expect(e.message).toMatch(/^migetpacks\.toml:1: unknown key "MY_FLAG"; options are listed in the README \(build-time variables go in the \[env\] table\)\.$/);
  });

  it("known keys in any case, and provider options, are accepted", async () => {
    const { plan } = await buildPlan(new MemoryContext({ ...GO, "migetpacks.toml": 'RUN_COMMAND = "./api"\ngo_build_flags = "-trimpath"\n[env]\nX = "1"\n' }), {});
    expect(plan.runtime.cmd).toEqual(["./api"]);
  });
});

describe("defect 10: credential-looking app.json env values never reach the result", () => {
  it("their values are null in result.env (label and metadata), like generated secrets", async () => {
    const app = { env: { DATABASE_URL: "postgres://u:hunter2@db/x", STRIPE_SECRET_KEY: "sk_live_abc", API_TOKEN: { value: "tok123" }, PUBLIC_NAME: "shop" } };
    const { plan } = await buildPlan(new MemoryContext({ ...GO, "app.json": JSON.stringify(app) }), {});
    expect(plan.result.env).toEqual({ API_TOKEN: null, DATABASE_URL: null, PUBLIC_NAME: "shop", STRIPE_SECRET_KEY: null });
    const serialized = JSON.stringify(plan);
    for (const secret of ["hunter2", "sk_live_abc", "tok123"]) expect(serialized).not.toContain(secret);
    expect(plan.warnings.join("\n")).toMatch(/DATABASE_URL looks like a credential and was not passed/);
  });
});

// Issue 11, defect 9: values that reach commands or image references are
// validated (Cargo binary names, GO_BUILD_FLAGS, REGISTRY_MIRROR).
import { describe, it, expect } from "vitest";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { userError } from "../helpers/user-error.js";

const GO = { "go.mod": "module example.com/api\n\ngo 1.22\n", "main.go": "package main\nfunc main() {}\n" };
const cargo = (extra: string) => ({ "Cargo.toml": `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n${extra}`, "Cargo.lock": "version = 3\n", "src/main.rs": "fn main() {}\n" });


describe("Cargo names that would escape target/release", () => {
  it.each([
    ['[[bin]]\nname = "../../../etc/x"\npath = "src/main.rs"\n', /Cargo\.toml: `bin\.0\.name` is invalid \(a name may hold only letters, digits, - and _\)/],
    ['[[bin]]\nname = "a b"\npath = "src/main.rs"\n', /`bin\.0\.name` is invalid/],
  ])("%j is refused before it reaches cp or CMD", async (extra, message) => {
    const e = await userError(buildPlan(new MemoryContext(cargo(extra)), {}));
    expect(e.message).toMatch(message);
  });

  it("a package name with a slash is refused", async () => {
    const files = { ...cargo(""), "Cargo.toml": '[package]\nname = "../up"\nversion = "0.1.0"\n' };
    expect((await userError(buildPlan(new MemoryContext(files), {}))).message).toMatch(/`package\.name` is invalid/);
  });

  it("ordinary names still build", async () => {
    const { plan } = await buildPlan(new MemoryContext(cargo('[[bin]]\nname = "my-app_2"\npath = "src/main.rs"\n')), {});
    expect(plan.runtime.cmd).toEqual(["./my-app_2"]);
  });
});

describe("GO_BUILD_FLAGS never reaches the shell as syntax", () => {
  it.each(["-v; touch /pwned", "-v && curl x | sh", "$(id)", "`id`", "-tags=$HOME", "-v > /etc/x", "-tags=*"])("%j is refused, naming the option", async (flags) => {
    const e = await userError(buildPlan(new MemoryContext(GO), { GO_BUILD_FLAGS: flags }));
    expect(e.message).toMatch(/^build arg GO_BUILD_FLAGS=.* is invalid/);
  });

  it("plain flags are quoted word by word", async () => {
    const { plan } = await buildPlan(new MemoryContext(GO), { GO_BUILD_FLAGS: "-trimpath -tags 'netgo osusergo' -gcflags=all=-N" });
    const shell = plan.stages.flatMap((s) => s.steps).map((s: any) => s.shell ?? "").find((x: string) => x.includes("go build"))!;
    expect(shell).toContain("-trimpath -tags 'netgo osusergo' -gcflags=all=-N -o");
  });

  it("from migetpacks.toml the file is named", async () => {
    const e = await userError(buildPlan(new MemoryContext({ ...GO, "migetpacks.toml": 'go_build_flags = "-v; id"\n' }), {}));
    expect(e.message).toMatch(/^migetpacks\.toml: go_build_flags = "-v; id" is invalid/);
  });
});

describe("REGISTRY_MIRROR / DHI_MIRROR must be a registry host", () => {
  it.each(["mirror example", "$(id).example", "mirror.example/x y", "a@b", "mirror.example;rm"])("%j is refused", async (m) => {
    for (const key of ["REGISTRY_MIRROR", "DHI_MIRROR"]) {
      const e = await userError(buildPlan(new MemoryContext(GO), { [key]: m }));
      expect(e.message).toMatch(new RegExp(`^build arg ${key}=.* is invalid: must be a registry host`));
    }
  });

  it.each(["mirror.example", "https://mirror.example", "localhost:5000", "harbor.example/dockerhub", ""])("%j is accepted", async (m) => {
    await expect(buildPlan(new MemoryContext(GO), { REGISTRY_MIRROR: m })).resolves.toBeDefined();
  });
});

describe("package patterns that leave the module (path traversal in GO_INSTALL_PACKAGE_SPEC)", () => {
  it.each(["../../etc", "/etc", "./cmd/../../x", "./a;id"])("GO_INSTALL_PACKAGE_SPEC=%j is refused", async (spec) => {
    const e = await userError(buildPlan(new MemoryContext(GO), { GO_INSTALL_PACKAGE_SPEC: spec }));
    expect(e.message).toMatch(/^build arg GO_INSTALL_PACKAGE_SPEC=.* lists .*, which is not a package of this module/);
  });

  it("the same from go.mod's +heroku install line names go.mod", async () => {
    const e = await userError(buildPlan(new MemoryContext({ ...GO, "go.mod": "// +heroku install ../../etc\nmodule example.com/api\n\ngo 1.22\n" }), {}));
    expect(e.message).toMatch(/^go\.mod's "\+heroku install" line lists "\.\.\/\.\.\/etc"/);
  });

  it("./cmd/api and ./... and import paths still build", async () => {
    for (const spec of ["./cmd/api", "./...", "example.com/api/cmd/api"]) {
      await expect(buildPlan(new MemoryContext({ ...GO, "cmd/api/main.go": "package main\n" }), { GO_INSTALL_PACKAGE_SPEC: spec })).resolves.toBeDefined();
    }
  });
});

describe("NUL and control characters in values (found by the fuzzer)", () => {
  it("GO_BUILD_FLAGS with control characters is refused", async () => {
    const e = await userError(buildPlan(new MemoryContext(GO), { GO_BUILD_FLAGS: "-v \u001b[31m" }));
    expect(e.message).toMatch(/^build arg GO_BUILD_FLAGS=.* is invalid: it holds control characters/);
  });

  it.each(["RUN_COMMAND", "BUILD_COMMAND", "GO_BUILD_FLAGS", "MY_VAR"])("%s with a NUL is refused, naming it", async (key) => {
    const e = await userError(buildPlan(new MemoryContext(GO), { [key]: "x\u0000y" }));
    expect(e.message).toBe(`build arg ${key}="x\\u0000y" holds a NUL character; remove it.`);
  });
});

// .NET: project discovery and XML, version rules (TargetFramework, global.json
// rollForward, DOTNET_VERSION), the web project picked from a solution, the
// exact restore/publish commands and cache ids, runtime image per project kind,
// and the hardened images. No .NET SDK can be had on these machines, so these
// plan and LLB tests are .NET's proof (README's support table says so).
import { describe, it, expect } from "vitest";
import path from "node:path";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { LocalContext } from "../../src/context/local-fs.js";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { readProject, pickProject } from "../../src/providers/dotnet/projects.js";
import { channelOfTfm, parseGlobalJson, pickDotnetVersion } from "../../src/providers/dotnet/version.js";
import { planToLlb } from "../../src/emit/plan-to-llb.js";
import { marshal } from "../../src/llb/marshal.js";
import { decodeDefinition } from "../helpers/llb.js";
import type { BuildPlan } from "../../src/kit/schema.js";
import { userError } from "../helpers/user-error.js";

const fixture = (n: string) => new LocalContext(path.resolve(__dirname, "../../fixtures", n));
const plan = async (ctx: LocalContext | MemoryContext, args: Record<string, string> = {}) => (await buildPlan(ctx, args)).plan;
const shells = (p: BuildPlan) => p.stages.flatMap((s) => s.steps.flatMap((st) => (st.kind === "run" ? [st.shell] : [])));
const proj = (body: string, sdk = "Microsoft.NET.Sdk") => `<Project Sdk="${sdk}"><PropertyGroup>${body}</PropertyGroup></Project>`;


describe("detection", () => {
  it.each([
    [{ "api.csproj": proj("<TargetFramework>net8.0</TargetFramework>", "Microsoft.NET.Sdk.Web") }],
    [{ "src/Api/Api.csproj": proj("<TargetFramework>net8.0</TargetFramework>", "Microsoft.NET.Sdk.Web") }],
    [{ "Hello.fsproj": proj("<TargetFramework>net8.0</TargetFramework><OutputType>Exe</OutputType>") }],
    [{ "app.vbproj": proj("<TargetFramework>net8.0</TargetFramework><OutputType>Exe</OutputType>") }],
  ])("a project file alone is .NET: %j", async (files) => {
    expect((await plan(new MemoryContext(files))).result.language).toBe("dotnet");
  });

  it("a .csproj four folders down is out of reach (as the original), so no language", async () => {
    await expect(buildPlan(new MemoryContext({ "a/b/c/d/x.csproj": proj("") }), {})).rejects.toThrow(/No supported language/);
  });

  it("global.json without any project says what is missing", async () => {
    const e = await userError(buildPlan(new MemoryContext({ "global.json": '{"sdk":{"version":"8.0.100"}}' }), {}));
    expect(e.message).toMatch(/No \.NET project file/);
  });
});

describe("project XML", () => {
  it("reads SDK, frameworks, assembly name, output type and test markers; comments are comments", () => {
    const p = readProject(`<Project Sdk="Microsoft.NET.Sdk.Web">\n<!-- <AssemblyName>Wrong</AssemblyName> -->\n<PropertyGroup><TargetFrameworks>net8.0;net9.0</TargetFrameworks><AssemblyName>Api</AssemblyName></PropertyGroup></Project>`, "src/Api/Api.csproj", undefined);
    expect(p).toMatchObject({ sdk: "Microsoft.NET.Sdk.Web", targetFrameworks: ["net8.0", "net9.0"], assemblyName: "Api", executable: true, isTest: false, language: "C#" });
    expect(readProject(proj("<IsTestProject>true</IsTestProject>"), "t.csproj", undefined).isTest).toBe(true);
    expect(readProject(proj("<OutputType>Exe</OutputType>"), "Hello.fsproj", undefined)).toMatchObject({ executable: true, language: "F#", assemblyName: "Hello" });
  });

  it("a conditional property group does not decide", () => {
    const p = readProject(`<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><AssemblyName>Main</AssemblyName></PropertyGroup><PropertyGroup Condition="'$(Configuration)'=='Debug'"><AssemblyName>Dbg</AssemblyName></PropertyGroup></Project>`, "x.csproj", undefined);
    expect(p.assemblyName).toBe("Main");
  });

  it("malformed XML is one clear error naming the file and line", async () => {
    const e = await userError(() => readProject('<Project Sdk="Microsoft.NET.Sdk">\n<PropertyGroup>\n<TargetFramework>net8.0</TargetFramwork>\n</PropertyGroup></Project>', "src/Api/Api.csproj", undefined));
    expect(e.message).toMatch(/^src\/Api\/Api\.csproj is not valid XML: line 3:/);
    expect(e.file).toBe("src/Api/Api.csproj");
  });

  it("a file that is not an MSBuild project is said so", async () => {
    const e = await userError(() => readProject("<Foo/>", "x.csproj", undefined));
    expect(e.message).toMatch(/x\.csproj has no <Project> element/);
  });
});

describe("which project is the app", () => {
  const P = (p: string, body: string, sdk?: string) => readProject(proj(body, sdk), p, undefined);
  it("the web project of a solution, never the tests", async () => {
    const p = await plan(fixture("dotnet-solution"));
    expect(shells(p).join("\n")).toContain("dotnet publish src/Web/Web.csproj");
    expect(p.runtime.cmd).toEqual(["dotnet", "Shop.Web.dll"]);
  });
  it("several web projects: a clear error naming them and DOTNET_PROJECT", async () => {
    const e = await userError(() => pickProject([P("a/A.csproj", "", "Microsoft.NET.Sdk.Web"), P("b/B.csproj", "", "Microsoft.NET.Sdk.Web")], undefined));
    expect(e.message).toMatch(/Several \.NET projects could be the app \(a\/A\.csproj, b\/B\.csproj\); set the build arg DOTNET_PROJECT/);
  });
  it("DOTNET_PROJECT picks by path or name", () => {
    const list = [P("a/A.csproj", "", "Microsoft.NET.Sdk.Web"), P("b/B.csproj", "", "Microsoft.NET.Sdk.Web")];
    expect(pickProject(list, "B").path).toBe("b/B.csproj");
    expect(pickProject(list, "./a/A.csproj").path).toBe("a/A.csproj");
  });
  it("one executable among libraries and tests", () => {
    const list = [P("lib/Lib.csproj", ""), P("app/App.csproj", "<OutputType>Exe</OutputType>"), P("t/App.Tests.csproj", "<OutputType>Exe</OutputType>")];
    expect(pickProject(list, undefined).path).toBe("app/App.csproj");
  });
});

describe("versions", () => {
  it.each([
    ["net8.0", "8.0"],
    ["net10.0", "10.0"],
    ["net8.0-windows", "8.0"],
    ["netcoreapp3.1", "3.1"],
    ["netstandard2.0", undefined],
    ["net48", undefined],
  ])("TargetFramework %s → %s", (tfm, want) => expect(channelOfTfm(tfm)).toBe(want));

  it.each([
    ["dotnet-webapi", "8.0", "webapi.csproj TargetFramework", "mcr.microsoft.com/dotnet/sdk:8.0"],
    ["dotnet-console", "9.0", "worker.csproj TargetFramework", "mcr.microsoft.com/dotnet/sdk:9.0"],
    ["dotnet-fsharp", "10.0", "Hello.fsproj TargetFramework", "mcr.microsoft.com/dotnet/sdk:10.0"],
    ["dotnet-solution", "8.0", "src/Web/Web.csproj TargetFramework", "mcr.microsoft.com/dotnet/sdk:8.0"],
    // global.json pins SDK 9.0.306 (latestPatch: that feature band) to build a net8.0 app.
    ["dotnet-globaljson", "8.0", "api.csproj TargetFramework", "mcr.microsoft.com/dotnet/sdk:9.0.306"],
  ])("%s: runtime %s from %s, SDK image %s", async (name, version, source, sdk) => {
    const p = await plan(fixture(name));
    expect(p.result).toMatchObject({ version, versionSource: source });
    expect(p.stages[0]!.image).toBe(sdk);
  });

  it.each([
    ["latestPatch", "8.0.404"],
    ["patch", "8.0.404"],
    ["disable", "8.0.404"],
    ["latestFeature", "8.0"],
    ["latestMinor", "8.0"],
    ["latestMajor", "10.0"],
  ])("global.json rollForward %s → SDK image tag %s", (rollForward, tag) => {
    const v = pickDotnetVersion(undefined, { sdkVersion: "8.0.404", rollForward }, [], undefined);
    expect(v.sdkTag).toBe(tag);
  });

  it("an SDK too old for the target framework is refused, naming global.json", async () => {
    const e = await userError(buildPlan(new MemoryContext({ "global.json": '{"sdk":{"version":"8.0.404"}}', "a.csproj": proj("<TargetFramework>net9.0</TargetFramework>", "Microsoft.NET.Sdk.Web") }), {}));
    expect(e.message).toMatch(/global\.json pins the \.NET SDK 8\.0\.404, which cannot build 9\.0/);
    expect(e.file).toBe("global.json");
  });

  it(".NET Framework only is refused with the fix", async () => {
    const e = await userError(buildPlan(new MemoryContext({ "a.csproj": proj("<TargetFramework>net48</TargetFramework><OutputType>Exe</OutputType>") }), {}));
    expect(e.message).toMatch(/a\.csproj targets net48, which is not \.NET \(Core\) 5\+/);
  });

  it("global.json: comments allowed; a bad version or syntax names the file", async () => {
    expect(parseGlobalJson('{ /* c */ "sdk": { "version": "8.0.100" } }')).toEqual({ sdkVersion: "8.0.100", rollForward: undefined });
    expect((await userError(() => parseGlobalJson('{"sdk":{"version":"eight"}}'))).message).toMatch(/^global\.json: sdk\.version "eight" is not an SDK version/);
    expect((await userError(() => parseGlobalJson('{"sdk":{"version":"8.0.100"}'))).message).toMatch(/^global\.json:\d+:\d+: syntax error/);
  });

  it("DOTNET_VERSION wins; a channel or an exact SDK", async () => {
    expect((await plan(fixture("dotnet-webapi"), { DOTNET_VERSION: "9.0" })).stages[0]!.image).toBe("mcr.microsoft.com/dotnet/sdk:9.0");
    expect((await plan(fixture("dotnet-webapi"), { DOTNET_VERSION: "9.0.306" })).stages[0]!.image).toBe("mcr.microsoft.com/dotnet/sdk:9.0.306");
    expect((await userError(buildPlan(fixture("dotnet-webapi"), { DOTNET_VERSION: "latest" }))).message).toMatch(/DOTNET_VERSION="latest" is not a \.NET version/);
  });
});

describe("build steps and runtime", () => {
  it("restores from the project files alone, then publishes for the target's runtime identifier", async () => {
    const p = await plan(fixture("dotnet-webapi"));
    const build = p.stages[0]!;
    expect(build.platform).toBe("build");
    const [manifests, restore, source, publish] = build.steps;
    expect(manifests).toMatchObject({ kind: "copy", include: expect.arrayContaining(["**/*.csproj", "**/*.fsproj", "global.json", "**/Directory.Packages.props", "**/packages.lock.json"]) });
    expect(restore).toMatchObject({ kind: "run", caches: ["nuget"] });
    expect((restore as { shell: string }).shell).toMatch(/rid=linux-x64;; arm64\) rid=linux-arm64;;.* && dotnet restore webapi\.csproj -r "\$rid"$/);
    expect(source).toMatchObject({ kind: "copy", paths: ["."], exclude: ["**/bin", "**/obj"] });
    expect((publish as { shell: string }).shell).toMatch(/dotnet publish webapi\.csproj -c Release -r "\$rid" --self-contained false --no-restore -p:UseAppHost=false -o \/out$/);
    expect(p.caches.nuget).toEqual({ id: "dotnet-nuget", target: "/root/.nuget/packages", sharing: "shared" });
  });

  it("web projects run on the ASP.NET Core image bound to PORT; console apps on the runtime image", async () => {
    const web = await plan(fixture("dotnet-webapi"), { PORT: "8080" });
    expect(web.runtime).toMatchObject({ image: "mcr.microsoft.com/dotnet/aspnet:8.0", user: "1000:1000", workdir: "/app", cmd: ["dotnet", "webapi.dll"] });
    expect(web.runtime.env).toEqual(expect.arrayContaining([["ASPNETCORE_HTTP_PORTS", "8080"], ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1"], ["ASPNETCORE_ENVIRONMENT", "Production"]]));
    expect(web.runtime.copies).toEqual([{ stage: "build", src: "/out", dest: "/app", exclude: ["*.pdb"] }]);
    expect(web.result.framework).toBe("aspnetcore");
    const cli = await plan(fixture("dotnet-console"));
    expect(cli.runtime.image).toBe("mcr.microsoft.com/dotnet/runtime:9.0");
    expect(cli.runtime.cmd).toEqual(["dotnet", "ticker.dll"]);
    // The project turns invariant globalization off: respected.
    expect(cli.runtime.env.map(([k]) => k)).not.toContain("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT");
  });

  it("a tools manifest is restored; a lock file restores in locked mode", async () => {
    const p = await plan(new MemoryContext({ "a.csproj": proj("<TargetFramework>net8.0</TargetFramework>", "Microsoft.NET.Sdk.Web"), ".config/dotnet-tools.json": "{}", "packages.lock.json": "{}" }));
    expect(shells(p)[0]).toMatch(/dotnet tool restore && dotnet restore a\.csproj -r "\$rid" --locked-mode$/);
  });

  it("the LLB: the restore runs before the source is copied, with the NuGet cache mount", async () => {
    const p = await plan(fixture("dotnet-webapi"));
    const d = decodeDefinition(marshal(planToLlb(p, { platform: { os: "linux", architecture: "arm64" }, buildPlatform: { os: "linux", architecture: "amd64" }, contextName: "context", excludePatterns: [], resolveMode: "default", cacheNamespace: "app1" })).bytes);
    const execs = d.ops.filter((o) => o.op.exec);
    const restore = execs.find((o) => o.op.exec.meta.args[2].includes("dotnet restore"))!;
    expect(restore.op.platform).toMatchObject({ Architecture: "amd64" }); // the SDK runs natively
    expect(restore.op.exec.meta.env).toContain("TARGETARCH=arm64"); // and targets arm64
    expect(restore.op.exec.mounts.find((m: any) => m.mountType === 3).cacheOpt.ID).toBe("app1-dotnet-nuget");
  });

  it("USE_DHI: hardened SDK and ASP.NET Core images, exec form", async () => {
    const p = await plan(fixture("dotnet-webapi"), { USE_DHI: "true" });
    expect(p.stages[0]!.image).toBe("dhi.io/dotnet:8.0-sdk");
    expect(p.runtime).toMatchObject({ image: "dhi.io/aspnetcore:8.0", user: "65532:65532", cmd: ["dotnet", "webapi.dll"], shell: false });
  });
});

describe("reads", () => {
  it("detection reads only declared paths (project globs three folders deep, config files)", async () => {
    const { RecordingContext } = await import("../../src/context/recording.js");
    const { detectionReads } = await import("../../src/detect/registry.js");
    const { isDeclaredRead } = await import("../../src/detect/follow-up.js");
    const rec = new RecordingContext(fixture("dotnet-solution"));
    await buildPlan(rec, {});
    const declared = detectionReads();
    expect([...rec.paths].filter((p) => !isDeclaredRead(p, declared))).toEqual([]);
    expect([...rec.paths]).toEqual(expect.arrayContaining(["src/Web/Web.csproj", "Directory.Build.props"]));
  });
});

describe("real-world .NET shapes", () => {
  const web = (body = "", items = "") => `<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework>${body}</PropertyGroup><ItemGroup>${items}</ItemGroup></Project>`;
  const env = (p: BuildPlan) => Object.fromEntries(p.runtime.env);

  it("SQL Server clients need ICU: no invariant globalization when the app references Microsoft.Data.SqlClient or EF Core's SQL Server provider", async () => {
    const ef = await plan(new MemoryContext({ "Api.csproj": web("", '<PackageReference Include="Microsoft.EntityFrameworkCore.SqlServer" Version="8.0.11" />') }));
    expect(env(ef).DOTNET_SYSTEM_GLOBALIZATION_INVARIANT).toBeUndefined();
    const sql = await plan(new MemoryContext({ "Api.csproj": web("", '<PackageReference Include="Microsoft.Data.SqlClient" Version="5.2.2" />') }));
    expect(env(sql).DOTNET_SYSTEM_GLOBALIZATION_INVARIANT).toBeUndefined();
    expect(env(await plan(new MemoryContext({ "Api.csproj": web() }))).DOTNET_SYSTEM_GLOBALIZATION_INVARIANT).toBe("1");
    // Clean-architecture layouts keep EF Core in an Infrastructure project the web project references.
    const layered = await plan(
      new MemoryContext({
        "src/Web/Web.csproj": web("", '<ProjectReference Include="..\\Infrastructure\\Infrastructure.csproj" />'),
        "src/Infrastructure/Infrastructure.csproj": '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include="Microsoft.EntityFrameworkCore.SqlServer" /></ItemGroup></Project>',
      }),
    );
    expect(env(layered).DOTNET_SYSTEM_GLOBALIZATION_INVARIANT).toBeUndefined();
  });

  it("appsettings.json that pins Urls or a Kestrel endpoint to localhost is overridden to listen on PORT (env beats appsettings)", async () => {
    const p = await plan(
      new MemoryContext({
        "src/Api/Api.csproj": web(),
        // ASP.NET Core's JSON config allows comments.
        "src/Api/appsettings.json": '{\n  // dev\n  "Urls": "http://localhost:5000",\n  "Kestrel": { "Endpoints": { "Http": { "Url": "http://localhost:5080" }, "Https": { "Url": "https://localhost:5443" } } }\n}',
      }),
    );
    expect(env(p)).toMatchObject({ URLS: "http://+:5000", Kestrel__Endpoints__Http__Url: "http://+:5000" });
    expect(env(p).Kestrel__Endpoints__Https__Url).toBeUndefined();
    expect(p.warnings.join()).toMatch(/Kestrel endpoint "Https".*https/);
    expect(env(await plan(new MemoryContext({ "Api.csproj": web(), "appsettings.json": '{"Logging":{}}' }))).URLS).toBeUndefined();
  });

  it("a multi-targeted app is published for the framework the image runs", async () => {
    const p = await plan(new MemoryContext({ "Api.csproj": `<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFrameworks>net8.0;net9.0</TargetFrameworks></PropertyGroup></Project>` }));
    expect(p.result.version).toBe("9.0");
    expect(shells(p).at(-1)).toContain("dotnet publish Api.csproj -f net9.0 -c Release");
  });
});

describe("Procfile commands written for the original's layout", () => {
  const files = { "Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>' };
  it.each([
    ["web: dotnet bin/publish/Api.dll", "dotnet Api.dll"],
    ["web: dotnet ./bin/publish/Api.dll --urls http://0.0.0.0:$PORT", "dotnet Api.dll --urls http://0.0.0.0:$PORT"],
    ["web: ./bin/publish/Api", "dotnet Api.dll"],
    ["web: ./src/Api/bin/publish/Api", "dotnet Api.dll"],
    ["web: dotnet Api.dll", "dotnet Api.dll"],
    ["web: dotnet tools/Other.dll", "dotnet tools/Other.dll"],
  ])("%s → %s (the publish output is /app itself)", async (procfile, command) => {
    const p = await plan(new MemoryContext({ ...files, Procfile: procfile + "\n" }));
    expect(p.result.runCommand).toBe(command);
    if (!procfile.endsWith(command)) expect(p.warnings.join()).toContain("publish output is the app folder");
  });
});

describe("Directory.Build.props nearest the project", () => {
  it("a TargetFramework set in src/Directory.Build.props (MSBuild imports the nearest one up the tree) decides the runtime channel", async () => {
    const p = await plan(
      new MemoryContext({
        "Shop.sln": "",
        "src/Directory.Build.props": "<Project><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>",
        "src/Api/Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><Nullable>enable</Nullable></PropertyGroup></Project>',
      }),
    );
    expect(p.result).toMatchObject({ version: "8.0", versionSource: "src/Api/Api.csproj TargetFramework" });
    expect(p.runtime.image).toBe("mcr.microsoft.com/dotnet/aspnet:8.0");
  });
});

// .NET: `dotnet restore` from the project files alone (a layer that survives
// source changes, NuGet's cache as a cache mount), `dotnet publish` on the
// build platform for the target's runtime identifier, and a runtime image —
// ASP.NET Core's for web projects, the plain runtime otherwise — holding only
// the publish output.
import * as z from "../../lib/zod.js";
import { isFile, readText, readVersionFile, type BuildContext } from "../../context/fs.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { CopyStep, RunStep } from "../../kit/schema.js";
import type { PlanInput, Provider, ProviderPlan } from "../../kit/provider.js";
import { selectWebCommand } from "../../kit/run-command.js";
import { standardRuntime, webResult } from "../../kit/result.js";
import { shellQuote } from "../../kit/shell.js";
import { NONROOT } from "../../kit/hardened.js";
import { DEFAULT_PATH } from "../../kit/image-env.js";
import { existing } from "../../kit/files.js";
import { findProjectFiles, pickProject, readProjects, type DotnetProject } from "./projects.js";
import { channelOfTfm, parseGlobalJson, pickDotnetVersion, type DotnetVersion } from "./version.js";
import { parseJsonc } from "../../context/jsonc.js";

const DotnetSettings = z.object({
  DOTNET_VERSION: z.string().trim().optional(),
  /** Which project to publish when several could be the app (path or name). */
  DOTNET_PROJECT: z.string().trim().optional(),
});

const SOLUTIONS = ["*.sln", "*.slnx"];
const PROJECT_GLOBS = ["*.csproj", "*.fsproj", "*.vbproj"].flatMap((g) => [g, `*/${g}`, `*/*/${g}`]);
/** ASP.NET Core's JSON configuration of the app project (comments allowed). */
const APPSETTINGS = ["appsettings.json", "appsettings.Production.json"];
/** Packages that need ICU: they throw in invariant globalization mode. */
const NEEDS_ICU = ["microsoft.data.sqlclient", "system.data.sqlclient", "microsoft.entityframeworkcore.sqlserver"];

const CONFIG = ["global.json", "nuget.config", "NuGet.config", "NuGet.Config", "Directory.Build.props", "*/Directory.Build.props", "*/*/Directory.Build.props", "Directory.Packages.props", ".config/dotnet-tools.json", ".tool-versions"];

/** What `dotnet restore` reads: every project, solution, MSBuild props/targets, NuGet config and lock files — at their places. */
const RESTORE_INPUTS = [
  "**/*.csproj", "**/*.fsproj", "**/*.vbproj", "*.sln", "*.slnx", "global.json",
  "**/nuget.config", "**/NuGet.config", "**/NuGet.Config", "**/Directory.Build.props", "**/Directory.Build.targets",
  "**/Directory.Packages.props", "**/packages.lock.json", ".config/dotnet-tools.json",
];

/** Docker's TARGETARCH → .NET's runtime identifier architecture. */
export const DOTNET_RID = `case "$TARGETARCH" in amd64) rid=linux-x64;; arm64) rid=linux-arm64;; arm) rid=linux-arm;; *) rid="linux-$TARGETARCH";; esac`;

export interface DotnetFacts {
  projects: DotnetProject[];
  app: DotnetProject;
  version: DotnetVersion;
  solutions: string[];
  hasToolManifest: boolean;
  hasLockFile: boolean;
  web: boolean;
  /** Listen addresses the app's appsettings pin (`Urls`, `Kestrel:Endpoints:<name>:Url`), which beat ASPNETCORE_HTTP_PORTS. */
  pinnedUrls: { key: string; name: string; url: string }[];
}

const MCR = "mcr.microsoft.com/dotnet";

export const dotnetProvider: Provider<DotnetFacts> = {
  id: "dotnet",
  name: ".NET",
  aliases: [".net", "csharp", "dotnet-core", "fsharp"],
  options: Object.keys(DotnetSettings.shape),
  markers: ["global.json", ...SOLUTIONS, ...PROJECT_GLOBS],
  reads: ["global.json", ...SOLUTIONS, ...PROJECT_GLOBS, ...CONFIG, "*/packages.lock.json", "*/*/packages.lock.json", "packages.lock.json", ...APPSETTINGS.flatMap((f) => [f, `*/${f}`, `*/*/${f}`])],
  hardened: {
    repo: "dotnet",
    official: [`${MCR}/sdk`, `${MCR}/aspnet`, `${MCR}/runtime`],
    user: NONROOT,
    images: (version, runtime) => ({ builder: `dhi.io/dotnet:${version}-sdk`, runtime: runtime.includes("/aspnet:") ? `dhi.io/aspnetcore:${version}` : `dhi.io/dotnet:${version}` }),
  },
  imageEnv: {
    [`${MCR}/sdk`]: [`PATH=${DEFAULT_PATH}`, "DOTNET_RUNNING_IN_CONTAINER=true", "DOTNET_USE_POLLING_FILE_WATCHER=true", "NUGET_XMLDOC_MODE=skip"],
    [`${MCR}/aspnet`]: [`PATH=${DEFAULT_PATH}`, "APP_UID=1654", "ASPNETCORE_HTTP_PORTS=8080", "DOTNET_RUNNING_IN_CONTAINER=true"],
    [`${MCR}/runtime`]: [`PATH=${DEFAULT_PATH}`, "APP_UID=1654", "DOTNET_RUNNING_IN_CONTAINER=true"],
  },
  sample: {
    "Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>',
    "Program.cs": "var app = WebApplication.CreateBuilder(args).Build(); app.MapGet(\"/\", () => \"hi\"); app.Run();",
  },

  async matches(ctx) {
    if (await isFile(ctx, "global.json")) return true;
    for (const e of (await ctx.readDir("")) ?? []) if (e.kind === "file" && /\.(sln|slnx)$/.test(e.name)) return true;
    return (await findProjectFiles(ctx)).length > 0;
  },

  async facts(ctx: BuildContext, args: BuildArgs): Promise<DotnetFacts> {
    const s = parseArgs(DotnetSettings, args);
    const files = await findProjectFiles(ctx);
    if (!files.length) {
      const { UserError } = await import("../../context/fs.js");
      throw new UserError("No .NET project file (*.csproj, *.fsproj, *.vbproj) was found within three folders of the app's root; add one, or set PROJECT_PATH to the folder that has it.");
    }
    const projects = await readProjects(ctx, files);
    const app = pickProject(projects, s.DOTNET_PROJECT);
    const globalText = await readText(ctx, "global.json");
    const toolVersion = (await readText(ctx, ".tool-versions"))?.match(/^\s*(?:dotnet|dotnet-core|dotnet-sdk)\s+(\S+)/m)?.[1];
    const solutions = ((await ctx.readDir("")) ?? []).filter((e) => e.kind === "file" && /\.(sln|slnx)$/.test(e.name)).map((e) => e.name);
    return {
      projects,
      app,
      version: pickDotnetVersion(s.DOTNET_VERSION, globalText === undefined ? undefined : parseGlobalJson(globalText), [app, ...projects.filter((p) => p !== app && !p.isTest)], toolVersion ?? (await readVersionFile(ctx, ".dotnet-version"))),
      solutions,
      hasToolManifest: await isFile(ctx, ".config/dotnet-tools.json"),
      hasLockFile: (await existing(ctx, ["packages.lock.json", app.path.replace(/[^/]+$/, "packages.lock.json")])).length > 0,
      web: /\.Sdk\.Web$/i.test(app.sdk),
      pinnedUrls: await pinnedUrls(ctx, app.path.includes("/") ? app.path.replace(/\/[^/]+$/, "") : ""),
    };
  },

  summary(f) {
    return { language: "dotnet", version: f.version.channel, versionSource: f.version.source, packageManager: "nuget", framework: f.web ? "aspnetcore" : undefined };
  },

  plan(input) {
    return planDotnet(input);
  },
};

/** `Urls` and Kestrel endpoint URLs set in the project's appsettings (an unreadable file is left to the app to report). */
async function pinnedUrls(ctx: BuildContext, dir: string): Promise<DotnetFacts["pinnedUrls"]> {
  const out = new Map<string, DotnetFacts["pinnedUrls"][number]>();
  const obj = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const get = (o: Record<string, unknown> | undefined, k: string) => (o ? Object.entries(o).find(([x]) => x.toLowerCase() === k.toLowerCase())?.[1] : undefined);
  for (const f of APPSETTINGS) {
    const file = dir ? `${dir}/${f}` : f;
    const text = await readText(ctx, file);
    if (text === undefined) continue;
    let doc: Record<string, unknown> | undefined;
    try {
      doc = obj(parseJsonc(text, file));
    } catch {
      continue;
    }
    const urls = get(doc, "Urls");
    if (typeof urls === "string") out.set("urls", { key: "URLS", name: "Urls", url: urls });
    for (const [name, ep] of Object.entries(obj(get(obj(get(doc, "Kestrel")), "Endpoints")) ?? {})) {
      const url = get(obj(ep), "Url");
      if (typeof url === "string" && /^[\w.-]+$/.test(name)) out.set(`kestrel:${name.toLowerCase()}`, { key: `Kestrel__Endpoints__${name}__Url`, name, url });
    }
  }
  return [...out.values()];
}

/**
 * Commands written for a `<project>/bin/publish/` layout (the original's, Heroku's): `dotnet bin/publish/Api.dll`,
 * `./bin/publish/Api` (its apphost). Here the publish output is /app itself and there is no apphost: `dotnet Api.dll`.
 */
function publishedPath(command: string, app: DotnetProject, warnings: string[]): string {
  const names = new Set([app.assemblyName, app.path.replace(/^.*\//, "").replace(/\.[^.]+$/, "")]);
  const words = command.trim().split(/\s+/);
  let out: string[] | undefined;
  const dll = words[0] === "dotnet" && words[1] ? /^(?:\.\/)?(?:[\w.-]+\/)*(?:bin\/publish|out|publish|heroku_output)\/([\w.-]+)\.dll$/.exec(words[1]) : null;
  if (dll && names.has(dll[1]!)) out = ["dotnet", `${dll[1]}.dll`, ...words.slice(2)];
  const host = /^(?:\.\/)?(?:[\w.-]+\/)*bin\/publish\/([\w.-]+)$/.exec(words[0]!);
  if (host && names.has(host[1]!)) out = ["dotnet", `${app.assemblyName}.dll`, ...words.slice(1)];
  if (!out) return command;
  const rewritten = out.join(" ");
  warnings.push(`\`${command}\` names a publish folder, but here the publish output is the app folder (/app) and apps run through dotnet: running \`${rewritten}\`.`);
  return rewritten;
}

function planDotnet({ facts, common, procfile }: PlanInput<DotnetFacts>): ProviderPlan {
  const { app, version } = facts;
  const project = shellQuote(app.path);
  const warnings: string[] = [];
  const restore = [
    DOTNET_RID,
    ...(facts.hasToolManifest ? ["dotnet tool restore"] : []),
    `dotnet restore ${project} -r "$rid"${facts.hasLockFile ? " --locked-mode" : ""}`,
  ].join(" && ");
  // A multi-targeted app publishes one framework: the one the runtime image runs.
  const tfm = app.targetFrameworks.length > 1 ? (app.targetFrameworks.find((t) => channelOfTfm(t) === version.channel) ?? app.targetFrameworks.at(-1)) : undefined;
  const publish = common.buildCommand ?? `${DOTNET_RID} && dotnet publish ${project}${tfm ? ` -f ${shellQuote(tfm)}` : ""} -c Release -r "$rid" --self-contained false --no-restore -p:UseAppHost=false -o /out`;
  const manifests: CopyStep = { kind: "copy", name: "copy project files", from: "context", paths: ["."], include: RESTORE_INPUTS, dest: "/build" };
  const steps: RunStep[] = [
    { kind: "run", name: "restore NuGet packages", shell: restore, caches: ["nuget"], env: [] },
    { kind: "run", name: "dotnet publish", shell: publish, caches: ["nuget"], env: [] },
  ];
  const chosen = selectWebCommand(common.runCommand, procfile, `dotnet ${app.assemblyName}.dll`);
  const web = chosen.source === "default" ? chosen : { ...chosen, command: publishedPath(chosen.command, app, warnings) };
  if (facts.projects.filter((p) => p.executable && !p.isTest).length > 1) {
    warnings.push(`Several runnable .NET projects; publishing ${app.path}${facts.web ? " (the web project)" : ""}. Set DOTNET_PROJECT to choose another.`);
  }
  const port = String(common.port);
  const env: [string, string][] = [
    // .NET 8+ images listen on ASPNETCORE_HTTP_PORTS (8080 by default); older ones read ASPNETCORE_URLS.
    Number(version.channel.split(".")[0]) >= 8 ? ["ASPNETCORE_HTTP_PORTS", port] : ["ASPNETCORE_URLS", `http://+:${port}`],
    ["ASPNETCORE_ENVIRONMENT", "Production"],
    ["DOTNET_RUNNING_IN_CONTAINER", "true"],
    ["DOTNET_CLI_TELEMETRY_OPTOUT", "1"],
    ["DOTNET_NOLOGO", "1"],
  ];
  // Invariant globalization (as the original documents), unless the project says otherwise or uses a SQL Server client, which refuses to run without ICU.
  // Any of the app's projects (EF Core often sits in an Infrastructure project the web project references).
  const needsIcu = [app, ...facts.projects.filter((p) => !p.isTest)].some((x) => x.packages.some((p) => NEEDS_ICU.includes(p.toLowerCase())));
  if (app.invariantGlobalization !== false && !needsIcu) env.push(["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1"]);
  // appsettings that pin listen addresses beat ASPNETCORE_HTTP_PORTS; environment variables beat appsettings. One HTTP endpoint takes PORT.
  let httpTaken = false;
  for (const u of facts.pinnedUrls) {
    if (/^https:/i.test(u.url) || httpTaken) {
      warnings.push(`appsettings pins the ${u.key === "URLS" ? "Urls setting" : `Kestrel endpoint "${u.name}"`} to ${u.url}; it is left as it is (${/^https:/i.test(u.url) ? "https needs a certificate in the image; the platform terminates TLS" : "another address already takes PORT"}), and the app listens on PORT through ${httpTaken ? "that one" : "ASPNETCORE_HTTP_PORTS"}.`);
      continue;
    }
    env.push([u.key, `http://+:${port}`]);
    httpTaken = u.key !== "URLS" || httpTaken;
  }
  return {
    schema: 2,
    result: { packageManager: "nuget", framework: facts.web ? "aspnetcore" : undefined, ...webResult(web.command, common, procfile) },
    caches: { nuget: { id: "dotnet-nuget", target: "/root/.nuget/packages", sharing: "shared" } },
    stages: [
      {
        name: "build",
        image: `${MCR}/sdk:${version.sdkTag}`,
        // IL is the same on every platform: the SDK runs natively and publishes for the target's runtime identifier.
        platform: "build",
        workdir: "/build",
        env: [
          ["DOTNET_CLI_TELEMETRY_OPTOUT", "1"],
          ["DOTNET_NOLOGO", "1"],
          ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "1"],
          ["NUGET_XMLDOC_MODE", "skip"],
        ],
        steps: [manifests, steps[0]!, { kind: "copy", name: "copy source", from: "context", paths: ["."], dest: "/build", exclude: ["**/bin", "**/obj"] }, steps[1]!],
      },
    ],
    runtime: standardRuntime({
      image: `${MCR}/${facts.web ? "aspnet" : "runtime"}:${version.channel}`,
      // Only the publish output: no sources, project files or obj/ (the seed's removal list, by construction).
      copies: [{ stage: "build", src: "/out", dest: "/app", exclude: ["*.pdb"] }],
      command: web.command,
      common,
      env,
    }),
    warnings,
  };
}

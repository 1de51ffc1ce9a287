// .NET project files (*.csproj, *.fsproj, *.vbproj) are MSBuild XML. We read
// the properties that decide the build — SDK, target frameworks, assembly
// name, output type, test-project markers — with a real XML parser, never
// with patterns over the text (comments, conditions and CDATA are common).
import { XMLParser, XMLValidator } from "fast-xml-parser";
import path from "node:path/posix";
import { readText, UserError, type BuildContext } from "../../context/fs.js";

export const PROJECT_EXTENSIONS = [".csproj", ".fsproj", ".vbproj"] as const;

export interface DotnetProject {
  /** Path relative to the app folder, e.g. `src/Api/Api.csproj`. */
  path: string;
  language: "C#" | "F#" | "Visual Basic";
  /** `Microsoft.NET.Sdk.Web` (ASP.NET Core), `Microsoft.NET.Sdk.Worker`, `Microsoft.NET.Sdk`... */
  sdk: string;
  targetFrameworks: string[];
  assemblyName: string;
  /** Runs as a program: OutputType Exe/WinExe, or the Web/Worker SDK (which default to Exe). */
  executable: boolean;
  isTest: boolean;
  /** PackageReference names. */
  packages: string[];
  /** `<InvariantGlobalization>` as the project sets it. */
  invariantGlobalization?: boolean;
}

const ARRAYS = new Set(["PropertyGroup", "ItemGroup", "PackageReference", "ProjectReference", "Sdk", "Import"]);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", isArray: (name) => ARRAYS.has(name), processEntities: false });

type Xml = Record<string, unknown>;

/** Parses MSBuild XML; a syntax error names the file and line. */
export function parseMsbuild(text: string, file: string): Xml {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new UserError(`${file} is not valid XML: line ${valid.err.line}: ${valid.err.msg}; fix it and build again.`, file);
  }
  const doc = parser.parse(text) as Xml;
  const project = doc.Project as Xml | undefined;
  if (!project || typeof project !== "object") throw new UserError(`${file} has no <Project> element; is it an MSBuild project file?`, file);
  return project;
}

/** The last unconditional value of a property (MSBuild's rule: later definitions win). */
function property(project: Xml, name: string): string | undefined {
  let value: string | undefined;
  for (const group of (project.PropertyGroup as Xml[] | undefined) ?? []) {
    if (!group || typeof group !== "object" || group["@_Condition"]) continue;
    const v = group[name];
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") value = String(v).trim();
  }
  return value;
}

function packageReferences(project: Xml): string[] {
  return ((project.ItemGroup as Xml[] | undefined) ?? []).flatMap((g) => ((g?.PackageReference as Xml[] | undefined) ?? []).map((r) => String(r["@_Include"] ?? "")));
}

function sdkOf(project: Xml): string {
  const attr = project["@_Sdk"];
  if (typeof attr === "string" && attr.trim()) return attr.trim().split(";")[0]!.split("/")[0]!.trim();
  const el = (project.Sdk as Xml[] | undefined)?.[0]?.["@_Name"];
  return typeof el === "string" ? el : "Microsoft.NET.Sdk";
}

const LANG: Record<string, DotnetProject["language"]> = { ".csproj": "C#", ".fsproj": "F#", ".vbproj": "Visual Basic" };

/** Reads one project; `inherited` holds Directory.Build.props, nearest first (the project's own properties win, then the nearest file's). */
export function readProject(text: string, file: string, inherited: Xml | readonly Xml[] | undefined): DotnetProject {
  const project = parseMsbuild(text, file);
  const props = inherited === undefined ? [] : Array.isArray(inherited) ? (inherited as readonly Xml[]) : [inherited as Xml];
  const prop = (name: string) => [project, ...props].reduce<string | undefined>((found, x) => found ?? property(x, name), undefined);
  const sdk = sdkOf(project);
  const tfms = (prop("TargetFrameworks") ?? prop("TargetFramework") ?? "").split(";").map((t) => t.trim()).filter(Boolean);
  const outputType = prop("OutputType")?.toLowerCase();
  const refs = packageReferences(project);
  const base = path.basename(file).replace(/\.[^.]+$/, "");
  const invariant = prop("InvariantGlobalization");
  return {
    path: file,
    language: LANG[path.extname(file)] ?? "C#",
    sdk,
    targetFrameworks: tfms,
    assemblyName: prop("AssemblyName") || base,
    executable: outputType === "exe" || outputType === "winexe" || (outputType === undefined && /\.Sdk\.(Web|Worker|Razor|BlazorWebAssembly)$/i.test(sdk) && !/Razor$/i.test(sdk)),
    isTest: prop("IsTestProject")?.toLowerCase() === "true" || refs.includes("Microsoft.NET.Test.Sdk") || /\.(Tests?|Specs?|UnitTests|IntegrationTests)$/i.test(base),
    packages: refs,
    invariantGlobalization: invariant === undefined ? undefined : invariant.toLowerCase() === "true",
  };
}

/** Folders never searched for projects: build output, dependencies, VCS. */
const SKIP = new Set(["bin", "obj", "node_modules", ".git", "packages", "TestResults", "artifacts"]);

/** Project files up to three folders deep (the original's reach), in path order. */
export async function findProjectFiles(ctx: BuildContext, dir = "", depth = 0): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await ctx.readDir(dir)) ?? []) {
    const p = dir ? `${dir}/${e.name}` : e.name;
    if (e.kind === "file" && (PROJECT_EXTENSIONS as readonly string[]).includes(path.extname(e.name))) out.push(p);
    else if (e.kind === "dir" && depth < 2 && !SKIP.has(e.name) && !e.name.startsWith(".")) out.push(...(await findProjectFiles(ctx, p, depth + 1)));
  }
  return out.sort();
}

/** Directory.Build.props files from the project's folder up to the app's root, parsed once each (MSBuild imports the nearest; those that import their parent's chain on). */
export async function readProjects(ctx: BuildContext, files: string[]): Promise<DotnetProject[]> {
  const parsed = new Map<string, Xml | undefined>();
  const propsOf = async (dir: string): Promise<Xml | undefined> => {
    const file = dir ? `${dir}/Directory.Build.props` : "Directory.Build.props";
    if (!parsed.has(file)) {
      const text = await readText(ctx, file);
      parsed.set(file, text === undefined ? undefined : parseMsbuild(text, file));
    }
    return parsed.get(file);
  };
  const out: DotnetProject[] = [];
  for (const f of files) {
    const chain: Xml[] = [];
    for (let dir = path.dirname(f); ; dir = path.dirname(dir)) {
      const d = dir === "." ? "" : dir;
      const x = await propsOf(d);
      if (x) chain.push(x);
      if (!d) break;
    }
    out.push(readProject((await readText(ctx, f)) ?? "", f, chain));
  }
  return out;
}

/**
 * The project to publish: DOTNET_PROJECT if set; else the one web project;
 * else the one executable; test projects never count. Several candidates is
 * a clear error naming them (the original took the first in `find` order).
 */
export function pickProject(projects: DotnetProject[], wanted: string | undefined): DotnetProject {
  if (wanted) {
    const w = wanted.replace(/^\.\//, "");
    const hit = projects.find((p) => p.path === w || path.basename(p.path) === w || path.basename(p.path).replace(/\.[^.]+$/, "") === w);
    if (!hit) throw new UserError(`DOTNET_PROJECT=${JSON.stringify(wanted)} names no project here; the projects are: ${projects.map((p) => p.path).join(", ")}.`);
    return hit;
  }
  const apps = projects.filter((p) => !p.isTest);
  const web = apps.filter((p) => /\.Sdk\.Web$/i.test(p.sdk) && p.executable);
  if (web.length === 1) return web[0]!;
  const exes = apps.filter((p) => p.executable);
  const pool = web.length > 1 ? web : exes;
  if (pool.length === 1) return pool[0]!;
  if (pool.length === 0) {
    const only = apps.length === 1 ? apps[0] : undefined;
    if (only) return only; // a library-style project with no OutputType: publish it and let `dotnet` say what it is
    throw new UserError(`No runnable .NET project found (a web project, or one with <OutputType>Exe</OutputType>) among: ${projects.map((p) => p.path).join(", ")}; set DOTNET_PROJECT to the one to publish.`);
  }
  throw new UserError(`Several .NET projects could be the app (${pool.map((p) => p.path).join(", ")}); set the build arg DOTNET_PROJECT to the one to publish, e.g. DOTNET_PROJECT=${pool[0]!.path}.`);
}

// pom.xml, read with a real XML parser (fast-xml-parser: maintained, no
// native code, handles comments/CDATA/entities) — the facts a build needs:
// coordinates, packaging, finalName, modules, properties (with ${...}
// interpolation), build plugins and dependencies.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { readText, UserError, type BuildContext } from "../../context/fs.js";
import { Memo } from "../../lib/memo.js";

// Read-only: parsePom shares one Pom between everything that reads the same pom.
export interface PomPlugin {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version?: string;
  readonly configuration: Readonly<Record<string, unknown>>;
  /** Configuration of each execution, merged over the plugin's. */
  readonly executions: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** Each execution's id and goals (parallel to `executions`). */
  readonly executionGoals: ReadonlyArray<{ readonly id?: string; readonly goals: readonly string[] }>;
}

export interface Pom {
  readonly file: string;
  /** Folder of the pom, relative to the context ("" for the root). */
  readonly dir: string;
  readonly artifactId: string;
  readonly version?: string;
  readonly packaging: string;
  readonly finalName?: string;
  readonly modules: readonly string[];
  readonly properties: Readonly<Record<string, string>>;
  readonly parent?: { readonly groupId: string; readonly artifactId: string; readonly version?: string };
  readonly plugins: readonly PomPlugin[];
  /** <pluginManagement>: versions and configuration the pom (and its modules) use when they declare the plugin. */
  readonly managedPlugins: readonly PomPlugin[];
  readonly dependencies: ReadonlyArray<{ readonly groupId: string; readonly artifactId: string; readonly scope?: string }>;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ["module", "plugin", "dependency", "execution", "descriptorRef", "goal"].includes(name),
});

type Node = Record<string, unknown>;

function obj(v: unknown): Node {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Node) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === "" ? [] : [v];
}

/**
 * Parsed poms by file and text: detection, the Kotlin check, the follow-up and
 * the facts each read the same pom, and validating and parsing it cold cost a
 * build up to 7 ms a time. Callers share the result: never mutate a Pom.
 */
const parsed = new Memo<Pom>();

export function parsePom(text: string, file: string): Pom {
  return parsed.get(`${file}\0${text}`, () => parseUncached(text, file));
}

function parseUncached(text: string, file: string): Pom {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new UserError(`${file} line ${valid.err.line}: ${valid.err.msg}; fix the XML and build again.`, file);
  const project = obj(parser.parse(text).project);
  if (!Object.keys(project).length) throw new UserError(`${file} has no <project> element; it is not a Maven POM.`, file);
  const parentNode = obj(project.parent);
  const parent = str(parentNode.artifactId) ? { groupId: str(parentNode.groupId) ?? "", artifactId: str(parentNode.artifactId)!, version: str(parentNode.version) } : undefined;
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(project.properties))) if (str(v) !== undefined) properties[k] = str(v)!;
  const build = obj(project.build);
  const pluginsOf = (node: unknown): PomPlugin[] =>
    list(obj(node).plugin).map((p) => {
      const n = obj(p);
      const executions = list(obj(n.executions).execution).map(obj);
      return {
        groupId: str(n.groupId) ?? "org.apache.maven.plugins",
        artifactId: str(n.artifactId) ?? "",
        version: str(n.version),
        configuration: obj(n.configuration),
        executions: executions.map((e) => ({ ...obj(n.configuration), ...obj(e.configuration) })),
        executionGoals: executions.map((e) => ({ id: str(e.id), goals: list(obj(e.goals).goal).flatMap((g) => (str(g) ? [str(g)!] : [])) })),
      };
    });
  const plugins = pluginsOf(build.plugins);
  const managedPlugins = pluginsOf(obj(build.pluginManagement).plugins);
  const dependencies = list(obj(project.dependencies).dependency).map((d) => {
    const n = obj(d);
    return { groupId: str(n.groupId) ?? "", artifactId: str(n.artifactId) ?? "", scope: str(n.scope) };
  });
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
  return {
    file,
    dir,
    artifactId: str(project.artifactId) ?? "",
    version: str(project.version) ?? parent?.version,
    packaging: str(project.packaging) ?? "jar",
    finalName: str(build.finalName),
    modules: list(obj(project.modules).module).flatMap((m) => (str(m) ? [str(m)!.replace(/\/+$/, "").replace(/\/pom\.xml$/, "")] : [])),
    properties,
    parent,
    plugins,
    managedPlugins,
    dependencies,
  };
}

export async function readPom(ctx: BuildContext, file: string): Promise<Pom | undefined> {
  const text = await readText(ctx, file);
  return text === undefined ? undefined : parsePom(text, file);
}

/** `${...}` references resolved from project fields and properties (this pom's over its parent's in the build); undefined when one is unknown. */
export function interpolate(value: string | undefined, pom: Pom, inherited: Record<string, string> = {}): string | undefined {
  if (value === undefined) return undefined;
  const props: Record<string, string | undefined> = {
    ...inherited,
    ...pom.properties,
    "project.artifactId": pom.artifactId,
    artifactId: pom.artifactId,
    "project.version": pom.version,
    version: pom.version,
    "project.packaging": pom.packaging,
    "project.build.directory": "target",
    "project.basedir": ".",
    basedir: ".",
  };
  let out = value;
  for (let i = 0; i < 10 && out.includes("${"); i++) {
    let unknown = false;
    out = out.replace(/\$\{([^}]+)\}/g, (_, k: string) => {
      const v = props[k];
      if (v === undefined) unknown = true;
      return v ?? "";
    });
    if (unknown) return undefined;
  }
  return out.includes("${") ? undefined : out;
}

export function plugin(pom: Pom, artifactId: string): PomPlugin | undefined {
  return pom.plugins.find((p) => p.artifactId === artifactId);
}

export function hasDependency(pom: Pom, prefix: string): boolean {
  return pom.dependencies.some((d) => `${d.groupId}:${d.artifactId}`.startsWith(prefix));
}

/** Configuration value from the plugin or any of its executions. */
export function pluginConfig(p: PomPlugin, key: string): unknown {
  return p.configuration[key] ?? p.executions.map((e) => e[key]).find((v) => v !== undefined);
}

export function configString(p: PomPlugin, key: string): string | undefined {
  return str(pluginConfig(p, key));
}

export function configList(p: PomPlugin, key: string, item: string): string[] {
  const all = [p.configuration, ...p.executions].flatMap((c) => list(obj(c[key])[item]));
  return all.flatMap((v) => (str(v) ? [str(v)!] : []));
}

export function nodeOf(v: unknown): Node {
  return obj(v);
}

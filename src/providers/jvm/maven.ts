// Maven (Java or Kotlin): which module is the application, what it builds, the
// JDK its compiler targets, and the steps: every pom (and the wrapper) first,
// `dependency:go-offline` from them alone, then `mvn package` of that module.
import { isFile, UserError, type BuildContext } from "../../context/fs.js";
import type { CacheDef, RunStep, Step } from "../../kit/schema.js";
import { shellQuote } from "../../kit/shell.js";
import { bootLayered, collectArtifact, type Artifact } from "./artifact.js";
import { literalVersion, type BuildFileJdk } from "./jdk.js";
import { configList, configString, hasDependency, interpolate, nodeOf, plugin, readPom, type Pom, type PomPlugin } from "./pom.js";
import { sourceCopy } from "./plan.js";
import { QUARKUS_CONFIG, quarkusUberJar } from "./quarkus.js";

export interface MavenFacts {
  root: Pom;
  /** The module that is the application (the root pom for a single-module build). */
  app: Pom;
  /** Properties the app module inherits from the root (a reactor parent). */
  inherited: Record<string, string>;
  wrapper: boolean;
  artifact: Artifact;
  framework?: string;
  portFlag?: string;
  jdk?: BuildFileJdk;
  warnings: string[];
}

/** The wrapper's files and the project's Maven settings: inputs of the dependency layer. */
const MAVEN_EXTRAS = ["mvnw", ".mvn/**"];

/** Files detection reads for Maven, besides module poms (followUp). */
// Modules in folders of the root, and theirs (what mavenFollowUp asks for, in the usual layout),
// come in the first transfer; modules elsewhere with the second.
export const MAVEN_READS = ["pom.xml", "mvnw", QUARKUS_CONFIG, ...["*", "*/*"].flatMap((d) => [`${d}/pom.xml`, `${d}/${QUARKUS_CONFIG}`])];

/** Module poms, two levels deep (a module that is itself an aggregator), and their Quarkus config. */
export async function mavenFollowUp(ctx: BuildContext): Promise<string[]> {
  const root = await readPom(ctx, "pom.xml").catch(() => undefined);
  if (!root) return [];
  return root.modules.flatMap((m) => [`${m}/pom.xml`, `${m}/*/pom.xml`, `${m}/${QUARKUS_CONFIG}`, `${m}/*/${QUARKUS_CONFIG}`]);
}

async function readModules(ctx: BuildContext, pom: Pom, depth: number): Promise<Pom[]> {
  const out: Pom[] = [];
  for (const m of pom.modules) {
    const file = pom.dir ? `${pom.dir}/${m}/pom.xml` : `${m}/pom.xml`;
    const child = await readPom(ctx, file);
    if (!child) throw new UserError(`${pom.file} lists module "${m}", but ${file} is not in the build context; fix <modules> or the .dockerignore.`, pom.file);
    out.push(child);
    if (depth > 0) out.push(...(await readModules(ctx, child, depth - 1)));
  }
  return out;
}

interface Runnable {
  artifact: Artifact;
  framework?: string;
  portFlag?: string;
}

interface Reactor {
  root: Pom;
  /** The module's application.properties asks Quarkus for an uber-jar. */
  quarkusUber: boolean;
}

// Parents that decide how an app packages, passed from a reactor root to its modules as pseudo-properties.
const BOOT_VERSION_KEY = "\u0000spring-boot.version";
const MICRONAUT_KEY = "\u0000micronaut-parent";
const HELIDON_KEY = "\u0000helidon";

/** Micronaut Launch's parent: its micronaut-maven-plugin shades the jar in `package` (packaging jar). */
function micronautParent(pom: Pom, inherited: Record<string, string>): boolean {
  return pom.parent?.artifactId === "micronaut-parent" || inherited[MICRONAUT_KEY] === "true";
}

/** Helidon's application parents (io.helidon.applications:helidon-se / helidon-mp): "helidon-se 4.1.6". */
function helidonParent(pom: Pom, inherited: Record<string, string>): string | undefined {
  if (pom.parent?.groupId === "io.helidon.applications") return `${pom.parent.artifactId} ${pom.parent.version ?? ""}`.trim();
  return inherited[HELIDON_KEY];
}

/** The reactor root's parents, for its modules. */
function parentKeys(root: Pom): Record<string, string> {
  const out: Record<string, string> = {};
  if (root.parent?.artifactId === "spring-boot-starter-parent" && root.parent.version) out[BOOT_VERSION_KEY] = root.parent.version;
  if (micronautParent(root, {})) out[MICRONAUT_KEY] = "true";
  const helidon = helidonParent(root, {});
  if (helidon) out[HELIDON_KEY] = helidon;
  return out;
}

/**
 * maven-dependency-plugin's copy-dependencies beside a jar whose manifest's Class-Path names them
 * (maven-jar-plugin addClasspath + classpathPrefix): the folder the jar needs at run time.
 */
function copiedDependencies(pom: Pom, inherited: Record<string, string>): { src: string; dest: string } | undefined {
  const jar = plugin(pom, "maven-jar-plugin");
  const manifest = nodeOf(nodeOf(jar?.configuration.archive).manifest);
  const prefix = typeof manifest.classpathPrefix === "string" ? manifest.classpathPrefix.replace(/^\.?\/+|\/+$/g, "") : "";
  const deps = plugin(pom, "maven-dependency-plugin");
  const i = deps?.executionGoals.findIndex((e) => e.goals.includes("copy-dependencies")) ?? -1;
  if (!deps || i < 0 || !prefix || String(manifest.addClasspath) !== "true") return undefined;
  const raw = deps.executions[i]!.outputDirectory;
  const out = interpolate(typeof raw === "string" ? raw : "${project.build.directory}/dependency", pom, inherited)?.replace(/^\.\//, "");
  if (!out || out.startsWith("/") || out.includes("..")) return undefined;
  return { src: pom.dir ? `${pom.dir}/${out}` : out, dest: prefix };
}

/** Spring Boot's version: the plugin's, the starter parent's, or what the reactor manages. */
function bootVersion(boot: PomPlugin, pom: Pom, inherited: Record<string, string>, root: Pom): string | undefined {
  const managed = [...pom.managedPlugins, ...root.plugins, ...root.managedPlugins].find((p) => p.artifactId === "spring-boot-maven-plugin" && p.version)?.version;
  return (
    interpolate(boot.version, pom, inherited) ??
    (pom.parent?.artifactId === "spring-boot-starter-parent" ? pom.parent.version : undefined) ??
    inherited[BOOT_VERSION_KEY] ??
    interpolate(managed, pom, inherited) ??
    literalVersion(interpolate("${spring-boot.version}", pom, inherited))
  );
}

/**
 * spring-boot-maven-plugin as the module builds with it: its own declaration over the one it
 * inherits from the reactor root's <build><plugins> (declared once for every module); a module that
 * sets <skip>true</skip> is a library.
 */
function bootPlugin(pom: Pom, root: Pom): PomPlugin | undefined {
  const own = plugin(pom, "spring-boot-maven-plugin");
  const inherited = pom !== root && pom.parent?.artifactId === root.artifactId ? plugin(root, "spring-boot-maven-plugin") : undefined;
  const base = own ?? inherited;
  if (!base) return undefined;
  const merged: PomPlugin = own && inherited ? { ...own, version: own.version ?? inherited.version, configuration: { ...inherited.configuration, ...own.configuration }, executions: [...inherited.executions, ...own.executions], executionGoals: [...inherited.executionGoals, ...own.executionGoals] } : base;
  return configString(merged, "skip") === "true" ? undefined : merged;
}

/** What makes this module runnable, or undefined for a library / aggregator. */
function runnable(pom: Pom, inherited: Record<string, string>, hasDeps: boolean, reactor: Reactor): Runnable | undefined {
  const packaging = interpolate(pom.packaging, pom, inherited) ?? pom.packaging;
  if (packaging === "pom") return undefined;
  const dir = pom.dir ? `${pom.dir}/target` : "target";
  const helidon = helidonParent(pom, inherited);
  // Helidon's parent names the jar after the artifactId alone.
  const finalName = interpolate(pom.finalName ?? (helidon ? "${project.artifactId}" : "${project.artifactId}-${project.version}"), pom, inherited);
  const props = { ...inherited, ...pom.properties };
  const spring = hasDependency(pom, "org.springframework.boot:") || pom.parent?.artifactId === "spring-boot-starter-parent";
  const quarkus = plugin(pom, "quarkus-maven-plugin");
  if (quarkus) {
    const type = props["quarkus.package.jar.type"] ?? props["quarkus.package.type"];
    if (type === "uber-jar" || reactor.quarkusUber) {
      return { artifact: { kind: "jar", dir, exact: finalName && `${finalName}-runner.jar`, prefer: ["*-runner.jar"], by: "quarkus-maven-plugin (uber-jar)" }, framework: "quarkus", portFlag: "-Dquarkus.http.port=$PORT" };
    }
    return { artifact: { kind: "dir", dir, name: "quarkus-app", lib: "lib", jar: "quarkus-run.jar", by: "quarkus-maven-plugin" }, framework: "quarkus", portFlag: "-Dquarkus.http.port=$PORT" };
  }
  const boot = bootPlugin(pom, reactor.root);
  if (boot) {
    const ext = packaging === "war" ? ".war" : ".jar";
    const classifier = configString(boot, "classifier");
    const exact = finalName && `${finalName}${classifier ? `-${classifier}` : ""}${ext}`;
    const jar = { kind: "jar" as const, dir, exact, ext, by: "spring-boot-maven-plugin" };
    const version = bootVersion(boot, pom, inherited, reactor.root);
    const artifact: Artifact = ext === ".jar" && bootLayered(version) ? { kind: "boot", jar, bootVersion: version, by: jar.by } : jar;
    return { artifact, framework: "spring-boot", portFlag: "-Dserver.port=$PORT" };
  }
  const micronaut = plugin(pom, "micronaut-maven-plugin") || hasDependency(pom, "io.micronaut") || micronautParent(pom, inherited);
  const ktor = hasDependency(pom, "io.ktor:ktor-server");
  const dropwizard = hasDependency(pom, "io.dropwizard:dropwizard-core");
  const framework = micronaut ? "micronaut" : helidon ? "helidon" : ktor ? "ktor" : dropwizard ? "dropwizard" : spring ? "spring-boot" : undefined;
  // Helidon reads server.port from system properties over its application.yaml; Ktor's EngineMain, ktor.*.
  const portFlag = micronaut ? "-Dmicronaut.server.port=$PORT" : ktor ? "-Dktor.deployment.port=$PORT" : spring || helidon ? "-Dserver.port=$PORT" : undefined;
  const shade = plugin(pom, "maven-shade-plugin");
  if (shade) {
    const attached = configString(shade, "shadedArtifactAttached") === "true";
    const name = configString(shade, "finalName") ? interpolate(configString(shade, "finalName"), pom, inherited) : finalName;
    // <outputFile> writes the shaded jar elsewhere (the Vert.x starter's target/<name>-fat.jar), leaving the thin one.
    const outputFile = interpolate(configString(shade, "outputFile"), pom, inherited)?.replace(/^\.\//, "");
    const output = outputFile && /^target\/[^/]+\.jar$/.test(outputFile) ? outputFile.slice("target/".length) : undefined;
    const exact = output ?? (name && (attached ? `${name}-${configString(shade, "shadedClassifierName") ?? "shaded"}.jar` : `${name}.jar`));
    return { artifact: { kind: "jar", dir, exact, by: "maven-shade-plugin" }, framework, portFlag };
  }
  if (micronautParent(pom, inherited) && packaging === "jar") {
    return { artifact: { kind: "jar", dir, exact: finalName && `${finalName}.jar`, by: "micronaut-parent (maven-shade-plugin)" }, framework, portFlag };
  }
  const assembly = plugin(pom, "maven-assembly-plugin");
  if (assembly && configList(assembly, "descriptorRefs", "descriptorRef").includes("jar-with-dependencies")) {
    const appendId = configString(assembly, "appendAssemblyId") !== "false";
    const exact = finalName && (appendId ? `${finalName}-jar-with-dependencies.jar` : `${finalName}.jar`);
    return { artifact: { kind: "jar", dir, exact, by: "maven-assembly-plugin (jar-with-dependencies)" }, framework, portFlag };
  }
  if (helidon && packaging === "jar") {
    // The parent's copy-libs execution puts the dependencies in target/libs, which the jar's Class-Path names.
    return { artifact: { kind: "jar", dir, exact: finalName && `${finalName}.jar`, lib: { src: `${dir}/libs`, dest: "libs" }, by: `${helidon.split(" ")[0]} parent (copy-libs)` }, framework, portFlag };
  }
  const jarPlugin = plugin(pom, "maven-jar-plugin");
  const mainClass = jarPlugin && JSON.stringify(jarPlugin.configuration).includes("mainClass");
  if (mainClass || (!hasDeps && packaging === "jar")) {
    const lib = copiedDependencies(pom, inherited);
    return { artifact: { kind: "jar", dir, exact: finalName && `${finalName}.jar`, ...(lib ? { lib } : {}), by: lib ? "maven-jar-plugin (Class-Path, copy-dependencies)" : "maven-jar-plugin" }, framework, portFlag };
  }
  return undefined;
}

export async function mavenFacts(ctx: BuildContext, moduleArg: string | undefined): Promise<MavenFacts> {
  const root = (await readPom(ctx, "pom.xml"))!;
  const modules = await readModules(ctx, root, 1);
  const warnings: string[] = [];
  // Modules inherit the root's properties, and what its parent (Spring Boot, Micronaut, Helidon) decides.
  const fromRoot = { ...root.properties, ...parentKeys(root) };
  const inheritedOf = (p: Pom) => (p === root ? {} : fromRoot);
  const uber = new Map<Pom, boolean>();
  for (const p of [root, ...modules]) uber.set(p, plugin(p, "quarkus-maven-plugin") ? await quarkusUberJar(ctx, p.dir) : false);
  const reactor = (p: Pom): Reactor => ({ root, quarkusUber: uber.get(p) ?? false });
  const deps = (p: Pom) => p.dependencies.some((d) => !d.scope || d.scope === "compile" || d.scope === "runtime");
  let app: Pom;
  let run: Runnable | undefined;
  if (moduleArg) {
    const want = moduleArg.replace(/^\.\/|\/+$/g, "");
    const found = [root, ...modules].find((p) => p.dir === want || p.artifactId === want);
    if (!found) throw new UserError(`build arg JVM_MODULE=${moduleArg}: no such module in pom.xml (modules: ${modules.map((m) => m.dir).join(", ") || "none"}).`, "pom.xml");
    app = found;
    run = runnable(app, inheritedOf(app), deps(app), reactor(app));
  } else if (!modules.length) {
    app = root;
    run = runnable(root, {}, deps(root), reactor(root));
  } else {
    const candidates = modules.map((m) => ({ m, r: runnable(m, fromRoot, false, reactor(m)) })).filter((x) => x.r && x.r.artifact.by !== "maven-jar-plugin");
    if (candidates.length > 1) {
      throw new UserError(
        `pom.xml: several modules build a runnable application (${candidates.map((c) => `${c.m.dir} (${c.r!.artifact.by})`).join(", ")}); set the build arg JVM_MODULE to the one to run, e.g. --build-arg JVM_MODULE=${candidates[0]!.m.dir}.`,
        "pom.xml",
      );
    }
    if (!candidates.length) {
      throw new UserError(
        `pom.xml: no module builds a runnable application (modules: ${modules.map((m) => m.dir).join(", ")}); add spring-boot-maven-plugin, maven-shade-plugin or the Quarkus plugin to the app's module, or set JVM_MODULE.`,
        "pom.xml",
      );
    }
    app = candidates[0]!.m;
    run = candidates[0]!.r;
  }
  if (!run) {
    if (app.packaging === "pom") throw new UserError(`${app.file} has packaging "pom" and no modules: there is nothing to run.`, app.file);
    if (app.packaging === "war") {
      throw new UserError(`${app.file}: packaging "war" needs a servlet container; make it an executable jar (spring-boot-maven-plugin) or build your own image.`, app.file);
    }
    // A jar with dependencies but nothing that bundles them: ship it with its lib/ (copy-dependencies).
    const dir = app.dir ? `${app.dir}/target` : "target";
    const finalName = interpolate(app.finalName ?? "${project.artifactId}-${project.version}", app, inheritedOf(app));
    run = { artifact: { kind: "jar", dir, exact: finalName && `${finalName}.jar`, by: "maven-jar-plugin" } };
    warnings.push(
      `${app.file}: the jar does not bundle its dependencies (no spring-boot-maven-plugin, maven-shade-plugin or assembly jar-with-dependencies); it may not start. Add one of them, or set RUN_COMMAND.`,
    );
  }
  const jar = run.artifact.kind === "boot" ? run.artifact.jar : run.artifact;
  if (jar.kind === "jar" && !jar.exact) {
    warnings.push(`${app.file}: the jar's name uses properties not defined in the build context; the build picks the one jar it finds in ${jar.dir}.`);
  }
  return {
    root,
    app,
    inherited: inheritedOf(app),
    wrapper: await isFile(ctx, "mvnw"),
    artifact: run.artifact,
    framework: run.framework,
    portFlag: run.portFlag,
    jdk: pomJdk(app, inheritedOf(app), root),
    warnings,
  };
}

/**
 * The compiler's target: maven.compiler.release, the compiler plugin's <release> (the pom's own,
 * managed, or the reactor root's), java.version (Spring Boot), maven.compiler.source/target, then
 * what known parents set: Micronaut's release.version/jdk.version, Helidon's Java (by major).
 */
function pomJdk(pom: Pom, inherited: Record<string, string>, root: Pom): BuildFileJdk | undefined {
  const compilers = [
    [pom.plugins, pom.file],
    [pom.managedPlugins, pom.file],
    ...(pom === root ? [] : [[root.plugins, root.file], [root.managedPlugins, root.file]]),
  ] as [PomPlugin[], string][];
  const compiler = (key: string): [string | undefined, string] => {
    for (const [plugins, file] of compilers) {
      const c = plugins.find((p) => p.artifactId === "maven-compiler-plugin");
      const v = c && configString(c, key);
      if (v) return [v, `${file} maven-compiler-plugin ${key}`];
    }
    return [undefined, ""];
  };
  const prop = (key: string): [string | undefined, string] => [pom.properties[key] ?? inherited[key], `${pom.file} ${key}`];
  const micronaut = micronautParent(pom, inherited);
  const helidon = helidonParent(pom, inherited);
  const helidonJdk = helidon && ({ "4": "21", "3": "17", "2": "11" } as Record<string, string>)[helidon.split(" ")[1]?.split(".")[0] ?? ""];
  const tries: [string | undefined, string][] = [
    prop("maven.compiler.release"),
    compiler("release"),
    prop("java.version"),
    prop("maven.compiler.source"),
    prop("maven.compiler.target"),
    compiler("source"),
    ...(micronaut ? [prop("release.version"), prop("jdk.version")] : []),
    [helidonJdk || undefined, `${pom.file} ${helidon}`],
  ];
  for (const [raw, source] of tries) {
    const v = literalVersion(interpolate(raw, pom, inherited));
    if (v) return { raw: v, source };
  }
  // Spring Boot 3 needs Java 17 (its parent's java.version).
  const boot = pom.parent?.artifactId === "spring-boot-starter-parent" ? pom.parent.version : inherited[BOOT_VERSION_KEY];
  if (boot && Number(boot.split(".")[0]) >= 3) return { raw: "17", source: `${pom.file} spring-boot-starter-parent ${boot}`, floorOnly: true };
  return undefined;
}

export const MAVEN_CACHES: Record<string, CacheDef> = {
  m2: { id: "maven-repository", target: "/root/.m2/repository", sharing: "shared" },
  // Distributions the Maven wrapper downloads (distributionUrl).
  m2wrapper: { id: "maven-wrapper", target: "/root/.m2/wrapper", sharing: "shared" },
};

/** Pinned: go-offline's reactor handling (sibling modules are not downloaded) needs a 3.x plugin. */
const DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";

export function mavenSteps(f: MavenFacts, buildCommand: string | undefined): Step[] {
  const mvn = f.wrapper ? "./mvnw" : "mvn";
  const prep = f.wrapper ? "chmod +x mvnw && " : "";
  const deps: RunStep = {
    kind: "run",
    name: "resolve Maven dependencies",
    // Plugins and dependencies of every module, from the poms alone. Anything a plugin only asks
    // for while it runs is fetched by the build into the same cache.
    shell: `${prep}${mvn} -B ${DEPENDENCY_PLUGIN}:go-offline || echo 'migetpacks: some dependencies could not be resolved from the poms alone; the build resolves them' >&2`,
    caches: ["m2", "m2wrapper"],
    env: [],
  };
  const select = f.app === f.root ? "" : ` -pl ${shellQuote(f.app.dir)} -am`;
  const build = buildCommand ?? `${prep}${mvn} -B -DskipTests${select} package`;
  return [
    { kind: "copy", name: "copy Maven build files", from: "context", paths: ["."], dest: "/build", include: ["**/pom.xml", ...MAVEN_EXTRAS], exclude: ["**/target"] },
    deps,
    sourceCopy(["target", "**/target"]),
    { kind: "run", name: "mvn package", shell: `${build} && { ${collectArtifact(f.artifact)}; }`, caches: ["m2", "m2wrapper"], env: [] },
  ];
}

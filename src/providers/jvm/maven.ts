// Maven (Java or Kotlin): which module is the application, what it builds, the
// JDK its compiler targets, and the steps: every pom (and the wrapper) first,
// `dependency:go-offline` from them alone, then `mvn package` of that module.
import { isFile, UserError, type BuildContext } from "../../context/fs.js";
import type { CacheDef, RunStep, Step } from "../../kit/schema.js";
import { shellQuote } from "../../kit/shell.js";
import { bootLayered, collectArtifact, type Artifact } from "./artifact.js";
import { literalVersion, type BuildFileJdk } from "./jdk.js";
import { configList, configString, hasDependency, interpolate, plugin, readPom, type Pom } from "./pom.js";
import { sourceCopy } from "./plan.js";

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
export const MAVEN_READS = ["pom.xml", "mvnw"];

/** Module poms, two levels deep (a module that is itself an aggregator). */
export async function mavenFollowUp(ctx: BuildContext): Promise<string[]> {
  const root = await readPom(ctx, "pom.xml").catch(() => undefined);
  if (!root) return [];
  return root.modules.flatMap((m) => [`${m}/pom.xml`, `${m}/*/pom.xml`]);
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

/** What makes this module runnable, or undefined for a library / aggregator. */
function runnable(pom: Pom, inherited: Record<string, string>, hasDeps: boolean): Runnable | undefined {
  if (pom.packaging === "pom") return undefined;
  const dir = pom.dir ? `${pom.dir}/target` : "target";
  const finalName = interpolate(pom.finalName ?? "${project.artifactId}-${project.version}", pom, inherited);
  const props = { ...inherited, ...pom.properties };
  const spring = hasDependency(pom, "org.springframework.boot:") || pom.parent?.artifactId === "spring-boot-starter-parent";
  const quarkus = plugin(pom, "quarkus-maven-plugin");
  if (quarkus) {
    const type = props["quarkus.package.jar.type"] ?? props["quarkus.package.type"];
    if (type === "uber-jar") return { artifact: { kind: "jar", dir, exact: finalName && `${finalName}-runner.jar`, prefer: ["*-runner.jar"], by: "quarkus-maven-plugin (uber-jar)" }, framework: "quarkus", portFlag: "-Dquarkus.http.port=$PORT" };
    return { artifact: { kind: "dir", dir, name: "quarkus-app", lib: "lib", jar: "quarkus-run.jar", by: "quarkus-maven-plugin" }, framework: "quarkus", portFlag: "-Dquarkus.http.port=$PORT" };
  }
  const boot = plugin(pom, "spring-boot-maven-plugin");
  if (boot) {
    const ext = pom.packaging === "war" ? ".war" : ".jar";
    const classifier = configString(boot, "classifier");
    const exact = finalName && `${finalName}${classifier ? `-${classifier}` : ""}${ext}`;
    const jar = { kind: "jar" as const, dir, exact, ext, by: "spring-boot-maven-plugin" };
    const version = interpolate(boot.version, pom, inherited) ?? (pom.parent?.artifactId === "spring-boot-starter-parent" ? pom.parent.version : undefined) ?? inheritedBoot(inherited);
    const artifact: Artifact = ext === ".jar" && bootLayered(version) ? { kind: "boot", jar, bootVersion: version, by: jar.by } : jar;
    return { artifact, framework: "spring-boot", portFlag: "-Dserver.port=$PORT" };
  }
  const micronaut = plugin(pom, "micronaut-maven-plugin") || hasDependency(pom, "io.micronaut");
  const framework = micronaut ? "micronaut" : spring ? "spring-boot" : undefined;
  const portFlag = micronaut ? "-Dmicronaut.server.port=$PORT" : spring ? "-Dserver.port=$PORT" : undefined;
  const shade = plugin(pom, "maven-shade-plugin");
  if (shade) {
    const attached = configString(shade, "shadedArtifactAttached") === "true";
    const name = configString(shade, "finalName") ? interpolate(configString(shade, "finalName"), pom, inherited) : finalName;
    const exact = name && (attached ? `${name}-${configString(shade, "shadedClassifierName") ?? "shaded"}.jar` : `${name}.jar`);
    return { artifact: { kind: "jar", dir, exact, by: "maven-shade-plugin" }, framework, portFlag };
  }
  const assembly = plugin(pom, "maven-assembly-plugin");
  if (assembly && configList(assembly, "descriptorRefs", "descriptorRef").includes("jar-with-dependencies")) {
    const appendId = configString(assembly, "appendAssemblyId") !== "false";
    const exact = finalName && (appendId ? `${finalName}-jar-with-dependencies.jar` : `${finalName}.jar`);
    return { artifact: { kind: "jar", dir, exact, by: "maven-assembly-plugin (jar-with-dependencies)" }, framework, portFlag };
  }
  const jarPlugin = plugin(pom, "maven-jar-plugin");
  const mainClass = jarPlugin && JSON.stringify(jarPlugin.configuration).includes("mainClass");
  if (mainClass || (!hasDeps && pom.packaging === "jar")) {
    return { artifact: { kind: "jar", dir, exact: finalName && `${finalName}.jar`, by: "maven-jar-plugin" }, framework, portFlag };
  }
  return undefined;
}

/** A reactor parent's Spring Boot version, passed down as a pseudo-property. */
function inheritedBoot(inherited: Record<string, string>): string | undefined {
  return inherited[BOOT_VERSION_KEY];
}

const BOOT_VERSION_KEY = "\u0000spring-boot.version";

export async function mavenFacts(ctx: BuildContext, moduleArg: string | undefined): Promise<MavenFacts> {
  const root = (await readPom(ctx, "pom.xml"))!;
  const modules = await readModules(ctx, root, 1);
  const warnings: string[] = [];
  // Modules inherit the root's properties, and its Spring Boot parent's version.
  const rootBoot = root.parent?.artifactId === "spring-boot-starter-parent" ? root.parent.version : undefined;
  const fromRoot = { ...root.properties, ...(rootBoot ? { [BOOT_VERSION_KEY]: rootBoot } : {}) };
  const inheritedOf = (p: Pom) => (p === root ? {} : fromRoot);
  const deps = (p: Pom) => p.dependencies.some((d) => !d.scope || d.scope === "compile" || d.scope === "runtime");
  let app: Pom;
  let run: Runnable | undefined;
  if (moduleArg) {
    const want = moduleArg.replace(/^\.\/|\/+$/g, "");
    const found = [root, ...modules].find((p) => p.dir === want || p.artifactId === want);
    if (!found) throw new UserError(`build arg JVM_MODULE=${moduleArg}: no such module in pom.xml (modules: ${modules.map((m) => m.dir).join(", ") || "none"}).`, "pom.xml");
    app = found;
    run = runnable(app, inheritedOf(app), deps(app));
  } else if (!modules.length) {
    app = root;
    run = runnable(root, {}, deps(root));
  } else {
    const candidates = modules.map((m) => ({ m, r: runnable(m, fromRoot, false) })).filter((x) => x.r && x.r.artifact.by !== "maven-jar-plugin");
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
    jdk: pomJdk(app, inheritedOf(app)),
    warnings,
  };
}

/** The compiler's target: maven.compiler.release, compiler plugin <release>, java.version (Spring Boot), maven.compiler.source/target. */
function pomJdk(pom: Pom, inherited: Record<string, string>): BuildFileJdk | undefined {
  const compiler = plugin(pom, "maven-compiler-plugin");
  const tries: [string | undefined, string][] = [
    [pom.properties["maven.compiler.release"] ?? inherited["maven.compiler.release"], "maven.compiler.release"],
    [compiler && configString(compiler, "release"), "maven-compiler-plugin release"],
    [pom.properties["java.version"] ?? inherited["java.version"], "java.version"],
    [pom.properties["maven.compiler.source"] ?? inherited["maven.compiler.source"], "maven.compiler.source"],
    [pom.properties["maven.compiler.target"] ?? inherited["maven.compiler.target"], "maven.compiler.target"],
    [compiler && configString(compiler, "source"), "maven-compiler-plugin source"],
  ];
  for (const [raw, what] of tries) {
    const v = literalVersion(interpolate(raw, pom, inherited));
    if (v) return { raw: v, source: `${pom.file} ${what}` };
  }
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

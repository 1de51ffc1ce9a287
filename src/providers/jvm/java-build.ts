// Maven-or-Gradle projects (Java and Kotlin share this): which build tool,
// the JDK, the steps and the plan.
import * as z from "../../lib/zod.js";
import { isFile, readText, type BuildContext } from "../../context/fs.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { BuildPlanInput } from "../../kit/schema.js";
import type { PlanInput } from "../../kit/provider.js";
import type { VersionPick } from "../../kit/version-pick.js";
import type { Artifact } from "./artifact.js";
import { firstExisting } from "../../kit/files.js";
import { JDK_FILES, pickJdk, stripComments } from "./jdk.js";
import { MAVEN_CACHES, MAVEN_READS, mavenFacts, mavenFollowUp, mavenSteps, type MavenFacts } from "./maven.js";
import { catalogPlugins, conventionPlugins, expandAliases, GRADLE_BUILD_FILES, GRADLE_CACHES, GRADLE_ENV, GRADLE_READS, GRADLE_SETTINGS, gradleFacts, gradleFollowUp, gradleSteps, includedBuildFiles, isKotlinBuild, type GradleFacts } from "./gradle.js";
import { planJvm } from "./plan.js";
import { DROPWIZARD_READS, dropwizardRun, type DropwizardRun } from "./dropwizard.js";
import { parsePom } from "./pom.js";

export const JavaSettings = z.object({
  JAVA_VERSION: z.string().trim().optional(),
  /** The Maven module (folder or artifactId) or Gradle project to build and run in a multi-module build. */
  JVM_MODULE: z.string().trim().optional(),
});

export const JAVA_BUILD_READS = [...MAVEN_READS, ...GRADLE_READS, "gradle/libs.versions.toml", ...JDK_FILES];

export type JavaBuildFacts = ({ tool: "maven"; maven: MavenFacts } | { tool: "gradle"; gradle: GradleFacts }) & { jdk: VersionPick; warnings: string[]; dropwizard?: DropwizardRun };

export async function hasJavaBuild(ctx: BuildContext): Promise<boolean> {
  return (await firstExisting(ctx, ["pom.xml", ...GRADLE_BUILD_FILES, ...GRADLE_SETTINGS])) !== undefined;
}

/** Kotlin's real markers: the Kotlin Gradle plugin (build script, settings' pluginManagement or version catalog) or kotlin-maven-plugin. */
export async function isKotlinProject(ctx: BuildContext): Promise<boolean> {
  const pom = await readText(ctx, "pom.xml");
  if (pom !== undefined) {
    const kotlin = (text: string | undefined, file: string) => {
      try {
        return text !== undefined && parsePom(text, file).plugins.some((p) => p.artifactId === "kotlin-maven-plugin");
      } catch {
        return false;
      }
    };
    if (kotlin(pom, "pom.xml")) return true;
    // A reactor's modules (detection's second pass loads them).
    for (const file of (await mavenFollowUp(ctx)).filter((f) => f.endsWith("/pom.xml") && !f.includes("*"))) {
      if (kotlin(await readText(ctx, file), file)) return true;
    }
    return false;
  }
  const catalog = await catalogPlugins(ctx).catch(() => new Map<string, { id: string }>());
  // Included projects' build files come with detection's second pass (`gradle init` puts the app in app/).
  for (const f of [...GRADLE_BUILD_FILES, ...GRADLE_SETTINGS, ...(await includedBuildFiles(ctx))]) {
    const text = await readText(ctx, f);
    if (text !== undefined && isKotlinBuild(expandAliases(stripComments(text), catalog))) return true;
  }
  // Convention plugins (buildSrc, build-logic) that apply Kotlin.
  const settingsFile = await firstExisting(ctx, GRADLE_SETTINGS);
  const { scripts } = await conventionPlugins(ctx, settingsFile ? ((await readText(ctx, settingsFile)) ?? "") : "", catalog);
  if ([...scripts.values()].some(isKotlinBuild)) return true;
  // A catalog that declares the Kotlin plugin marks a Kotlin build (before the second pass, too).
  return [...catalog.values()].some((p) => p.id === "org.jetbrains.kotlin.jvm");
}

export async function javaBuildFollowUp(ctx: BuildContext): Promise<string[]> {
  const files = (await isFile(ctx, "pom.xml")) ? await mavenFollowUp(ctx) : await gradleFollowUp(ctx);
  // A Dropwizard app's config is a YAML file at the root: those come only for builds that name Dropwizard.
  for (const f of ["pom.xml", ...GRADLE_BUILD_FILES, "gradle/libs.versions.toml"]) {
    if (/io\.dropwizard/.test((await readText(ctx, f)) ?? "")) return [...files, ...DROPWIZARD_READS];
  }
  return files;
}

export async function javaBuildFacts(ctx: BuildContext, args: BuildArgs): Promise<JavaBuildFacts> {
  const s = parseArgs(JavaSettings, args);
  const warnings: string[] = [];
  if (await isFile(ctx, "pom.xml")) {
    const maven = await mavenFacts(ctx, s.JVM_MODULE);
    const gradleFile = await firstExisting(ctx, GRADLE_BUILD_FILES);
    if (gradleFile) warnings.push(`pom.xml and ${gradleFile} are both here; building with Maven (pom.xml), ${gradleFile} is ignored.`);
    const jdk = await pickJdk(ctx, s.JAVA_VERSION, maven.jdk, warnings);
    const dropwizard = await dropwizardOf(ctx, maven.framework, maven.artifact, warnings);
    return { tool: "maven", maven, jdk, warnings: [...warnings, ...maven.warnings], ...(dropwizard ? { dropwizard } : {}) };
  }
  const gradle = await gradleFacts(ctx, s.JVM_MODULE);
  const jdk = await pickJdk(ctx, s.JAVA_VERSION, gradle.jdk, warnings);
  const dropwizard = await dropwizardOf(ctx, gradle.framework, gradle.artifact, warnings);
  return { tool: "gradle", gradle, jdk, warnings: [...warnings, ...gradle.warnings], ...(dropwizard ? { dropwizard } : {}) };
}

/** A Dropwizard jar's `server <config>` (a start script passes -D flags to the app, which Dropwizard refuses: jars only). */
async function dropwizardOf(ctx: BuildContext, framework: string | undefined, artifact: Artifact, warnings: string[]): Promise<DropwizardRun | undefined> {
  if (framework !== "dropwizard" || artifact.kind !== "jar") return undefined;
  const { run, warnings: more } = await dropwizardRun(ctx);
  warnings.push(...more);
  return run;
}

export function javaBuildSummary(language: string, f: JavaBuildFacts) {
  const framework = f.tool === "maven" ? f.maven.framework : f.gradle.framework;
  return { language, version: f.jdk.version, versionSource: f.jdk.source, packageManager: f.tool, ...(framework ? { framework } : {}) };
}

export function planJavaBuild(language: string, input: PlanInput<JavaBuildFacts>): BuildPlanInput {
  const f = input.facts;
  const build = input.common.buildCommand;
  if (f.tool === "maven") {
    return planJvm(
      {
        language,
        jdk: f.jdk,
        packageManager: "maven",
        framework: f.maven.framework,
        builderImage: `maven:3-eclipse-temurin-${f.jdk.version}`,
        env: [],
        caches: MAVEN_CACHES,
        steps: mavenSteps(withExtras(f.maven, f.dropwizard), build),
        artifact: artifactOf(f.maven.artifact, f.dropwizard),
        portFlag: f.dropwizard?.portFlag ?? f.maven.portFlag,
        appArgs: f.dropwizard?.args,
        warnings: f.warnings,
      },
      input,
    );
  }
  return planJvm(
    {
      language,
      jdk: f.jdk,
      packageManager: "gradle",
      framework: f.gradle.framework,
      builderImage: `gradle:jdk${f.jdk.version}`,
      env: GRADLE_ENV,
      caches: GRADLE_CACHES,
      steps: gradleSteps(withExtras(f.gradle, f.dropwizard), build),
      artifact: artifactOf(f.gradle.artifact, f.dropwizard),
      portFlag: f.dropwizard?.portFlag ?? f.gradle.portFlag,
      appArgs: f.dropwizard?.args,
      warnings: f.warnings,
    },
    input,
  );
}

/** The artifact with the files its start command names (a Dropwizard config). */
function artifactOf(a: Artifact, dropwizard: DropwizardRun | undefined): Artifact {
  return a.kind === "jar" && dropwizard?.config ? { ...a, extras: [dropwizard.config] } : a;
}

function withExtras<T extends { artifact: Artifact }>(f: T, dropwizard: DropwizardRun | undefined): T {
  return { ...f, artifact: artifactOf(f.artifact, dropwizard) };
}

// The JDK an app builds and runs on, first hit wins: the JAVA_VERSION build
// arg, .java-version, system.properties (java.runtime.version, Heroku's
// file), .sdkmanrc, .tool-versions (asdf/mise), then what the build file asks
// the compiler to target (Maven's release/source properties, Gradle
// toolchains, sbt/Leiningen javac options), then 21. Images are chosen by
// major version, so every source is reduced to one: `1.8` → 8, `17.0.2` → 17,
// `temurin-21.0.2+13` → 21.
import { readText, readVersionFile, UserError, type BuildContext } from "../../context/fs.js";
import { pickVersion, type VersionCandidate, type VersionPick } from "../../kit/version-pick.js";

export const DEFAULT_JDK = "21";

/** Majors with official eclipse-temurin images (JRE and JDK). */
const KNOWN = new Set(["8", "11", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25"]);

export const JDK_FILES = [".java-version", "system.properties", ".sdkmanrc", ".tool-versions"];

/** A version text as users write it → the JDK major, or why not. */
export function jdkMajor(raw: string): { ok: true; version: string } | { ok: false; reason: string } {
  // Vendor prefixes/suffixes (temurin-21.0.2+13, 21.0.2-tem, openjdk-17, zulu-11, corretto-21.0.1.12.1).
  const m = /(?:^|[^0-9.])(1\.(\d+)|\d+)(?:[.+_-]|$)/.exec(`-${raw.trim()}`);
  if (!m) return { ok: false, reason: "it is not a Java version" };
  const major = m[2] ?? m[1]!;
  if (!KNOWN.has(major)) return { ok: false, reason: `there is no eclipse-temurin image for Java ${major}` };
  return { ok: true, version: major };
}

export interface BuildFileJdk {
  raw: string;
  /** "pom.xml maven.compiler.release", "build.gradle.kts toolchain languageVersion". */
  source: string;
}

/** Version files and the build arg (everything but the build file). */
export async function jdkCandidates(ctx: BuildContext, javaVersionArg: string | undefined): Promise<VersionCandidate[]> {
  const props = await readText(ctx, "system.properties");
  const sdkman = await readText(ctx, ".sdkmanrc");
  const tools = await readText(ctx, ".tool-versions");
  return [
    { raw: javaVersionArg, source: "build arg JAVA_VERSION" },
    { raw: await readVersionFile(ctx, ".java-version"), source: ".java-version" },
    { raw: props?.match(/^\s*java\.runtime\.version\s*[=:]\s*(\S+)/m)?.[1], source: "system.properties java.runtime.version" },
    { raw: sdkman?.match(/^\s*java\s*=\s*(\S+)/m)?.[1], source: ".sdkmanrc java" },
    { raw: tools?.match(/^\s*java\s+(\S+)/m)?.[1], source: ".tool-versions java" },
  ];
}

export async function pickJdk(ctx: BuildContext, javaVersionArg: string | undefined, fromBuild: BuildFileJdk | undefined): Promise<VersionPick> {
  const candidates = [...(await jdkCandidates(ctx, javaVersionArg)), ...(fromBuild ? [{ raw: fromBuild.raw, source: fromBuild.source }] : [])];
  return pickVersion("Java", candidates, jdkMajor, DEFAULT_JDK, "Use a major version such as 17 or 21");
}

/** A build-file value that is a property reference (`${java.version}`) is resolved by the caller or ignored. */
export function literalVersion(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t && /^[0-9][0-9.]*$/.test(t) ? t : undefined;
}

/** Gradle: toolchain languageVersion, else sourceCompatibility/targetCompatibility (Groovy or Kotlin DSL). */
export function gradleJdk(text: string, file: string): BuildFileJdk | undefined {
  const t = stripComments(text);
  const tool = /languageVersion\s*(?:=|\.set\s*\()?\s*JavaLanguageVersion\.of\(\s*["']?(\d+)["']?\s*\)/.exec(t);
  if (tool) return { raw: tool[1]!, source: `${file} toolchain languageVersion` };
  const jvmToolchain = /jvmToolchain\s*\(\s*(\d+)\s*\)/.exec(t);
  if (jvmToolchain) return { raw: jvmToolchain[1]!, source: `${file} jvmToolchain` };
  const compat = /(?:source|target)Compatibility\s*=\s*(?:JavaVersion\.VERSION_(\d+(?:_\d+)?)|["']?(\d+(?:\.\d+)?)["']?)/.exec(t);
  if (compat) return { raw: (compat[1] ?? compat[2]!).replace("_", "."), source: `${file} sourceCompatibility` };
  return undefined;
}

/** `--release 17`, `-release:17`, `-target 17`, `-java-output-version 17` in sbt javacOptions/scalacOptions or Leiningen :javac-options. */
export function compilerFlagJdk(text: string, file: string, what: string): BuildFileJdk | undefined {
  const t = stripComments(text);
  const m = /["'](?:--release|-release|-target|-java-output-version|--target)["']\s*,?\s*["'](\d+(?:\.\d+)?)["']|["']-(?:release|target|java-output-version):(\d+(?:\.\d+)?)["']/.exec(t);
  if (!m) return undefined;
  return { raw: m[1] ?? m[2]!, source: `${file} ${what}` };
}

/** Line and block comments out (// and /* *\/ in Gradle/sbt; ; in Clojure is handled by its reader). */
export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'])\/\/.*$/gm, "$1");
}

export function requireJdkAtLeast(pick: VersionPick, min: number, why: string, file: string): void {
  if (Number(pick.version) < min) throw new UserError(`${why} needs Java ${min} or newer, but ${pick.source} gives Java ${pick.version}; raise it.`, file);
}

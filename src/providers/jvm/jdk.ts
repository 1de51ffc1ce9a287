// The JDK an app builds and runs on, first hit wins: the JAVA_VERSION build
// arg, .java-version, system.properties (java.runtime.version, Heroku's
// file), .sdkmanrc, .tool-versions / mise.toml, then what the build file asks
// the compiler to target (Maven's release/source properties, Gradle
// toolchains, sbt/Leiningen javac options), then 21. The build file also
// bounds the others: its compiler target is a floor (javac cannot target a
// newer release than itself), and a Gradle toolchain is exact (Gradle looks
// for that JDK and fails without it). A version file outside those bounds is
// overruled with a warning; a build arg outside them is an error. Images are
// chosen by major version, so every source is reduced to one: `1.8` → 8,
// `17.0.2` → 17, `temurin-21.0.2+13` → 21.
import { readText, readVersionFile, UserError, type BuildContext } from "../../context/fs.js";
import { pickVersion, type VersionCandidate, type VersionPick } from "../../kit/version-pick.js";
import { toolVersion, TOOL_VERSION_FILES } from "../../manifest/tool-versions.js";

export const DEFAULT_JDK = "21";

/** Majors with official eclipse-temurin images (JRE and JDK). */
const KNOWN = new Set(["8", "11", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25"]);

export const JDK_FILES = [".java-version", "system.properties", ".sdkmanrc", ...TOOL_VERSION_FILES];

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
  /** A Gradle toolchain: the build needs exactly this JDK (a compiler target only needs at least it). */
  exact?: boolean;
  /** What a framework needs (Spring Boot 3: Java 17), not what the build asks for: it raises a lower version file, never the default. */
  floorOnly?: boolean;
}

/** Version files and the build arg (everything but the build file). */
export async function jdkCandidates(ctx: BuildContext, javaVersionArg: string | undefined): Promise<VersionCandidate[]> {
  const props = await readText(ctx, "system.properties");
  const sdkman = await readText(ctx, ".sdkmanrc");
  // asdf's .tool-versions and mise's files, mise's precedence among them.
  const tool = await toolVersion(ctx, "java");
  return [
    { raw: javaVersionArg, source: "build arg JAVA_VERSION" },
    { raw: await readVersionFile(ctx, ".java-version"), source: ".java-version" },
    { raw: props?.match(/^\s*java\.runtime\.version\s*[=:]\s*(\S+)/m)?.[1], source: "system.properties java.runtime.version" },
    { raw: sdkman?.match(/^\s*java\s*=\s*(\S+)/m)?.[1], source: ".sdkmanrc java" },
    { raw: tool?.version, source: `${tool?.file ?? ".tool-versions"} java` },
  ];
}

const HINT = "Use a major version such as 17 or 21";

/** The JDK, within what the build file allows (see the top of this file); `warnings` gets the overruled version file. */
export async function pickJdk(ctx: BuildContext, javaVersionArg: string | undefined, fromBuild: BuildFileJdk | undefined, warnings: string[] = []): Promise<VersionPick> {
  const chosen = pickVersion("Java", await jdkCandidates(ctx, javaVersionArg), jdkMajor, DEFAULT_JDK, HINT);
  if (!fromBuild) return chosen;
  const build = pickVersion("Java", [{ raw: fromBuild.raw, source: fromBuild.source }], jdkMajor, DEFAULT_JDK, HINT);
  if (chosen.source === "default") return fromBuild.floorOnly && Number(chosen.version) >= Number(build.version) ? chosen : build;
  const outside = fromBuild.exact ? chosen.version !== build.version : Number(chosen.version) < Number(build.version);
  if (!outside) return chosen;
  const why = fromBuild.exact ? `${build.source} makes Gradle compile with exactly Java ${build.version}` : `${build.source} needs Java ${build.version} or newer`;
  if (chosen.source === "build arg JAVA_VERSION") {
    throw new UserError(`build arg JAVA_VERSION=${chosen.version}, but ${why}; set JAVA_VERSION=${build.version} or change the build file.`, sourceFileOf(build.source));
  }
  warnings.push(`${chosen.source} asks for Java ${chosen.version}, but ${why}: building and running on Java ${build.version}. Align ${sourceFileOf(chosen.source)} with the build file.`);
  return build;
}

function sourceFileOf(source: string): string {
  return source.split(" ")[0]!;
}

/** A build-file value that is a property reference (`${java.version}`) is resolved by the caller or ignored. */
export function literalVersion(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t && /^[0-9][0-9.]*$/.test(t) ? t : undefined;
}

/**
 * Gradle: the toolchain (languageVersion, Kotlin's jvmToolchain: exact), else the compiler's
 * target: sourceCompatibility/targetCompatibility (`JavaVersion.VERSION_17`, `JavaVersion.toVersion("17")`,
 * `'17'`), JavaCompile's `options.release`, Kotlin's `jvmTarget` (`JvmTarget.JVM_17`, `"17"`).
 */
export function gradleJdk(text: string, file: string): BuildFileJdk | undefined {
  const t = stripComments(text);
  const tool = /languageVersion\s*(?:=|\.set\s*\()?\s*JavaLanguageVersion\.of\(\s*["']?(\d+)["']?\s*\)/.exec(t);
  if (tool) return { raw: tool[1]!, source: `${file} toolchain languageVersion`, exact: true };
  const jvmToolchain = /jvmToolchain\s*\(\s*(\d+)\s*\)/.exec(t);
  if (jvmToolchain) return { raw: jvmToolchain[1]!, source: `${file} jvmToolchain`, exact: true };
  const version = String.raw`(?:JavaVersion\.(?:VERSION_(\d+(?:_\d+)?)|toVersion\s*\(\s*["']?(\d+(?:\.\d+)?)["']?\s*\))|["']?(\d+(?:\.\d+)?)["']?)`;
  const compat = new RegExp(String.raw`(?:source|target)Compatibility\s*(?:=|\.set\s*\()\s*${version}`).exec(t);
  if (compat) return { raw: (compat[1] ?? compat[2] ?? compat[3]!).replace("_", "."), source: `${file} sourceCompatibility` };
  const release = /options\.release\s*(?:=|\.set\s*\()\s*(\d+)/.exec(t);
  if (release) return { raw: release[1]!, source: `${file} options.release` };
  const jvmTarget = /jvmTarget\s*(?:=|\.set\s*\()\s*(?:JvmTarget\.JVM_(\d+(?:_\d+)?)|["'](\d+(?:\.\d+)?)["'])/.exec(t);
  if (jvmTarget) return { raw: (jvmTarget[1] ?? jvmTarget[2]!).replace("_", "."), source: `${file} jvmTarget` };
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

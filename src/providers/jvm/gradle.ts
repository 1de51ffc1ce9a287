// Gradle (Java or Kotlin, Groovy or Kotlin DSL). Build scripts are programs,
// so they are read for what Gradle's own conventions make visible: plugin ids
// (Spring Boot, Shadow, Quarkus, Ktor, Micronaut, `application`), the
// projects settings.gradle(.kts) includes, rootProject.name, toolchains. The
// task that makes the runnable artifact is run for the one project that has
// it: bootJar, shadowJar, quarkusBuild, buildFatJar or installDist.
import { isFile, readText, UserError, type BuildContext } from "../../context/fs.js";
import type { CacheDef, Step } from "../../kit/schema.js";
import { firstExisting } from "../../kit/files.js";
import { bootLayered, collectArtifact, type Artifact } from "./artifact.js";
import { gradleJdk, stripComments, type BuildFileJdk } from "./jdk.js";
import { sourceCopy } from "./plan.js";
import { parseToml } from "../../manifest/toml.js";
import { DROPWIZARD_DEPENDENCY } from "./dropwizard.js";
import { QUARKUS_CONFIG, quarkusUberJar, uberJarInGradle, uberJarInProperties } from "./quarkus.js";

/**
 * Plugins from the version catalog (gradle/libs.versions.toml `[plugins]`), by the accessor
 * build scripts use: `alias(libs.plugins.spring.boot)` → org.springframework.boot and its version.
 */
export async function catalogPlugins(ctx: BuildContext): Promise<Map<string, { id: string; version?: string }>> {
  const file = "gradle/libs.versions.toml";
  const text = await readText(ctx, file);
  const out = new Map<string, { id: string; version?: string }>();
  if (text === undefined) return out;
  const toml = parseToml(text, file);
  const versions = (toml.versions ?? {}) as Record<string, unknown>;
  for (const [key, v] of Object.entries((toml.plugins ?? {}) as Record<string, unknown>)) {
    const entry = typeof v === "string" ? { id: v.split(":")[0], version: v.split(":")[1] } : (v as Record<string, unknown>);
    const id = typeof entry.id === "string" ? entry.id : undefined;
    if (!id) continue;
    const ver = entry.version;
    const version =
      typeof ver === "string" ? ver : ver && typeof ver === "object" && typeof (ver as Record<string, unknown>).ref === "string" ? String(versions[(ver as Record<string, string>).ref!] ?? "") || undefined : undefined;
    // Gradle's accessor: separators -, _ and . all become dots.
    out.set(key.replace(/[-_]/g, "."), { id, version });
  }
  return out;
}

/** `alias(libs.plugins.x.y)` written out as `id("<id>") version "<v>"`, so plugin checks see catalog plugins. */
export function expandAliases(text: string, catalog: Map<string, { id: string; version?: string }>): string {
  return text.replace(/\balias\s*\(\s*libs\.plugins\.([\w.]+)\s*\)/g, (all, accessor: string) => {
    const p = catalog.get(accessor);
    return p ? `id("${p.id}")${p.version ? ` version "${p.version}"` : ""}` : all;
  });
}

export const GRADLE_BUILD_FILES = ["build.gradle.kts", "build.gradle"];
export const GRADLE_SETTINGS = ["settings.gradle.kts", "settings.gradle"];
/** Where precompiled script plugins (convention plugins) live in buildSrc or an included build, and its build files. */
const conventionFiles = (dir: string) => [
  `${dir}/src/main/kotlin/*.gradle.kts`,
  `${dir}/src/main/groovy/*.gradle`,
  ...GRADLE_BUILD_FILES.map((f) => `${dir}/${f}`),
];

// Kotlin's detection looks at included projects and convention plugins: the usual places are read in the first pass
// (first-level projects, buildSrc, build-logic); the rest come with the second.
export const GRADLE_READS = [
  ...GRADLE_BUILD_FILES,
  ...GRADLE_SETTINGS,
  "gradlew",
  "gradle/wrapper/gradle-wrapper.properties",
  "gradle.properties",
  QUARKUS_CONFIG,
  ...GRADLE_BUILD_FILES.map((f) => `*/${f}`),
  `*/${QUARKUS_CONFIG}`,
  ...conventionFiles("buildSrc"),
  ...conventionFiles("build-logic"),
  ...conventionFiles("build-logic/*"),
];

/** Builds settings includes (`includeBuild("build-logic")`), inside the context. */
function includedBuildDirs(settings: string): string[] {
  return [...stripComments(settings).matchAll(/\bincludeBuild\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!.replace(/^\.\/|\/+$/g, "")).filter((d) => d && !d.startsWith("..") && !d.startsWith("/"));
}

/**
 * Convention plugins: precompiled script plugins in buildSrc or an included build (`build-logic`,
 * or its subprojects `build-logic/convention`), by plugin id (the file name without .gradle(.kts)),
 * and the text of those builds' own build files (their classpath names plugin versions).
 */
export async function conventionPlugins(ctx: BuildContext, settings: string, catalog: Map<string, { id: string; version?: string }>): Promise<{ scripts: Map<string, string>; buildFiles: string }> {
  const scripts = new Map<string, string>();
  let buildFiles = "";
  const roots = ["buildSrc"];
  for (const base of includedBuildDirs(settings)) {
    roots.push(base);
    for (const e of (await ctx.readDir(base)) ?? []) if (e.kind === "dir" && e.name !== "src" && e.name !== "build" && !e.name.startsWith(".")) roots.push(`${base}/${e.name}`);
  }
  for (const root of roots) {
    for (const f of GRADLE_BUILD_FILES) buildFiles += `${(await readText(ctx, `${root}/${f}`)) ?? ""}\n`;
    for (const lang of ["kotlin", "groovy"]) {
      const dir = `${root}/src/main/${lang}`;
      for (const e of (await ctx.readDir(dir)) ?? []) {
        const id = /^(.+)\.gradle(?:\.kts)?$/.exec(e.name)?.[1];
        if (e.kind !== "file" || !id || scripts.has(id)) continue;
        scripts.set(id, expandAliases(stripComments((await readText(ctx, `${dir}/${e.name}`)) ?? ""), catalog));
      }
    }
  }
  return { scripts, buildFiles };
}

/** A build script with the convention plugins it applies written in after it (recursively). */
function withConventions(text: string, scripts: Map<string, string>, seen = new Set<string>()): string {
  let out = text;
  for (const [id, script] of scripts) {
    if (seen.has(id) || !hasPlugin(text, [id])) continue;
    seen.add(id);
    out += `\n${withConventions(script, scripts, seen)}`;
  }
  return out;
}

export interface GradleProject {
  /** Gradle path (":" for the root, ":services:api"). */
  path: string;
  /** Folder relative to the context ("" for the root). */
  dir: string;
  name: string;
  buildFile?: string;
  text: string;
}

export interface GradleFacts {
  projects: GradleProject[];
  /** Builds settings includes (`includeBuild("build-logic")`): convention plugins the build needs to configure. */
  includedBuilds: string[];
  app: GradleProject;
  wrapper: boolean;
  gradleVersion?: string;
  artifact: Artifact;
  task: string;
  framework?: string;
  portFlag?: string;
  jdk?: BuildFileJdk;
  kotlin: boolean;
  warnings: string[];
}

/** Plugin ids, as `id("x")`, `id 'x'`, `apply plugin: 'x'`, or the `kotlin("jvm")`/`application` shorthands. */
function hasPlugin(text: string, ids: string[]): boolean {
  return ids.some((id) => {
    const q = id.replace(/\./g, "\\.");
    return new RegExp(`(?:\\bid\\s*\\(?\\s*["']${q}["']|apply\\s*\\(?\\s*plugin\\s*[:=]\\s*["']${q}["'])`).test(text);
  });
}

export function isKotlinBuild(text: string): boolean {
  const t = stripComments(text);
  return hasPlugin(t, ["org.jetbrains.kotlin.jvm", "kotlin", "org.jetbrains.kotlin.plugin.spring", "kotlin-jvm"]) || /\bkotlin\s*\(\s*["']jvm["']\s*\)/.test(t) || /kotlin-gradle-plugin/.test(t);
}

/**
 * What a build script applies to its own project: without plugins only declared for others
 * (`id("x") version "1" apply false`, the usual root of a multi-project build) and without
 * its `subprojects { }` blocks.
 */
export function appliedText(text: string): string {
  const declared = /\bid\s*\(?\s*["'][^"']+["']\s*\)?(?:\s*version\s*\(?\s*["'][^"']*["']\s*\)?)?\s*apply\s*\(?\s*false\s*\)?/g;
  return blocks(text.replace(declared, ""), "subprojects").rest;
}

/** What the root's `subprojects { }` and `allprojects { }` blocks apply to every other project. */
function sharedText(rootText: string): string {
  return [...blocks(rootText, "subprojects").inner, ...blocks(rootText, "allprojects").inner].join("\n");
}

/** `name { ... }` blocks: their insides, and the text without them (braces balanced; enough for build scripts' structure). */
function blocks(text: string, name: string): { inner: string[]; rest: string } {
  const inner: string[] = [];
  let rest = text;
  const re = new RegExp(`\\b${name}\\s*\\{`);
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    const open = m.index + m[0].length - 1;
    let depth = 0;
    let i = open;
    for (; i < rest.length; i++) {
      if (rest[i] === "{") depth++;
      else if (rest[i] === "}" && --depth === 0) break;
    }
    inner.push(rest.slice(open + 1, i));
    rest = rest.slice(0, m.index) + rest.slice(i + 1);
  }
  return { inner, rest };
}

function isApplication(text: string): boolean {
  return hasPlugin(text, ["application", "io.micronaut.application"]) || /^\s*application\s*$/m.test(text) || /plugins\s*\{[^}]*\bapplication\b[^}]*\}/.test(text);
}

/** `include("a", ":b:c")`, `include 'a', 'b'` → project paths. */
function includes(settings: string): string[] {
  const out: string[] = [];
  for (const m of stripComments(settings).matchAll(/\binclude\s*\(?([^\n)]*)/g)) {
    for (const q of m[1]!.matchAll(/["']([^"']+)["']/g)) out.push(q[1]!.startsWith(":") ? q[1]! : `:${q[1]!}`);
  }
  return [...new Set(out)];
}

/** Included projects' build files. */
export async function includedBuildFiles(ctx: BuildContext): Promise<string[]> {
  const settingsFile = await firstExisting(ctx, GRADLE_SETTINGS);
  const settings = settingsFile ? ((await readText(ctx, settingsFile)) ?? "") : "";
  return includes(settings).flatMap((p) => GRADLE_BUILD_FILES.map((f) => `${p.slice(1).replace(/:/g, "/")}/${f}`));
}

/** Projects' build files (and Quarkus' config), included builds' convention plugins, for detection's second pass. */
export async function gradleFollowUp(ctx: BuildContext): Promise<string[]> {
  const files = await includedBuildFiles(ctx);
  const dirs = [...new Set(files.map((f) => f.slice(0, f.lastIndexOf("/"))))];
  const settingsFile = await firstExisting(ctx, GRADLE_SETTINGS);
  const builds = includedBuildDirs(settingsFile ? ((await readText(ctx, settingsFile)) ?? "") : "");
  return [...files, ...dirs.map((d) => `${d}/${QUARKUS_CONFIG}`), ...builds.flatMap((b) => [...conventionFiles(b), ...conventionFiles(`${b}/*`)])];
}

export async function gradleFacts(ctx: BuildContext, moduleArg: string | undefined): Promise<GradleFacts> {
  const settingsFile = await firstExisting(ctx, GRADLE_SETTINGS);
  const settings = settingsFile ? stripComments((await readText(ctx, settingsFile)) ?? "") : "";
  // Gradle names the root project after its folder, which is /build in the builder.
  const rootName = /rootProject\.name\s*=\s*["']([^"']+)["']/.exec(settings)?.[1] ?? "build";
  const projects: GradleProject[] = [];
  const catalog = await catalogPlugins(ctx);
  const conventions = await conventionPlugins(ctx, settings, catalog);
  for (const path of [":", ...includes(settings)]) {
    const dir = path === ":" ? "" : path.slice(1).replace(/:/g, "/");
    const buildFile = await firstExisting(ctx, GRADLE_BUILD_FILES.map((f) => (dir ? `${dir}/${f}` : f)));
    const text = buildFile ? withConventions(expandAliases(stripComments((await readText(ctx, buildFile)) ?? ""), catalog), conventions.scripts) : "";
    projects.push({ path, dir, name: path === ":" ? rootName : path.split(":").pop()!, buildFile, text });
  }
  const warnings: string[] = [];
  const root = projects[0]!;
  const shared = sharedText(root.text);
  const kindOf = (p: GradleProject) => projectKind(p === root ? appliedText(p.text) : `${appliedText(p.text)}\n${shared}`);
  let app: GradleProject;
  if (moduleArg) {
    const want = moduleArg.replace(/^:|^\.\/|\/+$/g, "");
    const found = projects.find((p) => p.dir === want || p.path === `:${want.replace(/\//g, ":")}` || (p.path === ":" && (want === "" || want === ".")));
    if (!found) throw new UserError(`build arg JVM_MODULE=${moduleArg}: no such project in ${settingsFile ?? "settings.gradle"} (projects: ${projects.map((p) => p.path).join(", ")}).`, settingsFile);
    app = found;
  } else {
    const candidates = projects.filter((p) => kindOf(p) !== undefined);
    if (candidates.length > 1) {
      throw new UserError(
        `${settingsFile ?? "settings.gradle"}: several projects build a runnable application (${candidates.map((c) => `${c.path} (${kindOf(c)!.plugin})`).join(", ")}); set the build arg JVM_MODULE to the one to run, e.g. --build-arg JVM_MODULE=${candidates[0]!.dir || ":"}.`,
        settingsFile,
      );
    }
    app = candidates[0] ?? root;
  }
  const kind = kindOf(app);
  const prefix = app.path === ":" ? ":" : `${app.path}:`;
  const out = app.dir ? `${app.dir}/build` : "build";
  let artifact: Artifact;
  let task: string;
  let boot: string | undefined;
  const gradleProps = (await readText(ctx, "gradle.properties")) ?? "";
  // installDist writes build/install/<applicationName> (the project's name unless set).
  const installName = /\b(?:applicationName|distributionBaseName)\s*(?:=|\.set\s*\()\s*["']([\w.-]+)["']/.exec(appliedText(app.text))?.[1] ?? app.name;
  const quarkusUber =
    kind?.output === "quarkus" && ((await quarkusUberJar(ctx, app.dir)) || uberJarInProperties(gradleProps) || uberJarInGradle(app.text) || uberJarInGradle(root.text));
  if (!kind) {
    task = `${prefix}assemble`;
    artifact = { kind: "jar", dir: `${out}/libs`, by: "the jar task" };
    warnings.push(
      `${app.buildFile ?? "build.gradle"}: no plugin that makes a runnable jar or start script (Spring Boot, Shadow, Quarkus, Ktor, application); the plain jar may not start. Add one, or set RUN_COMMAND.`,
    );
  } else {
    task = `${prefix}${kind.task}`;
    artifact =
      kind.output === "quarkus"
        ? quarkusUber
          ? // Quarkus writes the uber-jar to build/, not build/libs.
            { kind: "jar", dir: out, prefer: ["*-runner.jar"], by: `${kind.plugin} (uber-jar)` }
          : { kind: "dir", dir: out, name: "quarkus-app", lib: "lib", jar: "quarkus-run.jar", by: kind.plugin }
        : kind.output === "install"
          ? { kind: "stage", dir: `${out}/install/${installName}`, script: installName, by: kind.plugin }
          : { kind: "jar", dir: `${out}/libs`, prefer: kind.prefer, by: kind.plugin };
    boot = kind.task === "bootJar" ? [app.text, root.text, settings, conventions.buildFiles].map((t) => bootPluginVersion(t, `${t}\n${gradleProps}`)).find(Boolean) : undefined;
    if (artifact.kind === "jar" && bootLayered(boot)) artifact = { kind: "boot", jar: artifact, bootVersion: boot, by: kind.plugin };
  }
  const wrapperProps = await readText(ctx, "gradle/wrapper/gradle-wrapper.properties");
  const includedBuilds = includedBuildDirs(settings);
  return {
    projects,
    includedBuilds,
    app,
    wrapper: await isFile(ctx, "gradlew"),
    gradleVersion: wrapperProps?.match(/distributionUrl=.*gradle-([0-9][^-/]*)-(?:bin|all)\.zip/)?.[1],
    artifact,
    task,
    framework: kind?.framework,
    portFlag: kind?.portFlag,
    jdk:
      (app.buildFile && gradleJdk(app.text, app.buildFile)) ||
      (root.buildFile ? gradleJdk(root.text, root.buildFile) : undefined) ||
      // Spring Boot 3 needs Java 17.
      (boot && Number(boot.split(".")[0]) >= 3 ? { raw: "17", source: `${app.buildFile ?? root.buildFile ?? "build.gradle"} org.springframework.boot ${boot}`, floorOnly: true } : undefined),
    kotlin: projects.some((p) => isKotlinBuild(p.text)),
    warnings,
  };
}

/**
 * Spring Boot's version: `id 'org.springframework.boot' version '3.4.1'` (a build script's or settings'
 * pluginManagement), or the buildscript classpath's `spring-boot-gradle-plugin:2.7.18`; a `${name}`
 * is looked up in `vars` (the script's `name = '...'`/ext, gradle.properties).
 */
function bootPluginVersion(text: string, vars: string): string | undefined {
  const raw =
    /id\s*\(?\s*["']org\.springframework\.boot["']\s*\)?\s*version\s*\(?\s*["']([^"']+)["']/.exec(text)?.[1] ??
    /["']org\.springframework\.boot:spring-boot-gradle-plugin:([^"']+)["']/.exec(text)?.[1];
  const ref = /^\$\{?([\w.]+)\}?$/.exec(raw ?? "")?.[1];
  if (!ref) return raw;
  const name = ref.replace(/^(?:project|rootProject)\.(?:ext\.)?|^ext\./, "").replace(/\./g, "\\.");
  return new RegExp(`^\\s*(?:ext\\.|set\\(\\s*["'])?${name}["']?\\s*[=:,]\\s*["']?([0-9][\\w.-]*)`, "m").exec(vars)?.[1];
}

interface Kind {
  plugin: string;
  task: string;
  output: "jar" | "quarkus" | "install";
  prefer?: string[];
  framework?: string;
  portFlag?: string;
}

/** What the plugins a project applies (`t`: its script as appliedText gives it, with what the root applies to it) make it build. */
function projectKind(t: string): Kind | undefined {
  const micronaut = hasPlugin(t, ["io.micronaut.application", "io.micronaut.minimal.application"]);
  // Ktor's EngineMain reads ktor.* system properties over application.conf/.yaml (whose port is often fixed).
  const ktor = hasPlugin(t, ["io.ktor.plugin"]) || /["']io\.ktor:ktor-server|\blibs\.ktor\.server\b/.test(t);
  const fw = micronaut
    ? { framework: "micronaut", portFlag: "-Dmicronaut.server.port=$PORT" }
    : ktor
      ? { framework: "ktor", portFlag: "-Dktor.deployment.port=$PORT" }
      : DROPWIZARD_DEPENDENCY.test(t)
        ? { framework: "dropwizard" }
        : {};
  // A library with Spring Boot applied (often to every subproject) turns bootJar off.
  const bootJarOff = /\bbootJar\b[^\n{]*?\benabled\s*(?:=|\.set\s*\()\s*false|\bbootJar\b["')>\s]*\{[^{}]*\benabled\s*(?:=|\.set\s*\()\s*false/i.test(t);
  if (hasPlugin(t, ["org.springframework.boot"]) && !bootJarOff) return { plugin: "org.springframework.boot", task: "bootJar", output: "jar", framework: "spring-boot", portFlag: "-Dserver.port=$PORT" };
  if (hasPlugin(t, ["io.quarkus"])) return { plugin: "io.quarkus", task: "quarkusBuild", output: "quarkus", framework: "quarkus", portFlag: "-Dquarkus.http.port=$PORT" };
  if (hasPlugin(t, ["com.github.johnrengelman.shadow", "com.gradleup.shadow", "io.github.goooler.shadow"])) return { plugin: "shadow", task: "shadowJar", output: "jar", prefer: ["*-all.jar"], ...fw };
  if (hasPlugin(t, ["io.ktor.plugin"])) return { plugin: "io.ktor.plugin", task: "buildFatJar", output: "jar", prefer: ["*-all.jar"], ...fw };
  // A start script passes its arguments to the app, not the JVM: only Micronaut's flag (Micronaut reads -D arguments) goes there.
  if (isApplication(t)) return { plugin: "application", task: "installDist", output: "install", ...(micronaut ? fw : fw.framework ? { framework: fw.framework } : {}) };
  return undefined;
}

export const GRADLE_CACHES: Record<string, CacheDef> = {
  gradle: { id: "gradle-caches", target: "/root/.gradle/caches", sharing: "shared" },
  // Distributions the Gradle wrapper downloads (distributionUrl).
  gradlewrapper: { id: "gradle-wrapper", target: "/root/.gradle/wrapper", sharing: "shared" },
};

export const GRADLE_ENV: [string, string][] = [["GRADLE_USER_HOME", "/root/.gradle"]];

export function gradleSteps(f: GradleFacts, buildCommand: string | undefined): Step[] {
  const g = f.wrapper ? "./gradlew" : "gradle";
  const prep = f.wrapper ? "chmod +x gradlew && " : "";
  const prefix = f.app.path === ":" ? ":" : `${f.app.path}:`;
  const warm = [...new Set([":dependencies", `${prefix}dependencies`])].join(" ");
  return [
    {
      kind: "copy",
      name: "copy Gradle build files",
      from: "context",
      paths: ["."],
      dest: "/build",
      include: ["**/build.gradle", "**/build.gradle.kts", "settings.gradle", "settings.gradle.kts", "**/gradle.properties", "gradle/**", "gradlew", "buildSrc/**", ...f.includedBuilds.map((d) => `${d}/**`)],
      exclude: ["**/build", "**/.gradle"],
    },
    {
      kind: "run",
      name: "resolve Gradle dependencies",
      // Configuring the build resolves its plugins (and downloads the wrapper's Gradle); `dependencies` resolves the app's configurations.
      shell: `${prep}${g} --no-daemon -q ${warm} > /dev/null || echo 'migetpacks: some dependencies could not be resolved from the build files alone; the build resolves them' >&2`,
      caches: ["gradle", "gradlewrapper"],
      env: [],
    },
    sourceCopy(["build", "**/build", ".gradle", "**/.gradle"]),
    { kind: "run", name: "gradle build", shell: `${buildCommand ?? `${prep}${g} --no-daemon ${f.task}`} && { ${collectArtifact(f.artifact)}; }`, caches: ["gradle", "gradlewrapper"], env: [] },
  ];
}

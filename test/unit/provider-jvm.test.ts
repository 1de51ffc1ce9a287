// Java, Kotlin, Scala and Clojure: detection and precedence, JDK version
// sources, the runnable artifact, multi-module selection, commands, errors.
import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import type { BuildContext } from "../../src/context/fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { followUpReads, isDeclaredRead } from "../../src/detect/follow-up.js";
import { detectionReads } from "../../src/detect/registry.js";
import { RecordingContext } from "../../src/context/recording.js";
import { jdkMajor } from "../../src/providers/jvm/jdk.js";
import { rewriteCommand } from "../../src/providers/jvm/artifact.js";
import type { BuildPlan, PlanRunStep } from "../../src/kit/schema.js";
import { MemoryContext } from "../helpers/memory-context.js";
import { userError } from "../helpers/user-error.js";

type Files = Record<string, string>;
const fixture = (name: string) => new LocalContext(path.resolve(__dirname, "../../fixtures", name));
const plan = async (ctx: BuildContext, args: Files = {}) => (await buildPlan(ctx, args)).plan;
const mem = (files: Files, args: Files = {}) => plan(new MemoryContext(files), args);
const runs = (p: BuildPlan) => p.stages[0]!.steps.filter((s): s is PlanRunStep => s.kind === "run");
const buildShell = (p: BuildPlan) => runs(p).at(-1)!.shell;


const pom = (inner: string, props = "") =>
  `<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>app</artifactId><version>1.0</version>${props ? `<properties>${props}</properties>` : ""}${inner}</project>`;
const plugins = (...ids: string[]) => `<build><plugins>${ids.map((id) => `<plugin><artifactId>${id}</artifactId></plugin>`).join("")}</plugins></build>`;
const BOOT_POM = pom(plugins("spring-boot-maven-plugin"), "<java.version>17</java.version>");

describe("JVM detection and precedence", () => {
  it.each([
    [{ "pom.xml": BOOT_POM }, "java"],
    [{ "build.gradle": "plugins { id 'java' }" }, "java"],
    [{ "settings.gradle": "rootProject.name = 'x'" }, "java"],
    // The Kotlin DSL is not Kotlin: a Java project's build.gradle.kts stays Java.
    [{ "build.gradle.kts": "plugins { java; application }", "settings.gradle.kts": 'rootProject.name = "x"' }, "java"],
    [{ "build.gradle.kts": 'plugins { kotlin("jvm") version "2.1.0"; application }' }, "kotlin"],
    [{ "build.gradle": "apply plugin: 'kotlin'\napply plugin: 'application'" }, "kotlin"],
    [{ "pom.xml": pom(plugins("kotlin-maven-plugin", "maven-shade-plugin")) }, "kotlin"],
    [{ "build.sbt": 'enablePlugins(JavaAppPackaging)\n', "project/plugins.sbt": 'addSbtPlugin("com.github.sbt" % "sbt-native-packager" % "1.10.4")' }, "scala"],
    [{ "project.clj": '(defproject a "1.0" :main a.core)' }, "clojure"],
    [{ "deps.edn": "{:aliases {:uberjar {}}}" }, "clojure"],
  ] as [Files, string][])("%o → %s", async (files, language) => {
    expect((await mem(files)).result.language).toBe(language);
  });

  it("Scala before Clojure before Kotlin before Java; Python markers before all", async () => {
    const sbt = { "build.sbt": "enablePlugins(JavaAppPackaging)", "project/plugins.sbt": "sbt-native-packager" };
    expect((await mem({ ...sbt, "pom.xml": BOOT_POM, "project.clj": '(defproject a "1" :main a.core)' })).result.language).toBe("scala");
    expect((await mem({ "project.clj": '(defproject a "1" :main a.core)', "pom.xml": BOOT_POM })).result.language).toBe("clojure");
    expect((await mem({ "pom.xml": BOOT_POM, "requirements.txt": "flask\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n" })).result.language).toBe("python");
  });

  it("a bare project/ folder is not Scala (sbt's real markers are build.sbt or project/build.properties)", async () => {
    expect((await mem({ "pom.xml": BOOT_POM, "project/notes.txt": "" })).result.language).toBe("java");
    expect((await mem({ "project/build.properties": "sbt.version=1.10.7\n", "project/plugins.sbt": "sbt-assembly" })).result.language).toBe("scala");
  });

  it("LANGUAGE=scala without build.sbt says what is missing", async () => {
    expect((await userError(mem({ "pom.xml": BOOT_POM }, { LANGUAGE: "scala" }))).message).toMatch(/no build\.sbt/);
    expect((await mem({ "pom.xml": BOOT_POM }, { LANGUAGE: "kotlin" })).result.language).toBe("kotlin");
  });

  it("a Mill build is recognised and refused with the reason", async () => {
    expect((await userError(mem({ "build.sc": "object app extends ScalaModule" }))).message).toMatch(/Mill/);
  });

  it("loads only declared paths, and multi-module files in a second pass", async () => {
    const ctx = fixture("java-maven-multimodule");
    expect(await followUpReads(ctx, {})).toEqual([
      "app/*/pom.xml",
      "app/*/src/main/resources/application.properties",
      "app/pom.xml",
      "app/src/main/resources/application.properties",
      "core/*/pom.xml",
      "core/*/src/main/resources/application.properties",
      "core/pom.xml",
      "core/src/main/resources/application.properties",
    ]);
    for (const name of ["java-maven-multimodule", "kotlin-gradle-multi", "java-gradle-kts-wrapper", "scala-sbt", "clojure-deps"]) {
      const first = new RecordingContext(fixture(name));
      const extra = await followUpReads(first, {});
      expect([...first.paths].filter((p) => !isDeclaredRead(p, detectionReads())), name).toEqual([]);
      const rec = new RecordingContext(fixture(name));
      await buildPlan(rec, {});
      expect([...rec.paths].filter((p) => !isDeclaredRead(p, [...detectionReads(), ...extra])), name).toEqual([]);
    }
    const kts = fixture("kotlin-gradle-multi");
    expect(await followUpReads(kts, {})).toEqual([
      "app/build.gradle",
      "app/build.gradle.kts",
      "app/src/main/resources/application.properties",
      "lib/build.gradle",
      "lib/build.gradle.kts",
      "lib/src/main/resources/application.properties",
    ]);
  });
});

describe("JDK version", () => {
  it.each([
    ["17", "17"],
    ["1.8", "8"],
    ["11.0.22", "11"],
    ["21.0.2-tem", "21"],
    ["temurin-21.0.2+13", "21"],
    ["openjdk-17", "17"],
    ["corretto-21.0.1.12.1", "21"],
  ])("%s → %s", (raw, major) => expect(jdkMajor(raw)).toEqual({ ok: true, version: major }));

  it.each([["abc"], ["9"], ["1.5"]])("%s is refused", (raw) => expect(jdkMajor(raw).ok).toBe(false));

  const boot = { "pom.xml": BOOT_POM };
  it.each([
    [{ ...boot }, {}, "17", "pom.xml java.version"],
    [{ ...boot, "system.properties": "java.runtime.version=21\n" }, {}, "21", "system.properties java.runtime.version"],
    [{ ...boot, ".java-version": "21\n", "system.properties": "java.runtime.version=17" }, {}, "21", ".java-version"],
    [{ ...boot, ".sdkmanrc": "java=21.0.5-tem\n" }, {}, "21", ".sdkmanrc java"],
    [{ ...boot, ".tool-versions": "nodejs 22\njava temurin-21.0.5+11\n" }, {}, "21", ".tool-versions java"],
    [{ ...boot, ".java-version": "11" }, { JAVA_VERSION: "21" }, "21", "build arg JAVA_VERSION"],
    [{ "pom.xml": pom(plugins("spring-boot-maven-plugin"), "<jdk>21</jdk><maven.compiler.release>${jdk}</maven.compiler.release>") }, {}, "21", "pom.xml maven.compiler.release"],
    [{ "pom.xml": pom(plugins("maven-shade-plugin"), "<maven.compiler.source>1.8</maven.compiler.source>") }, {}, "8", "pom.xml maven.compiler.source"],
    [{ "pom.xml": pom(plugins("maven-shade-plugin")) }, {}, "21", "default"],
    [{ "build.gradle": "plugins { id 'org.springframework.boot' version '3.4.1' }\njava { sourceCompatibility = JavaVersion.VERSION_17 }" }, {}, "17", "build.gradle sourceCompatibility"],
  ] as [Files, Files, string, string][])("%o %o → Java %s from %s", async (files, args, version, source) => {
    const p = await mem(files, args);
    expect([p.result.version, p.result.versionSource]).toEqual([version, source]);
    expect(p.runtime.image).toBe(`eclipse-temurin:${version}-jre`);
  });

  it("a version that is not Java names the file and the fix", async () => {
    const e = await userError(mem({ ...boot, "system.properties": "java.runtime.version=banana" }));
    expect(e.file).toBe("system.properties");
    expect(e.message).toMatch(/17 or 21/);
  });
});

describe("Maven", () => {
  it("Spring Boot: go-offline from the poms alone, package, the fat jar by its finalName, its layers one image layer each, bound to PORT", async () => {
    const p = await plan(fixture("java-maven-spring"));
    expect(p.stages[0]).toMatchObject({ image: "maven:3-eclipse-temurin-17", platform: "build" });
    expect(p.stages[0]!.steps[0]).toMatchObject({ kind: "copy", include: ["**/pom.xml", "mvnw", ".mvn/**"] });
    expect(runs(p)[0]!.shell).toContain("maven-dependency-plugin:3.8.1:go-offline");
    expect(runs(p)[0]!.caches).toEqual(["m2", "m2wrapper"]);
    expect(p.caches.m2).toMatchObject({ target: "/root/.m2/repository" });
    expect(buildShell(p)).toMatch(/^mvn -B -DskipTests package && .*\[ -f target\/demo-0\.0\.1-SNAPSHOT\.jar \]/);
    // Spring Boot 3.4 (the starter parent): the tools jar mode extracts the layers, the 3.2+ launcher runs them.
    expect(buildShell(p)).toContain("java -Djarmode=tools -jar /build/out/app.jar extract --layers --launcher --destination /build/out/layers");
    const launcher = "org.springframework.boot.loader.launch.JarLauncher";
    expect(p.result).toMatchObject({ framework: "spring-boot", packageManager: "maven", runCommand: `java -Dserver.port=$PORT $JAVA_OPTS ${launcher}` });
    expect(p.runtime.cmd).toEqual(["/bin/sh", "-c", `exec java -Dserver.port=$PORT $JAVA_OPTS ${launcher}`]);
    expect(p.runtime.env).toContainEqual(["JAVA_OPTS", "-Dfile.encoding=UTF-8 -XX:MaxRAMPercentage=80.0"]);
    expect(p.runtime.copies.map((c) => [c.src, c.dest])).toEqual(
      ["dependencies", "spring-boot-loader", "snapshot-dependencies", "application"].map((l) => [`/build/out/layers/${l}`, "/app"]),
    );
  });

  it("Spring Boot 2.3–3.2 extracts with layertools and starts the older launcher; before 2.3 (no layers) the jar ships whole", async () => {
    const at = (v: string) => pom(plugins("spring-boot-maven-plugin")).replace("<modelVersion>4.0.0</modelVersion>", `<modelVersion>4.0.0</modelVersion><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>${v}</version></parent>`);
    const old = await mem({ "pom.xml": at("2.7.18") });
    expect(buildShell(old)).toContain("java -Djarmode=layertools -jar /build/out/app.jar extract --destination /build/out/layers");
    expect(old.result.runCommand).toBe("java -Dserver.port=$PORT $JAVA_OPTS org.springframework.boot.loader.JarLauncher");
    const older = await mem({ "pom.xml": at("2.2.13.RELEASE") });
    expect(older.runtime.copies.map((c) => c.dest)).toEqual(["/app/app.jar"]);
    const q = await mem({ "pom.xml": at("3.2.5"), Procfile: "web: java -Dserver.port=$PORT -jar target/app-1.0.jar" });
    expect(q.result.runCommand).toBe("java -Dserver.port=$PORT org.springframework.boot.loader.launch.JarLauncher");
  });

  it("wrapper: ./mvnw with its distribution cached; shade jar from <finalName>; a Procfile's target/ jar means the shipped one", async () => {
    const p = await plan(fixture("java-maven-wrapper-shade"));
    expect(runs(p)[0]!.shell).toMatch(/^chmod \+x mvnw && \.\/mvnw -B /);
    expect(p.caches.m2wrapper).toMatchObject({ target: "/root/.m2/wrapper" });
    expect(buildShell(p)).toContain("[ -f target/worker-api-service.jar ]");
    expect(p.result.runCommand).toBe("java $JAVA_OPTS -jar app.jar --port=$PORT");
  });

  it("assembly jar-with-dependencies and shade's attached classifier", async () => {
    const assembly = `<build><finalName>svc</finalName><plugins><plugin><artifactId>maven-assembly-plugin</artifactId><configuration><descriptorRefs><descriptorRef>jar-with-dependencies</descriptorRef></descriptorRefs></configuration></plugin></plugins></build>`;
    expect(buildShell(await mem({ "pom.xml": pom(assembly) }))).toContain("[ -f target/svc-jar-with-dependencies.jar ]");
    const shade = `<build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><configuration><shadedArtifactAttached>true</shadedArtifactAttached><shadedClassifierName>fat</shadedClassifierName></configuration></plugin></plugins></build>`;
    expect(buildShell(await mem({ "pom.xml": pom(shade) }))).toContain("[ -f target/app-1.0-fat.jar ]");
  });

  it("Dropwizard: `server <config>` with the config shipped beside the jar, its connector bound to PORT", async () => {
    const shade = `<dependencies><dependency><groupId>io.dropwizard</groupId><artifactId>dropwizard-core</artifactId></dependency></dependencies>${plugins("maven-shade-plugin")}`;
    const p = await mem({ "pom.xml": pom(shade), "config.yml": "logging:\n  level: INFO\nserver:\n  applicationConnectors:\n    - type: http\n      port: 8080\n", ".gitlab-ci.yml": "stages: [build]\n" });
    expect(p.result).toMatchObject({ framework: "dropwizard", runCommand: 'java "-Ddw.server.applicationConnectors[0].port=$PORT" $JAVA_OPTS -jar app.jar server config.yml' });
    expect(buildShell(p)).toContain("cp config.yml /build/out/config.yml");
    expect(p.runtime.copies.map((c) => [c.src, c.dest])).toEqual([
      ["/build/out/app.jar", "/app/app.jar"],
      ["/build/out/config.yml", "/app/config.yml"],
    ]);
    // The root's YAML files come in detection's second pass, for builds that name Dropwizard only.
    expect(await followUpReads(new MemoryContext({ "pom.xml": pom(shade) }), {})).toEqual(["*.yaml", "*.yml"]);
    expect(await followUpReads(new MemoryContext({ "pom.xml": BOOT_POM }), {})).toEqual([]);
    // The simple server's one connector; the config named after the app.
    const simple = await mem({ "pom.xml": pom(shade), "hello-world.yml": "server:\n  type: simple\n  connector:\n    type: http\n    port: 8080\n" });
    expect(simple.result.runCommand).toBe('java -Ddw.server.connector.port=$PORT $JAVA_OPTS -jar app.jar server hello-world.yml');
    // No config: Dropwizard's defaults.
    expect((await mem({ "pom.xml": pom(shade) })).result.runCommand).toBe('java "-Ddw.server.applicationConnectors[0].port=$PORT" $JAVA_OPTS -jar app.jar server');
    // Gradle with Shadow.
    const g = await mem({ "build.gradle": "plugins { id 'com.gradleup.shadow' version '8.3.5'; id 'application' }\ndependencies { implementation 'io.dropwizard:dropwizard-core:4.0.10' }\n", "config.yml": "server:\n  type: simple\n" });
    expect(g.result).toMatchObject({ framework: "dropwizard", runCommand: "java -Ddw.server.connector.port=$PORT $JAVA_OPTS -jar app.jar server config.yml" });
  });

  it("shade's outputFile (the Vert.x starter's -fat.jar beside the thin one) names the jar", async () => {
    const shade = `<build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><executions><execution><phase>package</phase><goals><goal>shade</goal></goals><configuration><outputFile>\${project.build.directory}/\${project.artifactId}-\${project.version}-fat.jar</outputFile></configuration></execution></executions></plugin></plugins></build>`;
    expect(buildShell(await mem({ "pom.xml": pom(shade) }))).toContain("[ -f target/app-1.0-fat.jar ]");
  });

  it("an unresolvable finalName falls back to the one jar found, with a warning", async () => {
    const p = await mem({ "pom.xml": pom(`<build><finalName>\${env.NAME}</finalName>${plugins("spring-boot-maven-plugin").slice(7)}`) });
    expect(buildShell(p)).toContain("jars=$(find target -maxdepth 1");
    expect(p.warnings.join()).toMatch(/properties not defined/);
  });

  it("Quarkus ships quarkus-app/ with lib/ as its own first layer", async () => {
    const p = await plan(fixture("java-maven-quarkus"));
    expect(p.runtime.copies.map((c) => [c.src, c.dest, c.exclude])).toEqual([
      ["/build/out/quarkus-app/lib", "/app/quarkus-app/lib", []],
      ["/build/out/quarkus-app", "/app/quarkus-app", ["lib"]],
    ]);
    expect(p.result.runCommand).toBe("java -Dquarkus.http.port=$PORT $JAVA_OPTS -jar quarkus-app/quarkus-run.jar");
  });

  it("multi-module: builds the module with the application (-pl app -am)", async () => {
    const p = await plan(fixture("java-maven-multimodule"));
    expect(buildShell(p)).toMatch(/^mvn -B -DskipTests -pl app -am package && .*\[ -f app\/target\/shop-app-1\.0\.0\.jar \]/);
    expect(p.result.versionSource).toBe("app/pom.xml java.version");
  });

  it("multi-module: several applications is an error naming them; JVM_MODULE chooses", async () => {
    const mod = (id: string) => `<project><modelVersion>4.0.0</modelVersion><parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version></parent><artifactId>${id}</artifactId>${plugins("spring-boot-maven-plugin")}</project>`;
    const files = { "pom.xml": pom("<packaging>pom</packaging><modules><module>api</module><module>admin</module></modules>"), "api/pom.xml": mod("api"), "admin/pom.xml": mod("admin") };
    const e = await userError(mem(files));
    expect(e.message).toMatch(/api \(spring-boot-maven-plugin\), admin \(spring-boot-maven-plugin\).*JVM_MODULE/);
    expect(buildShell(await mem(files, { JVM_MODULE: "admin" }))).toContain("-pl admin -am package");
    expect((await userError(mem(files, { JVM_MODULE: "web" }))).message).toMatch(/no such module.*api, admin/);
  });

  it("bad XML names the file and line; a war without Spring Boot is refused", async () => {
    const e = await userError(mem({ "pom.xml": "<project><artifactId>x</artifactId>\n<build></project>" }));
    expect(e.file).toBe("pom.xml");
    expect(e.message).toMatch(/line 2/);
    expect((await userError(mem({ "pom.xml": pom("<packaging>war</packaging>") }))).message).toMatch(/servlet container/);
  });

  it("a jar that bundles nothing is built with a warning", async () => {
    const p = await mem({ "pom.xml": pom("<dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId><version>1</version></dependency></dependencies>") });
    expect(p.warnings.join()).toMatch(/does not bundle its dependencies/);
  });
});

describe("Maven fixtures from real layouts", () => {
  it("Micronaut Launch (java-maven-micronaut): the shaded jar by name, Java 17 from release.version, bound to PORT", async () => {
    const p = await plan(fixture("java-maven-micronaut"));
    expect(p.result).toMatchObject({ language: "java", version: "17", versionSource: "pom.xml release.version", framework: "micronaut" });
    expect(p.stages[0]!.image).toBe("maven:3-eclipse-temurin-17");
    expect(buildShell(p)).toMatch(/^mvn -B -DskipTests package && .*\[ -f target\/micronaut-hello-0\.1\.jar \]/);
    expect(p.runtime.cmd).toEqual(["/bin/sh", "-c", "exec java -Dmicronaut.server.port=$PORT $JAVA_OPTS -jar app.jar"]);
    expect(p.warnings).toEqual([]);
  });
});

describe("Gradle (Java and Kotlin)", () => {
  it("Groovy DSL Spring Boot: gradle:jdk<v>, dependencies from the build files alone, bootJar", async () => {
    const p = await plan(fixture("java-gradle-groovy"));
    expect(p.stages[0]).toMatchObject({ image: "gradle:jdk21", platform: "build" });
    expect(p.stages[0]!.env).toContainEqual(["GRADLE_USER_HOME", "/root/.gradle"]);
    expect(p.stages[0]!.steps[0]).toMatchObject({ include: expect.arrayContaining(["**/build.gradle", "**/build.gradle.kts", "settings.gradle", "gradle/**", "gradlew"]) });
    expect(runs(p)[0]!.shell).toMatch(/^gradle --no-daemon -q :dependencies /);
    expect(p.caches).toMatchObject({ gradle: { id: "gradle-caches", target: "/root/.gradle/caches" }, gradlewrapper: { id: "gradle-wrapper", target: "/root/.gradle/wrapper" } });
    expect(buildShell(p)).toMatch(/^gradle --no-daemon :bootJar && .*find build\/libs .*! -name '\*-plain\.jar'.*-Djarmode=tools/);
    expect(p.result.runCommand).toBe("java -Dserver.port=$PORT $JAVA_OPTS org.springframework.boot.loader.launch.JarLauncher");
    expect(p.result).toMatchObject({ language: "java", version: "21", versionSource: "default", framework: "spring-boot" });
  });

  it("Kotlin DSL + wrapper + Shadow: ./gradlew shadowJar, the -all jar preferred", async () => {
    const p = await plan(fixture("java-gradle-kts-wrapper"));
    expect(p.result).toMatchObject({ language: "java", version: "17", versionSource: "build.gradle.kts toolchain languageVersion" });
    expect(buildShell(p)).toMatch(/^chmod \+x gradlew && \.\/gradlew --no-daemon :shadowJar && .*\*-all\.jar\)/);
  });

  it("Kotlin multi-project: the subproject with `application`, installDist, start script with lib/ first", async () => {
    const p = await plan(fixture("kotlin-gradle-multi"));
    expect(p.result).toMatchObject({ language: "kotlin", version: "17", versionSource: "app/build.gradle.kts jvmToolchain" });
    expect(runs(p)[0]!.shell).toContain(":dependencies :app:dependencies");
    expect(buildShell(p)).toMatch(/^gradle --no-daemon :app:installDist && .*app\/build\/install\/app\/bin/);
    expect(p.runtime.copies.map((c) => c.dest)).toEqual(["/app/lib", "/app"]);
    expect(p.runtime.cmd).toEqual(["bin/app"]);
  });

  it("plugins from the version catalog count (alias(libs.plugins.spring.boot)), with their version", async () => {
    const p = await mem({
      "gradle/libs.versions.toml": '[versions]\nboot = "3.1.12"\n\n[plugins]\nspring-boot = { id = "org.springframework.boot", version.ref = "boot" }\nkotlin_jvm = "org.jetbrains.kotlin.jvm:2.1.0"\n',
      "build.gradle.kts": "plugins {\n  alias(libs.plugins.spring.boot)\n  alias(libs.plugins.kotlin.jvm)\n}\n",
    });
    expect(p.result).toMatchObject({ language: "kotlin", framework: "spring-boot", runCommand: "java -Dserver.port=$PORT $JAVA_OPTS org.springframework.boot.loader.JarLauncher" });
    expect(buildShell(p)).toMatch(/^gradle --no-daemon :bootJar && .*-Djarmode=layertools/);
  });

  it("an included build (convention plugins) and every gradle.properties reach the dependency step", async () => {
    const p = await mem({ "settings.gradle.kts": 'pluginManagement { includeBuild("build-logic") }\nrootProject.name = "x"', "build.gradle.kts": 'plugins { id("org.springframework.boot") }' });
    expect(p.stages[0]!.steps[0]).toMatchObject({ include: expect.arrayContaining(["build-logic/**", "**/gradle.properties"]) });
  });

  it("Quarkus and Ktor plugins; two applications is an error naming them", async () => {
    expect((await mem({ "build.gradle": "plugins { id 'io.quarkus' }" })).runtime.copies[0]!.src).toBe("/build/out/quarkus-app/lib");
    expect(buildShell(await mem({ "build.gradle.kts": 'plugins { kotlin("jvm") version "2.1.0"; id("io.ktor.plugin") version "3.0.3" }' }))).toMatch(/^gradle --no-daemon :buildFatJar/);
    const two = { "settings.gradle": "include 'api', 'admin'", "api/build.gradle": "plugins { id 'application' }", "admin/build.gradle": "plugins { id 'org.springframework.boot' }" };
    expect((await userError(mem(two))).message).toMatch(/:api \(application\), :admin \(org\.springframework\.boot\).*JVM_MODULE/);
    expect(buildShell(await mem(two, { JVM_MODULE: "admin" }))).toMatch(/^gradle --no-daemon :admin:bootJar/);
  });
});

describe("Scala (sbt)", () => {
  it("native-packager: sbt update from the build definition, stage, the start script with lib/ first", async () => {
    const p = await plan(fixture("scala-sbt"));
    expect(p.stages[0]!.image).toBe("sbtscala/scala-sbt:eclipse-temurin-17.0.15_6_1.11.2_3.7.1");
    expect(p.stages[0]!.steps[0]).toMatchObject({ include: ["*.sbt", "project/**"] });
    expect(runs(p)[0]).toMatchObject({ shell: "sbt update", caches: ["sbt", "ivy", "coursier"] });
    expect(p.caches).toMatchObject({ sbt: { target: "/root/.sbt" }, ivy: { target: "/root/.ivy2" }, coursier: { target: "/root/.cache/coursier" } });
    expect(buildShell(p)).toMatch(/^sbt stage && .*target\/universal\/stage/);
    expect(p.runtime.cmd).toEqual(["bin/scala-hello"]);
  });

  it("multi-project (scala-sbt-multi): the subproject with the packager, staged from modules/server/target", async () => {
    const p = await plan(fixture("scala-sbt-multi"));
    expect(p.result).toMatchObject({ version: "17", versionSource: "build.sbt javacOptions/scalacOptions" });
    expect(buildShell(p)).toMatch(/^sbt server\/stage && .*\[ -d modules\/server\/target\/universal\/stage\/bin \]/);
    expect(p.runtime.cmd).toEqual(["bin/shop-server"]);
  });

  it("sbt-assembly: the assembly jar under target/scala-*/; JDK from javacOptions", async () => {
    const p = await plan(fixture("scala-sbt-assembly"));
    expect(buildShell(p)).toMatch(/^sbt assembly && .*find target -maxdepth 2.*\*-assembly\*\.jar\)/);
    expect(p.result.versionSource).toBe("build.sbt javacOptions/scalacOptions");
  });

  it("Play: stage, bound to PORT, no RUNNING_PID; a Procfile stage path means the shipped script", async () => {
    const play = { "build.sbt": 'name := "web"\nlazy val root = (project in file(".")).enablePlugins(PlayScala)\n', "project/plugins.sbt": 'addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.6")' };
    const p = await mem(play);
    expect(p.result).toMatchObject({ framework: "play", runCommand: "bin/web -Dhttp.port=$PORT -Dpidfile.path=/dev/null" });
    const q = await mem({ ...play, Procfile: "web: target/universal/stage/bin/web -Dconfig.resource=prod.conf" });
    expect(q.result.runCommand).toBe("bin/web -Dconfig.resource=prod.conf");
  });

  it("nothing that packages the app is an error with the fix; sbt 0.x is refused", async () => {
    expect((await userError(mem({ "build.sbt": 'name := "x"' }))).message).toMatch(/sbt-native-packager.*sbt-assembly/);
    const e = await userError(mem({ "build.sbt": "", "project/build.properties": "sbt.version=0.13.18", "project/plugins.sbt": "sbt-assembly" }));
    expect(e.file).toBe("project/build.properties");
  });
});

describe("Clojure", () => {
  it("Leiningen: deps from project.clj alone (~/.m2 cached, ~/.lein left to the image), uberjar by Leiningen's name", async () => {
    const p = await plan(fixture("clojure-lein"));
    expect(p.stages[0]).toMatchObject({ image: "clojure:temurin-17-lein", platform: "build" });
    expect(p.stages[0]!.steps[0]).toMatchObject({ include: ["project.clj", "profiles.clj"] });
    expect(runs(p)[0]).toMatchObject({ shell: "lein with-profile uberjar deps", caches: ["m2"] });
    expect(Object.values(p.caches).map((c) => c.target)).not.toContain("/root/.lein");
    expect(buildShell(p)).toContain("[ -f target/clojure-hello-0.1.0-standalone.jar ]");
    expect(p.runtime.env).toContainEqual(["JAVA_OPTS", "-Dfile.encoding=UTF-8 -XX:MaxRAMPercentage=80.0 -Dclojure.main.report=stderr"]);
  });

  it(":uberjar-name under :target-path \"target/%s\"; the Procfile's jar path means the shipped jar", async () => {
    const p = await plan(fixture("clojure-lein-uberjar-name"));
    expect(buildShell(p)).toContain("[ -f target/uberjar/web.jar ]");
    expect(p.result.runCommand).toBe("java $JAVA_OPTS -jar app.jar -p $PORT");
  });

  it("deps.edn: clojure -P (app and build alias), tools.build uber", async () => {
    const p = await plan(fixture("clojure-deps"));
    expect(p.stages[0]!.image).toBe("clojure:temurin-17-tools-deps");
    expect(runs(p)[0]!.shell).toBe("clojure -P && clojure -P -T:build");
    expect(buildShell(p)).toMatch(/^clojure -T:build uber && /);
  });

  it("no :main, or a deps.edn without an uberjar build, is an error with the fix", async () => {
    expect((await userError(mem({ "project.clj": '(defproject a "1.0")' }))).message).toMatch(/:main/);
    expect((await userError(mem({ "deps.edn": "{:deps {}}" }))).message).toMatch(/tools\.build/);
  });
});

describe("start commands", () => {
  it("user commands written for the build tree mean the shipped artifact", () => {
    const jar = { kind: "jar", dir: "target", by: "x" } as const;
    expect(rewriteCommand("java -Dserver.port=$PORT $JAVA_OPTS -jar target/*.jar", jar)).toBe("java -Dserver.port=$PORT $JAVA_OPTS -jar app.jar");
    expect(rewriteCommand("java -jar build/libs/api-1.0-all.jar", jar)).toBe("java -jar app.jar");
    expect(rewriteCommand("java -jar api/target/api.jar", jar)).toBe("java -jar app.jar");
    expect(rewriteCommand("java -cp lib/x.jar Main", jar)).toBe("java -cp lib/x.jar Main");
    const stage = { kind: "stage", dir: "build/install/app", script: "app", by: "x" } as const;
    expect(rewriteCommand("build/install/app/bin/app --serve", stage)).toBe("bin/app --serve");
  });

  it("the hardened runtime gets JAVA_OPTS written in (no shell); start scripts are refused", async () => {
    const p = await plan(fixture("java-maven-spring"), { USE_DHI: "true" });
    expect(p.runtime.image).toBe("dhi.io/eclipse-temurin:17");
    expect(p.stages[0]!.image).toBe("maven:3-eclipse-temurin-17");
    expect(p.runtime.cmd).toEqual(["java", "-Dserver.port=5000", "-Dfile.encoding=UTF-8", "-XX:MaxRAMPercentage=80.0", "org.springframework.boot.loader.launch.JarLauncher"]);
    expect((await userError(plan(fixture("scala-sbt"), { USE_DHI: "true" }))).message).toMatch(/start script/);
  });
});

// Shapes of real apps (Spring Initializr, Quarkus, Micronaut Launch, Ktor's generator, gradle init,
// Play seed, sbt multi-project builds, lein templates, deps-new, Helidon quickstarts), each
// trimmed to what decides the plan.
describe("real-world shapes", () => {
  const settings = "rootProject.name = 'acme'\ninclude 'common', 'api'\n";
  const multiRoot = (applyFalse: string) =>
    `plugins {\n  id 'java'\n  ${applyFalse}\n  id 'io.spring.dependency-management' version '1.1.6' apply false\n}\nsubprojects {\n  apply plugin: 'java'\n  java { toolchain { languageVersion = JavaLanguageVersion.of(21) } }\n}\n`;

  it("Gradle: a root that declares plugins `apply false` is not an application; the subproject applying Spring Boot is", async () => {
    for (const decl of ["id 'org.springframework.boot' version '3.3.5' apply false", 'id("org.springframework.boot") version "3.3.5" apply(false)']) {
      const p = await mem({ "settings.gradle": settings, "build.gradle": multiRoot(decl), "api/build.gradle": "apply plugin: 'org.springframework.boot'\n", "common/build.gradle": "dependencies {}\n" });
      expect(buildShell(p)).toMatch(/^gradle --no-daemon :api:bootJar && .*find api\/build\/libs /);
      expect(p.result).toMatchObject({ framework: "spring-boot", version: "21", runCommand: "java -Dserver.port=$PORT $JAVA_OPTS org.springframework.boot.loader.launch.JarLauncher" });
    }
    // The catalog form, and a root that configures Spring Boot for its subprojects only.
    const catalog = { "gradle/libs.versions.toml": '[plugins]\nspring-boot = "org.springframework.boot:3.4.1"\n' };
    const kts = await mem({ ...catalog, "settings.gradle.kts": 'include("web")', "build.gradle.kts": "plugins {\n  alias(libs.plugins.spring.boot) apply false\n}\n", "web/build.gradle.kts": "plugins { alias(libs.plugins.spring.boot) }\n" });
    expect(buildShell(kts)).toMatch(/^gradle --no-daemon :web:bootJar/);
    const sub = await mem({ "settings.gradle": "include 'svc'", "build.gradle": "subprojects {\n  apply plugin: 'application'\n}\n", "svc/build.gradle": "application { mainClass = 'svc.Main' }\n" });
    expect(buildShell(sub)).toMatch(/^gradle --no-daemon :svc:installDist/);
  });

  it("Gradle Spring Boot's version from the buildscript classpath (ext or gradle.properties) or settings' pluginManagement: layered", async () => {
    const buildscript = "buildscript {\n  ext {\n    springBootVersion = '2.7.18'\n  }\n  dependencies {\n    classpath(\"org.springframework.boot:spring-boot-gradle-plugin:${springBootVersion}\")\n  }\n}\napply plugin: 'java'\napply plugin: 'org.springframework.boot'\n";
    expect((await mem({ "build.gradle": buildscript })).result.runCommand).toBe("java -Dserver.port=$PORT $JAVA_OPTS org.springframework.boot.loader.JarLauncher");
    const props = { "gradle.properties": "springBootVersion=3.3.5\n", "settings.gradle": "pluginManagement {\n  plugins {\n    id 'org.springframework.boot' version \"${springBootVersion}\"\n  }\n}\n", "build.gradle": "plugins { id 'org.springframework.boot' }\n" };
    expect((await mem(props)).result.runCommand).toBe("java -Dserver.port=$PORT $JAVA_OPTS org.springframework.boot.loader.launch.JarLauncher");
  });

  it("Gradle convention plugins (gradle init --split-project: buildSrc, or an included build-logic) make the app, its JDK and its language", async () => {
    const common = 'plugins {\n  id("org.jetbrains.kotlin.jvm")\n}\nkotlin {\n  jvmToolchain(17)\n}\n';
    const app = 'plugins {\n  id("buildlogic.kotlin-common-conventions")\n  application\n}\n';
    const lib = 'plugins {\n  id("buildlogic.kotlin-common-conventions")\n  `java-library`\n}\n';
    const layout = (dir: string, settingsExtra = "") => ({
      "settings.gradle.kts": `${settingsExtra}rootProject.name = "demo"\ninclude("app", "list", "utilities")\n`,
      [`${dir}/src/main/kotlin/buildlogic.kotlin-common-conventions.gradle.kts`]: common,
      [`${dir}/src/main/kotlin/buildlogic.kotlin-application-conventions.gradle.kts`]: app,
      [`${dir}/src/main/kotlin/buildlogic.kotlin-library-conventions.gradle.kts`]: lib,
      "app/build.gradle.kts": 'plugins {\n  id("buildlogic.kotlin-application-conventions")\n}\napplication { mainClass = "org.example.app.AppKt" }\n',
      "list/build.gradle.kts": 'plugins {\n  id("buildlogic.kotlin-library-conventions")\n}\n',
      "utilities/build.gradle.kts": 'plugins {\n  id("buildlogic.kotlin-library-conventions")\n}\n',
    });
    for (const files of [layout("buildSrc"), layout("build-logic", 'pluginManagement {\n  includeBuild("build-logic")\n}\n')]) {
      const p = await mem(files);
      // Only declared paths are read: the first pass's, then the second's.
      const first = new RecordingContext(new MemoryContext(files));
      const extra = await followUpReads(first, {});
      expect([...first.paths].filter((f) => !isDeclaredRead(f, detectionReads()))).toEqual([]);
      const rec = new RecordingContext(new MemoryContext(files));
      await buildPlan(rec, {});
      expect([...rec.paths].filter((f) => !isDeclaredRead(f, [...detectionReads(), ...extra]))).toEqual([]);
      expect(p.result).toMatchObject({ language: "kotlin", version: "17" });
      expect(buildShell(p)).toMatch(/^gradle --no-daemon :app:installDist && /);
      expect(p.warnings).toEqual([]);
    }
    // A Spring Boot convention whose version the buildSrc classpath gives.
    const boot = await mem({
      "settings.gradle": "include 'api'\n",
      "buildSrc/build.gradle": "plugins { id 'groovy-gradle-plugin' }\ndependencies { implementation 'org.springframework.boot:spring-boot-gradle-plugin:3.3.5' }\n",
      "buildSrc/src/main/groovy/acme.spring-conventions.gradle": "plugins {\n  id 'java'\n  id 'org.springframework.boot'\n}\njava { toolchain { languageVersion = JavaLanguageVersion.of(21) } }\n",
      "api/build.gradle": "plugins { id 'acme.spring-conventions' }\n",
    });
    expect(boot.result).toMatchObject({ language: "java", version: "21", framework: "spring-boot", runCommand: "java -Dserver.port=$PORT $JAVA_OPTS org.springframework.boot.loader.launch.JarLauncher" });
    expect(buildShell(boot)).toMatch(/^gradle --no-daemon :api:bootJar/);
  });

  it("Gradle JDK: JavaVersion.toVersion (Micronaut Launch), Kotlin's jvmTarget, options.release", async () => {
    const micronaut = 'plugins {\n  id("com.gradleup.shadow") version "8.3.5"\n  id("io.micronaut.application") version "4.4.4"\n}\njava {\n  sourceCompatibility = JavaVersion.toVersion("17")\n  targetCompatibility = JavaVersion.toVersion("17")\n}\n';
    expect((await mem({ "build.gradle.kts": micronaut })).result).toMatchObject({ version: "17", versionSource: "build.gradle.kts sourceCompatibility", framework: "micronaut" });
    const jvmTarget = 'plugins { kotlin("jvm") version "2.1.0"; application }\nkotlin {\n  compilerOptions { jvmTarget.set(JvmTarget.JVM_17) }\n}\n';
    expect((await mem({ "build.gradle.kts": jvmTarget })).result).toMatchObject({ version: "17", versionSource: "build.gradle.kts jvmTarget" });
    expect((await mem({ "build.gradle": "plugins { id 'org.jetbrains.kotlin.jvm' version '1.9.0'; id 'application' }\ncompileKotlin { kotlinOptions { jvmTarget = '11' } }\n" })).result.version).toBe("11");
    expect((await mem({ "build.gradle": "plugins { id 'application' }\ntasks.withType(JavaCompile) { options.release = 17 }\n" })).result).toMatchObject({ version: "17", versionSource: "build.gradle options.release" });
  });

  it("a Gradle toolchain decides the JDK (Gradle needs that exact JDK); a version file that disagrees is overruled with a warning, JAVA_VERSION is refused", async () => {
    const boot = "plugins { id 'org.springframework.boot' version '3.4.1' }\njava { toolchain { languageVersion = JavaLanguageVersion.of(17) } }\n";
    const p = await mem({ "build.gradle": boot, "system.properties": "java.runtime.version=21\n" });
    expect(p.result).toMatchObject({ version: "17", versionSource: "build.gradle toolchain languageVersion" });
    expect(p.stages[0]!.image).toBe("gradle:jdk17");
    expect(p.warnings.join()).toMatch(/system\.properties.*Java 21.*toolchain.*17/);
    const e = await userError(mem({ "build.gradle": boot }, { JAVA_VERSION: "21" }));
    expect(e.message).toMatch(/JAVA_VERSION=21.*toolchain.*17/);
    expect((await mem({ "build.gradle": boot }, { JAVA_VERSION: "17" })).result.versionSource).toBe("build arg JAVA_VERSION");
  });

  it("a Maven compiler target is a floor: a lower version file is raised to it (warned), a lower JAVA_VERSION is refused, a higher one is kept", async () => {
    const release21 = { "pom.xml": pom(plugins("spring-boot-maven-plugin"), "<maven.compiler.release>21</maven.compiler.release>") };
    const raised = await mem({ ...release21, ".sdkmanrc": "java=17.0.9-tem\n" });
    expect(raised.result).toMatchObject({ version: "21", versionSource: "pom.xml maven.compiler.release" });
    expect(raised.warnings.join()).toMatch(/\.sdkmanrc.*Java 17.*pom\.xml maven\.compiler\.release.*21/);
    expect((await userError(mem(release21, { JAVA_VERSION: "17" }))).message).toMatch(/JAVA_VERSION=17.*maven\.compiler\.release.*21/);
    const higher = await mem({ "pom.xml": pom(plugins("spring-boot-maven-plugin"), "<java.version>17</java.version>"), "system.properties": "java.runtime.version=21" });
    expect(higher.result).toMatchObject({ version: "21", versionSource: "system.properties java.runtime.version" });
    expect(higher.warnings).toEqual([]);
  });

  it("Spring Boot 3 needs Java 17: a stale version file below it is raised (warned); without one the default stands", async () => {
    const boot3 = pom(plugins("spring-boot-maven-plugin")).replace("<modelVersion>4.0.0</modelVersion>", "<modelVersion>4.0.0</modelVersion><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.4.1</version></parent>");
    const stale = await mem({ "pom.xml": boot3, "system.properties": "java.runtime.version=11\n" });
    expect(stale.result).toMatchObject({ version: "17", versionSource: "pom.xml spring-boot-starter-parent 3.4.1" });
    expect(stale.warnings.join()).toMatch(/system\.properties.*Java 11/);
    expect((await mem({ "pom.xml": boot3 })).result).toMatchObject({ version: "21", versionSource: "default" });
    expect((await mem({ "pom.xml": boot3, ".java-version": "21" })).result).toMatchObject({ version: "21", versionSource: ".java-version" });
    const gradle = await mem({ "build.gradle": "plugins { id 'org.springframework.boot' version '3.3.5' }\n", ".java-version": "11" });
    expect(gradle.result).toMatchObject({ version: "17", versionSource: "build.gradle org.springframework.boot 3.3.5" });
  });

  it("mise.toml pins Java like .tool-versions", async () => {
    expect((await mem({ "pom.xml": BOOT_POM, "mise.toml": '[tools]\njava = "temurin-21"\n' })).result).toMatchObject({ version: "21", versionSource: "mise.toml java" });
    expect((await mem({ "pom.xml": BOOT_POM, ".mise.toml": '[tools]\njava = "21"\n' })).result).toMatchObject({ version: "21", versionSource: ".mise.toml java" });
  });

  it("Kotlin in a Maven reactor: kotlin-maven-plugin in a module (or the root's plugins) makes it Kotlin", async () => {
    const child = (id: string, extra = "") => `<project><modelVersion>4.0.0</modelVersion><parent><groupId>g</groupId><artifactId>app</artifactId><version>1.0</version></parent><artifactId>${id}</artifactId>${extra}</project>`;
    const root = pom("<packaging>pom</packaging><modules><module>core</module><module>web</module></modules>");
    const p = await mem({ "pom.xml": root, "core/pom.xml": child("core", plugins("kotlin-maven-plugin")), "web/pom.xml": child("web", plugins("kotlin-maven-plugin", "spring-boot-maven-plugin")) });
    expect(p.result).toMatchObject({ language: "kotlin", framework: "spring-boot" });
    const javaOnly = await mem({ "pom.xml": root, "core/pom.xml": child("core"), "web/pom.xml": child("web", plugins("spring-boot-maven-plugin")) });
    expect(javaOnly.result.language).toBe("java");
  });

  it("Kotlin is detected from an included project's build file (gradle init's layout, no catalog)", async () => {
    const p = await mem({
      "settings.gradle.kts": 'plugins {\n  id("org.gradle.toolchains.foojay-resolver-convention") version "0.8.0"\n}\nrootProject.name = "demo"\ninclude("app")\n',
      "app/build.gradle.kts": 'plugins {\n  id("org.jetbrains.kotlin.jvm") version "1.9.22"\n  application\n}\napplication { mainClass.set("demo.AppKt") }\n',
    });
    expect(p.result.language).toBe("kotlin");
    expect(p.runtime.cmd).toEqual(["bin/app"]);
  });

  it("Ktor's fat jar binds PORT through ktor.deployment.port (EngineMain reads it over application.yaml)", async () => {
    const p = await mem({ "build.gradle.kts": 'plugins {\n  kotlin("jvm") version "2.1.10"\n  id("io.ktor.plugin") version "3.1.1"\n}\napplication { mainClass = "io.ktor.server.netty.EngineMain" }\n' });
    expect(p.result.runCommand).toBe("java -Dktor.deployment.port=$PORT $JAVA_OPTS -jar app.jar");
  });

  it("Gradle application's applicationName names the installDist folder (build/install/<name>)", async () => {
    for (const decl of ['applicationName = "api-server"', 'applicationName.set("api-server")']) {
      const p = await mem({ "settings.gradle.kts": 'rootProject.name = "demo"', "build.gradle.kts": `plugins { application }\napplication {\n  mainClass.set("demo.Main")\n  ${decl}\n}\n` });
      expect(buildShell(p)).toContain("[ -d build/install/api-server/bin ]");
    }
  });

  it("Ktor without its Gradle plugin (Shadow, or Maven's assembly as Ktor's Maven template has it) binds PORT the same way", async () => {
    const shadow = await mem({ "build.gradle.kts": 'plugins {\n  kotlin("jvm") version "2.1.0"\n  id("com.gradleup.shadow") version "8.3.5"\n  application\n}\ndependencies {\n  implementation("io.ktor:ktor-server-netty:3.1.1")\n}\n' });
    expect(shadow.result).toMatchObject({ framework: "ktor", runCommand: "java -Dktor.deployment.port=$PORT $JAVA_OPTS -jar app.jar" });
    const assembly = `<dependencies><dependency><groupId>io.ktor</groupId><artifactId>ktor-server-netty-jvm</artifactId><version>3.1.1</version></dependency></dependencies><build><plugins><plugin><groupId>org.jetbrains.kotlin</groupId><artifactId>kotlin-maven-plugin</artifactId></plugin><plugin><artifactId>maven-assembly-plugin</artifactId><configuration><descriptorRefs><descriptorRef>jar-with-dependencies</descriptorRef></descriptorRefs></configuration></plugin></plugins></build>`;
    expect((await mem({ "pom.xml": pom(assembly) })).result).toMatchObject({ language: "kotlin", framework: "ktor", runCommand: "java -Dktor.deployment.port=$PORT $JAVA_OPTS -jar app.jar" });
  });

  it("Quarkus uber-jar chosen in application.properties (Maven and Gradle) ships the -runner jar", async () => {
    const quarkus = `<build><plugins><plugin><groupId>\${quarkus.platform.group-id}</groupId><artifactId>quarkus-maven-plugin</artifactId></plugin></plugins></build>`;
    for (const props of ["quarkus.package.jar.type=uber-jar\n", "%prod.quarkus.package.type = uber-jar\n"]) {
      const p = await mem({ "pom.xml": pom(quarkus), "src/main/resources/application.properties": `greeting=hi\n${props}` });
      expect(buildShell(p)).toContain("[ -f target/app-1.0-runner.jar ]");
      expect(p.result.runCommand).toBe("java -Dquarkus.http.port=$PORT $JAVA_OPTS -jar app.jar");
    }
    const g = await mem({ "build.gradle": "plugins { id 'java'; id 'io.quarkus' }\n", "src/main/resources/application.properties": "quarkus.package.jar.type=uber-jar\n" });
    expect(buildShell(g)).toMatch(/find build -maxdepth 1 .*\*-runner\.jar/);
    // In a module.
    const mod = `<project><modelVersion>4.0.0</modelVersion><parent><groupId>g</groupId><artifactId>app</artifactId><version>1.0</version></parent><artifactId>svc</artifactId>${quarkus}</project>`;
    const m = await mem({ "pom.xml": pom("<packaging>pom</packaging><modules><module>svc</module></modules>"), "svc/pom.xml": mod, "svc/src/main/resources/application.properties": "quarkus.package.jar.type=uber-jar\n" });
    expect(buildShell(m)).toContain("[ -f svc/target/svc-1.0-runner.jar ]");
  });

  const micronautPom = (release: string) =>
    `<project><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>demo</artifactId><version>0.1</version><packaging>\${packaging}</packaging>` +
    `<parent><groupId>io.micronaut.platform</groupId><artifactId>micronaut-parent</artifactId><version>4.7.6</version></parent>` +
    `<properties><packaging>jar</packaging><jdk.version>${release}</jdk.version><release.version>${release}</release.version><exec.mainClass>com.example.Application</exec.mainClass></properties>` +
    `<dependencies><dependency><groupId>io.micronaut</groupId><artifactId>micronaut-http-server-netty</artifactId><scope>compile</scope></dependency></dependencies>` +
    `<build><plugins><plugin><groupId>io.micronaut.maven</groupId><artifactId>micronaut-maven-plugin</artifactId></plugin></plugins></build></project>`;

  it("Micronaut Launch's Maven build: micronaut-parent shades the jar; bound to PORT; the JDK from release.version", async () => {
    const p = await mem({ "pom.xml": micronautPom("17") });
    expect(p.result).toMatchObject({ framework: "micronaut", version: "17", versionSource: "pom.xml release.version", runCommand: "java -Dmicronaut.server.port=$PORT $JAVA_OPTS -jar app.jar" });
    expect(buildShell(p)).toContain("[ -f target/demo-0.1.jar ]");
    expect(p.warnings).toEqual([]);
  });

  it("a jar whose dependencies maven-dependency-plugin copies beside it (Class-Path lib/) ships with that folder, as its own first layer", async () => {
    const build =
      "<build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><configuration><archive><manifest><addClasspath>true</addClasspath><classpathPrefix>lib/</classpathPrefix><mainClass>com.example.App</mainClass></manifest></archive></configuration></plugin>" +
      "<plugin><artifactId>maven-dependency-plugin</artifactId><executions><execution><id>copy-dependencies</id><phase>package</phase><goals><goal>copy-dependencies</goal></goals><configuration><outputDirectory>${project.build.directory}/lib</outputDirectory></configuration></execution></executions></plugin></plugins></build>";
    const p = await mem({ "pom.xml": pom(`<dependencies><dependency><groupId>io.javalin</groupId><artifactId>javalin</artifactId><version>6.3.0</version></dependency></dependencies>${build}`) });
    expect(buildShell(p)).toContain("cp target/app-1.0.jar /build/out/app.jar && [ -d target/lib ]");
    expect(buildShell(p)).toContain("cp -R target/lib /build/out/lib");
    expect(p.runtime.copies.map((c) => [c.src, c.dest])).toEqual([
      ["/build/out/lib", "/app/lib"],
      ["/build/out/app.jar", "/app/app.jar"],
    ]);
    expect(p.warnings).toEqual([]);
  });

  it("Helidon SE quickstart: target/<artifactId>.jar with libs/, Java 21 from the Helidon 4 parent, bound to PORT", async () => {
    const helidon = `<project><modelVersion>4.0.0</modelVersion><parent><groupId>io.helidon.applications</groupId><artifactId>helidon-se</artifactId><version>4.1.6</version><relativePath/></parent>
      <groupId>io.helidon.examples</groupId><artifactId>quickstart-se</artifactId><version>1.0-SNAPSHOT</version><properties><mainClass>io.helidon.examples.quickstart.se.Main</mainClass></properties>
      <dependencies><dependency><groupId>io.helidon.webserver</groupId><artifactId>helidon-webserver</artifactId></dependency></dependencies>
      <build><plugins><plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><executions><execution><id>copy-libs</id></execution></executions></plugin></plugins></build></project>`;
    const p = await mem({ "pom.xml": helidon });
    expect(p.result).toMatchObject({ framework: "helidon", version: "21", versionSource: "pom.xml helidon-se 4.1.6", runCommand: "java -Dserver.port=$PORT $JAVA_OPTS -jar app.jar" });
    expect(buildShell(p)).toContain("[ -f target/quickstart-se.jar ]");
    expect(p.runtime.copies.map((c) => c.dest)).toEqual(["/app/libs", "/app/app.jar"]);
  });

  it("Maven multi-module: the compiler release and Spring Boot's version from the root's pluginManagement", async () => {
    const root = `<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>acme-parent</artifactId><version>2.3.0</version><packaging>pom</packaging>
      <modules><module>domain</module><module>web</module></modules><properties><jdk>21</jdk><spring-boot.version>3.3.5</spring-boot.version></properties>
      <build><pluginManagement><plugins><plugin><artifactId>maven-compiler-plugin</artifactId><configuration><release>\${jdk}</release></configuration></plugin>
      <plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId><version>\${spring-boot.version}</version></plugin></plugins></pluginManagement></build></project>`;
    const child = (id: string, extra = "") => `<project><modelVersion>4.0.0</modelVersion><parent><groupId>com.acme</groupId><artifactId>acme-parent</artifactId><version>2.3.0</version></parent><artifactId>${id}</artifactId>${extra}</project>`;
    const p = await mem({ "pom.xml": root, "domain/pom.xml": child("acme-domain"), "web/pom.xml": child("acme-web", plugins("spring-boot-maven-plugin")) });
    expect(p.result).toMatchObject({ version: "21", versionSource: "pom.xml maven-compiler-plugin release", runCommand: "java -Dserver.port=$PORT $JAVA_OPTS org.springframework.boot.loader.launch.JarLauncher" });
    expect(buildShell(p)).toContain("-Djarmode=tools");
  });

  it("Maven multi-module: spring-boot-maven-plugin declared once in the root's plugins is inherited; modules that skip it are libraries", async () => {
    const root = `<project><modelVersion>4.0.0</modelVersion><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.4.1</version></parent>
      <groupId>com.acme</groupId><artifactId>acme</artifactId><version>1.0</version><packaging>pom</packaging><modules><module>common</module><module>api</module></modules>
      ${plugins("spring-boot-maven-plugin").replace("<build>", "<build>")}</project>`;
    const child = (id: string, extra = "") => `<project><modelVersion>4.0.0</modelVersion><parent><groupId>com.acme</groupId><artifactId>acme</artifactId><version>1.0</version></parent><artifactId>${id}</artifactId>${extra}</project>`;
    const skip = "<build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId><configuration><skip>true</skip></configuration></plugin></plugins></build>";
    const p = await mem({ "pom.xml": root, "common/pom.xml": child("acme-common", skip), "api/pom.xml": child("acme-api") });
    expect(buildShell(p)).toMatch(/^mvn -B -DskipTests -pl api -am package && .*\[ -f api\/target\/acme-api-1\.0\.jar \]/);
    expect(p.result).toMatchObject({ framework: "spring-boot", runCommand: "java -Dserver.port=$PORT $JAVA_OPTS org.springframework.boot.loader.launch.JarLauncher" });
  });

  it("Gradle: a project that disables bootJar is a library, even with Spring Boot applied to every subproject", async () => {
    const files = {
      "settings.gradle": "include 'core', 'web'\n",
      "build.gradle": "plugins { id 'org.springframework.boot' version '3.3.5' apply false }\nsubprojects {\n  apply plugin: 'java'\n  apply plugin: 'org.springframework.boot'\n}\n",
      "core/build.gradle": "bootJar {\n  enabled = false\n}\njar {\n  enabled = true\n}\n",
      "web/build.gradle": "dependencies { implementation project(':core') }\n",
    };
    expect(buildShell(await mem(files))).toMatch(/^gradle --no-daemon :web:bootJar/);
    const kts = { ...files, "core/build.gradle": 'tasks.named<org.springframework.boot.gradle.tasks.bundling.BootJar>("bootJar") {\n    enabled = false\n}\n' };
    expect(buildShell(await mem(kts))).toMatch(/^gradle --no-daemon :web:bootJar/);
    expect(buildShell(await mem({ ...files, "core/build.gradle": "bootJar.enabled = false\n" }))).toMatch(/^gradle --no-daemon :web:bootJar/);
  });

  const sbtMulti = `ThisBuild / scalaVersion := "3.3.4"
lazy val root = (project in file("."))
  .aggregate(core, server)
  .settings(name := "shop", publish / skip := true)

lazy val core = (project in file("modules/core"))
  .settings(name := "shop-core")

lazy val server = (project in file("modules/server"))
  .dependsOn(core)
  .enablePlugins(JavaAppPackaging)
  .settings(
    name := "shop-server",
    Compile / mainClass := Some("com.example.Main")
  )
`;
  const packager = { "project/plugins.sbt": 'addSbtPlugin("com.github.sbt" % "sbt-native-packager" % "1.10.4")\n', "project/build.properties": "sbt.version=1.10.7\n" };

  it("sbt multi-project: the subproject that enables the packager is staged, from its own target/", async () => {
    const p = await mem({ "build.sbt": sbtMulti, ...packager });
    expect(buildShell(p)).toMatch(/^sbt server\/stage && .*\[ -d modules\/server\/target\/universal\/stage\/bin \]/);
    expect(p.runtime.cmd).toEqual(["bin/shop-server"]);
    // `lazy val api = project` lives in ./api.
    const bare = await mem({ "build.sbt": 'lazy val lib = project\nlazy val api = project.dependsOn(lib).enablePlugins(JavaAppPackaging)\n', ...packager });
    expect(buildShell(bare)).toMatch(/^sbt api\/stage && .*\[ -d api\/target\/universal\/stage\/bin \]/);
  });

  it("sbt multi-project: a Play subproject; two apps is an error naming them, SBT_PROJECT picks one", async () => {
    const play = { "project/plugins.sbt": 'addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.6")\naddSbtPlugin("com.github.sbt" % "sbt-native-packager" % "1.10.4")\n' };
    const web = 'lazy val common = project.in(file("common"))\nlazy val web = project.in(file("web")).enablePlugins(PlayScala).dependsOn(common)\n';
    const p = await mem({ "build.sbt": web, ...play });
    expect(p.result).toMatchObject({ framework: "play", runCommand: "bin/web -Dhttp.port=$PORT -Dpidfile.path=/dev/null" });
    expect(buildShell(p)).toMatch(/^sbt web\/stage && .*web\/target\/universal\/stage/);
    const two = `${web}lazy val worker = project.in(file("worker")).enablePlugins(JavaAppPackaging)\n`;
    expect((await userError(mem({ "build.sbt": two, ...play }))).message).toMatch(/web.*worker.*SBT_PROJECT/);
    expect(buildShell(await mem({ "build.sbt": two, ...play }, { SBT_PROJECT: "worker" }))).toMatch(/^sbt worker\/stage && .*worker\/target\/universal\/stage/);
  });

  it("sbt-assembly: the jar assemblyJarName names, in the project that sets it", async () => {
    const one = await mem({ "build.sbt": 'lazy val root = project\n  .in(file("."))\n  .settings(\n    name := "api",\n    assembly / assemblyJarName := "api.jar"\n  )\n', "project/plugins.sbt": 'addSbtPlugin("com.eed3si9n" % "sbt-assembly" % "2.3.0")' });
    expect(buildShell(one)).toMatch(/^sbt assembly && .*find target -maxdepth 2 .*case "\$j" in \*\/api\.jar\|\*-assembly\*\.jar\)/);
    const multi = await mem({ "build.sbt": 'lazy val core = project\nlazy val cli = project.dependsOn(core).settings(assembly / mainClass := Some("cli.Main"))\n', "project/plugins.sbt": "sbt-assembly" });
    expect(buildShell(multi)).toMatch(/^sbt cli\/assembly && .*find cli\/target -maxdepth 2/);
  });

  it("Play: warns about what production needs from the platform (APPLICATION_SECRET, allowed hosts) unless the app's conf sets it", async () => {
    const play = { "build.sbt": 'lazy val web = project.in(file("web")).enablePlugins(PlayScala)\n', "project/plugins.sbt": 'addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.6")' };
    const bare = await mem({ ...play, "web/conf/application.conf": "# https://www.playframework.com/documentation/latest/Configuration\n" });
    expect(bare.warnings.join("\n")).toMatch(/APPLICATION_SECRET[\s\S]*play\.filters\.hosts\.allowed in web\/conf\/application\.conf/);
    const configured = await mem({ ...play, "web/conf/application.conf": 'play.http.secret.key = ${?SECRET_KEY_BASE}\nplay.filters.hosts {\n  allowed = [".example.com"]\n}\n' });
    expect(configured.warnings.join("\n")).toMatch(/set SECRET_KEY_BASE \(32/);
    expect(configured.warnings.join("\n")).not.toMatch(/AllowedHostsFilter/);
    const literal = await mem({ ...play, "web/conf/application.conf": 'play.http.secret.key = "a-long-literal-key-that-someone-committed"\nplay.filters.hosts.allowed = ["."]\n' });
    expect(literal.warnings).toEqual([]);
    expect(await followUpReads(new MemoryContext(play), {})).toEqual(["web/conf/application.conf"]);
  });

  it("Play seed: the name in triple quotes names the start script", async () => {
    const p = await mem({ "build.sbt": 'name := """play-scala-seed"""\nlazy val root = (project in file(".")).enablePlugins(PlayScala)\n', "project/plugins.sbt": 'addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.6")' });
    expect(p.runtime.cmd).toEqual(["/bin/sh", "-c", "exec bin/play-scala-seed -Dhttp.port=$PORT -Dpidfile.path=/dev/null"]);
  });

  it("Leiningen with lein-ring and no :main (the Compojure template): `lein ring uberjar`, whose main reads PORT", async () => {
    const clj = '(defproject hello "0.1.0-SNAPSHOT"\n  :dependencies [[org.clojure/clojure "1.10.0"] [compojure "1.6.1"]]\n  :plugins [[lein-ring "0.12.5"]]\n  :ring {:handler hello.handler/app}\n  :profiles {:dev {:dependencies [[ring/ring-mock "0.3.2"]]}})\n';
    const p = await mem({ "project.clj": clj });
    expect(buildShell(p)).toMatch(/^lein ring uberjar && .*\[ -f target\/hello-0\.1\.0-SNAPSHOT-standalone\.jar \]/);
    expect(runs(p)[0]!.shell).toBe("lein with-profile uberjar deps");
    expect(p.result.runCommand).toBe("java $JAVA_OPTS -jar app.jar");
    expect((await userError(mem({ "project.clj": '(defproject a "1.0" :ring {:handler a.core/app})' }))).message).toMatch(/lein-ring/);
  });

  it("deps.edn with depstar's :uberjar alias: the jar :exec-args names", async () => {
    const p = await mem({ "deps.edn": '{:deps {org.clojure/clojure {:mvn/version "1.10.3"}}\n :aliases {:uberjar {:replace-deps {com.github.seancorfield/depstar {:mvn/version "2.1.303"}}\n                      :exec-fn hf.depstar/uberjar\n                      :exec-args {:aot true :jar "app.jar" :main-class hello.core}}}}\n' });
    expect(buildShell(p)).toMatch(/^clojure -X:uberjar && .*\[ -f \.\/app\.jar \]|^clojure -X:uberjar && .*\[ -f app\.jar \]/);
  });

  it("deps.edn from deps-new's app template: build.clj's ci builds the uberjar (under target/<group>/)", async () => {
    const p = await mem({
      "deps.edn": '{:paths ["src"] :deps {org.clojure/clojure {:mvn/version "1.12.0"}}\n :aliases {:build {:deps {io.github.clojure/tools.build {:mvn/version "0.10.5"}} :ns-default build}}}\n',
      "build.clj": '(ns build (:require [clojure.tools.build.api :as b]))\n(def lib \'acme/myapp)\n(defn ci "Run the CI pipeline of tests (and build the uberjar)." [opts]\n  (b/uber opts))\n',
    });
    expect(buildShell(p)).toMatch(/^clojure -T:build ci && .*find target -maxdepth 2 /);
    expect(p.warnings.join()).toMatch(/ci/);
  });
});

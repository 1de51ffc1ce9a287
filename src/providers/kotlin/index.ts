// Kotlin: a Gradle or Maven project that applies the Kotlin plugin (build
// script, settings' pluginManagement, version catalog, or kotlin-maven-plugin).
// Checked before Java. A Gradle Kotlin DSL file alone (build.gradle.kts) is
// not Kotlin: plenty of Java projects use it. Built exactly like Java (../jvm/).
import type { Provider } from "../../kit/provider.js";
import { hasJavaBuild, isKotlinProject, JAVA_BUILD_READS, javaBuildFacts, javaBuildFollowUp, javaBuildSummary, JavaSettings, planJavaBuild, type JavaBuildFacts } from "../jvm/java-build.js";
import { JVM_HARDENED, JVM_IMAGE_ENV, jvmDhiCommand } from "../jvm/plan.js";

export const kotlinProvider: Provider<JavaBuildFacts> = {
  id: "kotlin",
  name: "Kotlin",
  // heroku/gradle names the Gradle buildpack; the original mapped it to Kotlin.
  aliases: ["gradle"],
  markers: ["build.gradle.kts", "build.gradle", "settings.gradle.kts", "pom.xml"],
  options: Object.keys(JavaSettings.shape),
  reads: JAVA_BUILD_READS,
  hardened: JVM_HARDENED,
  imageEnv: JVM_IMAGE_ENV,
  sample: {
    "settings.gradle.kts": 'rootProject.name = "app"\n',
    "build.gradle.kts": 'plugins {\n  kotlin("jvm") version "2.1.0"\n  id("io.ktor.plugin") version "3.0.3"\n}\n',
  },
  async matches(ctx) {
    return (await hasJavaBuild(ctx)) && (await isKotlinProject(ctx));
  },
  followUp: javaBuildFollowUp,
  facts: javaBuildFacts,
  summary: (f) => javaBuildSummary("kotlin", f),
  plan: (input) => planJavaBuild("kotlin", input),
  dhiCommand: (_facts, command) => jvmDhiCommand(command),
};

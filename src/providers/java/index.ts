// Java: Maven (pom.xml, mvnw) or Gradle (build.gradle(.kts), settings.gradle(.kts),
// gradlew) projects, built on the official Maven/Gradle images, run from the
// artifact alone on eclipse-temurin's JRE. The machinery is shared with Kotlin
// (../jvm/); Kotlin is checked first and takes projects with its real markers.
import type { Provider } from "../../kit/provider.js";
import { hasJavaBuild, JAVA_BUILD_READS, javaBuildFacts, javaBuildFollowUp, javaBuildSummary, JavaSettings, planJavaBuild, type JavaBuildFacts } from "../jvm/java-build.js";
import { JVM_HARDENED, JVM_IMAGE_ENV, jvmDhiCommand } from "../jvm/plan.js";

export const javaProvider: Provider<JavaBuildFacts> = {
  id: "java",
  name: "Java",
  aliases: ["maven"],
  markers: ["pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"],
  options: Object.keys(JavaSettings.shape),
  reads: JAVA_BUILD_READS,
  hardened: JVM_HARDENED,
  imageEnv: JVM_IMAGE_ENV,
  sample: {
    "pom.xml":
      "<project><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>app</artifactId><version>1.0</version>" +
      "<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.4.1</version></parent>" +
      "<build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>",
  },
  matches: hasJavaBuild,
  followUp: javaBuildFollowUp,
  facts: javaBuildFacts,
  summary: (f) => javaBuildSummary("java", f),
  plan: (input) => planJavaBuild("java", input),
  dhiCommand: (_facts, command) => jvmDhiCommand(command),
};

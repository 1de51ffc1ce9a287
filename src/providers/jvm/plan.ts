// The plan every JVM language shares: one builder stage on the build
// platform (bytecode is the same for every target), dependencies resolved
// from the build files alone in their own step (cache mounts hold the
// downloads), the build, the artifact collected into /build/out; then a JRE
// runtime holding only the artifact, run as uid 1000 with JAVA_OPTS sized to
// the container (-XX:MaxRAMPercentage).
import type { BuildPlanInput, CacheDef, EnvList, Step } from "../../kit/schema.js";
import type { PlanInput } from "../../kit/provider.js";
import type { VersionPick } from "../../kit/version-pick.js";
import { commandArgv, selectWebCommand } from "../../kit/run-command.js";
import { NONROOT } from "../../kit/hardened.js";
import type { HardenedSpec } from "../../kit/provider.js";
import { UserError } from "../../context/fs.js";
import { DEFAULT_PATH } from "../../kit/image-env.js";
import { defaultCommand, rewriteCommand, runtimeCopies, type Artifact } from "./artifact.js";

/** The original's runtime JAVA_OPTS: UTF-8 and a heap sized to the container's memory limit. */
export const DEFAULT_JAVA_OPTS = "-Dfile.encoding=UTF-8 -XX:MaxRAMPercentage=80.0";

/** Builder env every JVM build gets (the original's). */
export const BUILDER_ENV: EnvList = [["JAVA_TOOL_OPTIONS", "-Dfile.encoding=UTF-8"]];

export function runtimeImage(jdk: string): string {
  return `eclipse-temurin:${jdk}-jre`;
}

const JDK_ENV = ["JAVA_HOME=/opt/java/openjdk", `PATH=/opt/java/openjdk/bin:${DEFAULT_PATH}`];

/** Config Env of the JVM images (for `migetpacks llb`, which asks no daemon), as the official images set it. */
export const JVM_IMAGE_ENV: Readonly<Record<string, readonly string[]>> = {
  "docker.io/library/eclipse-temurin": JDK_ENV,
  "docker.io/library/maven": [...JDK_ENV, "MAVEN_HOME=/usr/share/maven", "MAVEN_CONFIG=/root/.m2"],
  "docker.io/library/gradle": ["JAVA_HOME=/opt/java/openjdk", `PATH=/opt/java/openjdk/bin:/opt/gradle/bin:${DEFAULT_PATH}`, "GRADLE_HOME=/opt/gradle"],
  "docker.io/library/clojure": [...JDK_ENV, "LEIN_ROOT=1"],
  "docker.io/sbtscala/scala-sbt": JDK_ENV,
};

/** dhi.io/eclipse-temurin:<major> runs; builders keep their official images (no hardened Maven/Gradle/sbt/Leiningen). */
export const JVM_HARDENED: HardenedSpec = { repo: "eclipse-temurin", official: ["eclipse-temurin"], user: NONROOT };

/** The hardened runtime has no shell to expand $JAVA_OPTS: the defaults are written in; start scripts cannot run. */
export function jvmDhiCommand(command: string): string {
  if (/^(\.\/)?bin\//.test(command.trim())) {
    throw new UserError(
      `the start command \`${command}\` is a shell start script, but the hardened runtime (USE_DHI=true) has no shell; package the app as one jar (sbt-assembly, Gradle shadowJar, Spring Boot) or build without USE_DHI.`,
    );
  }
  return command.replace(/\$\{?JAVA_OPTS\}?/g, DEFAULT_JAVA_OPTS);
}

/**
 * The image's argv. A command that needs the shell only to expand $PORT and
 * $JAVA_OPTS is exec'd by it, so the JVM is PID 1 and gets SIGTERM (graceful
 * shutdown) rather than a shell that does not forward it.
 */
export function execArgv(command: string): string[] {
  const argv = commandArgv(command);
  if (argv[0] === "/bin/sh" && !/[;&|<>()`]|^\s*exec\s/.test(command)) return ["/bin/sh", "-c", `exec ${command.trim()}`];
  return argv;
}

export interface JvmBuild {
  language: string;
  jdk: VersionPick;
  packageManager: string;
  framework?: string;
  builderImage: string;
  env: EnvList;
  caches: Record<string, CacheDef>;
  steps: Step[];
  artifact: Artifact;
  /** `-Dserver.port=$PORT` for frameworks that do not read PORT themselves. */
  portFlag?: string;
  /** Arguments the app starts with (Dropwizard's `server config.yml`). */
  appArgs?: string;
  /** Runtime JAVA_OPTS beyond the defaults (Clojure's `-Dclojure.main.report=stderr`). */
  javaOpts?: string;
  warnings: string[];
}

export function planJvm(b: JvmBuild, { common, procfile }: Pick<PlanInput<unknown>, "common" | "procfile">): BuildPlanInput {
  const chosen = selectWebCommand(common.runCommand, procfile, defaultCommand(b.artifact, b.portFlag, b.appArgs));
  const command = chosen.source === "default" ? chosen.command : rewriteCommand(chosen.command, b.artifact);
  return {
    schema: 2,
    result: {
      language: b.language,
      version: b.jdk.version,
      versionSource: b.jdk.source,
      packageManager: b.packageManager,
      ...(b.framework ? { framework: b.framework } : {}),
      runCommand: command,
      port: common.port,
      processes: { web: command, release: procfile?.release, workers: procfile?.workers ?? [] },
      _shell: true,
    },
    caches: b.caches,
    stages: [{ name: "build", image: b.builderImage, platform: "build", workdir: "/build", env: [...BUILDER_ENV, ...b.env], steps: b.steps }],
    runtime: {
      image: runtimeImage(b.jdk.version),
      user: "1000:1000",
      workdir: "/app",
      env: [
        ["PORT", String(common.port)],
        ["JAVA_OPTS", b.javaOpts ? `${DEFAULT_JAVA_OPTS} ${b.javaOpts}` : DEFAULT_JAVA_OPTS],
      ],
      copies: runtimeCopies(b.artifact, "build"),
      cmd: execArgv(command),
      port: common.port,
      shell: true,
    },
    warnings: b.warnings,
  };
}

/** Source into the builder, without host build output (the build makes its own). */
export function sourceCopy(exclude: string[]): Step {
  return { kind: "copy", name: "copy source", from: "context", paths: ["."], dest: "/build", exclude };
}

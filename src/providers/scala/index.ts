// Scala with sbt: `sbt update` from the build definition alone (build.sbt,
// project/), then `stage` (sbt-native-packager, Play) or `assembly`
// (sbt-assembly); the runtime gets the staged start script with its lib/, or
// the assembly jar, on eclipse-temurin's JRE. sbt's launcher boots the sbt
// version project/build.properties pins, and sbt resolves the project's own
// Scala version, so the builder image is chosen by JDK alone.
import { z } from "zod";
import { isFile, readText, UserError, type BuildContext } from "../../context/fs.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { CacheDef, Step } from "../../kit/schema.js";
import type { Provider } from "../../kit/provider.js";
import type { VersionPick } from "../../kit/version-pick.js";
import { shellQuote } from "../../kit/shell.js";
import { collectArtifact, type Artifact } from "../jvm/artifact.js";
import { compilerFlagJdk, JDK_FILES, pickJdk, stripComments } from "../jvm/jdk.js";
import { JVM_HARDENED, JVM_IMAGE_ENV, jvmDhiCommand, planJvm, sourceCopy } from "../jvm/plan.js";

const ScalaSettings = z.object({
  JAVA_VERSION: z.string().trim().optional(),
  /** sbt tasks that build the app (default: stage or assembly, from the plugins). */
  SBT_TASKS: z.string().trim().optional(),
  /** The sbt subproject that is the app in a multi-project build. */
  SBT_PROJECT: z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "must be an sbt project id").optional(),
  SBT_OPTS: z.string().trim().optional(),
});

/**
 * sbtscala/scala-sbt tags by JDK major (the image's own sbt and Scala are not
 * what the project builds with: the launcher boots project/build.properties'
 * sbt, which resolves the project's Scala).
 */
const SBT_IMAGES: Record<string, string> = {
  "11": "eclipse-temurin-11.0.27_6_1.11.2_3.7.1",
  "17": "eclipse-temurin-17.0.15_6_1.11.2_3.7.1",
  "21": "eclipse-temurin-21.0.7_6_1.11.2_3.7.1",
};

const DEFAULT_SBT_OPTS = "-Xmx2G -XX:MaxMetaspaceSize=512m -Dsbt.ci=true";

export interface ScalaFacts {
  jdk: VersionPick;
  sbtVersion?: string;
  scalaVersion?: string;
  framework?: string;
  task: string;
  artifact: Artifact;
  portFlag?: string;
  warnings: string[];
}

async function isSbt(ctx: BuildContext): Promise<boolean> {
  if (await isFile(ctx, "build.sbt")) return true;
  return /^\s*sbt\.version\s*=/m.test((await readText(ctx, "project/build.properties")) ?? "");
}

/** sbt's normalizedName: lower case, runs of non-word characters → "-" (the start script's name). */
function normalizedName(name: string): string {
  return name.toLowerCase().replace(/\W+/g, "-");
}

async function scalaFacts(ctx: BuildContext, args: BuildArgs): Promise<ScalaFacts> {
  const s = parseArgs(ScalaSettings, args);
  if (!(await isSbt(ctx))) {
    if (!(await isFile(ctx, "build.sc"))) throw new UserError("no build.sbt here: migetpacks builds Scala apps with sbt; add build.sbt (and project/build.properties pinning sbt.version).", "build.sbt");
    throw new UserError("build.sc is a Mill build, which migetpacks does not build yet; build with sbt (build.sbt), or set BUILD_COMMAND and RUN_COMMAND.", "build.sc");
  }
  const sbt = stripComments((await readText(ctx, "build.sbt")) ?? "");
  const plugins = stripComments((await readText(ctx, "project/plugins.sbt")) ?? "");
  const props = (await readText(ctx, "project/build.properties")) ?? "";
  const sbtVersion = /^\s*sbt\.version\s*=\s*(\S+)/m.exec(props)?.[1];
  if (sbtVersion && /^0\.(\d+)\./.test(sbtVersion)) {
    throw new UserError(`project/build.properties: sbt ${sbtVersion} is too old to build here (its artifacts are not on Maven Central); use sbt 1.x.`, "project/build.properties");
  }
  const scalaVersion = /scalaVersion\s*:=\s*"([^"]+)"/.exec(sbt)?.[1];
  const play = /\b(PlayScala|PlayJava|PlayMinimalJava|play\.sbt\.Play)\b/.test(sbt) || /["'](?:com\.typesafe\.play|org\.playframework)["']\s*%\s*["']sbt-plugin["']/.test(plugins);
  const packager = /sbt-native-packager/.test(plugins) && /enablePlugins\s*\([^)]*\b(JavaAppPackaging|JavaServerAppPackaging|PlayScala|PlayJava|PlayMinimalJava)\b/.test(sbt);
  const assembly = /sbt-assembly/.test(plugins);
  const sub = s.SBT_PROJECT;
  const subDir = sub ? (new RegExp(`\\b(?:lazy\\s+)?val\\s+${sub}\\s*=\\s*(?:project|Project)\\s*\\.in\\s*\\(\\s*file\\s*\\(\\s*"([^"]+)"`).exec(sbt)?.[1] ?? sub) : "";
  const target = subDir ? `${subDir}/target` : "target";
  const name = /^\s*(?:ThisBuild\s*\/\s*)?name\s*:=\s*"([^"]+)"/m.exec(sbt)?.[1];
  const scope = sub ? `${sub}/` : "";
  let artifact: Artifact;
  let task: string;
  if (play || packager) {
    task = `${scope}stage`;
    artifact = { kind: "stage", dir: `${target}/universal/stage`, script: normalizedName(sub ?? name ?? "build"), by: play ? "Play (sbt-native-packager stage)" : "sbt-native-packager stage" };
  } else if (assembly) {
    task = `${scope}assembly`;
    artifact = { kind: "jar", dir: target, depth: 2, prefer: ["*-assembly*.jar"], by: "sbt-assembly" };
  } else {
    throw new UserError(
      "build.sbt: nothing packages the app with its dependencies; add sbt-native-packager to project/plugins.sbt and enablePlugins(JavaAppPackaging) to build.sbt (the start script runs it), or sbt-assembly (one jar).",
      "build.sbt",
    );
  }
  const jdkFlag = compilerFlagJdk(sbt, "build.sbt", "javacOptions/scalacOptions");
  return {
    jdk: await pickJdk(ctx, s.JAVA_VERSION, jdkFlag),
    sbtVersion,
    scalaVersion,
    framework: play ? "play" : undefined,
    task: s.SBT_TASKS ?? task,
    artifact,
    // Play: the port, and no RUNNING_PID file (a restarted container would refuse to start).
    portFlag: play ? "-Dhttp.port=$PORT -Dpidfile.path=/dev/null" : undefined,
    warnings: [],
  };
}

const CACHES: Record<string, CacheDef> = {
  sbt: { id: "sbt", target: "/root/.sbt", sharing: "shared" },
  ivy: { id: "ivy2", target: "/root/.ivy2", sharing: "shared" },
  coursier: { id: "coursier", target: "/root/.cache/coursier", sharing: "shared" },
};

function steps(f: ScalaFacts, buildCommand: string | undefined): Step[] {
  // stdin is /dev/null in a build step, so sbt never waits for input; sbt.ci (in SBT_OPTS) keeps the log plain.
  const sbt = "sbt";
  return [
    { kind: "copy", name: "copy build.sbt and project/", from: "context", paths: ["."], dest: "/build", include: ["*.sbt", "project/**"], exclude: ["project/target", "project/project"] },
    { kind: "run", name: "sbt update", shell: `${sbt} update`, caches: ["sbt", "ivy", "coursier"], env: [] },
    sourceCopy(["target", "**/target", "project/project"]),
    { kind: "run", name: `sbt ${f.task}`, shell: `${buildCommand ?? `${sbt} ${f.task.split(/\s+/).map((t) => shellQuote(t)).join(" ")}`} && { ${collectArtifact(f.artifact)}; }`, caches: ["sbt", "ivy", "coursier"], env: [] },
  ];
}

export const scalaProvider: Provider<ScalaFacts> = {
  id: "scala",
  name: "Scala",
  aliases: ["sbt"],
  markers: ["build.sbt", "project/build.properties", "build.sc"],
  options: Object.keys(ScalaSettings.shape),
  reads: ["build.sbt", "build.sc", "project/build.properties", "project/plugins.sbt", ...JDK_FILES],
  hardened: JVM_HARDENED,
  imageEnv: JVM_IMAGE_ENV,
  sample: {
    "build.sbt": 'name := "app"\nscalaVersion := "3.3.4"\nenablePlugins(JavaAppPackaging)\n',
    "project/plugins.sbt": 'addSbtPlugin("com.github.sbt" % "sbt-native-packager" % "1.10.4")\n',
  },
  async matches(ctx) {
    return (await isSbt(ctx)) || (await isFile(ctx, "build.sc"));
  },
  facts: scalaFacts,
  summary: (f) => ({ language: "scala", version: f.jdk.version, versionSource: f.jdk.source, packageManager: "sbt", ...(f.framework ? { framework: f.framework } : {}) }),
  plan(input) {
    const f = input.facts;
    const s = parseArgs(ScalaSettings, input.args);
    const tag = SBT_IMAGES[f.jdk.version];
    if (!tag) throw new UserError(`${f.jdk.source} gives Java ${f.jdk.version}; the sbt builder images here are for Java ${Object.keys(SBT_IMAGES).join(", ")}. Pin one of those (e.g. JAVA_VERSION=21).`);
    return planJvm(
      {
        language: "scala",
        jdk: f.jdk,
        packageManager: "sbt",
        framework: f.framework,
        builderImage: `sbtscala/scala-sbt:${tag}`,
        env: [["SBT_OPTS", s.SBT_OPTS ?? DEFAULT_SBT_OPTS]],
        caches: CACHES,
        steps: steps(f, input.common.buildCommand),
        artifact: f.artifact,
        portFlag: f.portFlag,
        warnings: f.warnings,
      },
      input,
    );
  },
  dhiCommand: (_facts, command) => jvmDhiCommand(command),
};

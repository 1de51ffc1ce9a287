// Scala with sbt: `sbt update` from the build definition alone (build.sbt,
// project/), then `stage` (sbt-native-packager, Play) or `assembly`
// (sbt-assembly); the runtime gets the staged start script with its lib/, or
// the assembly jar, on eclipse-temurin's JRE. sbt's launcher boots the sbt
// version project/build.properties pins, and sbt resolves the project's own
// Scala version, so the builder image is chosen by JDK alone.
import * as z from "../../lib/zod.js";
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

/** `name := "x"` or `name := """x"""` (the Play seed's form). */
function nameIn(text: string): string | undefined {
  const m = /^\s*(?:ThisBuild\s*\/\s*)?name\s*:=\s*(?:"""([^"]+)"""|"([^"]+)")/m.exec(text) ?? /\bname\s*:=\s*(?:"""([^"]+)"""|"([^"]+)")/.exec(text);
  return m ? (m[1] ?? m[2]) : undefined;
}

interface SbtProject {
  /** The project id (the val's name: `sbt api/stage`). */
  id: string;
  /** Its folder ("." for the root). */
  dir: string;
  /** The definition's text, up to the next val. */
  text: string;
}

/**
 * build.sbt's projects: `lazy val api = (project in file("api"))`, `project.in(file("api"))`,
 * `Project("api", file("api"))`, or `lazy val api = project` (folder api). The rest of the file
 * (settings outside any project) configures the root; `rest` holds it.
 */
function sbtProjects(sbt: string): { projects: SbtProject[]; rest: string } {
  const defs = [...sbt.matchAll(/^[ \t]*(?:lazy[ \t]+)?val[ \t]+([A-Za-z_]\w*)[ \t]*(?::[^=\n]+)?=/gm)];
  const projects: SbtProject[] = [];
  let rest = sbt.slice(0, defs[0]?.index ?? sbt.length);
  defs.forEach((d, i) => {
    const text = sbt.slice(d.index!, defs[i + 1]?.index ?? sbt.length);
    const body = text.slice(d[0].length).trimStart();
    if (!/^\(?\s*(?:project\b|Project\s*\()/.test(body)) {
      rest += text;
      return;
    }
    const dir = /\bfile\s*\(\s*"([^"]*)"\s*\)/.exec(body.split(/\.settings\b|\.enablePlugins\b/)[0]!)?.[1];
    projects.push({ id: d[1]!, dir: (dir ?? d[1]!).replace(/^\.\/|\/+$/g, "") || ".", text });
  });
  return { projects, rest };
}

/** Play's configuration, relative to the Play project's folder. */
const PLAY_CONF = "conf/application.conf";

/**
 * What a Play app needs from the platform that its image cannot carry: in production Play refuses
 * to start without an application secret (reference.conf reads APPLICATION_SECRET), and its
 * AllowedHostsFilter (on by default) answers 400 to every Host but localhost.
 */
async function playWarnings(ctx: BuildContext, dir: string): Promise<string[]> {
  const file = dir === "." ? PLAY_CONF : `${dir}/${PLAY_CONF}`;
  const conf = stripComments((await readText(ctx, file)) ?? "").replace(/^\s*#.*$/gm, "");
  const out: string[] = [];
  const secret = /(?:play\.http\.secret\.key|\bsecret\s*\.\s*key|\bkey)\s*[=:]\s*("[^"]*"|\S+)/.exec(conf)?.[1];
  if (!secret || /changeme|^\$\{\??/.test(secret)) {
    const env = /^\$\{\??([A-Za-z_]\w*)\}/.exec(secret ?? "")?.[1] ?? "APPLICATION_SECRET";
    out.push(`Play will not start in production without an application secret: set ${env} (32 or more random bytes) in the app's runtime environment.`);
  }
  if (!/filters\.hosts|hosts\s*\{|AllowedHostsFilter|play\.filters\.(?:enabled|disabled)/.test(conf)) {
    out.push(`Play's AllowedHostsFilter answers 400 to requests for any host but localhost: list the app's domains in play.filters.hosts.allowed in ${file}.`);
  }
  return out;
}

const PACKAGING = /enablePlugins\s*\([^)]*\b(JavaAppPackaging|JavaServerAppPackaging|PlayScala|PlayJava|PlayMinimalJava|PlayService)\b/;
const PLAY = /enablePlugins\s*\([^)]*\b(PlayScala|PlayJava|PlayMinimalJava|PlayService)\b|\bplay\.sbt\.Play\b/;
const ASSEMBLY_SETTINGS = /\bassembly\s*\/|\bassemblyJarName\b|\bassemblyMergeStrategy\b|\bin\s+assembly\b/;

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
  const playPlugin = /["'](?:com\.typesafe\.play|org\.playframework)["']\s*%\s*["']sbt-plugin["']/.test(plugins);
  const packagerPlugin = /sbt-native-packager/.test(plugins) || playPlugin;
  const assemblyPlugin = /sbt-assembly/.test(plugins);
  const { projects, rest } = sbtProjects(sbt);
  const root: SbtProject = projects.find((p) => p.dir === ".") ?? { id: "", dir: ".", text: "" };
  // The root's settings: its own definition and everything outside the projects.
  const textOf = (p: SbtProject) => (p.dir === "." ? `${p.text}\n${rest}` : p.text);
  const pick = (what: string, test: (p: SbtProject) => boolean): SbtProject | undefined => {
    const all = [root, ...projects.filter((p) => p !== root)].filter(test);
    if (all.length > 1) {
      throw new UserError(
        `build.sbt: several projects ${what} (${all.map((p) => p.id || "the root").join(", ")}); set the build arg SBT_PROJECT to the one to run, e.g. --build-arg SBT_PROJECT=${all.find((p) => p.id)?.id ?? "root"}.`,
        "build.sbt",
      );
    }
    return all[0];
  };
  let app: SbtProject | undefined;
  let packaged: "stage" | "assembly" | undefined;
  if (s.SBT_PROJECT) {
    app = projects.find((p) => p.id === s.SBT_PROJECT) ?? { id: s.SBT_PROJECT, dir: s.SBT_PROJECT, text: "" };
    packaged = packagerPlugin && PACKAGING.test(textOf(app)) ? "stage" : assemblyPlugin ? "assembly" : packagerPlugin ? "stage" : undefined;
  } else {
    app = packagerPlugin ? pick("enable sbt-native-packager or Play", (p) => PACKAGING.test(textOf(p))) : undefined;
    if (app) packaged = "stage";
    else if (assemblyPlugin) {
      app = pick("configure sbt-assembly", (p) => ASSEMBLY_SETTINGS.test(textOf(p))) ?? root;
      packaged = "assembly";
    }
  }
  if (!app || !packaged) {
    throw new UserError(
      "build.sbt: nothing packages the app with its dependencies; add sbt-native-packager to project/plugins.sbt and enablePlugins(JavaAppPackaging) to build.sbt (the start script runs it), or sbt-assembly (one jar).",
      "build.sbt",
    );
  }
  const text = textOf(app);
  const play = playPlugin && PLAY.test(text);
  const target = app.dir === "." ? "target" : `${app.dir}/target`;
  const scope = app.dir === "." && !s.SBT_PROJECT ? "" : `${app.id}/`;
  const name = nameIn(text) ?? (app.id && app.dir !== "." ? app.id : nameIn(rest));
  let artifact: Artifact;
  let task: string;
  if (packaged === "stage") {
    task = `${scope}stage`;
    artifact = { kind: "stage", dir: `${target}/universal/stage`, script: normalizedName(name ?? app.id ?? "build") || "build", by: play ? "Play (sbt-native-packager stage)" : "sbt-native-packager stage" };
  } else {
    task = `${scope}assembly`;
    const jarName = /assemblyJarName\s*(?:in\s*assembly\s*)?:=\s*"([^"\/]+\.jar)"/.exec(text)?.[1];
    artifact = { kind: "jar", dir: target, depth: 2, prefer: [...(jarName ? [`*/${jarName}`] : []), "*-assembly*.jar"], by: "sbt-assembly" };
  }
  const warnings: string[] = play ? await playWarnings(ctx, app.dir) : [];
  const jdkFlag = compilerFlagJdk(sbt, "build.sbt", "javacOptions/scalacOptions");
  return {
    jdk: await pickJdk(ctx, s.JAVA_VERSION, jdkFlag, warnings),
    sbtVersion,
    scalaVersion,
    framework: play ? "play" : undefined,
    task: s.SBT_TASKS ?? task,
    artifact,
    // Play: the port, and no RUNNING_PID file (a restarted container would refuse to start).
    portFlag: play ? "-Dhttp.port=$PORT -Dpidfile.path=/dev/null" : undefined,
    warnings,
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
  reads: ["build.sbt", "build.sc", "project/build.properties", "project/plugins.sbt", PLAY_CONF, ...JDK_FILES],
  // Subprojects' Play configuration.
  async followUp(ctx) {
    const { projects } = sbtProjects(stripComments((await readText(ctx, "build.sbt")) ?? ""));
    return projects.filter((p) => p.dir !== "." && !p.dir.includes("..")).map((p) => `${p.dir}/${PLAY_CONF}`);
  },
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

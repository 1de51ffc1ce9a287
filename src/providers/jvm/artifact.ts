// What a JVM build ships, and how it starts. The build step finds the
// runnable artifact where the build tool puts it (by exact name when the build
// file says it, else by the ecosystem's naming rules, failing with the
// candidates when it cannot tell) and copies it to /build/out in a fixed
// layout; the runtime gets only that, dependency jars first:
//   jar    → /app/app.jar, plus the folder of dependency jars its manifest's Class-Path
//            names (maven-dependency-plugin copy-dependencies: /app/lib) as a layer below it
//   dir    → a self-contained folder (Quarkus' quarkus-app/): lib/ first, then the rest
//   stage  → a start script with its lib/ (sbt-native-packager `stage`, Gradle `installDist`)
//   boot   → a Spring Boot jar extracted into its layers (dependencies, spring-boot-loader,
//            snapshot-dependencies, application: one image layer each, in that order) and
//            started with Spring Boot's launcher, as Spring Boot's own container docs do
// Spring Boot's layers, in the order they change least to most often.
export const BOOT_LAYERS = ["dependencies", "spring-boot-loader", "snapshot-dependencies", "application"];

/** Spring Boot 3.2 moved the launcher (org.springframework.boot.loader.launch). */
export function bootLauncher(version: string): string {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 3 || (major === 3 && minor >= 2) ? "org.springframework.boot.loader.launch.JarLauncher" : "org.springframework.boot.loader.JarLauncher";
}

/** Layered jars exist from Spring Boot 2.3. */
export function bootLayered(version: string | undefined): version is string {
  const [major = 0, minor = 0] = (version ?? "").split(".").map(Number);
  return major > 2 || (major === 2 && minor >= 3);
}
import { shellQuote } from "../../kit/shell.js";

export const OUT = "/build/out";

export type Artifact =
  | {
      kind: "jar";
      /** Folder the build tool writes jars to, relative to /build (`target`, `api/build/libs`, `target/uberjar`). */
      dir: string;
      /** The file name when the build file fixes it (Maven finalName, Leiningen :uberjar-name). */
      exact?: string;
      /** Name patterns (sh globs) that mark the runnable jar among several (`*-all.jar`, `*-standalone.jar`). */
      prefer?: string[];
      /** How deep below `dir` jars are looked for (sbt writes to target/scala-<version>/); default 1. */
      depth?: number;
      /** `.jar`, or `.war` for an executable Spring Boot war. */
      ext?: string;
      /** Dependency jars the jar's Class-Path names: built in `src` (relative to /build), shipped as /app/<dest>. */
      lib?: { src: string; dest: string };
      /** Files the start command names (a Dropwizard config), relative to /build, shipped beside the jar. */
      extras?: string[];
      /** What makes it runnable, for messages ("spring-boot-maven-plugin"). */
      by: string;
    }
  | { kind: "dir"; dir: string; name: string; lib: string; jar: string; by: string }
  | {
      kind: "boot";
      /** Where the Spring Boot fat jar is. */
      jar: Extract<Artifact, { kind: "jar" }>;
      /** Spring Boot's version (major.minor decides the tools and the launcher's class). */
      bootVersion: string;
      by: string;
    }
  | { kind: "stage"; dir: string; script?: string; by: string };

/** Jars that are never the application: sources, docs, tests, Spring Boot's plain jar, shade's original. */
const NOT_APP = ["*-sources.jar", "*-javadoc.jar", "*-tests.jar", "*-test.jar", "*-plain.jar", "original-*.jar"];

/** Print the message (and the output of `extra`, unquoted shell words) and stop the build. */
function fail(message: string, extra = ""): string {
  return `{ echo ${shellQuote(`migetpacks: ${message}`)}${extra ? ` ${extra}` : ""} >&2; exit 1; }`;
}

/** Shell that copies the artifact into /build/out (run after the build, in the same step). */
export function collectArtifact(a: Artifact): string {
  const lines = [`rm -rf ${OUT} && mkdir -p ${OUT}`];
  if (a.kind === "boot") {
    const [major = 0, minor = 0] = a.bootVersion.split(".").map(Number);
    const tools = major > 3 || (major === 3 && minor >= 3);
    const dest = `${OUT}/layers`;
    // Spring Boot 3.3+: `-Djarmode=tools extract --layers --launcher`; 2.3–3.2: layertools. A jar
    // built without layers is exploded whole into application/ (the launcher runs it the same way).
    const extract = tools
      ? `java -Djarmode=tools -jar ${OUT}/app.jar extract --layers --launcher --destination ${dest}`
      : `java -Djarmode=layertools -jar ${OUT}/app.jar extract --destination ${dest}`;
    return [
      collectArtifact(a.jar),
      `{ ${extract} || { echo 'migetpacks: the jar has no layers; shipping it exploded' >&2 && rm -rf ${dest} && mkdir -p ${dest}/application && (cd ${dest}/application && jar xf ${OUT}/app.jar); }; }`,
      `mkdir -p ${BOOT_LAYERS.map((l) => `${dest}/${l}`).join(" ")}`,
      // Extraction time is not content: fixed mtimes keep an unchanged layer byte-identical.
      `find ${dest} -exec touch -h -d @315532800 {} +`,
      `rm ${OUT}/app.jar`,
    ].join(" && ");
  }
  if (a.kind === "jar") {
    const ext = a.ext ?? ".jar";
    const dest = `${OUT}/app${ext}`;
    if (a.exact) {
      const path = `${a.dir}/${a.exact}`;
      lines.push(`[ -f ${shellQuote(path)} ] || ${fail(`${path} was not built (expected from ${a.by}); ${a.dir} holds:`, `$(ls ${shellQuote(a.dir)} 2>/dev/null)`)}`);
      lines.push(`cp ${shellQuote(path)} ${dest}`);
    } else {
      const excludes = ext === ".jar" ? NOT_APP.map((p) => `! -name '${p}'`).join(" ") : "";
      const prefer = a.prefer ?? [];
      lines.push(
        `jars=$(find ${shellQuote(a.dir)} -maxdepth ${a.depth ?? 1} -type f -name '*${ext}' ${excludes} | sort)`,
        ...(prefer.length
          ? [`if [ "$(echo "$jars" | grep -c .)" -gt 1 ]; then best=$(for j in $jars; do case "$j" in ${prefer.join("|")}) echo "$j";; esac; done); [ -z "$best" ] || jars=$best; fi`]
          : []),
        `[ -n "$jars" ] || ${fail(`no ${ext} was built in ${a.dir} (expected from ${a.by})`)}`,
        `[ "$(echo "$jars" | grep -c .)" -eq 1 ] || ${fail(`several ${ext} files in ${a.dir}, cannot tell which is the application (make the build produce one, or set BUILD_COMMAND):`, "$jars")}`,
        `cp "$jars" ${dest}`,
      );
    }
    for (const f of a.extras ?? []) lines.push(`cp ${shellQuote(f)} ${OUT}/${shellQuote(f.slice(f.lastIndexOf("/") + 1))}`);
    if (a.lib) {
      lines.push(
        `[ -d ${shellQuote(a.lib.src)} ] || ${fail(`${a.lib.src} was not built (the dependency jars the manifest's Class-Path names)`)}`,
        `cp -R ${shellQuote(a.lib.src)} ${OUT}/${shellQuote(a.lib.dest)}`,
      );
    }
  } else if (a.kind === "dir") {
    const src = `${a.dir}/${a.name}`;
    lines.push(`[ -f ${shellQuote(`${src}/${a.jar}`)} ] || ${fail(`${src}/${a.jar} was not built (expected from ${a.by})`)}`, `cp -R ${shellQuote(src)} ${OUT}/${a.name}`);
  } else {
    lines.push(
      `[ -d ${shellQuote(`${a.dir}/bin`)} ] || ${fail(`${a.dir}/bin was not built (expected from ${a.by})`)}`,
      `cp -R ${shellQuote(a.dir)}/. ${OUT}/ && rm -f ${OUT}/bin/*.bat && mkdir -p ${OUT}/lib`,
      `scripts=$(ls ${OUT}/bin)`,
      `[ "$(echo "$scripts" | grep -c .)" -eq 1 ] || ${fail(`expected one start script in ${a.dir}/bin, found:`, "$scripts")}`,
      `[ "$scripts" = ${shellQuote(a.script ?? "app")} ] || mv "${OUT}/bin/$scripts" ${OUT}/bin/${shellQuote(a.script ?? "app")}`,
    );
  }
  return lines.join(" && ");
}

/** Runtime copies, dependency layers first. */
export function runtimeCopies(a: Artifact, stage: string): { stage: string; src: string; dest: string; exclude: string[] }[] {
  if (a.kind === "jar") {
    const jar = { stage, src: `${OUT}/app${a.ext ?? ".jar"}`, dest: `/app/app${a.ext ?? ".jar"}`, exclude: [] };
    const extras = (a.extras ?? []).map((f) => f.slice(f.lastIndexOf("/") + 1)).map((n) => ({ stage, src: `${OUT}/${n}`, dest: `/app/${n}`, exclude: [] }));
    return [...(a.lib ? [{ stage, src: `${OUT}/${a.lib.dest}`, dest: `/app/${a.lib.dest}`, exclude: [] }] : []), jar, ...extras];
  }
  if (a.kind === "boot") return BOOT_LAYERS.map((l) => ({ stage, src: `${OUT}/layers/${l}`, dest: "/app", exclude: [] }));
  if (a.kind === "dir") {
    return [
      { stage, src: `${OUT}/${a.name}/${a.lib}`, dest: `/app/${a.name}/${a.lib}`, exclude: [] },
      { stage, src: `${OUT}/${a.name}`, dest: `/app/${a.name}`, exclude: [a.lib] },
    ];
  }
  return [
    { stage, src: `${OUT}/lib`, dest: "/app/lib", exclude: [] },
    { stage, src: OUT, dest: "/app", exclude: ["lib"] },
  ];
}

/** The default start command; `portFlag` binds frameworks that do not read PORT (`-Dserver.port=$PORT`); `args` go to the app. */
export function defaultCommand(a: Artifact, portFlag?: string, args?: string): string {
  const flag = portFlag ? `${portFlag} ` : "";
  if (a.kind === "jar") return `java ${flag}$JAVA_OPTS -jar app${a.ext ?? ".jar"}${args ? ` ${args}` : ""}`;
  if (a.kind === "boot") return `java ${flag}$JAVA_OPTS ${bootLauncher(a.bootVersion)}`;
  if (a.kind === "dir") return `java ${flag}$JAVA_OPTS -jar ${a.name}/${a.jar}`;
  return `bin/${a.script ?? "app"}${portFlag ? ` ${portFlag}` : ""}`;
}

/**
 * A Procfile/RUN_COMMAND written for the build tree (Heroku style:
 * `java -jar target/app-1.0.jar`, `build/libs/*.jar`,
 * `target/universal/stage/bin/app`) means the shipped artifact.
 */
export function rewriteCommand(command: string, a: Artifact): string {
  if (a.kind === "boot") {
    // `-jar <the boot jar>` → the launcher, over the extracted layers.
    const jarRef = new RegExp(`(^|\\s)-jar\\s+(?:\\./)?(?:[\\w.-]+/)*(?:target|build/libs)(?:/[\\w.*-]+)*/[^\\s/]*\\.[jw]ar(?=\\s|$)`, "g");
    return command.replace(jarRef, `$1${bootLauncher(a.bootVersion)}`).replace(/(^|\s)-jar\s+app\.[jw]ar(?=\s|$)/g, `$1${bootLauncher(a.bootVersion)}`);
  }
  if (a.kind === "jar") {
    const ext = (a.ext ?? ".jar").replace(".", "\\.");
    return command.replace(new RegExp(`(^|\\s)(?:\\./)?(?:[\\w.-]+/)*(?:target|build/libs)(?:/[\\w.*-]+)*/[^\\s/]*${ext}(?=\\s|$)`, "g"), `$1app${a.ext ?? ".jar"}`);
  }
  if (a.kind === "dir") return command.replace(/(^|\s)(?:\.\/)?(?:[\w.-]+\/)*(?:target|build)\/quarkus-app\//g, "$1quarkus-app/");
  return command.replace(/(^|\s)(?:\.\/)?(?:[\w.-]+\/)*(?:target\/universal\/stage|build\/install\/[\w.-]+)\/bin\/[\w.-]+/g, `$1bin/${a.script ?? "app"}`);
}

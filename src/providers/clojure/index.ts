// Clojure: Leiningen (project.clj: `lein deps`, then `lein uberjar`) or the
// Clojure CLI (deps.edn: `clojure -P` prepares the classpath, then tools.build's
// `clojure -T:build uber`, or an `:uberjar` alias). The runtime gets the
// standalone jar alone on eclipse-temurin's JRE.
import * as z from "../../lib/zod.js";
import { isFile, readText, UserError, type BuildContext } from "../../context/fs.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { CacheDef, Step } from "../../kit/schema.js";
import type { Provider } from "../../kit/provider.js";
import type { VersionPick } from "../../kit/version-pick.js";
import { collectArtifact, type Artifact } from "../jvm/artifact.js";
import { compilerFlagJdk, JDK_FILES, pickJdk } from "../jvm/jdk.js";
import { JVM_HARDENED, JVM_IMAGE_ENV, jvmDhiCommand, planJvm, sourceCopy } from "../jvm/plan.js";

const ClojureSettings = z.object({
  JAVA_VERSION: z.string().trim().optional(),
  /** Leiningen task that builds the jar (default uberjar). */
  LEIN_BUILD_TASK: z.string().trim().optional(),
});

export interface ClojureFacts {
  tool: "leiningen" | "clojure-cli";
  jdk: VersionPick;
  clojureVersion?: string;
  /** The command that builds the uberjar. */
  build: string;
  /** The command that fetches dependencies from the dependency files alone. */
  deps: string;
  /** Files the dependency step needs. */
  depFiles: string[];
  artifact: Artifact;
  warnings: string[];
}

/** Clojure source without `;` comments and `#_` discards of simple forms (enough for the keys read here). */
function uncomment(text: string): string {
  return text.replace(/;.*$/gm, "").replace(/#_\s*\S+/g, "");
}

/** The string after a keyword in project.clj (`:uberjar-name "app.jar"`). */
function keyString(text: string, key: string): string | undefined {
  return new RegExp(`${key}\\s+"([^"]*)"`).exec(text)?.[1];
}

async function leinFacts(ctx: BuildContext, s: z.infer<typeof ClojureSettings>): Promise<ClojureFacts> {
  const text = uncomment((await readText(ctx, "project.clj")) ?? "");
  const def = /\(defproject\s+(?:([^\s/"]+)\/)?([^\s/"]+)\s+"([^"]+)"/.exec(text);
  if (!def) throw new UserError('project.clj has no (defproject name "version" ...) form; Leiningen cannot build it.', "project.clj");
  const name = def[2]!;
  const version = def[3]!;
  // lein-ring (the Compojure template): `lein ring uberjar` writes a main around :ring's :handler,
  // which serves on $PORT.
  const ring = /:plugins\s*\[[^\]]*\[\s*lein-ring\b/.test(text) && /:ring\s*\{[^}]*:handler\s+\S/.test(text);
  const main = /:main\s+\S/.test(text);
  if (!main && !ring && !s.LEIN_BUILD_TASK) {
    const hint = /:ring\s*\{/.test(text) ? " (or add lein-ring to :plugins, for `lein ring uberjar` to write one around :ring's :handler)" : "";
    throw new UserError(`project.clj has no :main, so \`lein uberjar\` makes a jar that cannot start; add \`:main your.app.core\` (a namespace with (:gen-class) and a -main function)${hint}.`, "project.clj");
  }
  // Output goes to :target-path ("target" by default); `lein new app`'s "target/%s" puts the
  // uberjar profile's output in target/uberjar.
  const targetPath = (keyString(text, ":target-path") ?? "target").replace("%s", "uberjar").replace(/\/+$/, "");
  const uberjarName = keyString(text, ":uberjar-name");
  const warnings: string[] = [];
  const artifact: Artifact = {
    kind: "jar",
    dir: targetPath,
    exact: uberjarName ?? `${name}-${version}-standalone.jar`,
    by: uberjarName ? "project.clj :uberjar-name" : ring && !main ? "lein ring uberjar" : "lein uberjar",
  };
  return {
    tool: "leiningen",
    jdk: await pickJdk(ctx, s.JAVA_VERSION, compilerFlagJdk(text, "project.clj", ":javac-options"), warnings),
    clojureVersion: /\[org\.clojure\/clojure\s+"([^"]+)"\]/.exec(text)?.[1],
    build: `lein ${s.LEIN_BUILD_TASK ?? (ring && !main ? "ring uberjar" : "uberjar")}`,
    // The uberjar profile alone: the default profiles add nREPL, which the uberjar never holds.
    deps: "lein with-profile uberjar deps",
    depFiles: ["project.clj", "profiles.clj"],
    artifact,
    warnings,
  };
}

async function cliFacts(ctx: BuildContext, s: z.infer<typeof ClojureSettings>): Promise<ClojureFacts> {
  const text = uncomment((await readText(ctx, "deps.edn")) ?? "");
  const buildClj = uncomment((await readText(ctx, "build.clj")) ?? "");
  const aliases = text.slice(text.indexOf(":aliases") >= 0 ? text.indexOf(":aliases") : text.length);
  let build: string;
  let by: string;
  const warnings: string[] = [];
  const buildAlias = /:build\s*\{/.test(aliases);
  if (buildAlias && /\(defn\s+uber\b/.test(buildClj)) {
    build = "clojure -T:build uber";
    by = "tools.build (build.clj uber)";
  } else if (buildAlias && /\(defn\s+ci\b[\s\S]*\(b\/uber\b/.test(buildClj)) {
    // deps-new's app template: `ci` runs the tests, then builds the uberjar.
    build = "clojure -T:build ci";
    by = "tools.build (build.clj ci)";
    warnings.push("build.clj has no `uber` function; building with `clojure -T:build ci`, which runs the tests too (deps-new's template). Add an `uber` function to skip them, or set BUILD_COMMAND.");
  } else if (/:uberjar\s*\{/.test(aliases)) {
    build = "clojure -X:uberjar";
    by = "the :uberjar alias";
  } else {
    throw new UserError(
      "deps.edn: nothing builds an uberjar; add a :build alias with tools.build and a build.clj that defines `uber` (run as `clojure -T:build uber`), or an :uberjar alias, or set BUILD_COMMAND.",
      "deps.edn",
    );
  }
  const alias = build.includes("-T:build") ? "-T:build" : "-X:uberjar";
  // depstar's :uberjar alias names its jar in :exec-args (`:jar "app.jar"`), relative to the project.
  const depstarJar = alias === "-X:uberjar" ? /:uberjar\s*\{[^]*?:jar\s+"([\w./-]+\.jar)"/.exec(aliases)?.[1]?.replace(/^\.\//, "") : undefined;
  // `ci` needs the :test alias' dependencies too.
  const testAlias = build.endsWith(" ci") && /:test\s*\{/.test(aliases) ? " && clojure -P -A:test" : "";
  return {
    tool: "clojure-cli",
    jdk: await pickJdk(ctx, s.JAVA_VERSION, undefined),
    clojureVersion: /org\.clojure\/clojure\s*\{\s*:mvn\/version\s+"([^"]+)"/.exec(text)?.[1],
    build,
    // -P downloads the app's dependencies and the build tool's (the alias) without running anything.
    deps: `clojure -P && clojure -P ${alias}${testAlias}`,
    depFiles: ["deps.edn"],
    artifact: depstarJar
      ? { kind: "jar", dir: depstarJar.includes("/") ? depstarJar.slice(0, depstarJar.lastIndexOf("/")) : ".", exact: depstarJar.slice(depstarJar.lastIndexOf("/") + 1), by }
      : // tools.build's uber-file is often target/<lib>-<version>.jar, and a qualified lib (acme/app) puts it in target/acme/.
        { kind: "jar", dir: "target", depth: 2, prefer: ["*-standalone.jar", "*standalone*.jar"], by },
    warnings,
  };
}

const CACHES: Record<string, CacheDef> = {
  // Leiningen and the Clojure CLI both download to ~/.m2/repository. ~/.lein is left alone: the
  // image keeps Leiningen's own jar there.
  m2: { id: "maven-repository", target: "/root/.m2/repository", sharing: "shared" },
  gitlibs: { id: "clojure-gitlibs", target: "/root/.gitlibs", sharing: "shared" },
};

function steps(f: ClojureFacts, buildCommand: string | undefined): Step[] {
  const caches = f.tool === "leiningen" ? ["m2"] : ["m2", "gitlibs"];
  return [
    { kind: "copy", name: `copy ${f.depFiles[0]}`, from: "context", paths: ["."], dest: "/build", include: f.depFiles },
    { kind: "run", name: f.tool === "leiningen" ? "lein deps" : "clojure -P", shell: f.deps, caches, env: [] },
    sourceCopy(["target", ".cpcache", ".lein-*"]),
    { kind: "run", name: f.tool === "leiningen" ? "lein uberjar" : "clojure uber", shell: `${buildCommand ?? f.build} && { ${collectArtifact(f.artifact)}; }`, caches, env: [] },
  ];
}

export const clojureProvider: Provider<ClojureFacts> = {
  id: "clojure",
  name: "Clojure",
  aliases: ["leiningen", "lein"],
  markers: ["project.clj", "deps.edn"],
  options: Object.keys(ClojureSettings.shape),
  reads: ["project.clj", "deps.edn", "build.clj", ...JDK_FILES],
  hardened: JVM_HARDENED,
  imageEnv: JVM_IMAGE_ENV,
  sample: { "project.clj": '(defproject app "0.1.0"\n  :dependencies [[org.clojure/clojure "1.12.0"]]\n  :main app.core\n  :aot [app.core])\n' },
  async matches(ctx) {
    return (await isFile(ctx, "project.clj")) || (await isFile(ctx, "deps.edn"));
  },
  async facts(ctx, args: BuildArgs) {
    const s = parseArgs(ClojureSettings, args);
    return (await isFile(ctx, "project.clj")) ? leinFacts(ctx, s) : cliFacts(ctx, s);
  },
  summary: (f) => ({ language: "clojure", version: f.jdk.version, versionSource: f.jdk.source, packageManager: f.tool }),
  plan(input) {
    const f = input.facts;
    const flavour = f.tool === "leiningen" ? "lein" : "tools-deps";
    return planJvm(
      {
        language: "clojure",
        jdk: f.jdk,
        packageManager: f.tool,
        builderImage: `clojure:temurin-${f.jdk.version}-${flavour}`,
        env: f.tool === "leiningen" ? [["LEIN_ROOT", "1"]] : [],
        caches: CACHES,
        steps: steps(f, input.common.buildCommand),
        artifact: f.artifact,
        javaOpts: "-Dclojure.main.report=stderr",
        warnings: f.warnings,
      },
      input,
    );
  },
  dhiCommand: (_facts, command) => jvmDhiCommand(command),
};

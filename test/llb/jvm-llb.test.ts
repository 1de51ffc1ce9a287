// The emitted graph for every JVM build tool: the dependency step's inputs are
// the build files alone (never the whole context), it runs before the source is
// copied, with the tool's caches mounted under the app's namespace; the
// compiler runs on the build platform; the runtime holds only the artifact.
import { describe, it, expect } from "vitest";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { planToLlb, type EmitOptions } from "../../src/emit/plan-to-llb.js";
import { marshal } from "../../src/llb/marshal.js";
import { decodeDefinition, ancestors, hex, runtimeLayers } from "../helpers/llb.js";

const amd64 = { os: "linux", architecture: "amd64" };
const arm64 = { os: "linux", architecture: "arm64" };
const fixture = (name: string) => path.resolve(__dirname, "../../fixtures", name);
const emitOpts: EmitOptions = { platform: amd64, contextName: "context", sessionId: "sess", excludePatterns: [".git"], resolveMode: "default", cacheNamespace: "app1" };

async function graph(name: string, args: Record<string, string> = {}, opts: Partial<EmitOptions> = {}) {
  const { plan } = await buildPlan(new LocalContext(fixture(name)), args);
  const m = marshal(planToLlb(plan, { ...emitOpts, ...opts }));
  return { plan, m, d: decodeDefinition(m.bytes) };
}

type D = ReturnType<typeof decodeDefinition>;
const execs = (d: D) => d.ops.filter((o) => o.op.exec);
const shellOf = (o: any) => o.op.exec.meta.args.join(" ");
const copiesBefore = (d: D, op: any) => ancestors(d, op).filter((o) => o.op.file).flatMap((o) => o.op.file.actions.map((a: any) => a.copy).filter(Boolean));

// fixture, dependency command, build command, include patterns of the dependency layer, cache id → target
const CASES: [string, string, string, string[], Record<string, string>][] = [
  ["java-maven-spring", "go-offline", "mvn -B -DskipTests package", ["**/pom.xml", "mvnw"], { "app1-maven-repository": "/root/.m2/repository", "app1-maven-wrapper": "/root/.m2/wrapper" }],
  ["java-maven-wrapper-shade", "./mvnw -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline", "./mvnw -B -DskipTests package", ["**/pom.xml", ".mvn/**"], { "app1-maven-repository": "/root/.m2/repository", "app1-maven-wrapper": "/root/.m2/wrapper" }],
  ["java-maven-multimodule", "go-offline", "mvn -B -DskipTests -pl app -am package", ["**/pom.xml"], { "app1-maven-repository": "/root/.m2/repository" }],
  ["java-maven-micronaut", "go-offline", "mvn -B -DskipTests package", ["**/pom.xml"], { "app1-maven-repository": "/root/.m2/repository" }],
  ["java-maven-quarkus", "go-offline", "mvn -B -DskipTests package", ["**/pom.xml"], { "app1-maven-repository": "/root/.m2/repository" }],
  ["java-gradle-groovy", "gradle --no-daemon -q :dependencies", "gradle --no-daemon :bootJar", ["**/build.gradle", "settings.gradle", "gradle/**"], { "app1-gradle-caches": "/root/.gradle/caches", "app1-gradle-wrapper": "/root/.gradle/wrapper" }],
  ["java-gradle-kts-wrapper", "./gradlew --no-daemon -q :dependencies", "./gradlew --no-daemon :shadowJar", ["**/build.gradle.kts", "settings.gradle.kts", "gradlew", "gradle/**"], { "app1-gradle-caches": "/root/.gradle/caches", "app1-gradle-wrapper": "/root/.gradle/wrapper" }],
  ["kotlin-gradle-multi", "gradle --no-daemon -q :dependencies :app:dependencies", "gradle --no-daemon :app:installDist", ["**/build.gradle.kts", "gradle/**"], { "app1-gradle-caches": "/root/.gradle/caches" }],
  ["scala-sbt", "sbt update", "sbt stage", ["*.sbt", "project/**"], { "app1-sbt": "/root/.sbt", "app1-ivy2": "/root/.ivy2", "app1-coursier": "/root/.cache/coursier" }],
  ["scala-sbt-multi", "sbt update", "sbt server/stage", ["*.sbt", "project/**"], { "app1-sbt": "/root/.sbt", "app1-coursier": "/root/.cache/coursier" }],
  ["scala-sbt-assembly", "sbt update", "sbt assembly", ["*.sbt", "project/**"], { "app1-coursier": "/root/.cache/coursier" }],
  ["clojure-lein", "lein with-profile uberjar deps", "lein uberjar", ["project.clj"], { "app1-maven-repository": "/root/.m2/repository" }],
  ["clojure-lein-uberjar-name", "lein with-profile uberjar deps", "lein uberjar", ["project.clj"], { "app1-maven-repository": "/root/.m2/repository" }],
  ["clojure-deps", "clojure -P && clojure -P -T:build", "clojure -T:build uber", ["deps.edn"], { "app1-maven-repository": "/root/.m2/repository", "app1-clojure-gitlibs": "/root/.gitlibs" }],
];

describe.each(CASES)("%s graph", (name, depCmd, buildCmd, includes, caches) => {
  it("resolves dependencies from the build files alone, before the source is copied", async () => {
    const { d } = await graph(name);
    const dep = execs(d).find((o) => shellOf(o).includes(depCmd))!;
    expect(dep, depCmd).toBeDefined();
    const depCopies = copiesBefore(d, dep);
    expect(depCopies.filter((c: any) => c.src === "/" && !(c.includePatterns ?? c.include_patterns)?.length)).toEqual([]);
    const patterns = depCopies.flatMap((c: any) => c.includePatterns ?? c.include_patterns ?? []);
    expect(patterns).toEqual(expect.arrayContaining(includes));
    const build = execs(d).find((o) => shellOf(o).includes(buildCmd))!;
    expect(build, buildCmd).toBeDefined();
    expect(copiesBefore(d, build).some((c: any) => c.src === "/" && !(c.includePatterns ?? c.include_patterns)?.length)).toBe(true);
    expect(ancestors(d, build).map((o) => o.digest)).toContain(dep.digest);
  });

  it("mounts the tool's caches under the app's namespace on both steps", async () => {
    const { d } = await graph(name);
    for (const cmd of [depCmd, buildCmd]) {
      const op = execs(d).find((o) => shellOf(o).includes(cmd))!;
      const mounts = Object.fromEntries(op.op.exec.mounts.filter((x: any) => x.mountType === 3).map((x: any) => [x.cacheOpt.ID, x.dest]));
      expect(mounts).toMatchObject(caches);
    }
  });

  it("compiles on the build platform: an arm64 image changes only the runtime's base, not the build ops", async () => {
    const a = await graph(name);
    const b = await graph(name, {}, { platform: arm64, buildPlatform: amd64 });
    const digests = (g: typeof a) => execs(g.d).map((o) => o.digest);
    expect(digests(b)).not.toEqual([]);
    const build = execs(b.d).find((o) => shellOf(o).includes(buildCmd))!;
    expect(build.op.platform?.Architecture ?? build.op.platform?.architecture).toBe("amd64");
    expect(runtimeLayers(b.d).base.op.platform?.Architecture ?? runtimeLayers(b.d).base.op.platform?.architecture).toBe("arm64");
  });

  it("assembles a JRE runtime from the artifact only, owned by uid 1000, with byte-identical LLB on repeat", async () => {
    const { d, m, plan } = await graph(name);
    const { base, ops } = runtimeLayers(d);
    expect(base.op.source.identifier).toContain("eclipse-temurin");
    expect(base.op.source.identifier).toMatch(/-jre$/);
    const copies = ops.flatMap((o) => o.op.file.actions).filter((a: any) => a.copy);
    expect(copies.length).toBe(plan.runtime.copies.length);
    for (const c of copies) {
      expect(c.copy.src).toMatch(/^\/build\/out/);
      expect(c.copy.owner).toMatchObject({ user: { byID: 1000 } });
    }
    expect(hex((await graph(name)).m.bytes)).toBe(hex(m.bytes));
  });
});

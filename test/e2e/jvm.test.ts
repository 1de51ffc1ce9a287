// JVM apps through the real frontend, with real dependencies from Maven
// Central (reached from the build steps): a Spring Boot app with Maven, a
// Micronaut Launch app (micronaut-parent shades the jar; Micronaut listens on
// 8080 unless told PORT), a Scala app with sbt (sbt itself, Scala and
// sbt-native-packager resolve from Maven Central), a multi-project sbt build
// whose app is a subproject, a Clojure app with Leiningen. Each builds once, runs as uid
// 1000 and answers HTTP on PORT; the runtime holds the artifact and no build
// tool; after a source-only change the dependency step is CACHED.
import { describe, it, expect, beforeAll } from "vitest";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { buildx, copyFixture, fixtureDir, inspect, requireEngine, ROOT, runAndFetch, runIn, stepCached, type BuildResult } from "./engine.js";

beforeAll(() => requireEngine());

// JVM start-up on a shared 2-core machine can take a while.
const START = 120_000;

interface App {
  fixture: string;
  /** A source file to touch for the source-only rebuild. */
  source: string;
  comment: string;
  depStep: string;
  buildStep: string;
  /** How many top image layers a source change may change (the rest must stay byte-identical). */
  keptLayers?: { changed: number };
}

function jvmApp(app: App, checks: (tag: string, first: () => BuildResult) => void): void {
  describe(app.fixture, () => {
    const tag = `jvm-e2e/${app.fixture}`;
    const dir = copyFixture(app.fixture);
    let first: BuildResult;
    beforeAll(() => {
      first = buildx(dir, tag);
      if (!first.ok) throw new Error(`build of ${app.fixture} failed:\n${first.log}`);
      console.log(`${app.fixture}: built in ${first.seconds.toFixed(1)}s`);
    }, 1_800_000);

    it("runs as 1000:1000 from /app on the JRE image, with JAVA_OPTS sized to the container", () => {
      const cfg = inspect(tag).Config;
      expect(cfg).toMatchObject({ User: "1000:1000", WorkingDir: "/app" });
      expect(cfg.Env).toContain("PORT=5000");
      expect(cfg.Env.find((e: string) => e.startsWith("JAVA_OPTS="))).toContain("-XX:MaxRAMPercentage=80.0");
    });

    it("ships the artifact only: no build tool, no sources", () => {
      const r = runIn(tag, "/bin/sh", ["-c", "ls -A /app; ! command -v mvn && ! command -v sbt && ! command -v lein && ! ls /app/src 2>/dev/null && echo CLEAN"]);
      expect(r.out).toContain("CLEAN");
    });

    checks(tag, () => first);

    it(`after a source-only change "${app.depStep}" is CACHED and only "${app.buildStep}" reruns`, () => {
      appendFileSync(path.join(dir, app.source), `\n${app.comment} a source-only change ${Date.now()}\n`);
      const edited = buildx(dir, `${tag}-edit`);
      expect(edited.ok, edited.log).toBe(true);
      expect(stepCached(edited.log, app.depStep)).toBe(true);
      expect(stepCached(edited.log, app.buildStep)).toBe(false);
      if (app.keptLayers) {
        // The image's dependency layers are the same bytes: a registry would not upload them again.
        const layers = (t: string) => (inspect(t).RootFS.Layers as string[]).slice(0, -app.keptLayers!.changed);
        expect(layers(`${tag}-edit`)).toEqual(layers(tag));
      }
      console.log(`${app.fixture}: first ${first.seconds.toFixed(1)}s, after a source edit ${edited.seconds.toFixed(1)}s`);
    }, 1_800_000);
  });
}

jvmApp(
  { fixture: "java-maven-spring", source: "src/main/java/com/example/demo/DemoApplication.java", comment: "//", depStep: "resolve Maven dependencies", buildStep: "mvn package", keptLayers: { changed: 1 } },
  (tag) => {
    it("Spring Boot answers on the PORT it is given, as uid 1000, the JVM as PID 1", async () => {
      const res = await runAndFetch(tag, { port: 8080, env: { PORT: "8080" }, timeoutMs: START });
      expect(res.status).toBe(200);
      expect(res.body).toBe("hello from spring boot");
      expect(res.uid).toBe("1000");
      expect(inspect(tag).Config.Cmd).toEqual(["/bin/sh", "-c", "exec java -Dserver.port=$PORT $JAVA_OPTS org.springframework.boot.loader.launch.JarLauncher"]);
    }, START + 10_000);

    it("holds Spring Boot's layers, dependencies in an image layer of their own below the application's", () => {
      expect(runIn(tag, "/bin/sh", ["-c", "ls /app; ls /app/BOOT-INF/lib | grep -c '^spring-web'"]).out).toMatch(/^BOOT-INF\nMETA-INF\norg\n[1-9]/);
      const history = inspect(tag).RootFS.Layers as string[];
      expect(history.length).toBeGreaterThanOrEqual(4);
    });
  },
);

jvmApp(
  { fixture: "scala-sbt", source: "src/main/scala/Main.scala", comment: "//", depStep: "sbt update", buildStep: "sbt stage" },
  (tag) => {
    it("the staged start script answers on PORT as uid 1000", async () => {
      const res = await runAndFetch(tag, { timeoutMs: START });
      expect(res.status).toBe(200);
      expect(res.body).toMatch(/^hello from scala on 17\./);
      expect(res.uid).toBe("1000");
      expect(inspect(tag).Config.Cmd).toEqual(["bin/scala-hello"]);
    }, START + 10_000);

    it("ships bin/ and lib/ (the Scala library among the jars)", () => {
      const r = runIn(tag, "/bin/sh", ["-c", "ls /app /app/lib"]);
      expect(r.out).toMatch(/bin[\s\S]*lib[\s\S]*scala3-library_3-3\.3\.4\.jar/);
    });
  },
);

jvmApp(
  { fixture: "java-maven-micronaut", source: "src/main/java/example/micronaut/HelloController.java", comment: "//", depStep: "resolve Maven dependencies", buildStep: "mvn package" },
  (tag) => {
    it("the parent-shaded jar answers on the PORT it is given (not Micronaut's 8080), on Java 17 from release.version", async () => {
      const res = await runAndFetch(tag, { port: 8081, env: { PORT: "8081" }, timeoutMs: START });
      expect(res.status).toBe(200);
      expect(res.body).toMatch(/^hello from micronaut on 17\./);
      expect(res.uid).toBe("1000");
      expect(inspect(tag).Config.Cmd).toEqual(["/bin/sh", "-c", "exec java -Dmicronaut.server.port=$PORT $JAVA_OPTS -jar app.jar"]);
      expect(runIn(tag, "/bin/sh", ["-c", "ls /app"]).out.trim()).toBe("app.jar");
    }, START + 10_000);
  },
);

jvmApp(
  { fixture: "scala-sbt-multi", source: "modules/server/src/main/scala/shop/server/Main.scala", comment: "//", depStep: "sbt update", buildStep: "sbt server/stage" },
  (tag) => {
    it("the server subproject's staged script answers on PORT, with the core subproject's jar in lib/", async () => {
      const res = await runAndFetch(tag, { timeoutMs: START });
      expect(res.status).toBe(200);
      expect(res.body).toMatch(/^hello from the server subproject on 17\./);
      expect(res.uid).toBe("1000");
      expect(inspect(tag).Config.Cmd).toEqual(["bin/shop-server"]);
      expect(runIn(tag, "/bin/sh", ["-c", "ls /app/bin /app/lib"]).out).toMatch(/shop-server[\s\S]*shop-core\.shop-core-0\.1\.0\.jar/);
    }, START + 10_000);
  },
);

jvmApp(
  { fixture: "clojure-lein", source: "src/hello/core.clj", comment: ";;", depStep: "lein deps", buildStep: "lein uberjar" },
  (tag) => {
    it("the uberjar answers on PORT as uid 1000 (data.json from Maven Central inside)", async () => {
      const res = await runAndFetch(tag, { timeoutMs: START });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ hello: "clojure", clojure: "1.12.0" });
      expect(res.uid).toBe("1000");
    }, START + 10_000);
  },
);

describe("USE_DHI=true java-maven-spring", () => {
  const tag = "jvm-e2e/dhi-java-maven-spring";
  beforeAll(() => {
    execFileSync("node", ["scripts/standins.mjs", "--dhi", fixtureDir("java-maven-spring")], { cwd: ROOT, stdio: "inherit" });
    const build = buildx(fixtureDir("java-maven-spring"), tag, { buildArgs: { USE_DHI: "true" } });
    if (!build.ok) throw new Error(`build failed:\n${build.log}`);
  }, 1_800_000);

  it("starts without a shell (JAVA_OPTS written into the argv) and answers as the image's nonroot user", async () => {
    const cfg = inspect(tag).Config;
    expect(cfg.User).toBe("65532:65532");
    expect(cfg.Cmd).toEqual(["java", "-Dserver.port=5000", "-Dfile.encoding=UTF-8", "-XX:MaxRAMPercentage=80.0", "org.springframework.boot.loader.launch.JarLauncher"]);
    expect(runIn(tag, "/bin/sh", ["-c", "echo hi"]).code).not.toBe(0);
    const res = await runAndFetch(tag, { timeoutMs: START });
    expect(res.status).toBe(200);
    expect(res.body).toBe("hello from spring boot");
    expect(res.uid).toBe("65532");
  }, START + 10_000);
});

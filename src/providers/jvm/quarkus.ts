// Quarkus packaging: fast-jar (quarkus-app/, the default) or uber-jar, chosen by
// `quarkus.package.jar.type` (3.9+) or `quarkus.package.type` (before), which
// apps set in src/main/resources/application.properties (prod profile or none),
// in the pom's properties, in gradle.properties or in the Gradle build script.
import { readText, type BuildContext } from "../../context/fs.js";

/** Quarkus' config file, relative to a module's folder. */
export const QUARKUS_CONFIG = "src/main/resources/application.properties";

/** Whether properties text (application.properties, gradle.properties) asks for an uber-jar. */
export function uberJarInProperties(text: string | undefined): boolean {
  return /^[ \t]*(?:%prod\.)?quarkus\.package\.(?:jar\.)?type[ \t]*[=:][ \t]*uber-jar[ \t]*$/m.test(text ?? "");
}

/** The module's application.properties asks for an uber-jar (`dir` is the module's folder, "" for the root). */
export async function quarkusUberJar(ctx: BuildContext, dir: string): Promise<boolean> {
  return uberJarInProperties(await readText(ctx, dir ? `${dir}/${QUARKUS_CONFIG}` : QUARKUS_CONFIG));
}

/** A Gradle script's `quarkus { set("package.jar.type", "uber-jar") }` or a system property it sets. */
export function uberJarInGradle(text: string): boolean {
  return /package\.(?:jar\.)?type["']?\s*[,=:)]?\s*,?\s*["']uber-jar["']/.test(text);
}

// Dropwizard apps start as `java -jar app.jar server <config.yml>`: without the
// `server` command the jar prints its usage and exits. The config is a YAML
// file at the project's root with a top-level `server:` (config.yml by
// convention, or named after the app: hello-world.yml, example.yml); it is
// shipped beside the jar. Dropwizard reads `dw.`-prefixed system properties
// over the file, which binds the connector to PORT: the simple server's one
// connector, or the default server's first application connector.
import { readText, type BuildContext } from "../../context/fs.js";

/** Root YAML files (the gateway loads them for the config search). */
export const DROPWIZARD_READS = ["*.yml", "*.yaml"];

/** The dependency that makes a Dropwizard app (Maven coordinates or a Gradle dependency string). */
export const DROPWIZARD_DEPENDENCY = /["']?io\.dropwizard:dropwizard-core\b/;

export interface DropwizardRun {
  /** The config file, relative to the context ("" when there is none: Dropwizard's defaults). */
  config?: string;
  portFlag: string;
  args: string;
}

/** Not a Dropwizard config although YAML with a `server:` may appear: CI and tool files. */
const NOT_CONFIG = /^(\.|docker-compose|compose|mkdocs|codecov|renovate|dependabot|openapi|swagger|application)/;

export async function dropwizardRun(ctx: BuildContext): Promise<{ run: DropwizardRun; warnings: string[] }> {
  const found: { file: string; text: string }[] = [];
  for (const e of (await ctx.readDir("")) ?? []) {
    if (e.kind !== "file" || !/\.ya?ml$/.test(e.name) || NOT_CONFIG.test(e.name)) continue;
    const text = (await readText(ctx, e.name)) ?? "";
    if (/^server\s*:/m.test(text)) found.push({ file: e.name, text });
  }
  const warnings: string[] = [];
  const pick = found.find((f) => /^config\.ya?ml$/.test(f.file)) ?? found[0];
  if (found.length > 1) warnings.push(`Dropwizard: several configs (${found.map((f) => f.file).join(", ")}); starting with ${pick!.file}. Set RUN_COMMAND to start with another.`);
  const simple = pick ? /^server\s*:\s*\n(?:[ \t]+.*\n|\s*\n)*?[ \t]+type\s*:\s*simple\b/m.test(`${pick.text}\n`) : false;
  // The brackets are quoted: sh would treat them as a glob.
  const portFlag = simple ? "-Ddw.server.connector.port=$PORT" : '"-Ddw.server.applicationConnectors[0].port=$PORT"';
  return { run: { config: pick?.file, portFlag, args: pick ? `server ${pick.file}` : "server" }, warnings };
}

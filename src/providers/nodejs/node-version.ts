// Node.js version of an app, from the files that pin it (also used by Bun apps
// that run Node.js next to Bun).
import { readVersionFile, UserError, type BuildContext } from "../../context/fs.js";
import { toolVersion } from "../../manifest/tool-versions.js";
import { defaultNodeVersion, resolveNodeVersion } from "./versions.js";
import type { PackageJson } from "./package-json.js";

/**
 * NODE_VERSION, .node-version, .nvmrc, mise / .tool-versions, engines.node, then the default LTS:
 * files that pin a version beat engines.node, which states a range the app works with.
 */
export async function nodeVersion(ctx: BuildContext, arg: string | undefined, pkg: PackageJson): Promise<{ version: string; source: string }> {
  const mise = await toolVersion(ctx, "node", ["nodejs"]);
  const candidates: [string | undefined, string][] = [
    [arg, "build arg NODE_VERSION"],
    [await readVersionFile(ctx, ".node-version"), ".node-version"],
    [await readVersionFile(ctx, ".nvmrc"), ".nvmrc"],
    [mise?.version.replace(/^lts$/, "lts/*"), mise?.file ?? ""],
    [pkg.engines?.node, "package.json engines.node"],
  ];
  for (const [raw, source] of candidates) {
    if (!raw?.trim()) continue;
    const r = resolveNodeVersion(raw);
    if (!r.ok) {
      const file = source.startsWith("build arg") ? undefined : source.split(" ")[0];
      throw new UserError(`${source} asks for Node.js "${raw.trim()}": ${r.reason}. Use a version such as 22, 22.11.0 or lts/*.`, file);
    }
    return { version: r.version, source };
  }
  return { version: defaultNodeVersion(), source: "default" };
}

// The YAML settings planning needs (.yarnrc.yml, pnpm-workspace.yaml), read
// with a real YAML parser (src/manifest/yaml.ts): flow lists over several
// lines, anchors and comments mean what they mean to Yarn and pnpm.
import { UserError } from "../../context/fs.js";
import { parseYaml } from "../../manifest/yaml.js";

/** Yarn Berry's nodeLinker values. Declared here, where .yarnrc.yml is read, so package-manager.ts and this file do not import each other. */
export type YarnLinker = "pnp" | "node-modules" | "pnpm";

export interface YarnRc {
  nodeLinker?: YarnLinker;
  yarnPath?: string;
  /** `plugins:` lists @yarnpkg/plugin-workspace-tools (needed for `workspaces focus` before Yarn 4). */
  hasWorkspaceToolsPlugin: boolean;
}

const LINKERS: readonly YarnLinker[] = ["pnp", "node-modules", "pnpm"];

function mapping(text: string, file: string): Record<string, unknown> {
  const doc = parseYaml(text, file);
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new UserError(`${file} must be a YAML mapping of settings (key: value); fix it and build again.`, file);
  return doc as Record<string, unknown>;
}

export function parseYarnRc(text: string): YarnRc {
  const rc = mapping(text, ".yarnrc.yml");
  const linker = rc.nodeLinker;
  if (linker !== undefined && !(LINKERS as readonly unknown[]).includes(linker)) {
    throw new UserError(`.yarnrc.yml: nodeLinker "${String(linker)}" is not one of ${LINKERS.join(", ")}; fix it and build again.`, ".yarnrc.yml");
  }
  // A plugin entry is a path string or `{ path, spec }`; only a real entry counts, never a comment.
  const plugins = Array.isArray(rc.plugins) ? rc.plugins : [];
  const hasWorkspaceToolsPlugin = plugins.some((p) => {
    const entry = typeof p === "string" ? p : p && typeof p === "object" ? [(p as { path?: unknown }).path, (p as { spec?: unknown }).spec].join(" ") : "";
    return /plugin-workspace-tools/.test(String(entry));
  });
  return {
    nodeLinker: linker as YarnLinker | undefined,
    yarnPath: typeof rc.yarnPath === "string" ? rc.yarnPath : undefined,
    hasWorkspaceToolsPlugin,
  };
}

/** pnpm-workspace.yaml `packages:` globs; undefined when the file only holds settings. */
export function pnpmWorkspacePackages(text: string): string[] | undefined {
  const packages = mapping(text, "pnpm-workspace.yaml").packages;
  if (packages === undefined || packages === null) return undefined;
  if (!Array.isArray(packages) || packages.some((p) => typeof p !== "string")) {
    throw new UserError('pnpm-workspace.yaml: `packages` must be a list of folder globs, e.g. packages: ["apps/*", "packages/*"]; fix it and build again.', "pnpm-workspace.yaml");
  }
  return packages.length ? (packages as string[]) : undefined;
}

// Staticfile (the Cloud Foundry / Heroku static buildpack convention): a YAML
// file that marks a static site and says which folder to serve (`root`) and
// whether unknown paths fall back to index.html (`pushstate: enabled`, or
// `index_fallback: true|false`). Served by the same small server as SPA builds.
import YAML from "yaml";
import { readText, UserError, type BuildContext } from "../../context/fs.js";
import { cleanDir } from "./js-config.js";

export const STATICFILE = "Staticfile";

export interface Staticfile {
  /** Folder served, relative to the app ("" = the app itself). */
  root: string;
  /** Unknown extensionless paths answer index.html (client-side routing). */
  fallback: boolean;
}

export async function readStaticfile(ctx: BuildContext): Promise<Staticfile | undefined> {
  const text = await readText(ctx, STATICFILE);
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = YAML.parse(text) ?? {};
  } catch (e) {
    throw new UserError(`Staticfile is not valid YAML (${(e as Error).message.split("\n")[0]}); write settings as "root: public".`, STATICFILE);
  }
  const o = (typeof doc === "object" && doc !== null ? doc : {}) as Record<string, unknown>;
  const rawRoot = o.root === undefined ? "." : String(o.root);
  const root = rawRoot.trim() === "." || rawRoot.trim() === "./" ? "" : cleanDir(rawRoot);
  if (root === undefined) throw new UserError(`Staticfile root "${rawRoot}" must be a folder inside the app (e.g. "root: public").`, STATICFILE);
  const flag = (v: unknown) => (typeof v === "boolean" ? v : typeof v === "string" ? /^(true|yes|on|enabled)$/i.test(v.trim()) : undefined);
  const fallback = flag(o.index_fallback) ?? flag(o.pushstate) ?? true;
  return { root, fallback };
}

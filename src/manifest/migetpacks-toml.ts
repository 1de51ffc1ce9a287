// migetpacks.toml at the context root: the same options as build args, kept
// with the app. Keys are option names in any case (`run_command` or
// `RUN_COMMAND`); `[env]` holds build-time variables.
//
//   run_command = "./server --port $PORT"
//   port = 8080
//   project_path = "apps/api"
//   [env]
//   NODE_OPTIONS = "--max-old-space-size=4096"
import { parse, TomlError } from "smol-toml";
import { readText, UserError, type BuildContext } from "../context/fs.js";

export const MIGETPACKS_TOML = "migetpacks.toml";

export interface TomlConfig {
  options: Record<string, string>;
  env: Record<string, string>;
}

export async function readMigetpacksToml(ctx: BuildContext): Promise<TomlConfig> {
  const text = await readText(ctx, MIGETPACKS_TOML);
  if (text === undefined) return { options: {}, env: {} };
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    const where = e instanceof TomlError ? ` at line ${e.line}, column ${e.column}` : "";
    throw new UserError(`${MIGETPACKS_TOML} is not valid TOML${where}: ${(e as Error).message.split("\n")[0]}`, MIGETPACKS_TOML);
  }
  const out: TomlConfig = { options: {}, env: {} };
  for (const [key, value] of Object.entries(doc)) {
    if (key === "env") {
      out.env = scalarTable(value, "[env]");
      continue;
    }
    out.options[key.toUpperCase()] = scalar(value, key);
  }
  return out;
}

function scalar(v: unknown, key: string): string {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.join(",");
  throw new UserError(`${MIGETPACKS_TOML}: "${key}" must be a string, number or boolean.`, MIGETPACKS_TOML);
}

function scalarTable(v: unknown, name: string): Record<string, string> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new UserError(`${MIGETPACKS_TOML}: ${name} must be a table of NAME = "value".`, MIGETPACKS_TOML);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scalar(x, `${name} ${k}`)]));
}

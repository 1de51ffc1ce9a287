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
import { withOrigin } from "../options/build-args.js";
import { envNameProblem, short } from "../options/env-names.js";
import { closest } from "../options/suggest.js";

export const MIGETPACKS_TOML = "migetpacks.toml";

export interface TomlConfig {
  options: Record<string, string>;
  env: Record<string, string>;
}

/**
 * Reads the file. With `known` (every option name), a key that is no option is
 * refused: a typo such as `run_comand` used to become a build variable silently.
 */
export async function readMigetpacksToml(ctx: BuildContext, known?: readonly string[]): Promise<TomlConfig> {
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
  const shown: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key === "env") {
      out.env = envTable(value, text);
      continue;
    }
    if (known) checkKnown(key, known, text);
    out.options[key.toUpperCase()] = scalar(value, key);
    shown[key.toUpperCase()] = `${key} = ${typeof value === "string" ? JSON.stringify(short(value)) : short(String(value))}`;
  }
  out.options = withOrigin(out.options, MIGETPACKS_TOML, shown);
  return out;
}

function checkKnown(key: string, known: readonly string[], text: string): void {
  if (known.includes(key.toUpperCase())) return;
  const guess = closest(key, known);
  const hint = guess ? `did you mean ${guess.toLowerCase()}?` : "options are listed in the README";
  throw new UserError(
    `${at(text, key)}: unknown key ${JSON.stringify(short(key))}; ${hint} (build-time variables go in the [env] table).`,
    MIGETPACKS_TOML,
  );
}

function scalar(v: unknown, key: string): string {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.join(",");
  throw new UserError(`${MIGETPACKS_TOML}: "${short(key)}" must be a string, number or boolean.`, MIGETPACKS_TOML);
}

/** [env]: NAME = "value"; a name a shell or runc would refuse is an error here, with its line. */
function envTable(v: unknown, text: string): Record<string, string> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new UserError(`${MIGETPACKS_TOML}: [env] must be a table of NAME = "value".`, MIGETPACKS_TOML);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    const problem = envNameProblem(k);
    if (problem) throw new UserError(`${at(text, k)}: [env]: ${problem}; use names such as NODE_OPTIONS or APP_MODE.`, MIGETPACKS_TOML);
    out[k] = scalar(x, `[env] ${k}`);
  }
  return out;
}

/** `migetpacks.toml:3` for the line that defines `key` (bare or quoted), else just the file name. */
function at(text: string, key: string): string {
  const lines = text.split(/\r?\n/);
  const forms = [key, JSON.stringify(key), `'${key}'`];
  const i = lines.findIndex((l) => forms.some((f) => l.trimStart().startsWith(f) && /^\s*=/.test(l.trimStart().slice(f.length))));
  return i >= 0 ? `${MIGETPACKS_TOML}:${i + 1}` : MIGETPACKS_TOML;
}

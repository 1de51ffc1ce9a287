// TOML files (Cargo.toml, pyproject.toml, mise.toml, migetpacks.toml...), parsed with
// smol-toml. A syntax error is the user's to fix, so it names the file and the line.
import { parse, TomlError } from "smol-toml";
import { readText, UserError, type BuildContext } from "../context/fs.js";

export type TomlTable = Record<string, unknown>;

export function parseToml(text: string, file: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const reason = e.message.split("\n")[0]!.replace(/^Invalid TOML document:\s*/, "");
    throw new UserError(`${file} is not valid TOML: line ${e.line}, column ${e.column}: ${reason}; fix the syntax and build again.`, file);
  }
}

/** The parsed file, or undefined when it does not exist. */
export async function readToml(ctx: BuildContext, file: string): Promise<TomlTable | undefined> {
  const text = await readText(ctx, file);
  return text === undefined ? undefined : parseToml(text, file);
}

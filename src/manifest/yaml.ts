// YAML files (pnpm-workspace.yaml, .yarnrc.yml, Staticfile, ...), parsed with
// the `yaml` package — a real YAML parser, so flow lists spanning lines and
// comments are read the way the tools that own these files read them. A
// syntax error names the file and the line.
import { LineCounter, parseDocument } from "yaml";
import { readText, UserError, type BuildContext } from "../context/fs.js";
import { checkNesting } from "../context/nesting.js";

export function parseYaml(text: string, file: string): unknown {
  // Flow collections nested thousands deep make the parser crawl: refused first, naming the line.
  checkNesting(text, file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const err = doc.errors[0];
  if (err) {
    const line = lineCounter.linePos(err.pos[0]).line;
    const reason = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new UserError(`${file} is not valid YAML${line ? `: line ${line}` : ""}: ${reason}; fix the syntax and build again.`, file);
  }
  // maxAliasCount bounds "billion laughs" documents.
  return doc.toJS({ maxAliasCount: 100 });
}

/** The parsed file, or undefined when it does not exist. */
export async function readYaml(ctx: BuildContext, file: string): Promise<unknown> {
  const text = await readText(ctx, file);
  return text === undefined ? undefined : parseYaml(text, file);
}

// Hardened runtimes have no shell, so the start command must become an argv
// at build time: `$PORT` is pre-expanded (the image sets it), interpreter
// shims are made explicit, and anything that truly needs a shell (operators,
// pipes, redirects, globs, other variables) is refused with a clear error —
// never an image that cannot start.
import { parse } from "shell-quote";
import { UserError } from "../context/fs.js";

const SHELLS = new Set(["sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/env"]);

export interface ExecFormOptions {
  port: number;
  /** The language's interpreter shims (Provider.execForm). */
  rewrite?: (argv: string[]) => string[];
}

export function toExecForm(command: string, o: ExecFormOptions): string[] {
  const needShell = (why: string) =>
    new UserError(`the start command \`${command}\` needs a shell (${why}), but the hardened runtime (USE_DHI=true) has none; write it as a plain command, e.g. in a Procfile \`web: node server.js\`, or build without USE_DHI.`);
  const unknownVars: string[] = [];
  const tokens = parse(command.trim().replace(/^exec\s+/, ""), (key: string) => expandVar(key, o.port, unknownVars));
  if (unknownVars.length) throw needShell(`it reads $${unknownVars[0]}, which is only known when the container runs`);
  const argv: string[] = [];
  for (const t of tokens) {
    if (typeof t === "string") argv.push(t);
    else if ("op" in t && t.op === "glob") throw needShell(`it uses the glob ${t.pattern}`);
    else if ("op" in t) throw needShell(`it uses \`${t.op}\``);
    else throw needShell("it contains a comment");
  }
  if (!argv.length) throw new UserError("the start command is empty; set RUN_COMMAND or a Procfile web: line.");
  if (SHELLS.has(argv[0]!)) throw needShell(`it runs ${argv[0]}`);
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]!)) throw needShell(`it sets ${argv[0]!.split("=")[0]} before the command; set it as a build arg or in app.json env instead`);
  return o.rewrite ? o.rewrite(argv) : argv;
}

/** `$PORT`, `${PORT}`, `${PORT:-5000}` → the image's port; every other variable is refused. */
function expandVar(key: string, port: number, unknown: string[]): string {
  const name = key.replace(/^\{|\}$/g, "").split(/:?[-=?+]/)[0]!;
  if (name === "PORT") return String(port);
  unknown.push(name);
  return "";
}

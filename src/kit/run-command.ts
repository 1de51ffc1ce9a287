// The web command: RUN_COMMAND, then Procfile `web:`, then the language
// default (never another Procfile entry: `release:` must not start the app). And how a command becomes the image's argv.
import type { Procfile } from "../manifest/procfile.js";

export interface WebCommand {
  command: string;
  source: "RUN_COMMAND" | "Procfile web" | "default";
}

export function selectWebCommand(runCommand: string | undefined, procfile: Procfile | undefined, fallback: string): WebCommand {
  if (runCommand) return { command: runCommand, source: "RUN_COMMAND" };
  if (procfile?.web) return { command: procfile.web, source: "Procfile web" };
  return { command: fallback, source: "default" };
}

// Characters that need a shell: expansion, quoting, redirection, operators, globbing.
const SHELL_SYNTAX = /[$`"'\\|&;<>(){}*?~#\n]/;

/**
 * argv for a command on an image that has a shell. Plain words run directly
 * (the app is PID 1 and gets signals); anything with shell syntax — `$PORT`,
 * `&&`, quotes, `VAR=x cmd` — runs under `/bin/sh -c`.
 */
export function commandArgv(command: string): string[] {
  const words = command.trim().split(/\s+/);
  const needsShell = SHELL_SYNTAX.test(command) || (words[0]?.includes("=") ?? false);
  return needsShell ? ["/bin/sh", "-c", command] : words;
}

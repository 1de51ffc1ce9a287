// Procfile: `name: command` lines. Order is kept (never map order), `web`
// and `release` are picked out, every other name is a worker. Only `web:`
// is ever the image's command: the original fell back to the first entry,
// which made `release: ./migrate --drop-all` the start command.
export interface Procfile {
  web?: string;
  release?: string;
  workers: { name: string; command: string }[];
}

import { checkEntries, checkLength } from "../context/limits.js";

const LINE = /^([A-Za-z_][A-Za-z0-9_-]*)\s*:\s*(.*)$/;

export function parseProcfile(text: string): Procfile {
  const out: Procfile = { workers: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const name = m[1]!;
    const command = m[2]!.trim();
    if (!command) continue;
    checkLength(command, `command of process "${name}"`, "Procfile");
    if (name === "web") out.web ??= command;
    else if (name === "release") out.release = command;
    else out.workers.push({ name, command });
  }
  checkEntries(out.workers.length + (out.web ? 1 : 0) + (out.release ? 1 : 0), "processes", "Procfile");
  return out;
}

/** The warning for a Procfile that names processes but no `web:` (the language default starts instead). */
export function procfileWarning(procfile: Procfile | undefined): string | undefined {
  if (!procfile || procfile.web) return undefined;
  const names = [...(procfile.release ? ["release"] : []), ...procfile.workers.map((w) => w.name)];
  if (!names.length) return undefined;
  return `Procfile has no web: process (it lists ${names.join(", ")}), so the language's default command starts the app; add a "web: <command>" line or set RUN_COMMAND to choose it.`;
}

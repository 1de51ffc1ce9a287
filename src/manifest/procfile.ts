// Procfile: `name: command` lines. Order is kept (never map order), `web`
// and `release` are picked out, every other name is a worker.
export interface Procfile {
  web?: string;
  release?: string;
  workers: { name: string; command: string }[];
  /** First process of any name, the web fallback when there is no `web:`. */
  first?: string;
}

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
    out.first ??= command;
    if (name === "web") out.web ??= command;
    else if (name === "release") out.release = command;
    else out.workers.push({ name, command });
  }
  return out;
}

// Depth bound for JSON-like files. jsonc-parser recurses once per nesting
// level, so a deno.json nested 5,000 levels deep overflowed the stack
// ("Maximum call stack size exceeded"). Real manifests nest a few levels;
// anything past MAX_NESTING is refused with the file and line, before parsing.
import { UserError } from "./user-error.js";

export const MAX_NESTING = 256;

/** Throws a UserError naming `file` and the line where `text` nests deeper than `max` objects/arrays. */
export function checkNesting(text: string, file: string, max = MAX_NESTING): void {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) line++;
    else if (c === 34 /* " */) i = skipString(text, i);
    else if (c === 47 /* / */ && text[i + 1] === "/") i = skipTo(text, i, "\n") - 1;
    else if (c === 47 && text[i + 1] === "*") {
      const end = skipTo(text, i + 2, "*/");
      line += countLines(text, i, end);
      i = end + 1;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) {
        throw new UserError(`${file}:${line}: nested more than ${max} levels deep; no real manifest nests this far, so the file is refused. Flatten it and build again.`, file);
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth = Math.max(0, depth - 1);
  }
}

/** Index of the closing quote of the string opening at `start` (or the end of the text). */
function skipString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === '"' || c === "\n") return i - (c === "\n" ? 1 : 0);
  }
  return text.length;
}

function skipTo(text: string, from: number, token: string): number {
  const i = text.indexOf(token, from);
  return i < 0 ? text.length : i;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

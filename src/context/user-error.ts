// The one error type for problems in the user's files (its own module, so the
// parsers' helpers can throw it without importing the context interface).

/** Thrown for problems in the user's files; the message names the file and the fix. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(capMessage(message));
    this.name = "UserError";
  }
}

/** A message quotes the user's values; a huge one (a 10 KB version) is cut in the middle, never echoed whole. */
const MAX_MESSAGE = 1000;
function capMessage(m: string): string {
  if (m.length <= MAX_MESSAGE) return m;
  const keep = MAX_MESSAGE / 2 - 20;
  return `${m.slice(0, keep)} … (${m.length - 2 * keep} characters cut) … ${m.slice(-keep)}`;
}

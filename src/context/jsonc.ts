// JSON with comments and trailing commas (deno.json, deno.jsonc, tsconfig.json),
// parsed with Microsoft's jsonc-parser. A syntax error becomes a UserError
// naming the file, line and column.
// The ESM build is imported directly: the package's `main` is a UMD wrapper whose
// internal requires a bundler cannot follow.
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser/lib/esm/main.js";
import { readText, UserError, type BuildContext } from "./fs.js";
import { checkNesting } from "./nesting.js";

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

const DESCRIBE: Record<string, string> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "invalid number",
  PropertyNameExpected: "a property name (in double quotes) was expected",
  ValueExpected: "a value was expected",
  ColonExpected: "':' was expected",
  CommaExpected: "',' was expected",
  CloseBraceExpected: "'}' was expected",
  CloseBracketExpected: "']' was expected",
  EndOfFileExpected: "nothing may follow the top-level value",
  InvalidCommentToken: "invalid comment",
  UnexpectedEndOfComment: "a block comment is not closed",
  UnexpectedEndOfString: "a string is not closed",
  UnexpectedEndOfNumber: "a number ends too early",
  InvalidUnicode: "invalid unicode escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "invalid character",
};

/** Parses JSONC text; throws a UserError naming `path`, line and column on the first syntax error. */
export function parseJsonc(text: string, path: string): unknown {
  checkNesting(text, path);
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumn(text, first.offset);
    const code = printParseErrorCode(first.error);
    throw new UserError(`${path}:${line}:${column}: syntax error, ${DESCRIBE[code] ?? code}; fix it and build again.`, path);
  }
  return value;
}

/** Reads and parses a JSONC file; undefined when it does not exist. */
export async function readJsonc(ctx: BuildContext, path: string): Promise<unknown> {
  const text = await readText(ctx, path);
  return text === undefined ? undefined : parseJsonc(text, path);
}

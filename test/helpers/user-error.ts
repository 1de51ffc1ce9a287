// The one way tests get the UserError a plan or parser throws (a promise, or a
// function that throws), failing the test when it is anything else.
import { expect } from "vitest";
import { UserError } from "../../src/context/fs.js";

export async function userError(p: Promise<unknown> | (() => unknown)): Promise<UserError> {
  let e: unknown;
  try {
    await (typeof p === "function" ? p() : p);
  } catch (err) {
    e = err;
  }
  expect(e).toBeInstanceOf(UserError);
  return e as UserError;
}

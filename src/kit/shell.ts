// One way to quote words for /bin/sh: plain words stay as written (`-gcflags=all=-N`,
// `./cmd/api`), anything else is quoted by shell-quote (which the exec-form
// conversion also uses to split commands).
import { quote } from "shell-quote";

const PLAIN = /^[A-Za-z0-9_./:=@%+,-]+$/;

export function shellQuote(...words: string[]): string {
  return words.map((w) => (PLAIN.test(w) ? w : quote([w]))).join(" ");
}

// One way to quote words for /bin/sh (shell-quote, which the exec-form
// conversion also uses to split commands).
import { quote } from "shell-quote";

export function shellQuote(...words: string[]): string {
  return quote(words);
}

// "did you mean …?" for misspelt option names (run_comand → run_command).

/** Edit distance between two short strings (insert, delete, replace: 1 each). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest of `choices` to `word` (case-insensitive) when it is close enough to be a typo. */
export function closest(word: string, choices: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w.length > 64) return undefined;
  let best: { choice: string; d: number } | undefined;
  for (const choice of choices) {
    const d = editDistance(w, choice.toLowerCase());
    if (d <= Math.max(1, Math.floor(choice.length / 4)) && (!best || d < best.d)) best = { choice, d };
  }
  return best?.choice;
}

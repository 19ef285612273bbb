/**
 * "Did you mean": the candidate closest to `name` by edit distance, if it is close enough to be a
 * typo or a rename (`br-stor` for `br-storage`): at most a third of the longer name, and at least
 * 2 allowed, or one name a prefix of the other. Ties go to the first candidate in code-unit order.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of [...new Set(candidates)].sort()) {
    if (c === name) continue;
    const d = editDistance(name, c);
    const limit = Math.max(2, Math.floor(Math.max(name.length, c.length) / 3));
    const prefix = Math.min(name.length, c.length) >= 4 && (name.startsWith(c) || c.startsWith(name));
    if ((d <= limit || prefix) && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance; names are short (interface names, at most 64 characters in the model). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * "Did you mean …?" for misspelt names (config options, scenario keys, CLI commands).
 * Optimal-string-alignment distance (Damerau–Levenshtein restricted to one edit per
 * substring), so a swapped pair like `repl-timeotu` costs 1, as a typist would expect.
 */

/** Edit distance with insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  // Three rolling rows: the transposition step looks two rows back.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2]! + 1);
      }
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/**
 * The closest candidate, if it is close enough to be a plausible typo: at most a third of
 * the name's length in edits (and at least 1, at most 3), compared case-insensitively.
 * Ties go to the earlier candidate, so callers control preference by order.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= limit) return best;
  // A prefix or suffix match (e.g. `backlog-size` for `repl-backlog-size`) is also a good guess.
  for (const c of candidates) {
    const cl = c.toLowerCase();
    if (lower.length >= 4 && (cl.endsWith(lower) || cl.startsWith(lower))) return c;
  }
  return undefined;
}

// "Did you mean" suggestions: the nearest known name by Damerau-Levenshtein distance
// (insertions, deletions, substitutions and transpositions of adjacent characters).

/** Unrestricted Damerau-Levenshtein distance (Lowrance-Wagner), counted in UTF-16 code units. */
export function damerauLevenshtein(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  const infinity = n + m;
  const width = m + 2;
  // d[(i + 1) * width + (j + 1)] is the distance between a[0..i) and b[0..j).
  const d = new Int32Array((n + 2) * width);
  d[0] = infinity;
  for (let i = 0; i <= n; i++) {
    d[(i + 1) * width] = infinity;
    d[(i + 1) * width + 1] = i;
  }
  for (let j = 0; j <= m; j++) {
    d[j + 1] = infinity;
    d[width + j + 1] = j;
  }
  const lastRowOf = new Map<number, number>();
  for (let i = 1; i <= n; i++) {
    let lastMatchColumn = 0;
    for (let j = 1; j <= m; j++) {
      const i1 = lastRowOf.get(b.charCodeAt(j - 1)) ?? 0;
      const j1 = lastMatchColumn;
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      if (cost === 0) lastMatchColumn = j;
      d[(i + 1) * width + j + 1] = Math.min(
        d[i * width + j] + cost,
        d[(i + 1) * width + j] + 1,
        d[i * width + j + 1] + 1,
        d[i1 * width + j1] + (i - i1 - 1) + 1 + (j - j1 - 1),
      );
    }
    lastRowOf.set(a.charCodeAt(i - 1), i);
  }
  return d[(n + 1) * width + m + 1];
}

/**
 * The candidate nearest to `input` (case-insensitively), if it is near enough to be a likely typo:
 * at most one edit per three characters of the longer name, and at least one edit allowed.
 * Ties go to the candidate listed first.
 */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const distance = damerauLevenshtein(wanted, candidate.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(wanted.length, candidate.length) / 3));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

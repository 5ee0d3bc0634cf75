/**
 * Unknown keys in user-written input are errors, not silently ignored fields: a typo such as
 * `peakRequestPerSecond` would otherwise plan with the default and size the platform wrong.
 * Pure helpers (no cdktf import); a generic version may live in lib/core/validation.ts.
 */
import type { Problems } from "../../core/validation";

/** Levenshtein edit distance (insertions, deletions, substitutions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length] as number;
}

/**
 * The closest of `known` to `key`, if it is close enough to be a likely typo: an edit distance of
 * at most a third of the longer name (at least 2), or a case-only difference.
 */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(key.length, best.length) / 3));
  return bestDistance <= limit ? best : undefined;
}

/**
 * Adds one problem per key of `value` that is not in `known`, with a did-you-mean hint when a
 * known key is close. `path` is the object's dotted path ("" at the root).
 */
export function checkKnownKeys(problems: Problems, code: string, path: string, value: Readonly<Record<string, unknown>>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const guess = didYouMean(key, known);
    const where = path === "" ? key : `${path}.${key}`;
    const list = known.join(", ");
    problems.add(code, where, value[key], guess ? `no such field; did you mean \`${guess}\`? Known fields: ${list}` : `no such field; known fields: ${list}`);
  }
}

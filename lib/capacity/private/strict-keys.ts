/**
 * Unknown keys in user-written input are errors, not silently ignored fields: a typo such as
 * `peakRequestPerSecond` would otherwise plan with the default and size the platform wrong.
 * The capacity input is checked level by level (its validator walks each object itself), so this is
 * the flat form of lib/core's `checkKnownKeys`, with the same "did you mean" rule (`closestMatch`).
 */
import { closestMatch, type Problems } from "../../core/validation";

/**
 * Adds one problem per key of `value` that is not in `known`, with a did-you-mean hint when a
 * known key is close. `path` is the object's dotted path ("" at the root).
 */
export function checkKnownKeys(problems: Problems, code: string, path: string, value: Readonly<Record<string, unknown>>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const guess = closestMatch(key, known);
    const where = path === "" ? key : `${path}.${key}`;
    const list = known.join(", ");
    problems.add(code, where, value[key], guess ? `no such field; did you mean \`${guess}\`? Known fields: ${list}` : `no such field; known fields: ${list}`);
  }
}

/**
 * The one error type of Headroom.
 *
 * Configuration, capacity and construct-prop checks all collect their findings
 * into a {@link Problems} list and throw once, so a user sees every problem of a
 * run in one message instead of fixing them one synth at a time. This module is
 * pure TypeScript (no cdktf import) so the capacity model can use it too.
 *
 * @example
 * const problems = new Problems("environment 'prod'");
 * if (azCount < 2) problems.add("ENV_AZ_COUNT", "environments.prod.azCount", azCount, "an integer from 2 to 6");
 * problems.throwIfAny(); // throws ValidationError listing every problem added
 */

/** One finding: where, what was given, and what would have been accepted. */
export interface Problem {
  /** Stable, upper-snake-case identifier that tests and tooling can match, e.g. `ENV_REGION_UNKNOWN`. */
  readonly code: string;
  /** Dotted path of the offending field, e.g. `environments.prod.network.vpcCidr`. */
  readonly path: string;
  /** The value that was given (rendered with JSON in the message). */
  readonly value: unknown;
  /** What is allowed, or why the value cannot work and what would fix it. */
  readonly allowed: string;
}

/** Renders a value for an error message: JSON where it can, `String()` otherwise. */
export function renderValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return String(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return String(value);
  }
}

/** Formats one problem as a single line: `path [CODE]: got <value>; allowed: <allowed>`. */
export function formatProblem(problem: Problem): string {
  return `${problem.path} [${problem.code}]: got ${renderValue(problem.value)}; allowed: ${problem.allowed}`;
}

/**
 * Raised when input is invalid. `problems` holds every finding; the message lists
 * them one per line, so a CLI can print it as is without a stack trace.
 */
export class ValidationError extends Error {
  /** Every problem found, in the order they were found. */
  public readonly problems: readonly Problem[];
  /** What was being validated, e.g. `environment configuration`. */
  public readonly subject: string;

  public constructor(subject: string, problems: readonly Problem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`Invalid ${subject} (${count}):\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    this.name = "ValidationError";
    this.subject = subject;
    this.problems = problems;
  }

  /** The stable codes of every problem, for tests and tooling. */
  public get codes(): readonly string[] {
    return this.problems.map((p) => p.code);
  }
}

/**
 * Collects problems and throws them together.
 *
 * The `check*` helpers return whether the value passed, so a caller can skip
 * dependent checks on a value that is already known to be wrong.
 */
export class Problems {
  private readonly found: Problem[] = [];

  /** @param subject what is being validated; it becomes the error's first line. */
  public constructor(private readonly subject: string) {}

  /** Records one problem. */
  public add(code: string, path: string, value: unknown, allowed: string): void {
    this.found.push({ code, path, value, allowed });
  }

  /** Adds the problems of a nested validation, e.g. a construct's props checked by a helper. */
  public addAll(problems: readonly Problem[]): void {
    this.found.push(...problems);
  }

  /** Every problem recorded so far. */
  public get list(): readonly Problem[] {
    return this.found;
  }

  /** True when nothing was recorded. */
  public get ok(): boolean {
    return this.found.length === 0;
  }

  /** Checks that `value` is a finite number in `[min, max]` (and an integer if asked). */
  public checkNumber(
    code: string,
    path: string,
    value: unknown,
    range: { readonly min?: number; readonly max?: number; readonly integer?: boolean; readonly exclusiveMin?: boolean },
  ): value is number {
    const { min, max, integer = false, exclusiveMin = false } = range;
    const valid =
      typeof value === "number" &&
      Number.isFinite(value) &&
      (!integer || Number.isInteger(value)) &&
      (min === undefined || (exclusiveMin ? value > min : value >= min)) &&
      (max === undefined || value <= max);
    if (!valid) this.add(code, path, value, describeRange(range));
    return valid;
  }

  /** Checks that `value` is one of `allowed`. */
  public checkOneOf<T extends string>(code: string, path: string, value: unknown, allowed: readonly T[]): value is T {
    const valid = typeof value === "string" && (allowed as readonly string[]).includes(value);
    if (!valid) this.add(code, path, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
    return valid;
  }

  /** Throws a {@link ValidationError} listing every problem, if there is any. */
  public throwIfAny(): void {
    if (this.found.length > 0) throw new ValidationError(this.subject, [...this.found]);
  }
}

/** Describes a numeric range in words, e.g. `an integer from 2 to 6`. */
export function describeRange(range: {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  readonly exclusiveMin?: boolean;
}): string {
  const kind = range.integer ? "an integer" : "a number";
  const { min, max, exclusiveMin } = range;
  if (min !== undefined && max !== undefined) {
    return exclusiveMin ? `${kind} greater than ${min} and at most ${max}` : `${kind} from ${min} to ${max}`;
  }
  if (min !== undefined) return exclusiveMin ? `${kind} greater than ${min}` : `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return `a finite ${range.integer ? "integer" : "number"}`;
}

/**
 * Edit distance between two strings: insertions, deletions, substitutions and
 * transpositions of adjacent characters each cost 1 (optimal string alignment),
 * so the typo `azCuont` is 1 away from `azCount`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate closest to `word` (case-insensitive edit distance), if it is close
 * enough to be a likely typo: at most a third of the longer word's length, and at
 * least 1. Ties go to the earlier candidate.
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    const limit = Math.max(1, Math.floor(Math.max(word.length, candidate.length) / 3));
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The keys an input object may have, level by level, for {@link checkKnownKeys}.
 * Build one with {@link keys}: `keys.object({...})`, `keys.array(item)`,
 * `keys.record(value)` (free-form keys such as tags) and `keys.any` (not descended).
 */
export type KeyShape =
  | { readonly kind: "any" }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, KeyShape>> }
  | { readonly kind: "array"; readonly item: KeyShape }
  | { readonly kind: "record"; readonly value: KeyShape };

/** Every key of `T`, each mapped to the shape of its value: a shape built this way cannot forget a field. */
export type KeyShapeOf<T> = { readonly [K in keyof T]-?: KeyShape };

/** Builders of {@link KeyShape}s. */
export const keys = {
  /** Any value; not descended (a leaf, or a subtree another validator owns). */
  any: { kind: "any" } as KeyShape,
  /** An object with exactly these (optional) keys; any other key is a problem. */
  object<T = Record<string, unknown>>(fields: KeyShapeOf<T>): KeyShape {
    return { kind: "object", fields: fields as Readonly<Record<string, KeyShape>> };
  },
  /** An array whose every item has the shape `item`. */
  array(item: KeyShape): KeyShape {
    return { kind: "array", item };
  },
  /** An object with free-form keys whose every value has the shape `value`. */
  record(value: KeyShape): KeyShape {
    return { kind: "record", value };
  },
} as const;

/**
 * Adds a problem with `code` for every key of `value` (at any depth) that `shape`
 * does not know, with its dotted path, a "did you mean" hint from
 * {@link closestMatch} and the keys allowed at that level. Values whose type does
 * not match the shape (a string where an object is expected) are left to the
 * type checks of the caller. Pure: no cdktf import, so the capacity model uses it too.
 *
 * @example
 * const shape = keys.object({ azCount: keys.any, vpcCidr: keys.any });
 * checkKnownKeys(problems, "ENV_UNKNOWN_KEY", "environments.prod", { azCuont: 3 }, shape);
 * // environments.prod.azCuont [ENV_UNKNOWN_KEY]: got "azCuont"; allowed: did you mean "azCount"? (known keys: azCount, vpcCidr)
 */
export function checkKnownKeys(problems: Problems, code: string, path: string, value: unknown, shape: KeyShape): void {
  if (value === null || typeof value !== "object") return;
  switch (shape.kind) {
    case "any":
      return;
    case "array":
      if (Array.isArray(value)) value.forEach((item, i) => checkKnownKeys(problems, code, `${path}[${i}]`, item, shape.item));
      return;
    case "record":
      if (!Array.isArray(value)) {
        for (const [key, item] of Object.entries(value)) checkKnownKeys(problems, code, joinPath(path, key), item, shape.value);
      }
      return;
    case "object": {
      if (Array.isArray(value)) return;
      const known = Object.keys(shape.fields);
      for (const [key, item] of Object.entries(value)) {
        if (Object.prototype.hasOwnProperty.call(shape.fields, key)) {
          checkKnownKeys(problems, code, joinPath(path, key), item, shape.fields[key]);
          continue;
        }
        const suggestion = closestMatch(key, known);
        const list = known.length > 0 ? `known keys: ${known.join(", ")}` : "no keys are allowed here";
        problems.add(code, joinPath(path, key), key, suggestion ? `did you mean "${suggestion}"? (${list})` : `a known key (${list})`);
      }
      return;
    }
  }
}

/** `a.b` for identifier-like keys, `a["b c"]` otherwise; an empty base gives the key alone. */
function joinPath(base: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

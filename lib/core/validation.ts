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

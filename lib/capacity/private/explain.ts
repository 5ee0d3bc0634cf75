/** Collects one {@link Explanation} per number of the plan while it is computed. */
import type { Explanation } from "../types";

/** Rounds to `digits` decimals (plans show sizes, not float noise). */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Records explanations; `num`/`str` return the value so a computation reads as one line. */
export class Explainer {
  private readonly entries: Explanation[] = [];

  /** Records a number and returns it. */
  public num(field: string, value: number, unit: string, formula: string, inputs: Record<string, number | string>, source?: string): number {
    this.entries.push({ field, value, unit, formula, inputs: roundInputs(inputs), ...(source ? { source } : {}) });
    return value;
  }

  /** Records a string choice and returns it. */
  public str(field: string, value: string, formula: string, inputs: Record<string, number | string>, source?: string): string {
    this.entries.push({ field, value, unit: "", formula, inputs: roundInputs(inputs), ...(source ? { source } : {}) });
    return value;
  }

  /** Every explanation recorded, in order. */
  public get list(): readonly Explanation[] {
    return this.entries;
  }
}

function roundInputs(inputs: Record<string, number | string>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(inputs)) out[k] = typeof v === "number" ? round(v, 6) : v;
  return out;
}

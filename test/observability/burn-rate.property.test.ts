import fc from "fast-check";
import { AlertRuleSet } from "../../lib/observability";
import { BURN_RATE_ALERTS } from "../../lib/observability/private/burn-rate";

/** The numeric thresholds of an alert expression, in order. */
function thresholds(expr: string): number[] {
  return [...expr.matchAll(/> ([0-9.e-]+)/g)].map((m) => Number(m[1]));
}

describe("burn-rate thresholds (property)", () => {
  const availability = fc.double({ min: 0.931, max: 0.99999, noNaN: true });

  it("equal burn rate x (1 - availability) for every window pair", () => {
    fc.assert(
      fc.property(availability, (a) => {
        const rules = new AlertRuleSet({ slo: { availability: a, ttftP99Seconds: 1 } });
        for (const spec of BURN_RATE_ALERTS) {
          const got = thresholds(rules.alert(`InferenceAvailability${spec.suffix}`).expr);
          const want = spec.pairs.flatMap((p) => [p.burnRate * (1 - a), p.burnRate * (1 - a)]);
          got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 10));
        }
      }),
      { numRuns: 50 },
    );
  });

  it("rise when the availability target is lowered", () => {
    fc.assert(
      fc.property(availability, availability, (x, y) => {
        fc.pre(Math.abs(x - y) > 1e-6);
        const [lo, hi] = x < y ? [x, y] : [y, x];
        const fast = (a: number) => thresholds(new AlertRuleSet({ slo: { availability: a, ttftP99Seconds: 1 } }).alert("InferenceAvailabilityFastBurn").expr)[0];
        expect(fast(lo)).toBeGreaterThan(fast(hi));
      }),
      { numRuns: 50 },
    );
  });
});

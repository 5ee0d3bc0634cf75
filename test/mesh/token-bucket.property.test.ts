import fc from "fast-check";
import { tokenBucket } from "../../lib/mesh/ingress-admission";

describe("tokenBucket (property-based)", () => {
  test("a fill never exceeds the bucket, the interval is one Envoy accepts, and the rate is kept within one token per fill", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 20_000, noNaN: true }), fc.integer({ min: 1, max: 50_000 }), (rate, burst) => {
        const b = tokenBucket(rate, burst);
        expect(b.tokensPerFill).toBeLessThanOrEqual(b.maxTokens);
        expect(b.fillIntervalMs).toBeGreaterThanOrEqual(50);
        expect(b.maxTokens).toBeGreaterThanOrEqual(burst);
        const admitted = (b.tokensPerFill * 1000) / b.fillIntervalMs;
        const oneTokenPerFill = 1000 / b.fillIntervalMs;
        // Rates below one token per second are rounded up to one token per second.
        expect(Math.abs(admitted - Math.max(rate, oneTokenPerFill))).toBeLessThanOrEqual(oneTokenPerFill / 2 + 1e-9);
      }),
      { numRuns: 500 },
    );
  });
});

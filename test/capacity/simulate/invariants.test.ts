import fc from "fast-check";
import { simulate, type TrafficProfile } from "../../../lib/capacity/simulate";
import { makePlan } from "./fixtures";

describe("invariants over random plans and traffic (property)", () => {
  test("requests are conserved, replicas stay within the HPA bounds, latencies are ordered", () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1e6 }),
          peak: fc.integer({ min: 2, max: 25 }),
          spike: fc.double({ min: 1, max: 5, noNaN: true }),
          min: fc.integer({ min: 1, max: 4 }),
          extra: fc.integer({ min: 0, max: 8 }),
          cache: fc.double({ min: 0, max: 0.6, noNaN: true }),
          asyncShare: fc.double({ min: 0, max: 0.6, noNaN: true }),
          provisioning: fc.integer({ min: 30, max: 900 }),
          zoneLoss: fc.boolean(),
        }),
        (p) => {
          const plan = makePlan({ peakRequestsPerSecond: p.peak, minReplicas: p.min, maxReplicas: p.min + p.extra, prefixHitShare: p.cache, asyncShare: p.asyncShare, gpuProvisioningSeconds: p.provisioning });
          const profile: TrafficProfile = {
            name: "random",
            description: "random",
            startClockSeconds: 0,
            durationSeconds: 900,
            rate: [
              { atSeconds: 0, requestsPerSecond: p.peak },
              { atSeconds: 300, requestsPerSecond: p.peak * p.spike },
              { atSeconds: 600, requestsPerSecond: p.peak },
            ],
          };
          const r = simulate(plan, profile, { seed: p.seed, drainSeconds: 7200, ...(p.zoneLoss ? { zoneLoss: { atSeconds: 400, zone: 1 } } : {}) });
          const s = r.summary;
          const q = s.requests;
          expect(q.cacheHits + q.syncOffered + q.asyncProduced).toBe(q.arrivals);
          // After the drain every admitted request ended: served or failed (timeouts, broken streams).
          expect(q.syncServed + q.rejected + q.failed).toBe(q.syncOffered);
          expect(q.asyncServed).toBe(q.asyncProduced);
          for (const d of r.series.replicasDesired) {
            expect(d).toBeGreaterThanOrEqual(p.min);
            expect(d).toBeLessThanOrEqual(p.min + p.extra);
          }
          for (const n of r.series.nodes) expect(n).toBeLessThanOrEqual(plan.inference.nodes.max);
          expect(s.ttftSeconds.p50).toBeLessThanOrEqual(s.ttftSeconds.p95);
          expect(s.ttftSeconds.p95).toBeLessThanOrEqual(s.ttftSeconds.p99);
          expect(s.e2eSeconds.p99).toBeGreaterThanOrEqual(s.ttftSeconds.p99 * 0.98);
          expect(s.sloMet).toBe(s.violations.length === 0);
        },
      ),
      { numRuns: 12 },
    );
  });
});

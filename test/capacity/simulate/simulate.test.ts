import { namedProfile, simulate, type TrafficProfile } from "../../../lib/capacity/simulate";
import { ValidationError } from "../../../lib/core/validation";
import { constantProfile, makePlan } from "./fixtures";

/** Baseline until `at`, then `high` for the rest of the run. */
function stepProfile(low: number, high: number, at: number, duration: number): TrafficProfile {
  return {
    name: "step",
    description: "step",
    startClockSeconds: 0,
    durationSeconds: duration,
    rate: [
      { atSeconds: 0, requestsPerSecond: low },
      { atSeconds: at, requestsPerSecond: low },
      { atSeconds: at, requestsPerSecond: high },
    ],
  };
}

describe("determinism", () => {
  const plan = makePlan({ peakRequestsPerSecond: 10, minReplicas: 2, maxReplicas: 8 });
  const profile = namedProfile("festival-spike", plan.input.workload, { compact: true });

  test("the same seed gives the same series and summary", () => {
    const a = simulate(plan, profile, { seed: 42 });
    const b = simulate(plan, profile, { seed: 42 });
    expect(b.series).toEqual(a.series);
    expect(b.summary).toEqual(a.summary);
  });

  test("another seed gives another sample path", () => {
    const a = simulate(plan, profile, { seed: 1 });
    const b = simulate(plan, profile, { seed: 2 });
    expect(b.summary.requests.arrivals).not.toBe(a.summary.requests.arrivals);
  });
});

describe("request paths", () => {
  test("the async share follows the workload; no request skips the GPU (no response cache is deployed)", () => {
    for (const asyncShare of [0.1, 0.3]) {
      const plan = makePlan({ asyncShare, peakRequestsPerSecond: 20 });
      const s = simulate(plan, constantProfile(20, 1800)).summary;
      expect(s.requests.cacheHits).toBe(0);
      expect(s.requests.asyncProduced / s.requests.arrivals).toBeCloseTo(asyncShare, 1);
      expect(s.requests.asyncServed).toBe(s.requests.asyncProduced);
    }
  });

  test("prefix-cache hits per replica follow the router: affinity delivers the declared share, least-load 1 / replicas of it", () => {
    const affinity = simulate(makePlan({ prefixHitShare: 0.5, peakRequestsPerSecond: 20, minReplicas: 6, maxReplicas: 6 }), constantProfile(20, 1200), { autoscale: false }).summary;
    expect(affinity.prefixCache.hitShare).toBeGreaterThan(0.48);
    expect(affinity.prefixCache.hitShare).toBeLessThanOrEqual(0.5);
    const leastLoad = simulate(makePlan({ prefixHitShare: 0.5, routing: "least-load", peakRequestsPerSecond: 20, minReplicas: 6, maxReplicas: 6 }), constantProfile(20, 1200), { autoscale: false }).summary;
    expect(leastLoad.prefixCache.hitShare).toBeGreaterThan(0.5 / 6 - 0.03);
    expect(leastLoad.prefixCache.hitShare).toBeLessThan(0.5 / 6 + 0.03);
    // Shorter prefills: TTFT falls with the hits.
    const none = simulate(makePlan({ peakRequestsPerSecond: 20, minReplicas: 6, maxReplicas: 6 }), constantProfile(20, 1200), { autoscale: false }).summary;
    expect(affinity.ttftSeconds.mean).toBeLessThan(none.ttftSeconds.mean);
  });

  test("a remote KV tier makes least-load hits routing-independent, each at its fetch cost (remoteTierPrefillTokens)", () => {
    const plan = makePlan({ prefixHitShare: 0.5, routing: "least-load", peakRequestsPerSecond: 20, minReplicas: 6, maxReplicas: 6 });
    const fetchCostShare = 0.4;
    const remoteTier = { seconds: 300, prefillTokensPerSecondPerReplica: 1, fetchGbpsPerReplica: 1, fetchCostShare, minNodeBaselineGbps: 1, hitShare: 0.5 - 0.5 / 6, countedHitShare: (0.5 - 0.5 / 6) * (1 - fetchCostShare), storedTokensPerSecond: 0, fetchedTokensPerSecond: 0, bandwidthGbps: 0, opsPerSecond: 0 };
    const effective = 0.5 / 6 + remoteTier.countedHitShare;
    const withTier = { ...plan, kvCache: { bytesPerToken: 31_104, routing: "least-load" as const, declaredHitShare: 0.5, effectiveHitShare: effective, reusedTokensPerSecond: 0, remoteTierTokens: 1, remoteTierGiB: 0, remoteTier, mechanisms: [] } };
    const s = simulate(withTier, constantProfile(20, 1200), { autoscale: false }).summary;
    // Local hits (1 in 6) at full saving plus the rest at 1 - fetchCostShare: what the plan counts.
    expect(s.prefixCache.hitShare).toBeGreaterThan(effective - 0.03);
    expect(s.prefixCache.hitShare).toBeLessThan(effective + 0.03);
    expect(s.violations.join()).not.toMatch(/prefix-cache hits/);
    // Without the tier the same plan's claim fails the gate.
    const noTier = simulate({ ...withTier, kvCache: { ...withTier.kvCache, remoteTier: undefined } }, constantProfile(20, 600), { autoscale: false }).summary;
    expect(noTier.violations.join()).toMatch(/prefix-cache hits \d+\.\d% of prompt tokens < the/);
  });

  test("the gate fails a plan that counts more prefix hits than its router delivers", () => {
    const plan = makePlan({ prefixHitShare: 0.5, routing: "least-load", peakRequestsPerSecond: 20, minReplicas: 6, maxReplicas: 6 });
    const claimed = { ...plan, kvCache: { bytesPerToken: 163_840, routing: "least-load" as const, declaredHitShare: 0.5, effectiveHitShare: 0.5, reusedTokensPerSecond: 0, remoteTierTokens: 0, remoteTierGiB: 0, mechanisms: [] } };
    const s = simulate(claimed, constantProfile(20, 600), { autoscale: false }).summary;
    expect(s.sloMet).toBe(false);
    expect(s.violations.join()).toMatch(/prefix-cache hits \d+\.\d% of prompt tokens < the 50\.0% the plan counts/);
  });

  test("admission control answers 429 (rejected), not 5xx, beyond its token-bucket rate", () => {
    const plan = makePlan({ peakRequestsPerSecond: 30, admissionRps: 10, asyncShare: 0, minReplicas: 12 });
    const s = simulate(plan, constantProfile(30, 600)).summary;
    expect(s.rejectedShare).toBeGreaterThan(0.6);
    expect(s.rejectedShare).toBeLessThan(0.72);
    expect(s.requests.failed).toBe(0);
    expect(s.violations.join()).toContain("rejected (429)");
    expect(s.suggestion).toContain("admission.maxRequestsPerSecond 10.0 is below");
  });

  test("decode slows as the batch fills: TPOT rises with load", () => {
    const plan = makePlan({ minReplicas: 2, maxReplicas: 2, asyncShare: 0 });
    const light = simulate(plan, constantProfile(2, 1200), { autoscale: false }).summary;
    const heavy = simulate(plan, constantProfile(12, 1200), { autoscale: false }).summary;
    expect(heavy.tpotSeconds.mean).toBeGreaterThan(light.tpotSeconds.mean * 1.1);
    // A full batch never steps slower than the plan's mean iteration time at maxConcurrentSequences.
    const fullStep = plan.inference.perReplica.maxConcurrentSequences / plan.inference.perReplica.outputTokensPerSecond;
    expect(heavy.tpotSeconds.max).toBeLessThanOrEqual(fullStep * 1.02);
  });
});

describe("autoscaling", () => {
  test("the HPA asks for more replicas within one 15 s sync period of a load step", () => {
    const plan = makePlan({ minReplicas: 3, maxReplicas: 20 });
    // 5 s windows sample spec.replicas between the 15 s syncs (at 305, 310, 320 s ...).
    const r = simulate(plan, stepProfile(10, 60, 300, 900), { windowSeconds: 5 });
    const s = r.series;
    const before = s.replicasDesired[s.startSeconds.indexOf(290)]!;
    const firstUp = s.startSeconds.find((_, i) => s.replicasDesired[i]! > before)!;
    expect(firstUp).toBeGreaterThanOrEqual(300);
    // The window from 315 s to 320 s is the first to see the sync at 315 s: one period after the step.
    expect(firstUp).toBeLessThanOrEqual(315);
  });

  test("scale-up steps are limited to +4 pods or +100% per 15 s", () => {
    const plan = makePlan({ minReplicas: 2, maxReplicas: 40, peakRequestsPerSecond: 200, admissionRps: 1000 });
    const r = simulate(plan, stepProfile(5, 200, 60, 400), { windowSeconds: 5 });
    // Samples at 20, 35, 50 ... s: exactly one sync (at 30, 45 ...) between two of them.
    const d = r.series.replicasDesired.filter((_, i) => (r.series.startSeconds[i]! + 5) % 15 === 5);
    for (let i = 1; i < d.length; i++) expect(d[i]!).toBeLessThanOrEqual(Math.max(d[i - 1]! + 4, d[i - 1]! * 2));
    expect(Math.max(...d)).toBeGreaterThan(10);
  });

  test("scale-down waits for the 300 s stabilization window", () => {
    const plan = makePlan({ minReplicas: 2, maxReplicas: 20 });
    const down: TrafficProfile = { ...stepProfile(40, 40, 0, 1800), rate: [{ atSeconds: 0, requestsPerSecond: 40 }, { atSeconds: 600, requestsPerSecond: 40 }, { atSeconds: 600, requestsPerSecond: 2 }] };
    const r = simulate(plan, down, { windowSeconds: 15 });
    const s = r.series;
    const at = (t: number): number => s.replicasDesired[s.startSeconds.indexOf(t)]!;
    expect(at(600 + 270)).toBe(at(585));
    expect(at(600 + 600)).toBeLessThan(at(585));
  });

  test("losing a zone drops its replicas, then the Deployment and HPA recover", () => {
    const plan = makePlan({ minReplicas: 6, maxReplicas: 12, availabilityZones: 3, gpuProvisioningSeconds: 300 });
    const r = simulate(plan, constantProfile(30, 1800), { zoneLoss: { atSeconds: 600, zone: 0 }, windowSeconds: 30 });
    const s = r.series;
    const at = (t: number): number => s.replicasReady[s.startSeconds.indexOf(t)]!;
    const before = at(540);
    expect(before).toBeGreaterThanOrEqual(6);
    expect(at(600)).toBeLessThanOrEqual(before - 2);
    expect(at(600 + 330)).toBeGreaterThanOrEqual(before);
    expect(r.summary.requests.retried + r.summary.requests.failed).toBeGreaterThan(0);
  });

  test("a zone index beyond the plan's zones is a validation error", () => {
    const plan = makePlan({ availabilityZones: 2 });
    expect(() => simulate(plan, constantProfile(5, 600), { zoneLoss: { atSeconds: 10, zone: 2 } })).toThrow(ValidationError);
    try {
      simulate(plan, constantProfile(5, 600), { zoneLoss: { atSeconds: 10, zone: 2 }, windowSeconds: 0 });
    } catch (e) {
      expect((e as ValidationError).codes).toEqual(["SIM_OPT_WINDOW", "SIM_ZONE_LOSS_ZONE"]);
    }
  });
});

describe("SLO verdict", () => {
  const spike = { multiplier: 4, rampSeconds: 60, durationSeconds: 900 };

  test("a spike faster than GPU provisioning fails with the window and a fix in the plan's terms", () => {
    const plan = makePlan({ spike, peakRequestsPerSecond: 15, minReplicas: 2, maxReplicas: 12, gpuProvisioningSeconds: 480, asyncShare: 0 });
    const s = simulate(plan, namedProfile("festival-spike", plan.input.workload, { compact: true })).summary;
    expect(s.sloMet).toBe(false);
    expect(s.worstWindow).toBeDefined();
    expect(s.worstWindow!.fromClock >= "14:00").toBe(true);
    expect(s.reason).toMatch(/^p99 TTFT [\d.]+ s > 2\.00 s between 14:\d\d and 14:\d\d/);
    expect(s.suggestion).toMatch(/GPU nodes take 288 s plus 192 s pod start; raise replicas\.min to \d+ or asyncShare to 0\.\d\d/);
  });

  test("the same spike holds with enough warm replicas (the verdict follows the plan)", () => {
    // 12 req/s x 4 = 48 GPU req/s at the spike (every request reaches a GPU: no response cache).
    const plan = makePlan({ spike, peakRequestsPerSecond: 12, minReplicas: 12, maxReplicas: 12, gpuProvisioningSeconds: 480, asyncShare: 0, admissionRps: 60 });
    const s = simulate(plan, namedProfile("festival-spike", plan.input.workload, { compact: true })).summary;
    expect(s.violations).toEqual([]);
    expect(s.sloMet).toBe(true);
    expect(s.reason).toBe("");
  });

  test("faster GPU provisioning shortens the violation", () => {
    const slow = makePlan({ spike, peakRequestsPerSecond: 15, minReplicas: 2, maxReplicas: 12, gpuProvisioningSeconds: 900, asyncShare: 0 });
    const fast = makePlan({ spike, peakRequestsPerSecond: 15, minReplicas: 2, maxReplicas: 12, gpuProvisioningSeconds: 120, asyncShare: 0 });
    const span = (p: ReturnType<typeof makePlan>): number => {
      const w = simulate(p, namedProfile("festival-spike", p.input.workload, { compact: true })).summary.worstWindow;
      return w ? w.toSeconds - w.fromSeconds : 0;
    };
    expect(span(fast)).toBeLessThan(span(slow));
  });

  test("a batch bigger than the async path can drain in maxQueueDelaySeconds fails on Kafka", () => {
    const plan = makePlan({ minReplicas: 2, maxReplicas: 4, workersMax: 2 });
    const s = simulate(plan, namedProfile("bank-batch-day", plan.input.workload, { compact: true }), { drainSeconds: 600 }).summary;
    expect(s.kafka.maxLag).toBeGreaterThan(50_000);
    expect(s.kafka.drainedWithinMaxDelay).toBe(false);
    expect(s.violations.join()).toMatch(/Kafka backlog peaked at \d+ messages/);
    expect(s.suggestion).toMatch(/draining \d+ messages within 300 s takes ~[\d.]+ req\/s of async capacity: about \d+ replicas at [\d.]+ req\/s each \(replicas.max is 4\) and \d+ workers \(autoscaling.workers.maxReplicas is 2\)/);
  });
});

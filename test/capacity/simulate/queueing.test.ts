import { erlangC } from "../../../lib/capacity";
import { simulate } from "../../../lib/capacity/simulate";
import { constantProfile, queueingPlan } from "./fixtures";

describe("steady state agrees with queueing theory", () => {
  // M/M/c with c = replicas x slots: exponential service, Poisson arrivals, one FIFO queue at the gateway.
  // About 250,000 arrivals per case keeps the sampling error of the mean wait near 2%.
  const cases = [
    { replicas: 2, slots: 4, service: 1, rho: 0.8 },
    { replicas: 4, slots: 4, service: 1, rho: 0.7 },
  ];
  test.each(cases)("mean queue wait and P(wait > 0) match Erlang C (c = $replicas x $slots, rho $rho)", ({ replicas, slots, service, rho }) => {
    const c = replicas * slots;
    const lambda = (rho * c) / service;
    const plan = queueingPlan(replicas, slots, service, lambda);
    // Three independent seeds of ~150,000 arrivals each: the mean of the means has ~2-3% sampling error.
    const runs = [1, 2, 3].map((seed) => simulate(plan, constantProfile(lambda, 150_000 / lambda), { serviceModel: "exponential", autoscale: false, seed }).summary);
    const mean = (f: (s: (typeof runs)[number]) => number): number => runs.reduce((acc, s) => acc + f(s), 0) / runs.length;
    const pWait = erlangC(c, lambda * service);
    const wq = pWait / (c / service - lambda);
    expect(Math.abs(mean((s) => s.queueWaitSeconds.mean) / wq - 1)).toBeLessThan(0.06);
    // A request that finds a free slot does not wait: the share that waited estimates C(c, A).
    expect(Math.abs(mean((s) => s.waitedShare) / pWait - 1)).toBeLessThan(0.03);
    expect(Math.abs(mean((s) => s.e2eSeconds.mean) / (wq + service) - 1)).toBeLessThan(0.02);
    expect(mean((s) => s.requests.rejected)).toBe(0);
  });

  test("a heavier load waits longer, as Erlang C predicts (the check can fail)", () => {
    const light = simulate(queueingPlan(2, 4, 1, 5), constantProfile(5, 20_000), { serviceModel: "exponential", autoscale: false });
    const heavy = simulate(queueingPlan(2, 4, 1, 7), constantProfile(7, 20_000), { serviceModel: "exponential", autoscale: false });
    const wq = (l: number): number => erlangC(8, l) / (8 - l);
    expect(heavy.summary.queueWaitSeconds.mean / light.summary.queueWaitSeconds.mean).toBeGreaterThan((wq(7) / wq(5)) * 0.85);
    expect(heavy.summary.queueWaitSeconds.mean / light.summary.queueWaitSeconds.mean).toBeLessThan((wq(7) / wq(5)) * 1.15);
  });

  test("Little's law holds on the simulator's own output (exponential and batched)", () => {
    for (const serviceModel of ["exponential", "batched"] as const) {
      const result = simulate(queueingPlan(2, 16, 3, 8), constantProfile(8, 3_000), { serviceModel, autoscale: false, seed: 5 });
      const l = result.summary.littlesLaw;
      expect(l.meanInSystem).toBeGreaterThan(1);
      expect(Math.abs(l.meanInSystem - l.throughputPerSecond * l.meanTimeInSystemSeconds) / l.meanInSystem).toBeLessThan(0.01);
    }
  });
});


import { allenCunneenFactor, classicInstanceCount, erlangC, lognormalScv, queueWait } from "../../lib/capacity";

describe("erlangC", () => {
  it("equals rho for one server (M/M/1: P(wait) = rho)", () => {
    for (const rho of [0.1, 0.5, 0.9, 0.99]) expect(erlangC(1, rho)).toBeCloseTo(rho, 12);
  });

  it.each([
    // Hand: c=2, A=1: [A^2/2! x 2/(2-1)] / [1 + A + A^2/2! x 2/(2-1)] = 1 / (1 + 1 + 1) = 1/3
    [2, 1, 1 / 3],
    // Hand: c=2, A=1.5: [1.125 x 4] / [1 + 1.5 + 4.5] = 4.5 / 7 = 0.642857
    [2, 1.5, 4.5 / 7],
    // Textbook call-centre table: 10 agents, 8 Erlangs -> 0.4092
    [10, 8, 0.4092],
  ])("C(%d, %d) = %f", (c, a, expected) => {
    expect(erlangC(c, a)).toBeCloseTo(expected, 4);
  });

  it("is finite and in [0, 1] for 2,000 servers (no overflow)", () => {
    for (const a of [100, 1000, 1900, 1990, 1999.9]) {
      const v = erlangC(2000, a);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(erlangC(2000, 1000)).toBeLessThan(1e-100);
    expect(erlangC(2000, 1999.9)).toBeGreaterThan(0.9);
  });

  it("increases with load and is 1 at or beyond saturation", () => {
    expect(erlangC(50, 30)).toBeLessThan(erlangC(50, 40));
    expect(erlangC(50, 50)).toBe(1);
    expect(erlangC(50, 80)).toBe(1);
    expect(erlangC(5, 0)).toBe(0);
  });

  it("fails when servers is not a positive integer or the load is negative", () => {
    expect(() => erlangC(0, 1)).toThrow(/servers must be a positive integer/);
    expect(() => erlangC(2.5, 1)).toThrow(/servers must be a positive integer/);
    expect(() => erlangC(2, -1)).toThrow(/offered load must be a finite number/);
  });
});

describe("queueWait (Erlang C + Allen-Cunneen)", () => {
  it("matches the M/M/1 mean wait rho/(mu - lambda) when service is exponential (cs^2 = 1)", () => {
    // lambda 0.5, S 1 s: Wq = C/(c mu - lambda) = 0.5 / 0.5 = 1 s
    expect(queueWait(1, 0.5, 1, 1).meanSeconds).toBeCloseTo(1, 10);
  });
  it("halves the wait for deterministic service (AC = (1 + 0)/2)", () => {
    expect(allenCunneenFactor(0)).toBe(0.5);
    expect(queueWait(1, 0.5, 1, 0).meanSeconds).toBeCloseTo(0.5, 10);
  });
  it("gives p99 = ln(C/0.01)/(c mu - lambda) and 0 when C <= 1%", () => {
    // C = 0.5, drain 0.5/s: ln(50)/0.5 = 7.824 s
    expect(queueWait(1, 0.5, 1, 1).p99Seconds).toBeCloseTo(Math.log(50) / 0.5, 10);
    expect(queueWait(100, 10, 1, 1).p99Seconds).toBe(0);
    expect(queueWait(1, 2, 1, 1).p99Seconds).toBe(Infinity);
  });
});

describe("lognormalScv", () => {
  it("is 0 for a deterministic quantity and grows with the tail", () => {
    expect(lognormalScv(100, 100)).toBe(0);
    expect(lognormalScv(100, 200)).toBeLessThan(lognormalScv(100, 400));
  });
});

describe("classicInstanceCount", () => {
  it.each([
    // 100 x 2 / 50 x 1.5 = 6 exactly (no float round-up to 7)
    [100, 2, 50, 1.5, 6],
    // 60 x 26.61 / 1024 x 1.5 = 2.339 -> 3
    [60, 26.61, 1024, 1.5, 3],
    // 2000 concurrent-style case: 400 rps x 5 s / 1 x 1 = 2000
    [400, 5, 1, 1, 2000],
  ])("peak %d rps x %d s / %d x %d = %d", (peakRequestsPerSecond, meanResponseSeconds, perInstanceConcurrency, safetyFactor, expected) => {
    expect(classicInstanceCount({ peakRequestsPerSecond, meanResponseSeconds, perInstanceConcurrency, safetyFactor })).toBe(expected);
  });
  it("fails when per-instance concurrency is 0", () => {
    expect(() => classicInstanceCount({ peakRequestsPerSecond: 1, meanResponseSeconds: 1, perInstanceConcurrency: 0, safetyFactor: 1 })).toThrow(/perInstanceConcurrency must be > 0/);
  });
});

import { BANK_BATCH_REQUESTS, COMPACT_SPIKE_HOLD_SECONDS, DEFAULT_FESTIVAL_SPIKE, namedProfile, parseProfile, PROFILE_NAMES, rateAt, sliceProfile } from "../../../lib/capacity/simulate";
import { ValidationError } from "../../../lib/core/validation";
import { makePlan } from "./fixtures";

const HOUR = 3600;

describe("named profiles follow the workload", () => {
  test.each([
    [50, 10],
    [400, 120],
  ])("daily-peak reaches the peak %d req/s at 14:00 from the baseline %d at night", (peak, base) => {
    const w = makePlan({ peakRequestsPerSecond: peak, baselineRequestsPerSecond: base }).input.workload;
    const p = namedProfile("daily-peak", w);
    expect(p.durationSeconds).toBe(24 * HOUR);
    expect(rateAt(p.rate, 14 * HOUR)).toBe(peak);
    expect(rateAt(p.rate, 3 * HOUR)).toBe(base);
    expect(Math.max(...p.rate.map((r) => r.requestsPerSecond))).toBe(peak);
  });

  test("festival-spike ramps to peak x multiplier within rampSeconds of 14:00 and holds it", () => {
    const spike = { multiplier: 5, rampSeconds: 90, durationSeconds: 300 };
    const w = makePlan({ peakRequestsPerSecond: 20, spike }).input.workload;
    const p = namedProfile("festival-spike", w);
    expect(rateAt(p.rate, 14 * HOUR)).toBe(20);
    expect(rateAt(p.rate, 14 * HOUR + 45)).toBeCloseTo(60, 6);
    expect(rateAt(p.rate, 14 * HOUR + 90)).toBe(100);
    expect(rateAt(p.rate, 14 * HOUR + 390)).toBe(100);
    expect(rateAt(p.rate, 14 * HOUR + 480)).toBe(20);
    expect(p.description).toContain("5x spike to 100 req/s");
  });

  test("festival-spike without a declared spike uses the documented default", () => {
    const w = { ...makePlan().input.workload, spike: undefined };
    const p = namedProfile("festival-spike", w);
    expect(Math.max(...p.rate.map((r) => r.requestsPerSecond))).toBe(50 * DEFAULT_FESTIVAL_SPIKE.multiplier);
  });

  test("bank-batch-day submits the 100k+ batch at 09:00; peak-zone-loss loses zone 0 at 14:00", () => {
    const w = makePlan().input.workload;
    expect(namedProfile("bank-batch-day", w).batches).toEqual([{ atSeconds: 9 * HOUR, requests: BANK_BATCH_REQUESTS, durationSeconds: 600 }]);
    expect(BANK_BATCH_REQUESTS).toBeGreaterThanOrEqual(100_000);
    expect(namedProfile("peak-zone-loss", w).zoneLoss).toEqual({ atSeconds: 14 * HOUR, zone: 0 });
  });

  test.each(PROFILE_NAMES.map((n) => [n]))("compact %s keeps the critical minutes and re-bases time", (name) => {
    const w = makePlan().input.workload;
    const full = namedProfile(name, w);
    const compact = namedProfile(name, w, { compact: true });
    expect(compact.durationSeconds).toBeLessThanOrEqual(2 * HOUR);
    for (let t = 0; t <= compact.durationSeconds; t += 30) {
      expect(rateAt(compact.rate, t)).toBeCloseTo(rateAt(full.rate, t + compact.startClockSeconds), 6);
    }
    const shifted = (x?: { atSeconds: number }[]) => (x ?? []).map((b) => b.atSeconds + compact.startClockSeconds);
    expect(shifted(compact.batches ? [...compact.batches] : undefined)).toEqual((full.batches ?? []).map((b) => b.atSeconds));
    if (full.zoneLoss) expect(compact.zoneLoss!.atSeconds + compact.startClockSeconds).toBe(full.zoneLoss.atSeconds);
  });

  test("compact festival-spike keeps at most COMPACT_SPIKE_HOLD_SECONDS of a long plateau", () => {
    const spike = { multiplier: 3, rampSeconds: 300, durationSeconds: 3600 };
    const w = makePlan({ peakRequestsPerSecond: 10, spike }).input.workload;
    const compact = namedProfile("festival-spike", w, { compact: true });
    const top = compact.rate.filter((r) => r.requestsPerSecond === 30);
    expect(top[top.length - 1]!.atSeconds - top[0]!.atSeconds).toBe(COMPACT_SPIKE_HOLD_SECONDS);
    expect(compact.durationSeconds).toBe(180 + 300 + COMPACT_SPIKE_HOLD_SECONDS + 300 + 600);
    // Back on the afternoon decline of the daily curve.
    expect(rateAt(compact.rate, compact.durationSeconds)).toBeGreaterThan(9);
    expect(rateAt(compact.rate, compact.durationSeconds)).toBeLessThanOrEqual(10);
  });

  test("sliceProfile interpolates its edges", () => {
    const p = { name: "x", description: "", startClockSeconds: 0, durationSeconds: 100, rate: [{ atSeconds: 0, requestsPerSecond: 0 }, { atSeconds: 100, requestsPerSecond: 100 }] };
    expect(sliceProfile(p, 25, 75).rate).toEqual([{ atSeconds: 0, requestsPerSecond: 25 }, { atSeconds: 50, requestsPerSecond: 75 }]);
  });
});

describe("custom profiles from JSON", () => {
  const w = makePlan({ peakRequestsPerSecond: 40 }).input.workload;

  test("a valid profile parses; peakMultiple resolves against the workload", () => {
    const p = parseProfile(
      { name: "flash-sale", durationSeconds: 1800, startClockSeconds: 72_000, rate: [{ atSeconds: 0, peakMultiple: 1 }, { atSeconds: 600, requestsPerSecond: 150 }], batches: [{ atSeconds: 100, requests: 5000, durationSeconds: 60 }], zoneLoss: { atSeconds: 900, zone: 1 } },
      w,
    );
    expect(p.rate).toEqual([{ atSeconds: 0, requestsPerSecond: 40 }, { atSeconds: 600, requestsPerSecond: 150 }]);
    expect(p.batches).toHaveLength(1);
    expect(p.zoneLoss).toEqual({ atSeconds: 900, zone: 1 });
    expect(p.description).toBe("custom profile flash-sale");
  });

  test("every problem is listed at once, with codes and paths", () => {
    let error: ValidationError | undefined;
    try {
      parseProfile(
        { name: "Bad Name", durationSeconds: 10, rate: [{ atSeconds: 5, requestsPerSecond: -1 }, { atSeconds: 2, requestsPerSecond: 1, peakMultiple: 2 }], batches: [{ atSeconds: 0, requests: 1.5, durationSeconds: 0 }], zoneLoss: { atSeconds: 1, zone: 9 } },
        w,
        "flash.json",
      );
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.codes).toEqual([
      "SIM_PROFILE_NAME",
      "SIM_PROFILE_DURATION",
      "SIM_PROFILE_POINT_RATE",
      "SIM_PROFILE_POINT_ORDER",
      "SIM_PROFILE_POINT_RATE",
      "SIM_PROFILE_BATCH_REQUESTS",
      "SIM_PROFILE_BATCH_DURATION",
      "SIM_PROFILE_ZONE_LOSS_ZONE",
    ]);
    expect(error!.message).toContain("flash.json.rate[0].requestsPerSecond [SIM_PROFILE_POINT_RATE]: got -1; allowed: a number from 0 to 1000000");
    expect(error!.message).toContain("flash.json.rate[1] [SIM_PROFILE_POINT_RATE]");
  });

  test("a non-object and an empty rate are reported", () => {
    expect(() => parseProfile([], w)).toThrow(/SIM_PROFILE_NOT_OBJECT/);
    expect(() => parseProfile({ name: "x", durationSeconds: 600, rate: [] }, w)).toThrow(/profile\.rate \[SIM_PROFILE_RATE\]/);
  });
});

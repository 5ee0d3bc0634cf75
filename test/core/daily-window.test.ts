import fc from "fast-check";
import { dailyWindowCron } from "../../lib/core/daily-window";
import { ValidationError } from "../../lib/core/validation";

/** Minute of the day a `m h * * *` expression fires at. */
const minuteOf = (cron: string): number => {
  const [m, h] = cron.split(" ").map(Number);
  return h! * 60 + m!;
};

describe("dailyWindowCron", () => {
  test("a window inside the day, and one over midnight", () => {
    expect(dailyWindowCron({ startClockSeconds: 17 * 3600, endClockSeconds: 22 * 3600 })).toEqual({ startCron: "0 17 * * *", endCron: "0 22 * * *", durationMinutes: 300 });
    expect(dailyWindowCron({ startClockSeconds: 23 * 3600, endClockSeconds: 26 * 3600 })).toEqual({ startCron: "0 23 * * *", endCron: "0 2 * * *", durationMinutes: 180 });
  });

  test("the cron window always covers the requested one, ends on another minute than it starts, and is shorter than a day", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_399 }), fc.integer({ min: 1, max: 86_399 }), (start, length) => {
        const c = dailyWindowCron({ startClockSeconds: start, endClockSeconds: start + length });
        const from = minuteOf(c.startCron);
        expect(from * 60).toBeLessThanOrEqual(start);
        expect(start - from * 60).toBeLessThan(60);
        expect((from + c.durationMinutes) * 60).toBeGreaterThanOrEqual(Math.min(start + length, from * 60 + 1439 * 60));
        expect(c.durationMinutes).toBeGreaterThanOrEqual(1);
        expect(c.durationMinutes).toBeLessThan(1440);
        expect(minuteOf(c.endCron)).toBe((from + c.durationMinutes) % 1440);
        expect(c.endCron).not.toBe(c.startCron);
      }),
    );
  });

  test("fails with the field for an empty window, a whole day or a start outside the day", () => {
    const codes = (w: { startClockSeconds: number; endClockSeconds: number }) => {
      try {
        dailyWindowCron(w, "floor");
      } catch (e) {
        if (e instanceof ValidationError) return e.problems.map((p) => [p.code, p.path]);
        throw e;
      }
      return [];
    };
    expect(codes({ startClockSeconds: 100, endClockSeconds: 100 })).toEqual([["DAILY_WINDOW", "floor.endClockSeconds"]]);
    expect(codes({ startClockSeconds: 100, endClockSeconds: 100 + 86_400 })).toEqual([["DAILY_WINDOW", "floor.endClockSeconds"]]);
    expect(codes({ startClockSeconds: 86_400, endClockSeconds: 90_000 })).toEqual([["DAILY_WINDOW", "floor.startClockSeconds"]]);
  });
});

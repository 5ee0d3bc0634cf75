/**
 * A daily time window (UTC clock seconds) as the cron expressions the cluster's schedulers take:
 * KEDA's `cron` scaler (a start and an end expression) and Karpenter's disruption budgets (a start
 * expression and a duration). Pure: no cdktf import, so the capacity model and the stacks share it.
 */
import { Problems } from "./validation";

/** Seconds in a day. */
const DAY_SECONDS = 86_400;

/** A window of the day, in seconds after midnight UTC; `endClockSeconds` may pass 86,400 (over midnight). */
export interface DailyWindow {
  /** Start, seconds after midnight UTC (0-86,399). */
  readonly startClockSeconds: number;
  /** End, seconds after midnight UTC of the start's day; more than 86,400 for a window over midnight. */
  readonly endClockSeconds: number;
}

/** A {@link DailyWindow} at cron's one-minute resolution. */
export interface DailyWindowCron {
  /** Five-field cron expression of the start, `m h * * *` (UTC). */
  readonly startCron: string;
  /** Five-field cron expression of the end, `m h * * *` (UTC), the hour taken modulo 24. */
  readonly endCron: string;
  /** Whole minutes from the start to the end (at least 1, less than 1,440). */
  readonly durationMinutes: number;
}

/**
 * The cron form of a daily window. The start is rounded down and the end up to a whole minute, so
 * the scheduled window always covers the requested one. A window over midnight (`endClockSeconds`
 * above 86,400) gives an end expression with a smaller hour than the start's: KEDA's cron scaler
 * counts itself active while the next end comes before the next start, which holds across midnight.
 *
 * @throws {ValidationError} `DAILY_WINDOW` for a start outside 0-86,399, an end not after the start,
 *   or a window of a whole day or more (no start/end pair can express it).
 * @example
 * dailyWindowCron({ startClockSeconds: 23 * 3600, endClockSeconds: 26 * 3600 });
 * // { startCron: "0 23 * * *", endCron: "0 2 * * *", durationMinutes: 180 }
 */
export function dailyWindowCron(window: DailyWindow, path = "window"): DailyWindowCron {
  const problems = new Problems("daily window");
  const okStart = problems.checkNumber("DAILY_WINDOW", `${path}.startClockSeconds`, window.startClockSeconds, { min: 0, max: DAY_SECONDS - 1 });
  const okEnd = problems.checkNumber("DAILY_WINDOW", `${path}.endClockSeconds`, window.endClockSeconds, { min: 0 });
  if (okStart && okEnd) {
    const length = window.endClockSeconds - window.startClockSeconds;
    if (length <= 0 || length >= DAY_SECONDS) {
      problems.add("DAILY_WINDOW", `${path}.endClockSeconds`, window.endClockSeconds, `more than startClockSeconds (${window.startClockSeconds}) and less than a day after it (a window over midnight ends above 86,400)`);
    }
  }
  problems.throwIfAny();
  const startMinute = Math.floor(window.startClockSeconds / 60);
  // At least a minute, and short of a whole day so the end expression differs from the start's.
  const endMinute = Math.min(startMinute + 1439, Math.max(startMinute + 1, Math.ceil(window.endClockSeconds / 60)));
  const cron = (minuteOfDay: number): string => `${minuteOfDay % 60} ${Math.floor(minuteOfDay / 60) % 24} * * *`;
  return { startCron: cron(startMinute), endCron: cron(endMinute), durationMinutes: endMinute - startMinute };
}

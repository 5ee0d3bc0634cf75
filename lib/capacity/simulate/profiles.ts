/**
 * Traffic profiles: the arrival rate over time that the simulator plays.
 *
 * A profile is a piecewise-linear rate curve (requests/second at the API,
 * before the cache), optional async-only batches (a bulk job that writes
 * straight to Kafka) and an optional availability-zone loss. The named
 * profiles follow the source article's cases and are derived from the
 * workload, so they scale with each environment's declared traffic.
 */
import type { WorkloadInput } from "../types";
import { Problems } from "../../core/validation";
import { DEFAULT_BASELINE_FRACTION, DEFAULT_DAILY_PEAK_RAMP_SECONDS, DEFAULT_MAX_QUEUE_DELAY_SECONDS } from "../constants";

/** One point of the rate curve; between points the rate is linear, outside them it is held. */
export interface RatePoint {
  /** Seconds from the start of the profile. */
  readonly atSeconds: number;
  /** Arrival rate at that time, requests/second. */
  readonly requestsPerSecond: number;
}

/** A bulk submission served only through Kafka (the bank's nightly or month-end batch). */
export interface BatchSubmission {
  /** Seconds from the start of the profile when the batch starts arriving. */
  readonly atSeconds: number;
  /** Requests in the batch. */
  readonly requests: number;
  /** Seconds over which the batch arrives (Poisson at requests / duration). */
  readonly durationSeconds: number;
  /**
   * Seconds from `atSeconds` by which the batch must be served (a declared workload.batchJobs deadline):
   * its messages may wait in Kafka this long instead of maxQueueDelaySeconds.
   * @default maxQueueDelaySeconds
   */
  readonly deadlineSeconds?: number;
}

/** The loss of one availability zone. */
export interface ZoneLoss {
  /** Seconds from the start of the profile. */
  readonly atSeconds: number;
  /** Zone index, 0 to availabilityZones - 1 (checked against the plan when simulated). */
  readonly zone: number;
}

/** A resolved profile: absolute rates and times. */
export interface TrafficProfile {
  /** Profile name, e.g. `festival-spike`. */
  readonly name: string;
  /** One line for reports. */
  readonly description: string;
  /** Wall-clock time of second 0, seconds after midnight (only for labels such as 14:02). */
  readonly startClockSeconds: number;
  /** Seconds of arrivals; the run continues after it until the system drains. */
  readonly durationSeconds: number;
  /** The rate curve, sorted by time. */
  readonly rate: readonly RatePoint[];
  /** Async-only bulk submissions. @default none */
  readonly batches?: readonly BatchSubmission[];
  /** A zone lost during the run. @default none */
  readonly zoneLoss?: ZoneLoss;
}

/** Names of the built-in profiles. */
export const PROFILE_NAMES = ["daily-peak", "festival-spike", "bank-batch-day", "peak-zone-loss"] as const;

/** A built-in profile name. */
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Spike used by `festival-spike` when the workload declares none: 3x the peak, reached in 2 min, held 10 min. */
export const DEFAULT_FESTIVAL_SPIKE = { multiplier: 3, rampSeconds: 120, durationSeconds: 600 } as const;

/**
 * Longest spike plateau the compact `festival-spike` keeps: 20 minutes, twice the default
 * GPU provisioning time, so the plateau outlasts the scale-up it tests.
 */
export const COMPACT_SPIKE_HOLD_SECONDS = 1200;

/** Requests of the `bank-batch-day` batch: the source article's "100k+ requests in a day's batch". */
export const BANK_BATCH_REQUESTS = 120_000;

/** Seconds over which the bank batch is submitted. */
export const BANK_BATCH_SUBMIT_SECONDS = 600;

const HOUR = 3600;
const DAY = 24 * HOUR;
const PEAK_CLOCK = 14 * HOUR;
const BATCH_CLOCK = 9 * HOUR;

/** Options of {@link namedProfile}. */
export interface NamedProfileOptions {
  /**
   * Return the compact verification window around the profile's critical minutes instead of 24 h.
   * @default false
   */
  readonly compact?: boolean;
}

/**
 * Builds a built-in profile for a workload.
 *
 * - `daily-peak`: a diurnal curve from the baseline at night to the peak at 14:00.
 * - `festival-spike`: the same day with the workload's `spike` on top of the 14:00 peak.
 * - `bank-batch-day`: the same day with a batch of {@link BANK_BATCH_REQUESTS} async requests at 09:00.
 * - `peak-zone-loss`: the daily peak with zone 0 lost at 14:00.
 *
 * The compact form (for `verifyPlan`) starts a few minutes before the critical
 * moment at its steady rate and ends when the effect has played out.
 *
 * @example
 * const profile = namedProfile("festival-spike", plan.input.workload, { compact: true });
 */
export function namedProfile(name: ProfileName, workload: WorkloadInput, options: NamedProfileOptions = {}): TrafficProfile {
  const peak = workload.peakRequestsPerSecond;
  const base = workload.baselineRequestsPerSecond ?? peak * DEFAULT_BASELINE_FRACTION;
  const day = dayCurveFor(workload);
  // With a declared daily peak window the critical minutes are its start, not 14:00.
  const dp = workload.dailyPeak;
  const peakClock = dp ? dp.startClockSeconds + (dp.rampSeconds ?? DEFAULT_DAILY_PEAK_RAMP_SECONDS) : PEAK_CLOCK;
  const PEAK_AT = peakClock;
  let full: TrafficProfile;
  let window: readonly [number, number];
  switch (name) {
    case "daily-peak":
      full = { name, description: dp ? `baseline ${fmt(base)} req/s, declared peak ${fmt(peak)} req/s from ${clockOf(dp.startClockSeconds)} (ramp ${dp.rampSeconds ?? DEFAULT_DAILY_PEAK_RAMP_SECONDS} s, ${dp.durationSeconds} s)` : `diurnal traffic, ${fmt(base)} to ${fmt(peak)} req/s at 14:00`, startClockSeconds: 0, durationSeconds: DAY, rate: day };
      // The peak is flat from 13:45 to 14:15: the rise into it and 20 minutes at it are what matter.
      // The peak is flat from 13:45 to 14:15: the rise into it and 20 minutes at it are what matter. A declared
      // window: 30 minutes before its start (the scheduled pre-scale begins there) to 20 minutes into it.
      window = dp ? [dp.startClockSeconds - 30 * 60, PEAK_AT + Math.min(20 * 60, dp.durationSeconds)] : [PEAK_CLOCK - 25 * 60, PEAK_CLOCK + 5 * 60];
      break;
    case "festival-spike": {
      const spike = workload.spike && workload.spike.multiplier > 1 ? workload.spike : DEFAULT_FESTIVAL_SPIKE;
      const top = peak * spike.multiplier;
      const t0 = PEAK_AT;
      const t1 = t0 + spike.rampSeconds;
      const t2 = t1 + spike.durationSeconds;
      const t3 = t2 + spike.rampSeconds;
      const rate = [
        ...day.filter((p) => p.atSeconds < t0),
        { atSeconds: t0, requestsPerSecond: peak },
        { atSeconds: t1, requestsPerSecond: top },
        { atSeconds: t2, requestsPerSecond: top },
        { atSeconds: t3, requestsPerSecond: peak },
        ...day.filter((p) => p.atSeconds > t3),
      ];
      full = {
        name,
        description: `${fmt(spike.multiplier)}x spike to ${fmt(top)} req/s at 14:00 (ramp ${spike.rampSeconds} s, held ${spike.durationSeconds} s)`,
        startClockSeconds: 0,
        durationSeconds: DAY,
        rate,
      };
      window = [t0 - 3 * 60, t3 + 10 * 60];
      if (options.compact && spike.durationSeconds > COMPACT_SPIKE_HOLD_SECONDS) {
        // A long plateau adds requests, not information: by then the HPA and the nodes have caught up
        // or the queue is already growing. Keep COMPACT_SPIKE_HOLD_SECONDS of it.
        const held = { ...spike, durationSeconds: COMPACT_SPIKE_HOLD_SECONDS };
        return sliceProfile(namedProfile(name, { ...workload, spike: held }), t0 - 3 * 60, t1 + COMPACT_SPIKE_HOLD_SECONDS + spike.rampSeconds + 10 * 60);
      }
      break;
    }
    case "bank-batch-day": {
      // The workload's declared batch jobs when it has any (sized by the plan), else the source article's 120k.
      const declared = workload.batchJobs ?? [];
      const batches: BatchSubmission[] =
        declared.length > 0
          ? declared.map((j) => ({ atSeconds: j.startClockSeconds ?? BATCH_CLOCK, requests: j.requests, durationSeconds: j.submitSeconds ?? BANK_BATCH_SUBMIT_SECONDS, deadlineSeconds: j.deadlineSeconds }))
          : [{ atSeconds: BATCH_CLOCK, requests: BANK_BATCH_REQUESTS, durationSeconds: BANK_BATCH_SUBMIT_SECONDS }];
      const delay = workload.maxQueueDelaySeconds ?? DEFAULT_MAX_QUEUE_DELAY_SECONDS;
      full = {
        name,
        description: `diurnal traffic plus ${batches.map((b) => `${b.requests} async batch requests at ${clockOf(b.atSeconds)} over ${b.durationSeconds} s${b.deadlineSeconds ? ` (deadline ${b.deadlineSeconds} s)` : ""}`).join(", ")}`,
        startClockSeconds: 0,
        durationSeconds: DAY,
        rate: day,
        batches,
      };
      const first = Math.min(...batches.map((b) => b.atSeconds));
      const last = Math.max(...batches.map((b) => b.atSeconds + Math.max(b.durationSeconds + delay, b.deadlineSeconds ?? 0)));
      window = [first - 3 * 60, last];
      break;
    }
    case "peak-zone-loss":
      full = { name, description: `daily peak with zone 0 lost at ${clockOf(PEAK_AT)}`, startClockSeconds: 0, durationSeconds: DAY, rate: day, zoneLoss: { atSeconds: PEAK_AT, zone: 0 } };
      window = [PEAK_AT - 3 * 60, PEAK_AT + 20 * 60];
      break;
  }
  return options.compact ? sliceProfile(full, window[0], window[1]) : full;
}

function clockOf(t: number): string {
  const h = Math.floor(t / HOUR) % 24;
  const m = Math.floor((t % HOUR) / 60);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

/**
 * The diurnal curve: baseline at night, a morning rise, the peak held from
 * 13:45 to 14:15, an afternoon decline. Shape chosen to look like business
 * traffic; only the baseline and the peak come from the workload.
 */
/**
 * The day a workload declares: its `dailyPeak` window (baseline, a ramp of `rampSeconds` into the peak,
 * the peak held `durationSeconds`, the same ramp down) when it has one, else {@link dailyCurve}.
 */
export function dayCurveFor(workload: WorkloadInput): RatePoint[] {
  const peak = workload.peakRequestsPerSecond;
  const base = workload.baselineRequestsPerSecond ?? peak * DEFAULT_BASELINE_FRACTION;
  const dp = workload.dailyPeak;
  if (!dp) return dailyCurve(base, peak);
  const ramp = dp.rampSeconds ?? DEFAULT_DAILY_PEAK_RAMP_SECONDS;
  const t0 = dp.startClockSeconds;
  const t3 = Math.min(DAY, t0 + 2 * ramp + dp.durationSeconds);
  return [
    { atSeconds: 0, requestsPerSecond: base },
    { atSeconds: t0, requestsPerSecond: base },
    { atSeconds: t0 + ramp, requestsPerSecond: peak },
    { atSeconds: Math.min(DAY, t0 + ramp + dp.durationSeconds), requestsPerSecond: peak },
    { atSeconds: t3, requestsPerSecond: base },
    { atSeconds: DAY, requestsPerSecond: base },
  ];
}

export function dailyCurve(base: number, peak: number): RatePoint[] {
  const at = (h: number, m: number, r: number): RatePoint => ({ atSeconds: h * HOUR + m * 60, requestsPerSecond: r });
  return [
    at(0, 0, base),
    at(6, 0, base),
    at(9, 0, base + 0.6 * (peak - base)),
    at(12, 0, base + 0.8 * (peak - base)),
    at(13, 45, peak),
    at(14, 15, peak),
    at(17, 0, base + 0.7 * (peak - base)),
    at(21, 0, base + 0.3 * (peak - base)),
    at(23, 0, base),
    at(24, 0, base),
  ];
}

/** The rate of a curve at time `t` (linear between points, held outside). */
export function rateAt(rate: readonly RatePoint[], t: number): number {
  if (rate.length === 0) return 0;
  if (t <= rate[0]!.atSeconds) return rate[0]!.requestsPerSecond;
  for (let i = 1; i < rate.length; i++) {
    const b = rate[i]!;
    if (t <= b.atSeconds) {
      const a = rate[i - 1]!;
      const span = b.atSeconds - a.atSeconds;
      return span <= 0 ? b.requestsPerSecond : a.requestsPerSecond + ((t - a.atSeconds) / span) * (b.requestsPerSecond - a.requestsPerSecond);
    }
  }
  return rate[rate.length - 1]!.requestsPerSecond;
}

/** The part of a profile between `from` and `to` seconds, re-based to start at 0. */
export function sliceProfile(profile: TrafficProfile, from: number, to: number): TrafficProfile {
  const inside = profile.rate.filter((p) => p.atSeconds > from && p.atSeconds < to).map((p) => ({ atSeconds: p.atSeconds - from, requestsPerSecond: p.requestsPerSecond }));
  const rate = [{ atSeconds: 0, requestsPerSecond: rateAt(profile.rate, from) }, ...inside, { atSeconds: to - from, requestsPerSecond: rateAt(profile.rate, to) }];
  const batches = (profile.batches ?? []).filter((b) => b.atSeconds >= from && b.atSeconds < to).map((b) => ({ ...b, atSeconds: b.atSeconds - from }));
  const loss = profile.zoneLoss && profile.zoneLoss.atSeconds >= from && profile.zoneLoss.atSeconds < to ? { ...profile.zoneLoss, atSeconds: profile.zoneLoss.atSeconds - from } : undefined;
  return {
    name: profile.name,
    description: profile.description,
    startClockSeconds: (profile.startClockSeconds + from) % DAY,
    durationSeconds: to - from,
    rate,
    ...(batches.length > 0 ? { batches } : {}),
    ...(loss ? { zoneLoss: loss } : {}),
  };
}

/** Upper bound on a custom profile's duration: one week. */
export const MAX_PROFILE_SECONDS = 7 * DAY;

/**
 * Parses and validates a custom profile (e.g. from a JSON file). Every problem
 * is collected and thrown once as a `ValidationError`. Rate points give either
 * `requestsPerSecond` or `peakMultiple` (a multiple of the workload's peak).
 *
 * @example
 * const profile = parseProfile(JSON.parse(fs.readFileSync("flash-sale.json", "utf8")), plan.input.workload);
 */
export function parseProfile(json: unknown, workload: WorkloadInput, source = "profile"): TrafficProfile {
  const problems = new Problems(`traffic profile ${source}`);
  const obj = isRecord(json) ? json : {};
  if (!isRecord(json)) problems.add("SIM_PROFILE_NOT_OBJECT", source, json, "a JSON object with name, durationSeconds and rate");
  const name = obj["name"];
  if (typeof name !== "string" || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) {
    problems.add("SIM_PROFILE_NAME", `${source}.name`, name, "lower-case letters, digits and dashes, 1 to 63 characters");
  }
  const duration = obj["durationSeconds"];
  const durationOk = problems.checkNumber("SIM_PROFILE_DURATION", `${source}.durationSeconds`, duration, { min: 60, max: MAX_PROFILE_SECONDS });
  const clock = obj["startClockSeconds"] ?? 0;
  problems.checkNumber("SIM_PROFILE_START_CLOCK", `${source}.startClockSeconds`, clock, { min: 0, max: DAY - 1 });
  const description = obj["description"] ?? `custom profile ${String(name)}`;
  if (typeof description !== "string") problems.add("SIM_PROFILE_DESCRIPTION", `${source}.description`, description, "a string");
  const maxT = durationOk ? (duration as number) : Infinity;

  const rateIn = obj["rate"];
  const rate: RatePoint[] = [];
  if (!Array.isArray(rateIn) || rateIn.length === 0) {
    problems.add("SIM_PROFILE_RATE", `${source}.rate`, rateIn, "a non-empty array of {atSeconds, requestsPerSecond | peakMultiple}");
  } else {
    let last = -Infinity;
    rateIn.forEach((p: unknown, i) => {
      const path = `${source}.rate[${i}]`;
      const point = isRecord(p) ? p : {};
      const at = point["atSeconds"];
      if (problems.checkNumber("SIM_PROFILE_POINT_TIME", `${path}.atSeconds`, at, { min: 0, max: maxT })) {
        if (at < last) problems.add("SIM_PROFILE_POINT_ORDER", `${path}.atSeconds`, at, `at least the previous point's ${last} (points sorted by time)`);
        last = at;
      }
      const rps = point["requestsPerSecond"];
      const multiple = point["peakMultiple"];
      if ((rps === undefined) === (multiple === undefined)) {
        problems.add("SIM_PROFILE_POINT_RATE", path, p, "exactly one of requestsPerSecond or peakMultiple");
      } else if (rps !== undefined) {
        if (problems.checkNumber("SIM_PROFILE_POINT_RATE", `${path}.requestsPerSecond`, rps, { min: 0, max: 1e6 }) && typeof at === "number") {
          rate.push({ atSeconds: at, requestsPerSecond: rps });
        }
      } else if (problems.checkNumber("SIM_PROFILE_POINT_RATE", `${path}.peakMultiple`, multiple, { min: 0, max: 100 }) && typeof at === "number") {
        rate.push({ atSeconds: at, requestsPerSecond: multiple * workload.peakRequestsPerSecond });
      }
    });
  }

  const batchesIn = obj["batches"] ?? [];
  const batches: BatchSubmission[] = [];
  if (!Array.isArray(batchesIn)) {
    problems.add("SIM_PROFILE_BATCHES", `${source}.batches`, batchesIn, "an array of {atSeconds, requests, durationSeconds}");
  } else {
    batchesIn.forEach((b: unknown, i) => {
      const path = `${source}.batches[${i}]`;
      const batch = isRecord(b) ? b : {};
      const ok = [
        problems.checkNumber("SIM_PROFILE_BATCH_TIME", `${path}.atSeconds`, batch["atSeconds"], { min: 0, max: maxT }),
        problems.checkNumber("SIM_PROFILE_BATCH_REQUESTS", `${path}.requests`, batch["requests"], { min: 1, max: 1e8, integer: true }),
        problems.checkNumber("SIM_PROFILE_BATCH_DURATION", `${path}.durationSeconds`, batch["durationSeconds"], { min: 1, exclusiveMin: false, max: MAX_PROFILE_SECONDS }),
      ].every(Boolean);
      if (ok) batches.push({ atSeconds: batch["atSeconds"] as number, requests: batch["requests"] as number, durationSeconds: batch["durationSeconds"] as number });
    });
  }

  const lossIn = obj["zoneLoss"];
  let zoneLoss: ZoneLoss | undefined;
  if (lossIn !== undefined) {
    const loss = isRecord(lossIn) ? lossIn : {};
    const okAt = problems.checkNumber("SIM_PROFILE_ZONE_LOSS_TIME", `${source}.zoneLoss.atSeconds`, loss["atSeconds"], { min: 0, max: maxT });
    const okZone = problems.checkNumber("SIM_PROFILE_ZONE_LOSS_ZONE", `${source}.zoneLoss.zone`, loss["zone"], { min: 0, max: 5, integer: true });
    if (okAt && okZone) zoneLoss = { atSeconds: loss["atSeconds"] as number, zone: loss["zone"] as number };
  }
  problems.throwIfAny();
  return {
    name: name as string,
    description: description as string,
    startClockSeconds: clock as number,
    durationSeconds: duration as number,
    rate,
    ...(batches.length > 0 ? { batches } : {}),
    ...(zoneLoss ? { zoneLoss } : {}),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

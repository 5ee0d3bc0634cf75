/**
 * Queueing formulas: Erlang C (M/M/c) in a form that stays finite for thousands of servers,
 * the Allen-Cunneen correction for non-exponential service, and the source article's formula.
 */
import { ARRIVAL_SCV, P99_TAIL } from "./constants";

/**
 * Erlang C: probability that an arrival waits in an M/M/c queue.
 *
 * Computed with the Erlang-B recurrence `B(k) = A B(k-1) / (k + A B(k-1))`, `B(0) = 1`, then
 * `C = c B / (c - A (1 - B))`. Every step is a ratio in [0, 1], so it neither overflows nor loses
 * precision for c in the thousands (capacity-data.md "Queueing").
 *
 * @param servers c, a positive integer
 * @param offeredLoadErlangs A = lambda / mu, >= 0
 * @returns C(c, A) in [0, 1]; 1 when A >= c (the queue grows without bound); 0 when it is below ~1e-18
 * @example erlangC(1, 0.5) // 0.5 (= rho for one server)
 */
export function erlangC(servers: number, offeredLoadErlangs: number): number {
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`erlangC: servers must be a positive integer, got ${servers}`);
  if (!Number.isFinite(offeredLoadErlangs) || offeredLoadErlangs < 0) {
    throw new RangeError(`erlangC: offered load must be a finite number >= 0, got ${offeredLoadErlangs}`);
  }
  const a = offeredLoadErlangs;
  if (a === 0) return 0;
  if (a >= servers) return 1;
  let b = 1;
  for (let k = 1; k <= servers; k++) {
    b = (a * b) / (k + a * b);
    // Past k > A the sequence only falls; once it is below 1e-18 C(c, A) is below c/(c - A) x 1e-18,
    // which is 0 for every use here (p99 waits need C > 0.01): return 0 instead of walking thousands of servers.
    if (b < 1e-18 && k > a) return 0;
  }
  return (servers * b) / (servers - a * (1 - b));
}

/** Allen-Cunneen factor `(ca^2 + cs^2) / 2` that scales an M/M/c wait to G/G/c (capacity-data.md "Queueing"). */
export function allenCunneenFactor(serviceScv: number, arrivalScv: number = ARRIVAL_SCV): number {
  return (arrivalScv + serviceScv) / 2;
}

/** Result of {@link queueWait}. */
export interface QueueWait {
  /** Erlang C probability of waiting. */
  readonly probabilityOfWait: number;
  /** Mean wait, s: `AC x C / (c mu - lambda)`. */
  readonly meanSeconds: number;
  /** p99 wait, s: `AC x ln(C / 0.01) / (c mu - lambda)` when C > 0.01, else 0. */
  readonly p99Seconds: number;
}

/**
 * Waiting time in a G/G/c queue approximated by Erlang C with the Allen-Cunneen correction:
 * `P(W > t) = C exp(-(c mu - lambda) t)`, the time scale stretched by `(ca^2 + cs^2) / 2`.
 * Returns infinite waits when `lambda >= c mu`.
 */
export function queueWait(servers: number, arrivalRatePerSecond: number, serviceSeconds: number, serviceScv: number): QueueWait {
  const mu = 1 / serviceSeconds;
  const capacity = servers * mu;
  if (arrivalRatePerSecond >= capacity) return { probabilityOfWait: 1, meanSeconds: Infinity, p99Seconds: Infinity };
  const c = erlangC(servers, arrivalRatePerSecond * serviceSeconds);
  const ac = allenCunneenFactor(serviceScv);
  const drain = capacity - arrivalRatePerSecond;
  return {
    probabilityOfWait: c,
    meanSeconds: (ac * c) / drain,
    p99Seconds: c > P99_TAIL ? (ac * Math.log(c / P99_TAIL)) / drain : 0,
  };
}

/** Inputs of the source article's sizing formula. */
export interface ClassicInstanceInput {
  /** Peak queries per second. */
  readonly peakRequestsPerSecond: number;
  /** Mean response time, s. */
  readonly meanResponseSeconds: number;
  /** Requests one instance serves at the same time. */
  readonly perInstanceConcurrency: number;
  /** The article's 1.5-2 multiplier. */
  readonly safetyFactor: number;
}

/**
 * The source article's formula, `ceil(peak QPS x mean response time / per-instance throughput x safety)`,
 * kept for comparison. It is Little's law on the mean, with no tail, no tokens and no memory.
 *
 * @example classicInstanceCount({ peakRequestsPerSecond: 100, meanResponseSeconds: 2, perInstanceConcurrency: 50, safetyFactor: 1.5 }) // 6
 */
export function classicInstanceCount(input: ClassicInstanceInput): number {
  const { peakRequestsPerSecond, meanResponseSeconds, perInstanceConcurrency, safetyFactor } = input;
  for (const [name, value] of Object.entries(input)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new RangeError(`classicInstanceCount: ${name} must be a finite number >= 0`);
  }
  if (perInstanceConcurrency <= 0) throw new RangeError("classicInstanceCount: perInstanceConcurrency must be > 0");
  // Round the product to 9 significant digits first so 100 x 2 / 50 x 1.5 = 6 does not become 7 through 6.0000000001.
  const raw = ((peakRequestsPerSecond * meanResponseSeconds) / perInstanceConcurrency) * safetyFactor;
  return Math.ceil(Number(raw.toPrecision(9)));
}

/**
 * Squared coefficient of variation of a positive, right-skewed quantity given its mean and p99,
 * assuming a lognormal shape: solve `p99 / mean = exp(2.326 s - s^2 / 2)` for s, then `cv^2 = exp(s^2) - 1`.
 * A ratio of 1 gives 0 (deterministic).
 */
export function lognormalScv(mean: number, p99: number): number {
  const ratio = Math.max(1, p99 / mean);
  const z = 2.3263478740408408;
  // Smaller root of s^2/2 - z s + ln(ratio) = 0 (the root on the right-skew branch); the ratio
  // is capped where the discriminant vanishes (s = z, ratio = exp(z^2/2) ~ 14.9).
  const disc = Math.max(0, z * z - 2 * Math.log(ratio));
  const s = z - Math.sqrt(disc);
  return Math.expm1(s * s);
}

/**
 * Token counts drawn from their exact discrete distribution in O(1).
 *
 * The simulator's token count is N = max(1, round(exp(mu + sigma Z))), capped, with Z standard
 * normal. Drawing Z, then exp, then rounding costs a logarithm, a square root and an exponential per
 * count, twice per request. N takes whole values only, so its distribution is a table:
 * P(N = n) = Phi(z(n + 1/2)) - Phi(z(n - 1/2)) with z(x) = (ln x - mu) / sigma, every value at or
 * below 1 going to 1 and every value at or above the cap to the cap. Walker's alias method (Vose's
 * construction) then draws from that table with two uniforms and a comparison.
 *
 * The probabilities come from integrating the normal density over each interval (two-point
 * Gauss-Legendre on pieces at most 0.02 wide in z: relative error far below 1e-10). The normal
 * tail beyond 9 standard deviations (mass 1e-19) is left out when the cap lies beyond it; the
 * Box-Muller or polar draw on 32-bit uniforms it replaces never reached past 6.7.
 */
import type { Random } from "./random";

/** Largest z kept below the cap. */
const Z_MAX = 9;
/** Where the integration of the first and the capped interval stops: the normal mass beyond 12 is 2e-33. */
const Z_LIMIT = 12;
/** Widest piece of z integrated with one Gauss-Legendre rule. */
const PIECE = 0.02;
const GL = 1 / Math.sqrt(3);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** An alias table over the token counts 1..size. */
export class TokenSampler {
  /**
   * Entry i at [2i, 2i + 1]: the keep threshold of column i, then the column it aliases. A column
   * is kept when the 32-bit output t of the draw's second step is below the threshold: with
   * u = t / 2^32 exactly, u < prob is t < ceil(prob * 2^32), so the draw is the one a double
   * probability table gives, from 8 bytes an entry instead of 12 in two arrays (the tables of a
   * 16k-token context then fit a core's L2 cache, and one cache line holds both halves). A column
   * kept with certainty (threshold 2^32) aliases itself, threshold 0.
   */
  private readonly table: Uint32Array;
  private readonly size: number;

  /**
   * @param mu, sigma of the underlying normal (see lognormalFromMeanP99)
   * @param cap the largest count; larger draws are the cap
   */
  public constructor(mu: number, sigma: number, cap: number) {
    const weights = tokenCountWeights(mu, sigma, cap);
    this.size = weights.length;
    const { prob, alias } = aliasTable(weights);
    this.table = new Uint32Array(2 * this.size);
    for (let i = 0; i < this.size; i++) {
      const threshold = Math.ceil(prob[i]! * 4294967296);
      const certain = threshold >= 4294967296;
      this.table[2 * i] = certain ? 0 : threshold;
      this.table[2 * i + 1] = certain ? i : alias[i]!;
    }
  }

  /** A token count in 1..cap. */
  public draw(rng: Random): number {
    const i = Math.floor(rng.next() * this.size);
    const table = this.table;
    return (rng.nextUint32() < table[2 * i]! ? i : table[2 * i + 1]!) + 1;
  }
}

const SAMPLERS = new Map<string, TokenSampler>();

/** The sampler for (mu, sigma, cap), built once per process for each distinct triple. */
export function tokenSampler(mu: number, sigma: number, cap: number): TokenSampler {
  const key = `${mu}/${sigma}/${cap}`;
  let s = SAMPLERS.get(key);
  if (s === undefined) {
    if (SAMPLERS.size >= 256) SAMPLERS.clear();
    s = new TokenSampler(mu, sigma, cap);
    SAMPLERS.set(key, s);
  }
  return s;
}

/**
 * Unnormalized P(N = n) for n = 1..length, N = min(cap, max(1, round(exp(mu + sigma Z)))).
 * Exported for tests.
 */
export function tokenCountWeights(mu: number, sigma: number, cap: number): Float64Array {
  const top = Math.max(1, Math.floor(cap));
  if (!(sigma > 0)) {
    // A point mass: exp(mu), rounded and clamped.
    const w = new Float64Array(top);
    w[Math.min(top, Math.max(1, Math.round(Math.exp(mu)))) - 1] = 1;
    return w;
  }
  const z = (x: number): number => (Math.log(x) - mu) / sigma;
  // Beyond Z_MAX the normal has no mass a double can tell from 0 next to 1.
  const last = Math.min(top, Math.max(1, Math.ceil(Math.exp(mu + Z_MAX * sigma))));
  const w = new Float64Array(last);
  let lo = -Z_LIMIT;
  for (let n = 1; n <= last; n++) {
    // The interval of Z that rounds to n; the first takes everything below, the cap everything above.
    const hi = n === last ? (last === top ? Z_LIMIT : z(last + 0.5)) : z(n + 0.5);
    w[n - 1] = normalMass(lo, Math.min(hi, Z_LIMIT));
    lo = hi;
  }
  return w;
}

/** The standard normal mass between a and b (a <= b), by two-point Gauss-Legendre on pieces of at most PIECE. */
function normalMass(a: number, b: number): number {
  if (!(b > a)) return 0;
  const pieces = Math.ceil((b - a) / PIECE);
  const h = (b - a) / pieces;
  let sum = 0;
  for (let k = 0; k < pieces; k++) {
    const mid = a + (k + 0.5) * h;
    const d = (h / 2) * GL;
    const x1 = mid - d;
    const x2 = mid + d;
    sum += Math.exp(-0.5 * x1 * x1) + Math.exp(-0.5 * x2 * x2);
  }
  return sum * (h / 2) * INV_SQRT_2PI;
}

/** Vose's alias table for the weights (any positive total). */
function aliasTable(weights: Float64Array): { prob: Float64Array; alias: Int32Array } {
  const n = weights.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = (weights[i]! * n) / total;
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let i = n - 1; i >= 0; i--) {
    if (scaled[i]! < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns]!;
    const l = large[--nl]!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    if (scaled[l]! < 1) small[ns++] = l;
    else large[nl++] = l;
  }
  // What is left has probability 1 up to rounding.
  while (nl > 0) {
    const l = large[--nl]!;
    prob[l] = 1;
    alias[l] = l;
  }
  while (ns > 0) {
    const s = small[--ns]!;
    prob[s] = 1;
    alias[s] = s;
  }
  return { prob, alias };
}

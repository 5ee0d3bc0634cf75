/**
 * Seeded pseudo-random numbers for the simulator.
 *
 * sfc32 (Chris Doty-Humphrey's "small fast chaotic" generator, PractRand-clean)
 * is used because it is fast in 32-bit integer JavaScript and fully determined
 * by its seed, so the same seed replays the same run bit for bit.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed any 32-bit integer; equal seeds give equal streams. */
  public constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // Discard the first outputs so nearby seeds diverge.
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A uniform number in [0, 1): {@link nextUint32} / 2^32. */
  public next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** The generator's next 32-bit output, as an integer in [0, 2^32). */
  public nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return t >>> 0;
  }

  /** An exponential variate with the given mean. */
  public exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  private spare = 0;
  private hasSpare = false;

  /**
   * A standard normal variate: Marsaglia's polar method (a point drawn uniformly in the unit
   * disc gives two independent normals; the second is kept for the next call). Exact like
   * Box-Muller, without its sine and cosine.
   */
  public normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }

  /** An integer in [0, n). */
  public int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/**
 * Log-normal parameters (mu, sigma of the underlying normal) with the given
 * mean and 99th percentile: mean = exp(mu + s^2/2), p99 = exp(mu + z99 s).
 * Solving gives s^2/2 - z99 s + ln(p99/mean) = 0; the smaller root is taken.
 * A ratio too large for a log-normal (p99/mean > e^(z99^2/2) ~ 14.9) is clamped
 * to the largest representable tail.
 */
export function lognormalFromMeanP99(mean: number, p99: number): { readonly mu: number; readonly sigma: number } {
  const ratio = Math.max(1, p99 / mean);
  const disc = Math.max(0, Z99 * Z99 - 2 * Math.log(ratio));
  const sigma = Z99 - Math.sqrt(disc);
  return { mu: Math.log(mean) - (sigma * sigma) / 2, sigma };
}

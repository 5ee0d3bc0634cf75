/**
 * A streaming quantile sketch: a fixed log-bucket histogram.
 *
 * Values from `minValue` to `maxValue` fall in buckets whose bounds grow by a
 * constant ratio `1 + 2 * relativeError`; a quantile is read as the geometric
 * middle of its bucket, so its relative error is at most `relativeError`
 * (the DDSketch construction, Masson et al., VLDB 2019). Memory is constant
 * (about 1,000 counters for 1 ms to 1 day at 1%), whatever the request count.
 */
export class LogHistogram {
  private readonly counts: Float64Array;
  private readonly logGamma: number;
  private readonly logMin: number;
  private total = 0;
  private sum = 0;
  private low = Infinity;
  private high = -Infinity;

  /**
   * @param minValue smallest value resolved; smaller values count in the first bucket
   * @param maxValue largest value resolved; larger values count in the last bucket
   * @param relativeError bound on the relative error of a quantile
   */
  public constructor(
    private readonly minValue = 1e-3,
    maxValue = 1e5,
    relativeError = 0.01,
  ) {
    this.logGamma = Math.log((1 + relativeError) / (1 - relativeError));
    this.logMin = Math.log(minValue);
    this.counts = new Float64Array(Math.ceil((Math.log(maxValue) - this.logMin) / this.logGamma) + 2);
  }

  /** Values recorded. */
  public get count(): number {
    return this.total;
  }

  /** Exact mean of the recorded values (0 when empty). */
  public get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  /** Exact largest value recorded (0 when empty). */
  public get max(): number {
    return this.total === 0 ? 0 : this.high;
  }

  /** Exact smallest value recorded (0 when empty). */
  public get min(): number {
    return this.total === 0 ? 0 : this.low;
  }

  /** Records one value. */
  public add(value: number): void {
    this.total++;
    this.sum += value;
    if (value < this.low) this.low = value;
    if (value > this.high) this.high = value;
    let i = value <= this.minValue ? 0 : Math.floor((Math.log(value) - this.logMin) / this.logGamma) + 1;
    if (i >= this.counts.length) i = this.counts.length - 1;
    this.counts[i]!++;
  }

  /** Adds every value of another histogram with the same bounds. */
  public merge(other: LogHistogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    this.sum += other.sum;
    this.low = Math.min(this.low, other.low);
    this.high = Math.max(this.high, other.high);
  }

  /** Forgets every value. */
  public reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sum = 0;
    this.low = Infinity;
    this.high = -Infinity;
  }

  /** The q-quantile (0-1) within the relative error, clamped to the exact min and max; 0 when empty. */
  public quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.min(this.total, Math.max(1, Math.ceil(q * this.total)));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        if (i === 0) return this.low;
        // Geometric middle of bucket i: [min * g^(i-1), min * g^i].
        const value = Math.exp(this.logMin + (i - 0.5) * this.logGamma);
        return Math.min(this.high, Math.max(this.low, value));
      }
    }
    return this.high;
  }
}

/**
 * A streaming quantile sketch: a fixed log-bucket histogram.
 *
 * Values from `minValue` to `maxValue` fall in buckets whose bounds grow by a
 * constant ratio `1 + 2 * relativeError`; a quantile is read as the geometric
 * middle of its bucket, so its relative error is at most `relativeError`
 * (the DDSketch construction, Masson et al., VLDB 2019). Memory is constant
 * (about 1,000 counters for 1 ms to 1 day at 1%), whatever the request count.
 *
 * `add` runs for every request, so it does not take a logarithm: the bucket is
 * looked up from the value's exponent and leading mantissa bits, then settled
 * against the exact bucket bounds (see {@link bucketBounds}).
 */
export class LogHistogram {
  private readonly counts: Float64Array;
  private readonly logGamma: number;
  private readonly logMin: number;
  private readonly index: BucketIndex;
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
    this.index = bucketIndexFor(minValue, this.logMin, this.logGamma, this.counts.length);
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

  /** Records one value; returns its bucket, for {@link addInBucket} on a histogram with the same bounds. */
  public add(value: number): number {
    const bucket = this.bucketOf(value);
    this.addInBucket(bucket, value);
    return bucket;
  }

  /**
   * Records `value`, whose bucket is known: the one {@link add} returned for it on a histogram
   * with the same bounds (a value kept in two histograms is looked up once).
   */
  public addInBucket(bucket: number, value: number): void {
    this.total++;
    this.sum += value;
    if (value < this.low) this.low = value;
    if (value > this.high) this.high = value;
    this.counts[bucket]!++;
  }

  /**
   * The bucket of `value`: 0 up to `minValue`, else floor(ln(value / minValue) / ln(gamma)) + 1,
   * clamped to the last bucket; equal to that formula (see {@link bucketBounds}) without its logarithm.
   */
  public bucketOf(value: number): number {
    if (!(value > this.minValue)) return 0;
    const ix = this.index;
    if (value >= ix.lastBound) return this.counts.length - 1;
    SCRATCH_F64[0] = value;
    let i = ix.start[(SCRATCH_U32[HIGH_WORD]! >>> 12) - ix.keyBase]!;
    const bounds = ix.bounds;
    while (value >= bounds[i + 1]!) i++;
    return i;
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

/** The lookup tables of one (minValue, relativeError, buckets) geometry, shared by every histogram with it. */
interface BucketIndex {
  /** bounds[i]: the smallest double in bucket i (i >= 1); bounds[0] = 0. */
  readonly bounds: Float64Array;
  /** bounds[buckets - 1]: values from it on go to the last bucket. */
  readonly lastBound: number;
  /** start[k - keyBase]: the bucket of the smallest double whose top 20 bits are k. */
  readonly start: Int32Array;
  readonly keyBase: number;
}

const SCRATCH_F64 = new Float64Array(1);
const SCRATCH_U32 = new Uint32Array(SCRATCH_F64.buffer);
/** Index of the word holding the sign, exponent and top 20 mantissa bits of a double. */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const INDEXES = new Map<string, BucketIndex>();

function bucketIndexFor(minValue: number, logMin: number, logGamma: number, buckets: number): BucketIndex {
  const key = `${minValue}/${logMin}/${logGamma}/${buckets}`;
  let ix = INDEXES.get(key);
  if (ix === undefined) {
    ix = buildIndex(minValue, logMin, logGamma, buckets);
    INDEXES.set(key, ix);
  }
  return ix;
}

function highKey(value: number): number {
  SCRATCH_F64[0] = value;
  return SCRATCH_U32[HIGH_WORD]! >>> 12;
}

function buildIndex(minValue: number, logMin: number, logGamma: number, buckets: number): BucketIndex {
  const bounds = bucketBounds(minValue, logMin, logGamma, buckets);
  const lastBound = bounds[buckets - 1]!;
  const keyBase = highKey(minValue);
  const start = new Int32Array(highKey(lastBound) - keyBase + 1);
  let b = 0;
  for (let k = 0; k < start.length; k++) {
    // Smallest double with these top bits (its low word 0), and the bucket it falls in.
    SCRATCH_U32[HIGH_WORD] = (keyBase + k) * 4096;
    SCRATCH_U32[1 - HIGH_WORD] = 0;
    const low = SCRATCH_F64[0]!;
    while (b + 1 < buckets && low >= bounds[b + 1]!) b++;
    start[k] = b;
  }
  return { bounds, lastBound, start, keyBase };
}

/**
 * The exact lower bound of each bucket under the logarithmic formula: bounds[k] is the
 * smallest double v > minValue with floor((ln v - ln minValue) / ln gamma) + 1 >= k, found by
 * bisection between adjacent doubles, so a lookup against these bounds puts every value in
 * the bucket the formula gives.
 */
export function bucketBounds(minValue: number, logMin: number, logGamma: number, buckets: number): Float64Array {
  const formula = (v: number): number => (v <= minValue ? 0 : Math.floor((Math.log(v) - logMin) / logGamma) + 1);
  const bounds = new Float64Array(buckets + 1);
  bounds[0] = 0;
  for (let k = 1; k < buckets; k++) {
    const guess = k === 1 ? minValue : Math.exp(logMin + (k - 1) * logGamma);
    let lo = guess;
    let hi = guess;
    while (lo > minValue && formula(lo) >= k) lo = Math.max(minValue, lo * (1 - 1e-9));
    while (formula(hi) < k) hi = hi * (1 + 1e-9);
    // Invariant: formula(lo) < k <= formula(hi); stop when they are adjacent doubles.
    for (;;) {
      const mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) break;
      if (formula(mid) >= k) hi = mid;
      else lo = mid;
    }
    bounds[k] = hi;
  }
  bounds[buckets] = Infinity;
  return bounds;
}

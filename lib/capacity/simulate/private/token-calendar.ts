/**
 * The decoding sequences of one replica, ordered by the virtual token at which each finishes: a
 * calendar queue (Brown 1988) with one bucket per whole token on a ring.
 *
 * A replica's virtual clock `v` counts decode iterations; a sequence that joins at `v` with `n`
 * output tokens finishes at `v + n`. The binary heap this replaces cost about ten levels of sifting
 * per finished sequence at a thousand sequences a replica. Here a sequence goes into the bucket of
 * `floor(key)` in O(1), and the next one to finish is found by walking forward from the current
 * bucket: keys only grow past the smallest one, so the walk never goes back, and a bitmap of the
 * non-empty buckets lets it skip 32 empty buckets per step.
 *
 * The ring has a fixed number of buckets; a key more than a ring ahead shares its bucket with
 * nearer ones and is passed over until the walk reaches its own lap (`floor(key) === bucket`), so
 * any key is ordered exactly, however far ahead. Equal keys leave in an unspecified order.
 */

/** Buckets on the ring: a power of two. Output lengths above it cost one extra look per lap. */
const BUCKETS = 4096;
const MASK = BUCKETS - 1;

/** Per-id columns shared by every calendar of one simulation: an id is in at most one calendar. */
export class CalendarColumns {
  /** Finish key of each id. */
  public key = new Float64Array(1024);
  /** Next id in the same bucket; -1 at the end. */
  public next = new Int32Array(1024);

  /** Makes room for ids up to `id`. */
  public reserve(id: number): void {
    if (id < this.key.length) return;
    let n = this.key.length;
    while (n <= id) n *= 2;
    const key = new Float64Array(n);
    key.set(this.key);
    const next = new Int32Array(n);
    next.set(this.next);
    this.key = key;
    this.next = next;
  }
}

/** A min-queue of int32 ids on float64 keys (finish tokens), with the interface of IdHeap. */
export class TokenCalendar {
  private readonly head = new Int32Array(BUCKETS).fill(-1);
  /** Bit s of word s >> 5 is set when bucket s holds an id. */
  private readonly occupied = new Uint32Array(BUCKETS / 32);
  private n = 0;
  /** The id with the smallest key (-1 when empty) and the whole-token bucket it is in. */
  private topId = -1;
  private topBucket = 0;

  /** The smallest key; Infinity when empty. Kept current by every operation. Read-only outside. */
  public topKey = Infinity;

  public constructor(private readonly cols: CalendarColumns) {}

  /** Ids in the calendar. */
  public get size(): number {
    return this.n;
  }

  /** Adds `id` with `key`, a finite number (the walk for the next key could never reach another). */
  public push(id: number, key: number): void {
    if (!(Math.abs(key) < Infinity)) throw new Error(`simulator invariant: finish token ${key} is not finite`);
    const cols = this.cols;
    if (id >= cols.key.length) cols.reserve(id);
    cols.key[id] = key;
    const bucket = Math.floor(key);
    const s = bucket & MASK;
    cols.next[id] = this.head[s]!;
    this.head[s] = id;
    this.occupied[s >> 5]! |= 1 << (s & 31);
    this.n++;
    if (key < this.topKey) {
      this.topKey = key;
      this.topId = id;
      this.topBucket = bucket;
    }
  }

  /** Removes the id with the smallest key and returns it; -1 when empty. */
  public pop(): number {
    const id = this.topId;
    if (id < 0) return -1;
    this.unlink(id, this.topBucket & MASK);
    if (--this.n === 0) {
      this.topId = -1;
      this.topKey = Infinity;
      return id;
    }
    this.findTop(this.topBucket);
    return id;
  }

  /** Removes every id (smallest bucket first), appending them to `out`. */
  public drainInto(out: number[]): void {
    const next = this.cols.next;
    for (let s = 0; s < BUCKETS; s++) {
      for (let e = this.head[s]!; e >= 0; e = next[e]!) out.push(e);
      this.head[s] = -1;
    }
    this.occupied.fill(0);
    this.n = 0;
    this.topId = -1;
    this.topKey = Infinity;
  }

  private unlink(id: number, s: number): void {
    const next = this.cols.next;
    let e = this.head[s]!;
    if (e === id) {
      this.head[s] = next[id]!;
      if (this.head[s] === -1) this.occupied[s >> 5]! &= ~(1 << (s & 31));
      return;
    }
    while (next[e] !== id) e = next[e]!;
    next[e] = next[id]!;
  }

  /** Sets the top to the smallest key at or after whole token `from` (the calendar is not empty). */
  private findTop(from: number): void {
    const key = this.cols.key;
    const next = this.cols.next;
    let bucket = from;
    for (;;) {
      const s = bucket & MASK;
      // The next occupied bucket at or after s in this word, else skip to the next word.
      const bits = this.occupied[s >> 5]! & (-1 << (s & 31));
      if (bits === 0) {
        bucket += 32 - (s & 31);
        continue;
      }
      const found = ((s >> 5) << 5) + 31 - Math.clz32(bits & -bits);
      bucket += found - s;
      // Keys of this lap lie in [bucket, bucket + 1); others in the bucket are laps ahead.
      let best = -1;
      let bestKey = Infinity;
      for (let e = this.head[found]!; e >= 0; e = next[e]!) {
        const k = key[e]!;
        if (k < bucket + 1 && k < bestKey) {
          best = e;
          bestKey = k;
        }
      }
      if (best >= 0) {
        this.topId = best;
        this.topKey = bestKey;
        this.topBucket = bucket;
        return;
      }
      bucket++;
    }
  }
}

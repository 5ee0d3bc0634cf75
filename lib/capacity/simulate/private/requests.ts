/**
 * In-flight requests as columns of typed arrays (struct of arrays), addressed
 * by an integer id and recycled through a stack of free ids.
 *
 * A request object per arrival would cost an allocation and, for every
 * floating-point field, a boxed heap number behind a pointer; 8.6 million
 * requests a day made that the simulator's largest cost. Columns keep the
 * numbers unboxed and contiguous, and the queues and heaps hold plain int32 ids.
 */

/** Columns of the in-flight requests; read a column after {@link alloc}, which may replace it when growing. */
export class RequestTable {
  /** Arrival time, seconds. */
  public arrival: Float64Array;
  /** Time it entered the system (admitted, or taken from Kafka), seconds: the start of Little's law. */
  public enteredAt: Float64Array;
  /** Time its first token left, seconds; 0 before (a lost request with 0 is retried). */
  public ttftAt: Float64Array;
  /** Prompt tokens. */
  public promptTokens: Float64Array;
  /** Prompt tokens this request prefills: the prompt minus what the replica's prefix cache holds. */
  public prefillTokens: Float64Array;
  /** Output tokens (exponential service model: the service time in steps). */
  public outputTokens: Float64Array;
  /** 1 for an async request (through Kafka), 0 for a sync one. */
  public isAsync: Uint8Array;
  private free: Int32Array;
  private freeCount = 0;
  private capacity = 0;

  /** @param initialCapacity ids allocated up front; the table doubles when they run out. */
  public constructor(initialCapacity = 1024) {
    this.arrival = new Float64Array(0);
    this.enteredAt = new Float64Array(0);
    this.ttftAt = new Float64Array(0);
    this.promptTokens = new Float64Array(0);
    this.prefillTokens = new Float64Array(0);
    this.outputTokens = new Float64Array(0);
    this.isAsync = new Uint8Array(0);
    this.free = new Int32Array(0);
    this.grow(initialCapacity);
  }

  /** Requests in flight (ids handed out and not released). */
  public get inUse(): number {
    return this.capacity - this.freeCount;
  }

  /** A free id; its columns hold whatever the previous request left. */
  public alloc(): number {
    if (this.freeCount === 0) this.grow(this.capacity * 2);
    return this.free[--this.freeCount]!;
  }

  /** Returns an id to the free stack. */
  public release(id: number): void {
    this.free[this.freeCount++] = id;
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    this.arrival = widen(this.arrival, capacity);
    this.enteredAt = widen(this.enteredAt, capacity);
    this.ttftAt = widen(this.ttftAt, capacity);
    this.promptTokens = widen(this.promptTokens, capacity);
    this.prefillTokens = widen(this.prefillTokens, capacity);
    this.outputTokens = widen(this.outputTokens, capacity);
    const isAsync = new Uint8Array(capacity);
    isAsync.set(this.isAsync);
    this.isAsync = isAsync;
    const free = new Int32Array(capacity);
    free.set(this.free.subarray(0, this.freeCount));
    // New ids go on the stack highest first, so the lowest is handed out next.
    for (let id = capacity - 1; id >= old; id--) free[this.freeCount++] = id;
    this.free = free;
    this.capacity = capacity;
  }
}

function widen(a: Float64Array, capacity: number): Float64Array {
  const b = new Float64Array(capacity);
  b.set(a);
  return b;
}

/** A first-in first-out queue of int32 ids on a growable ring buffer. */
export class IdFifo {
  private buffer = new Int32Array(16);
  private mask = 15;
  private head = 0;
  private count = 0;

  /** Ids in the queue. */
  public get length(): number {
    return this.count;
  }

  /** Appends an id. */
  public push(id: number): void {
    if (this.count === this.buffer.length) this.grow();
    this.buffer[(this.head + this.count) & this.mask] = id;
    this.count++;
  }

  /** Removes and returns the oldest id; -1 when empty. */
  public shift(): number {
    if (this.count === 0) return -1;
    const id = this.buffer[this.head]!;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return id;
  }

  /** Removes every id, oldest first, appending them to `out`. */
  public drainInto(out: number[]): void {
    while (this.count > 0) out.push(this.shift());
  }

  private grow(): void {
    const next = new Int32Array(this.buffer.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.buffer[(this.head + i) & this.mask]!;
    this.buffer = next;
    this.mask = next.length - 1;
    this.head = 0;
  }
}

/**
 * A binary min-heap of int32 ids on float64 keys, both in typed arrays: the
 * decoding sequences of a replica ordered by the virtual token at which each finishes.
 */
export class IdHeap {
  private keys = new Float64Array(64);
  private ids = new Int32Array(64);
  private n = 0;

  /** Ids in the heap. */
  public get size(): number {
    return this.n;
  }

  /** The smallest key; Infinity when empty. Kept current by every operation (see IndexedHeap.topTime). Read-only outside. */
  public topKey = Infinity;

  /** Adds `id` with `key`. */
  public push(id: number, key: number): void {
    if (this.n === this.keys.length) this.grow();
    const keys = this.keys;
    const ids = this.ids;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p]!;
      if (pk <= key) break;
      keys[i] = pk;
      ids[i] = ids[p]!;
      i = p;
    }
    keys[i] = key;
    ids[i] = id;
    this.topKey = keys[0]!;
  }

  /**
   * Removes the id with the smallest key and returns it; -1 when empty.
   *
   * Bottom-up (Floyd): the hole left at the root follows the smaller child to a leaf, one comparison
   * per level, and the last entry then climbs back from there. The last entry of a heap is large, so
   * it seldom climbs far, where sifting it down from the root costs two comparisons per level.
   * Climbing stops below an ancestor only while that ancestor is smaller, so an entry lands where a
   * top-down sift puts it, equal keys included.
   */
  public pop(): number {
    if (this.n === 0) return -1;
    const keys = this.keys;
    const ids = this.ids;
    const top = ids[0]!;
    const n = --this.n;
    if (n > 0) {
      const key = keys[n]!;
      const id = ids[n]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && keys[r]! < keys[l]! ? r : l;
        keys[i] = keys[c]!;
        ids[i] = ids[c]!;
        i = c;
      }
      while (i > 0) {
        const p = (i - 1) >> 1;
        const pk = keys[p]!;
        if (pk < key) break;
        keys[i] = pk;
        ids[i] = ids[p]!;
        i = p;
      }
      keys[i] = key;
      ids[i] = id;
    }
    this.topKey = n === 0 ? Infinity : keys[0]!;
    return top;
  }

  /** Removes every id (in heap order), appending them to `out`. */
  public drainInto(out: number[]): void {
    for (let i = 0; i < this.n; i++) out.push(this.ids[i]!);
    this.n = 0;
    this.topKey = Infinity;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.keys = keys;
    this.ids = ids;
  }
}

/**
 * Binary heaps for the event queue.
 *
 * The simulator keeps one entry per *actor* (a replica, the arrival stream, a
 * timer) rather than one per event: an actor's next event time changes in place
 * (`update`), so the heap stays as small as the number of actors and each event
 * costs O(log actors) instead of O(log pending events).
 */

/** Something with a next event time and a slot in an {@link IndexedHeap}. */
export interface HeapItem {
  /** Time of the item's next event, seconds. */
  nextTime: number;
  /** Position in the heap; -1 when not in it. Owned by the heap. */
  heapIndex: number;
}

/**
 * A min-heap on `nextTime` whose items can be updated or removed in O(log n).
 * The keys are copied into a Float64Array beside the items, so sifting compares
 * unboxed numbers in one array instead of loading a field of each item.
 */
export class IndexedHeap<T extends HeapItem> {
  private readonly items: T[] = [];
  private keys = new Float64Array(16);

  /** Items in the heap. */
  public get size(): number {
    return this.items.length;
  }

  /** The item with the smallest `nextTime`, or undefined. */
  public peek(): T | undefined {
    return this.items[0];
  }

  /**
   * The smallest `nextTime`; Infinity when empty. A field kept current by every operation rather
   * than a getter: the event loop reads it once per event, and a getter that V8 does not inline
   * returns its number boxed in a new heap object. Read-only outside the heap.
   */
  public topTime = Infinity;

  /** Adds `item`, or repositions it if it is already in the heap. */
  public push(item: T): void {
    if (item.heapIndex >= 0) {
      this.update(item);
      return;
    }
    const i = this.items.length;
    if (i === this.keys.length) {
      const keys = new Float64Array(2 * i);
      keys.set(this.keys);
      this.keys = keys;
    }
    this.items.push(item);
    this.up(i, item, item.nextTime);
  }

  /** Restores order after `item.nextTime` changed. */
  public update(item: T): void {
    const i = item.heapIndex;
    if (i < 0) return;
    const key = item.nextTime;
    if (i > 0 && this.keys[(i - 1) >> 1]! > key) this.up(i, item, key);
    else this.down(i, item, key);
  }

  /** Removes `item` if it is in the heap. */
  public remove(item: T): void {
    const i = item.heapIndex;
    if (i < 0) return;
    const last = this.items.pop()!;
    item.heapIndex = -1;
    if (this.items.length === 0) this.topTime = Infinity;
    else if (i < this.items.length) {
      this.items[i] = last;
      this.keys[i] = last.nextTime;
      last.heapIndex = i;
      this.update(last);
    }
  }

  private up(start: number, item: T, key: number): void {
    const items = this.items;
    const keys = this.keys;
    let i = start;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p]!;
      if (pk <= key) break;
      const parent = items[p]!;
      items[i] = parent;
      keys[i] = pk;
      parent.heapIndex = i;
      i = p;
    }
    items[i] = item;
    keys[i] = key;
    item.heapIndex = i;
    this.topTime = keys[0]!;
  }

  private down(start: number, item: T, key: number): void {
    const items = this.items;
    const keys = this.keys;
    const n = items.length;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let ck = keys[l]!;
      if (r < n && keys[r]! < ck) {
        c = r;
        ck = keys[r]!;
      }
      if (ck >= key) break;
      const child = items[c]!;
      items[i] = child;
      keys[i] = ck;
      child.heapIndex = i;
      i = c;
    }
    items[i] = item;
    keys[i] = key;
    item.heapIndex = i;
    this.topTime = keys[0]!;
  }
}

/** A min-heap of objects keyed by a numeric field chosen at construction. */
export class KeyedHeap<T> {
  private readonly items: T[] = [];

  /** @param key the field the heap orders on (read on every comparison). */
  public constructor(private readonly key: (item: T) => number) {}

  /** Items in the heap. */
  public get size(): number {
    return this.items.length;
  }

  /** The smallest item, or undefined. */
  public peek(): T | undefined {
    return this.items[0];
  }

  /** Adds an item. */
  public push(item: T): void {
    const items = this.items;
    const k = this.key(item);
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.key(items[p]!) <= k) break;
      items[i] = items[p]!;
      i = p;
    }
    items[i] = item;
  }

  /** Removes and returns the smallest item. */
  public pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      const n = items.length;
      const k = this.key(last);
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.key(items[r]!) < this.key(items[l]!) ? r : l;
        if (this.key(items[c]!) >= k) break;
        items[i] = items[c]!;
        i = c;
      }
      items[i] = last;
    }
    return top;
  }

  /** Removes and returns every item (in no particular order). */
  public drain(): T[] {
    return this.items.splice(0, this.items.length);
  }
}

/** A first-in first-out queue on a growable ring buffer (Array.shift is O(n)). */
export class Fifo<T> {
  private buffer: (T | undefined)[] = new Array<T | undefined>(16);
  private head = 0;
  private count = 0;

  /** Items in the queue. */
  public get length(): number {
    return this.count;
  }

  /** Appends an item. */
  public push(item: T): void {
    if (this.count === this.buffer.length) this.grow();
    this.buffer[(this.head + this.count) & (this.buffer.length - 1)] = item;
    this.count++;
  }

  /** The oldest item, or undefined. */
  public peek(): T | undefined {
    return this.count === 0 ? undefined : this.buffer[this.head];
  }

  /** Removes and returns the oldest item. */
  public shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.buffer[this.head];
    this.buffer[this.head] = undefined;
    this.head = (this.head + 1) & (this.buffer.length - 1);
    this.count--;
    return item;
  }

  /** Removes and returns every item, oldest first. */
  public drain(): T[] {
    const out: T[] = [];
    while (this.count > 0) out.push(this.shift()!);
    return out;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buffer.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.buffer[(this.head + i) & (this.buffer.length - 1)];
    this.buffer = next;
    this.head = 0;
  }
}

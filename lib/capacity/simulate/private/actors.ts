/** The engine's actors and in-flight request records. */
import { Fifo, type HeapItem } from "./heap";
import type { RatePoint } from "../profiles";
import type { Random } from "./random";

/** Pod states. STARTING: bound to a node, not serving yet. */
export const STARTING = 0;
/** Serving and taking new requests. */
export const READY = 1;
/** Deleted: finishing its in-flight sequences, taking no new ones. */
export const DRAINING = 2;
/** Gone (deleted, drained or lost with its zone). */
export const GONE = 3;
/** Created but unschedulable (the node group is at its max size). */
export const PENDING = 4;

/** An in-flight request; objects are recycled through a free list to spare the garbage collector. */
export class Req {
  public finishV = 0.5;
  public enteredAt = 0.5;
  public dispatchedAt = 0.5;
  public ttftAt = 0.5;
  public arrival = 0.5;
  public promptTokens = 0.5;
  /** Prompt tokens this request prefills: the prompt minus what the replica's prefix cache holds. */
  public prefillTokens = 0.5;
  public outputTokens = 0.5;
  public isAsync = false;
}

/** Min-heap of requests on `finishV` (specialized: the comparison is the hot path). */
export class DecodeHeap {
  private readonly items: Req[] = [];

  public get size(): number {
    return this.items.length;
  }

  public peek(): Req | undefined {
    return this.items[0];
  }

  public push(item: Req): void {
    const items = this.items;
    const k = item.finishV;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p]!;
      if (parent.finishV <= k) break;
      items[i] = parent;
      i = p;
    }
    items[i] = item;
  }

  public pop(): Req | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    const n = items.length;
    if (n > 0 && last !== undefined) {
      const k = last.finishV;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        let child = items[l]!;
        if (r < n && items[r]!.finishV < child.finishV) {
          c = r;
          child = items[r]!;
        }
        if (child.finishV >= k) break;
        items[i] = child;
        i = c;
      }
      items[i] = last;
    }
    return top;
  }

  public drain(): Req[] {
    return this.items.splice(0, this.items.length);
  }
}

/** A GPU node: its zone, when it is ready and how many GPUs (replica slots) are used. */
export class Node {
  public used = 0;
  public emptySince = 0;
  public gone = false;
  public constructor(
    public readonly zone: number,
    public readonly readyAt: number,
  ) {}
}

/** Actor kinds, checked in the hot loop instead of `instanceof`. */
export const K_REPLICA = 0;
/** An arrival stream. */
export const K_STREAM = 1;
/** A timer. */
export const K_TIMER = 2;

/** An inference pod: batch slots, a prefill lane, decoding sequences on a virtual token clock. */
export class Replica implements HeapItem {
  public readonly actorKind = K_REPLICA;
  public nextTime = Infinity;
  public heapIndex = -1;
  public readyIndex = -1;
  public active = 0;
  public readonly prefillQ = new Fifo<Req>();
  public prefilling: Req | null = null;
  public prefillEnd = Infinity;
  public readonly decoding = new DecodeHeap();
  public v = 0;
  public vAt = 0;
  public step: number;
  public constructor(
    public state: number,
    public zone: number,
    public node: Node | null,
    public readyAt: number,
    baseStep: number,
  ) {
    this.step = baseStep;
  }
}

/** A generic timer actor. */
export class Timer implements HeapItem {
  public readonly actorKind = K_TIMER;
  public heapIndex = -1;
  public constructor(
    public nextTime: number,
    public readonly kind: number,
  ) {}
}

/** Timer kinds: the HPA sync. */
export const T_HPA = 1;
/** Close of a time-series window. */
export const T_WINDOW = 2;
/** KEDA polling of the Kafka lag. */
export const T_KEDA = 3;
/** The zone loss. */
export const T_ZONE = 4;
/** The next async worker becoming ready. */
export const T_WORKER = 5;
/** GPU nodes lost (a chaos drill's terminated instance). */
export const T_NODE_LOSS = 6;
/** Kafka consumption stops (broker reboot: leader election and consumer-group rebalance). */
export const T_KAFKA_DOWN = 7;
/** Kafka consumption resumes. */
export const T_KAFKA_UP = 8;

/** An arrival stream on a piecewise-linear rate curve. */
export class Stream implements HeapItem {
  public readonly actorKind = K_STREAM;
  public nextTime = 0;
  public heapIndex = -1;
  public seg = 0;
  public constructor(
    public readonly rate: readonly RatePoint[],
    public readonly asyncOnly: boolean,
  ) {}
}


/**
 * Sets `s.nextTime` to the stream's next arrival at or after `from` (Infinity after `stopAt`):
 * thinning on each linear segment, with the segment's maximum as the envelope (Lewis and Shedler 1979).
 */
export function nextArrival(s: Stream, from: number, stopAt: number, rng: Random): void {
  const rate = s.rate;
  for (;;) {
    if (from >= stopAt || rate.length === 0) {
      s.nextTime = Infinity;
      return;
    }
    while (s.seg < rate.length - 1 && rate[s.seg + 1]!.atSeconds <= from) s.seg++;
    const a = rate[s.seg]!;
    const b = from < a.atSeconds ? undefined : rate[s.seg + 1];
    // Before the first point and after the last, the rate is held.
    const segEnd = Math.min(stopAt, from < a.atSeconds ? a.atSeconds : b ? b.atSeconds : stopAt);
    const max = b ? Math.max(a.requestsPerSecond, b.requestsPerSecond) : a.requestsPerSecond;
    const flat = !b || b.requestsPerSecond === a.requestsPerSecond;
    let t = from;
    while (max > 0) {
      t += rng.exponential(1 / max);
      if (t >= segEnd) break;
      // A flat segment accepts every candidate; a sloped one thins them (Lewis and Shedler 1979).
      if (flat || rng.next() * max <= rateOn(a, b, t)) {
        s.nextTime = t;
        return;
      }
    }
    // No arrival left in this segment: continue from its end (memoryless, so restarting there is exact).
    from = segEnd;
  }
}

/** The rate on a segment from point a to point b (held at a when there is no b). */
function rateOn(a: RatePoint, b: RatePoint | undefined, t: number): number {
  if (!b || t <= a.atSeconds) return a.requestsPerSecond;
  const span = b.atSeconds - a.atSeconds;
  return span <= 0 ? b.requestsPerSecond : a.requestsPerSecond + ((t - a.atSeconds) / span) * (b.requestsPerSecond - a.requestsPerSecond);
}


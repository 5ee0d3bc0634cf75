/** The engine's actors (in-flight requests are ids into a RequestTable, see requests.ts). */
import type { HeapItem } from "./heap";
import { IdFifo, type IdHeap } from "./requests";
import type { TokenCalendar } from "./token-calendar";
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
  /** Requests waiting for the prefill lane. */
  public readonly prefillQ = new IdFifo();
  /** The request in prefill; -1 when the lane is idle. */
  public prefilling = -1;
  public prefillEnd = Infinity;
  public v = 0;
  public vAt = 0;
  // Numeric fields start as numbers: a field declared without a value starts as undefined, and V8
  // then boxes every number stored into it in a new heap object (one per decode step for `step`).
  public step = 0;
  public readyAt = 0;
  public constructor(
    public state: number,
    public zone: number,
    public node: Node | null,
    readyAt: number,
    baseStep: number,
    /**
     * Decoding requests keyed by the virtual token at which each finishes: a TokenCalendar for
     * whole output tokens (the batched model), an IdHeap for the exponential model's real-valued
     * service lengths.
     */
    public readonly decoding: TokenCalendar | IdHeap,
  ) {
    this.readyAt = readyAt;
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


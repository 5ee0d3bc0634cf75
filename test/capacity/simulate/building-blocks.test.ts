import fc from "fast-check";
import { Fifo, IndexedHeap, type HeapItem } from "../../../lib/capacity/simulate/private/heap";
import { bucketBounds, LogHistogram } from "../../../lib/capacity/simulate/private/histogram";
import { IdFifo, IdHeap, RequestTable } from "../../../lib/capacity/simulate/private/requests";
import { CalendarColumns, TokenCalendar } from "../../../lib/capacity/simulate/private/token-calendar";
import { tokenCountWeights, TokenSampler } from "../../../lib/capacity/simulate/private/token-sampler";
import { Hpa, metricProposal, type HpaSettings } from "../../../lib/capacity/simulate/private/hpa";
import { Random, lognormalFromMeanP99 } from "../../../lib/capacity/simulate/private/random";

describe("LogHistogram (streaming quantile sketch)", () => {
  test("quantiles are within 1% of the exact ones", () => {
    const rng = new Random(3);
    const h = new LogHistogram();
    const values: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const v = rng.exponential(0.5) + 0.01;
      values.push(v);
      h.add(v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.95, 0.99, 0.999]) {
      const exact = values[Math.ceil(q * values.length) - 1]!;
      expect(Math.abs(h.quantile(q) / exact - 1)).toBeLessThanOrEqual(0.011);
    }
    expect(h.count).toBe(50_000);
    expect(h.max).toBe(values[values.length - 1]);
    expect(h.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 10);
  });

  test("values below the resolved range count as the exact minimum; reset forgets", () => {
    const h = new LogHistogram();
    h.add(0);
    h.add(0);
    h.add(2);
    expect(h.quantile(0.5)).toBe(0);
    expect(h.quantile(1)).toBeCloseTo(2, 1);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.quantile(0.99)).toBe(0);
  });

  test("merge equals adding every value to one sketch", () => {
    const a = new LogHistogram();
    const b = new LogHistogram();
    const all = new LogHistogram();
    [0.1, 0.5, 3].forEach((v) => (a.add(v), all.add(v)));
    [0.2, 7].forEach((v) => (b.add(v), all.add(v)));
    a.merge(b);
    expect(a.quantile(0.5)).toBe(all.quantile(0.5));
    expect(a.count).toBe(5);
  });
});

describe("LogHistogram bucket lookup", () => {
  /** The bucket by the logarithm, as the sketch defines it. */
  function byLog(h: LogHistogram, minValue: number, relativeError: number, value: number): number {
    const logGamma = Math.log((1 + relativeError) / (1 - relativeError));
    const buckets = (h as unknown as { counts: Float64Array }).counts.length;
    const i = value <= minValue ? 0 : Math.floor((Math.log(value) - Math.log(minValue)) / logGamma) + 1;
    return Math.min(i, buckets - 1);
  }
  const f64 = new Float64Array(1);
  const bits = new BigInt64Array(f64.buffer);
  const ulps = (v: number, n: number): number => {
    f64[0] = v;
    bits[0] = bits[0]! + BigInt(n);
    return f64[0]!;
  };

  test.each([
    [1e-3, 1e5, 0.01],
    [1, 1e7, 0.01],
    [1e-6, 10, 0.001],
  ])("min %p, max %p, error %p: the lookup gives the logarithm's bucket, at random values and within 2 ulps of every bound", (minValue, maxValue, relativeError) => {
    const h = new LogHistogram(minValue, maxValue, relativeError);
    const rng = new Random(5);
    const span = Math.log(maxValue / minValue) + 4;
    const values: number[] = [0, minValue, ulps(minValue, 1), maxValue, 1e300];
    for (let i = 0; i < 200_000; i++) values.push(Math.exp(Math.log(minValue) - 2 + rng.next() * span));
    const logGamma = Math.log((1 + relativeError) / (1 - relativeError));
    const buckets = (h as unknown as { counts: Float64Array }).counts.length;
    const bounds = bucketBounds(minValue, Math.log(minValue), logGamma, buckets);
    for (let k = 1; k < buckets; k++) for (const d of [-2, -1, 0, 1, 2]) values.push(ulps(bounds[k]!, d));
    // One expect over every mismatch (an expect per value would take a minute).
    const mismatches = values.filter((v) => h.bucketOf(v) !== byLog(h, minValue, relativeError, v));
    expect(mismatches).toEqual([]);
    expect(values.length).toBeGreaterThan(200_000 + 5 * (buckets - 1));
  });
});

describe("typed-array request columns, id queue and id heap", () => {
  test("RequestTable hands out distinct ids, reuses released ones and keeps columns across growth", () => {
    const t = new RequestTable(4);
    const ids = Array.from({ length: 10 }, () => t.alloc());
    expect(new Set(ids).size).toBe(10);
    ids.forEach((id) => (t.arrival[id] = id * 1.5));
    expect(ids.map((id) => t.arrival[id])).toEqual(ids.map((id) => id * 1.5));
    expect(t.inUse).toBe(10);
    t.release(ids[3]!);
    expect(t.alloc()).toBe(ids[3]);
    expect(t.inUse).toBe(10);
  });

  test("IdFifo keeps order across growth; -1 when empty", () => {
    const q = new IdFifo();
    for (let i = 0; i < 40; i++) q.push(i);
    for (let i = 0; i < 30; i++) expect(q.shift()).toBe(i);
    for (let i = 40; i < 100; i++) q.push(i);
    const out: number[] = [];
    q.drainInto(out);
    expect(out).toEqual([...Array(70).keys()].map((i) => i + 30));
    expect(q.shift()).toBe(-1);
  });

  test("IdHeap pops ids in key order (property); drain returns the rest", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.nat({ max: 300 }), (keys, popFirst) => {
        const h = new IdHeap();
        keys.forEach((k, id) => h.push(id, k));
        const sorted = [...keys].sort((a, b) => a - b);
        const popped: number[] = [];
        for (let i = 0; i < Math.min(popFirst, keys.length); i++) {
          expect(h.topKey).toBe(sorted[i]);
          popped.push(keys[h.pop()]!);
        }
        expect(popped).toEqual(sorted.slice(0, popped.length));
        const rest: number[] = [];
        h.drainInto(rest);
        expect(rest.map((id) => keys[id]!).sort((a, b) => a - b)).toEqual(sorted.slice(popped.length));
        expect(h.size).toBe(0);
        expect(h.pop()).toBe(-1);
        expect(h.topKey).toBe(Infinity);
      }),
    );
  });
});

describe("TokenCalendar (decoding sequences by finish token)", () => {
  // Keys as the engine makes them: a clock that only moves forward plus a whole number of tokens,
  // some more than one ring (4096 buckets) ahead, so laps share buckets.
  const schedule = fc.array(
    fc.record({ advance: fc.double({ min: 0, max: 50, noNaN: true }), tokens: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 20_000 })), pops: fc.nat({ max: 3 }) }),
    { minLength: 1, maxLength: 400 },
  );

  test("pops in key order against a sorted reference, across laps of the ring (property)", () => {
    fc.assert(
      fc.property(schedule, (steps) => {
        const c = new TokenCalendar(new CalendarColumns());
        const live = new Map<number, number>();
        let v = 0;
        let id = 0;
        for (const s of steps) {
          // The engine never lets its clock pass the smallest key.
          v = Math.min(v + s.advance, c.topKey);
          const key = v + s.tokens;
          c.push(id, key);
          live.set(id++, key);
          for (let i = 0; i < s.pops && live.size > 0; i++) {
            const smallest = Math.min(...live.values());
            expect(c.topKey).toBe(smallest);
            const popped = c.pop();
            expect(live.get(popped)).toBe(smallest);
            live.delete(popped);
          }
          expect(c.size).toBe(live.size);
          expect(c.topKey).toBe(live.size === 0 ? Infinity : Math.min(...live.values()));
        }
        const rest: number[] = [];
        c.drainInto(rest);
        expect(rest.sort((a, b) => a - b)).toEqual([...live.keys()].sort((a, b) => a - b));
        expect(c.size).toBe(0);
        expect(c.pop()).toBe(-1);
        expect(c.topKey).toBe(Infinity);
      }),
    );
  });

  test("ids in two calendars share the columns; the columns grow for large ids", () => {
    const cols = new CalendarColumns();
    const a = new TokenCalendar(cols);
    const b = new TokenCalendar(cols);
    a.push(5000, 10.5);
    b.push(7, 3.25);
    a.push(3, 10.25);
    expect([a.pop(), a.pop(), a.pop()]).toEqual([3, 5000, -1]);
    expect([b.topKey, b.pop()]).toEqual([3.25, 7]);
  });

  test("refuses a key that is not finite, which no walk could reach", () => {
    const c = new TokenCalendar(new CalendarColumns());
    expect(() => c.push(1, Infinity)).toThrow("not finite");
    expect(() => c.push(1, Number.NaN)).toThrow("not finite");
    expect(c.size).toBe(0);
  });
});

describe("IndexedHeap and Fifo", () => {
  interface Item extends HeapItem {
    id: number;
  }
  test("pops in time order through updates and removals (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 60 }), (rows) => {
        const heap = new IndexedHeap<Item>();
        const items = rows.map(([t], id) => ({ nextTime: t, heapIndex: -1, id }));
        items.forEach((i) => heap.push(i));
        rows.forEach(([, t2, drop], id) => {
          const item = items[id]!;
          if (drop) heap.remove(item);
          else {
            item.nextTime = t2;
            heap.update(item);
          }
        });
        const expected = items.filter((_, id) => !rows[id]![2]).map((i) => i.nextTime).sort((a, b) => a - b);
        const got: number[] = [];
        while (heap.size > 0) {
          const top = heap.peek()!;
          got.push(top.nextTime);
          heap.remove(top);
        }
        expect(got).toEqual(expected);
      }),
    );
  });

  test("Fifo keeps order across growth", () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 40; i++) q.push(i);
    for (let i = 0; i < 30; i++) expect(q.shift()).toBe(i);
    for (let i = 40; i < 100; i++) q.push(i);
    expect(q.length).toBe(70);
    expect(q.drain()).toEqual([...Array(70).keys()].map((i) => i + 30));
    expect(q.shift()).toBeUndefined();
  });
});

describe("Random", () => {
  test("equal seeds replay; different seeds differ", () => {
    const a = new Random(9);
    const b = new Random(9);
    const c = new Random(10);
    const sa = [a.next(), a.next(), a.normal()];
    expect([b.next(), b.next(), b.normal()]).toEqual(sa);
    expect(c.next()).not.toBe(sa[0]);
  });

  test("log-normal fit reproduces the mean and the p99", () => {
    const { mu, sigma } = lognormalFromMeanP99(1000, 3000);
    expect(Math.exp(mu + (sigma * sigma) / 2)).toBeCloseTo(1000, 6);
    expect(Math.exp(mu + 2.3263478740408408 * sigma)).toBeCloseTo(3000, 6);
    const rng = new Random(1);
    const h = new LogHistogram(1, 1e7);
    for (let i = 0; i < 100_000; i++) h.add(Math.exp(mu + sigma * rng.normal()));
    expect(Math.abs(h.mean / 1000 - 1)).toBeLessThan(0.02);
    expect(Math.abs(h.quantile(0.99) / 3000 - 1)).toBeLessThan(0.04);
  });
});

describe("HPA algorithm", () => {
  const settings: HpaSettings = {
    minReplicas: 2,
    maxReplicas: 50,
    tolerance: 0.1,
    scaleUpStabilizationSeconds: 0,
    scaleUpPeriodSeconds: 15,
    scaleUpMaxPods: 4,
    scaleUpMaxPercent: 100,
    scaleDownStabilizationSeconds: 300,
    scaleDownPeriodSeconds: 60,
    scaleDownMaxPods: 1,
  };

  test("within the 0.1 tolerance nothing changes; beyond it, ceil(ratio x ready)", () => {
    expect(metricProposal({ sum: 10 * 4.3, target: 4 }, 10, 10, 0, 0.1)).toBe(10);
    expect(metricProposal({ sum: 10 * 4.5, target: 4 }, 10, 10, 0, 0.1)).toBe(12);
    expect(metricProposal({ sum: 10 * 2, target: 4 }, 10, 10, 0, 0.1)).toBe(5);
  });

  test("starting pods count as 0 on scale-up and as the target on scale-down", () => {
    // 4 ready at 2x target, 4 starting: (8 x 4 + 0) / 8 = target: hold.
    expect(metricProposal({ sum: 4 * 8, target: 4 }, 8, 4, 4, 0.1)).toBe(8);
    // 4 ready idle, 4 starting assumed at target: ratio 0.5 -> 4.
    expect(metricProposal({ sum: 0, target: 4 }, 8, 4, 4, 0.1)).toBe(4);
  });

  test("scale-up is limited to max(+4, +100%) per period and clamped to max", () => {
    const hpa = new Hpa(settings);
    expect(hpa.decide(15, 2, [{ sum: 100 * 2, target: 1 }], 2, 0)).toBe(6);
    expect(hpa.decide(30, 6, [{ sum: 1000 * 6, target: 1 }], 6, 0)).toBe(12);
    expect(hpa.decide(45, 12, [{ sum: 1000 * 12, target: 1 }], 12, 0)).toBe(24);
    expect(hpa.decide(60, 24, [{ sum: 1000 * 24, target: 1 }], 24, 0)).toBe(48);
    expect(hpa.decide(75, 48, [{ sum: 1000 * 48, target: 1 }], 48, 0)).toBe(50);
  });

  test("scale-down waits 300 s, then removes at most 1 pod per 60 s", () => {
    const hpa = new Hpa(settings);
    hpa.seed(0, 10);
    let spec = 10;
    const history: number[] = [];
    for (let t = 15; t <= 600; t += 15) {
      spec = hpa.decide(t, spec, [{ sum: 0, target: 1 }], spec, 0);
      history.push(spec);
    }
    expect(history.slice(0, 19).every((r) => r === 10)).toBe(true); // up to 285 s
    expect(history[history.length - 1]).toBeLessThan(10);
    for (let i = 4; i < history.length; i++) expect(history[i - 4]! - history[i]!).toBeLessThanOrEqual(1);
  });

  test("several metrics: the largest proposal wins", () => {
    const hpa = new Hpa({ ...settings, scaleDownStabilizationSeconds: 0 });
    expect(hpa.decide(15, 4, [{ sum: 0, target: 4 }, { sum: 4 * 1.4, target: 0.7 }], 4, 0)).toBe(8);
  });
});

describe("TokenSampler (exact table of the rounded, capped log-normal)", () => {
  test("a draw keeps or aliases its column exactly as comparing the double u = t / 2^32 with the probability would", () => {
    // The reference: Vose's table rebuilt here from the weights as doubles, drawn with next() twice.
    const { mu, sigma } = lognormalFromMeanP99(1000, 3000);
    const sampler = new TokenSampler(mu, sigma, 16_383);
    const weights = tokenCountWeights(mu, sigma, 16_383);
    const reference = referenceAlias(weights);
    const a = new Random(5);
    const b = new Random(5);
    for (let k = 0; k < 200_000; k++) {
      const i = Math.floor(b.next() * weights.length);
      const expected = b.next() < reference.prob[i]! ? i + 1 : reference.alias[i]! + 1;
      const got = sampler.draw(a);
      if (got !== expected) throw new Error(`draw ${k}: ${got} != ${expected}`);
    }
  });
  test.each([
    [1000, 3000, 16_383],
    [3, 9, 100],
    [50, 60, 40],
  ])("mean %p, p99 %p, cap %p: the table sums to 1 and matches direct draws of max(1, round(exp(mu + sigma Z))) capped", (mean, p99, cap) => {
    const { mu, sigma } = lognormalFromMeanP99(mean, p99);
    const weights = tokenCountWeights(mu, sigma, cap);
    expect(Math.abs(weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
    const sampler = new TokenSampler(mu, sigma, cap);
    const direct = new Random(11);
    const viaTable = new Random(12);
    const n = 400_000;
    const a = new LogHistogram(1, 1e6);
    const b = new LogHistogram(1, 1e6);
    let atCapA = 0;
    let atCapB = 0;
    for (let i = 0; i < n; i++) {
      const x = Math.min(cap, Math.max(1, Math.round(Math.exp(mu + sigma * direct.normal()))));
      const y = sampler.draw(viaTable);
      a.add(x);
      b.add(y);
      if (x === cap) atCapA++;
      if (y === cap) atCapB++;
      if (!(Number.isInteger(y) && y >= 1 && y <= cap)) throw new Error(`draw out of range: ${y}`);
    }
    // Sampling error of a mean of 400k draws is well below 1%; of a share, below 0.2 points.
    expect(Math.abs(b.mean / a.mean - 1)).toBeLessThan(0.01);
    for (const q of [0.5, 0.9, 0.99]) expect(Math.abs(b.quantile(q) / a.quantile(q) - 1)).toBeLessThan(0.03);
    expect(Math.abs(atCapB - atCapA) / n).toBeLessThan(0.002);
    // The table's own mean is the distribution's.
    let tableMean = 0;
    weights.forEach((w, i) => (tableMean += w * (i + 1)));
    expect(Math.abs(tableMean / a.mean - 1)).toBeLessThan(0.01);
  });
});

/** Vose's construction with double probabilities, written out independently of token-sampler.ts. */
function referenceAlias(weights: Float64Array): { prob: Float64Array; alias: Int32Array } {
  const n = weights.length;
  const total = weights.reduce((x, y) => x + y, 0);
  const scaled = Float64Array.from(weights, (w) => (w * n) / total);
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = n - 1; i >= 0; i--) (scaled[i]! < 1 ? small : large).push(i);
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    (scaled[l]! < 1 ? small : large).push(l);
  }
  for (const l of large) [prob[l], alias[l]] = [1, l];
  for (const s of small) [prob[s], alias[s]] = [1, s];
  return { prob, alias };
}

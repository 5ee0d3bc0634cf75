import fc from "fast-check";
import { CACHE_NODE_MEMORY_GIB, smallestCacheNodeFor, usableCacheMemoryGiB } from "../../lib/data/private/catalog";

describe("cache node catalogue", () => {
  test("usable memory keeps 25% reserved", () => {
    expect(usableCacheMemoryGiB("cache.r7g.large")).toBeCloseTo(13.07 * 0.75, 5);
    expect(usableCacheMemoryGiB("cache.x1.nothing")).toBeUndefined();
  });

  test("the smallest type that fits holds the memory, and every smaller type does not", () => {
    const byMemory = Object.keys(CACHE_NODE_MEMORY_GIB).sort((a, b) => CACHE_NODE_MEMORY_GIB[a]! - CACHE_NODE_MEMORY_GIB[b]!);
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 5000, noNaN: true }), fc.integer({ min: 1, max: 20 }), (memoryGiB, shards) => {
        const chosen = smallestCacheNodeFor(memoryGiB, shards);
        const fitting = byMemory.filter((t) => usableCacheMemoryGiB(t)! * shards >= memoryGiB);
        if (chosen === undefined) return fitting.length === 0;
        return usableCacheMemoryGiB(chosen)! * shards >= memoryGiB && byMemory.indexOf(chosen) === byMemory.indexOf(fitting[0]!);
      }),
    );
  });
});

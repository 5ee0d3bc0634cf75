import fc from "fast-check";
import { GPU_INSTANCE_FAMILIES, GpuCapacity, gpuFamilyOf, isArmInstanceType, splitAcrossZones } from "../../lib/eks";

describe("GPU instance catalogue", () => {
  test.each([
    ["g5.xlarge", "g5"],
    ["g6.12xlarge", "g6"],
    ["g6e.48xlarge", "g6e"],
    ["p4d.24xlarge", "p4d"],
    ["p4de.24xlarge", "p4de"],
    ["p5.4xlarge", "p5"],
    ["p5e.48xlarge", "p5e"],
    ["p5en.48xlarge", "p5en"],
    ["p6-b200.48xlarge", "p6-b200"],
  ])("%s is family %s", (type, family) => {
    expect(gpuFamilyOf(type)).toBe(family);
  });

  test.each(["m7i.xlarge", "g4dn.xlarge", "g5g.xlarge", "inf2.xlarge", "trn1.32xlarge", "p3.2xlarge", "p5", "P5.48XLARGE", ""])("%s is rejected", (type) => {
    expect(gpuFamilyOf(type)).toBeUndefined();
  });

  test("the closed set is the nine NVIDIA x86_64 families", () => {
    expect(GPU_INSTANCE_FAMILIES).toEqual(["g5", "g6", "g6e", "p4d", "p4de", "p5", "p5e", "p5en", "p6-b200"]);
  });

  test("arm64 (Graviton) types are recognised", () => {
    expect(["m7g.xlarge", "c6gn.large", "t4g.medium", "r8gd.2xlarge", "g5g.xlarge", "a1.large"].every(isArmInstanceType)).toBe(true);
    expect(["m7i.xlarge", "m5dn.large", "g6e.xlarge", "p6-b200.48xlarge", "gr6.4xlarge"].some(isArmInstanceType)).toBe(false);
  });
});

describe("GpuCapacity", () => {
  test("variants map to EKS capacity types and zonality", () => {
    expect([GpuCapacity.onDemand(), GpuCapacity.openReservations(), GpuCapacity.reservation("cr-1"), GpuCapacity.capacityBlock("cr-2")].map((c) => [c.kind, c.capacityType, c.isZonal])).toEqual([
      ["onDemand", "ON_DEMAND", false],
      ["openReservations", "ON_DEMAND", false],
      ["reservation", "ON_DEMAND", true],
      ["capacityBlock", "CAPACITY_BLOCK", true],
    ]);
  });
});

describe("splitAcrossZones", () => {
  const countsAndZones = fc
    .tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 6 }))
    .map(([a, b, c, zones]) => {
      const [minSize, desiredSize, maxSize] = [a, b, c].sort((x, y) => x - y);
      return { counts: { minSize, desiredSize, maxSize: Math.max(1, maxSize) }, subnets: Array.from({ length: zones }, (_, i) => `subnet-${i}`) };
    });

  test("min and desired sums are exact, every zone keeps min <= desired <= max, max overshoots by less than the zone count", () => {
    fc.assert(
      fc.property(countsAndZones, ({ counts, subnets }) => {
        const zones = splitAcrossZones(counts, subnets);
        const sum = (f: (z: (typeof zones)[number]) => number) => zones.reduce((s, z) => s + f(z), 0);
        expect(sum((z) => z.minSize)).toBe(counts.minSize);
        expect(sum((z) => z.desiredSize)).toBe(counts.desiredSize);
        expect(sum((z) => z.maxSize)).toBeGreaterThanOrEqual(counts.maxSize);
        expect(sum((z) => z.maxSize) - counts.maxSize).toBeLessThan(subnets.length);
        for (const z of zones) {
          expect(z.minSize).toBeLessThanOrEqual(z.desiredSize);
          expect(z.desiredSize).toBeLessThanOrEqual(z.maxSize);
        }
        // Spread: no two zones' minima differ by more than one node.
        expect(Math.max(...zones.map((z) => z.minSize)) - Math.min(...zones.map((z) => z.minSize))).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});

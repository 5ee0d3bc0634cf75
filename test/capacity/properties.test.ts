import fc from "fast-check";
import { CapacityError, findGpuInstance, planCapacity, replicaMemoryBytes } from "../../lib/capacity";
import type { CapacityInput, Precision } from "../../lib/capacity";
import { baseInput } from "./helpers";

// Small run counts keep the suite at a few seconds; seeds are fixed so failures reproduce.
const RUNS = { numRuns: 20, seed: 42 };

/** One candidate type keeps "GPUs provisioned" comparable across plans (a catalog choice may trade many cheap GPUs for few fast ones). */
const single = (over: Partial<CapacityInput["workload"]>, zones = 3): CapacityInput => baseInput({ gpu: { instanceTypes: ["p5.48xlarge"] }, availabilityZones: zones }, over);

const workloadArb = fc.record({
  peak: fc.double({ min: 1, max: 150, noNaN: true }),
  prompt: fc.integer({ min: 100, max: 3000 }),
  output: fc.integer({ min: 50, max: 800 }),
  ttft: fc.double({ min: 1, max: 5, noNaN: true }),
  tpot: fc.double({ min: 0.05, max: 0.2, noNaN: true }),
});

const toWorkload = (w: { peak: number; prompt: number; output: number; ttft: number; tpot: number }): Partial<CapacityInput["workload"]> => ({
  peakRequestsPerSecond: w.peak,
  baselineRequestsPerSecond: w.peak / 4,
  promptTokens: { mean: w.prompt, p99: w.prompt * 3 },
  outputTokens: { mean: w.output, p99: w.output * 3 },
  slo: { ttftP99Seconds: w.ttft, tpotP99Seconds: w.tpot, availability: 0.999 },
});

describe("capacity properties", () => {
  it("more load never gives fewer replicas, nodes or cost", () => {
    fc.assert(
      fc.property(workloadArb, fc.double({ min: 1.01, max: 4, noNaN: true }), (w, k) => {
        const a = planCapacity(single(toWorkload(w)));
        const b = planCapacity(single(toWorkload({ ...w, peak: w.peak * k })));
        expect(b.cost.byComponent.gpuNodes).toBeGreaterThanOrEqual(a.cost.byComponent.gpuNodes);
        expect(b.inference.nodes.desired).toBeGreaterThanOrEqual(a.inference.nodes.desired);
        if (a.inference.gpusPerReplica === b.inference.gpusPerReplica) {
          expect(b.inference.replicas.min).toBeGreaterThanOrEqual(a.inference.replicas.min);
          expect(b.inference.replicas.desired).toBeGreaterThanOrEqual(a.inference.replicas.desired);
          expect(b.inference.replicas.max).toBeGreaterThanOrEqual(a.inference.replicas.max);
        }
      }),
      RUNS,
    );
  }, 30_000);

  it("a tighter SLO never gives fewer GPUs in total (and never a cheaper fleet across the catalog)", () => {
    fc.assert(
      fc.property(workloadArb, fc.double({ min: 0.5, max: 0.99, noNaN: true }), fc.boolean(), (w, f, tightenTtft) => {
        const tighter = tightenTtft ? { ...w, ttft: w.ttft * f } : { ...w, tpot: w.tpot * f };
        const a = planCapacity(single(toWorkload(w)));
        let b;
        try {
          b = planCapacity(single(toWorkload(tighter)));
        } catch (e) {
          expect(e).toBeInstanceOf(CapacityError); // infeasible is an error, never a silent plan
          return;
        }
        expect(b.inference.nodes.desired * b.inference.gpusPerNode).toBeGreaterThanOrEqual(a.inference.nodes.desired * a.inference.gpusPerNode);
      }),
      RUNS,
    );
  }, 30_000);

  it("a lower precision never needs more memory per replica for the same sequences", () => {
    const order: Precision[] = ["bf16", "fp8", "int4"];
    fc.assert(
      fc.property(fc.double({ min: 1, max: 700, noNaN: true }), fc.integer({ min: 1, max: 160 }), fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 1, max: 32_768 }), (params, layers, seqs, tokens) => {
        const mem = order.map((precision) => replicaMemoryBytes({ parametersBillions: params, layers, kvHeads: 8, headDim: 128, precision }, seqs, tokens));
        expect(mem[1]).toBeLessThanOrEqual(mem[0] as number);
        expect(mem[2]).toBeLessThanOrEqual(mem[1] as number);
      }),
      { numRuns: 100, seed: 42 },
    );
  }, 30_000);

  it("every plan keeps min <= desired <= max, meets both SLOs and fits GPU memory; otherwise throws CapacityError", () => {
    fc.assert(
      fc.property(workloadArb, fc.integer({ min: 1, max: 3 }), fc.constantFrom<Precision>("bf16", "fp8", "int4"), (w, zones, precision) => {
        const input = baseInput({ availabilityZones: zones, model: { ...baseInput().model, precision } }, toWorkload(w));
        let plan;
        try {
          plan = planCapacity(input);
        } catch (e) {
          expect(e).toBeInstanceOf(CapacityError);
          return;
        }
        const inf = plan.inference;
        for (const b of [inf.replicas, inf.nodes, plan.system.nodes]) {
          expect(b.min).toBeLessThanOrEqual(b.desired);
          expect(b.desired).toBeLessThanOrEqual(b.max);
        }
        if (zones >= 2) expect(inf.replicas.min).toBeGreaterThanOrEqual(2);
        expect(inf.predicted.ttftP99Seconds).toBeLessThanOrEqual(w.ttft + 1e-9);
        expect(inf.predicted.tpotP99Seconds).toBeLessThanOrEqual(w.tpot + 1e-9);
        const spec = findGpuInstance(inf.instanceType);
        expect(inf.memory.perGpuGiB).toBeGreaterThan(0);
        expect(inf.memory.perGpuGiB).toBeLessThanOrEqual(((spec?.gpuMemoryMiB ?? 0) / 1024) * inf.gpuMemoryUtilization);
        expect(plan.autoscaling.workers.maxReplicas).toBeLessThanOrEqual(plan.kafka.partitions);
        expect(plan.database.readReplicas).toBeLessThanOrEqual(15);
      }),
      RUNS,
    );
  }, 30_000);

  it("infeasible inputs always throw CapacityError (never a silent bad plan)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 0.004, noNaN: true }), fc.double({ min: 1e-6, max: 0.01, noNaN: true }), (tpot, ttft) => {
        expect(() => planCapacity(baseInput({}, { slo: { ttftP99Seconds: ttft, tpotP99Seconds: tpot, availability: 0.999 } }))).toThrow(CapacityError);
      }),
      RUNS,
    );
  }, 30_000);
});

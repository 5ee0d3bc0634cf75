import { planCapacity } from "../../lib/capacity";
import { lognormalScv } from "../../lib/capacity/queueing";
import { dailyCurve, rateAt } from "../../lib/capacity/simulate/profiles";
import type { CapacityInput, GpuInstanceSpec } from "../../lib/capacity";

/**
 * A toy GPU and model with round numbers, so every step can be checked by hand.
 *
 * GPU: 81,920 MiB, 2,000 GB/s, 500 BF16 TFLOPS, 1 per node, $1/h. Efficiency 0.5 for both.
 * Model: 10B BF16 -> W = 20e9 B = 18.626 GiB; KV/token = 2 x 10 x 1 x 100 x 2 = 4,000 B = 3.906 KiB.
 * Tokens: P = 1,000 (p99 3,000), O = 200 (p99 600).
 *
 * usable/GPU = 81,920 MiB x 0.9 - 2 GiB = 70 GiB = 75,161,927,680 B; KV budget = 75.16e9 - 20e9 = 55.16e9 B
 * memory sequences = floor(55.16e9 / (4,000 x 1,200)) = 11,492 (no engine cap: KV memory is the limit)
 * a = 20e9 / (2,000e9 x 0.5) = 0.02 s
 * b = 4,000 x (1,000 + 100) / 1e12 + (1 + 1000/200) x 2 x 10e9 / (500e12 x 0.5) = 4.4e-6 + 4.8e-4 = 4.844e-4 s
 * TPOT-limited batch = floor((0.1 / 1.12903 - 0.02) / 4.844e-4) = floor(141.56) = 141
 * prefill = 500e12 x 0.5 / (2 x 10e9) = 12,500 tokens/s
 */
const TOY: GpuInstanceSpec = {
  instanceType: "toy.xlarge",
  gpuModel: "TOY",
  family: "toy",
  gpuCount: 1,
  gpuMemoryMiB: 81_920,
  memoryBandwidthGBps: 2000,
  bf16Tflops: 500,
  vcpus: 8,
  memoryGiB: 64,
  networkGbps: 25,
  onDemandUsdPerHour: 1,
};

const input: CapacityInput = {
  workload: {
    peakRequestsPerSecond: 10,
    baselineRequestsPerSecond: 2,
    promptTokens: { mean: 1000, p99: 3000 },
    outputTokens: { mean: 200, p99: 600 },
    slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.1, availability: 0.999 },
  },
  model: { name: "toy-10b", parametersBillions: 10, layers: 10, kvHeads: 1, headDim: 100, precision: "bf16", maxContextTokens: 4096 },
  gpu: { instanceTypes: [TOY], efficiency: { prefillCompute: 0.5, decodeBandwidth: 0.5, decodeCompute: 0.5 } },
  safetyFactor: 1.5,
  availabilityZones: 3,
};

describe("hand-computed plan on a toy GPU", () => {
  const plan = planCapacity(input);
  const inf = plan.inference;

  it("memory: weights 18.63 GiB, KV 3.906 KiB/token", () => {
    expect(inf.memory.weightsGiB).toBeCloseTo(18.63, 2);
    expect(inf.memory.kvCachePerTokenKiB).toBeCloseTo(3.906, 3);
    expect(inf.instanceType).toBe("toy.xlarge");
    expect(inf.gpusPerReplica).toBe(1);
  });

  it("prefill 12,500 tokens/s and a batch within the TPOT-limited 141", () => {
    expect(inf.perReplica.prefillTokensPerSecond).toBe(12_500);
    expect(inf.perReplica.maxConcurrentSequences).toBeLessThanOrEqual(141);
    const b = inf.perReplica.maxConcurrentSequences;
    // TPOT p99 = (a + b x batch) x 175/155
    expect(inf.predicted.tpotP99Seconds).toBeCloseTo((0.02 + 4.844e-4 * b) * (0.175 / 0.155), 4);
    expect(inf.predicted.tpotP99Seconds).toBeLessThanOrEqual(0.1);
  });

  it("service time = P / prefill + (O + 0.5) x TPOT mean", () => {
    const tau = 0.02 + 4.844e-4 * inf.perReplica.maxConcurrentSequences;
    expect(inf.perReplica.meanServiceSeconds).toBeCloseTo(1000 / 12_500 + 200.5 * tau, 3);
  });

  it("replicas: desired = ceil(10 x 1.5 / rate); min survives an AZ at baseline; nodes = replicas (1 per node)", () => {
    const rate = inf.perReplica.requestsPerSecond;
    expect(inf.replicas.desired).toBe(Math.max(inf.replicas.min, Math.ceil((10 * 1.5) / rate - 1e-9)));
    const forBaseline = Math.ceil(2 / rate - 1e-9);
    expect(inf.replicas.min - Math.ceil(inf.replicas.min / 3)).toBeGreaterThanOrEqual(forBaseline);
    expect(inf.replicas.min).toBeGreaterThanOrEqual(2);
    expect(inf.nodes).toEqual(inf.replicas);
    // no spike: max = desired
    expect(inf.replicas.max).toBe(inf.replicas.desired);
    // GPU cost: every 15 minutes of the daily curve (2 -> 10 req/s), replicas = clamp(ceil(desired x rate / 10), min, max), 1 per node, $1/h.
    const curve = dailyCurve(2, 10);
    let nodeHours = 0;
    for (let q = 0; q < 96; q++) nodeHours += Math.min(inf.replicas.max, Math.max(inf.replicas.min, Math.ceil((inf.replicas.desired * rateAt(curve, (q + 0.5) * 900)) / 10 - 1e-9))) / 4;
    expect(plan.cost.byComponent.gpuNodes).toBeCloseTo((nodeHours / 24) * 730, 2);
    expect(plan.cost.gpuReservedFloorMonthlyUsd).toBeCloseTo(inf.nodes.min * 730, 2);
  });

  it("TTFT p99 = slot-queue p99 + prefill-server p99 + 2 x TPOT mean + 3,000 / 12,500", () => {
    const tau = 0.02 + 4.844e-4 * inf.perReplica.maxConcurrentSequences;
    // Prefill server: M/G/1 with mean service 1,000 / 12,500 = 0.08 s; P(W > t) = rho exp(-(mu - lambda) t),
    // times Allen-Cunneen (1 + cs^2) / 2 with cs^2 of a lognormal of mean 1,000 and p99 3,000.
    const lambda = 10 / inf.replicas.desired;
    const rho = lambda * 0.08;
    const scv = lognormalScv(1000, 3000);
    const prefillP99 = rho > 0.01 ? (((1 + scv) / 2) * Math.log(rho / 0.01)) / (1 / 0.08 - lambda) : 0;
    expect(prefillP99).toBeGreaterThan(0);
    expect(inf.predicted.ttftP99Seconds).toBeCloseTo(inf.predicted.queueWaitP99Seconds + prefillP99 + 2 * tau + 0.24, 3);
  });
});

import { DEFAULT_EFFICIENCY, DEFAULT_EFFICIENCY_FIT, findGpuInstance, fitEfficiencies, formatValidationTable, iterationModel, iterationSeconds, kvBytesPerToken, PUBLISHED_POINTS, replicaMemoryBytes, validationTable, weightBytes } from "../../lib/capacity";
import type { GpuInstanceSpec, ModelInput } from "../../lib/capacity";

const llama = (layers: number, precision: ModelInput["precision"] = "bf16"): ModelInput => ({ name: "m", parametersBillions: 8, layers, kvHeads: 8, headDim: 128, precision, maxContextTokens: 8192 });

describe("KV cache and weights (capacity-data.md figures)", () => {
  it.each([
    ["Llama-3.1-8B", 32, 128],
    ["Llama-3.1-70B / Llama-2-70B", 80, 320],
    ["Llama-3.1-405B", 126, 504],
  ])("%s: 2 x layers x 8 KV heads x 128 x 2 B = %d KiB/token", (_name, layers, kib) => {
    expect(kvBytesPerToken(llama(layers)) / 1024).toBe(kib);
  });

  it("uses (kvLoraRank + qkRopeHeadDim) x layers x bytes for MLA (DeepSeek-V3 FP8: 576 x 61 = 35,136 B)", () => {
    const ds: ModelInput = { name: "deepseek-ai/DeepSeek-V3", parametersBillions: 671, activeParametersBillions: 37, layers: 61, kvHeads: 128, headDim: 128, mla: { kvLoraRank: 512, qkRopeHeadDim: 64 }, precision: "fp8", maxContextTokens: 32768 };
    expect(kvBytesPerToken(ds)).toBe(35_136);
  });

  it("halves KV bytes at FP8 and keeps INT4 KV at FP8 size; weights follow bytes per parameter", () => {
    expect(kvBytesPerToken(llama(80, "fp8"))).toBe(kvBytesPerToken(llama(80)) / 2);
    expect(kvBytesPerToken(llama(80, "int4"))).toBe(kvBytesPerToken(llama(80, "fp8")));
    expect(weightBytes({ parametersBillions: 70, precision: "bf16" })).toBe(140e9);
    expect(weightBytes({ parametersBillions: 70, precision: "int4" })).toBe(35e9);
    // 8e9 x 2 + 10 seqs x 1000 tokens x 131072 B
    expect(replicaMemoryBytes(llama(32), 10, 1000)).toBe(16e9 + 10 * 1000 * 131_072);
  });
});

describe("iteration model (hand computation)", () => {
  it("tau(B) = W/(BW e) + B (Kstep/(BW e) + (1 + P/O) 2N/(F e))", () => {
    // GPU: 1000 GB/s, 100 TFLOPS; e = 0.5 -> 5e11 B/s, 5e13 FLOP/s.
    // Model: 10B bf16 -> W = 2e10 B -> fixed = 2e10 / 5e11 = 0.04 s.
    // KV/token = 2 x 10 x 1 x 100 x 2 = 4000 B; Kstep = 4000 x (100 + 100/2) = 6e5 B -> 1.2e-6 s.
    // Compute/seq = (1 + 100/100) x 2 x 1e10 = 4e10 FLOP -> 8e-4 s. perSequence = 8.012e-4 s.
    // Prefill = 5e13 / 2e10 = 2500 tokens/s.
    const spec = { memoryBandwidthGBps: 1000, bf16Tflops: 100 } as GpuInstanceSpec;
    const model: ModelInput = { name: "toy", parametersBillions: 10, layers: 10, kvHeads: 1, headDim: 100, precision: "bf16", maxContextTokens: 1000 };
    const im = iterationModel(spec, 1, model, { promptTokensMean: 100, outputTokensMean: 100 }, { prefillCompute: 0.5, decodeBandwidth: 0.5, decodeCompute: 0.5 });
    expect(im.fixedSeconds).toBeCloseTo(0.04, 12);
    expect(im.perSequenceSeconds).toBeCloseTo(8.012e-4, 12);
    expect(im.prefillTokensPerSecond).toBeCloseTo(2500, 6);
    expect(iterationSeconds(im, 100)).toBeCloseTo(0.04 + 0.08012, 12);
    // Tensor parallel 2 halves every term.
    const im2 = iterationModel(spec, 2, model, { promptTokensMean: 100, outputTokensMean: 100 }, { prefillCompute: 0.5, decodeBandwidth: 0.5, decodeCompute: 0.5 });
    expect(iterationSeconds(im2, 100)).toBeCloseTo((0.04 + 0.08012) / 2, 12);
  });
});

describe("two-term roofline fitted on published MLPerf points (calibration.ts)", () => {
  const fit = DEFAULT_EFFICIENCY_FIT;
  const rows = validationTable(DEFAULT_EFFICIENCY, fit);

  it("fits separate bandwidth and compute efficiencies, both physical (0, 1]", () => {
    expect(DEFAULT_EFFICIENCY.decodeBandwidth).toBeGreaterThan(0.3);
    expect(DEFAULT_EFFICIENCY.decodeBandwidth).toBeLessThanOrEqual(1);
    expect(DEFAULT_EFFICIENCY.decodeCompute).toBeGreaterThan(0.3);
    expect(DEFAULT_EFFICIENCY.decodeCompute).toBeLessThanOrEqual(1);
    expect(DEFAULT_EFFICIENCY.decodeBandwidth).not.toBeCloseTo(DEFAULT_EFFICIENCY.decodeCompute, 2);
  });

  it("reproduces every calibration point within 10% and every held-out point within 25%", () => {
    for (const r of rows) expect([r.point.name, Math.abs(r.error) < (r.point.role === "calibration" ? 0.1 : 0.25)]).toEqual([r.point.name, true]);
    expect(rows.filter((r) => r.point.role === "held-out").length).toBeGreaterThanOrEqual(3);
  });

  it("gets the direction of a hardware change right: same FLOPS, 1.43x bandwidth (H100 -> H200) is faster on the same workload", () => {
    const model: ModelInput = { name: "llama2-70b", parametersBillions: 68.98, layers: 80, kvHeads: 8, headDim: 128, precision: "fp8", maxContextTokens: 4096 };
    const shape = { promptTokensMean: 294, outputTokensMean: 290 };
    const h100 = iterationModel(findGpuInstance("p5.48xlarge") as GpuInstanceSpec, 1, model, shape, DEFAULT_EFFICIENCY);
    const h200 = iterationModel(findGpuInstance("p5en.48xlarge") as GpuInstanceSpec, 1, model, shape, DEFAULT_EFFICIENCY);
    const b200 = iterationModel(findGpuInstance("p6-b200.48xlarge") as GpuInstanceSpec, 1, model, shape, DEFAULT_EFFICIENCY);
    for (const batch of [1, 64, 512]) {
      expect(iterationSeconds(h200, batch)).toBeLessThan(iterationSeconds(h100, batch));
      expect(iterationSeconds(b200, batch)).toBeLessThan(iterationSeconds(h200, batch));
    }
    // Only the memory term speeds up with bandwidth: the compute term is the same on H100 and H200.
    expect(h200.perSequenceComputeSeconds).toBeCloseTo(h100.perSequenceComputeSeconds, 12);
    expect(h200.perSequenceBandwidthSeconds).toBeCloseTo(h100.perSequenceBandwidthSeconds * (3350 / 4800), 12);
  });

  it("gets the direction of a model change right: the measured ratio of Mixtral-8x7B to Llama-2-70B throughput on 8x H100 and the predicted one agree in sign and within 25%", () => {
    const l2 = rows.find((r) => r.point.name === "v4.1 8xH100 Llama-2-70B Server") as (typeof rows)[number];
    const mx = rows.find((r) => r.point.name === "v4.1 8xH100 Mixtral-8x7B Server") as (typeof rows)[number];
    const measured = mx.measuredTokensPerSecond / l2.measuredTokensPerSecond;
    const predicted = mx.predictedTokensPerSecond / l2.predictedTokensPerSecond;
    expect(measured).toBeGreaterThan(1);
    expect(predicted).toBeGreaterThan(1);
    expect(Math.abs(predicted / measured - 1)).toBeLessThan(0.25);
  });

  it("the fit is a real least squares: refitting without a calibration point changes the efficiencies", () => {
    const fewer = fitEfficiencies(PUBLISHED_POINTS.filter((p) => p.name !== "v4.1 8xH100 Llama-2-70B Offline"));
    expect(fewer.decodeBandwidth).not.toBeCloseTo(fit.decodeBandwidth, 3);
  });

  it("the validation table names every source", () => {
    const text = formatValidationTable(rows, fit);
    for (const p of PUBLISHED_POINTS) expect(text).toContain(p.source);
  });
});

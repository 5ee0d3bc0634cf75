import { calibrateEfficiency, DEFAULT_EFFICIENCY, findGpuInstance, iterationModel, iterationSeconds, kvBytesPerToken, MLPERF_V41_H100_LLAMA2_70B, replicaMemoryBytes, weightBytes } from "../../lib/capacity";
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
    const im = iterationModel(spec, 1, model, { promptTokensMean: 100, outputTokensMean: 100 }, { prefillCompute: 0.5, decodeBandwidth: 0.5 });
    expect(im.fixedSeconds).toBeCloseTo(0.04, 12);
    expect(im.perSequenceSeconds).toBeCloseTo(8.012e-4, 12);
    expect(im.prefillTokensPerSecond).toBeCloseTo(2500, 6);
    expect(iterationSeconds(im, 100)).toBeCloseTo(0.04 + 0.08012, 12);
    // Tensor parallel 2 halves every term.
    const im2 = iterationModel(spec, 2, model, { promptTokensMean: 100, outputTokensMean: 100 }, { prefillCompute: 0.5, decodeBandwidth: 0.5 });
    expect(iterationSeconds(im2, 100)).toBeCloseTo((0.04 + 0.08012) / 2, 12);
  });
});

describe("calibration on MLPerf v4.1 8x H100 Llama-2-70B Server", () => {
  const mp = MLPERF_V41_H100_LLAMA2_70B;
  const h100 = findGpuInstance("p5.48xlarge") as GpuInstanceSpec;
  const model: ModelInput = { name: "llama2-70b", parametersBillions: 70, layers: 80, kvHeads: 8, headDim: 128, precision: "fp8", maxContextTokens: 4096 };
  const im = iterationModel(h100, mp.tensorParallel, model, { promptTokensMean: mp.promptTokensMean, outputTokensMean: mp.outputTokensMean }, DEFAULT_EFFICIENCY);
  const replicas = mp.gpus / mp.tensorParallel;
  const { decodeConcurrencyPerReplica } = calibrateEfficiency();

  it("has an efficiency in a plausible range (0.3-0.8 of the roofline)", () => {
    expect(DEFAULT_EFFICIENCY.prefillCompute).toBeGreaterThan(0.3);
    expect(DEFAULT_EFFICIENCY.prefillCompute).toBeLessThan(0.8);
    expect(DEFAULT_EFFICIENCY.decodeBandwidth).toBe(DEFAULT_EFFICIENCY.prefillCompute);
  });

  it("reproduces 21,606 output tokens/s for 8 GPUs within 2% at the measured concurrency", () => {
    // Little's law: concurrency per replica = 74.42/4 x (44.95 - 0.276) = 831 sequences.
    expect(decodeConcurrencyPerReplica).toBeCloseTo(831.16, 1);
    const tokensPerSecond = (replicas * decodeConcurrencyPerReplica) / iterationSeconds(im, decodeConcurrencyPerReplica);
    expect(Math.abs(tokensPerSecond - mp.outputTokensPerSecond) / mp.outputTokensPerSecond).toBeLessThan(0.02);
    expect(iterationSeconds(im, decodeConcurrencyPerReplica)).toBeCloseTo(mp.tpotMeanSeconds, 3);
  });

  it("predicts the out-of-sample TTFT mean (276 ms) within 25%: 1.5 iterations + prompt prefill", () => {
    const tau = iterationSeconds(im, decodeConcurrencyPerReplica);
    const ttftMean = 1.5 * tau + mp.promptTokensMean / im.prefillTokensPerSecond;
    expect(Math.abs(ttftMean - mp.ttftMeanSeconds) / mp.ttftMeanSeconds).toBeLessThan(0.25);
  });
});

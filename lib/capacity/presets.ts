/**
 * Reference workloads for the three environments (pure data). The integrator adds
 * `availabilityZones` and `region` from each environment.
 */
import type { CapacityInput, ModelInput } from "./types";

/** A capacity input without placement; `availabilityZones` and `region` come from the environment. */
export type WorkloadPreset = Omit<CapacityInput, "availabilityZones" | "region">;

/** Llama-3.1-8B-Instruct: 32 layers, 8 KV heads, head dim 128 (capacity-data.md "Model memory"). */
export const LLAMA_31_8B: ModelInput = {
  name: "meta-llama/Llama-3.1-8B-Instruct",
  parametersBillions: 8.03,
  layers: 32,
  kvHeads: 8,
  headDim: 128,
  precision: "bf16",
  maxContextTokens: 8192,
};

/** Llama-3.1-70B-Instruct: 80 layers, 8 KV heads, head dim 128, served in FP8 (capacity-data.md "Model memory"). */
export const LLAMA_31_70B_FP8: ModelInput = {
  name: "meta-llama/Llama-3.1-70B-Instruct",
  parametersBillions: 70.6,
  layers: 80,
  kvHeads: 8,
  headDim: 128,
  precision: "fp8",
  maxContextTokens: 16_384,
};

/**
 * Development: Llama-3.1-8B at a few requests/s on single-GPU nodes (g5/g6/g6e .xlarge),
 * looser objectives, 2x spike.
 */
export const DEV_WORKLOAD: WorkloadPreset = {
  workload: {
    peakRequestsPerSecond: 2,
    baselineRequestsPerSecond: 0.5,
    promptTokens: { mean: 512, p99: 2048 },
    outputTokens: { mean: 256, p99: 1024 },
    slo: { ttftP99Seconds: 3, tpotP99Seconds: 0.1, availability: 0.99 },
    spike: { multiplier: 2, rampSeconds: 60, durationSeconds: 600 },
    asyncShare: 0.3,
    maxQueueDelaySeconds: 900,
    // Chat with a shared system prompt and earlier turns: a third of prompt tokens reused (DeepSeek reports 56.3%).
    prefixCache: { promptTokenHitShare: 0.3, routing: "prefix-affinity" },
    payloadBytes: 16_384,
  },
  model: LLAMA_31_8B,
  gpu: { instanceTypes: ["g6.xlarge", "g5.xlarge", "g6e.xlarge"] },
  safetyFactor: 1.5,
  gpuProvisioningSeconds: 420,
};

/** Staging: a smaller copy of prod (same model, SLOs and shape at a sixth of the traffic). */
export const STAGING_WORKLOAD: WorkloadPreset = {
  workload: {
    peakRequestsPerSecond: 10,
    baselineRequestsPerSecond: 3,
    promptTokens: { mean: 1024, p99: 4096 },
    outputTokens: { mean: 300, p99: 1200 },
    slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.1, availability: 0.995 },
    spike: { multiplier: 3, rampSeconds: 300, durationSeconds: 1800 },
    asyncShare: 0.3,
    maxQueueDelaySeconds: 900,
    // Chat with a shared system prompt and earlier turns: a third of prompt tokens reused (DeepSeek reports 56.3%).
    prefixCache: { promptTokenHitShare: 0.3, routing: "prefix-affinity" },
    payloadBytes: 16_384,
  },
  model: LLAMA_31_70B_FP8,
  safetyFactor: 1.5,
  gpuProvisioningSeconds: 600,
};

/**
 * Production: Llama-3.1-70B (FP8) at a daily peak of 60 requests/s with a 3x festival spike,
 * 30% asynchronous, 20% cache hits, TTFT p99 2 s, TPOT p99 100 ms, 99.9% availability.
 */
export const PROD_WORKLOAD: WorkloadPreset = {
  workload: {
    peakRequestsPerSecond: 60,
    baselineRequestsPerSecond: 15,
    promptTokens: { mean: 1024, p99: 4096 },
    outputTokens: { mean: 300, p99: 1200 },
    slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.1, availability: 0.999 },
    spike: { multiplier: 3, rampSeconds: 300, durationSeconds: 1800 },
    asyncShare: 0.3,
    maxQueueDelaySeconds: 900,
    // Chat with a shared system prompt and earlier turns: a third of prompt tokens reused (DeepSeek reports 56.3%).
    prefixCache: { promptTokenHitShare: 0.3, routing: "prefix-affinity" },
    payloadBytes: 16_384,
    readQueriesPerRequest: 2,
    writeQueriesPerRequest: 1,
  },
  model: LLAMA_31_70B_FP8,
  safetyFactor: 1.5,
  gpuProvisioningSeconds: 600,
};

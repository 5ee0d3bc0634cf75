/**
 * The LLM serving model: memory of weights and KV cache, and the roofline of one engine
 * iteration (capacity-data.md "Model memory").
 *
 * One continuous-batching iteration of a replica with B running sequences takes
 *
 *   tau(B) = (W + B x Kstep) / (TP x BW x e_bw)  +  B x (1 + P/O) x 2 x N_active / (TP x F x e_f)
 *
 * - the first term is memory traffic: every GPU reads its shard of the weights W once per step
 *   (this is what batching amortizes) plus the KV cache of the batch (Kstep bytes per sequence at its
 *   mean length P + O/2);
 * - the second term is compute: B decode tokens plus the prompts that arrive meanwhile (each request
 *   brings P prompt tokens per O output tokens, chunked into the iterations), at 2 FLOPs per active
 *   parameter and token (Kaplan et al. 2020).
 *
 * TPOT = tau(B); output tokens/s = B / tau(B) (Little's law); the unbatched floor is tau(1).
 */
import { BYTES_PER_PARAMETER, GIB, KV_BYTES_PER_ELEMENT, MLPERF_V41_H100_LLAMA2_70B } from "./constants";
import { findGpuInstance } from "./catalog";
import type { GpuInstanceSpec, ModelInput, Precision } from "./types";

/** Weight bytes of the whole model at its precision. */
export function weightBytes(model: Pick<ModelInput, "parametersBillions" | "precision">): number {
  return model.parametersBillions * 1e9 * BYTES_PER_PARAMETER[model.precision];
}

/**
 * KV-cache bytes per token: `2 x layers x kvHeads x headDim x bytes`, or with MLA
 * `(kvLoraRank + qkRopeHeadDim) x layers x bytes` (no factor 2: one latent serves K and V).
 */
export function kvBytesPerToken(model: Pick<ModelInput, "layers" | "kvHeads" | "headDim" | "mla" | "precision">): number {
  const bytes = KV_BYTES_PER_ELEMENT[model.precision];
  if (model.mla) return (model.mla.kvLoraRank + model.mla.qkRopeHeadDim) * model.layers * bytes;
  return 2 * model.layers * model.kvHeads * model.headDim * bytes;
}

/**
 * GPU memory one replica needs for the weights plus `sequences` sequences of `tokensPerSequence`
 * tokens, in bytes (excluding the engine's runtime overhead).
 */
export function replicaMemoryBytes(model: Pick<ModelInput, "parametersBillions" | "precision" | "layers" | "kvHeads" | "headDim" | "mla">, sequences: number, tokensPerSequence: number): number {
  return weightBytes(model) + sequences * tokensPerSequence * kvBytesPerToken(model);
}

/** Dense TFLOPS a GPU gives at a precision: FP8 only where the GPU has FP8 units; INT4 is weight-only and computes in BF16. */
export function effectiveTflops(spec: Pick<GpuInstanceSpec, "bf16Tflops" | "fp8Tflops">, precision: Precision): number {
  return precision === "fp8" && spec.fp8Tflops !== undefined ? spec.fp8Tflops : spec.bf16Tflops;
}

/** Engine efficiency factors: fractions of the roofline reached. */
export interface Efficiency {
  readonly prefillCompute: number;
  readonly decodeBandwidth: number;
}

/** Coefficients of `tau(B) = a + b B` for one replica, and its prefill rate. */
export interface IterationModel {
  /** Seconds per iteration spent reading the weight shard (the batch-independent part). */
  readonly fixedSeconds: number;
  /** Extra seconds per iteration per running sequence (its KV reads and its share of compute). */
  readonly perSequenceSeconds: number;
  /** Prompt tokens per second when the replica prefills. */
  readonly prefillTokensPerSecond: number;
}

/** Workload shape the iteration model needs. */
export interface TokenShape {
  readonly promptTokensMean: number;
  readonly outputTokensMean: number;
}

/** Builds the iteration model of one replica of `tensorParallel` GPUs of `spec` (see the module comment). */
export function iterationModel(spec: Pick<GpuInstanceSpec, "memoryBandwidthGBps" | "bf16Tflops" | "fp8Tflops">, tensorParallel: number, model: ModelInput, shape: TokenShape, efficiency: Efficiency): IterationModel {
  const bandwidth = tensorParallel * spec.memoryBandwidthGBps * 1e9 * efficiency.decodeBandwidth; // bytes/s
  const flops = tensorParallel * effectiveTflops(spec, model.precision) * 1e12 * efficiency.prefillCompute; // FLOP/s
  const active = (model.activeParametersBillions ?? model.parametersBillions) * 1e9;
  const kvStep = kvBytesPerToken(model) * (shape.promptTokensMean + shape.outputTokensMean / 2);
  const computePerSequence = (1 + shape.promptTokensMean / shape.outputTokensMean) * 2 * active;
  return {
    fixedSeconds: weightBytes(model) / bandwidth,
    perSequenceSeconds: kvStep / bandwidth + computePerSequence / flops,
    prefillTokensPerSecond: flops / (2 * active),
  };
}

/** Iteration time (TPOT) at batch `b`. */
export function iterationSeconds(m: IterationModel, batch: number): number {
  return m.fixedSeconds + m.perSequenceSeconds * batch;
}

/**
 * Calibrates one efficiency factor (used for both prefill compute and decode bandwidth) so the
 * iteration model reproduces the MLPerf v4.1 8x H100 Llama-2-70B Server point: with the measured
 * decode concurrency per replica (Little's law: lambda per replica x (e2e - TTFT)), the model's
 * TPOT equals the measured mean of 155 ms. Since tau scales as 1/e, e = tau_at_e1 / 0.155.
 */
export function calibrateEfficiency(): { readonly efficiency: number; readonly decodeConcurrencyPerReplica: number } {
  const mp = MLPERF_V41_H100_LLAMA2_70B;
  const h100 = findGpuInstance("p5.48xlarge");
  if (!h100) throw new Error("catalog is missing p5.48xlarge");
  const replicas = mp.gpus / mp.tensorParallel;
  const decodeConcurrencyPerReplica = (mp.requestsPerSecond / replicas) * (mp.e2eMeanSeconds - mp.ttftMeanSeconds);
  const model: ModelInput = { name: "meta-llama/Llama-2-70b-chat-hf", parametersBillions: mp.parametersBillions, layers: mp.layers, kvHeads: mp.kvHeads, headDim: mp.headDim, precision: mp.precision, maxContextTokens: 4096 };
  const atOne = iterationModel(h100, mp.tensorParallel, model, { promptTokensMean: mp.promptTokensMean, outputTokensMean: mp.outputTokensMean }, { prefillCompute: 1, decodeBandwidth: 1 });
  return { efficiency: iterationSeconds(atOne, decodeConcurrencyPerReplica) / mp.tpotMeanSeconds, decodeConcurrencyPerReplica };
}

const CALIBRATED = calibrateEfficiency().efficiency;

/**
 * Default efficiencies: both calibrated on the MLPerf v4.1 H100 Llama-2-70B Server point
 * (about 0.5 of the roofline; see lib/capacity/README.md "Calibration").
 */
export const DEFAULT_EFFICIENCY: Efficiency = Object.freeze({ prefillCompute: CALIBRATED, decodeBandwidth: CALIBRATED });

/** Bytes to GiB. */
export function toGiB(bytes: number): number {
  return bytes / GIB;
}

/**
 * The LLM serving model: memory of weights and KV cache, and the roofline of one engine
 * iteration (capacity-data.md "Model memory").
 *
 * One continuous-batching iteration of a replica with B running sequences takes
 *
 *   tau(B) = (W + B x Kstep) / (TP x BW x e_bw)  +  B x (1 + P/O) x 2 x N_active / (TP x F x e_c)
 *
 * - the first term is memory traffic: every GPU reads its shard of the weights W once per step
 *   (this is what batching amortizes) plus the KV cache of the batch (Kstep bytes per sequence at its
 *   mean length P + O/2);
 * - the second term is compute: B decode tokens plus the prompts that arrive meanwhile (each request
 *   brings P prompt tokens per O output tokens, chunked into the iterations), at 2 FLOPs per active
 *   parameter and token (Kaplan et al. 2020).
 *
 * TPOT = tau(B); output tokens/s = B / tau(B) (Little's law); the unbatched floor is tau(1).
 * The two efficiencies are separate (e_bw for memory traffic, e_c for compute) and fitted by least
 * squares on published MLPerf points (calibration.ts, lib/capacity/README.md "Calibration"): a GPU
 * with more bandwidth at the same FLOPS speeds up only the memory term. A prompt's own prefill (TTFT)
 * runs at `prefillCompute` of the FLOPS.
 */
import { BYTES_PER_PARAMETER, GIB, KV_BYTES_PER_ELEMENT } from "./constants";
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

/** Engine efficiency factors: fractions of the roofline reached (fitted in calibration.ts). */
export interface Efficiency {
  /** Fraction of dense FLOPS a prompt's own prefill reaches (TTFT). */
  readonly prefillCompute: number;
  /** Fraction of HBM bandwidth the decode steps reach (weight and KV reads). */
  readonly decodeBandwidth: number;
  /** Fraction of dense FLOPS the mixed decode + chunked-prefill steps reach. */
  readonly decodeCompute: number;
}

/** Coefficients of `tau(B) = a + b B` for one replica, and its prefill rate. */
export interface IterationModel {
  /** Seconds per iteration spent reading the weight shard (the batch-independent part). */
  readonly fixedSeconds: number;
  /** Extra seconds per iteration per running sequence (its KV reads and its share of compute). */
  readonly perSequenceSeconds: number;
  /** The memory-traffic part of `perSequenceSeconds` (KV reads). */
  readonly perSequenceBandwidthSeconds: number;
  /** The compute part of `perSequenceSeconds` (its decode token and its chunked prompt tokens). */
  readonly perSequenceComputeSeconds: number;
  /** Prompt tokens per second when the replica prefills. */
  readonly prefillTokensPerSecond: number;
}

/** Workload shape the iteration model needs. */
export interface TokenShape {
  readonly promptTokensMean: number;
  readonly outputTokensMean: number;
  /**
   * Prompt tokens each request really prefills (after prefix-cache hits): they drive the compute of
   * the chunked-prefill steps; KV reads still cover the whole prompt.
   * @default promptTokensMean
   */
  readonly prefillTokensMean?: number;
}

/** Builds the iteration model of one replica of `tensorParallel` GPUs of `spec` (see the module comment). */
export function iterationModel(spec: Pick<GpuInstanceSpec, "memoryBandwidthGBps" | "bf16Tflops" | "fp8Tflops">, tensorParallel: number, model: ModelInput, shape: TokenShape, efficiency: Efficiency): IterationModel {
  const bandwidth = tensorParallel * spec.memoryBandwidthGBps * 1e9 * efficiency.decodeBandwidth; // bytes/s
  const peak = tensorParallel * effectiveTflops(spec, model.precision) * 1e12; // FLOP/s
  const stepFlops = peak * efficiency.decodeCompute;
  const active = (model.activeParametersBillions ?? model.parametersBillions) * 1e9;
  const kvStep = kvBytesPerToken(model) * (shape.promptTokensMean + shape.outputTokensMean / 2);
  const computePerSequence = (1 + (shape.prefillTokensMean ?? shape.promptTokensMean) / shape.outputTokensMean) * 2 * active;
  const bw = kvStep / bandwidth;
  const cmp = computePerSequence / stepFlops;
  return {
    fixedSeconds: weightBytes(model) / bandwidth,
    perSequenceSeconds: bw + cmp,
    perSequenceBandwidthSeconds: bw,
    perSequenceComputeSeconds: cmp,
    prefillTokensPerSecond: (peak * efficiency.prefillCompute) / (2 * active),
  };
}

/** Iteration time (TPOT) at batch `b`. */
export function iterationSeconds(m: IterationModel, batch: number): number {
  return m.fixedSeconds + m.perSequenceSeconds * batch;
}

/** Bytes to GiB. */
export function toGiB(bytes: number): number {
  return bytes / GIB;
}

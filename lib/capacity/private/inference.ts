/**
 * Sizing of the GPU serving tier: for every (instance type, tensor-parallel size) candidate, the
 * memory budget, the batch that meets the TPOT objective, the per-replica arrival rate that meets
 * the TTFT p99 under queueing, and the replicas and nodes that follow; then the cheapest candidate.
 */
import {
  DEFAULT_GPU_MEMORY_UTILIZATION,
  GIB,
  MIB,
  RUNTIME_OVERHEAD_GIB_PER_GPU,
  TENSOR_PARALLEL_SIZES,
  TPOT_P99_OVER_MEAN,
} from "../constants";
import { iterationModel, iterationSeconds, kvBytesPerToken, weightBytes, type Efficiency, type IterationModel } from "../llm";
import { lognormalScv, queueWait } from "../queueing";
import type { GpuInstanceSpec, ModelInput } from "../types";

/** Token and SLO figures a candidate is evaluated against. */
export interface InferenceDemand {
  readonly model: ModelInput;
  readonly promptMean: number;
  readonly promptP99: number;
  /** Prompt tokens actually prefilled per request after the prefix cache (mean). @default promptMean */
  readonly prefillMean?: number;
  /** ... and at the p99 prompt. @default promptP99 */
  readonly prefillP99?: number;
  readonly outputMean: number;
  readonly outputP99: number;
  readonly ttftP99Seconds: number;
  readonly tpotP99Seconds: number;
  readonly efficiency: Efficiency;
}

/** A candidate that can serve the workload, with its operating point. */
export interface FeasibleCandidate {
  readonly kind: "ok";
  readonly spec: GpuInstanceSpec;
  readonly tensorParallel: number;
  readonly replicasPerNode: number;
  readonly iteration: IterationModel;
  /** Batch (max-num-seqs) chosen. */
  readonly maxSeqs: number;
  /** Sequences the KV budget holds at mean length. */
  readonly memorySeqs: number;
  /** Iteration time at the chosen batch = TPOT mean at full batch, s. */
  readonly tpotMeanSeconds: number;
  readonly tpotP99Seconds: number;
  /** TTFT p99 with an empty queue: residual iteration + the prefill iteration + a p99 prompt, s. */
  readonly ttftServiceP99Seconds: number;
  readonly ttftServiceMeanSeconds: number;
  /** Mean time a request holds a batch slot, s. */
  readonly serviceSeconds: number;
  /** Squared coefficient of variation of the service time. */
  readonly serviceScv: number;
  /** Mean seconds the prefill server is busy with one prompt (promptMean / prefill rate). */
  readonly prefillServiceSeconds: number;
  /** Squared coefficient of variation of the prompt lengths (prefill service times). */
  readonly prefillScv: number;
  /** Highest per-replica arrival rate that meets the TTFT p99, req/s. */
  readonly maxRatePerReplica: number;
  readonly weightsBytes: number;
  readonly kvBytesPerToken: number;
  readonly kvBudgetBytes: number;
  readonly usablePerGpuBytes: number;
}

/** Why a candidate cannot serve the workload. */
export type Rejection =
  | { readonly kind: "memory"; readonly spec: GpuInstanceSpec; readonly tensorParallel: number; readonly neededPerGpuGiB: number }
  | { readonly kind: "tpot"; readonly spec: GpuInstanceSpec; readonly tensorParallel: number; readonly floorSeconds: number }
  | { readonly kind: "ttft"; readonly spec: GpuInstanceSpec; readonly tensorParallel: number; readonly floorSeconds: number };

/**
 * Batch sizes tried: every integer up to 64, then a geometric grid of ratio 2^(1/32) (~2% steps) up
 * to 65,536. A fixed grid keeps the choice monotone in the SLO; the real limit of a candidate is its
 * KV memory (vLLM takes any --max-num-seqs and preempts when KV blocks run out), applied per
 * candidate, not an engine constant.
 */
const BATCH_GRID: readonly number[] = (() => {
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const b = Math.max(Math.min(k + 1, 64), Math.floor(2 ** (k / 32)));
    if (b > 65_536) break;
    if (out[out.length - 1] !== b) out.push(b);
  }
  return out;
})();

/** Usable bytes per GPU for weights + KV: memory x gpu-memory-utilization - runtime overhead. */
export function usableBytesPerGpu(spec: GpuInstanceSpec): number {
  return spec.gpuMemoryMiB * MIB * DEFAULT_GPU_MEMORY_UTILIZATION - RUNTIME_OVERHEAD_GIB_PER_GPU * GIB;
}

/**
 * TTFT p99 at a per-replica rate: the wait for a batch slot (Erlang-C/Allen-Cunneen over the slots)
 * + the wait for the prefill server (prompts are prefilled one chunk budget at a time, so the
 * replica's prefill is one M/G/1 server of mean service promptMean / prefillRate) + the empty-queue
 * TTFT p99 (scheduling delay and the p99 prompt's own prefill). Summing the p99s is conservative.
 */
export function ttftP99At(c: Pick<FeasibleCandidate, "maxSeqs" | "serviceSeconds" | "serviceScv" | "ttftServiceP99Seconds" | "prefillServiceSeconds" | "prefillScv">, ratePerReplica: number): number {
  return queueWait(c.maxSeqs, ratePerReplica, c.serviceSeconds, c.serviceScv).p99Seconds + prefillWaitP99(c, ratePerReplica) + c.ttftServiceP99Seconds;
}

/** p99 wait for the replica's prefill server at a per-replica rate (M/G/1, Allen-Cunneen). */
export function prefillWaitP99(c: Pick<FeasibleCandidate, "prefillServiceSeconds" | "prefillScv">, ratePerReplica: number): number {
  return queueWait(1, ratePerReplica, c.prefillServiceSeconds, c.prefillScv).p99Seconds;
}

function operatingPoint(it: IterationModel, batch: number, d: InferenceDemand, toBeat = 0): Omit<FeasibleCandidate, "kind" | "spec" | "tensorParallel" | "replicasPerNode" | "iteration" | "memorySeqs" | "weightsBytes" | "kvBytesPerToken" | "kvBudgetBytes" | "usablePerGpuBytes"> {
  const tau = iterationSeconds(it, batch);
  const pMean = d.prefillMean ?? d.promptMean;
  const pP99 = d.prefillP99 ?? d.promptP99;
  const ttftServiceP99Seconds = 2 * tau + pP99 / it.prefillTokensPerSecond;
  const ttftServiceMeanSeconds = 1.5 * tau + pMean / it.prefillTokensPerSecond;
  const serviceSeconds = pMean / it.prefillTokensPerSecond + (d.outputMean + 0.5) * tau;
  const serviceScv = lognormalScv(d.outputMean, d.outputP99);
  const prefillServiceSeconds = pMean / it.prefillTokensPerSecond;
  const prefillScv = lognormalScv(d.promptMean, d.promptP99);
  const base = { maxSeqs: batch, serviceSeconds, serviceScv, ttftServiceP99Seconds, prefillServiceSeconds, prefillScv };
  // Both servers saturate: the batch slots at batch / serviceSeconds, the prefill at 1 / prefillServiceSeconds.
  // No planned-utilization cap on top: the queueing tails below already price utilization in.
  const capacity = Math.min(batch / serviceSeconds, 1 / prefillServiceSeconds) * (1 - 1e-9);
  let maxRate = 0;
  // A batch that cannot meet the TTFT at the best rate found so far cannot win: one evaluation
  // instead of a bisection (TTFT p99 grows with the rate, so the test is exact).
  if (ttftServiceP99Seconds < d.ttftP99Seconds && capacity > toBeat && (toBeat <= 0 || ttftP99At(base, toBeat) <= d.ttftP99Seconds)) {
    if (ttftP99At(base, capacity) <= d.ttftP99Seconds) maxRate = capacity;
    else {
      let lo = toBeat;
      let hi = capacity;
      for (let i = 0; i < 30; i++) {
        const mid = (lo + hi) / 2;
        if (ttftP99At(base, mid) <= d.ttftP99Seconds) lo = mid;
        else hi = mid;
      }
      maxRate = lo;
    }
  }
  return { maxSeqs: batch, tpotMeanSeconds: tau, tpotP99Seconds: tau * TPOT_P99_OVER_MEAN, ttftServiceP99Seconds, ttftServiceMeanSeconds, serviceSeconds, serviceScv, prefillServiceSeconds, prefillScv, maxRatePerReplica: maxRate };
}

/** Evaluates one (instance type, tensor-parallel size) candidate. */
export function evaluateCandidate(spec: GpuInstanceSpec, tensorParallel: number, d: InferenceDemand): FeasibleCandidate | Rejection {
  const w = weightBytes(d.model);
  const kvTok = kvBytesPerToken(d.model);
  const usable = usableBytesPerGpu(spec);
  const kvBudget = tensorParallel * usable - w;
  const oneMaxSequence = kvTok * d.model.maxContextTokens;
  if (kvBudget < oneMaxSequence) {
    const neededPerGpuGiB = ((w + oneMaxSequence) / tensorParallel / GIB + RUNTIME_OVERHEAD_GIB_PER_GPU) / DEFAULT_GPU_MEMORY_UTILIZATION;
    return { kind: "memory", spec, tensorParallel, neededPerGpuGiB };
  }
  const memorySeqs = Math.floor(kvBudget / (kvTok * (d.promptMean + d.outputMean)));
  const it = iterationModel(spec, tensorParallel, d.model, { promptTokensMean: d.promptMean, outputTokensMean: d.outputMean, prefillTokensMean: d.prefillMean ?? d.promptMean }, d.efficiency);
  const floor = iterationSeconds(it, 1) * TPOT_P99_OVER_MEAN;
  if (floor > d.tpotP99Seconds) return { kind: "tpot", spec, tensorParallel, floorSeconds: floor };
  const tpotSeqs = Math.floor((d.tpotP99Seconds / TPOT_P99_OVER_MEAN - it.fixedSeconds) / it.perSequenceSeconds);
  const cap = Math.max(1, Math.min(memorySeqs, tpotSeqs));
  // A full batch maximizes throughput but lengthens every iteration (and so TTFT). Try every
  // batch of a fixed geometric grid (ratio 2^(1/8)) up to the cap and keep the one that admits the
  // most requests/s within the TTFT p99. A fixed grid keeps the choice monotone: a tighter SLO
  // only removes options, so it can never yield a faster replica.
  let best: ReturnType<typeof operatingPoint> | undefined;
  // Descending, with a cheap upper bound (the slot capacity) to skip batches that cannot win.
  for (let i = BATCH_GRID.length - 1; i >= 0; i--) {
    const batch = BATCH_GRID[i] as number;
    if (batch > cap) continue;
    const op = operatingPoint(it, batch, d, best?.maxRatePerReplica ?? 0);
    if (op.maxRatePerReplica > (best?.maxRatePerReplica ?? 0)) best = op;
  }
  if (!best) best = operatingPoint(it, 1, d);
  const chosen = best as ReturnType<typeof operatingPoint>;
  if (chosen.maxRatePerReplica <= 0) {
    return { kind: "ttft", spec, tensorParallel, floorSeconds: operatingPoint(it, 1, d).ttftServiceP99Seconds };
  }
  return {
    kind: "ok",
    spec,
    tensorParallel,
    replicasPerNode: spec.gpuCount / tensorParallel,
    iteration: it,
    memorySeqs,
    weightsBytes: w,
    kvBytesPerToken: kvTok,
    kvBudgetBytes: kvBudget,
    usablePerGpuBytes: usable,
    ...chosen,
  };
}

/** Every (spec, TP) pair to try: TP in {1,2,4,8}, dividing the node's GPU count. */
export function candidatePairs(specs: readonly GpuInstanceSpec[]): { spec: GpuInstanceSpec; tensorParallel: number }[] {
  const out: { spec: GpuInstanceSpec; tensorParallel: number }[] = [];
  for (const spec of specs) {
    for (const tp of TENSOR_PARALLEL_SIZES) if (tp <= spec.gpuCount && spec.gpuCount % tp === 0) out.push({ spec, tensorParallel: tp });
  }
  return out;
}

/**
 * GPU nodes for `replicas` spread evenly over `zones` AZs (topology spread, maxSkew 1): each AZ
 * needs its own nodes, so this is sum over AZs of ceil(replicas in AZ / replicasPerNode); with one
 * AZ (or one replica per node) it is ceil(replicas / replicasPerNode).
 */
export function nodesFor(replicas: number, replicasPerNode: number, zones: number): number {
  if (zones <= 1 || replicasPerNode === 1) return Math.ceil(replicas / replicasPerNode);
  let nodes = 0;
  for (let z = 0; z < zones; z++) {
    const inZone = Math.floor(replicas / zones) + (z < replicas % zones ? 1 : 0);
    nodes += Math.ceil(inZone / replicasPerNode);
  }
  return nodes;
}

/** Smallest replica count that keeps `needed` replicas after losing the largest AZ, and at least 2, over `zones` >= 2 AZs. */
export function replicasSurvivingOneAz(needed: number, zones: number): number {
  if (zones < 2) return Math.max(1, needed);
  let m = Math.max(2, needed);
  while (m - Math.ceil(m / zones) < needed) m++;
  return m;
}

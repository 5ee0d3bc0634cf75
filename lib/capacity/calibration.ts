/**
 * Published serving points, the least-squares fit of the roofline efficiencies on them, and the
 * validation table (`npm run plan -- --validate`).
 *
 * Each point is a closed-division MLPerf Inference result (one `mlperf_log_summary.txt`), cited by
 * repository and path. A Server point gives the decode concurrency by Little's law
 * (B = requests/s per replica x (e2e mean - TTFT mean)) and the TPOT it ran at; an Offline point runs
 * at the largest batch its KV memory holds and gives throughput only. Both are linear in the inverse
 * efficiencies (1/e_bw, 1/e_c) of {@link iterationModel}, so the fit is an ordinary least squares on
 * relative errors. Results from a newer software generation share the efficiencies times one fitted
 * speed-up factor per generation (the same hardware got 1.28x faster from v4.1 to v5.0 Offline).
 */
import { findGpuInstance } from "./catalog";
import { iterationModel, iterationSeconds, weightBytes, kvBytesPerToken, type Efficiency } from "./llm";
import { DEFAULT_GPU_MEMORY_UTILIZATION, GIB, MIB, RUNTIME_OVERHEAD_GIB_PER_GPU } from "./constants";
import type { ModelInput } from "./types";

/** A published measurement of one system serving one model. */
export interface PublishedPoint {
  /** Short label, e.g. `v4.1 8xH100 Llama-2-70B Server`. */
  readonly name: string;
  /** `calibration` points are fitted; `held-out` points only predicted. */
  readonly role: "calibration" | "held-out";
  /** MLPerf round, the software generation (efficiencies are shared within one). */
  readonly generation: "v4.0" | "v4.1" | "v5.0";
  readonly scenario: "Server" | "Offline";
  /** Catalog instance type of the GPU (p5.48xlarge = 8x H100 SXM, p5en.48xlarge = 8x H200). */
  readonly instanceType: string;
  readonly gpus: number;
  readonly tensorParallel: number;
  readonly model: ModelInput;
  readonly promptTokensMean: number;
  /** Server limits of the benchmark. */
  readonly limits: { readonly ttftP99Seconds: number; readonly tpotP99Seconds: number };
  readonly measured: {
    readonly outputTokensPerSecond: number;
    readonly requestsPerSecond: number;
    readonly ttftMeanSeconds?: number;
    readonly ttftP99Seconds?: number;
    readonly tpotMeanSeconds?: number;
    readonly tpotP99Seconds?: number;
    readonly e2eMeanSeconds?: number;
  };
  /** repository + path of the result, or where the figure comes from. */
  readonly source: string;
  /** What is assumed beyond the source. */
  readonly assumptions: string;
}

const LLAMA2_70B: ModelInput = { name: "meta-llama/Llama-2-70b-chat-hf", parametersBillions: 68.98, layers: 80, kvHeads: 8, headDim: 128, precision: "fp8", maxContextTokens: 4096 };
const MIXTRAL: ModelInput = { name: "mistralai/Mixtral-8x7B-Instruct-v0.1", parametersBillions: 46.7, activeParametersBillions: 12.9, layers: 32, kvHeads: 8, headDim: 128, precision: "fp8", maxContextTokens: 4096 };
const MLPERF_LIMITS = { ttftP99Seconds: 2, tpotP99Seconds: 0.2 } as const;
/** OpenOrca prompts of the MLPerf Llama-2-70B set, ~294 tokens (MLCommons task force; the fit moves ~4% per 50 tokens). */
const OPENORCA_PROMPT = 294;
const NV = "closed/NVIDIA/results";
const RUN = "performance/run_1/mlperf_log_summary.txt";

/** Every published point the model is fitted on or checked against. */
export const PUBLISHED_POINTS: readonly PublishedPoint[] = [
  {
    name: "v4.1 8xH100 Llama-2-70B Server", role: "calibration", generation: "v4.1", scenario: "Server", instanceType: "p5.48xlarge", gpus: 8, tensorParallel: 2, model: LLAMA2_70B, promptTokensMean: OPENORCA_PROMPT, limits: MLPERF_LIMITS,
    measured: { outputTokensPerSecond: 21_606, requestsPerSecond: 74.42, ttftMeanSeconds: 0.276, ttftP99Seconds: 0.461, tpotMeanSeconds: 0.155, tpotP99Seconds: 0.175, e2eMeanSeconds: 44.95 },
    source: `mlcommons/inference_results_v4.1 ${NV}/DGX-H100_H100-SXM-80GBx8_TRT/llama2-70b-99.9/Server/${RUN}`,
    assumptions: "FP8 weights and KV, TP2 (NVIDIA configs/llama2-70b/Server: tensor_parallelism = 2, use_fp8)",
  },
  {
    name: "v4.1 8xH100 Llama-2-70B Offline", role: "calibration", generation: "v4.1", scenario: "Offline", instanceType: "p5.48xlarge", gpus: 8, tensorParallel: 2, model: LLAMA2_70B, promptTokensMean: OPENORCA_PROMPT, limits: MLPERF_LIMITS,
    measured: { outputTokensPerSecond: 24_524.9, requestsPerSecond: 84.4792 },
    source: `mlcommons/inference_results_v4.1 ${NV}/DGX-H100_H100-SXM-80GBx8_TRT/llama2-70b-99.9/Offline/${RUN}`,
    assumptions: "batch = the sequences the KV memory holds at mean length",
  },
  {
    name: "v5.0 8xH100 Llama-2-70B Offline", role: "calibration", generation: "v5.0", scenario: "Offline", instanceType: "p5.48xlarge", gpus: 8, tensorParallel: 2, model: LLAMA2_70B, promptTokensMean: OPENORCA_PROMPT, limits: MLPERF_LIMITS,
    measured: { outputTokensPerSecond: 31_307, requestsPerSecond: 31_307 / (21_606 / 74.42) },
    source: "MLPerf Inference v5.0 closed, NVIDIA 8xH100 Llama-2-70B Offline, 31,307 tokens/s (figure given in issue #14)",
    assumptions: "same dataset (output tokens per sample as v4.1); newer TensorRT-LLM: the generation factor absorbs it",
  },
  {
    name: "v5.0 8xH200 Llama-2-70B Server", role: "calibration", generation: "v5.0", scenario: "Server", instanceType: "p5en.48xlarge", gpus: 8, tensorParallel: 1, model: LLAMA2_70B, promptTokensMean: OPENORCA_PROMPT, limits: MLPERF_LIMITS,
    measured: { outputTokensPerSecond: 33_071.46, requestsPerSecond: 113.04, ttftMeanSeconds: 0.398, ttftP99Seconds: 0.938, tpotMeanSeconds: 0.170, tpotP99Seconds: 0.182, e2eMeanSeconds: 49.88 },
    source: `ntuhpc/mlperf_inference_results_v5.0 (mirror of the v5.0 results) ${NV}/H200-SXM-141GBx8_TRT/llama2-70b-99.9/Server/${RUN}`,
    assumptions: "TP1 as in NVIDIA's v4.0 H200 config (tensor_parallelism = 1)",
  },
  {
    name: "v5.0 8xH200 Llama-2-70B Offline", role: "held-out", generation: "v5.0", scenario: "Offline", instanceType: "p5en.48xlarge", gpus: 8, tensorParallel: 1, model: LLAMA2_70B, promptTokensMean: OPENORCA_PROMPT, limits: MLPERF_LIMITS,
    measured: { outputTokensPerSecond: 34_988.2, requestsPerSecond: 120.008 },
    source: `ntuhpc/mlperf_inference_results_v5.0 (mirror of the v5.0 results) ${NV}/H200-SXM-141GBx8_TRT/llama2-70b-99/Offline/${RUN}`,
    assumptions: "the 99% accuracy target's run (the 99.9% Offline summary is not in the mirror; NVIDIA serves both with the same FP8 engine); TP1 as in the v5.0 H200 Server point; batch = the sequences the KV memory holds at mean length",
  },
  {
    name: "v4.0 8xH200 Llama-2-70B Server", role: "held-out", generation: "v4.0", scenario: "Server", instanceType: "p5en.48xlarge", gpus: 8, tensorParallel: 1, model: LLAMA2_70B, promptTokensMean: OPENORCA_PROMPT, limits: MLPERF_LIMITS,
    measured: { outputTokensPerSecond: 26_485.43, requestsPerSecond: 90.35, ttftMeanSeconds: 0.413, ttftP99Seconds: 0.753, tpotMeanSeconds: 0.1649, tpotP99Seconds: 0.195, e2eMeanSeconds: 48.39 },
    source: `mlcommons/inference_results_v4.0 ${NV}/H200-SXM-141GBx8_TRT/llama2-70b-99.9/Server/${RUN}`,
    assumptions: "TP1 (mlcommons/inference_results_v4.0 closed/NVIDIA/configs/llama2-70b/Server/__init__.py); predicted with v4.1 efficiencies (one generation older software)",
  },
  {
    name: "v4.0 8xH100 Llama-2-70B Offline", role: "held-out", generation: "v4.0", scenario: "Offline", instanceType: "p5.48xlarge", gpus: 8, tensorParallel: 2, model: LLAMA2_70B, promptTokensMean: OPENORCA_PROMPT, limits: MLPERF_LIMITS,
    measured: { outputTokensPerSecond: 21_805.8, requestsPerSecond: 74.699 },
    source: `mlcommons/inference_results_v4.0 ${NV}/DGX-H100_H100-SXM-80GBx8_TRT/llama2-70b-99.9/Offline/${RUN}`,
    assumptions: "predicted with v4.1 efficiencies (one generation older software)",
  },
  {
    name: "v4.1 8xH100 Mixtral-8x7B Server", role: "held-out", generation: "v4.1", scenario: "Server", instanceType: "p5.48xlarge", gpus: 8, tensorParallel: 1, model: MIXTRAL, promptTokensMean: 400, limits: MLPERF_LIMITS,
    measured: { outputTokensPerSecond: 50_795.57, requestsPerSecond: 348.06, ttftMeanSeconds: 0.180, ttftP99Seconds: 0.629, tpotMeanSeconds: 0.1026, tpotP99Seconds: 0.1231, e2eMeanSeconds: 15.016 },
    source: `mlcommons/inference_results_v4.1 ${NV}/DGX-H100_H100-SXM-80GBx8_TRT/mixtral-8x7b/Server/${RUN}`,
    assumptions: "ASSUMPTION: prompt mean 400 tokens (OpenOrca, GSM8K and MBXP mix; not published in the summary) and TP1; MoE reads all experts' weights per step, computes with 12.9B active",
  },
];

/** The generation whose efficiencies the planner uses (the oldest fitted one: conservative for vLLM). */
export const REFERENCE_GENERATION = "v4.1";

/** Fitted efficiencies with their residuals. */
export interface EfficiencyFit {
  /** Achieved fraction of HBM bandwidth in decode (weights + KV reads). */
  readonly decodeBandwidth: number;
  /** Achieved fraction of dense tensor FLOPS in the mixed (chunked prefill + decode) steps. */
  readonly decodeCompute: number;
  /** Speed-up of each software generation relative to {@link REFERENCE_GENERATION}. */
  readonly generationSpeedup: Readonly<Record<string, number>>;
  /** Relative residual (predicted / measured - 1) of every calibration point. */
  readonly residuals: Readonly<Record<string, number>>;
}

/** Coefficients (per unit 1/e_bw, per unit 1/e_c) and target of one point's linear equation. */
function equation(p: PublishedPoint): { readonly bw: number; readonly compute: number; readonly target: number; readonly batch: number } {
  const spec = findGpuInstance(p.instanceType);
  if (!spec) throw new Error(`catalog is missing ${p.instanceType}`);
  const unit = iterationModel(spec, p.tensorParallel, p.model, { promptTokensMean: p.promptTokensMean, outputTokensMean: outputMean(p) }, { prefillCompute: 1, decodeBandwidth: 1, decodeCompute: 1 });
  const replicas = p.gpus / p.tensorParallel;
  // tau(B) = (fixedBw + B x perSeqBw) / e_bw + B x perSeqCompute / e_c.
  if (p.scenario === "Server") {
    const m = p.measured;
    const batch = (m.requestsPerSecond / replicas) * ((m.e2eMeanSeconds as number) - (m.ttftMeanSeconds as number));
    return { bw: unit.fixedSeconds + batch * unit.perSequenceBandwidthSeconds, compute: batch * unit.perSequenceComputeSeconds, target: m.tpotMeanSeconds as number, batch };
  }
  const batch = offlineBatch(p);
  // Seconds per output token of one replica = tau(B) / B.
  return { bw: unit.fixedSeconds / batch + unit.perSequenceBandwidthSeconds, compute: unit.perSequenceComputeSeconds, target: replicas / p.measured.outputTokensPerSecond, batch };
}

function outputMean(p: PublishedPoint): number {
  return p.measured.outputTokensPerSecond / p.measured.requestsPerSecond;
}

/** Sequences an Offline replica runs at once: what its KV memory holds at mean length. */
function offlineBatch(p: PublishedPoint): number {
  const spec = findGpuInstance(p.instanceType);
  if (!spec) throw new Error(`catalog is missing ${p.instanceType}`);
  const usable = spec.gpuMemoryMiB * MIB * DEFAULT_GPU_MEMORY_UTILIZATION - RUNTIME_OVERHEAD_GIB_PER_GPU * GIB;
  return Math.floor((p.tensorParallel * usable - weightBytes(p.model)) / (kvBytesPerToken(p.model) * (p.promptTokensMean + outputMean(p))));
}

/**
 * Least-squares fit of (1/e_bw, 1/e_c) on the calibration points' relative errors, with the
 * generation speed-up of each other fitted generation found by a fine scan (it multiplies both).
 */
export function fitEfficiencies(points: readonly PublishedPoint[] = PUBLISHED_POINTS): EfficiencyFit {
  const cal = points.filter((p) => p.role === "calibration");
  const generations = [...new Set(cal.map((p) => p.generation))].filter((g) => g !== REFERENCE_GENERATION);
  const eqs = cal.map((p) => ({ p, e: equation(p) }));
  let best: { err: number; x: [number, number]; speed: Record<string, number> } | undefined;
  // One extra generation in the data set (v5.0): scan its time factor; more would need a nested scan.
  const scan = generations.length === 0 ? [1] : Array.from({ length: 801 }, (_, i) => 0.5 + i * 0.000625);
  for (const s of scan) {
    const factor = (g: string): number => (g === REFERENCE_GENERATION ? 1 : s);
    // Normal equations of min sum (a x bw_i f_i / t_i + c x cmp_i f_i / t_i - 1)^2.
    let s11 = 0, s12 = 0, s22 = 0, r1 = 0, r2 = 0;
    for (const { p, e } of eqs) {
      const u = (e.bw * factor(p.generation)) / e.target;
      const v = (e.compute * factor(p.generation)) / e.target;
      s11 += u * u; s12 += u * v; s22 += v * v; r1 += u; r2 += v;
    }
    const det = s11 * s22 - s12 * s12;
    if (Math.abs(det) < 1e-30) continue;
    const a = (r1 * s22 - r2 * s12) / det;
    const c = (r2 * s11 - r1 * s12) / det;
    if (a < 1 || c < 1) continue; // efficiencies must lie in (0, 1]
    let err = 0;
    for (const { p, e } of eqs) err += (((a * e.bw + c * e.compute) * factor(p.generation)) / e.target - 1) ** 2;
    if (!best || err < best.err) best = { err, x: [a, c], speed: Object.fromEntries(generations.map((g) => [g, 1 / s])) };
  }
  if (!best) throw new Error("efficiency fit found no physical solution");
  const [a, c] = best.x;
  const speed: Record<string, number> = { [REFERENCE_GENERATION]: 1, ...best.speed };
  const residuals: Record<string, number> = {};
  for (const { p, e } of eqs) residuals[p.name] = e.target / (((a * e.bw + c * e.compute) / (speed[p.generation] ?? 1))) - 1;
  return { decodeBandwidth: 1 / a, decodeCompute: 1 / c, generationSpeedup: speed, residuals };
}

/** One row of the validation table. */
export interface ValidationRow {
  readonly point: PublishedPoint;
  /** Decode sequences per replica the prediction runs at. */
  readonly batch: number;
  readonly measuredTokensPerSecond: number;
  readonly predictedTokensPerSecond: number;
  /** predicted / measured - 1. */
  readonly error: number;
  /** Predicted TPOT mean at that batch, s (Server points). */
  readonly predictedTpotMeanSeconds?: number;
}

/**
 * Predicts every published point with `efficiency` (generation speed-ups from the fit, v4.0 at the
 * reference generation's efficiency): throughput at the measured concurrency (Server) or at the
 * KV-memory batch (Offline).
 */
export function validationTable(efficiency: Efficiency, fit: EfficiencyFit, points: readonly PublishedPoint[] = PUBLISHED_POINTS): ValidationRow[] {
  return points.map((p) => {
    const spec = findGpuInstance(p.instanceType);
    if (!spec) throw new Error(`catalog is missing ${p.instanceType}`);
    const it = iterationModel(spec, p.tensorParallel, p.model, { promptTokensMean: p.promptTokensMean, outputTokensMean: outputMean(p) }, efficiency);
    const speed = fit.generationSpeedup[p.generation] ?? 1;
    const replicas = p.gpus / p.tensorParallel;
    const e = equation(p);
    const tau = iterationSeconds(it, e.batch) / speed;
    const predicted = (replicas * e.batch) / tau;
    const measured = p.scenario === "Server" ? (replicas * e.batch) / (p.measured.tpotMeanSeconds as number) : p.measured.outputTokensPerSecond;
    // Server: the published throughput, predicted as the same concurrency at the model's TPOT.
    const shown = p.scenario === "Server" ? p.measured.outputTokensPerSecond * (predicted / measured) : predicted;
    return {
      point: p,
      batch: Math.round(e.batch),
      measuredTokensPerSecond: p.measured.outputTokensPerSecond,
      predictedTokensPerSecond: shown,
      error: shown / p.measured.outputTokensPerSecond - 1,
      ...(p.scenario === "Server" ? { predictedTpotMeanSeconds: tau } : {}),
    };
  });
}

/** Renders the validation table as Markdown-style text. */
export function formatValidationTable(rows: readonly ValidationRow[], fit: EfficiencyFit): string {
  const pct = (x: number): string => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
  const lines = [
    `Roofline fit: decode bandwidth efficiency ${fit.decodeBandwidth.toFixed(3)}, compute efficiency ${fit.decodeCompute.toFixed(3)} (least squares on ${Object.keys(fit.residuals).length} calibration points); software speed-up ${Object.entries(fit.generationSpeedup).map(([g, s]) => `${g} x${s.toFixed(3)}`).join(", ")}`,
    "",
    "| point | role | batch/replica | measured tok/s | predicted tok/s | error | TPOT mean measured / predicted | TTFT p99 measured |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const m = r.point.measured;
    const tpot = m.tpotMeanSeconds !== undefined && r.predictedTpotMeanSeconds !== undefined ? `${(m.tpotMeanSeconds * 1000).toFixed(0)} / ${(r.predictedTpotMeanSeconds * 1000).toFixed(0)} ms` : "-";
    const ttft = m.ttftP99Seconds !== undefined ? `${(m.ttftP99Seconds * 1000).toFixed(0)} ms` : "-";
    lines.push(`| ${r.point.name} | ${r.point.role} | ${r.batch} | ${Math.round(r.measuredTokensPerSecond).toLocaleString("en-US")} | ${Math.round(r.predictedTokensPerSecond).toLocaleString("en-US")} | ${pct(r.error)} | ${tpot} | ${ttft} |`);
  }
  lines.push("", "Sources:");
  for (const r of rows) lines.push(`- ${r.point.name}: ${r.point.source}; ${r.point.assumptions}`);
  return lines.join("\n");
}

const FIT = fitEfficiencies();

/**
 * Default efficiencies: the least-squares fit at the reference generation (v4.1 software). The
 * prompt's own prefill uses the fitted compute efficiency too: the published points do not separate
 * it (their 294-token prompts make TTFT mostly scheduling), see lib/capacity/README.md.
 */
export const DEFAULT_EFFICIENCY: Efficiency = Object.freeze({ prefillCompute: FIT.decodeCompute, decodeBandwidth: FIT.decodeBandwidth, decodeCompute: FIT.decodeCompute });

/** The fit behind {@link DEFAULT_EFFICIENCY}. */
export const DEFAULT_EFFICIENCY_FIT: EfficiencyFit = FIT;

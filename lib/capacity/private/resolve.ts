/**
 * Validation of a {@link CapacityInput} and the filling of every default. Every problem is
 * collected before anything is thrown, so a user sees them all at once.
 */
import { Problems } from "../../core/validation";
import { findGpuInstance, GPU_INSTANCE_CATALOG } from "../catalog";
import {
  DEFAULT_AVAILABILITY_ZONES,
  DEFAULT_BASELINE_FRACTION,
  DEFAULT_BATCH_START_CLOCK_SECONDS,
  DEFAULT_BATCH_SUBMIT_SECONDS,
  DEFAULT_DAILY_PEAK_RAMP_SECONDS,
  DEFAULT_GPU_PROVISIONING_SECONDS,
  DEFAULT_KV_REMOTE_TIER_SECONDS,
  MAX_KV_REMOTE_TIER_SECONDS,
  DEFAULT_MAX_QUEUE_DELAY_SECONDS,
  DEFAULT_PAYLOAD_BYTES,
  DEFAULT_READ_QUERIES_PER_REQUEST,
  DEFAULT_REGION,
  DEFAULT_SAFETY_FACTOR,
  DEFAULT_TOKEN_P99_FACTOR,
  DEFAULT_WRITE_QUERIES_PER_REQUEST,
} from "../constants";
import { CAPACITY_CODES, CapacityError } from "../errors";
import { checkKnownKeys } from "./strict-keys";
import { DEFAULT_EFFICIENCY } from "../calibration";
import type { CapacityInput, GpuInstanceSpec, Precision, RoutingMode } from "../types";

/** The input with every default filled in, plus the resolved GPU candidates. */
export interface ResolvedInput {
  readonly input: CapacityInput;
  readonly candidates: readonly GpuInstanceSpec[];
  readonly prefillEfficiency: number;
  readonly decodeEfficiency: number;
  readonly decodeComputeEfficiency: number;
}

const PRECISIONS: readonly Precision[] = ["bf16", "fp16", "fp8", "int4"];
const ROUTING_MODES: readonly RoutingMode[] = ["prefix-affinity", "least-load"];
const C = CAPACITY_CODES.invalidField;
const U = CAPACITY_CODES.unknownField;

/** The fields each object of a CapacityInput may have (types.ts); anything else is a typo. */
export const CAPACITY_INPUT_KEYS = {
  root: ["workload", "model", "gpu", "safetyFactor", "availabilityZones", "gpuProvisioningSeconds", "gpuProvisioning", "region"],
  workload: ["peakRequestsPerSecond", "baselineRequestsPerSecond", "promptTokens", "outputTokens", "slo", "spike", "asyncShare", "dailyPeak", "batchJobs", "maxQueueDelaySeconds", "prefixCache", "payloadBytes", "readQueriesPerRequest", "writeQueriesPerRequest"],
  tokens: ["mean", "p99"],
  prefixCache: ["promptTokenHitShare", "routing", "remoteTierSeconds"],
  dailyPeak: ["startClockSeconds", "durationSeconds", "rampSeconds"],
  batchJob: ["requests", "deadlineSeconds", "submitSeconds", "startClockSeconds"],
  slo: ["ttftP99Seconds", "tpotP99Seconds", "availability"],
  spike: ["multiplier", "rampSeconds", "durationSeconds"],
  model: ["name", "parametersBillions", "activeParametersBillions", "layers", "kvHeads", "headDim", "mla", "precision", "maxContextTokens"],
  mla: ["kvLoraRank", "qkRopeHeadDim"],
  gpu: ["instanceTypes", "efficiency"],
  efficiency: ["prefillCompute", "decodeBandwidth", "decodeCompute"],
  instanceSpec: ["instanceType", "gpuModel", "family", "gpuCount", "gpuMemoryMiB", "memoryBandwidthGBps", "bf16Tflops", "fp8Tflops", "vcpus", "memoryGiB", "networkGbps", "onDemandUsdPerHour"],
} as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates `raw` as a CapacityInput, throws {@link CapacityError} listing every problem, returns it with defaults. */
export function resolveInput(raw: unknown): ResolvedInput {
  const p = new Problems("capacity input");
  if (!isObject(raw)) {
    p.add(C, "input", raw, "an object with `workload` and `model`");
    throw new CapacityError("capacity input", p.list);
  }
  const K = CAPACITY_INPUT_KEYS;
  checkKnownKeys(p, U, "", raw, K.root);
  const w = isObject(raw.workload) ? raw.workload : undefined;
  const m = isObject(raw.model) ? raw.model : undefined;
  if (!w) p.add(C, "workload", raw.workload, "an object (peakRequestsPerSecond, promptTokens, outputTokens, slo, ...)");
  if (!m) p.add(C, "model", raw.model, "an object (name, parametersBillions, layers, kvHeads, headDim, precision, maxContextTokens)");

  const num = (path: string, value: unknown, range: Parameters<Problems["checkNumber"]>[3]): boolean => p.checkNumber(C, path, value, range);
  const opt = (path: string, value: unknown, range: Parameters<Problems["checkNumber"]>[3]): boolean => value === undefined || num(path, value, range);

  // ---- workload
  if (w) {
    // cacheHitRatio is known but removed: it gets its own error below, naming its replacement.
    checkKnownKeys(p, U, "workload", w, [...K.workload, "cacheHitRatio"]);
    num("workload.peakRequestsPerSecond", w.peakRequestsPerSecond, { min: 0, exclusiveMin: true, max: 1_000_000 });
    opt("workload.baselineRequestsPerSecond", w.baselineRequestsPerSecond, { min: 0, max: 1_000_000 });
    if (typeof w.baselineRequestsPerSecond === "number" && typeof w.peakRequestsPerSecond === "number" && w.baselineRequestsPerSecond > w.peakRequestsPerSecond) {
      p.add(C, "workload.baselineRequestsPerSecond", w.baselineRequestsPerSecond, `at most peakRequestsPerSecond (${w.peakRequestsPerSecond})`);
    }
    for (const key of ["promptTokens", "outputTokens"] as const) {
      const d = w[key];
      if (!isObject(d)) {
        p.add(C, `workload.${key}`, d, "an object { mean, p99? } in tokens");
        continue;
      }
      checkKnownKeys(p, U, `workload.${key}`, d, K.tokens);
      const okMean = num(`workload.${key}.mean`, d.mean, { min: 1, max: 10_000_000 });
      if (d.p99 !== undefined && num(`workload.${key}.p99`, d.p99, { min: 1, max: 10_000_000 }) && okMean && (d.p99 as number) < (d.mean as number)) {
        p.add(C, `workload.${key}.p99`, d.p99, `at least the mean (${String(d.mean)})`);
      }
    }
    if (!isObject(w.slo)) p.add(C, "workload.slo", w.slo, "an object { ttftP99Seconds, tpotP99Seconds, availability }");
    else {
      checkKnownKeys(p, U, "workload.slo", w.slo, K.slo);
      num("workload.slo.ttftP99Seconds", w.slo.ttftP99Seconds, { min: 0, exclusiveMin: true, max: 3600 });
      num("workload.slo.tpotP99Seconds", w.slo.tpotP99Seconds, { min: 0, exclusiveMin: true, max: 60 });
      // 1.0 is excluded on purpose: a 100% objective leaves no error budget for the burn-rate alerts.
      num("workload.slo.availability", w.slo.availability, { min: 0.9, max: 0.99999 });
    }
    if (w.spike !== undefined) {
      if (!isObject(w.spike)) p.add(C, "workload.spike", w.spike, "an object { multiplier, rampSeconds, durationSeconds }");
      else {
        checkKnownKeys(p, U, "workload.spike", w.spike, K.spike);
        num("workload.spike.multiplier", w.spike.multiplier, { min: 1, max: 100 });
        num("workload.spike.rampSeconds", w.spike.rampSeconds, { min: 0, max: 86_400 });
        num("workload.spike.durationSeconds", w.spike.durationSeconds, { min: 0, max: 7 * 86_400 });
      }
    }
    opt("workload.asyncShare", w.asyncShare, { min: 0, max: 1 });
    opt("workload.maxQueueDelaySeconds", w.maxQueueDelaySeconds, { min: 1, max: 7 * 86_400 });
    if (w.cacheHitRatio !== undefined) {
      p.add(CAPACITY_CODES.removedField, "workload.cacheHitRatio", w.cacheHitRatio, "no such field any more: no deployed component answers whole requests from a cache. Declare the prefix-cache reuse the serving path delivers instead: workload.prefixCache { promptTokenHitShare, routing? }");
    }
    if (w.dailyPeak !== undefined) {
      if (!isObject(w.dailyPeak)) p.add(C, "workload.dailyPeak", w.dailyPeak, "an object { startClockSeconds, durationSeconds, rampSeconds? }");
      else {
        checkKnownKeys(p, U, "workload.dailyPeak", w.dailyPeak, K.dailyPeak);
        num("workload.dailyPeak.startClockSeconds", w.dailyPeak.startClockSeconds, { min: 0, max: 86_399 });
        num("workload.dailyPeak.durationSeconds", w.dailyPeak.durationSeconds, { min: 60, max: 12 * 3600 });
        opt("workload.dailyPeak.rampSeconds", w.dailyPeak.rampSeconds, { min: 0, max: 3 * 3600 });
      }
    }
    if (w.batchJobs !== undefined) {
      if (!Array.isArray(w.batchJobs)) p.add(C, "workload.batchJobs", w.batchJobs, "an array of { requests, deadlineSeconds, submitSeconds?, startClockSeconds? }");
      else {
        w.batchJobs.forEach((job: unknown, i: number) => {
          const path = `workload.batchJobs[${i}]`;
          if (!isObject(job)) {
            p.add(C, path, job, "an object { requests, deadlineSeconds, submitSeconds?, startClockSeconds? }");
            return;
          }
          checkKnownKeys(p, U, path, job, K.batchJob);
          num(`${path}.requests`, job.requests, { min: 1, max: 100_000_000, integer: true });
          const okDeadline = num(`${path}.deadlineSeconds`, job.deadlineSeconds, { min: 60, max: 7 * 86_400 });
          if (opt(`${path}.submitSeconds`, job.submitSeconds, { min: 1, max: 86_400 }) && okDeadline && typeof job.submitSeconds === "number" && job.submitSeconds >= (job.deadlineSeconds as number)) {
            p.add(C, `${path}.submitSeconds`, job.submitSeconds, `less than deadlineSeconds (${String(job.deadlineSeconds)})`);
          }
          opt(`${path}.startClockSeconds`, job.startClockSeconds, { min: 0, max: 86_399 });
        });
      }
    }
    if (w.prefixCache !== undefined) {
      if (!isObject(w.prefixCache)) p.add(C, "workload.prefixCache", w.prefixCache, "an object { promptTokenHitShare, routing?, remoteTierSeconds? }");
      else {
        checkKnownKeys(p, U, "workload.prefixCache", w.prefixCache, K.prefixCache);
        num("workload.prefixCache.promptTokenHitShare", w.prefixCache.promptTokenHitShare, { min: 0, max: 0.95 });
        if (w.prefixCache.routing !== undefined) p.checkOneOf(C, "workload.prefixCache.routing", w.prefixCache.routing, ROUTING_MODES);
        // A positive horizon deploys LMCache's Valkey tier; the plan then sizes its memory and bandwidth.
        opt("workload.prefixCache.remoteTierSeconds", w.prefixCache.remoteTierSeconds, { min: 0, max: MAX_KV_REMOTE_TIER_SECONDS });
      }
    }
    opt("workload.payloadBytes", w.payloadBytes, { min: 64, max: 100 * 1024 * 1024, integer: true });
    opt("workload.readQueriesPerRequest", w.readQueriesPerRequest, { min: 0, max: 1000 });
    opt("workload.writeQueriesPerRequest", w.writeQueriesPerRequest, { min: 0, max: 1000 });
  }

  // ---- model
  if (m) {
    checkKnownKeys(p, U, "model", m, K.model);
    if (typeof m.name !== "string" || m.name.trim() === "") p.add(C, "model.name", m.name, "a non-empty model identifier, e.g. meta-llama/Llama-3.1-70B-Instruct");
    num("model.parametersBillions", m.parametersBillions, { min: 0, exclusiveMin: true, max: 10_000 });
    if (opt("model.activeParametersBillions", m.activeParametersBillions, { min: 0, exclusiveMin: true, max: 10_000 }) && typeof m.activeParametersBillions === "number" && typeof m.parametersBillions === "number" && m.activeParametersBillions > m.parametersBillions) {
      p.add(C, "model.activeParametersBillions", m.activeParametersBillions, `at most parametersBillions (${m.parametersBillions})`);
    }
    num("model.layers", m.layers, { min: 1, max: 1000, integer: true });
    num("model.kvHeads", m.kvHeads, { min: 1, max: 1024, integer: true });
    num("model.headDim", m.headDim, { min: 1, max: 4096, integer: true });
    if (m.mla !== undefined) {
      if (!isObject(m.mla)) p.add(C, "model.mla", m.mla, "an object { kvLoraRank, qkRopeHeadDim }");
      else {
        checkKnownKeys(p, U, "model.mla", m.mla, K.mla);
        num("model.mla.kvLoraRank", m.mla.kvLoraRank, { min: 1, max: 65_536, integer: true });
        num("model.mla.qkRopeHeadDim", m.mla.qkRopeHeadDim, { min: 0, max: 4096, integer: true });
      }
    }
    p.checkOneOf(C, "model.precision", m.precision, PRECISIONS);
    num("model.maxContextTokens", m.maxContextTokens, { min: 16, max: 10_000_000, integer: true });
  }

  // ---- top level
  opt("safetyFactor", raw.safetyFactor, { min: 1, max: 3 });
  opt("availabilityZones", raw.availabilityZones, { min: 1, max: 6, integer: true });
  opt("gpuProvisioningSeconds", raw.gpuProvisioningSeconds, { min: 0, max: 86_400 });
  checkProvisioningBreakdown(p, C, raw.gpuProvisioning, raw.gpuProvisioningSeconds);
  if (raw.region !== undefined && (typeof raw.region !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(raw.region))) {
    p.add(C, "region", raw.region, 'an AWS region name such as "us-east-1"');
  }

  // ---- GPU candidates and efficiency
  const candidates: GpuInstanceSpec[] = [];
  let prefillEfficiency = DEFAULT_EFFICIENCY.prefillCompute;
  let decodeEfficiency = DEFAULT_EFFICIENCY.decodeBandwidth;
  let decodeComputeEfficiency = DEFAULT_EFFICIENCY.decodeCompute;
  const gpuIn = raw.gpu;
  if (gpuIn !== undefined && !isObject(gpuIn)) p.add(C, "gpu", gpuIn, "an object { instanceTypes?, efficiency? }");
  const g = isObject(gpuIn) ? gpuIn : {};
  if (isObject(gpuIn)) checkKnownKeys(p, U, "gpu", gpuIn, K.gpu);
  if (g.instanceTypes === undefined) candidates.push(...GPU_INSTANCE_CATALOG);
  else if (!Array.isArray(g.instanceTypes) || g.instanceTypes.length === 0) {
    p.add(C, "gpu.instanceTypes", g.instanceTypes, "a non-empty array of catalog names or GpuInstanceSpec objects");
  } else {
    g.instanceTypes.forEach((entry: unknown, i: number) => {
      const path = `gpu.instanceTypes[${i}]`;
      if (typeof entry === "string") {
        const spec = findGpuInstance(entry);
        if (spec) candidates.push(spec);
        else p.add(CAPACITY_CODES.unknownInstanceType, path, entry, `one of ${GPU_INSTANCE_CATALOG.map((s) => s.instanceType).join(", ")}, or a full GpuInstanceSpec object`);
      } else if (isObject(entry)) {
        const before = p.list.length;
        checkKnownKeys(p, U, path, entry, K.instanceSpec);
        if (typeof entry.instanceType !== "string" || entry.instanceType === "") p.add(C, `${path}.instanceType`, entry.instanceType, "an EC2 instance type name");
        if (typeof entry.gpuModel !== "string" || entry.gpuModel === "") p.add(C, `${path}.gpuModel`, entry.gpuModel, "a GPU model name");
        if (typeof entry.family !== "string" || entry.family === "") p.add(C, `${path}.family`, entry.family, "an instance family, e.g. p5");
        num(`${path}.gpuCount`, entry.gpuCount, { min: 1, max: 64, integer: true });
        num(`${path}.gpuMemoryMiB`, entry.gpuMemoryMiB, { min: 1024, max: 4_194_304 });
        num(`${path}.memoryBandwidthGBps`, entry.memoryBandwidthGBps, { min: 0, exclusiveMin: true, max: 1_000_000 });
        num(`${path}.bf16Tflops`, entry.bf16Tflops, { min: 0, exclusiveMin: true, max: 1_000_000 });
        opt(`${path}.fp8Tflops`, entry.fp8Tflops, { min: 0, exclusiveMin: true, max: 1_000_000 });
        num(`${path}.vcpus`, entry.vcpus, { min: 1, max: 100_000, integer: true });
        num(`${path}.memoryGiB`, entry.memoryGiB, { min: 0, exclusiveMin: true, max: 1_000_000 });
        num(`${path}.networkGbps`, entry.networkGbps, { min: 0, exclusiveMin: true, max: 1_000_000 });
        num(`${path}.onDemandUsdPerHour`, entry.onDemandUsdPerHour, { min: 0, exclusiveMin: true, max: 100_000 });
        if (p.list.length === before) candidates.push(entry as unknown as GpuInstanceSpec);
      } else {
        p.add(C, path, entry, "a catalog instance type name or a GpuInstanceSpec object");
      }
    });
  }
  if (g.efficiency !== undefined) {
    if (!isObject(g.efficiency)) p.add(C, "gpu.efficiency", g.efficiency, "an object { prefillCompute?, decodeBandwidth?, decodeCompute? }");
    else {
      checkKnownKeys(p, U, "gpu.efficiency", g.efficiency, K.efficiency);
      if (opt("gpu.efficiency.prefillCompute", g.efficiency.prefillCompute, { min: 0, exclusiveMin: true, max: 1 }) && typeof g.efficiency.prefillCompute === "number") {
        prefillEfficiency = g.efficiency.prefillCompute;
      }
      if (opt("gpu.efficiency.decodeBandwidth", g.efficiency.decodeBandwidth, { min: 0, exclusiveMin: true, max: 1 }) && typeof g.efficiency.decodeBandwidth === "number") {
        decodeEfficiency = g.efficiency.decodeBandwidth;
      }
      if (opt("gpu.efficiency.decodeCompute", g.efficiency.decodeCompute, { min: 0, exclusiveMin: true, max: 1 }) && typeof g.efficiency.decodeCompute === "number") {
        decodeComputeEfficiency = g.efficiency.decodeCompute;
      }
    }
  }

  // ---- cross-field: tokens within the context
  if (w && m && isObject(w.promptTokens) && isObject(w.outputTokens) && typeof m.maxContextTokens === "number") {
    const pm = w.promptTokens.mean;
    const om = w.outputTokens.mean;
    if (typeof pm === "number" && typeof om === "number" && pm + om > m.maxContextTokens) {
      p.add(CAPACITY_CODES.contextTooShort, "model.maxContextTokens", m.maxContextTokens, `at least promptTokens.mean + outputTokens.mean = ${pm + om}; raise maxContextTokens or shorten prompts`);
    }
    for (const key of ["promptTokens", "outputTokens"] as const) {
      const d = w[key] as Record<string, unknown>;
      if (typeof d.p99 === "number" && d.p99 > m.maxContextTokens) {
        p.add(CAPACITY_CODES.contextTooShort, `workload.${key}.p99`, d.p99, `at most model.maxContextTokens (${m.maxContextTokens})`);
      }
    }
  }

  if (!p.ok) throw new CapacityError("capacity input", p.list);

  const input = raw as unknown as CapacityInput;
  const wl = input.workload;
  const md = input.model;
  const tailOf = (mean: number, other: number): number => Math.max(mean, Math.min(Math.round(mean * DEFAULT_TOKEN_P99_FACTOR), md.maxContextTokens - other));
  const filled: CapacityInput = {
    workload: {
      peakRequestsPerSecond: wl.peakRequestsPerSecond,
      baselineRequestsPerSecond: wl.baselineRequestsPerSecond ?? wl.peakRequestsPerSecond * DEFAULT_BASELINE_FRACTION,
      promptTokens: { mean: wl.promptTokens.mean, p99: wl.promptTokens.p99 ?? tailOf(wl.promptTokens.mean, wl.outputTokens.mean) },
      outputTokens: { mean: wl.outputTokens.mean, p99: wl.outputTokens.p99 ?? tailOf(wl.outputTokens.mean, wl.promptTokens.mean) },
      slo: { ...wl.slo },
      spike: wl.spike ? { ...wl.spike } : { multiplier: 1, rampSeconds: 0, durationSeconds: 0 },
      asyncShare: wl.asyncShare ?? 0,
      ...(wl.dailyPeak ? { dailyPeak: { startClockSeconds: wl.dailyPeak.startClockSeconds, durationSeconds: wl.dailyPeak.durationSeconds, rampSeconds: wl.dailyPeak.rampSeconds ?? DEFAULT_DAILY_PEAK_RAMP_SECONDS } } : {}),
      batchJobs: (wl.batchJobs ?? []).map((j) => ({ requests: j.requests, deadlineSeconds: j.deadlineSeconds, submitSeconds: j.submitSeconds ?? DEFAULT_BATCH_SUBMIT_SECONDS, startClockSeconds: j.startClockSeconds ?? DEFAULT_BATCH_START_CLOCK_SECONDS })),
      maxQueueDelaySeconds: wl.maxQueueDelaySeconds ?? DEFAULT_MAX_QUEUE_DELAY_SECONDS,
      prefixCache: {
        promptTokenHitShare: wl.prefixCache?.promptTokenHitShare ?? 0,
        routing: wl.prefixCache?.routing ?? "prefix-affinity",
        remoteTierSeconds: wl.prefixCache?.remoteTierSeconds ?? DEFAULT_KV_REMOTE_TIER_SECONDS,
      },
      payloadBytes: wl.payloadBytes ?? DEFAULT_PAYLOAD_BYTES,
      readQueriesPerRequest: wl.readQueriesPerRequest ?? DEFAULT_READ_QUERIES_PER_REQUEST,
      writeQueriesPerRequest: wl.writeQueriesPerRequest ?? DEFAULT_WRITE_QUERIES_PER_REQUEST,
    },
    model: { ...md, activeParametersBillions: md.activeParametersBillions ?? md.parametersBillions, ...(md.mla ? { mla: { ...md.mla } } : {}) },
    gpu: {
      // Catalog entries stay names; custom specs stay whole so the filled input re-plans identically.
      instanceTypes: candidates.map((c) => (findGpuInstance(c.instanceType) === c ? c.instanceType : c)),
      efficiency: { prefillCompute: prefillEfficiency, decodeBandwidth: decodeEfficiency, decodeCompute: decodeComputeEfficiency },
    },
    safetyFactor: input.safetyFactor ?? DEFAULT_SAFETY_FACTOR,
    availabilityZones: input.availabilityZones ?? DEFAULT_AVAILABILITY_ZONES,
    gpuProvisioningSeconds: input.gpuProvisioningSeconds ?? (input.gpuProvisioning ? provisioningTotal(input.gpuProvisioning) : DEFAULT_GPU_PROVISIONING_SECONDS),
    ...(input.gpuProvisioning ? { gpuProvisioning: { ...input.gpuProvisioning, sources: { ...input.gpuProvisioning.sources } } } : {}),
    region: input.region ?? DEFAULT_REGION,
  };
  return { input: filled, candidates, prefillEfficiency, decodeEfficiency, decodeComputeEfficiency };
}

/** Seconds of all three phases. */
function provisioningTotal(b: { nodeLaunchSeconds: number; imagePullSeconds: number; modelLoadSeconds: number }): number {
  return b.nodeLaunchSeconds + b.imagePullSeconds + b.modelLoadSeconds;
}

/** Checks `gpuProvisioning` (additive to the input: the breakdown of `gpuProvisioningSeconds`). */
function checkProvisioningBreakdown(p: Problems, code: string, raw: unknown, total: unknown): void {
  if (raw === undefined) return;
  if (raw === null || typeof raw !== "object") {
    p.add(code, "gpuProvisioning", raw, "an object { nodeLaunchSeconds, imagePullSeconds, modelLoadSeconds, sources }");
    return;
  }
  const b = raw as Record<string, unknown>;
  checkKnownKeys(p, U, "gpuProvisioning", b, ["nodeLaunchSeconds", "imagePullSeconds", "modelLoadSeconds", "sources"]);
  if (b["sources"] !== null && typeof b["sources"] === "object") checkKnownKeys(p, U, "gpuProvisioning.sources", b["sources"] as Record<string, unknown>, ["nodeLaunch", "imagePull", "modelLoad"]);
  let ok = true;
  for (const k of ["nodeLaunchSeconds", "imagePullSeconds", "modelLoadSeconds"]) ok = p.checkNumber(code, `gpuProvisioning.${k}`, b[k], { min: 0, max: 7200 }) && ok;
  const sources = b["sources"] as Record<string, unknown> | undefined;
  for (const k of ["nodeLaunch", "imagePull", "modelLoad"]) {
    if (!sources || typeof sources[k] !== "string" || (sources[k] as string).trim() === "") p.add(code, `gpuProvisioning.sources.${k}`, sources?.[k], "a non-empty source: a measurement, a document, or an assumption with its residual");
  }
  if (ok && typeof total === "number") {
    const sum = provisioningTotal(b as unknown as { nodeLaunchSeconds: number; imagePullSeconds: number; modelLoadSeconds: number });
    if (Math.abs(sum - total) > 1e-9) p.add(code, "gpuProvisioningSeconds", total, `undefined or ${sum} (the sum of gpuProvisioning's phases)`);
  }
}

/**
 * `planCapacity`: validates a {@link CapacityInput}, sizes the GPU tier, then the data tier,
 * the system nodes and the cost, recording how every number was derived.
 */
import { Problems } from "../core/validation";
import {
  DEFAULT_CPU_TARGET_PERCENT,
  DEFAULT_GPU_MEMORY_UTILIZATION,
  EKS_MAX_NODES_PER_NODE_GROUP,
  GIB,
  HPA_SCALE_DOWN_PERIOD_SECONDS,
  HPA_SCALE_DOWN_STABILIZATION_SECONDS,
  HPA_SCALE_UP,
  HPA_SYNC_PERIOD_SECONDS,
  KEDA_COOLDOWN_SECONDS,
  KEDA_POLLING_INTERVAL_SECONDS,
  LMCACHE_CHUNK_TOKENS,
  LMCACHE_OPS_PER_FETCHED_CHUNK,
  LMCACHE_OPS_PER_STORED_CHUNK,
  MAX_KV_CACHE_TARGET,
  MIB,
  RUNTIME_OVERHEAD_GIB_PER_GPU,
  TENSOR_PARALLEL_SIZES,
  TPOT_P99_OVER_MEAN,
  WORKER_CONCURRENCY,
} from "./constants";
import { CAPACITY_CODES, CapacityError } from "./errors";
import { GPU_INSTANCE_CATALOG, REDIS_NODE_CATALOG } from "./catalog";
import { effectiveTflops, iterationSeconds, kvBytesPerToken, weightBytes } from "./llm";
import { classicInstanceCount, queueWait } from "./queueing";
import { planDataTier } from "./private/data-tier";
import { Explainer, round } from "./private/explain";
import { candidatePairs, evaluateCandidate, nodesFor, usableBytesPerGpu, replicasSurvivingOneAz, ttftP99At, prefillWaitP99, type FeasibleCandidate, type InferenceDemand, type Rejection } from "./private/inference";
import { resolveInput } from "./private/resolve";
import { dayCurveFor, rateAt } from "./simulate/profiles";
import type { AdmissionPlan, AutoscalingPlan, CapacityInput, CapacityPlan, ClassicPlan, GpuInstanceSpec, InferencePlan, KvCachePlan, KvRemoteTierPlan, ModelInput, Precision } from "./types";

const SRC_DATA = "capacity-data.md";
/** Samples of the daily curve for the expected GPU node-hours (every 15 minutes). */
const DAY_SAMPLES = 96;

/** How the spike is absorbed while new GPU nodes start (reported in explanations and the report). */
export interface SpikeAbsorption {
  /** GPU requests/s the warm (`replicas.desired`) replicas serve within the SLO. */
  readonly warmCapacityRequestsPerSecond: number;
  /** Sync requests/s beyond warm capacity, rejected fast with 429 until new replicas serve. */
  readonly syncRejectedRequestsPerSecond: number;
  /** Async requests that wait in Kafka while the new nodes start. */
  readonly asyncBacklogRequests: number;
  /** Seconds `replicas.max` needs to drain that backlog on top of the spike load. */
  readonly drainSeconds: number;
  /** Wait of the oldest queued async request: provisioning window + drain, s. */
  readonly oldestAsyncWaitSeconds: number;
}

interface Sized {
  readonly c: FeasibleCandidate;
  readonly minBaseline: number;
  readonly min: number;
  readonly desired: number;
  readonly max: number;
  readonly nodes: { min: number; desired: number; max: number };
  /** Expected GPU node cost per hour over the day: the daily curve's node-hours / 24 x USD/h. */
  readonly costPerHour: number;
  /** GPU node-hours per day when the HPA follows the daily curve (replicas = clamp(ceil(rate(t) x SF / rate), min, max)). */
  readonly nodeHoursPerDay: number;
  readonly spike: SpikeAbsorption;
  readonly maxForSpike: number;
  readonly maxForDrain: number;
  readonly maxForBatch: number;
}

/** Options of {@link planCapacity} for analysis; a deployment plan uses none. */
export interface PlanOptions {
  /**
   * Size this one (instance type, tensor parallelism) instead of choosing the cheapest: what the
   * brute-force comparison (`npm run plan -- --verdicts`) needs to price every candidate the same way.
   * @default none: every candidate of the input, the cheapest wins
   */
  readonly candidate?: { readonly instanceType: string; readonly tensorParallel: number };
}

/**
 * Plans the capacity of one environment.
 *
 * @throws {CapacityError} listing every invalid field first; then, for a valid input that no
 *   candidate can serve, the failed constraint (memory, TPOT floor, TTFT, service limits) and a fix.
 * @example
 * const plan = planCapacity(PROD_WORKLOAD);
 * console.log(plan.inference.instanceType, plan.inference.replicas, plan.cost.monthlyUsd);
 */
export function planCapacity(rawInput: CapacityInput, options: PlanOptions = {}): CapacityPlan {
  const r = resolveInput(rawInput);
  const input = r.input;
  const w = input.workload;
  const m = input.model;
  const zones = input.availabilityZones as number;
  const sf = input.safetyFactor as number;
  const provisioning = input.gpuProvisioningSeconds as number;
  const spikeIn = w.spike as NonNullable<typeof w.spike>;
  const asyncShare = w.asyncShare as number;
  const prefix = w.prefixCache as Required<NonNullable<typeof w.prefixCache>>;
  const maxQueueDelay = w.maxQueueDelaySeconds as number;
  const x = new Explainer();

  // ------------------------------------------------------------------ traffic
  const apiPeak = w.peakRequestsPerSecond;
  const apiBaseline = w.baselineRequestsPerSecond as number;
  const apiSpike = apiPeak * spikeIn.multiplier;
  // Every request reaches a GPU: prefix reuse shortens its prefill, it does not skip it.
  const gpuPeak = apiPeak;
  const gpuBaseline = apiBaseline;
  const gpuSpike = apiSpike;

  const dayCurve = dayCurveFor(w);
  // A declared daily peak is pre-scaled: replicas.desired from GPU provisioning plus one HPA period before
  // its start to its end (autoscaling.scheduledFloor), because its ramp is faster than new GPUs start.
  const dp = w.dailyPeak;
  const preScaleLead = provisioning + HPA_SYNC_PERIOD_SECONDS;
  // Whole minutes, start rounded down and end up: the KEDA cron trigger and the Karpenter budget that
  // deliver it have minute resolution, so the window the simulator plays is the one the cluster runs.
  const floorWindow = dp
    ? { from: Math.floor((dp.startClockSeconds - preScaleLead) / 60) * 60, to: Math.ceil((dp.startClockSeconds + 2 * (dp.rampSeconds ?? 0) + dp.durationSeconds) / 60) * 60 }
    : undefined;

  const demandAt = (hitShare: number): InferenceDemand => ({
    model: m,
    promptMean: w.promptTokens.mean,
    promptP99: w.promptTokens.p99 as number,
    prefillMean: w.promptTokens.mean * (1 - hitShare),
    prefillP99: (w.promptTokens.p99 as number) * (1 - hitShare),
    outputMean: w.outputTokens.mean,
    outputP99: w.outputTokens.p99 as number,
    ttftP99Seconds: w.slo.ttftP99Seconds,
    tpotP99Seconds: w.slo.tpotP99Seconds,
    efficiency: { prefillCompute: r.prefillEfficiency, decodeBandwidth: r.decodeEfficiency, decodeCompute: r.decodeComputeEfficiency },
  });

  // ------------------------------------------------------------------ candidates
  // Prefix reuse under least-load routing: a request lands on the replica holding its prefix with
  // probability 1 / replicas, so the plan counts declared / replicas.desired, with replicas.desired
  // taken from a sizing without reuse (conservative: more replicas would only lower the share).
  const localHit = (): { share: number; replicas: number } => {
    if (prefix.routing !== "least-load" || prefix.promptTokenHitShare <= 0) return { share: prefix.promptTokenHitShare, replicas: 0 };
    const replicas = chooseCandidates(demandAt(0)).withinQuota[0]?.desired ?? 1;
    return { share: prefix.promptTokenHitShare / Math.max(1, replicas), replicas };
  };
  const local = localHit();
  const replicasWithoutReuse = local.replicas;
  let effectiveHit = local.share;
  let chosen = chooseCandidates(demandAt(effectiveHit));
  // A remote tier (LMCache on Valkey) serves the hits the router sends elsewhere (least-load only), each at
  // the saving a fetch has over prefilling the token again (remoteTierGain). The gain depends on the chosen
  // replica, which depends on the demand: re-plan until the gain stops falling (the smallest one is kept).
  let remote: (RemoteTierGain & { readonly countedHitShare: number }) | undefined;
  if (prefix.remoteTierSeconds > 0) {
    for (let pass = 0; pass < 3; pass++) {
      const head = chosen.withinQuota[0];
      if (!head) break;
      const gain = remoteTierGain(head.c);
      if (!gain.pays) throw remoteTierDoesNotPay(gain, head.c, prefix.remoteTierSeconds);
      const remoteShare = prefix.routing === "least-load" ? (prefix.promptTokenHitShare - local.share) * (1 - gain.fetchCostShare) : 0;
      if (remote && remoteShare >= remote.countedHitShare - 1e-12) break;
      remote = { ...gain, countedHitShare: remoteShare };
      if (remoteShare <= 0) break;
      effectiveHit = local.share + remoteShare;
      chosen = chooseCandidates(demandAt(effectiveHit));
    }
    // Report the fetch figures of the replica finally chosen; count the smaller share if its gain is lower.
    const head = chosen.withinQuota[0];
    if (remote && head) {
      const gain = remoteTierGain(head.c);
      if (!gain.pays) throw remoteTierDoesNotPay(gain, head.c, prefix.remoteTierSeconds);
      const share = prefix.routing === "least-load" ? (prefix.promptTokenHitShare - local.share) * (1 - gain.fetchCostShare) : 0;
      if (share < remote.countedHitShare - 1e-12) {
        effectiveHit = local.share + share;
        chosen = chooseCandidates(demandAt(effectiveHit));
      }
      remote = { ...gain, countedHitShare: Math.min(share, remote.countedHitShare) };
    }
  }
  const demand = demandAt(effectiveHit);
  const { feasible, rejected, sized, withinQuota } = chosen;
  if (feasible.length === 0) throw infeasibleGpu(rejected, input);
  if (withinQuota.length === 0) {
    const least = [...sized].sort((a, b) => a.nodes.max - b.nodes.max)[0] as Sized;
    const p = new Problems("capacity plan");
    p.add(CAPACITY_CODES.gpuNodeLimit, "inference.nodes.max", least.nodes.max, `at most ${EKS_MAX_NODES_PER_NODE_GROUP} nodes per EKS managed node group (default quota, adjustable); the best candidate ${least.c.spec.instanceType} TP${least.c.tensorParallel} needs ${least.nodes.max}. Fix: request a quota increase, split the fleet over several node groups, add larger GPUs to gpu.instanceTypes, or lower the spike multiplier`);
    throw new CapacityError("capacity plan", p.list);
  }
  const best = withinQuota[0] as Sized;

  /** Evaluates every (type, TP) candidate against `d`, sizes the feasible ones, cheapest first. */
  function chooseCandidates(d: InferenceDemand): { feasible: FeasibleCandidate[]; rejected: Rejection[]; sized: Sized[]; withinQuota: Sized[] } {
    const ok: FeasibleCandidate[] = [];
    const no: Rejection[] = [];
    const only = options.candidate;
    for (const { spec, tensorParallel } of candidatePairs(r.candidates)) {
      if (only && (spec.instanceType !== only.instanceType || tensorParallel !== only.tensorParallel)) continue;
      const res = evaluateCandidate(spec, tensorParallel, d);
      if (res.kind === "ok") ok.push(res);
      else no.push(res);
    }
    const all = ok.map((cand) => sizeReplicas(cand));
    const inQuota = all.filter((z) => z.nodes.max <= EKS_MAX_NODES_PER_NODE_GROUP);
    inQuota.sort((a, b) => a.costPerHour - b.costPerHour || a.nodes.desired * a.c.spec.gpuCount - b.nodes.desired * b.c.spec.gpuCount || headroom(b) - headroom(a) || a.c.ttftServiceP99Seconds - b.c.ttftServiceP99Seconds || a.c.spec.instanceType.localeCompare(b.c.spec.instanceType) || a.c.tensorParallel - b.c.tensorParallel);
    return { feasible: ok, rejected: no, sized: all, withinQuota: inQuota };
  }

  /** Requests/s the desired nodes could serve if every GPU slot on them ran a replica (tie-break: more headroom for the same money). */
  function headroom(z: Sized): number {
    return z.nodes.desired * z.c.replicasPerNode * z.c.maxRatePerReplica;
  }
  const c = best.c;

  // ------------------------------------------------------------------ inference plan + explanations
  const inference = explainInference(best, withinQuota.length, feasible.length + rejected.length, withinQuota[1]);
  const autoscaling = planAutoscaling(best);
  const admission = planAdmission(best, inference);
  const kvCache = planKvCache(best);

  const data = planDataTier(x, {
    input,
    zones,
    apiPeak,
    apiBaseline,
    apiSpike,
    gpuPeak,
    gpuSpike,
    asyncShare,
    kvRemoteTierBytes: kvCache.remoteTierTokens * c.kvBytesPerToken,
    kvRemoteTier: kvCache.remoteTier ? { bandwidthGbps: kvCache.remoteTier.bandwidthGbps, opsPerSecond: kvCache.remoteTier.opsPerSecond, minNodeBaselineGbps: kvCache.remoteTier.minNodeBaselineGbps } : undefined,
    maxQueueDelay,
    provisioning,
    safetyFactor: sf,
    payloadBytes: w.payloadBytes as number,
    readQueries: w.readQueriesPerRequest as number,
    writeQueries: w.writeQueriesPerRequest as number,
    serviceSeconds: c.serviceSeconds,
    e2eMeanSeconds: c.ttftServiceMeanSeconds + (w.outputTokens.mean - 1) * c.tpotMeanSeconds,
    workerConcurrency: autoscaling.workers.concurrencyPerWorker,
    workersMax: autoscaling.workers.maxReplicas,
    workersMin: autoscaling.workers.minReplicas,
    inflightPerReplica: admission.maxConcurrentRequestsPerReplica,
    replicas: best,
    gpuNodes: best.nodes,
    gpuNodeHoursPerDay: best.nodeHoursPerDay,
    gpuPerNode: c.spec.gpuCount,
    gpuUsdPerHour: c.spec.onDemandUsdPerHour,
    availability: w.slo.availability,
  });
  // KEDA's lag threshold and the topic partitions are decided with Kafka; reflect them here.
  const autoscalingFinal: AutoscalingPlan = { ...autoscaling, workers: { ...autoscaling.workers, lagThreshold: data.kafka.consumerLagThreshold } };

  const classic = planClassic(best);

  return {
    input,
    inference,
    autoscaling: autoscalingFinal,
    admission,
    kafka: data.kafka,
    redis: data.redis,
    kvCache,
    database: data.database,
    system: data.system,
    cost: data.cost,
    classic,
    explanations: x.list,
  };

  // ================================================================== helpers (closures over the input)

  function sizeReplicas(cand: FeasibleCandidate): Sized {
    const rate = cand.maxRatePerReplica;
    const minBaseline = Math.max(1, Math.ceil(gpuBaseline / rate));
    const min = replicasSurvivingOneAz(minBaseline, zones);
    const desired = Math.max(min, Math.ceil((gpuPeak * sf) / rate));
    const maxForSpike = Math.ceil(gpuSpike / rate);
    // Warm capacity counted as what desired was sized for (peak x safety), not desired x rate:
    // conservative, and it keeps replicas.max monotone in the load.
    const warm = Math.min(desired * rate, gpuPeak * sf);
    const syncSpike = gpuSpike * (1 - asyncShare);
    const asyncSpike = gpuSpike * asyncShare;
    const syncRejected = Math.max(0, syncSpike - warm);
    const asyncBacklogRate = Math.max(0, asyncSpike - Math.max(0, warm - syncSpike));
    const spikeSeconds = spikeIn.multiplier > 1 ? spikeIn.rampSeconds + spikeIn.durationSeconds : 0;
    const window = Math.min(provisioning, spikeSeconds);
    const backlog = asyncBacklogRate * window;
    // The backlog should drain within what is left of maxQueueDelay; when provisioning alone
    // exceeds it, the delay is already missed (the report flags it) and draining within half the
    // delay keeps replicas.max bounded instead of exploding.
    const drainTarget = Math.max(HPA_SYNC_PERIOD_SECONDS, maxQueueDelay - window, maxQueueDelay / 2);
    const maxForDrain = backlog > 0 ? Math.ceil((gpuSpike + backlog / drainTarget) / rate) : 0;
    // Batch jobs (workload.batchJobs): the warm spare capacity works on the job while new nodes start,
    // then replicas.max must finish it by the deadline (less one service time) beside the peak load.
    let maxForBatch = 0;
    for (const j of w.batchJobs ?? []) {
      const warmSpare = Math.max(0, desired * rate - gpuPeak);
      const startWindow = Math.min(provisioning, j.deadlineSeconds);
      const rest = Math.max(HPA_SYNC_PERIOD_SECONDS, j.deadlineSeconds - startWindow - cand.serviceSeconds);
      const left = Math.max(0, j.requests - warmSpare * startWindow);
      maxForBatch = Math.max(maxForBatch, Math.ceil((gpuPeak + left / rest) / rate));
    }
    const max = Math.max(desired, maxForSpike, maxForDrain, maxForBatch);
    const spare = max * rate - gpuSpike;
    const drainSeconds = backlog > 0 ? backlog / spare : 0;
    const rpn = cand.replicasPerNode;
    const nodes = { min: nodesFor(min, rpn, zones), desired: nodesFor(desired, rpn, zones), max: nodesFor(max, rpn, zones) };
    // The cost the simulated day spends: the HPA keeps the headroom desired has at the peak while the
    // daily curve (the simulator's daily-peak) rises and falls, never below min. Sampled every 15 minutes.
    let dayNodeHours = 0;
    for (let q = 0; q < DAY_SAMPLES; q++) {
      const t = ((q + 0.5) * 86_400) / DAY_SAMPLES;
      const r = rateAt(dayCurve, t);
      // The KV-use target holds the per-replica rate at peakRps / desired: replicas follow desired x rate(t) / peak.
      let n = Math.min(max, Math.max(min, Math.ceil((desired * r) / gpuPeak - 1e-9)));
      if (floorWindow && t >= floorWindow.from && t < floorWindow.to) n = Math.max(n, desired);
      dayNodeHours += (nodesFor(n, rpn, zones) * 24) / DAY_SAMPLES;
    }
    return {
      c: cand,
      minBaseline,
      min,
      desired,
      max,
      nodes,
      costPerHour: (dayNodeHours / 24) * cand.spec.onDemandUsdPerHour,
      nodeHoursPerDay: dayNodeHours,
      maxForSpike,
      maxForDrain,
      maxForBatch,
      spike: {
        warmCapacityRequestsPerSecond: round(warm),
        syncRejectedRequestsPerSecond: round(syncRejected),
        asyncBacklogRequests: Math.ceil(backlog),
        drainSeconds: round(drainSeconds, 1),
        // Kafka is FIFO: the request queued at the spike's start is at the head when capacity arrives, the one queued at
        // the window's end waits for the backlog to drain. Its queue advanced at the warm spare rate meanwhile, so the
        // first waits window x backlogRate / asyncRate = backlog / asyncRate; the oldest wait is the larger of the two
        // (not window + drain, which counted the head's wait twice: the simulator measured half of it).
        oldestAsyncWaitSeconds: round(backlog > 0 ? Math.max(backlog / asyncSpike, drainSeconds) : 0, 1),
      },
    };
  }

  function explainInference(s: Sized, candidatesWithinQuota: number, candidatesTried: number, runnerUp: Sized | undefined): InferencePlan {
    const cc = s.c;
    const spec = cc.spec;
    const why = `cheapest of ${candidatesWithinQuota} feasible (type, TP) candidates out of ${candidatesTried} by expected GPU node cost over the daily curve (the HPA follows the load between replicas.min and replicas.max; ties: fewer GPUs, then more headroom)`;
    x.str("inference.instanceType", spec.instanceType, why, { usdPerHour: spec.onDemandUsdPerHour, nodesDesired: s.nodes.desired, monthlyGpuUsd: round(s.costPerHour * 730, 0), nodeHoursPerDay: round(s.nodeHoursPerDay, 1), runnerUp: runnerUp ? `${runnerUp.c.spec.instanceType} TP${runnerUp.c.tensorParallel} x ${runnerUp.nodes.desired} nodes` : "none", runnerUpMonthlyGpuUsd: runnerUp ? round(runnerUp.costPerHour * 730, 0) : 0 }, `${SRC_DATA} "EC2 GPU instances"`);
    x.str("inference.gpuModel", spec.gpuModel, "GPU of the chosen instance type", { instanceType: spec.instanceType }, `${SRC_DATA} "GPUs"`);
    x.str("inference.family", spec.family, "instance family prefix of the chosen type", { instanceType: spec.instanceType });
    x.num("inference.gpusPerReplica", cc.tensorParallel, "GPUs", "tensor-parallel size in {1,2,4,8} within one node, chosen with the instance type", { weightsGiB: round(cc.weightsBytes / GIB, 1), usablePerGpuGiB: round(cc.usablePerGpuBytes / GIB, 1) });
    x.num("inference.gpusPerNode", spec.gpuCount, "GPUs", "GPUs of the chosen instance type", { instanceType: spec.instanceType }, `${SRC_DATA} "EC2 GPU instances"`);
    x.num("inference.replicasPerNode", cc.replicasPerNode, "replicas", "gpusPerNode / gpusPerReplica", { gpusPerNode: spec.gpuCount, gpusPerReplica: cc.tensorParallel });

    const rate = cc.maxRatePerReplica;
    x.num("inference.replicas.min", s.min, "replicas", zones >= 2 ? "smallest m >= max(2, ceil(baselineGpuRps / ratePerReplica)) with m - ceil(m / AZs) >= ceil(baselineGpuRps / ratePerReplica): holds the SLO at baseline after losing one AZ" : "ceil(baselineGpuRps / ratePerReplica)", { baselineGpuRps: gpuBaseline, ratePerReplica: rate, replicasForBaseline: s.minBaseline, availabilityZones: zones });
    x.num("inference.replicas.desired", s.desired, "replicas", "max(min, ceil(peakRps x safetyFactor / ratePerReplica)); prefix reuse acts through ratePerReplica (shorter prefill), never by skipping requests", { peakRequestsPerSecond: apiPeak, safetyFactor: sf, ratePerReplica: rate, effectivePrefixHitShare: effectiveHit });
    x.num("inference.replicas.max", s.max, "replicas", "max(desired, ceil(spikeGpuRps / ratePerReplica), ceil((spikeGpuRps + asyncBacklog / drainTarget) / ratePerReplica), batch jobs: ceil((peakRps + (requests - warm spare x provisioning) / (deadline - provisioning - serviceSeconds)) / ratePerReplica))", { spikeGpuRps: gpuSpike, ratePerReplica: rate, forSpike: s.maxForSpike, forDrainingBacklog: s.maxForDrain, asyncBacklogRequests: s.spike.asyncBacklogRequests, forBatchJobs: s.maxForBatch, batchJobs: (w.batchJobs ?? []).length });
    for (const k of ["min", "desired", "max"] as const) {
      x.num(`inference.nodes.${k}`, s.nodes[k], "nodes", zones >= 2 && cc.replicasPerNode > 1 ? "sum over AZs of ceil(replicas in AZ / replicasPerNode), replicas spread evenly (maxSkew 1)" : "ceil(replicas / replicasPerNode)", { replicas: s[k], replicasPerNode: cc.replicasPerNode, availabilityZones: zones });
    }

    const kvPerSeqMem = cc.kvBytesPerToken * (demand.promptMean + demand.outputMean);
    x.num("inference.perReplica.maxConcurrentSequences", cc.maxSeqs, "sequences", "batch on a fixed grid (every integer to 64, then 2^(1/32) steps) up to min(KV-memory sequences, TPOT-limited batch) that admits the most requests/s within the TTFT p99", { memorySequences: cc.memorySeqs, tpotLimitedBatch: Math.floor((demand.tpotP99Seconds / TPOT_P99_OVER_MEAN - cc.iteration.fixedSeconds) / cc.iteration.perSequenceSeconds) });
    const outTps = rate * demand.outputMean;
    x.num("inference.perReplica.outputTokensPerSecond", round(outTps, 1), "tokens/s", "requestsPerSecond x outputTokens.mean (Little's law)", { requestsPerSecond: rate, outputTokensMean: demand.outputMean });
    x.num("inference.perReplica.requestsPerSecond", round(rate, 4), "requests/s", "largest per-replica arrival rate with slot wait p99 (Erlang-C/Allen-Cunneen over the batch slots) + prefill wait p99 (M/G/1 prefill server) + empty-queue TTFT p99 <= ttftP99 SLO", { ttftP99Slo: demand.ttftP99Seconds, slots: cc.maxSeqs, serviceSeconds: cc.serviceSeconds, serviceScv: cc.serviceScv, prefillServiceSeconds: cc.prefillServiceSeconds, prefillScv: cc.prefillScv }, `${SRC_DATA} "Queueing"`);
    x.num("inference.perReplica.prefillTokensPerSecond", round(cc.iteration.prefillTokensPerSecond, 0), "tokens/s", "TP x TFLOPS x prefillEfficiency / (2 x activeParams)", { tensorParallel: cc.tensorParallel, tflopsPerGpu: m.precision === "fp8" && spec.fp8Tflops ? spec.fp8Tflops : spec.bf16Tflops, prefillEfficiency: demand.efficiency.prefillCompute, decodeBandwidthEfficiency: demand.efficiency.decodeBandwidth, decodeComputeEfficiency: demand.efficiency.decodeCompute, activeParametersBillions: m.activeParametersBillions as number }, "Kaplan et al. 2020 (2 FLOPs per parameter and token); efficiencies: least squares on MLPerf points (lib/capacity/calibration.ts, npm run plan -- --validate)");
    x.num("inference.perReplica.meanServiceSeconds", round(cc.serviceSeconds, 3), "s", "promptMean / prefillRate + (outputMean + 0.5) x TPOT", { promptMean: demand.promptMean, prefillTokensPerSecond: cc.iteration.prefillTokensPerSecond, outputMean: demand.outputMean, tpotSeconds: cc.tpotMeanSeconds });

    const lambda = gpuPeak / s.desired;
    const util = (lambda * cc.serviceSeconds) / cc.maxSeqs;
    const wait = queueWait(cc.maxSeqs, lambda, cc.serviceSeconds, cc.serviceScv);
    const ttftP99 = ttftP99At(cc, lambda);
    const e2e = ttftP99 + (demand.outputP99 - 1) * cc.tpotP99Seconds;
    x.num("inference.predicted.utilization", round(util, 4), "ratio", "(peakGpuRps / desired) x serviceSeconds / slots", { peakGpuRps: gpuPeak, desired: s.desired, serviceSeconds: cc.serviceSeconds, slots: cc.maxSeqs });
    x.num("inference.predicted.ttftP99Seconds", roundDown(ttftP99, 4), "s", "p99 slot wait + p99 prefill-server wait + 2 x TPOT (running and prefill iteration) + promptP99 / prefillRate", { queueWaitP99: wait.p99Seconds, prefillWaitP99: prefillWaitP99(cc, lambda), tpotSeconds: cc.tpotMeanSeconds, promptP99: demand.promptP99, prefillTokensPerSecond: cc.iteration.prefillTokensPerSecond });
    x.num("inference.predicted.tpotP99Seconds", roundDown(cc.tpotP99Seconds, 4), "s", "tau(batch) x 1.129, tau = (W + batch x Kstep) / (TP x BW x e_bw) + batch x (1 + Pprefill/O) x 2N / (TP x F x e_c)", { fixedSeconds: cc.iteration.fixedSeconds, perSequenceSeconds: cc.iteration.perSequenceSeconds, batch: cc.maxSeqs, p99OverMean: TPOT_P99_OVER_MEAN }, `${SRC_DATA} "Model memory" (decode bandwidth-bound) and MLPerf v4.1 TPOT p99/mean`);
    x.num("inference.predicted.queueWaitP99Seconds", round(wait.p99Seconds, 4), "s", "Allen-Cunneen x ln(C / 0.01) / (c mu - lambda), C = ErlangC(c, lambda / mu)", { c: cc.maxSeqs, lambda, mu: 1 / cc.serviceSeconds, erlangC: wait.probabilityOfWait, allenCunneen: (1 + cc.serviceScv) / 2 }, `${SRC_DATA} "Queueing"`);
    x.num("inference.predicted.e2eP99Seconds", round(e2e, 3), "s", "ttftP99 + (outputP99 - 1) x tpotP99", { ttftP99, outputP99: demand.outputP99, tpotP99: cc.tpotP99Seconds });

    const weightsGiB = cc.weightsBytes / GIB;
    const kvGiB = (cc.maxSeqs * kvPerSeqMem) / GIB;
    const perGpu = (cc.weightsBytes + cc.maxSeqs * kvPerSeqMem) / cc.tensorParallel / GIB + RUNTIME_OVERHEAD_GIB_PER_GPU;
    x.num("inference.memory.weightsGiB", round(weightsGiB, 2), "GiB", "parametersBillions x 1e9 x bytesPerParameter", { parametersBillions: m.parametersBillions, precision: m.precision }, `${SRC_DATA} "Model memory"`);
    x.num("inference.memory.kvCacheGiB", round(kvGiB, 2), "GiB", "maxConcurrentSequences x (promptMean + outputMean) x kvBytesPerToken", { sequences: cc.maxSeqs, tokensPerSequence: demand.promptMean + demand.outputMean, kvBytesPerToken: cc.kvBytesPerToken });
    x.num("inference.memory.perGpuGiB", round(perGpu, 2), "GiB", "(weights + KV) / TP + runtime overhead; must stay <= GPU memory x gpuMemoryUtilization", { tensorParallel: cc.tensorParallel, runtimeOverheadGiB: RUNTIME_OVERHEAD_GIB_PER_GPU, gpuMemoryGiB: round(spec.gpuMemoryMiB / 1024, 2), gpuMemoryUtilization: DEFAULT_GPU_MEMORY_UTILIZATION });
    x.num("inference.memory.kvCachePerTokenKiB", round(cc.kvBytesPerToken / 1024, 3), "KiB", m.mla ? "(kvLoraRank + qkRopeHeadDim) x layers x bytes" : "2 x layers x kvHeads x headDim x bytes", { layers: m.layers, kvHeads: m.kvHeads, headDim: m.headDim, precision: m.precision, ...(m.mla ? { kvLoraRank: m.mla.kvLoraRank, qkRopeHeadDim: m.mla.qkRopeHeadDim } : {}) }, `${SRC_DATA} "Model memory"`);
    x.num("inference.gpuMemoryUtilization", DEFAULT_GPU_MEMORY_UTILIZATION, "ratio", "vLLM --gpu-memory-utilization default", {}, "vLLM engine arguments");
    x.num("inference.maxModelLenTokens", m.maxContextTokens, "tokens", "model.maxContextTokens (one such sequence must fit the KV budget)", { maxContextTokens: m.maxContextTokens });
    x.num("inference.spike.warmCapacityRequestsPerSecond", s.spike.warmCapacityRequestsPerSecond, "requests/s", "min(replicas.desired x ratePerReplica, peakGpuRps x safetyFactor): the capacity desired was sized for", { desired: s.desired, ratePerReplica: rate, peakGpuRps: gpuPeak, safetyFactor: sf });
    x.num("inference.spike.syncRejectedRequestsPerSecond", s.spike.syncRejectedRequestsPerSecond, "requests/s", "max(0, spikeGpuRps x (1 - asyncShare) - warmCapacity): answered 429 with Retry-After", { spikeGpuRps: gpuSpike, asyncShare, warmCapacity: s.spike.warmCapacityRequestsPerSecond });
    x.num("inference.spike.asyncBacklogRequests", s.spike.asyncBacklogRequests, "requests", "max(0, asyncSpikeRps - spare warm capacity) x min(gpuProvisioningSeconds, ramp + duration)", { asyncSpikeRps: gpuSpike * asyncShare, gpuProvisioningSeconds: provisioning, spikeSeconds: spikeIn.rampSeconds + spikeIn.durationSeconds });
    x.num("inference.spike.drainSeconds", s.spike.drainSeconds, "s", "asyncBacklog / (replicas.max x ratePerReplica - spikeGpuRps)", { asyncBacklog: s.spike.asyncBacklogRequests, max: s.max, ratePerReplica: rate, spikeGpuRps: gpuSpike });
    x.num("inference.spike.oldestAsyncWaitSeconds", s.spike.oldestAsyncWaitSeconds, "s", "max(asyncBacklog / asyncSpikeRps, drainSeconds): FIFO, the head waits until capacity arrives less what the warm spare served, the tail waits the drain (compare with maxQueueDelaySeconds)", { asyncBacklog: s.spike.asyncBacklogRequests, asyncSpikeRps: gpuSpike * asyncShare, drainSeconds: s.spike.drainSeconds, maxQueueDelaySeconds: maxQueueDelay });

    return {
      instanceType: spec.instanceType,
      gpuModel: spec.gpuModel,
      family: spec.family,
      gpusPerReplica: cc.tensorParallel,
      gpusPerNode: spec.gpuCount,
      replicasPerNode: cc.replicasPerNode,
      replicas: { min: s.min, desired: s.desired, max: s.max },
      nodes: { ...s.nodes },
      perReplica: {
        maxConcurrentSequences: cc.maxSeqs,
        outputTokensPerSecond: round(outTps, 1),
        requestsPerSecond: round(rate, 4),
        prefillTokensPerSecond: round(cc.iteration.prefillTokensPerSecond, 0),
        meanServiceSeconds: round(cc.serviceSeconds, 3),
      },
      predicted: {
        utilization: round(util, 4),
        ttftP99Seconds: roundDown(ttftP99, 4),
        tpotP99Seconds: roundDown(cc.tpotP99Seconds, 4),
        queueWaitP99Seconds: round(wait.p99Seconds, 4),
        e2eP99Seconds: round(e2e, 3),
      },
      memory: { weightsGiB: round(weightsGiB, 2), kvCacheGiB: round(kvGiB, 2), perGpuGiB: round(perGpu, 2), kvCachePerTokenKiB: round(cc.kvBytesPerToken / 1024, 3) },
      gpuMemoryUtilization: DEFAULT_GPU_MEMORY_UTILIZATION,
      maxModelLenTokens: m.maxContextTokens,
    };
  }

  function planAutoscaling(s: Sized): AutoscalingPlan {
    const cc = s.c;
    const rate = cc.maxRatePerReplica;
    const pending = pendingPerReplica(cc);
    const targetQueue = x.num("autoscaling.targetQueueDepthPerReplica", Math.max(1, Math.floor(pending / 2)), "requests", "max(1, floor(pendingAllowance / 2)): half the queue a replica may hold and still meet the TTFT p99", { pendingAllowance: pending });
    // The sequences a replica really runs at the peak with replicas.desired: Little's law with the step
    // time of that batch, B = x S(B), S(B) = prefill + (O + 0.5)(a + b B), solved for B. (S at a full batch
    // would overstate it, and the HPA would then hold fewer replicas than desired at the peak.)
    const xPeak = gpuPeak / s.desired;
    const utilDesired = occupancyAt(cc, xPeak) / cc.maxSeqs;
    const kvFull = (cc.maxSeqs * cc.kvBytesPerToken * (demand.promptMean + demand.outputMean)) / cc.kvBudgetBytes;
    const kvTarget = x.num("autoscaling.targetKvCacheUtilization", round(Math.max(0.05, Math.min(MAX_KV_CACHE_TARGET, kvFull * utilDesired)), 2), "ratio", "min(0.8, KV use at a full batch x slot occupancy at the peak with replicas.desired); occupancy B = x (Pprefill/prefillRate + (O + 0.5) a) / (1 - x (O + 0.5) b), x = peakRps / desired", { kvAtFullBatch: kvFull, utilizationAtPeak: utilDesired, perReplicaRps: xPeak, cap: MAX_KV_CACHE_TARGET });
    x.num("autoscaling.minReplicas", s.min, "replicas", "= inference.replicas.min", {});
    x.num("autoscaling.maxReplicas", s.max, "replicas", "= inference.replicas.max", {});
    x.num("autoscaling.targetCpuUtilizationPercent", DEFAULT_CPU_TARGET_PERCENT, "%", "fallback metric when custom metrics are missing", {}, "source article (CPU 70%)");
    x.num("autoscaling.scaleUp.stabilizationWindowSeconds", HPA_SCALE_UP.stabilizationWindowSeconds, "s", "Kubernetes default: scale up without stabilization", {}, `${SRC_DATA} "Kubernetes HPA"`);
    x.num("autoscaling.scaleUp.periodSeconds", HPA_SCALE_UP.periodSeconds, "s", "Kubernetes default policy period", {}, `${SRC_DATA} "Kubernetes HPA"`);
    x.num("autoscaling.scaleUp.maxPodsPerPeriod", HPA_SCALE_UP.maxPodsPerPeriod, "pods", "Kubernetes default: +4 pods per 15 s", {}, `${SRC_DATA} "Kubernetes HPA"`);
    x.num("autoscaling.scaleUp.maxPercentPerPeriod", HPA_SCALE_UP.maxPercentPerPeriod, "%", "Kubernetes default: +100% per 15 s", {}, `${SRC_DATA} "Kubernetes HPA"`);
    x.num("autoscaling.scaleDown.stabilizationWindowSeconds", HPA_SCALE_DOWN_STABILIZATION_SECONDS, "s", "Kubernetes default 300 s: no flapping after a spike", {}, `${SRC_DATA} "Kubernetes HPA"`);
    x.num("autoscaling.scaleDown.periodSeconds", HPA_SCALE_DOWN_PERIOD_SECONDS, "s", "one step per minute", {});
    x.num("autoscaling.scaleDown.maxPodsPerPeriod", cc.replicasPerNode, "pods", "replicasPerNode: at most one node's worth of replicas per step, so nodes drain whole", { replicasPerNode: cc.replicasPerNode });

    const conc = Math.min(cc.maxSeqs, WORKER_CONCURRENCY);
    x.num("autoscaling.workers.concurrencyPerWorker", conc, "requests", "min(maxConcurrentSequences, 32)", { maxConcurrentSequences: cc.maxSeqs, workerClientPool: WORKER_CONCURRENCY });
    const asyncPeakInflight = gpuPeak * asyncShare * cc.serviceSeconds;
    const asyncBaseInflight = gpuBaseline * asyncShare * cc.serviceSeconds;
    // At replicas.max the workers may use all capacity the sync spike leaves: that is the drain rate.
    const asyncMaxRate = Math.max(gpuSpike * asyncShare, s.max * rate - gpuSpike * (1 - asyncShare));
    const workersMin = asyncShare > 0 ? Math.max(1, Math.ceil(asyncBaseInflight / conc)) : 0;
    const workersMax = asyncShare > 0 ? Math.max(workersMin, 1, Math.ceil((asyncMaxRate * cc.serviceSeconds) / conc)) : 1;
    x.num("autoscaling.workers.minReplicas", workersMin, "workers", "asyncShare > 0 ? max(1, ceil(baselineGpuRps x asyncShare x serviceSeconds / concurrencyPerWorker)) : 0 (Little's law)", { baselineGpuRps: gpuBaseline, asyncShare, serviceSeconds: cc.serviceSeconds, concurrencyPerWorker: conc, peakInflight: asyncPeakInflight });
    x.num("autoscaling.workers.maxReplicas", workersMax, "workers", "ceil(async drain rate at replicas.max x serviceSeconds / concurrencyPerWorker); <= partitions", { asyncDrainRps: asyncMaxRate, serviceSeconds: cc.serviceSeconds, concurrencyPerWorker: conc });
    x.num("autoscaling.workers.pollingIntervalSeconds", KEDA_POLLING_INTERVAL_SECONDS, "s", "aligned with the HPA sync period", {}, "KEDA ScaledObject (default 30 s)");
    x.num("autoscaling.workers.cooldownSeconds", KEDA_COOLDOWN_SECONDS, "s", "KEDA default cooldown", {}, "KEDA ScaledObject");
    let scheduledFloor: AutoscalingPlan["scheduledFloor"];
    if (dp && floorWindow) {
      const start = ((floorWindow.from % 86_400) + 86_400) % 86_400;
      scheduledFloor = { startClockSeconds: start, endClockSeconds: start + (floorWindow.to - floorWindow.from), minReplicas: s.desired };
      const preScaleNodeHours = (nodesFor(s.desired, cc.replicasPerNode, zones) - nodesFor(s.min, cc.replicasPerNode, zones)) * (preScaleLead / 3600);
      x.num("autoscaling.scheduledFloor.minReplicas", s.desired, "replicas", "replicas.desired during the declared peak window (KEDA cron trigger desiredReplicas / scheduled HPA floor)", { dailyPeakStartClockSeconds: dp.startClockSeconds, rampSeconds: dp.rampSeconds ?? 0, gpuProvisioningSeconds: provisioning });
      x.num("autoscaling.scheduledFloor.startClockSeconds", start, "s after midnight", "dailyPeak.startClockSeconds - (gpuProvisioningSeconds + one HPA period), rounded down to a minute (cron resolution): the new GPUs serve when the ramp begins", { startClockSeconds: dp.startClockSeconds, leadSeconds: preScaleLead });
      x.num("autoscaling.scheduledFloor.endClockSeconds", scheduledFloor.endClockSeconds, "s after midnight", "end of the declared window (ramp up, peak, ramp down), rounded up to a minute; may pass 86,400 for a window over midnight", { durationSeconds: dp.durationSeconds });
      x.num("autoscaling.scheduledFloorPreScaleNodeHoursPerDay", round(preScaleNodeHours, 2), "node-hours/day", "(nodes at desired - nodes at min) x lead: what pre-scaling adds to the day (in cost.byComponent.gpuNodes)", { leadSeconds: preScaleLead, usdPerHour: cc.spec.onDemandUsdPerHour, monthlyUsd: round((preScaleNodeHours * cc.spec.onDemandUsdPerHour * 730) / 24, 0) });
    }
    return {
      minReplicas: s.min,
      maxReplicas: s.max,
      ...(scheduledFloor ? { scheduledFloor } : {}),
      targetQueueDepthPerReplica: targetQueue,
      targetKvCacheUtilization: kvTarget,
      targetCpuUtilizationPercent: DEFAULT_CPU_TARGET_PERCENT,
      scaleUp: { ...HPA_SCALE_UP },
      scaleDown: { stabilizationWindowSeconds: HPA_SCALE_DOWN_STABILIZATION_SECONDS, periodSeconds: HPA_SCALE_DOWN_PERIOD_SECONDS, maxPodsPerPeriod: cc.replicasPerNode },
      workers: { minReplicas: workersMin, maxReplicas: workersMax, lagThreshold: 1, concurrencyPerWorker: conc, pollingIntervalSeconds: KEDA_POLLING_INTERVAL_SECONDS, cooldownSeconds: KEDA_COOLDOWN_SECONDS },
    };
  }

  /** Sequences in a replica's batch at a per-replica rate x (Little's law with the batch's own step time), capped at the slots. */
  function occupancyAt(cc: FeasibleCandidate, perReplicaRps: number): number {
    const o = demand.outputMean + 0.5;
    const prefillS = (demand.prefillMean ?? demand.promptMean) / cc.iteration.prefillTokensPerSecond;
    const denom = 1 - perReplicaRps * o * cc.iteration.perSequenceSeconds;
    if (denom <= 0) return cc.maxSeqs;
    return Math.min(cc.maxSeqs, (perReplicaRps * (prefillS + o * cc.iteration.fixedSeconds)) / denom);
  }

  /** Requests a replica may queue and still meet the TTFT p99: Little's law over the TTFT slack. */
  function pendingPerReplica(cc: FeasibleCandidate): number {
    return Math.max(1, Math.ceil(cc.maxRatePerReplica * (demand.ttftP99Seconds - cc.ttftServiceP99Seconds)));
  }

  function planAdmission(s: Sized, inf: InferencePlan): AdmissionPlan {
    const cc = s.c;
    const pending = pendingPerReplica(cc);
    // Rounded up, never down: a floor turned a 1.6 req/s replica into a 1 req/s gate that rejected traffic the plan was sized for.
    const maxRps = Math.max(1, Math.ceil(s.max * cc.maxRatePerReplica * (1 - asyncShare)));
    const burst = Math.max(1, pending * s.desired);
    const timeout = Math.ceil(inf.predicted.e2eP99Seconds * 1.25);
    const retryAfter = HPA_SYNC_PERIOD_SECONDS;
    x.num("admission.maxRequestsPerSecond", maxRps, "requests/s", "ceil(replicas.max x ratePerReplica x (1 - asyncShare)): sync API rate replicas.max serve within the SLO, rounded up so the gate never admits less than the plan serves", { max: s.max, ratePerReplica: cc.maxRatePerReplica, asyncShare });
    x.num("admission.burstRequests", burst, "requests", "pendingPerReplica x replicas.desired: what the warm replicas can queue within the TTFT p99", { pendingPerReplica: pending, desired: s.desired });
    x.num("admission.maxConcurrentRequestsPerReplica", cc.maxSeqs + pending, "requests", "maxConcurrentSequences + pendingPerReplica", { maxConcurrentSequences: cc.maxSeqs, pendingPerReplica: pending });
    x.num("admission.maxPendingRequestsPerReplica", pending, "requests", "ceil(ratePerReplica x (ttftP99 SLO - empty-queue TTFT p99)) (Little's law over the TTFT slack)", { ratePerReplica: cc.maxRatePerReplica, ttftP99Slo: demand.ttftP99Seconds, ttftServiceP99: cc.ttftServiceP99Seconds });
    x.num("admission.requestTimeoutSeconds", timeout, "s", "ceil(1.25 x predicted e2e p99): longer than the p99 so slow-but-healthy requests finish", { e2eP99Seconds: inf.predicted.e2eP99Seconds });
    x.num("admission.retryAfterSeconds", retryAfter, "s", "one HPA sync period: the earliest new capacity decision", {}, `${SRC_DATA} "Kubernetes HPA"`);
    return { maxRequestsPerSecond: maxRps, burstRequests: burst, maxConcurrentRequestsPerReplica: cc.maxSeqs + pending, maxPendingRequestsPerReplica: pending, requestTimeoutSeconds: timeout, retryAfterSeconds: retryAfter };
  }

  function planKvCache(s: Sized): KvCachePlan {
    const cc = s.c;
    const reusedPerSecond = gpuPeak * w.promptTokens.mean * effectiveHit;
    const tier = remote ? planRemoteTier(cc, remote) : undefined;
    const remoteTokens = tier ? Math.ceil(tier.storedPeakTokensPerSecond * prefix.remoteTierSeconds) : 0;
    const remoteGiB = (remoteTokens * cc.kvBytesPerToken) / GIB;
    const mechanisms = [
      ...(effectiveHit > 0 || tier
        ? [
            `prefill compute and TTFT: ${round(local.share * 100, 1)}% of prompt tokens served from vLLM automatic prefix caching (--enable-prefix-caching) on the replica holding the prefix`,
            prefix.routing === "prefix-affinity"
              ? "routing: the Gateway API Inference Extension endpoint picker's prefix-cache scorer sends a request to the replica holding its prefix"
              : `routing: least-request (no prefix affinity): a request lands on its prefix's replica 1 time in ${replicasWithoutReuse}, so the plan counts declared / ${replicasWithoutReuse}`,
            tier
              ? "KV offload: evicted prefix blocks go to host memory through LMCache's CPU tier (local_cpu, max_local_cpu_size), which replaces vLLM's native offload when the remote tier is on"
              : "KV offload: evicted prefix blocks go to host memory (vLLM native CPU offload, --kv-offloading-size), so a prefix outlives its GPU blocks",
          ]
        : []),
      ...(tier
        ? [
            tier.countedHitShare > 0
              ? `remote KV tier: ${round(tier.countedHitShare * 100, 1)}% of prompt tokens (hits on another replica, at ${round((1 - tier.fetchCostShare) * 100, 0)}% of their prefill saved) fetched from the ElastiCache Valkey cluster by LMCache (--kv-transfer-config LMCacheConnectorV1, remote_url rediss://)`
              : "remote KV tier: LMCache stores every prefilled chunk in the ElastiCache Valkey cluster; under prefix-affinity the replica's own tiers already deliver the declared share, so the plan counts no saving from it (it covers restarts and new replicas)",
          ]
        : []),
    ];
    x.str("kvCache.routing", prefix.routing, "workload.prefixCache.routing: prefix-affinity = the inference-extension endpoint picker's prefix-cache scorer; least-load = the least-request route", {});
    x.num("kvCache.declaredHitShare", prefix.promptTokenHitShare, "ratio", "workload.prefixCache.promptTokenHitShare", {});
    mechanisms.forEach((text, i) => x.str(`kvCache.mechanisms[${i}]`, text, "the deployed component behind this saving", {}));
    x.num("kvCache.bytesPerToken", cc.kvBytesPerToken, "bytes", m.mla ? "(kvLoraRank + qkRopeHeadDim) x layers x bytes" : "2 x layers x kvHeads x headDim x bytes", { layers: m.layers, kvHeads: m.kvHeads, headDim: m.headDim, precision: m.precision }, `${SRC_DATA} "Model memory"`);
    x.num(
      "kvCache.effectiveHitShare",
      round(effectiveHit, 4),
      "ratio",
      (prefix.routing === "prefix-affinity" ? "promptTokenHitShare (the endpoint picker routes to the prefix's replica)" : "promptTokenHitShare / replicas.desired without reuse (least-load lands on the prefix's replica 1 time in R)") +
        (tier && tier.countedHitShare > 0 ? " + remoteTier.countedHitShare (the rest of the declared share, fetched from Valkey, at its saving)" : ""),
      { promptTokenHitShare: prefix.promptTokenHitShare, routing: prefix.routing, replicas: replicasWithoutReuse, remoteCounted: tier?.countedHitShare ?? 0 },
      "deepseek-ai/open-infra-index 202502OpenSourceWeek day 6: 56.3% of input tokens hit the KV cache in production",
    );
    x.num("kvCache.reusedTokensPerSecond", round(reusedPerSecond, 1), "tokens/s", "peakRps x promptTokens.mean x effectiveHitShare: prompt tokens not prefilled at peak (remote hits at their saving)", { peakRps: gpuPeak, promptMean: w.promptTokens.mean, effectiveHitShare: effectiveHit });
    x.num("kvCache.remoteTierTokens", remoteTokens, "tokens", tier ? "prefilled prompt tokens/s at peak x prefixCache.remoteTierSeconds: LMCache stores every chunk it prefills and Valkey evicts the least recently used (allkeys-lru), so the tier keeps the last remoteTierSeconds of them" : "0: no remote tier (prefixCache.remoteTierSeconds 0)", { storedTokensPerSecond: tier?.storedPeakTokensPerSecond ?? 0, remoteTierSeconds: prefix.remoteTierSeconds });
    x.num("kvCache.remoteTierGiB", round(remoteGiB, 3), "GiB", "remoteTierTokens x bytesPerToken (consumer: LMCache's Redis connector; part of redis.memoryGiB)", { remoteTierTokens: remoteTokens, bytesPerToken: cc.kvBytesPerToken });
    const remoteTier = tier ? explainRemoteTier(tier) : undefined;
    return {
      bytesPerToken: cc.kvBytesPerToken,
      routing: prefix.routing,
      declaredHitShare: prefix.promptTokenHitShare,
      effectiveHitShare: round(effectiveHit, 4),
      reusedTokensPerSecond: round(reusedPerSecond, 1),
      remoteTierTokens: remoteTokens,
      remoteTierGiB: round(remoteGiB, 3),
      ...(remoteTier ? { remoteTier } : {}),
      mechanisms,
    };
  }

  /** Traffic of the remote tier for the chosen replica: stores (every prefilled token) and fetches (remote hits), at peak and spike. */
  function planRemoteTier(cc: FeasibleCandidate, g: RemoteTierGain & { countedHitShare: number }) {
    // Raw (uncounted) share of prompt tokens fetched: the declared hits the router sends to another replica.
    const fetchedShare = prefix.routing === "least-load" ? prefix.promptTokenHitShare - local.share : 0;
    const storedShare = 1 - prefix.promptTokenHitShare;
    const prompt = w.promptTokens.mean;
    const storedPeakTokensPerSecond = gpuPeak * prompt * storedShare;
    const stored = gpuSpike * prompt * storedShare;
    const fetched = gpuSpike * prompt * fetchedShare;
    const bandwidthGbps = ((stored + fetched) * cc.kvBytesPerToken * 8) / 1e9;
    // A prefilled chunk is looked up (EXISTS) before it is stored; a fetched one is looked up and read.
    const opsPerSecond = (stored / LMCACHE_CHUNK_TOKENS) * (LMCACHE_OPS_PER_STORED_CHUNK + 1) + (fetched / LMCACHE_CHUNK_TOKENS) * LMCACHE_OPS_PER_FETCHED_CHUNK;
    return { ...g, fetchedShare, storedPeakTokensPerSecond, storedTokensPerSecond: stored, fetchedTokensPerSecond: fetched, bandwidthGbps, opsPerSecond, chunkBytes: cc.kvBytesPerToken * LMCACHE_CHUNK_TOKENS, gpuShareGbps: g.gpuShareGbps };
  }

  function explainRemoteTier(t: ReturnType<typeof planRemoteTier>): KvRemoteTierPlan {
    const plan: KvRemoteTierPlan = {
      seconds: prefix.remoteTierSeconds,
      prefillTokensPerSecondPerReplica: round(t.prefillTokensPerSecond, 1),
      fetchGbpsPerReplica: round(t.fetchGbpsPerReplica, 3),
      fetchCostShare: round(t.fetchCostShare, 4),
      minNodeBaselineGbps: t.minNodeBaselineGbps,
      hitShare: round(t.fetchedShare, 4),
      countedHitShare: round(t.countedHitShare, 4),
      storedTokensPerSecond: round(t.storedTokensPerSecond, 1),
      fetchedTokensPerSecond: round(t.fetchedTokensPerSecond, 1),
      bandwidthGbps: round(t.bandwidthGbps, 3),
      opsPerSecond: Math.ceil(t.opsPerSecond),
    };
    x.num("kvCache.remoteTier.seconds", plan.seconds, "s", "workload.prefixCache.remoteTierSeconds", {});
    x.num("kvCache.remoteTier.prefillTokensPerSecondPerReplica", plan.prefillTokensPerSecondPerReplica, "tokens/s", "the chosen replica's prefill rate (TP x GPU TFLOPS x prefill efficiency / (2 x active parameters))", {});
    x.num("kvCache.remoteTier.fetchGbpsPerReplica", plan.fetchGbpsPerReplica, "Gbit/s", "min(GPU node network / replicas per node, one Valkey node's baseline bandwidth): a conservative bound (LMCache fetches a request's chunks concurrently from the shards that own them; that parallelism is not counted until measured)", { gpuNodeShareGbps: t.gpuShareGbps, valkeyNodeBaselineGbps: t.minNodeBaselineGbps }, "EC2 and ElastiCache network specifications (baseline, not burst)");
    x.num("kvCache.remoteTier.fetchCostShare", plan.fetchCostShare, "ratio", "(bytesPerToken x 8 / fetch bandwidth) / (1 / prefill rate): seconds to fetch a token over seconds to prefill it; a remote hit counts at 1 - this, and a tier with this >= 1 is refused", { bytesPerToken: t.chunkBytes / LMCACHE_CHUNK_TOKENS, prefillTokensPerSecond: t.prefillTokensPerSecond, fetchGbps: t.fetchGbpsPerReplica });
    x.num("kvCache.remoteTier.minNodeBaselineGbps", plan.minNodeBaselineGbps, "Gbit/s", "baseline bandwidth of the smallest Valkey node that fetches a token faster than the replica prefills it; redis.nodeType is at least this", {});
    x.num("kvCache.remoteTier.hitShare", plan.hitShare, "ratio", prefix.routing === "least-load" ? "promptTokenHitShare - local share: the declared hits the router sends to another replica, fetched from Valkey" : "0 under prefix-affinity", {});
    x.num("kvCache.remoteTier.countedHitShare", plan.countedHitShare, "ratio", prefix.routing === "least-load" ? "(promptTokenHitShare - local share) x (1 - fetchCostShare): hits on another replica, fetched" : "0 under prefix-affinity: the picker already delivers the declared share from the replica's own tiers", {});
    x.num("kvCache.remoteTier.bandwidthGbps", plan.bandwidthGbps, "Gbit/s", "(stored + fetched tokens/s at the spike) x bytesPerToken x 8: what Valkey's primaries carry (redis.shards honours it)", { storedTokensPerSecond: t.storedTokensPerSecond, fetchedTokensPerSecond: t.fetchedTokensPerSecond });
    x.num("kvCache.remoteTier.opsPerSecond", plan.opsPerSecond, "ops/s", `stored chunks/s x ${LMCACHE_OPS_PER_STORED_CHUNK + 1} (EXISTS, SET kv_bytes, SET metadata) + fetched chunks/s x ${LMCACHE_OPS_PER_FETCHED_CHUNK} (EXISTS, GET metadata, GET kv_bytes), ${LMCACHE_CHUNK_TOKENS}-token chunks`, {}, "LMCache Redis connector");
    return plan;
  }

  function planClassic(s: Sized): ClassicPlan {
    const cc = s.c;
    const meanResponse = round(cc.ttftServiceMeanSeconds + (demand.outputMean - 1) * cc.tpotMeanSeconds, 3);
    // The article's "per-instance throughput": what the engine admits by memory alone (KV-cache slots),
    // which is how the formula is applied when TPOT and TTFT are not modelled.
    const naiveConcurrency = cc.memorySeqs;
    const instances = classicInstanceCount({ peakRequestsPerSecond: apiPeak, meanResponseSeconds: meanResponse, perInstanceConcurrency: naiveConcurrency, safetyFactor: sf });
    x.num("classic.instances", instances, "instances", "ceil(peak QPS x mean response time / per-instance concurrency x safety factor)", { peakRequestsPerSecond: apiPeak, meanResponseSeconds: meanResponse, perInstanceConcurrency: naiveConcurrency, safetyFactor: sf }, "source article");
    x.num("classic.peakRequestsPerSecond", apiPeak, "requests/s", "workload.peakRequestsPerSecond (the article ignores the cache)", {});
    x.num("classic.meanResponseSeconds", meanResponse, "s", "empty-queue TTFT mean + (outputMean - 1) x TPOT of the chosen replica", { ttftMean: cc.ttftServiceMeanSeconds, outputMean: demand.outputMean, tpot: cc.tpotMeanSeconds });
    // What the classic sizing silently accepts: running every replica at that concurrency.
    const tpotAtNaive = iterationSeconds(cc.iteration, naiveConcurrency) * TPOT_P99_OVER_MEAN;
    x.num("classic.perInstanceConcurrency", naiveConcurrency, "requests", "sequences the chosen replica's KV cache holds at mean length: concurrency by memory alone", { memorySequences: cc.memorySeqs, tpotP99AtThisConcurrency: tpotAtNaive, tpotP99Slo: demand.tpotP99Seconds, plannedBatch: cc.maxSeqs });
    x.num("classic.safetyFactor", sf, "ratio", "input safetyFactor", {});
    return { instances, peakRequestsPerSecond: apiPeak, meanResponseSeconds: meanResponse, perInstanceConcurrency: naiveConcurrency, safetyFactor: sf };
  }
}

/** Whether, and how much, fetching a token's KV from the remote tier beats prefilling it on a replica. */
interface RemoteTierGain {
  readonly pays: boolean;
  readonly prefillTokensPerSecond: number;
  readonly gpuShareGbps: number;
  /** Bandwidth at which a fetch takes as long as the prefill it replaces, Gbit/s. */
  readonly breakEvenGbps: number;
  readonly fetchGbpsPerReplica: number;
  readonly fetchCostShare: number;
  readonly minNodeBaselineGbps: number;
}

/**
 * A remote hit saves the prefill of the token (1 / prefill rate seconds) and costs its fetch (KV bytes over
 * the bandwidth one replica gets: its share of the GPU node's network, and at most one Valkey node's baseline).
 * It pays when the fetch is faster, on the smallest Valkey node type for which it is.
 */
function remoteTierGain(c: FeasibleCandidate): RemoteTierGain {
  const prefillTokensPerSecond = c.iteration.prefillTokensPerSecond;
  const gpuShareGbps = c.spec.networkGbps / c.replicasPerNode;
  const breakEvenGbps = (c.kvBytesPerToken * 8 * prefillTokensPerSecond) / 1e9;
  const byBandwidth = [...REDIS_NODE_CATALOG].sort((a, b) => a.baselineGbps - b.baselineGbps);
  const node = byBandwidth.find((n) => n.baselineGbps > breakEvenGbps) ?? byBandwidth[byBandwidth.length - 1];
  const nodeGbps = node?.baselineGbps ?? 0;
  const fetchGbpsPerReplica = Math.min(gpuShareGbps, nodeGbps);
  const fetchCostShare = fetchGbpsPerReplica > 0 ? breakEvenGbps / fetchGbpsPerReplica : Infinity;
  return { pays: fetchCostShare < 1, prefillTokensPerSecond, gpuShareGbps, breakEvenGbps, fetchGbpsPerReplica, fetchCostShare, minNodeBaselineGbps: nodeGbps };
}

const REDIS_FASTEST_BASELINE_GBPS = Math.max(...REDIS_NODE_CATALOG.map((n) => n.baselineGbps));

function remoteTierDoesNotPay(g: RemoteTierGain, c: FeasibleCandidate, seconds: number): CapacityError {
  const p = new Problems("capacity plan");
  const fetchUs = (c.kvBytesPerToken * 8) / (g.fetchGbpsPerReplica * 1e3);
  const prefillUs = 1e6 / g.prefillTokensPerSecond;
  p.add(
    CAPACITY_CODES.kvRemoteTierDoesNotPay,
    "workload.prefixCache.remoteTierSeconds",
    seconds,
    `0 for this model on ${c.spec.instanceType} TP${c.tensorParallel}: fetching one token's KV (${round(c.kvBytesPerToken / 1024, 1)} KiB at ${round(g.fetchGbpsPerReplica, 2)} Gbit/s = min(GPU node network share ${round(g.gpuShareGbps, 2)}, Valkey node baseline ${g.minNodeBaselineGbps}; the fastest catalogued node gives ${REDIS_FASTEST_BASELINE_GBPS})) takes ${round(fetchUs, 2)} us, prefilling it again ${round(prefillUs, 2)} us; a remote hit would slow prefill instead of saving it (a fetch pays above ${round(g.breakEvenGbps, 2)} Gbit/s). Fix: set remoteTierSeconds 0 (the GPU and CPU tiers stay), or serve a model with fewer KV bytes per token (MLA, fp8 KV)`,
  );
  return new CapacityError("capacity plan", p.list);
}

/**
 * Rounds a predicted latency for display without crossing the SLO it was sized against: to `digits`
 * decimals, but never above the SLO when the exact value is within it (a 0.062958 s TPOT shown as 0.063
 * would read as a miss of a 0.062958 s objective).
 */
function roundDown(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.floor(value * f + 1e-9) / f;
}

/** Precisions below `p` in bytes per weight, best first (only ones that really shrink the model). */
function lowerPrecisions(p: Precision): Precision[] {
  return p === "bf16" || p === "fp16" ? ["fp8", "int4"] : p === "fp8" ? ["int4"] : [];
}

/** Largest-TP replica of `spec` has room for the weights plus one max-length sequence. */
function fitsSomeReplica(spec: GpuInstanceSpec, model: ModelInput): boolean {
  const maxTp = Math.max(...TENSOR_PARALLEL_SIZES.filter((tp) => tp <= spec.gpuCount && spec.gpuCount % tp === 0));
  return maxTp * usableBytesPerGpu(spec) - weightBytes(model) >= kvBytesPerToken(model) * model.maxContextTokens;
}

/**
 * Builds the infeasibility error when no (type, TP) candidate can serve the model and SLOs. Every
 * fix it names is checked: the GPU types it suggests do fit the model, a precision it suggests is
 * lower than the model's and does fit.
 */
function infeasibleGpu(rejected: readonly Rejection[], input: CapacityInput): CapacityError {
  const p = new Problems("capacity plan");
  const memory = rejected.filter((r): r is Extract<Rejection, { kind: "memory" }> => r.kind === "memory");
  const tpot = rejected.filter((r): r is Extract<Rejection, { kind: "tpot" }> => r.kind === "tpot");
  const ttft = rejected.filter((r): r is Extract<Rejection, { kind: "ttft" }> => r.kind === "ttft");
  const m = input.model;
  const tried = new Set(rejected.map((r) => r.spec.instanceType));
  if (memory.length === rejected.length) {
    const maxTp = Math.max(...memory.map((q) => q.tensorParallel));
    const smallest = Math.min(...memory.filter((r) => r.tensorParallel === maxTp).map((r) => r.neededPerGpuGiB));
    const fixes: string[] = [];
    const bigger = GPU_INSTANCE_CATALOG.filter((spec) => !tried.has(spec.instanceType) && fitsSomeReplica(spec, m));
    if (bigger.length > 0) fixes.push(`add a GPU type that fits it to gpu.instanceTypes (${bigger.map((b) => `${b.instanceType} ${b.gpuCount}x ${Math.round((b.gpuMemoryMiB * MIB) / 1e9)} GB`).join(", ")})`);
    const candidates = [...new Map(rejected.map((r) => [r.spec.instanceType, r.spec])).values()];
    const pool = [...candidates, ...bigger];
    const lower = lowerPrecisions(m.precision).filter((q) => pool.some((spec) => fitsSomeReplica(spec, { ...m, precision: q })));
    if (lower.length > 0) fixes.push(`quantize to ${lower.join(" or ")}`);
    const tokensThatFit = Math.max(0, ...pool.map((spec) => {
      const maxTpSpec = Math.max(...TENSOR_PARALLEL_SIZES.filter((tp) => tp <= spec.gpuCount && spec.gpuCount % tp === 0));
      return Math.floor((maxTpSpec * usableBytesPerGpu(spec) - weightBytes(m)) / kvBytesPerToken(m));
    }));
    const needed = input.workload.promptTokens.mean + input.workload.outputTokens.mean;
    if (tokensThatFit >= needed) fixes.push(`lower model.maxContextTokens to at most ${tokensThatFit}`);
    if (fixes.length === 0) fixes.push(`no catalog GPU holds these weights at ${m.precision}${lowerPrecisions(m.precision).length ? " or any lower precision" : ""}: serve a smaller model, or list a GpuInstanceSpec with more memory in gpu.instanceTypes (multi-node tensor parallelism is not modelled)`);
    p.add(CAPACITY_CODES.modelDoesNotFit, "model.precision", m.precision, `weights (${round(weightBytes(m) / GIB, 1)} GiB) plus one ${m.maxContextTokens}-token sequence fit no candidate GPU replica; at TP${maxTp} each GPU would need ~${round(smallest, 1)} GiB. Fix: ${fixes.join("; or ")}`);
  }
  if (tpot.length > 0 && memory.length + tpot.length === rejected.length) {
    const best = [...tpot].sort((a, b) => a.floorSeconds - b.floorSeconds)[0] as (typeof tpot)[number];
    const lower = lowerPrecisions(m.precision);
    const faster = GPU_INSTANCE_CATALOG.filter((spec) => !tried.has(spec.instanceType) && spec.memoryBandwidthGBps > best.spec.memoryBandwidthGBps && fitsSomeReplica(spec, m)).map((spec) => spec.instanceType);
    const fixes = ["relax the TPOT SLO", ...(lower.length > 0 ? [`quantize to ${lower.join(" or ")} (fewer weight bytes per step)`] : []), ...(faster.length > 0 ? [`add higher-bandwidth GPUs to gpu.instanceTypes (${faster.join(", ")})`] : [])];
    p.add(CAPACITY_CODES.tpotBelowFloor, "workload.slo.tpotP99Seconds", input.workload.slo.tpotP99Seconds, `at least ${round(best.floorSeconds, 4)} s: the unbatched TPOT p99 floor of the fastest candidate (${best.spec.instanceType} TP${best.tensorParallel}). Fix: ${fixes.join(", ")}`);
  }
  if (ttft.length > 0) {
    const best = [...ttft].sort((a, b) => a.floorSeconds - b.floorSeconds)[0] as (typeof ttft)[number];
    const faster = GPU_INSTANCE_CATALOG.filter((spec) => !tried.has(spec.instanceType) && effectiveTflops(spec, m.precision) > effectiveTflops(best.spec, m.precision) && fitsSomeReplica(spec, m)).map((spec) => spec.instanceType);
    p.add(CAPACITY_CODES.ttftUnreachable, "workload.slo.ttftP99Seconds", input.workload.slo.ttftP99Seconds, `more than ${round(best.floorSeconds, 4)} s: the empty-queue TTFT p99 (a p99 prompt's prefill plus scheduling) of the best candidate (${best.spec.instanceType} TP${best.tensorParallel}). Fix: relax the TTFT SLO, shorten promptTokens.p99${faster.length > 0 ? `, or add higher-FLOPS GPUs to gpu.instanceTypes (${faster.join(", ")})` : ""}`);
  }
  return new CapacityError("capacity plan", p.list);
}

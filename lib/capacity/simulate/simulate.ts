/**
 * `simulate(plan, profile, options)`: plays a traffic profile against a
 * capacity plan with a deterministic discrete-event simulation.
 */
import type { CapacityPlan } from "../types";
import { Problems } from "../../core/validation";
import { DEFAULT_AVAILABILITY_ZONES, DEFAULT_GPU_PROVISIONING_SECONDS, DEFAULT_TOKEN_P99_FACTOR } from "../constants";
import { runEngine, type EngineConfig } from "./private/engine";
import { lognormalFromMeanP99 } from "./private/random";
import { rateAt, type TrafficProfile, type ZoneLoss } from "./profiles";
import { summarize, type SimulationSummary } from "./summary";
import { checkFaults, type KafkaOutage, type NodeLoss } from "./faults";

/** Kubernetes HPA controller defaults (kube-controller-manager `--horizontal-pod-autoscaler-sync-period` and `-tolerance`). */
export const HPA_SYNC_SECONDS = 15;
/** See {@link HPA_SYNC_SECONDS}. */
export const HPA_TOLERANCE = 0.1;

/**
 * Share of `gpuProvisioningSeconds` that a pod needs on a node that already has
 * a free GPU (image pull of a 10-20 GB image plus loading the weights); the
 * rest is the EC2 launch and node join. An assumption, see README: set
 * `podStartSeconds` when you have measured it.
 */
export const DEFAULT_POD_START_FRACTION = 0.4;

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** PRNG seed; equal seeds give identical results. @default 1 */
  readonly seed?: number;
  /** Width of one time-series window, seconds. @default 60 */
  readonly windowSeconds?: number;
  /**
   * `batched`: prefill lane plus bandwidth-bound decode whose step time grows with the batch.
   * `exponential`: each batch slot an exponential server of mean `meanServiceSeconds`, for checking against Erlang C.
   * @default "batched"
   */
  readonly serviceModel?: "batched" | "exponential";
  /** Seconds for a pod to start on a node with a free GPU. @default DEFAULT_POD_START_FRACTION x gpuProvisioningSeconds */
  readonly podStartSeconds?: number;
  /** Seconds an empty GPU node lives before scale-down (cluster-autoscaler `scale-down-unneeded-time`). @default 600 */
  readonly nodeUnneededSeconds?: number;
  /** Seconds for a new async worker pod (CPU only) to start. @default 20 */
  readonly workerStartSeconds?: number;
  /**
   * `low`: async requests only take batch slots no sync request waits for (vLLM `--scheduling-policy priority`);
   * `fifo`: they share the sync queue.
   * @default "low"
   */
  readonly asyncPriority?: "low" | "fifo";
  /** A zone loss, replacing the profile's. @default the profile's, if any */
  readonly zoneLoss?: ZoneLoss;
  /** GPU nodes terminated (a chaos drill), see `faults.ts`. @default none */
  readonly nodeLoss?: NodeLoss;
  /** A window in which workers cannot consume from Kafka (broker reboot), see `faults.ts`. @default none */
  readonly kafkaOutage?: KafkaOutage;
  /** Run the HPA; off holds the initial replicas (steady-state validation). @default true */
  readonly autoscale?: boolean;
  /** Replicas at time 0. @default the HPA's steady state at the profile's first rate, within min..max */
  readonly initialReplicas?: number;
  /** Longest run after the arrivals end, to let queues and Kafka drain. @default 3600 */
  readonly drainSeconds?: number;
  /** Largest share of sync requests answered 429 that still counts as holding the SLO. @default 0.01 */
  readonly maxRejectedShare?: number;
}

/** One window of the time series. Arrays are parallel, one entry per window. */
export interface SimulationSeries {
  /** Window width, seconds. */
  readonly windowSeconds: number;
  /** Window start, seconds from the profile start. */
  readonly startSeconds: readonly number[];
  /** Requests arriving (all paths). */
  readonly arrivals: readonly number[];
  /** Requests answered from the Redis cache. */
  readonly cacheHits: readonly number[];
  /** Requests completed (cache, sync and async). */
  readonly served: readonly number[];
  /** Sync requests answered 429 by admission control. */
  readonly rejected: readonly number[];
  /** 5xx: no healthy upstream, route timeouts, requests lost with a zone. */
  readonly failed: readonly number[];
  /** Requests waiting for a batch slot at the window's end. */
  readonly queueDepth: readonly number[];
  /** Kafka consumer lag (produced - consumed) at the window's end. */
  readonly kafkaLag: readonly number[];
  /** Ready inference replicas at the window's end. */
  readonly replicasReady: readonly number[];
  /** HPA `spec.replicas` at the window's end. */
  readonly replicasDesired: readonly number[];
  /** GPU nodes (launching or running) at the window's end. */
  readonly nodes: readonly number[];
  /** Ready async workers at the window's end. */
  readonly workers: readonly number[];
  /** p99 TTFT of the sync requests whose first token came in the window, seconds (0 when none). */
  readonly ttftP99Seconds: readonly number[];
}

/** What {@link simulate} returns. */
export interface SimulationResult {
  /** The profile played. */
  readonly profile: TrafficProfile;
  /** Per-window time series. */
  readonly series: SimulationSeries;
  /** Percentiles, shares, Kafka, Little's law and the SLO verdict. */
  readonly summary: SimulationSummary;
  /** Events processed (for performance figures). */
  readonly events: number;
}

/**
 * Simulates `profile` against `plan`.
 *
 * Throws a `ValidationError` (codes `SIM_*`) when the plan or options cannot be
 * simulated, listing every problem.
 *
 * @example
 * const result = simulate(plan, namedProfile("festival-spike", plan.input.workload), { seed: 7 });
 * if (!result.summary.sloMet) console.log(result.summary.reason);
 */
export function simulate(plan: CapacityPlan, profile: TrafficProfile, options: SimulateOptions = {}): SimulationResult {
  const cfg = engineConfig(plan, profile, options);
  const raw = runEngine(cfg);
  const series: SimulationSeries = { windowSeconds: cfg.windowSeconds, ...raw.series };
  const summary = summarize(plan, profile, raw, series, {
    maxRejectedShare: options.maxRejectedShare ?? 0.01,
    nodeProvisioningSeconds: cfg.nodeProvisioningSeconds,
    podStartSeconds: cfg.podStartSeconds,
    batched: cfg.serviceModel === "batched",
  });
  return { profile, series, summary, events: raw.events };
}

/** Resolves the plan, profile and options into the engine's numbers. Exported for tests. */
export function engineConfig(plan: CapacityPlan, profile: TrafficProfile, options: SimulateOptions): EngineConfig {
  const problems = new Problems(`simulation of profile '${profile.name}'`);
  const input = plan.input;
  const w = input.workload;
  const inf = plan.inference;
  const per = inf.perReplica;
  const a = plan.autoscaling;
  const zones = input.availabilityZones ?? DEFAULT_AVAILABILITY_ZONES;
  const gpuProvisioningSeconds = input.gpuProvisioningSeconds ?? DEFAULT_GPU_PROVISIONING_SECONDS;
  problems.checkNumber("SIM_PLAN_GPU_PROVISIONING", "plan.input.gpuProvisioningSeconds", gpuProvisioningSeconds, { min: 0, max: 7200 });
  problems.checkNumber("SIM_PLAN_SLOTS", "plan.inference.perReplica.maxConcurrentSequences", per.maxConcurrentSequences, { min: 1, integer: true });
  problems.checkNumber("SIM_PLAN_OUTPUT_RATE", "plan.inference.perReplica.outputTokensPerSecond", per.outputTokensPerSecond, { min: 0, exclusiveMin: true });
  problems.checkNumber("SIM_PLAN_PREFILL_RATE", "plan.inference.perReplica.prefillTokensPerSecond", per.prefillTokensPerSecond, { min: 0, exclusiveMin: true });
  problems.checkNumber("SIM_PLAN_SERVICE_TIME", "plan.inference.perReplica.meanServiceSeconds", per.meanServiceSeconds, { min: 0, exclusiveMin: true });
  problems.checkNumber("SIM_PLAN_REPLICAS_PER_NODE", "plan.inference.replicasPerNode", inf.replicasPerNode, { min: 1, integer: true });
  problems.checkNumber("SIM_PLAN_MAX_REPLICAS", "plan.autoscaling.maxReplicas", a.maxReplicas, { min: Math.max(1, a.minReplicas), integer: true });
  problems.checkNumber("SIM_PLAN_QUEUE_TARGET", "plan.autoscaling.targetQueueDepthPerReplica", a.targetQueueDepthPerReplica, { min: 0, exclusiveMin: true });
  problems.checkNumber("SIM_PLAN_KV_TARGET", "plan.autoscaling.targetKvCacheUtilization", a.targetKvCacheUtilization, { min: 0, max: 1, exclusiveMin: true });
  problems.checkNumber("SIM_PLAN_LAG_THRESHOLD", "plan.autoscaling.workers.lagThreshold", a.workers.lagThreshold, { min: 0, exclusiveMin: true });
  problems.checkNumber("SIM_OPT_WINDOW", "options.windowSeconds", options.windowSeconds ?? 60, { min: 1, max: 86_400 });
  problems.checkNumber("SIM_OPT_POD_START", "options.podStartSeconds", options.podStartSeconds ?? 0, { min: 0, max: gpuProvisioningSeconds });
  problems.checkNumber("SIM_OPT_DRAIN", "options.drainSeconds", options.drainSeconds ?? 0, { min: 0, max: 7 * 86_400 });
  if (options.initialReplicas !== undefined) problems.checkNumber("SIM_OPT_INITIAL_REPLICAS", "options.initialReplicas", options.initialReplicas, { min: 1, max: a.maxReplicas, integer: true });
  const zoneLoss = options.zoneLoss ?? profile.zoneLoss;
  if (zoneLoss) problems.checkNumber("SIM_ZONE_LOSS_ZONE", "zoneLoss.zone", zoneLoss.zone, { min: 0, max: zones - 1, integer: true });
  checkFaults(problems, options, profile.durationSeconds);
  problems.throwIfAny();

  const serviceModel = options.serviceModel ?? "batched";
  const slots = per.maxConcurrentSequences;
  const promptP99 = w.promptTokens.p99 ?? w.promptTokens.mean * DEFAULT_TOKEN_P99_FACTOR;
  const outputP99 = w.outputTokens.p99 ?? w.outputTokens.mean * DEFAULT_TOKEN_P99_FACTOR;

  const { fixedSeconds, perSequenceSeconds } = iterationOf(plan);
  const exp = serviceModel === "exponential";

  // No whole-response cache is deployed: every request reaches a replica (the cache-hit counts stay 0).
  const cache = 0;
  const declaredHit = w.prefixCache?.promptTokenHitShare ?? 0;
  const asyncShare = w.asyncShare ?? 0;
  const rate0 = profile.rate.length > 0 ? rateAt(profile.rate, 0) : 0;
  const gpuRate0 = rate0 * (1 - cache);
  // Start where the HPA would have settled at the first rate: each replica near the KV-use
  // target, whose batch sets the service time (Little's law: replicas = rate x S(n) / n).
  const kvUsePerBusySlot = kvUseOfFullBatch(plan) / slots;
  const target = Math.max(1, Math.min(slots, a.targetKvCacheUtilization / kvUsePerBusySlot));
  const serviceAtTarget = exp
    ? per.meanServiceSeconds
    : w.promptTokens.mean / per.prefillTokensPerSecond + (w.outputTokens.mean + 1) * (fixedSeconds + perSequenceSeconds * target);
  const steady = Math.ceil((gpuRate0 * serviceAtTarget) / target);
  // A scheduled floor (autoscaling.scheduledFloor) in engine time: clock minus the profile's start clock.
  const sf = a.scheduledFloor;
  const scheduledFloor = sf ? { fromSeconds: sf.startClockSeconds - profile.startClockSeconds, toSeconds: sf.endClockSeconds - profile.startClockSeconds, replicas: sf.minReplicas } : undefined;
  const floorAtStart = scheduledFloor && scheduledFloor.fromSeconds <= 0 && scheduledFloor.toSeconds > 0 ? scheduledFloor.replicas : 0;
  const initialReplicas = options.initialReplicas ?? Math.min(a.maxReplicas, Math.max(a.minReplicas, steady, floorAtStart, 1));
  const asyncInFlight0 = gpuRate0 * asyncShare * per.meanServiceSeconds;
  const workersInitial = Math.min(a.workers.maxReplicas, Math.max(a.workers.minReplicas, Math.ceil(asyncInFlight0 / a.workers.concurrencyPerWorker)));

  const provisioning = gpuProvisioningSeconds;
  // With the input's phase breakdown, a pod on a node with a free GPU pays the image pull and the model load.
  const phases = input.gpuProvisioning;
  const podStartSeconds = options.podStartSeconds ?? (phases ? Math.min(provisioning, phases.imagePullSeconds + phases.modelLoadSeconds) : DEFAULT_POD_START_FRACTION * provisioning);
  const streams: { rate: TrafficProfile["rate"]; asyncOnly: boolean }[] = [{ rate: profile.rate, asyncOnly: false }];
  for (const b of profile.batches ?? []) {
    const r = b.requests / b.durationSeconds;
    streams.push({
      asyncOnly: true,
      rate: [
        { atSeconds: b.atSeconds, requestsPerSecond: 0 },
        { atSeconds: b.atSeconds, requestsPerSecond: r },
        { atSeconds: b.atSeconds + b.durationSeconds, requestsPerSecond: r },
        { atSeconds: b.atSeconds + b.durationSeconds, requestsPerSecond: 0 },
      ],
    });
  }
  return {
    seed: options.seed ?? 1,
    arrivalSeconds: profile.durationSeconds,
    maxRunSeconds: profile.durationSeconds + (options.drainSeconds ?? 3600),
    windowSeconds: options.windowSeconds ?? 60,
    streams,
    ...(scheduledFloor ? { scheduledFloor } : {}),
    ...(declaredHit > 0 ? { prefix: prefixConfigOf(plan, declaredHit, w.prefixCache?.routing ?? "prefix-affinity") } : {}),
    asyncShare,
    prompt: lognormalFromMeanP99(w.promptTokens.mean, promptP99),
    output: lognormalFromMeanP99(w.outputTokens.mean, outputP99),
    maxContextTokens: input.model.maxContextTokens,
    serviceModel,
    meanServiceSeconds: per.meanServiceSeconds,
    slotsPerReplica: slots,
    prefillTokensPerSecond: per.prefillTokensPerSecond,
    stepBaseSeconds: exp ? 1 : fixedSeconds,
    stepPerSequenceSeconds: exp ? 0 : perSequenceSeconds,
    admission: {
      ratePerSecond: plan.admission.maxRequestsPerSecond,
      burst: Math.max(1, plan.admission.burstRequests),
      maxInSystemPerReplica: plan.admission.maxConcurrentRequestsPerReplica,
      maxPendingPerReplica: plan.admission.maxPendingRequestsPerReplica,
      timeoutSeconds: plan.admission.requestTimeoutSeconds,
    },
    hpa: {
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      tolerance: HPA_TOLERANCE,
      syncSeconds: HPA_SYNC_SECONDS,
      scaleUpStabilizationSeconds: a.scaleUp.stabilizationWindowSeconds,
      scaleUpPeriodSeconds: a.scaleUp.periodSeconds,
      scaleUpMaxPods: a.scaleUp.maxPodsPerPeriod,
      scaleUpMaxPercent: a.scaleUp.maxPercentPerPeriod,
      scaleDownStabilizationSeconds: a.scaleDown.stabilizationWindowSeconds,
      scaleDownPeriodSeconds: a.scaleDown.periodSeconds,
      scaleDownMaxPods: a.scaleDown.maxPodsPerPeriod,
      targetQueuePerReplica: a.targetQueueDepthPerReplica,
      targetKvUtilization: a.targetKvCacheUtilization,
      kvUsePerBusySlot,
    },
    autoscale: options.autoscale ?? true,
    zones,
    replicasPerNode: inf.replicasPerNode,
    nodesMin: inf.nodes.min,
    // The node group's max size is a hard limit: pods beyond it stay Pending, as in a cluster.
    nodesMax: inf.nodes.max,
    initialReplicas,
    podStartSeconds,
    nodeProvisioningSeconds: Math.max(0, provisioning - podStartSeconds),
    nodeUnneededSeconds: options.nodeUnneededSeconds ?? 600,
    workers: {
      min: a.workers.minReplicas,
      max: a.workers.maxReplicas,
      lagThreshold: a.workers.lagThreshold,
      concurrency: a.workers.concurrencyPerWorker,
      pollingSeconds: a.workers.pollingIntervalSeconds,
      cooldownSeconds: a.workers.cooldownSeconds,
      startSeconds: options.workerStartSeconds ?? 20,
      initial: workersInitial,
    },
    asyncPriority: options.asyncPriority ?? "low",
    ...(zoneLoss ? { zoneLoss } : {}),
    ...(options.nodeLoss ? { nodeLoss: options.nodeLoss } : {}),
    ...(options.kafkaOutage ? { kafkaOutage: options.kafkaOutage } : {}),
  };
}

/**
 * KV-cache use (0-1, the unit of vLLM's `kv_cache_usage_perc` and of the HPA target) when every batch
 * slot runs a mean-length sequence: recorded by the capacity model in the explanation of
 * `autoscaling.targetKvCacheUtilization`; a hand-written plan without it counts a full batch as 100%.
 */
export function kvUseOfFullBatch(plan: CapacityPlan): number {
  const v = Number(plan.explanations.find((e) => e.field === "autoscaling.targetKvCacheUtilization")?.inputs?.["kvAtFullBatch"]);
  return Number.isFinite(v) && v > 0 && v <= 1 ? v : 1;
}

/**
 * The decode iteration time tau(B) = fixed + perSequence x B of one replica.
 *
 * Decode is bandwidth bound: a step reads the weights once plus the KV cache of every
 * sequence in the batch (capacity-data.md, "Model memory"), so the step time grows with
 * the batch. The capacity model records both coefficients in the explanation of
 * `inference.predicted.tpotP99Seconds`; a plan without them (hand-written) is calibrated
 * so a full batch gives the plan's mean service time, with the fixed/per-sequence split
 * following the bytes read (weights vs KV cache at the mean sequence length).
 */
export function iterationOf(plan: CapacityPlan): { readonly fixedSeconds: number; readonly perSequenceSeconds: number } {
  const inputs = plan.explanations.find((e) => e.field === "inference.predicted.tpotP99Seconds")?.inputs;
  const fixed = Number(inputs?.["fixedSeconds"]);
  const perSeq = Number(inputs?.["perSequenceSeconds"]);
  if (Number.isFinite(fixed) && Number.isFinite(perSeq) && fixed > 0 && perSeq >= 0) return { fixedSeconds: fixed, perSequenceSeconds: perSeq };
  const w = plan.input.workload;
  const inf = plan.inference;
  const slots = inf.perReplica.maxConcurrentSequences;
  const decodeSeconds = inf.perReplica.meanServiceSeconds - w.promptTokens.mean / inf.perReplica.prefillTokensPerSecond;
  const tauFull = decodeSeconds > 0 ? decodeSeconds / (w.outputTokens.mean + 0.5) : inf.perReplica.meanServiceSeconds / (w.outputTokens.mean + 0.5);
  const kvPerSeqGiB = ((w.promptTokens.mean + w.outputTokens.mean / 2) * inf.memory.kvCachePerTokenKiB) / 1024 / 1024;
  const weightsGiB = inf.memory.weightsGiB;
  const fixedShare = weightsGiB > 0 ? weightsGiB / (weightsGiB + slots * kvPerSeqGiB) : 0;
  return { fixedSeconds: tauFull * fixedShare, perSequenceSeconds: (tauFull * (1 - fixedShare)) / slots };
}

/** The engine's prefix reuse: the declared share under the plan's router, plus the remote KV tier where the plan counts one. */
function prefixConfigOf(plan: CapacityPlan, hitShare: number, routing: "prefix-affinity" | "least-load"): NonNullable<EngineConfig["prefix"]> {
  const remote = plan.kvCache?.remoteTier;
  return remote && remote.countedHitShare > 0 ? { hitShare, routing, remoteFetchCostShare: remote.fetchCostShare } : { hitShare, routing };
}

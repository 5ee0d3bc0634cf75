/**
 * Turns a raw run into percentiles, shares, the SLO verdict, the worst window
 * and a suggested fix in the plan's own terms.
 */
import type { CapacityPlan } from "../types";
import { DEFAULT_MAX_QUEUE_DELAY_SECONDS } from "../constants";
import type { EngineResult } from "./private/engine";
import type { LogHistogram } from "./private/histogram";
import type { TrafficProfile } from "./profiles";
import type { SimulationSeries } from "./simulate";

/** Percentiles of a latency, seconds. */
export interface LatencyStats {
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Requests measured. */
  readonly count: number;
}

/** The stretch of windows where the SLO was worst. */
export interface WorstWindow {
  /** Start of the first violating window, seconds from the profile start. */
  readonly fromSeconds: number;
  /** End of the last violating window, seconds from the profile start. */
  readonly toSeconds: number;
  /** The same as wall-clock `HH:MM` labels. */
  readonly fromClock: string;
  readonly toClock: string;
  /** Highest per-window p99 TTFT in the stretch, seconds. */
  readonly ttftP99Seconds: number;
}

/** Summary of a run. */
export interface SimulationSummary {
  /** Counts over the whole run. */
  readonly requests: {
    readonly arrivals: number;
    readonly cacheHits: number;
    /** Sync requests that reached the gateway (not cached, not async). */
    readonly syncOffered: number;
    readonly syncServed: number;
    readonly asyncProduced: number;
    readonly asyncServed: number;
    /** 429 from admission control. */
    readonly rejected: number;
    /** 5xx: no upstream, route timeout, lost with a zone. */
    readonly failed: number;
    readonly timedOut: number;
    /** Sync requests re-sent by the mesh after their replica was lost before any token. */
    readonly retried: number;
  };
  /** Share of GPU-served sync requests that waited for a batch slot (Erlang C's C(c, A) in steady state). */
  readonly waitedShare: number;
  /** TTFT of GPU-served sync requests (cache hits excluded: they never wait for a GPU). */
  readonly ttftSeconds: LatencyStats;
  /** End-to-end latency of GPU-served sync requests. */
  readonly e2eSeconds: LatencyStats;
  /** Time per output token of sync requests (batched model only). */
  readonly tpotSeconds: LatencyStats;
  /** Wait for a batch slot of sync requests. */
  readonly queueWaitSeconds: LatencyStats;
  /** End-to-end latency of async requests, from produce to result. */
  readonly asyncE2eSeconds: LatencyStats;
  /** rejected / syncOffered. */
  readonly rejectedShare: number;
  /** failed / syncOffered. */
  readonly errorShare: number;
  /** Prefix-cache reuse the router delivered: prompt tokens dispatched and those served from a replica's cache. */
  readonly prefixCache: {
    readonly promptTokens: number;
    readonly hitTokens: number;
    /** hitTokens / promptTokens. */
    readonly hitShare: number;
    /** The share the plan counts (plan.kvCache.effectiveHitShare; 0 without reuse). */
    readonly plannedHitShare: number;
  };
  readonly kafka: {
    readonly maxLag: number;
    /** Longest a message waited in Kafka before a worker took it, seconds. */
    readonly maxWaitSeconds: number;
    readonly lagAtEnd: number;
    /** Every message was taken within `maxQueueDelaySeconds` and the lag is 0 at the end. */
    readonly drainedWithinMaxDelay: boolean;
    readonly maxQueueDelaySeconds: number;
  };
  /** Little's law on the GPU path (queue + batch): meanInSystem should equal throughput x meanTimeInSystem. */
  readonly littlesLaw: {
    readonly meanInSystem: number;
    readonly throughputPerSecond: number;
    readonly meanTimeInSystemSeconds: number;
  };
  /** Simulated seconds (arrivals plus drain). */
  readonly simulatedSeconds: number;
  /** Peak ready replicas and nodes. */
  readonly maxReplicasReady: number;
  readonly minReplicasReady: number;
  readonly maxNodes: number;
  /** True when every objective held. */
  readonly sloMet: boolean;
  /** One line per objective that failed. */
  readonly violations: readonly string[];
  /** The worst stretch of TTFT, when TTFT failed. */
  readonly worstWindow?: WorstWindow;
  /** What would fix it, in the plan's terms. */
  readonly suggestion?: string;
  /** `violations` and `suggestion` in one line (empty when the SLO was met). */
  readonly reason: string;
}

/** Options of {@link summarize}. */
export interface SummarizeOptions {
  readonly maxRejectedShare: number;
  readonly nodeProvisioningSeconds: number;
  readonly podStartSeconds: number;
  readonly batched: boolean;
}

function stats(h: LogHistogram): LatencyStats {
  return { mean: h.mean, p50: h.quantile(0.5), p95: h.quantile(0.95), p99: h.quantile(0.99), max: h.max, count: h.count };
}

/** `HH:MM` of a profile second. */
export function clockLabel(profile: TrafficProfile, seconds: number): string {
  const t = Math.round(profile.startClockSeconds + seconds) % 86_400;
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

const s1 = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Absolute slack between the prefix-hit share the plan counts and what the simulated router delivers (sampling noise). */
export const PREFIX_HIT_TOLERANCE = 0.02;

/** Builds the summary of a run. */
export function summarize(plan: CapacityPlan, profile: TrafficProfile, raw: EngineResult, series: SimulationSeries, opts: SummarizeOptions): SimulationSummary {
  const w = plan.input.workload;
  const c = raw.counts;
  const syncOffered = c.arrivals - c.cacheHits - c.asyncProduced;
  const rejectedShare = syncOffered > 0 ? c.rejected / syncOffered : 0;
  const errorShare = syncOffered > 0 ? c.failed / syncOffered : 0;
  // A declared batch job's messages may wait until its deadline; interactive async ones maxQueueDelaySeconds.
  const maxQueueDelaySeconds = Math.max(w.maxQueueDelaySeconds ?? DEFAULT_MAX_QUEUE_DELAY_SECONDS, ...(profile.batches ?? []).map((b) => b.deadlineSeconds ?? 0));
  const drained = raw.kafka.maxWaitSeconds <= maxQueueDelaySeconds && raw.kafka.lagAtEnd === 0;
  const ttft = stats(raw.ttft);
  const tpot = stats(raw.tpot);
  const slo = w.slo;

  const violations: string[] = [];
  const fixes: string[] = [];
  let worst: WorstWindow | undefined;
  if (ttft.p99 > slo.ttftP99Seconds) {
    worst = worstWindow(profile, series, slo.ttftP99Seconds);
    const where = worst ? ` between ${worst.fromClock} and ${worst.toClock} (worst window ${s1(worst.ttftP99Seconds)} s)` : "";
    violations.push(`p99 TTFT ${s1(ttft.p99)} s > ${s1(slo.ttftP99Seconds)} s${where}`);
    fixes.push(ttftFix(plan, series, worst, opts));
  }
  if (opts.batched && tpot.count > 0 && tpot.p99 > slo.tpotP99Seconds) {
    violations.push(`p99 TPOT ${s1(tpot.p99)} s > ${s1(slo.tpotP99Seconds)} s`);
    fixes.push(`lower inference.perReplica.maxConcurrentSequences below ${plan.inference.perReplica.maxConcurrentSequences}: decode steps slow down as the batch fills`);
  }
  const errorBudget = 1 - slo.availability;
  if (errorShare > errorBudget) {
    violations.push(`5xx share ${(errorShare * 100).toFixed(2)}% > ${(errorBudget * 100).toFixed(2)}% (availability ${slo.availability})`);
    fixes.push(c.timedOut > 0 ? `${c.timedOut} requests hit the ${plan.admission.requestTimeoutSeconds} s route timeout: lower admission.maxPendingRequestsPerReplica so they get a 429 instead` : "keep replicas.min spread so that losing a zone leaves healthy upstreams");
  }
  if (rejectedShare > opts.maxRejectedShare) {
    violations.push(`${(rejectedShare * 100).toFixed(2)}% of sync requests rejected (429) > ${(opts.maxRejectedShare * 100).toFixed(2)}%`);
    const peakSync = Math.max(...series.arrivals.map((a, i) => (a - series.cacheHits[i]!) * (1 - (w.asyncShare ?? 0)))) / series.windowSeconds;
    if (peakSync > plan.admission.maxRequestsPerSecond) {
      fixes.push(`admission.maxRequestsPerSecond ${s1(plan.admission.maxRequestsPerSecond)} is below the ${s1(peakSync)} req/s sync peak: raise it with replicas, or move load to Kafka (asyncShare)`);
    } else if (!worst) {
      // With a TTFT violation the fix above covers it: the caps fill for the same missing replicas.
      fixes.push(`the replicas' concurrency caps (admission.maxConcurrentRequestsPerReplica ${plan.admission.maxConcurrentRequestsPerReplica}) filled: raise replicas.min or asyncShare`);
    }
  }
  if (c.asyncProduced > 0 && !drained) {
    violations.push(
      `Kafka backlog peaked at ${raw.kafka.maxLag} messages and waited up to ${s1(raw.kafka.maxWaitSeconds)} s > maxQueueDelaySeconds ${maxQueueDelaySeconds}` +
        (raw.kafka.lagAtEnd > 0 ? ` (${raw.kafka.lagAtEnd} left at the end)` : ""),
    );
    const a = plan.autoscaling;
    // Draining the peak backlog within the delay needs lag / delay requests/s of async capacity.
    const neededRps = raw.kafka.maxLag / maxQueueDelaySeconds;
    const perReplica = plan.inference.perReplica.requestsPerSecond;
    const replicas = perReplica > 0 ? Math.ceil(neededRps / perReplica) : 0;
    const workers = Math.ceil((neededRps * plan.inference.perReplica.meanServiceSeconds) / a.workers.concurrencyPerWorker);
    fixes.push(
      `draining ${raw.kafka.maxLag} messages within ${maxQueueDelaySeconds} s takes ~${s1(neededRps)} req/s of async capacity: about ${replicas} replicas at ${s1(perReplica)} req/s each (replicas.max is ${a.maxReplicas}) and ${workers} workers (autoscaling.workers.maxReplicas is ${a.workers.maxReplicas}); or accept a longer maxQueueDelaySeconds`,
    );
  }
  // The gate checks the benefit the plan claims: the router must deliver the prefix hits the plan counted.
  const prefixShare = raw.prefix.promptTokens > 0 ? raw.prefix.hitTokens / raw.prefix.promptTokens : 0;
  const plannedPrefix = plan.kvCache?.effectiveHitShare ?? 0;
  if (plannedPrefix > 0 && raw.prefix.promptTokens > 0 && prefixShare < plannedPrefix - PREFIX_HIT_TOLERANCE) {
    violations.push(`prefix-cache hits ${(prefixShare * 100).toFixed(1)}% of prompt tokens < the ${(plannedPrefix * 100).toFixed(1)}% the plan counts`);
    fixes.push(`route with the endpoint picker's prefix-cache scorer (workload.prefixCache.routing "prefix-affinity"), or lower workload.prefixCache.promptTokenHitShare to what the router delivers`);
  }
  const suggestion = fixes.length > 0 ? fixes.join("; ") : undefined;
  const little = raw.little;
  return {
    requests: {
      arrivals: c.arrivals,
      cacheHits: c.cacheHits,
      syncOffered,
      syncServed: c.syncServed,
      asyncProduced: c.asyncProduced,
      asyncServed: c.asyncServed,
      rejected: c.rejected,
      failed: c.failed,
      timedOut: c.timedOut,
      retried: c.retried,
    },
    waitedShare: raw.queueWait.count > 0 ? c.waited / raw.queueWait.count : 0,
    ttftSeconds: ttft,
    e2eSeconds: stats(raw.e2e),
    tpotSeconds: tpot,
    queueWaitSeconds: stats(raw.queueWait),
    asyncE2eSeconds: stats(raw.asyncE2e),
    rejectedShare,
    errorShare,
    prefixCache: { promptTokens: raw.prefix.promptTokens, hitTokens: raw.prefix.hitTokens, hitShare: prefixShare, plannedHitShare: plannedPrefix },
    kafka: { maxLag: raw.kafka.maxLag, maxWaitSeconds: raw.kafka.maxWaitSeconds, lagAtEnd: raw.kafka.lagAtEnd, drainedWithinMaxDelay: drained, maxQueueDelaySeconds },
    littlesLaw: {
      meanInSystem: little.seconds > 0 ? little.area / little.seconds : 0,
      throughputPerSecond: little.seconds > 0 ? little.departures / little.seconds : 0,
      meanTimeInSystemSeconds: little.departures > 0 ? little.sumTime / little.departures : 0,
    },
    simulatedSeconds: raw.endSeconds,
    maxReplicasReady: Math.max(0, ...series.replicasReady),
    minReplicasReady: series.replicasReady.length > 0 ? Math.min(...series.replicasReady) : 0,
    maxNodes: Math.max(0, ...series.nodes),
    sloMet: violations.length === 0,
    violations,
    ...(worst ? { worstWindow: worst } : {}),
    ...(suggestion ? { suggestion } : {}),
    reason: violations.length === 0 ? "" : `${violations.join("; ")}${suggestion ? `: ${suggestion}` : ""}`,
  };
}

/** The contiguous stretch of windows over the limit around the worst window. */
function worstWindow(profile: TrafficProfile, series: SimulationSeries, limit: number): WorstWindow | undefined {
  const p = series.ttftP99Seconds;
  let worst = -1;
  for (let i = 0; i < p.length; i++) if (worst < 0 || p[i]! > p[worst]!) worst = i;
  if (worst < 0 || p[worst]! <= limit) return undefined;
  let from = worst;
  let to = worst;
  while (from > 0 && p[from - 1]! > limit) from--;
  while (to < p.length - 1 && p[to + 1]! > limit) to++;
  const fromSeconds = series.startSeconds[from]!;
  const toSeconds = series.startSeconds[to]! + series.windowSeconds;
  return { fromSeconds, toSeconds, fromClock: clockLabel(profile, fromSeconds), toClock: clockLabel(profile, toSeconds), ttftP99Seconds: p[worst]! };
}

/** Why TTFT failed and what in the plan would fix it. */
function ttftFix(plan: CapacityPlan, series: SimulationSeries, worst: WorstWindow | undefined, opts: SummarizeOptions): string {
  const a = plan.autoscaling;
  const w = plan.input.workload;
  if (!worst) return `raise replicas.min above ${a.minReplicas} or lower autoscaling.targetQueueDepthPerReplica (${a.targetQueueDepthPerReplica})`;
  const idx: number[] = [];
  series.startSeconds.forEach((s, i) => {
    if (s >= worst.fromSeconds && s < worst.toSeconds) idx.push(i);
  });
  const desired = Math.max(...idx.map((i) => series.replicasDesired[i]!));
  const ready = Math.min(...idx.map((i) => series.replicasReady[i]!));
  const gpuRate = Math.max(...idx.map((i) => series.arrivals[i]! - series.cacheHits[i]!)) / series.windowSeconds;
  if (desired >= a.maxReplicas && ready >= a.maxReplicas) {
    return `the HPA is at replicas.max ${a.maxReplicas}: raise replicas.max (and nodes.max) or asyncShare`;
  }
  const perReplica = plan.inference.perReplica.requestsPerSecond;
  const neededAsync = gpuRate > 0 ? 1 - (ready * perReplica) / gpuRate : 0;
  const asyncTo = Math.min(0.95, Math.ceil(neededAsync * 20) / 20);
  const asyncHint = asyncTo > (w.asyncShare ?? 0) && asyncTo < 1 ? ` or asyncShare to ${asyncTo.toFixed(2)}` : "";
  const minTo = Math.min(a.maxReplicas, Math.max(desired, Math.ceil(gpuRate * (1 - (w.asyncShare ?? 0)) / perReplica)));
  if (desired > ready) {
    return `GPU nodes take ${Math.round(opts.nodeProvisioningSeconds)} s plus ${Math.round(opts.podStartSeconds)} s pod start; raise replicas.min to ${Math.max(minTo, a.minReplicas + 1)}${asyncHint}`;
  }
  return `the HPA did not ask for more replicas (queue target ${a.targetQueueDepthPerReplica}/replica, KV target ${a.targetKvCacheUtilization}): lower those targets or raise replicas.min to ${Math.max(minTo, a.minReplicas + 1)}${asyncHint}`;
}

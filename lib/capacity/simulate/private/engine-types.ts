/** Configuration and raw output of the discrete-event engine. */
import type { LogHistogram } from "./histogram";
import type { HpaSettings } from "./hpa";
import type { RatePoint } from "../profiles";

/** Everything the engine needs, resolved to plain numbers. */
export interface EngineConfig {
  readonly seed: number;
  readonly arrivalSeconds: number;
  readonly maxRunSeconds: number;
  readonly windowSeconds: number;
  readonly streams: readonly { readonly rate: readonly RatePoint[]; readonly asyncOnly: boolean }[];
  readonly asyncShare: number;
  readonly prompt: { readonly mu: number; readonly sigma: number };
  readonly output: { readonly mu: number; readonly sigma: number };
  readonly maxContextTokens: number;
  /** "batched": prefill lane + bandwidth-bound decode; "exponential": M/M/c slots for validation. */
  readonly serviceModel: "batched" | "exponential";
  readonly meanServiceSeconds: number;
  readonly slotsPerReplica: number;
  readonly prefillTokensPerSecond: number;
  readonly stepBaseSeconds: number;
  readonly stepPerSequenceSeconds: number;
  readonly admission: {
    readonly ratePerSecond: number;
    readonly burst: number;
    readonly maxInSystemPerReplica: number;
    readonly maxPendingPerReplica: number;
    readonly timeoutSeconds: number;
  };
  /**
   * `targetKvUtilization` is in the manifests' unit (vLLM `kv_cache_usage_perc`: KV blocks used / KV budget);
   * `kvUsePerBusySlot` converts a running sequence into that unit (KV of a full batch / budget / slots).
   */
  /**
   * Prefix-cache reuse (vLLM automatic prefix caching behind the inference-extension endpoint picker):
   * `hitShare` of a request's prompt tokens are cached on the replica that served its prefix before.
   * `prefix-affinity` routes the request there; `least-load` lands on it with probability 1 / ready replicas.
   * `remoteFetchCostShare` (a shared remote KV tier, LMCache on Valkey): a request that lands elsewhere fetches
   * its cached tokens instead, each costing that share of its prefill time (plan.kvCache.remoteTier.fetchCostShare).
   * @default none (every prompt token is prefilled)
   */
  /**
   * Scheduled floor (a KEDA cron trigger's desiredReplicas, or a scheduled HPA minReplicas): between
   * `fromSeconds` and `toSeconds` (engine time) the HPA never asks for fewer than `replicas`.
   * @default none
   */
  readonly scheduledFloor?: { readonly fromSeconds: number; readonly toSeconds: number; readonly replicas: number };
  readonly prefix?: { readonly hitShare: number; readonly routing: "prefix-affinity" | "least-load"; readonly remoteFetchCostShare?: number };
  readonly hpa: HpaSettings & { readonly syncSeconds: number; readonly targetQueuePerReplica: number; readonly targetKvUtilization: number; readonly kvUsePerBusySlot: number };
  readonly autoscale: boolean;
  readonly zones: number;
  readonly replicasPerNode: number;
  readonly nodesMin: number;
  readonly nodesMax: number;
  readonly initialReplicas: number;
  readonly podStartSeconds: number;
  readonly nodeProvisioningSeconds: number;
  readonly nodeUnneededSeconds: number;
  readonly workers: {
    readonly min: number;
    readonly max: number;
    readonly lagThreshold: number;
    readonly concurrency: number;
    readonly pollingSeconds: number;
    readonly cooldownSeconds: number;
    readonly startSeconds: number;
    readonly initial: number;
  };
  readonly asyncPriority: "low" | "fifo";
  readonly zoneLoss?: { readonly atSeconds: number; readonly zone: number };
  /** GPU nodes terminated at a time (the busiest first), replaced through the node provisioner. */
  readonly nodeLoss?: { readonly atSeconds: number; readonly nodes: number };
  /** A window in which workers cannot consume from Kafka (producers keep writing). */
  readonly kafkaOutage?: { readonly atSeconds: number; readonly durationSeconds: number };
}

/** Per-window series (one entry per window). */
export interface EngineSeries {
  readonly startSeconds: number[];
  readonly arrivals: number[];
  readonly cacheHits: number[];
  readonly served: number[];
  readonly rejected: number[];
  readonly failed: number[];
  readonly queueDepth: number[];
  readonly kafkaLag: number[];
  readonly replicasReady: number[];
  readonly replicasDesired: number[];
  readonly nodes: number[];
  readonly workers: number[];
  readonly ttftP99Seconds: number[];
  readonly gpuRequests: number[];
}

/** What a run produces. */
export interface EngineResult {
  readonly series: EngineSeries;
  readonly ttft: LogHistogram;
  readonly e2e: LogHistogram;
  readonly tpot: LogHistogram;
  readonly queueWait: LogHistogram;
  readonly asyncE2e: LogHistogram;
  readonly counts: {
    arrivals: number;
    cacheHits: number;
    syncAdmitted: number;
    syncServed: number;
    asyncProduced: number;
    asyncServed: number;
    rejected: number;
    failed: number;
    timedOut: number;
    lostInZone: number;
    retried: number;
    /** Sync requests that waited for a batch slot (wait > 0). */
    waited: number;
  };
  readonly kafka: { maxLag: number; maxWaitSeconds: number; lagAtEnd: number };
  /** Prompt tokens dispatched and those served from a replica's prefix cache. */
  readonly prefix: { promptTokens: number; hitTokens: number };
  readonly little: { area: number; departures: number; sumTime: number; seconds: number };
  readonly endSeconds: number;
  readonly events: number;
}


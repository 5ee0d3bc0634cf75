import { createHash } from "node:crypto";
import {
  ISTIO_INGRESS_GATEWAY_NAME,
  VLLM_KV_CACHE_METRIC,
  VLLM_QUEUE_METRIC,
} from "../addons/constants";

/**
 * vLLM's default bucket boundaries of `vllm:time_to_first_token_seconds`, in seconds
 * (vllm-project/vllm, `vllm/v1/metrics/loggers.py`). A TTFT SLO must sit on one of
 * them for the latency SLI to be exact.
 */
export const VLLM_TTFT_BUCKETS_SECONDS: readonly number[] = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560,
];

/** Metric names the rules and dashboards read, by source. */
export const METRICS = {
  /** Istio standard metrics (proxy-generated). */
  istioRequests: "istio_requests_total",
  /** vLLM histograms and gauges. */
  ttft: "vllm:time_to_first_token_seconds",
  e2eLatency: "vllm:e2e_request_latency_seconds",
  /** Time between output tokens (vLLM's current name for the per-token histogram). */
  interTokenLatency: "vllm:inter_token_latency_seconds",
  running: "vllm:num_requests_running",
  /**
   * vLLM v1 prefix-cache counters, in tokens (`vllm/v1/metrics/loggers.py`): queried and hit in
   * GPU memory, and through the KV connector / offloading tier (`external_`). Counters, so `_total`.
   */
  prefixCacheQueries: "vllm:prefix_cache_queries_total",
  prefixCacheHits: "vllm:prefix_cache_hits_total",
  externalPrefixCacheQueries: "vllm:external_prefix_cache_queries_total",
  externalPrefixCacheHits: "vllm:external_prefix_cache_hits_total",
  /**
   * Gateway API Inference Extension endpoint picker (v1.5.0 `pkg/epp/metrics/metrics.go`):
   * scheduling attempts per outcome and chosen endpoint, end-to-end scheduling latency, and the
   * pool-wide averages the scorers see.
   */
  eppSchedulerAttempts: "inference_extension_scheduler_attempts_total",
  eppSchedulerLatency: "inference_extension_scheduler_e2e_duration_seconds",
  eppPrefixIndexerHitRatio: "inference_extension_prefix_indexer_hit_ratio",
  eppPoolQueue: "inference_pool_average_queue_size",
  eppPoolKvCache: "inference_pool_average_kv_cache_utilization",
  eppPoolReadyPods: "inference_pool_ready_pods",
  eppRequests: "inference_objective_request_total",
  waiting: VLLM_QUEUE_METRIC,
  kvCache: VLLM_KV_CACHE_METRIC,
  /** NVIDIA DCGM exporter. */
  gpuUtil: "DCGM_FI_DEV_GPU_UTIL",
  gpuFbUsed: "DCGM_FI_DEV_FB_USED",
  gpuFbFree: "DCGM_FI_DEV_FB_FREE",
  /** kube-state-metrics. */
  hpaCurrent: "kube_horizontalpodautoscaler_status_current_replicas",
  hpaDesired: "kube_horizontalpodautoscaler_status_desired_replicas",
  hpaMin: "kube_horizontalpodautoscaler_spec_min_replicas",
  hpaMax: "kube_horizontalpodautoscaler_spec_max_replicas",
  /** KEDA operator. */
  kedaScalerValue: "keda_scaler_metrics_value",
  /**
   * CloudWatch metrics through prometheus-community's cloudwatch_exporter
   * (`aws_<namespace>_<metric_snake_case>_<statistic>`, dimensions as snake_case labels);
   * {@link cloudWatchExporterConfig} emits the exporter config that produces exactly these.
   */
  mskSumOffsetLag: "aws_kafka_sum_offset_lag_maximum",
  redisMemoryPercent: "aws_elasticache_database_memory_usage_percentage_average",
  redisEvictions: "aws_elasticache_evictions_sum",
  redisHits: "aws_elasticache_cache_hits_sum",
  redisMisses: "aws_elasticache_cache_misses_sum",
  rdsProxyDatabaseConnections: "aws_rds_database_connections_average",
  rdsProxyClientConnections: "aws_rds_client_connections_average",
  rdsProxyMaxConnectionsAllowed: "aws_rds_max_database_connections_allowed_average",
  rdsReplicaLag: "aws_rds_replica_lag_average",
} as const;

/**
 * Where the signals come from: names of the objects other parts create. Every
 * field has a default that matches Headroom's own add-ons and workloads; the
 * stacks pass the real names.
 */
export interface SignalSources {
  /** Namespace of the inference Deployment. @default "inference" */
  readonly inferenceNamespace?: string;
  /**
   * Name of the inference Kubernetes Service (Istio `destination_service_name`), which
   * is also the Deployment's and the HPA's name and the pods' `app.kubernetes.io/name`.
   * @default "inference"
   */
  readonly inferenceService?: string;
  /** Name of the inference HPA. @default the value of `inferenceService` */
  readonly inferenceHpa?: string;
  /**
   * Istio `source_workload` of the ingress gateway; the availability SLI counts the
   * responses users get there, so a 503 for "no healthy upstream" counts too.
   * @default ISTIO_INGRESS_GATEWAY_NAME ("istio-ingressgateway")
   */
  readonly gatewayWorkload?: string;
  /** Label matchers that pick the fleet's DCGM series. @default {} (every GPU Prometheus scrapes) */
  readonly gpuSelector?: Readonly<Record<string, string>>;
  /** Namespace of the async worker and its KEDA ScaledObject. @default the value of `inferenceNamespace` */
  readonly workerNamespace?: string;
  /**
   * Name of the async worker Deployment and its KEDA ScaledObject (KEDA's HPA is
   * `keda-hpa-<name>`); its calls to the inference Service, seen by Istio, are its throughput.
   * @default "inference-worker"
   */
  readonly worker?: string;
  /** Kafka consumer group of the workers. @default the value of `worker` */
  readonly kafkaConsumerGroup?: string;
  /** Kafka topic the workers consume. @default "inference-requests" */
  readonly kafkaTopic?: string;
  /**
   * ElastiCache replication group id; its nodes' `CacheClusterId` start with `<id>-`.
   * @default "headroom"
   */
  readonly redisReplicationGroupId?: string;
  /** RDS Proxy name (`ProxyName` dimension). @default "headroom" */
  readonly rdsProxyName?: string;
  /** Prefix of the RDS instance identifiers (primary and replicas). @default "headroom" */
  readonly rdsInstancePrefix?: string;
  /** vLLM KV-cache gauge (0-1). @default VLLM_KV_CACHE_METRIC ("vllm:kv_cache_usage_perc") */
  readonly kvCacheMetric?: string;
  /**
   * Name of the InferencePool. Istio routes a pool's traffic through a shadow Service it creates,
   * `<pool>-ip-<first 8 hex digits of sha256(pool)>` (istio/istio `InferencePoolServiceName`), so
   * the gateway's `istio_requests_total` names that Service: the SLIs match both.
   * @default the value of `inferenceService` (ServingTier names the pool after the Service)
   */
  readonly inferencePool?: string;
}

/**
 * The Service name Istio gives an InferencePool's shadow Service (istio/istio
 * `InferencePoolServiceName`: name, `-ip-`, 8 hex digits of its SHA-256; long names are
 * truncated to 63 characters, which Headroom's pool names never reach).
 */
export function inferencePoolShadowService(pool: string): string {
  return `${pool}-ip-${createHash("sha256").update(pool).digest("hex").slice(0, 8)}`;
}

/** A PromQL matcher for the inference Service and its pool's shadow Service. */
export function inferenceServiceMatcher(src: ResolvedSignalSources): string {
  return `destination_service_name=~"${src.inferenceService}|${inferencePoolShadowService(src.inferencePool)}"`;
}

/** {@link SignalSources} with every default filled in. */
export type ResolvedSignalSources = { readonly [K in keyof SignalSources]-?: NonNullable<SignalSources[K]> };

/** Fills in the defaults of {@link SignalSources}. */
export function resolveSignalSources(sources: SignalSources = {}): ResolvedSignalSources {
  const inferenceNamespace = sources.inferenceNamespace ?? "inference";
  const inferenceService = sources.inferenceService ?? "inference";
  const worker = sources.worker ?? "inference-worker";
  return {
    inferenceNamespace,
    inferenceService,
    inferencePool: sources.inferencePool ?? inferenceService,
    inferenceHpa: sources.inferenceHpa ?? inferenceService,
    gatewayWorkload: sources.gatewayWorkload ?? ISTIO_INGRESS_GATEWAY_NAME,
    gpuSelector: sources.gpuSelector ?? {},
    workerNamespace: sources.workerNamespace ?? inferenceNamespace,
    worker,
    kafkaConsumerGroup: sources.kafkaConsumerGroup ?? worker,
    kafkaTopic: sources.kafkaTopic ?? "inference-requests",
    redisReplicationGroupId: sources.redisReplicationGroupId ?? "headroom",
    rdsProxyName: sources.rdsProxyName ?? "headroom",
    rdsInstancePrefix: sources.rdsInstancePrefix ?? "headroom",
    kvCacheMetric: sources.kvCacheMetric ?? METRICS.kvCache,
  };
}

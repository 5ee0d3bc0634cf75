/**
 * Inputs and outputs of the capacity model.
 *
 * Everything here is plain, readonly, JSON-compatible data: an environment file,
 * a `--input file.json` and a stored plan all have this shape. Every quantity
 * carries its unit in its name. The field names of {@link CapacityPlan} are a
 * public contract: the stacks, the simulator and users' own code read them.
 */

/** Numeric precision of the served weights (and of the KV cache). */
export type Precision = "bf16" | "fp16" | "fp8" | "int4";

/** A token-count distribution: its mean and, optionally, its 99th percentile. */
export interface TokenDistribution {
  /** Mean tokens per request. */
  readonly mean: number;
  /**
   * 99th percentile tokens per request.
   * @default the mean times a documented tail factor (see lib/capacity/README.md)
   */
  readonly p99?: number;
}

/** Latency and availability objectives of the synchronous path. */
export interface SloInput {
  /** 99th-percentile time to first token, including queueing, in seconds. */
  readonly ttftP99Seconds: number;
  /** 99th-percentile time per output token (decode step) in seconds. */
  readonly tpotP99Seconds: number;
  /** Availability objective as a ratio of non-5xx responses, e.g. 0.999. */
  readonly availability: number;
}

/** A burst on top of the daily peak (the "festival" case of the source article). */
export interface SpikeInput {
  /** Peak rate during the spike as a multiple of `peakRequestsPerSecond` (> 1). */
  readonly multiplier: number;
  /** Seconds from the peak rate to the spike rate. */
  readonly rampSeconds: number;
  /** Seconds the spike lasts at its full rate. */
  readonly durationSeconds: number;
}

/** A batch job: N requests submitted together that must all be answered by a deadline (the bank case). */
export interface BatchJobInput {
  /** Requests in the job. */
  readonly requests: number;
  /** Seconds from the start of the submission by which every request must be answered. */
  readonly deadlineSeconds: number;
  /**
   * Seconds over which the job is submitted to Kafka.
   * @default 600
   */
  readonly submitSeconds?: number;
  /**
   * Time of day the submission starts, seconds after midnight (for the simulated day).
   * @default 32400 (09:00)
   */
  readonly startClockSeconds?: number;
}

/** A known daily peak window (a market opening, a lunch rush) that traffic reaches faster than GPUs start. */
export interface DailyPeakInput {
  /**
   * Time of day the peak starts, seconds after midnight UTC: the clock of the simulator's day, of the
   * KEDA cron trigger that pre-scales for it and of the Karpenter budget that keeps its nodes.
   */
  readonly startClockSeconds: number;
  /** Seconds the peak lasts at peakRequestsPerSecond. */
  readonly durationSeconds: number;
  /**
   * Seconds from the baseline to the peak at the start of the window.
   * @default 60
   */
  readonly rampSeconds?: number;
}

/** How the router places requests relative to the replicas' prefix caches. */
export type RoutingMode = "prefix-affinity" | "least-load";

/** Expected prefix-cache reuse of the workload. */
export interface PrefixCacheInput {
  /**
   * Share (0-0.95) of prompt tokens expected to hit the prefix cache when a request reaches the replica
   * that holds its prefix (system prompts, documents, earlier turns). DeepSeek reports 56.3% of input
   * tokens hitting its KV cache in production (deepseek-ai/open-infra-index, 202502OpenSourceWeek day 6).
   */
  readonly promptTokenHitShare: number;
  /**
   * `prefix-affinity`: the Gateway API Inference Extension endpoint picker scores prefix-cache affinity
   * and sends a request to the replica holding its prefix (the share above is delivered);
   * `least-load`: the least-request route, where a request lands on that replica with probability
   * 1 / replicas (the plan counts share / replicas.desired).
   * @default "prefix-affinity"
   */
  readonly routing?: RoutingMode;
  /**
   * Seconds of newly computed KV a shared remote tier keeps (LMCache's Valkey backend on the ElastiCache
   * cluster, `--kv-transfer-config` with `LMCacheConnectorV1`): every replica stores the chunks it prefills
   * and fetches the ones another replica computed. The plan sizes Valkey memory for the prefilled tokens of
   * this window and its bandwidth for the stores and fetches, and counts a remote hit only where fetching a
   * token is faster than prefilling it (else it refuses the tier). Under `least-load` it recovers the hits
   * the router misses; under `prefix-affinity` the replica's own tiers already deliver the declared share,
   * so it adds resilience (restarts, new replicas) but no counted saving. 0 deploys no remote tier.
   * @default 0
   */
  readonly remoteTierSeconds?: number;
}

/** The traffic a deployment must carry. */
export interface WorkloadInput {
  /** Daily peak arrival rate of requests at the API, before the cache, in requests/second. */
  readonly peakRequestsPerSecond: number;
  /**
   * Off-peak arrival rate in requests/second; `replicas.min` must hold the SLO at it.
   * @default a documented fraction of the peak (DEFAULT_BASELINE_FRACTION)
   */
  readonly baselineRequestsPerSecond?: number;
  /** Prompt (input) tokens per request. */
  readonly promptTokens: TokenDistribution;
  /** Generated (output) tokens per request. */
  readonly outputTokens: TokenDistribution;
  /** Objectives the plan must meet. */
  readonly slo: SloInput;
  /**
   * Burst on top of the peak that `replicas.max`, warm capacity and the Kafka buffer must absorb.
   * @default no spike (multiplier 1)
   */
  readonly spike?: SpikeInput;
  /**
   * A declared daily peak window: the plan pre-scales to replicas.desired before it (a scheduled
   * floor, `autoscaling.scheduledFloor`) so the ramp does not wait for GPU provisioning.
   * @default none (the diurnal curve rises over hours and the HPA follows it)
   */
  readonly dailyPeak?: DailyPeakInput;
  /**
   * Batch jobs served through the async path (Kafka + KEDA workers): replicas.max and the workers are
   * sized so each job is answered within its deadline while the interactive peak is served.
   * @default none
   */
  readonly batchJobs?: readonly BatchJobInput[];
  /**
   * Share (0-1) of requests that may wait in the Kafka queue and be served asynchronously.
   * @default 0
   */
  readonly asyncShare?: number;
  /**
   * How long an asynchronous request may wait in Kafka before it must be served, in seconds.
   * @default 300
   */
  readonly maxQueueDelaySeconds?: number;
  /**
   * Prefix-cache reuse that the deployed serving path delivers (vLLM automatic prefix caching, the
   * inference-extension endpoint picker's prefix scorer, vLLM's CPU KV offload). It lowers prefill compute
   * and TTFT, never decode or KV memory. Replaces the former `cacheHitRatio` (whole responses from a
   * cache), which no deployed component implemented.
   * @default no reuse
   */
  readonly prefixCache?: PrefixCacheInput;
  /**
   * Size of one request record (prompt, metadata and result) in bytes, for Kafka and Redis sizing.
   * @default 8192
   */
  readonly payloadBytes?: number;
  /**
   * Database reads per request (sessions, quotas, history).
   * @default 2
   */
  readonly readQueriesPerRequest?: number;
  /**
   * Database writes per request (usage records, results).
   * @default 1
   */
  readonly writeQueriesPerRequest?: number;
}

/** Multi-head latent attention (DeepSeek-V2/V3/R1): a compressed KV cache. */
export interface MlaInput {
  /** Rank of the compressed KV latent (`kv_lora_rank`, 512 for DeepSeek-V3). */
  readonly kvLoraRank: number;
  /** Decoupled RoPE key dimension (`qk_rope_head_dim`, 64 for DeepSeek-V3). */
  readonly qkRopeHeadDim: number;
}

/** The model being served. */
export interface ModelInput {
  /** Model identifier, e.g. `meta-llama/Llama-3.1-70B-Instruct`; also the S3 prefix of the weights. */
  readonly name: string;
  /** Total parameters in billions (all experts for MoE). */
  readonly parametersBillions: number;
  /**
   * Parameters active per token in billions (MoE); drives compute per token.
   * @default parametersBillions (dense)
   */
  readonly activeParametersBillions?: number;
  /** Transformer layers. */
  readonly layers: number;
  /** Key/value heads (grouped-query attention: KV heads, not attention heads). */
  readonly kvHeads: number;
  /** Dimension of one attention head. */
  readonly headDim: number;
  /**
   * Multi-head latent attention parameters; when set, the KV cache per token is
   * `(kvLoraRank + qkRopeHeadDim) x layers x bytes` instead of `2 x layers x kvHeads x headDim x bytes`.
   * @default standard (grouped-query) attention
   */
  readonly mla?: MlaInput;
  /** Precision of weights and KV cache. */
  readonly precision: Precision;
  /** Longest context (prompt + output) a request may use, in tokens. */
  readonly maxContextTokens: number;
}

/** One EC2 GPU instance type, as the model needs to know it. */
export interface GpuInstanceSpec {
  /** EC2 instance type, e.g. `p5.48xlarge`. */
  readonly instanceType: string;
  /** GPU model, e.g. `H100`. */
  readonly gpuModel: string;
  /** Instance family used as a node label, e.g. `p5`. */
  readonly family: string;
  /** GPUs per instance. */
  readonly gpuCount: number;
  /** Memory per GPU visible to CUDA, in MiB. */
  readonly gpuMemoryMiB: number;
  /** Memory bandwidth per GPU in GB/s (10^9 bytes/s). */
  readonly memoryBandwidthGBps: number;
  /** Dense BF16/FP16 TFLOPS per GPU. */
  readonly bf16Tflops: number;
  /**
   * Dense FP8 TFLOPS per GPU.
   * @default none: FP8 runs at the BF16 rate (weight-only quantization)
   */
  readonly fp8Tflops?: number;
  /** vCPUs per instance. */
  readonly vcpus: number;
  /** Host memory per instance in GiB. */
  readonly memoryGiB: number;
  /** Network bandwidth per instance in Gbps. */
  readonly networkGbps: number;
  /** On-demand price in USD per hour (us-east-1). */
  readonly onDemandUsdPerHour: number;
}

/** Fractions of the roofline a serving engine reaches; calibrated defaults in lib/capacity/README.md. */
export interface EfficiencyInput {
  /**
   * Fraction (0-1] of peak dense TFLOPS a prompt's own prefill reaches (TTFT).
   * @default the fitted compute efficiency (calibration.ts)
   */
  readonly prefillCompute?: number;
  /**
   * Fraction (0-1] of memory bandwidth the decode steps reach (weight and KV reads).
   * @default least-squares fit on published MLPerf points (calibration.ts)
   */
  readonly decodeBandwidth?: number;
  /**
   * Fraction (0-1] of peak dense TFLOPS the mixed decode + chunked-prefill steps reach.
   * @default least-squares fit on published MLPerf points (calibration.ts)
   */
  readonly decodeCompute?: number;
}

/** GPU candidates and engine efficiency. */
export interface GpuInput {
  /**
   * Candidate instance types: names from the built-in catalog or full specs.
   * @default every type in the built-in catalog (g5, g6, g6e, p4d, p4de, p5, p5en, p6-b200)
   */
  readonly instanceTypes?: readonly (string | GpuInstanceSpec)[];
  /** @default calibrated efficiency factors */
  readonly efficiency?: EfficiencyInput;
}

/** Everything the capacity model takes. */
export interface CapacityInput {
  readonly workload: WorkloadInput;
  readonly model: ModelInput;
  /** @default the built-in catalog and calibrated efficiency */
  readonly gpu?: GpuInput;
  /**
   * Multiplier (1-3) on the capacity needed at peak (the source article's 1.5-2).
   * @default 1.5
   */
  readonly safetyFactor?: number;
  /**
   * Availability zones the replicas spread over; with 2 or more, `replicas.min` survives losing one.
   * @default 3
   */
  readonly availabilityZones?: number;
  /**
   * Seconds from "scale up" to a new GPU replica serving: node launch, image pull, model load.
   * @default DEFAULT_GPU_PROVISIONING_SECONDS (capacity-data.md)
   */
  readonly gpuProvisioningSeconds?: number;
  /**
   * `gpuProvisioningSeconds` split into its three phases, each with its source (see
   * `lib/capacity/warmup.ts` for the weight-loading paths). When given, `gpuProvisioningSeconds`
   * is their sum (a different explicit value is an error), and the simulator starts a pod on a
   * node with a free GPU in `imagePullSeconds + modelLoadSeconds` and a new node in `nodeLaunchSeconds`.
   * @default none: the simulator splits the total by DEFAULT_POD_START_FRACTION
   */
  readonly gpuProvisioning?: GpuProvisioningBreakdown;
  /**
   * AWS region, for prices (catalog prices are us-east-1).
   * @default "us-east-1"
   */
  readonly region?: string;
}

/** The phases of bringing a GPU replica up on a new node, seconds, with their sources. */
export interface GpuProvisioningBreakdown {
  /** EC2 launch to node Ready with its GPUs advertised (boot, NVIDIA driver, kubelet join, device plugin). */
  readonly nodeLaunchSeconds: number;
  /** Pulling and unpacking the inference image on a node that does not have it. */
  readonly imagePullSeconds: number;
  /** Getting the weights onto the node and into GPU memory, plus engine start (CUDA graphs), until ready. */
  readonly modelLoadSeconds: number;
  /** Where each number comes from (a measurement, a document, or an assumption and its residual). */
  readonly sources: { readonly nodeLaunch: string; readonly imagePull: string; readonly modelLoad: string };
}

/** Minimum, desired (steady peak) and maximum of a count. */
export interface Bounds {
  readonly min: number;
  readonly desired: number;
  readonly max: number;
}

/** The GPU serving tier. */
export interface InferencePlan {
  /** Chosen EC2 instance type for GPU nodes. */
  readonly instanceType: string;
  /** GPU model of that type, e.g. `H100`. */
  readonly gpuModel: string;
  /** Instance family, e.g. `p5` (node label). */
  readonly family: string;
  /** GPUs per replica = tensor parallel size. */
  readonly gpusPerReplica: number;
  /** GPUs per node of the chosen type. */
  readonly gpusPerNode: number;
  /** Replicas that fit on one node (gpusPerNode / gpusPerReplica). */
  readonly replicasPerNode: number;
  /** Inference server replicas. */
  readonly replicas: Bounds;
  /** GPU nodes for those replicas. */
  readonly nodes: Bounds;
  /** What one replica does at the planned operating point. */
  readonly perReplica: {
    /** Concurrent sequences (continuous batch size), vLLM `--max-num-seqs`. */
    readonly maxConcurrentSequences: number;
    /** Output tokens per second across the batch. */
    readonly outputTokensPerSecond: number;
    /** Requests per second one replica completes at the planned utilization. */
    readonly requestsPerSecond: number;
    /** Prompt tokens per second in prefill. */
    readonly prefillTokensPerSecond: number;
    /** Mean seconds a request spends in service (prefill + decode), excluding queueing. */
    readonly meanServiceSeconds: number;
  };
  /** Predicted latencies at peak with `replicas.desired`. */
  readonly predicted: {
    /** Busy fraction of the replicas at the steady peak. */
    readonly utilization: number;
    readonly ttftP99Seconds: number;
    readonly tpotP99Seconds: number;
    readonly queueWaitP99Seconds: number;
    /** End-to-end latency of a p99-length request (queue + prefill + decode). */
    readonly e2eP99Seconds: number;
  };
  /** GPU memory budget of one replica. */
  readonly memory: {
    /** Weights per replica (all GPUs). */
    readonly weightsGiB: number;
    /** KV cache for `maxConcurrentSequences` per replica (all GPUs). */
    readonly kvCacheGiB: number;
    /** Total planned use per GPU (weights + KV + runtime overhead). */
    readonly perGpuGiB: number;
    /** KV cache per token in KiB. */
    readonly kvCachePerTokenKiB: number;
  };
  /** vLLM `--gpu-memory-utilization`: fraction of GPU memory the engine may take. */
  readonly gpuMemoryUtilization: number;
  /** vLLM `--max-model-len`: the model's context limit. */
  readonly maxModelLenTokens: number;
}

/** HPA (inference) and KEDA (async workers) settings. */
export interface AutoscalingPlan {
  /** HPA bounds for the inference Deployment (= inference.replicas.min/max). */
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target waiting requests per replica (KEDA `prometheus` trigger threshold, or the HPA `Pods` metric target). */
  readonly targetQueueDepthPerReplica: number;
  /** Target KV-cache use per replica as a fraction 0-1 (same units in the trigger, the HPA metric and the simulator). */
  readonly targetKvCacheUtilization: number;
  /** The source article's CPU fallback target, percent. */
  readonly targetCpuUtilizationPercent: number;
  /**
   * Scheduled floor for a declared daily peak (workload.dailyPeak): from `startClockSeconds` (the peak's
   * start minus GPU provisioning and one HPA period) to `endClockSeconds`, at least `minReplicas` run.
   * @default absent (no declared peak window)
   */
  readonly scheduledFloor?: { readonly startClockSeconds: number; readonly endClockSeconds: number; readonly minReplicas: number };
  /** HPA scale-up behaviour: no stabilization, fast steps. */
  readonly scaleUp: {
    readonly stabilizationWindowSeconds: number;
    readonly periodSeconds: number;
    readonly maxPodsPerPeriod: number;
    readonly maxPercentPerPeriod: number;
  };
  /** HPA scale-down behaviour: at least 300 s stabilization, small steps. */
  readonly scaleDown: {
    readonly stabilizationWindowSeconds: number;
    readonly periodSeconds: number;
    readonly maxPodsPerPeriod: number;
  };
  /** KEDA ScaledObject for the async workers. */
  readonly workers: {
    readonly minReplicas: number;
    /** At most the topic's partitions (extra consumers would idle). */
    readonly maxReplicas: number;
    /** Consumer-group lag per worker replica that triggers scale-out. */
    readonly lagThreshold: number;
    /** Requests one worker keeps in flight against the inference service. */
    readonly concurrencyPerWorker: number;
    readonly pollingIntervalSeconds: number;
    readonly cooldownSeconds: number;
  };
}

/** Fail-fast admission at the ingress gateway and the per-replica circuit breaker. */
export interface AdmissionPlan {
  /** Sustained sync requests/second the gateway admits (token-bucket fill rate); beyond it, 429. */
  readonly maxRequestsPerSecond: number;
  /** Token-bucket size: a burst admitted at once. */
  readonly burstRequests: number;
  /** Istio connectionPool http2MaxRequests per replica: in-service plus a short queue. */
  readonly maxConcurrentRequestsPerReplica: number;
  /** Istio connectionPool http1MaxPendingRequests per replica. */
  readonly maxPendingRequestsPerReplica: number;
  /** Route timeout, longer than the p99 end-to-end latency. */
  readonly requestTimeoutSeconds: number;
  /** Retry-After header on a 429, seconds. */
  readonly retryAfterSeconds: number;
}

/** One Kafka topic the plan needs. */
export interface KafkaTopicPlan {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly retentionHours: number;
}

/** MSK cluster for peak shaving. */
export interface KafkaPlan {
  /** Broker count, a multiple of the AZ count. */
  readonly brokers: number;
  /** e.g. `kafka.m7g.large`. */
  readonly brokerInstanceType: string;
  /** Partitions of the request topic (>= the workers' max replicas). */
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly retentionHours: number;
  /** Data the async share produces during a spike while GPU nodes start. */
  readonly spikeBufferGiB: number;
  /** EBS storage per broker. */
  readonly storagePerBrokerGiB: number;
  /** Client ingress at peak x spike, MiB/s. */
  readonly ingressMiBPerSecond: number;
  /** Lag per worker replica that KEDA scales on (= autoscaling.workers.lagThreshold). */
  readonly consumerLagThreshold: number;
  /** Topics to create (requests, results, dead letters). */
  readonly topics: readonly KafkaTopicPlan[];
}

/** ElastiCache (Valkey) replication group for the remote KV-cache tier, rate limits and request buffers. */
export interface RedisPlan {
  /** e.g. `cache.r7g.large`. */
  readonly nodeType: string;
  readonly shards: number;
  readonly replicasPerShard: number;
  /** Data the cache must hold across all shards (before reserved memory). */
  readonly memoryGiB: number;
  /** Usable memory of one node after `reserved-memory-percent`. */
  readonly usableMemoryPerNodeGiB: number;
}

/** RDS PostgreSQL with read replicas behind RDS Proxy. */
export interface DatabasePlan {
  /** e.g. `db.r7g.xlarge`. */
  readonly instanceClass: string;
  /** Read replicas, at most 15. */
  readonly readReplicas: number;
  /** `max_connections` of the chosen class (the RDS default formula). */
  readonly maxConnections: number;
  /** RDS Proxy MaxConnectionsPercent (30% headroom kept). */
  readonly proxyMaxConnectionsPercent: number;
  /** RDS Proxy MaxIdleConnectionsPercent. */
  readonly proxyMaxIdleConnectionsPercent: number;
  /** Client connections the application side opens through the proxy at peak. */
  readonly peakClientConnections: number;
  /** Allocated gp3 storage, GiB. */
  readonly allocatedStorageGiB: number;
}

/** Non-GPU cluster capacity (add-ons, gateways, workers, monitoring). */
export interface SystemPlan {
  /** System node group instance type, e.g. `m7i.xlarge`. */
  readonly instanceType: string;
  readonly nodes: Bounds;
  /** Prometheus retention, days. */
  readonly prometheusRetentionDays: number;
  /** Prometheus gp3 volume, GiB. */
  readonly prometheusVolumeGiB: number;
  /** Estimated active series Prometheus holds. */
  readonly prometheusActiveSeries: number;
}

/** Cost components of the monthly estimate. */
export type CostComponent = "gpuNodes" | "systemNodes" | "eksControlPlane" | "kafka" | "redis" | "database" | "network";

/** Monthly cost estimate (on-demand, 730 h/month). */
export interface CostPlan {
  readonly monthlyUsd: number;
  /** `gpuNodes` is the expected GPU node-hours of the day (the HPA following the daily curve), not nodes.desired around the clock. */
  readonly byComponent: Readonly<Record<CostComponent, number>>;
  /** nodes.min x USD/h x 730: the GPU floor that runs all month. @default absent in hand-written plans */
  readonly gpuReservedFloorMonthlyUsd?: number;
}

/** The source article's formula on the same inputs, for comparison. */
export interface ClassicPlan {
  /** peak QPS x mean response time / per-instance concurrency x safety factor, rounded up. */
  readonly instances: number;
  readonly peakRequestsPerSecond: number;
  readonly meanResponseSeconds: number;
  readonly perInstanceConcurrency: number;
  readonly safetyFactor: number;
}

/** How one number of the plan was derived. */
export interface Explanation {
  /** Dotted path in the plan, e.g. `inference.replicas.max`. */
  readonly field: string;
  readonly value: number | string;
  /** Unit of the value, e.g. `replicas`, `GiB`, `USD/month`. */
  readonly unit: string;
  /** The formula in words and symbols. */
  readonly formula: string;
  /** Named inputs of the formula with their values. */
  readonly inputs: Readonly<Record<string, number | string>>;
  /** Source of any constant used (capacity-data.md section or document). */
  readonly source?: string;
}

/** What the KV-cache tiers need: sized by the plan, consumed by the serving path. */
export interface KvCachePlan {
  /** KV-cache bytes per token of the model at its precision (all layers, one replica). */
  readonly bytesPerToken: number;
  /** Routing mode the reuse assumes. */
  readonly routing: RoutingMode;
  /** Declared share of prompt tokens that hit when routed to their prefix's replica. */
  readonly declaredHitShare: number;
  /** Share the plan counts under the routing mode (declared, or declared / replicas.desired for least-load). */
  readonly effectiveHitShare: number;
  /** Prompt tokens per second served from the prefix cache at peak (not prefilled). */
  readonly reusedTokensPerSecond: number;
  /** Reused prefix tokens the remote (Valkey) tier holds: reusedTokensPerSecond x remoteTierSeconds. */
  readonly remoteTierTokens: number;
  /** Valkey memory for those tokens: remoteTierTokens x bytesPerToken, GiB (redis.memoryGiB adds the per-key overhead). */
  readonly remoteTierGiB: number;
  /** The remote (Valkey) tier, when `workload.prefixCache.remoteTierSeconds` > 0. */
  readonly remoteTier?: KvRemoteTierPlan;
  /** The deployed mechanism that consumes each saving. */
  readonly mechanisms: readonly string[];
}

/** The remote KV tier (LMCache on Valkey): what it holds, what it moves and whether a fetch pays. */
export interface KvRemoteTierPlan {
  /** Seconds of newly prefilled KV it holds (workload.prefixCache.remoteTierSeconds). */
  readonly seconds: number;
  /** Prompt tokens per second one replica prefills (the chosen candidate's compute), tokens/s. */
  readonly prefillTokensPerSecondPerReplica: number;
  /** Bandwidth one replica fetches at: min(its share of the GPU node's network, one Valkey node's baseline), Gbit/s. */
  readonly fetchGbpsPerReplica: number;
  /** Seconds to fetch one token's KV over fetchGbpsPerReplica / seconds to prefill it: below 1 a fetch pays. */
  readonly fetchCostShare: number;
  /** Smallest Valkey node baseline bandwidth that keeps fetchCostShare below 1 on this replica, Gbit/s (redis.nodeType honours it). */
  readonly minNodeBaselineGbps: number;
  /** Share of prompt tokens served from the remote tier (what vLLM reports as external prefix-cache hits); 0 under prefix-affinity. */
  readonly hitShare: number;
  /** That share counted at its saving over prefill (hitShare x (1 - fetchCostShare)): what effectiveHitShare adds. */
  readonly countedHitShare: number;
  /** Prompt tokens per second the replicas store (prefilled, not hit) at the spike. */
  readonly storedTokensPerSecond: number;
  /** Prompt tokens per second fetched from the tier at the spike. */
  readonly fetchedTokensPerSecond: number;
  /** Network the tier carries at the spike (stores + fetches), Gbit/s. */
  readonly bandwidthGbps: number;
  /** Valkey operations per second at the spike (LMCache chunk stores and fetches). */
  readonly opsPerSecond: number;
}

/** Everything the platform is sized from. Plain readonly data. */
export interface CapacityPlan {
  /** The input with every default filled in. */
  readonly input: CapacityInput;
  readonly inference: InferencePlan;
  readonly autoscaling: AutoscalingPlan;
  readonly admission: AdmissionPlan;
  readonly kafka: KafkaPlan;
  readonly redis: RedisPlan;
  /** KV-cache reuse and tiers. Set by planCapacity; hand-written plans may omit it (no reuse). */
  readonly kvCache?: KvCachePlan;
  readonly database: DatabasePlan;
  readonly system: SystemPlan;
  readonly cost: CostPlan;
  readonly classic: ClassicPlan;
  readonly explanations: readonly Explanation[];
}

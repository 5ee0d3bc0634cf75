/**
 * Named constants of the capacity model, each with its unit in the name and its source.
 *
 * "capacity-data.md" means /work/shared/docs/capacity-data.md (the team's sourced figures).
 * Figures marked ASSUMPTION are not in a public source we could verify; they are the
 * model's documented engineering judgement and can be changed here in one place.
 */

/** Hours in a billing month (AWS pricing pages use 730 h). */
export const HOURS_PER_MONTH = 730;

/** 2^30 bytes. */
export const GIB = 1024 ** 3;
/** 2^20 bytes. */
export const MIB = 1024 ** 2;

// ---------------------------------------------------------------- defaults of CapacityInput

/** Default `safetyFactor` (source article: 1.5-2). */
export const DEFAULT_SAFETY_FACTOR = 1.5;
/** Default availability zones. */
export const DEFAULT_AVAILABILITY_ZONES = 3;
/**
 * Default seconds from a scale-up decision to a new GPU replica serving: node launch (~2 min),
 * pulling a 10-20 GB inference image (several minutes) and loading weights.
 * capacity-data.md, "GPU node and pod start": "minutes, not seconds"; 600 s is the ASSUMPTION within that.
 */
export const DEFAULT_GPU_PROVISIONING_SECONDS = 600;
/** Default region; every catalog price is us-east-1 on-demand. */
export const DEFAULT_REGION = "us-east-1";
/** Off-peak rate as a fraction of the peak when `baselineRequestsPerSecond` is not given (ASSUMPTION: a diurnal trough of ~30%). */
export const DEFAULT_BASELINE_FRACTION = 0.3;
/** Default `maxQueueDelaySeconds` (types.ts). */
export const DEFAULT_MAX_QUEUE_DELAY_SECONDS = 300;
/** Default `payloadBytes` (types.ts). */
export const DEFAULT_PAYLOAD_BYTES = 8192;
/** Default `readQueriesPerRequest` (types.ts). */
export const DEFAULT_READ_QUERIES_PER_REQUEST = 2;
/** Default `writeQueriesPerRequest` (types.ts). */
export const DEFAULT_WRITE_QUERIES_PER_REQUEST = 1;
/**
 * p99 / mean of a token distribution when only the mean is given (ASSUMPTION: chat traffic is
 * right-skewed; 3x is between an exponential's 4.6x and the MLPerf Llama-2 set's tighter tail).
 */
export const DEFAULT_TOKEN_P99_FACTOR = 3;

// ---------------------------------------------------------------- serving engine

/** vLLM `--gpu-memory-utilization` default (vLLM engine arguments: 0.9). */
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;
/**
 * Memory per GPU outside weights and KV cache inside the engine's share: CUDA graphs,
 * activations of the largest batch, NCCL buffers (ASSUMPTION: 2 GiB, in line with what vLLM
 * reports as "non-torch memory + activation peak" for 8B-70B models).
 */
export const RUNTIME_OVERHEAD_GIB_PER_GPU = 2;
/** Tensor-parallel sizes tried, all within one node (NVLink/PCIe domain). */
export const TENSOR_PARALLEL_SIZES: readonly number[] = [1, 2, 4, 8];
/** Bytes per weight parameter (capacity-data.md, "Model memory"). */
export const BYTES_PER_PARAMETER = { bf16: 2, fp16: 2, fp8: 1, int4: 0.5 } as const;
/**
 * Bytes per KV-cache element. INT4 is weight-only quantization (AWQ/GPTQ); its KV cache runs in
 * FP8 (vLLM `--kv-cache-dtype fp8`), so it is never larger than at FP8.
 */
export const KV_BYTES_PER_ELEMENT = { bf16: 2, fp16: 2, fp8: 1, int4: 1 } as const;

// ---------------------------------------------------------------- calibration (MLPerf v4.1)

/**
 * MLPerf Inference v4.1, closed, NVIDIA DGX-H100 8x H100-SXM-80GB, Llama-2-70B, Server
 * (capacity-data.md "One calibration point"): the figures the efficiencies are fitted on.
 */
export const MLPERF_V41_H100_LLAMA2_70B = {
  gpus: 8,
  outputTokensPerSecond: 21_606,
  requestsPerSecond: 74.42,
  ttftMeanSeconds: 0.276,
  ttftP99Seconds: 0.461,
  tpotMeanSeconds: 0.155,
  tpotP99Seconds: 0.175,
  e2eMeanSeconds: 44.95,
  /** Derived: 21,606 / 74.42. */
  outputTokensMean: 21_606 / 74.42,
  /**
   * Mean prompt length of the MLPerf Llama-2-70B (OpenOrca) set. ASSUMPTION: ~294 tokens as
   * reported by the MLCommons task force; not in capacity-data.md. The fit is not sensitive to it
   * (+-50 tokens moves the efficiency by ~4%).
   */
  promptTokensMean: 294,
  /** ASSUMPTION: FP8 weights and KV cache with tensor parallel 2 (4 replicas per node), as TensorRT-LLM submissions ran. */
  tensorParallel: 2,
  precision: "fp8",
  parametersBillions: 70,
  layers: 80,
  kvHeads: 8,
  headDim: 128,
} as const;

/** TPOT p99 / mean at the MLPerf point: 175 / 155 ms (capacity-data.md). */
export const TPOT_P99_OVER_MEAN = 0.175 / 0.155;

// ---------------------------------------------------------------- queueing / SLO

/** Squared coefficient of variation of arrivals: Poisson (Allen-Cunneen ca^2 = 1). */
export const ARRIVAL_SCV = 1;
/** Tail probability of the p99 targets. */
export const P99_TAIL = 0.01;

// ---------------------------------------------------------------- Kubernetes autoscaling

/** HPA sync period, s (capacity-data.md "Kubernetes HPA": sync every 15 s). */
export const HPA_SYNC_PERIOD_SECONDS = 15;
/** HPA scale-up: no stabilization, +100% or +4 pods per 15 s (capacity-data.md; Kubernetes defaults). */
export const HPA_SCALE_UP = { stabilizationWindowSeconds: 0, periodSeconds: 15, maxPodsPerPeriod: 4, maxPercentPerPeriod: 100 } as const;
/** HPA scale-down stabilization, s (capacity-data.md: 300 s default). */
export const HPA_SCALE_DOWN_STABILIZATION_SECONDS = 300;
/** Scale-down step period, s: one node's worth of replicas per minute (ASSUMPTION: slow, drains a node at a time). */
export const HPA_SCALE_DOWN_PERIOD_SECONDS = 60;
/** CPU fallback target, percent (source article). */
export const DEFAULT_CPU_TARGET_PERCENT = 70;
/** Highest KV-cache use the HPA targets: vLLM preempts sequences at 100% (ASSUMPTION: keep 20% for growing sequences). */
export const MAX_KV_CACHE_TARGET = 0.8;
/** KEDA polling interval, s (ASSUMPTION: aligned with the HPA's 15 s; KEDA default 30 s). */
export const KEDA_POLLING_INTERVAL_SECONDS = 15;
/** KEDA cooldown before scaling to the minimum, s (KEDA default 300 s). */
export const KEDA_COOLDOWN_SECONDS = 300;
/** Requests one async worker keeps in flight (ASSUMPTION: an async HTTP client pool of 32). */
export const WORKER_CONCURRENCY = 32;

// ---------------------------------------------------------------- service limits

/** EKS: nodes per managed node group, default quota 450 (Amazon EKS service quotas page). */
export const EKS_MAX_NODES_PER_NODE_GROUP = 450;
/** EKS control plane price, USD/h (Amazon EKS pricing, standard support). */
export const EKS_CONTROL_PLANE_USD_PER_HOUR = 0.1;
/** MSK brokers per cluster in KRaft mode (capacity-data.md: 30 ZooKeeper, 60 KRaft). We plan KRaft. */
export const MSK_MAX_BROKERS_KRAFT = 60;
/** MSK default EBS throughput per broker, MiB/s (capacity-data.md). */
export const MSK_EBS_THROUGHPUT_MIB_PER_SECOND = 250;
/** Keep brokers under 60% CPU / throughput (capacity-data.md). */
export const MSK_TARGET_UTILIZATION = 0.6;
/** Minimum retention of the request topic, h (brief: >= 24 h so a day of incidents can be replayed). */
export const KAFKA_MIN_RETENTION_HOURS = 24;
/** Dead-letter topic retention, h (ASSUMPTION: a week to investigate poison messages). */
export const KAFKA_DLQ_RETENTION_HOURS = 168;
/** Storage headroom on top of ingress x retention x RF (capacity-data.md: +20%). */
export const KAFKA_STORAGE_HEADROOM = 1.2;
/** MSK broker storage price, USD per GB-month (Amazon MSK pricing, us-east-1). */
export const MSK_STORAGE_USD_PER_GB_MONTH = 0.1;
/** RDS read replicas per source (capacity-data.md). */
export const RDS_MAX_READ_REPLICAS = 15;
/** RDS PostgreSQL `max_connections = LEAST(DBInstanceClassMemory / 9531392, 5000)` (capacity-data.md). */
export const RDS_MAX_CONNECTIONS_DIVISOR_BYTES = 9_531_392;
/** Upper bound of the default `max_connections` formula. */
export const RDS_MAX_CONNECTIONS_CAP = 5000;
/** RDS Proxy MaxConnectionsPercent keeping 30% headroom (capacity-data.md). */
export const RDS_PROXY_MAX_CONNECTIONS_PERCENT = 70;
/** RDS Proxy MaxIdleConnectionsPercent: half of the allowed pool (RDS Proxy default is 50% of MaxConnectionsPercent). */
export const RDS_PROXY_MAX_IDLE_CONNECTIONS_PERCENT = 35;
/** RDS gp3 storage, USD per GB-month, us-east-1 (Amazon RDS pricing). */
export const RDS_GP3_USD_PER_GB_MONTH = 0.115;
/** RDS Proxy, USD per vCPU-hour of the instances behind it (Amazon RDS Proxy pricing, us-east-1). */
export const RDS_PROXY_USD_PER_VCPU_HOUR = 0.015;
/** Smallest RDS gp3 volume, GiB (RDS allocated storage minimum for gp3). */
export const RDS_MIN_STORAGE_GIB = 20;
/** ElastiCache `reserved-memory-percent` default (capacity-data.md). */
export const REDIS_RESERVED_MEMORY_PERCENT = 25;

// ---------------------------------------------------------------- data-tier workload assumptions

/**
 * Seconds of newly computed KV a remote KV tier (LMCache's Valkey backend) holds by default: 0, no remote
 * tier. A positive `workload.prefixCache.remoteTierSeconds` deploys one (lib/serving/README.md, "KV cache tiers").
 */
export const DEFAULT_KV_REMOTE_TIER_SECONDS = 0;
/** Longest remote-tier horizon the plan accepts, s: beyond a day the memory bought grows faster than any reuse it could serve. */
export const MAX_KV_REMOTE_TIER_SECONDS = 86_400;
/**
 * Tokens per LMCache chunk (LMCache `chunk_size`, its default 256): the unit the remote tier stores and
 * fetches; each chunk is two keys (`...kv_bytes`, `...metadata`) in the LMCache Redis connector.
 */
export const LMCACHE_CHUNK_TOKENS = 256;
/** Valkey operations per stored chunk (SET kv_bytes, SET metadata) and per fetched chunk (EXISTS, GET metadata, GET kv_bytes): LMCache's Redis connector. */
export const LMCACHE_OPS_PER_STORED_CHUNK = 2;
export const LMCACHE_OPS_PER_FETCHED_CHUNK = 3;
/** Fill at most this share of the Valkey primaries' baseline network bandwidth (ASSUMPTION, as REDIS_TARGET_FILL for memory: headroom for replication and bursts). */
export const REDIS_TARGET_BANDWIDTH_FILL = 0.7;
/**
 * Seconds the async workers keep a result in Redis (AsyncWorker `redis.resultTtlSeconds`, whose default the
 * workloads stack keeps): the result store holds the async results of this window.
 */
export const ASYNC_RESULT_TTL_SECONDS = 86_400;
/** Redis operations per async request: the worker's SET of the result and one GET by whoever collects it. */
export const REDIS_OPS_PER_ASYNC_REQUEST = 2;
/** Seconds over which a batch job is submitted by default (the bank case's 10-minute upload; ASSUMPTION). */
export const DEFAULT_BATCH_SUBMIT_SECONDS = 600;
/** Default ramp into a declared daily peak window, s (ASSUMPTION: a market-open style step, faster than GPUs start). */
export const DEFAULT_DAILY_PEAK_RAMP_SECONDS = 60;
/** Default start of a batch job's submission: 09:00 (the bank's start of business; ASSUMPTION). */
export const DEFAULT_BATCH_START_CLOCK_SECONDS = 9 * 3600;
/** Redis per-key overhead factor on the payload: key, dict entry, expiry, allocator (ASSUMPTION). */
export const REDIS_OVERHEAD_FACTOR = 1.25;
/** Fill at most 80% of the usable Redis memory (ASSUMPTION: eviction and fragmentation headroom). */
export const REDIS_TARGET_FILL = 0.8;
/** Redis operations one shard serves at a comfortable load, ops/s (ASSUMPTION: single-threaded engine, small keys). */
export const REDIS_OPS_PER_SHARD = 100_000;
/** Mean time one database query holds a connection, s (ASSUMPTION: indexed point queries). */
export const DB_QUERY_SECONDS = 0.005;
/** Simple writes/s one vCPU sustains at ~60% CPU (ASSUMPTION: single-row INSERT/UPDATE with group commit). */
export const DB_WRITES_PER_VCPU = 500;
/** Indexed point reads/s one vCPU sustains at ~60% CPU (ASSUMPTION). */
export const DB_READS_PER_VCPU = 2000;
/** Bytes stored per written row incl. indexes (ASSUMPTION). */
export const DB_BYTES_PER_WRITE = 512;
/** Days of usage records kept online (ASSUMPTION). */
export const DB_RETENTION_DAYS = 90;
/** Prometheus retention, days (Prometheus default `--storage.tsdb.retention.time=15d`). */
export const PROMETHEUS_RETENTION_DAYS = 15;
/** Prometheus scrape interval, s (kube-prometheus-stack default 30 s). */
export const PROMETHEUS_SCRAPE_INTERVAL_SECONDS = 30;
/** Bytes per stored sample (Prometheus storage docs: 1-2 bytes; we take 2). */
export const PROMETHEUS_BYTES_PER_SAMPLE = 2;
/** Head memory per active series incl. query headroom (ASSUMPTION: 8 KiB). */
export const PROMETHEUS_BYTES_PER_SERIES = 8192;
/** Series estimates (ASSUMPTION, typical exporter counts). */
export const SERIES = {
  base: 50_000, // control plane, kube-state-metrics, add-ons
  perNode: 2_000, // node-exporter + kubelet/cAdvisor
  perGpu: 100, // DCGM exporter
  perInferenceReplica: 1_500, // vLLM histograms + Istio sidecar
  perWorker: 800, // Istio sidecar + app metrics
  perKafkaBroker: 2_000, // MSK open monitoring (JMX + node)
} as const;
/** gp3 EBS, USD per GB-month (Amazon EBS pricing, us-east-1). */
export const EBS_GP3_USD_PER_GB_MONTH = 0.08;
/** NAT gateway, USD per hour (Amazon VPC pricing, us-east-1). */
export const NAT_GATEWAY_USD_PER_HOUR = 0.045;
/** NAT gateway, USD per GB processed (Amazon VPC pricing, us-east-1). */
export const NAT_GATEWAY_USD_PER_GB = 0.045;
/** Data transfer out to the internet, USD/GB, first 10 TB (Amazon EC2 pricing, us-east-1). */
export const DATA_TRANSFER_OUT_USD_PER_GB = 0.09;
/** Seconds in a 730-hour month. */
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/**
 * Plan -> props: the one place where the capacity plan's numbers become construct
 * props (node groups, data tier, add-ons, serving tier, mesh). Pure functions over
 * plain data; constructs never read the plan themselves, so they stay usable alone.
 */
import { findGpuInstance } from "../lib/capacity/catalog";
import type { CapacityPlan, GpuInstanceSpec, KafkaTopicPlan } from "../lib/capacity/types";
import { VLLM_HOST_MEMORY_PER_GPU_GIB } from "../lib/serving/private/kv-cache";

/**
 * Share of a GPU node's vCPUs and memory given to inference pods; the rest is kubelet and
 * system reservations (EKS AMI kube-reserved), DaemonSets (device plugin, DCGM exporter,
 * node exporter, CNI) and headroom against eviction.
 */
export const NODE_ALLOCATABLE_SHARE = 0.85;
/** CPU cores and GiB left per replica for its Istio sidecar and init container. */
export const SIDECAR_RESERVE = { cpuCores: 1, memoryGiB: 2 } as const;

/**
 * Share of a replica's free host memory (its memory limit minus `/dev/shm` and the server
 * process allowance) given to offloaded KV blocks. Half: the rest stays page cache for the
 * weights' copy and load, and pinned host memory slows the engine's start roughly in
 * proportion to its size.
 */
export const KV_CPU_OFFLOAD_SHARE = 0.5;
/**
 * CPU seconds the endpoint picker spends per scheduling decision (prefix hashing over the
 * prompt plus three scorers over the pool). An estimate to calibrate, not a measurement: the
 * picker's `inference_extension_scheduler_e2e_duration_seconds` and its container CPU on the
 * Service dashboard are what correct it.
 */
export const EPP_CPU_SECONDS_PER_REQUEST = 0.01;
/** Prefix-index entries the picker keeps per model server (upstream `lruCapacityPerServer` default). */
export const EPP_PREFIX_ENTRIES_PER_SERVER = 31_250;
/** Bytes per prefix-index entry (hash, server set, LRU links), an upper estimate. */
export const EPP_BYTES_PER_PREFIX_ENTRY = 256;

/** Numbers of the serving tier that come from the plan, grouped by construct. */
export interface ServingSizing {
  /** For `InferenceService`. */
  readonly inference: {
    readonly replicas: number;
    readonly gpusPerReplica: number;
    readonly maxConcurrentSequences: number;
    readonly gpuMemoryUtilization: number;
    readonly maxModelLenTokens: number;
    readonly placement: { readonly family: string; readonly instanceType: string; readonly maxNodes: number; readonly replicasPerNode: number };
    readonly longestRequestSeconds: number;
    readonly modelLoadSeconds: number;
    /** Weights plus 20% for tokenizer, config and filesystem overhead, GiB. */
    readonly modelVolumeGiB: number;
    /**
     * CPU and memory per replica from the instance type (catalog or the input's spec):
     * the allocatable share of the node split over its replicas, minus the sidecar reserve.
     * Undefined when the instance type is in neither; the stack must then pass them.
     */
    readonly hostResources?: { readonly cpuCores: number; readonly memoryGiB: number };
    /**
     * Host memory per replica for vLLM's CPU KV tier, GiB: {@link KV_CPU_OFFLOAD_SHARE} of what the
     * memory limit leaves after `/dev/shm` and the server process. 0 when the host resources are unknown.
     */
    readonly kvCpuOffloadGiB: number;
  };
  /**
   * For `EndpointPicker` (inference-extension mode): two replicas (leader and standby), CPU for
   * the admitted request rate at {@link EPP_CPU_SECONDS_PER_REQUEST} (at least 1 core), memory for
   * the prefix index of `replicas.max` servers (at least 1 GiB).
   */
  readonly endpointPicker: { readonly replicas: number; readonly resources: { readonly cpuCores: number; readonly memoryGiB: number } };
  /** For `InferenceAutoscaler`. */
  readonly autoscaler: {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly targetQueueDepthPerReplica: number;
    readonly targetKvCacheUtilization: number;
    readonly targetCpuUtilizationPercent: number;
    readonly scaleUp: CapacityPlan["autoscaling"]["scaleUp"];
    readonly scaleDown: CapacityPlan["autoscaling"]["scaleDown"];
    /** The plan's pre-scale for a declared daily peak (KEDA cron trigger), when the workload declares one. */
    readonly scheduledFloor?: NonNullable<CapacityPlan["autoscaling"]["scheduledFloor"]>;
  };
  /** For `KafkaTopicsJob`. */
  readonly topics: readonly KafkaTopicPlan[];
  /** For `AsyncWorker`. */
  readonly worker: {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly lagThreshold: number;
    readonly concurrencyPerWorker: number;
    readonly pollingIntervalSeconds: number;
    readonly cooldownSeconds: number;
    readonly requestTimeoutSeconds: number;
    readonly requestTopic: string;
    readonly resultTopic: string;
    readonly deadLetterTopic: string;
    readonly requestTopicPartitions: number;
  };
  /** For `InferenceTrafficPolicy`. */
  readonly trafficPolicy: {
    readonly maxConcurrentRequestsPerReplica: number;
    readonly maxPendingRequestsPerReplica: number;
    readonly replicas: number;
    readonly requestTimeoutSeconds: number;
    readonly longestRequestSeconds: number;
  };
  /** For `IngressAdmission`. */
  readonly admission: {
    readonly maxRequestsPerSecond: number;
    readonly burstRequests: number;
    readonly retryAfterSeconds: number;
  };
}

/**
 * Maps a capacity plan to the serving tier's props.
 *
 * Topics: the dead-letter topic is the first whose name contains "dlq" or "dead" (else the
 * last), the request topic the first other one containing "request" (else the first), the
 * result topic the first containing "result" (else the second).
 *
 * @example
 * const s = servingPropsFromPlan(plan);
 * new InferenceAutoscaler(stack, "Autoscaler", { namespace: "inference", deploymentName: "inference", ...s.autoscaler });
 */
export function servingPropsFromPlan(plan: CapacityPlan): ServingSizing {
  const inf = plan.inference;
  const topics = plan.kafka.topics;
  const pick = (words: readonly string[], fallback: number) =>
    topics.find((t) => words.some((w) => t.name.includes(w))) ?? topics[Math.min(Math.max(fallback, 0), topics.length - 1)];
  const deadLetter = pick(["dlq", "dead"], topics.length - 1);
  const request = topics.find((t) => t !== deadLetter && t.name.includes("request")) ?? topics[0];
  const result = pick(["result"], 1);
  // The longest request a draining pod must finish and the route must allow.
  const longest = Math.ceil(inf.predicted.e2eP99Seconds);
  const host = hostResources(plan);
  return {
    inference: {
      replicas: inf.replicas.desired,
      gpusPerReplica: inf.gpusPerReplica,
      maxConcurrentSequences: inf.perReplica.maxConcurrentSequences,
      gpuMemoryUtilization: inf.gpuMemoryUtilization,
      maxModelLenTokens: inf.maxModelLenTokens,
      placement: { family: inf.family, instanceType: inf.instanceType, maxNodes: inf.nodes.max, replicasPerNode: inf.replicasPerNode },
      longestRequestSeconds: longest,
      // The plan's provisioning budget covers node launch, image pull and model load; the
      // model load is the part the startup probe waits for, bounded below by 5 minutes.
      modelLoadSeconds: Math.max(300, plan.input.gpuProvisioningSeconds ?? 600),
      modelVolumeGiB: Math.ceil(inf.memory.weightsGiB * 1.2),
      hostResources: host,
      kvCpuOffloadGiB: kvCpuOffloadGiB(host, inf.gpusPerReplica),
    },
    endpointPicker: {
      replicas: 2,
      resources: {
        cpuCores: Math.max(1, Math.ceil(plan.admission.maxRequestsPerSecond * EPP_CPU_SECONDS_PER_REQUEST)),
        memoryGiB: Math.max(1, Math.ceil((inf.replicas.max * EPP_PREFIX_ENTRIES_PER_SERVER * EPP_BYTES_PER_PREFIX_ENTRY) / 2 ** 30)),
      },
    },
    autoscaler: {
      minReplicas: plan.autoscaling.minReplicas,
      maxReplicas: plan.autoscaling.maxReplicas,
      targetQueueDepthPerReplica: plan.autoscaling.targetQueueDepthPerReplica,
      targetKvCacheUtilization: plan.autoscaling.targetKvCacheUtilization,
      targetCpuUtilizationPercent: plan.autoscaling.targetCpuUtilizationPercent,
      scaleUp: plan.autoscaling.scaleUp,
      scaleDown: plan.autoscaling.scaleDown,
      ...(plan.autoscaling.scheduledFloor ? { scheduledFloor: plan.autoscaling.scheduledFloor } : {}),
    },
    topics,
    worker: {
      minReplicas: plan.autoscaling.workers.minReplicas,
      maxReplicas: plan.autoscaling.workers.maxReplicas,
      lagThreshold: plan.autoscaling.workers.lagThreshold,
      concurrencyPerWorker: plan.autoscaling.workers.concurrencyPerWorker,
      pollingIntervalSeconds: plan.autoscaling.workers.pollingIntervalSeconds,
      cooldownSeconds: plan.autoscaling.workers.cooldownSeconds,
      requestTimeoutSeconds: plan.admission.requestTimeoutSeconds,
      requestTopic: request?.name ?? "",
      resultTopic: result?.name ?? "",
      deadLetterTopic: deadLetter?.name ?? "",
      requestTopicPartitions: request?.partitions ?? plan.kafka.partitions,
    },
    trafficPolicy: {
      maxConcurrentRequestsPerReplica: plan.admission.maxConcurrentRequestsPerReplica,
      maxPendingRequestsPerReplica: plan.admission.maxPendingRequestsPerReplica,
      replicas: inf.replicas.max,
      requestTimeoutSeconds: plan.admission.requestTimeoutSeconds,
      longestRequestSeconds: longest,
    },
    admission: {
      maxRequestsPerSecond: plan.admission.maxRequestsPerSecond,
      burstRequests: plan.admission.burstRequests,
      retryAfterSeconds: plan.admission.retryAfterSeconds,
    },
  };
}

/**
 * GiB of host memory per replica for offloaded KV blocks: the share {@link KV_CPU_OFFLOAD_SHARE}
 * of the memory limit left after `/dev/shm` (InferenceService's default, 1/4 of memory, at most
 * 16 GiB) and {@link VLLM_HOST_MEMORY_PER_GPU_GIB} per GPU.
 */
export function kvCpuOffloadGiB(host: { readonly memoryGiB: number } | undefined, gpusPerReplica: number): number {
  if (!host) return 0;
  const shm = Math.min(16, host.memoryGiB / 4);
  const room = host.memoryGiB - shm - VLLM_HOST_MEMORY_PER_GPU_GIB * gpusPerReplica;
  return Math.max(0, Math.floor(room * KV_CPU_OFFLOAD_SHARE));
}

/** CPU and memory one replica may request on the plan's GPU instance type. */
export function hostResources(plan: CapacityPlan): { cpuCores: number; memoryGiB: number } | undefined {
  const inf = plan.inference;
  const fromInput = (plan.input.gpu?.instanceTypes ?? []).find((t): t is GpuInstanceSpec => typeof t !== "string" && t.instanceType === inf.instanceType);
  const spec = fromInput ?? findGpuInstance(inf.instanceType);
  if (!spec) return undefined;
  return {
    cpuCores: Math.max(1, Math.floor((spec.vcpus * NODE_ALLOCATABLE_SHARE) / inf.replicasPerNode) - SIDECAR_RESERVE.cpuCores),
    memoryGiB: Math.max(4, Math.floor((spec.memoryGiB * NODE_ALLOCATABLE_SHARE) / inf.replicasPerNode) - SIDECAR_RESERVE.memoryGiB),
  };
}

/** Numbers of the foundation stack that come from the plan. */
export interface FoundationSizing {
  /** For `GpuNodeGroup` (totals across AZs). */
  readonly gpuNodes: { readonly instanceType: string; readonly minSize: number; readonly desiredSize: number; readonly maxSize: number };
  /** For `SystemNodeGroup`. */
  readonly systemNodes: { readonly instanceType: string; readonly minSize: number; readonly desiredSize: number; readonly maxSize: number };
  /** For `RedisCluster`. */
  readonly redis: { readonly nodeType: string; readonly shards: number; readonly replicasPerShard: number; readonly memoryGiB: number };
  /** For `KafkaCluster`. */
  readonly kafka: {
    readonly brokers: number;
    readonly brokerInstanceType: string;
    readonly storagePerBrokerGiB: number;
    readonly topics: readonly KafkaTopicPlan[];
    /** Set only when the per-broker replicated ingress exceeds the 250 MiB/s gp3 baseline. */
    readonly provisionedThroughputMiBps?: number;
  };
  /** For `Database`. */
  readonly database: {
    readonly instanceClass: string;
    readonly readReplicas: number;
    readonly allocatedStorageGiB: number;
    readonly proxy: { readonly maxConnectionsPercent: number; readonly maxIdleConnectionsPercent: number };
  };
}

/** MSK's default EBS throughput per broker (capacity-data.md, "Data services"). */
export const MSK_BASELINE_THROUGHPUT_MIBPS = 250;

/** Maps the plan to the foundation stack's construct props. */
export function foundationPropsFromPlan(plan: CapacityPlan): FoundationSizing {
  const { inference, system, redis, kafka, database } = plan;
  const perBrokerMiBps = (kafka.ingressMiBPerSecond * kafka.replicationFactor) / kafka.brokers;
  return {
    gpuNodes: { instanceType: inference.instanceType, minSize: inference.nodes.min, desiredSize: inference.nodes.desired, maxSize: inference.nodes.max },
    systemNodes: { instanceType: system.instanceType, minSize: system.nodes.min, desiredSize: system.nodes.desired, maxSize: system.nodes.max },
    redis: { nodeType: redis.nodeType, shards: redis.shards, replicasPerShard: redis.replicasPerShard, memoryGiB: redis.memoryGiB },
    kafka: {
      brokers: kafka.brokers,
      brokerInstanceType: kafka.brokerInstanceType,
      storagePerBrokerGiB: kafka.storagePerBrokerGiB,
      topics: kafka.topics,
      ...(perBrokerMiBps > MSK_BASELINE_THROUGHPUT_MIBPS ? { provisionedThroughputMiBps: Math.ceil(perBrokerMiBps) } : {}),
    },
    database: {
      instanceClass: database.instanceClass,
      readReplicas: database.readReplicas,
      allocatedStorageGiB: database.allocatedStorageGiB,
      proxy: { maxConnectionsPercent: database.proxyMaxConnectionsPercent, maxIdleConnectionsPercent: database.proxyMaxIdleConnectionsPercent },
    },
  };
}

/**
 * Ingress gateway replicas: one per AZ, at least two, and fixed (HPA min = max). The
 * gateway's local rate limit is enforced per Envoy, so each replica gets
 * `admission.maxRequestsPerSecond / replicas`; a gateway count that autoscaled would
 * multiply the admitted rate past what the plan's replicas can serve.
 */
export function ingressGatewayReplicas(azCount: number): number {
  return Math.max(2, azCount);
}

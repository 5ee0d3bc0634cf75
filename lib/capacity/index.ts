/**
 * Headroom capacity model: pure TypeScript, no cdktf import.
 *
 * @example
 * import { planCapacity, formatPlanReport, PROD_WORKLOAD } from "./lib/capacity";
 * console.log(formatPlanReport(planCapacity(PROD_WORKLOAD)));
 */
export * from "./types";
export { planCapacity, type PlanOptions } from "./plan";
export { CapacityError, CAPACITY_CODES } from "./errors";
export { erlangC, classicInstanceCount, queueWait, allenCunneenFactor, lognormalScv, type ClassicInstanceInput, type QueueWait } from "./queueing";
export { formatPlanReport, type PlanReportOptions } from "./report";
export {
  GPU_INSTANCE_CATALOG,
  findGpuInstance,
  KAFKA_BROKER_CATALOG,
  REDIS_NODE_CATALOG,
  DATABASE_CLASS_CATALOG,
  SYSTEM_NODE_CATALOG,
  type KafkaBrokerSpec,
  type RedisNodeSpec,
  type DatabaseClassSpec,
  type SystemNodeSpec,
} from "./catalog";
export {
  DEFAULT_SAFETY_FACTOR,
  DEFAULT_AVAILABILITY_ZONES,
  DEFAULT_GPU_PROVISIONING_SECONDS,
  DEFAULT_REGION,
  DEFAULT_BASELINE_FRACTION,
  DEFAULT_MAX_QUEUE_DELAY_SECONDS,
  DEFAULT_PAYLOAD_BYTES,
  DEFAULT_READ_QUERIES_PER_REQUEST,
  DEFAULT_WRITE_QUERIES_PER_REQUEST,
  DEFAULT_TOKEN_P99_FACTOR,
  DEFAULT_GPU_MEMORY_UTILIZATION,
  DEFAULT_CPU_TARGET_PERCENT,
  MLPERF_V41_H100_LLAMA2_70B,
  EKS_MAX_NODES_PER_NODE_GROUP,
  MSK_MAX_BROKERS_KRAFT,
  RDS_MAX_READ_REPLICAS,
} from "./constants";
export { DEFAULT_EFFICIENCY, DEFAULT_EFFICIENCY_FIT, PUBLISHED_POINTS, fitEfficiencies, formatValidationTable, validationTable, type EfficiencyFit, type PublishedPoint, type ValidationRow } from "./calibration";
export { kvBytesPerToken, weightBytes, replicaMemoryBytes, iterationModel, iterationSeconds, type Efficiency, type IterationModel } from "./llm";
export { DEV_WORKLOAD, LLAMA_31_70B_FP8, LLAMA_31_8B, PROD_WORKLOAD, STAGING_WORKLOAD, type WorkloadPreset } from "./presets";
export { runPlanCli, type PlanCliIo, type EnvironmentSource } from "./cli";
export { warmupBreakdown, DEFAULT_NODE_LAUNCH_SECONDS, DEFAULT_IMAGE_PULL_SECONDS, DEFAULT_ENGINE_START_SECONDS, GPU_ROOT_VOLUME_MIBPS, MODEL_VOLUME_MIBPS, MAX_VOLUME_INITIALIZATION_MIBPS, type WeightsPath, type WarmupOptions } from "./warmup";
export { compatibleInstances, type CompatibleInstance } from "./compatible-instances";

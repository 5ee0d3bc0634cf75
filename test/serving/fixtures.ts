import type { CapacityPlan } from "../../lib/capacity/types";

/**
 * A hand-built capacity plan: Llama-3.1-70B at BF16 on p5.48xlarge (8 x H100), tensor
 * parallel 4, so 2 replicas per node. The numbers are internally consistent (replicas
 * fit the node group, the route timeout exceeds the p99 end-to-end latency) but were set
 * by hand, not by `planCapacity`.
 */
export const FIXTURE_PLAN: CapacityPlan = {
  input: {
    workload: {
      peakRequestsPerSecond: 40,
      promptTokens: { mean: 1000, p99: 4000 },
      outputTokens: { mean: 300, p99: 1200 },
      slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.1, availability: 0.999 },
      asyncShare: 0.3,
    },
    model: {
      name: "meta-llama/Llama-3.1-70B-Instruct",
      parametersBillions: 70,
      layers: 80,
      kvHeads: 8,
      headDim: 128,
      precision: "bf16",
      maxContextTokens: 8192,
    },
    safetyFactor: 1.5,
    availabilityZones: 3,
    gpuProvisioningSeconds: 600,
    region: "us-east-1",
  },
  inference: {
    instanceType: "p5.48xlarge",
    gpuModel: "H100",
    family: "p5",
    gpusPerReplica: 4,
    gpusPerNode: 8,
    replicasPerNode: 2,
    replicas: { min: 3, desired: 6, max: 10 },
    nodes: { min: 2, desired: 3, max: 5 },
    perReplica: {
      maxConcurrentSequences: 64,
      outputTokensPerSecond: 2400,
      requestsPerSecond: 8,
      prefillTokensPerSecond: 40000,
      meanServiceSeconds: 8,
    },
    predicted: { utilization: 0.7, ttftP99Seconds: 1.2, tpotP99Seconds: 0.05, queueWaitP99Seconds: 0.8, e2eP99Seconds: 62 },
    memory: { weightsGiB: 131, kvCacheGiB: 120, perGpuGiB: 70, kvCachePerTokenKiB: 320 },
    gpuMemoryUtilization: 0.9,
    maxModelLenTokens: 8192,
  },
  autoscaling: {
    minReplicas: 3,
    maxReplicas: 10,
    targetQueueDepthPerReplica: 8,
    targetKvCacheUtilization: 0.8,
    targetCpuUtilizationPercent: 70,
    scaleUp: { stabilizationWindowSeconds: 0, periodSeconds: 15, maxPodsPerPeriod: 4, maxPercentPerPeriod: 100 },
    scaleDown: { stabilizationWindowSeconds: 600, periodSeconds: 60, maxPodsPerPeriod: 1 },
    workers: { minReplicas: 2, maxReplicas: 24, lagThreshold: 50, concurrencyPerWorker: 8, pollingIntervalSeconds: 15, cooldownSeconds: 300 },
  },
  admission: {
    maxRequestsPerSecond: 48,
    burstRequests: 96,
    maxConcurrentRequestsPerReplica: 80,
    maxPendingRequestsPerReplica: 16,
    requestTimeoutSeconds: 90,
    retryAfterSeconds: 5,
  },
  kafka: {
    brokers: 3,
    brokerInstanceType: "kafka.m7g.large",
    partitions: 24,
    replicationFactor: 3,
    retentionHours: 24,
    spikeBufferGiB: 2,
    storagePerBrokerGiB: 100,
    ingressMiBPerSecond: 1,
    consumerLagThreshold: 50,
    topics: [
      { name: "inference-requests", partitions: 24, replicationFactor: 3, retentionHours: 24 },
      { name: "inference-results", partitions: 24, replicationFactor: 3, retentionHours: 24 },
      { name: "inference-dead-letters", partitions: 3, replicationFactor: 3, retentionHours: 168 },
    ],
  },
  redis: { nodeType: "cache.r7g.large", shards: 1, replicasPerShard: 2, memoryGiB: 4, usableMemoryPerNodeGiB: 9.8 },
  database: {
    instanceClass: "db.r7g.xlarge",
    readReplicas: 1,
    maxConnections: 3400,
    proxyMaxConnectionsPercent: 70,
    proxyMaxIdleConnectionsPercent: 35,
    peakClientConnections: 400,
    allocatedStorageGiB: 100,
  },
  system: {
    instanceType: "m7i.xlarge",
    nodes: { min: 3, desired: 3, max: 6 },
    prometheusRetentionDays: 15,
    prometheusVolumeGiB: 100,
    prometheusActiveSeries: 300000,
  },
  cost: {
    monthlyUsd: 150000,
    byComponent: { gpuNodes: 140000, systemNodes: 2000, eksControlPlane: 73, kafka: 1500, redis: 600, database: 1800, network: 4000 },
  },
  classic: { instances: 6, peakRequestsPerSecond: 40, meanResponseSeconds: 8, perInstanceConcurrency: 64, safetyFactor: 1.5 },
  explanations: [],
};

/** A deep copy of {@link FIXTURE_PLAN} with edits applied by `edit` (the fixture itself stays untouched). */
export function editedPlan(edit: (plan: any) => void): CapacityPlan {
  const copy = JSON.parse(JSON.stringify(FIXTURE_PLAN)) as CapacityPlan;
  edit(copy);
  return copy;
}

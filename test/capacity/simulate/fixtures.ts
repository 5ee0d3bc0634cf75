/**
 * Hand-written CapacityPlan fixtures: a plan filled from a few numbers, so the
 * simulator can be tested independently of the capacity model.
 */
import type { CapacityInput, CapacityPlan, SpikeInput } from "../../../lib/capacity/types";

/** The numbers a fixture plan is built from. */
export interface PlanNumbers {
  readonly peakRequestsPerSecond?: number;
  readonly baselineRequestsPerSecond?: number;
  readonly minReplicas?: number;
  readonly desiredReplicas?: number;
  readonly maxReplicas?: number;
  readonly slots?: number;
  readonly outputTokensPerSecond?: number;
  readonly prefillTokensPerSecond?: number;
  readonly promptTokens?: number;
  readonly outputTokens?: number;
  /** workload.prefixCache.promptTokenHitShare. @default 0 */
  readonly prefixHitShare?: number;
  /** workload.prefixCache.routing. @default "prefix-affinity" */
  readonly routing?: "prefix-affinity" | "least-load";
  readonly asyncShare?: number;
  readonly maxQueueDelaySeconds?: number;
  readonly gpuProvisioningSeconds?: number;
  readonly ttftP99Seconds?: number;
  readonly spike?: SpikeInput;
  readonly replicasPerNode?: number;
  readonly admissionRps?: number;
  readonly workersMax?: number;
  readonly availabilityZones?: number;
}

/** A plan for Llama-3.1-70B-like serving (TP 2 on H100) filled from `n`. */
export function makePlan(n: PlanNumbers = {}): CapacityPlan {
  const peak = n.peakRequestsPerSecond ?? 50;
  const slots = n.slots ?? 64;
  const outTps = n.outputTokensPerSecond ?? 2400;
  const prefill = n.prefillTokensPerSecond ?? 20_000;
  const prompt = n.promptTokens ?? 1000;
  const output = n.outputTokens ?? 250;
  const meanService = prompt / prefill + output * (slots / outTps);
  const perReplicaRps = (slots * 0.7) / meanService;
  const min = n.minReplicas ?? 6;
  const max = n.maxReplicas ?? 12;
  const rpn = n.replicasPerNode ?? 4;
  const zones = n.availabilityZones ?? 3;
  const input: CapacityInput = {
    workload: {
      peakRequestsPerSecond: peak,
      baselineRequestsPerSecond: n.baselineRequestsPerSecond ?? peak * 0.3,
      promptTokens: { mean: prompt, p99: prompt * 3 },
      outputTokens: { mean: output, p99: output * 3 },
      slo: { ttftP99Seconds: n.ttftP99Seconds ?? 2, tpotP99Seconds: 0.1, availability: 0.999 },
      spike: n.spike ?? { multiplier: 3, rampSeconds: 120, durationSeconds: 600 },
      asyncShare: n.asyncShare ?? 0.1,
      maxQueueDelaySeconds: n.maxQueueDelaySeconds ?? 300,
      ...(n.prefixHitShare ? { prefixCache: { promptTokenHitShare: n.prefixHitShare, routing: n.routing ?? "prefix-affinity" } } : {}),
      payloadBytes: 8192,
      readQueriesPerRequest: 2,
      writeQueriesPerRequest: 1,
    },
    model: { name: "meta-llama/Llama-3.1-70B-Instruct", parametersBillions: 70, layers: 80, kvHeads: 8, headDim: 128, precision: "fp8", maxContextTokens: 8192 },
    safetyFactor: 1.5,
    availabilityZones: zones,
    gpuProvisioningSeconds: n.gpuProvisioningSeconds ?? 480,
    region: "us-east-1",
  };
  const desired = n.desiredReplicas ?? Math.max(min, Math.ceil((peak * 0.8 * 0.9) / perReplicaRps));
  const workersMax = n.workersMax ?? 12;
  return {
    input,
    inference: {
      instanceType: "p5.48xlarge",
      gpuModel: "H100",
      family: "p5",
      gpusPerReplica: 2,
      gpusPerNode: 8,
      replicasPerNode: rpn,
      replicas: { min, desired, max },
      nodes: { min: Math.ceil(min / rpn), desired: Math.ceil(desired / rpn), max: Math.ceil(max / rpn) + zones },
      perReplica: { maxConcurrentSequences: slots, outputTokensPerSecond: outTps, requestsPerSecond: perReplicaRps, prefillTokensPerSecond: prefill, meanServiceSeconds: meanService },
      predicted: { utilization: 0.7, ttftP99Seconds: 0.8, tpotP99Seconds: 0.04, queueWaitP99Seconds: 0.5, e2eP99Seconds: 30 },
      memory: { weightsGiB: 65, kvCacheGiB: 40, perGpuGiB: 60, kvCachePerTokenKiB: 320 },
      gpuMemoryUtilization: 0.9,
      maxModelLenTokens: 8192,
    },
    autoscaling: {
      minReplicas: min,
      maxReplicas: max,
      targetQueueDepthPerReplica: 4,
      targetKvCacheUtilization: 0.7,
      targetCpuUtilizationPercent: 70,
      scaleUp: { stabilizationWindowSeconds: 0, periodSeconds: 15, maxPodsPerPeriod: 4, maxPercentPerPeriod: 100 },
      scaleDown: { stabilizationWindowSeconds: 300, periodSeconds: 60, maxPodsPerPeriod: 1 },
      workers: { minReplicas: 1, maxReplicas: workersMax, lagThreshold: 100, concurrencyPerWorker: 16, pollingIntervalSeconds: 15, cooldownSeconds: 300 },
    },
    admission: {
      maxRequestsPerSecond: n.admissionRps ?? peak * 4,
      burstRequests: Math.ceil(peak),
      maxConcurrentRequestsPerReplica: slots + 32,
      maxPendingRequestsPerReplica: 32,
      requestTimeoutSeconds: 120,
      retryAfterSeconds: 5,
    },
    kafka: {
      brokers: 3,
      brokerInstanceType: "kafka.m7g.large",
      partitions: 12,
      replicationFactor: 3,
      retentionHours: 24,
      spikeBufferGiB: 1,
      storagePerBrokerGiB: 100,
      ingressMiBPerSecond: 1,
      consumerLagThreshold: 100,
      topics: [{ name: "requests", partitions: 12, replicationFactor: 3, retentionHours: 24 }],
    },
    redis: { nodeType: "cache.r7g.large", shards: 1, replicasPerShard: 1, memoryGiB: 5, usableMemoryPerNodeGiB: 9.5 },
    database: { instanceClass: "db.r7g.xlarge", readReplicas: 1, maxConnections: 3400, proxyMaxConnectionsPercent: 70, proxyMaxIdleConnectionsPercent: 35, peakClientConnections: 200, allocatedStorageGiB: 100 },
    system: { instanceType: "m7i.xlarge", nodes: { min: 3, desired: 3, max: 6 }, prometheusRetentionDays: 15, prometheusVolumeGiB: 100, prometheusActiveSeries: 100_000 },
    cost: { monthlyUsd: 0, byComponent: { gpuNodes: 0, systemNodes: 0, eksControlPlane: 0, kafka: 0, redis: 0, database: 0, network: 0 } },
    classic: { instances: 1, peakRequestsPerSecond: peak, meanResponseSeconds: meanService, perInstanceConcurrency: slots, safetyFactor: 1.5 },
    explanations: [],
  };
}

/** A plan for checking the engine against M/M/c: `replicas` x `slots` exponential servers of mean `serviceSeconds`, no cache, no async, no admission limits. */
export function queueingPlan(replicas: number, slots: number, serviceSeconds: number, peak: number): CapacityPlan {
  const base = makePlan({ peakRequestsPerSecond: peak, minReplicas: replicas, maxReplicas: replicas, slots, asyncShare: 0, admissionRps: 1e6 });
  return {
    ...base,
    inference: {
      ...base.inference,
      replicas: { min: replicas, desired: replicas, max: replicas },
      nodes: { min: replicas, desired: replicas, max: replicas * 2 },
      replicasPerNode: 1,
      perReplica: { ...base.inference.perReplica, maxConcurrentSequences: slots, meanServiceSeconds: serviceSeconds },
    },
    admission: { ...base.admission, maxRequestsPerSecond: 1e6, burstRequests: 1e6, maxConcurrentRequestsPerReplica: 1e6, maxPendingRequestsPerReplica: 1e6, requestTimeoutSeconds: 1e6 },
  };
}

/** A profile at a constant rate. */
export function constantProfile(requestsPerSecond: number, durationSeconds: number): import("../../../lib/capacity/simulate/profiles").TrafficProfile {
  return { name: "constant", description: `${requestsPerSecond} req/s`, startClockSeconds: 0, durationSeconds, rate: [{ atSeconds: 0, requestsPerSecond }] };
}

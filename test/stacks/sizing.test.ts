import { foundationPropsFromPlan, hostResources, servingPropsFromPlan } from "../../stacks/sizing";
import { editedPlan, FIXTURE_PLAN } from "../serving/fixtures";

describe("servingPropsFromPlan", () => {
  const s = servingPropsFromPlan(FIXTURE_PLAN);

  test("maps every plan field to its prop", () => {
    expect(s.inference).toMatchObject({
      replicas: 6,
      gpusPerReplica: 4,
      maxConcurrentSequences: 64,
      gpuMemoryUtilization: 0.9,
      maxModelLenTokens: 8192,
      placement: { family: "p5", instanceType: "p5.48xlarge", maxNodes: 5, replicasPerNode: 2 },
      longestRequestSeconds: 62,
      modelLoadSeconds: 600,
      modelVolumeGiB: Math.ceil(131 * 1.2),
    });
    expect(s.autoscaler).toEqual({
      minReplicas: 3,
      maxReplicas: 10,
      targetQueueDepthPerReplica: 8,
      targetKvCacheUtilization: 0.8,
      targetCpuUtilizationPercent: 70,
      scaleUp: FIXTURE_PLAN.autoscaling.scaleUp,
      scaleDown: FIXTURE_PLAN.autoscaling.scaleDown,
    });
    expect(s.worker).toMatchObject({ minReplicas: 2, maxReplicas: 24, lagThreshold: 50, concurrencyPerWorker: 8, requestTimeoutSeconds: 90, requestTopicPartitions: 24 });
    expect(s.trafficPolicy).toEqual({ maxConcurrentRequestsPerReplica: 80, maxPendingRequestsPerReplica: 16, replicas: 10, requestTimeoutSeconds: 90, longestRequestSeconds: 62 });
    expect(s.admission).toEqual({ maxRequestsPerSecond: 48, burstRequests: 96, retryAfterSeconds: 5 });
    expect(s.topics).toBe(FIXTURE_PLAN.kafka.topics);
  });

  test("finds request, result and dead-letter topics by name, in any order", () => {
    expect([s.worker.requestTopic, s.worker.resultTopic, s.worker.deadLetterTopic]).toEqual(["inference-requests", "inference-results", "inference-dead-letters"]);
    const dotted = servingPropsFromPlan(
      editedPlan((p) => {
        p.kafka.topics = [
          { name: "inference.requests.dlq", partitions: 3, replicationFactor: 3, retentionHours: 168 },
          { name: "inference.results", partitions: 12, replicationFactor: 3, retentionHours: 24 },
          { name: "inference.requests", partitions: 12, replicationFactor: 3, retentionHours: 24 },
        ];
      }),
    );
    expect([dotted.worker.requestTopic, dotted.worker.resultTopic, dotted.worker.deadLetterTopic]).toEqual(["inference.requests", "inference.results", "inference.requests.dlq"]);
    expect(dotted.worker.requestTopicPartitions).toBe(12);
  });

  test("host resources split the node's allocatable share over its replicas", () => {
    // p5.48xlarge: 192 vCPU, 2048 GiB, 2 replicas per node
    expect(hostResources(FIXTURE_PLAN)).toEqual({ cpuCores: Math.floor((192 * 0.85) / 2) - 1, memoryGiB: Math.floor((2048 * 0.85) / 2) - 2 });
    const onePerNode = editedPlan((p) => {
      p.inference.replicasPerNode = 1;
    });
    expect(hostResources(onePerNode)!.cpuCores).toBe(Math.floor(192 * 0.85) - 1);
    const unknown = editedPlan((p) => {
      p.inference.instanceType = "x9.metal";
    });
    expect(hostResources(unknown)).toBeUndefined();
    const custom = editedPlan((p) => {
      p.inference.instanceType = "x9.metal";
      p.input.gpu = { instanceTypes: [{ ...{ instanceType: "x9.metal", gpuModel: "X", family: "x9", gpuCount: 4, gpuMemoryMiB: 1, memoryBandwidthGBps: 1, bf16Tflops: 1 }, vcpus: 64, memoryGiB: 512, networkGbps: 100, onDemandUsdPerHour: 1 }] };
    });
    expect(hostResources(custom)).toEqual({ cpuCores: Math.floor((64 * 0.85) / 2) - 1, memoryGiB: Math.floor((512 * 0.85) / 2) - 2 });
  });
});

describe("foundationPropsFromPlan", () => {
  test("node groups, Redis, Kafka and the database follow the plan", () => {
    const plan = editedPlan((p) => {
      p.inference.nodes = { min: 3, desired: 5, max: 11 };
      p.redis.shards = 4;
      p.kafka.brokers = 6;
      p.database.readReplicas = 7;
    });
    const f = foundationPropsFromPlan(plan);
    expect(f.gpuNodes).toEqual({ instanceType: plan.inference.instanceType, minSize: 3, desiredSize: 5, maxSize: 11 });
    expect(f.redis.shards).toBe(4);
    expect(f.kafka.brokers).toBe(6);
    expect(f.database.readReplicas).toBe(7);
    expect(f.database.proxy.maxConnectionsPercent).toBe(plan.database.proxyMaxConnectionsPercent);
  });

  test("provisions broker throughput only above the 250 MiB/s EBS baseline", () => {
    const low = editedPlan((p) => {
      p.kafka.ingressMiBPerSecond = 10;
    });
    expect(foundationPropsFromPlan(low).kafka.provisionedThroughputMiBps).toBeUndefined();
    const high = editedPlan((p) => {
      p.kafka.ingressMiBPerSecond = 400;
      p.kafka.replicationFactor = 3;
      p.kafka.brokers = 3;
    });
    expect(foundationPropsFromPlan(high).kafka.provisionedThroughputMiBps).toBe(400);
  });
});

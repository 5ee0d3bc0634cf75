/**
 * Kafka (MSK), Redis (ElastiCache), RDS PostgreSQL, the system node group and the monthly cost.
 */
import { Problems } from "../../core/validation";
import { DATABASE_CLASS_CATALOG, KAFKA_BROKER_CATALOG, REDIS_NODE_CATALOG, SYSTEM_NODE_CATALOG, type DatabaseClassSpec, type SystemNodeSpec, type KafkaBrokerSpec, type RedisNodeSpec } from "../catalog";
import {
  DATA_TRANSFER_OUT_USD_PER_GB,
  DB_BYTES_PER_WRITE,
  DB_QUERY_SECONDS,
  DB_READS_PER_VCPU,
  DB_RETENTION_DAYS,
  DB_WRITES_PER_VCPU,
  EBS_GP3_USD_PER_GB_MONTH,
  EKS_CONTROL_PLANE_USD_PER_HOUR,
  GIB,
  HOURS_PER_MONTH,
  KAFKA_DLQ_RETENTION_HOURS,
  KAFKA_MIN_RETENTION_HOURS,
  KAFKA_STORAGE_HEADROOM,
  MIB,
  MSK_EBS_THROUGHPUT_MIB_PER_SECOND,
  MSK_MAX_BROKERS_KRAFT,
  MSK_STORAGE_USD_PER_GB_MONTH,
  MSK_TARGET_UTILIZATION,
  NAT_GATEWAY_USD_PER_GB,
  NAT_GATEWAY_USD_PER_HOUR,
  PROMETHEUS_BYTES_PER_SAMPLE,
  PROMETHEUS_BYTES_PER_SERIES,
  PROMETHEUS_RETENTION_DAYS,
  PROMETHEUS_SCRAPE_INTERVAL_SECONDS,
  RDS_GP3_USD_PER_GB_MONTH,
  RDS_MAX_CONNECTIONS_CAP,
  RDS_MAX_CONNECTIONS_DIVISOR_BYTES,
  RDS_MAX_READ_REPLICAS,
  RDS_MIN_STORAGE_GIB,
  RDS_PROXY_MAX_CONNECTIONS_PERCENT,
  RDS_PROXY_MAX_IDLE_CONNECTIONS_PERCENT,
  RDS_PROXY_USD_PER_VCPU_HOUR,
  ASYNC_RESULT_TTL_SECONDS,
  REDIS_OPS_PER_ASYNC_REQUEST,
  REDIS_TARGET_BANDWIDTH_FILL,
  REDIS_OPS_PER_SHARD,
  REDIS_OVERHEAD_FACTOR,
  REDIS_RESERVED_MEMORY_PERCENT,
  REDIS_TARGET_FILL,
  SECONDS_PER_MONTH,
  SERIES,
} from "../constants";
import { CAPACITY_CODES, CapacityError } from "../errors";
import type { CapacityInput, CostPlan, DatabasePlan, KafkaPlan, KafkaTopicPlan, RedisPlan, SystemPlan } from "../types";
import { round, type Explainer } from "./explain";

const SRC = "capacity-data.md";
/** Most shards we plan before moving to a larger node type (ElastiCache allows up to 500 nodes per cluster). */
const REDIS_MAX_SHARDS = 90;

/** What the data tier needs from the GPU plan and the traffic. */
export interface DataTierContext {
  readonly input: CapacityInput;
  readonly zones: number;
  readonly apiPeak: number;
  readonly apiBaseline: number;
  readonly apiSpike: number;
  readonly gpuPeak: number;
  readonly gpuSpike: number;
  readonly asyncShare: number;
  /** Bytes of KV the remote Valkey tier holds (KvCachePlan.remoteTierGiB before overhead). */
  readonly kvRemoteTierBytes: number;
  /** Traffic of the remote KV tier at the spike and the node bandwidth a fetch needs; undefined without one. */
  readonly kvRemoteTier: { readonly bandwidthGbps: number; readonly opsPerSecond: number; readonly minNodeBaselineGbps: number } | undefined;
  readonly maxQueueDelay: number;
  readonly provisioning: number;
  readonly safetyFactor: number;
  readonly payloadBytes: number;
  readonly readQueries: number;
  readonly writeQueries: number;
  readonly serviceSeconds: number;
  readonly e2eMeanSeconds: number;
  readonly workerConcurrency: number;
  readonly workersMax: number;
  readonly workersMin: number;
  readonly inflightPerReplica: number;
  readonly replicas: { readonly min: number; readonly desired: number; readonly max: number };
  readonly gpuNodes: { readonly min: number; readonly desired: number; readonly max: number };
  /** Expected GPU node-hours per day (the HPA following the daily curve). */
  readonly gpuNodeHoursPerDay: number;
  readonly gpuPerNode: number;
  readonly gpuUsdPerHour: number;
  readonly availability: number;
}

/** The data-tier part of the plan. */
export interface DataTierPlan {
  readonly kafka: KafkaPlan;
  readonly redis: RedisPlan;
  readonly database: DatabasePlan;
  readonly system: SystemPlan;
  readonly cost: CostPlan;
}

const roundUpTo = (value: number, multiple: number): number => Math.ceil(value / multiple) * multiple;

/** Plans Kafka, Redis, RDS, system nodes and cost; throws {@link CapacityError} on a service limit. */
export function planDataTier(x: Explainer, t: DataTierContext): DataTierPlan {
  const problems = new Problems("capacity plan");
  const kafka = planKafka(x, t, problems);
  const redis = planRedis(x, t, problems);
  const database = planDatabase(x, t, problems);
  if (!problems.ok) throw new CapacityError("capacity plan", problems.list);
  const system = planSystem(x, t, kafka);
  const cost = planCost(x, t, { kafka, redis, database, system });
  return { kafka, redis, database, system, cost };
}

function planKafka(x: Explainer, t: DataTierContext, problems: Problems): KafkaPlan {
  // MSK places brokers in 2 or 3 AZs; RF = min(3, broker AZs) so every replica of a partition sits in its own AZ.
  const kafkaAzs = Math.min(3, Math.max(2, t.zones));
  const rf = Math.min(3, kafkaAzs);
  const ingressPeak = (t.apiPeak * t.asyncShare * t.payloadBytes) / MIB;
  const ingress = (t.apiSpike * t.asyncShare * t.payloadBytes) / MIB;
  const perBrokerIngress = (MSK_EBS_THROUGHPUT_MIB_PER_SECOND / rf) * MSK_TARGET_UTILIZATION;
  const brokersForThroughput = Math.ceil(ingress / perBrokerIngress);
  const partitionsNeeded = Math.max(t.workersMax, 1);
  const options: { spec: KafkaBrokerSpec; brokers: number; partitions: number }[] = [];
  for (const spec of KAFKA_BROKER_CATALOG) {
    if (spec.burstable && t.availability >= 0.999) continue;
    let brokers = roundUpTo(Math.max(rf, kafkaAzs, brokersForThroughput), kafkaAzs);
    let partitions = roundUpTo(Math.max(partitionsNeeded, brokers), brokers);
    // requests + results topics carry `partitions` each, the dead-letter topic `brokers`; all x RF.
    while ((2 * partitions + brokers) * rf > brokers * spec.maxPartitionsPerBroker && brokers <= MSK_MAX_BROKERS_KRAFT) {
      brokers += kafkaAzs;
      partitions = roundUpTo(Math.max(partitionsNeeded, brokers), brokers);
    }
    if (brokers <= MSK_MAX_BROKERS_KRAFT) options.push({ spec, brokers, partitions });
  }
  options.sort((a, b) => a.brokers * a.spec.usdPerHour - b.brokers * b.spec.usdPerHour);
  const chosen = options[0];
  if (!chosen) {
    const brokers = roundUpTo(Math.max(rf, brokersForThroughput), kafkaAzs);
    problems.add(CAPACITY_CODES.kafkaBrokerLimit, "kafka.brokers", brokers, `at most ${MSK_MAX_BROKERS_KRAFT} brokers per MSK cluster (KRaft; 30 with ZooKeeper). Fix: provision EBS throughput, lower payloadBytes or asyncShare, or split topics across clusters`);
    return emptyKafka();
  }
  const retentionHours = Math.max(KAFKA_MIN_RETENTION_HOURS, Math.ceil((t.maxQueueDelay * t.safetyFactor) / 3600));
  const spikeSeconds = (t.input.workload.spike?.multiplier ?? 1) > 1 ? (t.input.workload.spike?.rampSeconds ?? 0) + (t.input.workload.spike?.durationSeconds ?? 0) : 0;
  const spikeBufferGiB = round(((t.apiSpike * t.asyncShare * t.payloadBytes) * Math.min(t.provisioning, spikeSeconds)) / GIB, 3);
  const storage = Math.max(1, Math.ceil(((ingressPeak * MIB * retentionHours * 3600 * rf) / chosen.brokers) * KAFKA_STORAGE_HEADROOM / GIB + spikeBufferGiB * rf / chosen.brokers));
  const lagThreshold = Math.max(1, Math.floor((t.workerConcurrency / t.serviceSeconds) * t.maxQueueDelay));
  const topics: KafkaTopicPlan[] = [
    { name: "inference.requests", partitions: chosen.partitions, replicationFactor: rf, retentionHours },
    { name: "inference.results", partitions: chosen.partitions, replicationFactor: rf, retentionHours },
    { name: "inference.requests.dlq", partitions: chosen.brokers, replicationFactor: rf, retentionHours: KAFKA_DLQ_RETENTION_HOURS },
  ];
  x.num("kafka.brokers", chosen.brokers, "brokers", "roundUp(max(RF, broker AZs, ceil(ingress / per-broker budget)), broker AZs), raised until partitions x RF fit the per-broker recommendation", { ingressMiBPerSecond: ingress, perBrokerBudgetMiBPerSecond: perBrokerIngress, brokerAzs: kafkaAzs, replicationFactor: rf, limit: MSK_MAX_BROKERS_KRAFT }, `${SRC} "Data services" (MSK, KRaft limit 60)`);
  x.str("kafka.brokerInstanceType", chosen.spec.instanceType, "cheapest broker size (brokers x USD/h) whose recommended partitions per broker hold all partition replicas; burstable t3 excluded at availability >= 0.999", { usdPerHour: chosen.spec.usdPerHour, maxPartitionsPerBroker: chosen.spec.maxPartitionsPerBroker }, `${SRC} "Data services" (MSK)`);
  x.num("kafka.partitions", chosen.partitions, "partitions", "roundUp(max(workers.maxReplicas, brokers), brokers): one consumer per partition at most, balanced over brokers", { workersMax: t.workersMax, brokers: chosen.brokers });
  x.num("kafka.replicationFactor", rf, "replicas", "min(3, broker AZs): one replica per AZ (2 AZs -> RF 2, min ISR 1)", { brokerAzs: kafkaAzs });
  x.num("kafka.retentionHours", retentionHours, "h", "max(24, ceil(maxQueueDelaySeconds x safetyFactor / 3600))", { maxQueueDelaySeconds: t.maxQueueDelay, safetyFactor: t.safetyFactor });
  x.num("kafka.spikeBufferGiB", spikeBufferGiB, "GiB", "spike API rps x asyncShare x payloadBytes x min(gpuProvisioningSeconds, spike length)", { apiSpikeRps: t.apiSpike, asyncShare: t.asyncShare, payloadBytes: t.payloadBytes, gpuProvisioningSeconds: t.provisioning, spikeSeconds });
  x.num("kafka.storagePerBrokerGiB", storage, "GiB", "ceil(peak ingress x retention x RF / brokers x 1.2 + spikeBuffer x RF / brokers)", { ingressPeakMiBPerSecond: ingressPeak, retentionHours, replicationFactor: rf, brokers: chosen.brokers }, `${SRC} "Data services" (storage = ingress x retention x RF + 20%)`);
  x.num("kafka.ingressMiBPerSecond", round(ingress, 3), "MiB/s", "peak x spike multiplier x asyncShare x payloadBytes / 2^20", { apiSpikeRps: t.apiSpike, asyncShare: t.asyncShare, payloadBytes: t.payloadBytes });
  x.num("kafka.consumerLagThreshold", lagThreshold, "messages", "floor(concurrencyPerWorker / serviceSeconds x maxQueueDelaySeconds): the lag one worker drains within the allowed delay", { concurrencyPerWorker: t.workerConcurrency, serviceSeconds: t.serviceSeconds, maxQueueDelaySeconds: t.maxQueueDelay });
  x.num("autoscaling.workers.lagThreshold", lagThreshold, "messages", "= kafka.consumerLagThreshold", {});
  topics.forEach((topic, i) => {
    x.str(`kafka.topics[${i}].name`, topic.name, "fixed topic name of the async path", {});
    x.num(`kafka.topics[${i}].partitions`, topic.partitions, "partitions", i < 2 ? "= kafka.partitions" : "= brokers (low volume)", {});
    x.num(`kafka.topics[${i}].replicationFactor`, topic.replicationFactor, "replicas", "= kafka.replicationFactor", {});
    x.num(`kafka.topics[${i}].retentionHours`, topic.retentionHours, "h", i < 2 ? "= kafka.retentionHours" : "7 days to investigate poison messages", {});
  });
  return { brokers: chosen.brokers, brokerInstanceType: chosen.spec.instanceType, partitions: chosen.partitions, replicationFactor: rf, retentionHours, spikeBufferGiB, storagePerBrokerGiB: storage, ingressMiBPerSecond: round(ingress, 3), consumerLagThreshold: lagThreshold, topics };
}

function emptyKafka(): KafkaPlan {
  return { brokers: 0, brokerInstanceType: "", partitions: 0, replicationFactor: 0, retentionHours: 0, spikeBufferGiB: 0, storagePerBrokerGiB: 0, ingressMiBPerSecond: 0, consumerLagThreshold: 0, topics: [] };
}

function planRedis(x: Explainer, t: DataTierContext, problems: Problems): RedisPlan {
  // Every byte has a deployed consumer: the remote KV tier (LMCache's Redis connector in the vLLM pods, sized
  // by KV bytes per token x the tokens it keeps) and the async workers' result store (REDIS_RESULT_TTL_SECONDS).
  // The gateway's rate limit is Envoy's in-process local_ratelimit (lib/mesh/ingress-admission.ts): no bytes here.
  const kv = t.kvRemoteTier;
  const cacheBytes = t.kvRemoteTierBytes * REDIS_OVERHEAD_FACTOR;
  const averageRps = (t.apiPeak + t.apiBaseline) / 2;
  const resultBytes = averageRps * t.asyncShare * ASYNC_RESULT_TTL_SECONDS * t.payloadBytes * REDIS_OVERHEAD_FACTOR;
  const memoryGiB = (cacheBytes + resultBytes) / GIB;
  const ops = t.apiSpike * t.asyncShare * REDIS_OPS_PER_ASYNC_REQUEST + (kv?.opsPerSecond ?? 0);
  const shardsForOps = Math.ceil(ops / REDIS_OPS_PER_SHARD);
  const bandwidthGbps = kv?.bandwidthGbps ?? 0;
  const replicasPerShard = 1;
  let best: { spec: RedisNodeSpec; shards: number; usable: number } | undefined;
  for (const spec of REDIS_NODE_CATALOG) {
    // A remote KV fetch is bounded by one node's bandwidth: slower nodes would make a hit cost more than its prefill.
    if (kv && spec.baselineGbps < kv.minNodeBaselineGbps) continue;
    const usable = spec.memoryGiB * (1 - REDIS_RESERVED_MEMORY_PERCENT / 100);
    const shardsForBandwidth = Math.ceil(bandwidthGbps / (spec.baselineGbps * REDIS_TARGET_BANDWIDTH_FILL));
    const shards = Math.max(1, shardsForOps, shardsForBandwidth, Math.ceil(memoryGiB / (usable * REDIS_TARGET_FILL)));
    if (shards > REDIS_MAX_SHARDS) continue;
    const cost = shards * (1 + replicasPerShard) * spec.usdPerHour;
    if (!best || cost < best.shards * (1 + replicasPerShard) * best.spec.usdPerHour) best = { spec, shards, usable };
  }
  if (!best) {
    problems.add(CAPACITY_CODES.redisLimit, "redis.memoryGiB", round(memoryGiB, 2), `at most ${REDIS_MAX_SHARDS} shards of the largest cache.r7g node (memory, operations and remote KV tier bandwidth); lower payloadBytes or asyncShare (async results are kept ${ASYNC_RESULT_TTL_SECONDS} s), or workload.prefixCache.remoteTierSeconds`);
    return { nodeType: "", shards: 0, replicasPerShard: 0, memoryGiB: 0, usableMemoryPerNodeGiB: 0 };
  }
  x.str("redis.nodeType", best.spec.nodeType, kv ? `cheapest cache.r7g type by shards x (1 + replicas) x USD/h among those with a baseline of at least ${kv.minNodeBaselineGbps} Gbit/s (kvCache.remoteTier.minNodeBaselineGbps: a remote KV fetch must beat prefilling)` : "cheapest cache.r7g type by shards x (1 + replicas) x USD/h", { usdPerHour: best.spec.usdPerHour, nodeMemoryGiB: best.spec.memoryGiB, baselineGbps: best.spec.baselineGbps }, "ElastiCache node types; us-east-1 list price");
  x.num("redis.shards", best.shards, "shards", `max(1, ceil(ops / 100k per shard), ceil(remote KV tier Gbit/s / (node baseline x ${REDIS_TARGET_BANDWIDTH_FILL})), ceil(memoryGiB / (usable x 0.8)))`, { opsPerSecond: ops, opsPerShard: REDIS_OPS_PER_SHARD, bandwidthGbps, nodeBaselineGbps: best.spec.baselineGbps, memoryGiB, usablePerNodeGiB: best.usable, targetFill: REDIS_TARGET_FILL });
  x.num("redis.replicasPerShard", replicasPerShard, "replicas", "1 replica per shard in another AZ: automatic failover, Multi-AZ", {});
  x.num("redis.memoryGiB", round(memoryGiB, 3), "GiB", `remote KV tier (kvCache.remoteTierTokens x KV bytes/token x 1.25; consumer: LMCache's Redis connector in the vLLM pods) + async results ((peak + baseline) / 2 x asyncShare x ${ASYNC_RESULT_TTL_SECONDS} s result TTL x payloadBytes x 1.25; consumer: the async workers' result store). Nothing for rate limits: the gateway's token bucket is Envoy's in-process local_ratelimit`, { kvTierGiB: cacheBytes / GIB, resultsGiB: resultBytes / GIB, averageRps, resultTtlSeconds: ASYNC_RESULT_TTL_SECONDS });
  x.num("redis.usableMemoryPerNodeGiB", round(best.usable, 2), "GiB", "node memory x (1 - reserved-memory-percent / 100)", { nodeMemoryGiB: best.spec.memoryGiB, reservedMemoryPercent: REDIS_RESERVED_MEMORY_PERCENT }, `${SRC} "Data services" (ElastiCache)`);
  return { nodeType: best.spec.nodeType, shards: best.shards, replicasPerShard, memoryGiB: round(memoryGiB, 3), usableMemoryPerNodeGiB: round(best.usable, 2) };
}

/** RDS default `max_connections` of a class: LEAST(memory bytes / 9531392, 5000) (nominal memory; RDS reserves a little for the OS). */
export function rdsMaxConnections(memoryGiB: number): number {
  return Math.min(Math.floor((memoryGiB * GIB) / RDS_MAX_CONNECTIONS_DIVISOR_BYTES), RDS_MAX_CONNECTIONS_CAP);
}

function planDatabase(x: Explainer, t: DataTierContext, problems: Problems): DatabasePlan {
  // Served API requests (GPU + cache hits) at the spike; rejected 429s do not reach the database.
  const rps = t.apiSpike;
  const writes = rps * t.writeQueries;
  const reads = rps * t.readQueries;
  const writeConnections = Math.ceil(writes * DB_QUERY_SECONDS * 2);
  const readConnectionsTotal = Math.ceil(reads * DB_QUERY_SECONDS * 2);
  const minReplicas = t.zones >= 2 ? 1 : 0;
  let chosen: { spec: DatabaseClassSpec; replicas: number; maxConnections: number } | undefined;
  let writeFit = false;
  for (const spec of DATABASE_CLASS_CATALOG) {
    const maxConnections = rdsMaxConnections(spec.memoryGiB);
    const proxyPool = Math.floor((maxConnections * RDS_PROXY_MAX_CONNECTIONS_PERCENT) / 100);
    if (writes > spec.vcpus * DB_WRITES_PER_VCPU || writeConnections > proxyPool) continue;
    writeFit = true;
    const replicas = Math.max(minReplicas, Math.ceil(reads / (spec.vcpus * DB_READS_PER_VCPU)), Math.ceil(readConnectionsTotal / proxyPool));
    if (replicas > RDS_MAX_READ_REPLICAS) continue;
    chosen = { spec, replicas, maxConnections };
    break;
  }
  if (!chosen) {
    const largest = DATABASE_CLASS_CATALOG[DATABASE_CLASS_CATALOG.length - 1] as DatabaseClassSpec;
    if (!writeFit) problems.add(CAPACITY_CODES.databaseWriteLimit, "workload.writeQueriesPerRequest", t.writeQueries, `writes of ${round(writes, 0)}/s exceed ${largest.instanceClass} (~${largest.vcpus * DB_WRITES_PER_VCPU}/s); batch usage records, or shard the database`);
    else problems.add(CAPACITY_CODES.readReplicaLimit, "database.readReplicas", Math.ceil(reads / (largest.vcpus * DB_READS_PER_VCPU)), `at most ${RDS_MAX_READ_REPLICAS} read replicas per source (RDS limit), even on ${largest.instanceClass}; cache reads in Redis, lower readQueriesPerRequest, or use Aurora`);
    return { instanceClass: "", readReplicas: 0, maxConnections: 0, proxyMaxConnectionsPercent: 0, proxyMaxIdleConnectionsPercent: 0, peakClientConnections: 0, allocatedStorageGiB: 0 };
  }
  const clientConnections = Math.ceil(t.apiSpike * t.e2eMeanSeconds);
  const avgRps = (t.apiPeak + t.apiBaseline) / 2;
  const storage = Math.max(RDS_MIN_STORAGE_GIB, Math.ceil((avgRps * t.writeQueries * 86_400 * DB_RETENTION_DAYS * DB_BYTES_PER_WRITE * 1.5) / GIB));
  x.str("database.instanceClass", chosen.spec.instanceClass, "smallest db.r7g with writes <= vCPU x 500/s, write connections <= 70% of max_connections, and read replicas <= 15", { writesPerSecond: writes, readsPerSecond: reads, vcpus: chosen.spec.vcpus, memoryGiB: chosen.spec.memoryGiB }, "RDS PostgreSQL; per-vCPU rates are documented assumptions");
  x.num("database.readReplicas", chosen.replicas, "replicas", `max(${minReplicas} (1 with >= 2 AZs), ceil(reads / (vCPU x 2000/s)), ceil(read connections / proxy pool))`, { readsPerSecond: reads, vcpus: chosen.spec.vcpus, readConnections: readConnectionsTotal, limit: RDS_MAX_READ_REPLICAS }, `${SRC} "Data services" (15 read replicas)`);
  x.num("database.maxConnections", chosen.maxConnections, "connections", "LEAST(DBInstanceClassMemory / 9531392, 5000) with nominal class memory", { memoryGiB: chosen.spec.memoryGiB }, `${SRC} "Data services" (RDS PostgreSQL)`);
  x.num("database.proxyMaxConnectionsPercent", RDS_PROXY_MAX_CONNECTIONS_PERCENT, "%", "100 - 30% headroom for admin, replication and failover", {}, `${SRC} "Data services" (RDS Proxy)`);
  x.num("database.proxyMaxIdleConnectionsPercent", RDS_PROXY_MAX_IDLE_CONNECTIONS_PERCENT, "%", "half of MaxConnectionsPercent", {});
  x.num("database.peakClientConnections", clientConnections, "connections", "ceil(spike API rps x mean e2e seconds): in-flight requests, each holding one client session (the seed's pattern); the proxy multiplexes them onto ~ (reads + writes) x 5 ms x 2 database connections", { apiSpikeRps: t.apiSpike, e2eMeanSeconds: t.e2eMeanSeconds, databaseConnections: writeConnections + readConnectionsTotal, maxConnections: chosen.maxConnections });
  x.num("database.allocatedStorageGiB", storage, "GiB", "max(20, avg rps x writes x 86400 x 90 days x 512 B x 1.5)", { averageRps: avgRps, writeQueriesPerRequest: t.writeQueries, retentionDays: DB_RETENTION_DAYS, bytesPerWrite: DB_BYTES_PER_WRITE });
  return {
    instanceClass: chosen.spec.instanceClass,
    readReplicas: chosen.replicas,
    maxConnections: chosen.maxConnections,
    proxyMaxConnectionsPercent: RDS_PROXY_MAX_CONNECTIONS_PERCENT,
    proxyMaxIdleConnectionsPercent: RDS_PROXY_MAX_IDLE_CONNECTIONS_PERCENT,
    peakClientConnections: clientConnections,
    allocatedStorageGiB: storage,
  };
}

/** Add-on resource requests on the system nodes (ASSUMPTION: typical chart requests). */
const ADDON_BASE = { cpu: 3.5, memoryGiB: 7 }; // istiod, grafana, alertmanager, KEDA, adapter, Jaeger, CoreDNS, controllers
const GATEWAY_POD = { cpu: 1, memoryGiB: 1, requestsPerSecond: 500 };
const WORKER_POD = { cpu: 0.25, memoryGiB: 0.5 };
const SYSTEM_NODE_TARGET = 0.7;

function planSystem(x: Explainer, t: DataTierContext, kafka: KafkaPlan): SystemPlan {
  const series = SERIES.base + SERIES.perNode * (t.gpuNodes.max + 6) + SERIES.perGpu * t.gpuNodes.max * t.gpuPerNode + SERIES.perInferenceReplica * t.replicas.max + SERIES.perWorker * t.workersMax + SERIES.perKafkaBroker * kafka.brokers;
  const promMemGiB = (series * PROMETHEUS_BYTES_PER_SERIES) / GIB;
  const promCpu = Math.max(0.5, series / 500_000);
  const samplesPerSecond = series / PROMETHEUS_SCRAPE_INTERVAL_SECONDS;
  const volume = Math.max(20, Math.ceil((samplesPerSecond * PROMETHEUS_RETENTION_DAYS * 86_400 * PROMETHEUS_BYTES_PER_SAMPLE * 1.2) / GIB + promMemGiB));
  const floor = t.zones >= 2 ? Math.max(2, t.zones) : 1;
  const need = (node: SystemNodeSpec, rps: number, workers: number): number => {
    const gateways = Math.max(t.zones >= 2 ? 2 : 1, Math.ceil(rps / GATEWAY_POD.requestsPerSecond));
    const cpu = ADDON_BASE.cpu + promCpu + gateways * GATEWAY_POD.cpu + workers * WORKER_POD.cpu;
    const mem = ADDON_BASE.memoryGiB + promMemGiB + gateways * GATEWAY_POD.memoryGiB + workers * WORKER_POD.memoryGiB;
    const allocCpu = (node.vcpus - 0.2) * SYSTEM_NODE_TARGET;
    const allocMem = node.memoryGiB * 0.85 * SYSTEM_NODE_TARGET;
    return Math.max(floor, Math.ceil(Math.max(cpu / allocCpu, mem / allocMem)));
  };
  // Prometheus must fit in half a node's allocatable memory; among those, the cheapest at peak.
  const fits = SYSTEM_NODE_CATALOG.filter((n) => n.memoryGiB * 0.85 * 0.5 >= promMemGiB);
  const pool = fits.length > 0 ? fits : [SYSTEM_NODE_CATALOG[SYSTEM_NODE_CATALOG.length - 1] as SystemNodeSpec];
  const nodeType = [...pool].sort((a, b) => need(a, t.apiPeak, t.workersMin) * a.usdPerHour - need(b, t.apiPeak, t.workersMin) * b.usdPerHour)[0] as SystemNodeSpec;
  const nodes = { min: need(nodeType, t.apiBaseline, t.workersMin), desired: need(nodeType, t.apiPeak, t.workersMin), max: need(nodeType, t.apiSpike, t.workersMax) };
  nodes.desired = Math.max(nodes.min, nodes.desired);
  nodes.max = Math.max(nodes.desired, nodes.max);
  x.str("system.instanceType", nodeType.instanceType, "cheapest m7i at peak (nodes.desired x USD/h) whose half allocatable memory holds Prometheus", { prometheusMemoryGiB: promMemGiB, nodeMemoryGiB: nodeType.memoryGiB }, "EC2 us-east-1 list price");
  x.num("system.nodes.min", nodes.min, "nodes", "max(AZ floor, ceil(add-on requests at baseline / (allocatable x 0.7)))", { azFloor: floor, workers: t.workersMin });
  x.num("system.nodes.desired", nodes.desired, "nodes", "as min, at peak rps (gateway pods: 1 per 500 rps)", { apiPeak: t.apiPeak });
  x.num("system.nodes.max", nodes.max, "nodes", "as min, at spike rps with workers.maxReplicas", { apiSpike: t.apiSpike, workersMax: t.workersMax });
  x.num("system.prometheusRetentionDays", PROMETHEUS_RETENTION_DAYS, "days", "Prometheus default retention", {}, "Prometheus storage docs");
  x.num("system.prometheusVolumeGiB", volume, "GiB", "max(20, series / 30 s x retention x 2 B x 1.2 + head/WAL)", { activeSeries: series, scrapeIntervalSeconds: PROMETHEUS_SCRAPE_INTERVAL_SECONDS, retentionDays: PROMETHEUS_RETENTION_DAYS, bytesPerSample: PROMETHEUS_BYTES_PER_SAMPLE }, "Prometheus storage docs (1-2 bytes per sample)");
  x.num("system.prometheusActiveSeries", series, "series", "50k base + 2k per node + 100 per GPU + 1.5k per replica + 800 per worker + 2k per broker (at max)", { gpuNodesMax: t.gpuNodes.max, replicasMax: t.replicas.max, workersMax: t.workersMax, brokers: kafka.brokers });
  return { instanceType: nodeType.instanceType, nodes, prometheusRetentionDays: PROMETHEUS_RETENTION_DAYS, prometheusVolumeGiB: volume, prometheusActiveSeries: series };
}

function planCost(x: Explainer, t: DataTierContext, p: { kafka: KafkaPlan; redis: RedisPlan; database: DatabasePlan; system: SystemPlan }): CostPlan {
  const h = HOURS_PER_MONTH;
  const sys = SYSTEM_NODE_CATALOG.find((n) => n.instanceType === p.system.instanceType);
  const broker = KAFKA_BROKER_CATALOG.find((b) => b.instanceType === p.kafka.brokerInstanceType);
  const redisNode = REDIS_NODE_CATALOG.find((n) => n.nodeType === p.redis.nodeType);
  const db = DATABASE_CLASS_CATALOG.find((d) => d.instanceClass === p.database.instanceClass);
  const gpuNodes = (t.gpuNodeHoursPerDay / 24) * t.gpuUsdPerHour * h;
  const reservedFloor = t.gpuNodes.min * t.gpuUsdPerHour * h;
  const systemNodes = p.system.nodes.desired * (sys?.usdPerHour ?? 0) * h + p.system.prometheusVolumeGiB * EBS_GP3_USD_PER_GB_MONTH;
  const eks = EKS_CONTROL_PLANE_USD_PER_HOUR * h;
  const kafka = p.kafka.brokers * ((broker?.usdPerHour ?? 0) * h + p.kafka.storagePerBrokerGiB * MSK_STORAGE_USD_PER_GB_MONTH);
  const redis = p.redis.shards * (1 + p.redis.replicasPerShard) * (redisNode?.usdPerHour ?? 0) * h;
  const dbInstances = (2 + p.database.readReplicas) * (db?.usdPerHour ?? 0) * h; // Multi-AZ primary bills primary + standby
  const dbStorage = (2 + p.database.readReplicas) * p.database.allocatedStorageGiB * RDS_GP3_USD_PER_GB_MONTH;
  const proxy = (1 + p.database.readReplicas) * (db?.vcpus ?? 0) * RDS_PROXY_USD_PER_VCPU_HOUR * h;
  const database = dbInstances + dbStorage + proxy;
  const avgRps = (t.apiPeak + t.apiBaseline) / 2;
  const egressGB = (avgRps * t.payloadBytes * SECONDS_PER_MONTH) / 1e9;
  const natGateways = t.zones;
  const network = natGateways * NAT_GATEWAY_USD_PER_HOUR * h + egressGB * (DATA_TRANSFER_OUT_USD_PER_GB + NAT_GATEWAY_USD_PER_GB * 0.1);
  const byComponent = { gpuNodes: round(gpuNodes, 2), systemNodes: round(systemNodes, 2), eksControlPlane: round(eks, 2), kafka: round(kafka, 2), redis: round(redis, 2), database: round(database, 2), network: round(network, 2) };
  const monthlyUsd = round(Object.values(byComponent).reduce((a, b) => a + b, 0), 2);
  x.num("cost.byComponent.gpuNodes", byComponent.gpuNodes, "USD/month", "expected GPU node-hours per day (HPA following the daily curve) / 24 x on-demand USD/h x 730; `npm run plan` prints the simulated day's figure beside it", { nodeHoursPerDay: round(t.gpuNodeHoursPerDay, 1), usdPerHour: t.gpuUsdPerHour, nodesMin: t.gpuNodes.min, nodesDesired: t.gpuNodes.desired }, `${SRC} "EC2 GPU instances"`);
  x.num("cost.gpuReservedFloorMonthlyUsd", round(reservedFloor, 2), "USD/month", "nodes.min x on-demand USD/h x 730: the floor that runs all month (a reservation or savings-plan candidate)", { nodesMin: t.gpuNodes.min, usdPerHour: t.gpuUsdPerHour });
  x.num("cost.byComponent.systemNodes", byComponent.systemNodes, "USD/month", "system nodes.desired x USD/h x 730 + Prometheus gp3 GiB x 0.08", { nodes: p.system.nodes.desired, usdPerHour: sys?.usdPerHour ?? 0, volumeGiB: p.system.prometheusVolumeGiB });
  x.num("cost.byComponent.eksControlPlane", byComponent.eksControlPlane, "USD/month", "0.10 USD/h x 730", {}, "Amazon EKS pricing");
  x.num("cost.byComponent.kafka", byComponent.kafka, "USD/month", "brokers x (USD/h x 730 + storage GiB x 0.10)", { brokers: p.kafka.brokers, usdPerHour: broker?.usdPerHour ?? 0, storagePerBrokerGiB: p.kafka.storagePerBrokerGiB }, "Amazon MSK pricing");
  x.num("cost.byComponent.redis", byComponent.redis, "USD/month", "shards x (1 + replicas) x USD/h x 730", { shards: p.redis.shards, replicasPerShard: p.redis.replicasPerShard, usdPerHour: redisNode?.usdPerHour ?? 0 }, "Amazon ElastiCache pricing");
  x.num("cost.byComponent.database", byComponent.database, "USD/month", "(2 Multi-AZ + replicas) x (USD/h x 730 + GiB x 0.115) + proxy vCPUs x 0.015 x 730", { readReplicas: p.database.readReplicas, usdPerHour: db?.usdPerHour ?? 0, storageGiB: p.database.allocatedStorageGiB, vcpus: db?.vcpus ?? 0 }, "Amazon RDS and RDS Proxy pricing");
  x.num("cost.byComponent.network", byComponent.network, "USD/month", "NAT per AZ x 0.045 x 730 + egress GB x (0.09 + 10% via NAT x 0.045)", { natGateways, egressGB }, "Amazon VPC / EC2 data transfer pricing");
  x.num("cost.monthlyUsd", monthlyUsd, "USD/month", "sum of components (on-demand, 730 h)", {});
  return { monthlyUsd, byComponent, gpuReservedFloorMonthlyUsd: round(reservedFloor, 2) };
}

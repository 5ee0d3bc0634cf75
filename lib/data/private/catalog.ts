/**
 * Closed sets the data constructs accept: engine versions and node memory.
 * Pure data, kept apart from the constructs so tests and the README can cite it.
 */

/** Cache engines offered: Valkey (the AWS default since 2024) or Redis OSS. */
export type CacheEngine = "valkey" | "redis";

/**
 * Engine versions per engine, each with its parameter group family.
 * Source: ElastiCache user guide, "Engine specific parameters" (valkey8 family covers 8.0-8.2;
 * Valkey 7.2 and Redis OSS 7.x share the redis7/valkey7 parameter set). IAM authentication
 * needs Valkey 7.2+ or Redis OSS 7.0+ (ElastiCache "Authenticating with IAM", limitations),
 * so older versions are not offered.
 */
export const CACHE_ENGINE_VERSIONS: Readonly<Record<CacheEngine, Readonly<Record<string, string>>>> = {
  valkey: { "7.2": "valkey7", "8.0": "valkey8", "8.1": "valkey8", "8.2": "valkey8" },
  redis: { "7.1": "redis7" },
};

/** Default engine version per engine. */
export const DEFAULT_CACHE_ENGINE_VERSION: Readonly<Record<CacheEngine, string>> = { valkey: "8.1", redis: "7.1" };

/**
 * Memory of ElastiCache node types in GiB (ElastiCache "Supported node types" table; the r7g
 * figures match lib/capacity's REDIS_NODE_CATALOG, so a planned size never fails this check;
 * where public copies of the table differ by a few hundredths, the smaller figure is kept).
 */
export const CACHE_NODE_MEMORY_GIB: Readonly<Record<string, number>> = {
  "cache.m7g.large": 6.38,
  "cache.m7g.xlarge": 12.93,
  "cache.m7g.2xlarge": 26.04,
  "cache.m7g.4xlarge": 52.26,
  "cache.m7g.8xlarge": 103.68,
  "cache.m7g.12xlarge": 157.12,
  "cache.m7g.16xlarge": 209.55,
  "cache.r7g.large": 13.07,
  "cache.r7g.xlarge": 26.32,
  "cache.r7g.2xlarge": 52.82,
  "cache.r7g.4xlarge": 105.81,
  "cache.r7g.8xlarge": 209.55,
  "cache.r7g.12xlarge": 317.77,
  "cache.r7g.16xlarge": 419.09,
};

/**
 * `reserved-memory-percent` Headroom keeps (the ElastiCache default, capacity-data.md):
 * memory held back for forks during snapshots and replication.
 */
export const CACHE_RESERVED_MEMORY_PERCENT = 25;

/** Usable memory of a node type after the reserved share, GiB. */
export function usableCacheMemoryGiB(nodeType: string): number | undefined {
  const total = CACHE_NODE_MEMORY_GIB[nodeType];
  return total === undefined ? undefined : total * (1 - CACHE_RESERVED_MEMORY_PERCENT / 100);
}

/** The smallest catalogued node type (by memory) whose usable memory x shards holds `memoryGiB`. */
export function smallestCacheNodeFor(memoryGiB: number, shards: number): string | undefined {
  return Object.keys(CACHE_NODE_MEMORY_GIB)
    .sort((a, b) => (CACHE_NODE_MEMORY_GIB[a] as number) - (CACHE_NODE_MEMORY_GIB[b] as number))
    .find((t) => (usableCacheMemoryGiB(t) as number) * shards >= memoryGiB);
}

/**
 * MSK Kafka versions offered: KRaft-mode versions (no ZooKeeper, up to 60 brokers per cluster)
 * and the two newest ZooKeeper-mode ones. Source: MSK "Supported Apache Kafka versions" and the
 * KRaft version strings (`<version>.kraft`) of the MSK metadata-management guide.
 */
export const KAFKA_VERSIONS = ["3.7.x.kraft", "3.8.x.kraft", "3.9.x.kraft", "4.0.x.kraft", "4.1.x.kraft", "3.8.x", "3.9.x"] as const;
/** A Kafka version MSK accepts and Headroom offers. */
export type KafkaVersion = (typeof KAFKA_VERSIONS)[number];
/** Default: the newest 3.x in KRaft mode (4.x drops client APIs some libraries still use). */
export const DEFAULT_KAFKA_VERSION: KafkaVersion = "3.9.x.kraft";

/** Most brokers per cluster: 60 in KRaft mode, 30 with ZooKeeper (capacity-data.md, MSK quotas). */
export function maxBrokersFor(version: KafkaVersion): number {
  return version.endsWith(".kraft") ? 60 : 30;
}

/**
 * Highest provisioned storage throughput per broker in MiB/s; brokers not listed cannot
 * provision throughput. Source: MSK "Manage storage throughput for Standard brokers".
 */
export const MSK_MAX_PROVISIONED_THROUGHPUT_MIBPS: Readonly<Record<string, number>> = {
  "kafka.m5.4xlarge": 593,
  "kafka.m5.8xlarge": 850,
  "kafka.m5.12xlarge": 1000,
  "kafka.m5.16xlarge": 1000,
  "kafka.m5.24xlarge": 1000,
  "kafka.m7g.2xlarge": 312.5,
  "kafka.m7g.4xlarge": 625,
  "kafka.m7g.8xlarge": 1000,
  "kafka.m7g.12xlarge": 1000,
  "kafka.m7g.16xlarge": 1000,
};

/** EBS volume size per MSK broker, GiB (MSK quota). */
export const MSK_MAX_VOLUME_GIB = 16384;

/**
 * PostgreSQL major versions offered. The instance carries the major version only and
 * `auto_minor_version_upgrade` keeps the minor current: with an exact minor pinned, the
 * first automatic upgrade would make every later plan try a downgrade. Verified current
 * minors at the time of writing: 16.11 and 17.7 (the RDS upgrade targets of May 2026).
 */
export const POSTGRES_MAJOR_VERSIONS = ["16", "17"] as const;
/** A PostgreSQL major version Headroom offers. */
export type PostgresMajorVersion = (typeof POSTGRES_MAJOR_VERSIONS)[number];

/** Read replicas per RDS source instance (RDS quota, capacity-data.md). */
export const MAX_READ_REPLICAS = 15;

/** Certificate authority for RDS server certificates (RSA 2048, valid to 2061). */
export const RDS_CA_CERT_IDENTIFIER = "rds-ca-rsa2048-g1";

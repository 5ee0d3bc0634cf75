export * from "./cache-user-password-rotation";
export * from "./database";
export * from "./kafka-cluster";
export * from "./model-bucket";
export * from "./redis-cluster";
export {
  CACHE_ENGINE_VERSIONS,
  CACHE_NODE_MEMORY_GIB,
  CACHE_RESERVED_MEMORY_PERCENT,
  KAFKA_VERSIONS,
  MAX_READ_REPLICAS,
  POSTGRES_MAJOR_VERSIONS,
  usableCacheMemoryGiB,
} from "./private/catalog";
export type { CacheEngine, KafkaVersion, PostgresMajorVersion } from "./private/catalog";
export type { DataServiceProps } from "./private/common";

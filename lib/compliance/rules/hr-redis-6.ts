import { isSet } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Cache data lives only where it can be encrypted: replication groups (checked by HR-REDIS-1..5). */
export const HR_REDIS_6: ComplianceRule = {
  id: "HR-REDIS-6",
  severity: "high",
  title: "No stand-alone aws_elasticache_cluster: caches are replication groups (encrypted at rest and in transit, HR-REDIS-1..5)",
  rationale:
    "A stand-alone cache cluster (Memcached, or Redis/Valkey outside a replication group) cannot encrypt data at rest with a KMS key, so its memory snapshots and swap are unprotected.",
  fix: "Use aws_elasticache_replication_group (the RedisCluster construct); an aws_elasticache_cluster may only be a member of one (replication_group_id).",
  appliesTo: ["aws_elasticache_cluster"],
  evaluate(cluster) {
    if (isSet(cluster.config["replication_group_id"])) return compliant();
    return nonCompliant(`a stand-alone ${String(cluster.config["engine"] ?? "cache")} cluster has no at-rest encryption with a customer-managed key`);
  },
};

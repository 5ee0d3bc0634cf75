import { isTrue } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** A primary failure promotes a replica in another AZ automatically. */
export const HR_REDIS_4: ComplianceRule = {
  id: "HR-REDIS-4",
  severity: "medium",
  title: "ElastiCache replication groups are Multi-AZ with automatic failover",
  rationale: "Without automatic failover a primary or AZ failure takes the cache (and every request that needs it) down until someone intervenes.",
  fix: "Set automatic_failover_enabled = true and multi_az_enabled = true with at least one replica per shard.",
  appliesTo: ["aws_elasticache_replication_group"],
  evaluate(group) {
    const problems: string[] = [];
    if (!isTrue(group.config["automatic_failover_enabled"])) problems.push("automatic_failover_enabled is not true");
    if (!isTrue(group.config["multi_az_enabled"])) problems.push("multi_az_enabled is not true");
    return allOf(problems);
  },
};

import { asNumber } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Daily snapshots are kept. */
export const HR_REDIS_5: ComplianceRule = {
  id: "HR-REDIS-5",
  severity: "medium",
  title: "ElastiCache keeps automatic snapshots (snapshot_retention_limit > 0)",
  rationale: "With retention 0 there is no backup at all: a bad FLUSHALL or a corrupted shard cannot be restored.",
  fix: "Set snapshot_retention_limit to at least 1 (days) and a snapshot_window outside peak traffic.",
  appliesTo: ["aws_elasticache_replication_group"],
  upstream: { trivy: ["AVD-AWS-0050"] },
  evaluate(group) {
    const days = asNumber(group.config["snapshot_retention_limit"]);
    return days !== undefined && days > 0 ? compliant() : nonCompliant(`snapshot_retention_limit is ${days ?? "unset (0)"}`, { value: days });
  },
};

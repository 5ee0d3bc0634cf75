import { customerKeyProblem, isTrue } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Cache data and snapshots are encrypted at rest with a customer-managed key. */
export const HR_REDIS_1: ComplianceRule = {
  id: "HR-REDIS-1",
  severity: "high",
  title: "ElastiCache replication groups encrypt at rest with a customer-managed KMS key",
  rationale: "Redis holds prompts and session state; its disk, swap and snapshots must be unreadable without a key you control.",
  fix: "Set at_rest_encryption_enabled = true and kms_key_id = <CMK ARN>.",
  appliesTo: ["aws_elasticache_replication_group"],
  upstream: { checkov: ["CKV_AWS_29"], trivy: ["AVD-AWS-0045"] },
  evaluate(group, context) {
    const problems: string[] = [];
    if (!isTrue(group.config["at_rest_encryption_enabled"])) problems.push("at_rest_encryption_enabled is not true");
    const key = customerKeyProblem(group.config["kms_key_id"], context.resolve);
    if (key) problems.push(`kms_key_id ${key}`);
    return allOf(problems);
  },
};

import { block, isTrue } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Terraform types that hold data that cannot be recreated. */
export const STATEFUL_TYPES: readonly string[] = [
  "aws_db_instance",
  "aws_rds_cluster",
  "aws_elasticache_replication_group",
  "aws_msk_cluster",
  "aws_s3_bucket",
  "aws_kms_key",
];

/** Stateful resources cannot be destroyed by a plan. */
export const HR_DATA_1: ComplianceRule = {
  id: "HR-DATA-1",
  severity: "critical",
  title: "Stateful resources (RDS, ElastiCache, MSK, S3 buckets, KMS keys) set lifecycle.prevent_destroy = true",
  rationale:
    "A renamed construct id or a forced replacement plans a destroy; prevent_destroy makes Terraform refuse, and deleting a KMS key makes everything encrypted with it unreadable.",
  fix: "Set lifecycle: { preventDestroy: true } on the resource (remove it deliberately, in its own change, to retire the resource).",
  appliesTo: STATEFUL_TYPES,
  evaluate(resource) {
    return isTrue(block(resource.config, "lifecycle")?.["prevent_destroy"]) ? compliant() : nonCompliant("lifecycle.prevent_destroy is not true");
  },
};

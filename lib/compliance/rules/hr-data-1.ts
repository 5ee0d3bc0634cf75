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
    "prevent_destroy makes Terraform refuse a plan that destroys the resource while its block is in the configuration: `terraform destroy` and a replacement forced by an immutable argument; deleting a KMS key makes everything encrypted with it unreadable. It does not survive a changed address: a renamed or moved construct id, or a removed block, leaves no lifecycle to consult and the old address is destroyed. Headroom therefore gives stateful resources fixed, role-based addresses (pinned by a test per environment) and renames them only with a `moved` block.",
  fix: "Set lifecycle: { preventDestroy: true } on the resource (remove it deliberately, in its own change, to retire the resource).",
  appliesTo: STATEFUL_TYPES,
  evaluate(resource) {
    return isTrue(block(resource.config, "lifecycle")?.["prevent_destroy"]) ? compliant() : nonCompliant("lifecycle.prevent_destroy is not true");
  },
};

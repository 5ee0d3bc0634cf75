import { block, blocks, customerKeyProblem } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Every bucket has default encryption with a customer-managed KMS key. */
export const HR_S3_2: ComplianceRule = {
  id: "HR-S3-2",
  severity: "high",
  title: "Every S3 bucket has server-side encryption with a customer-managed KMS key",
  rationale: "SSE-S3 encrypts, but anyone with s3:GetObject reads the data; a CMK adds a second, auditable permission (kms:Decrypt).",
  fix: 'Add aws_s3_bucket_server_side_encryption_configuration with rule.apply_server_side_encryption_by_default { sse_algorithm = "aws:kms", kms_master_key_id = <CMK ARN> } (bucket_key_enabled = true to cut KMS cost).',
  appliesTo: ["aws_s3_bucket"],
  upstream: { checkov: ["CKV_AWS_145"], trivy: ["AVD-AWS-0132"] },
  evaluate(bucket, context) {
    const configs = context.referencing("aws_s3_bucket_server_side_encryption_configuration", "bucket", bucket);
    if (configs.length === 0) return nonCompliant("no aws_s3_bucket_server_side_encryption_configuration references this bucket");
    for (const config of configs) {
      for (const rule of blocks(config.config, "rule")) {
        const byDefault = block(rule, "apply_server_side_encryption_by_default");
        const algorithm = byDefault?.["sse_algorithm"];
        if ((algorithm === "aws:kms" || algorithm === "aws:kms:dsse") && customerKeyProblem(byDefault?.["kms_master_key_id"], context.resolve) === undefined) return compliant();
      }
    }
    return nonCompliant("the encryption configuration does not use aws:kms with a customer-managed kms_master_key_id");
  },
};

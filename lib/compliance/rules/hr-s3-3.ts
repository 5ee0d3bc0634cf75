import { block } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Every bucket keeps object versions. */
export const HR_S3_3: ComplianceRule = {
  id: "HR-S3-3",
  severity: "medium",
  title: "Every S3 bucket has versioning enabled",
  rationale: "Versioning turns an overwrite or delete (a bad model upload, a state file clobbered) into a recoverable event.",
  fix: 'Add aws_s3_bucket_versioning { bucket = <bucket id>, versioning_configuration { status = "Enabled" } }.',
  appliesTo: ["aws_s3_bucket"],
  upstream: { checkov: ["CKV_AWS_21"], trivy: ["AVD-AWS-0090"] },
  evaluate(bucket, context) {
    const versioning = context.referencing("aws_s3_bucket_versioning", "bucket", bucket);
    if (versioning.some((v) => block(v.config, "versioning_configuration")?.["status"] === "Enabled")) return compliant();
    return nonCompliant(versioning.length === 0 ? "no aws_s3_bucket_versioning references this bucket" : 'versioning status is not "Enabled"');
  },
};

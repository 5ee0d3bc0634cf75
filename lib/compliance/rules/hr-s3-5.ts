import { blocks } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Object ACLs are disabled: the bucket owner owns every object and only policies grant access. */
export const HR_S3_5: ComplianceRule = {
  id: "HR-S3-5",
  severity: "medium",
  title: "Every S3 bucket disables ACLs (ownership controls BucketOwnerEnforced)",
  rationale: "With ACLs enabled, a writer can grant public-read per object, and objects written by another account stay owned by it.",
  fix: 'Add aws_s3_bucket_ownership_controls { bucket = <bucket id>, rule { object_ownership = "BucketOwnerEnforced" } }.',
  appliesTo: ["aws_s3_bucket"],
  evaluate(bucket, context) {
    const controls = context.referencing("aws_s3_bucket_ownership_controls", "bucket", bucket);
    const enforced = controls.some((c) => blocks(c.config, "rule").some((r) => r["object_ownership"] === "BucketOwnerEnforced"));
    if (enforced) return compliant();
    return nonCompliant(controls.length === 0 ? "no aws_s3_bucket_ownership_controls references this bucket" : "object_ownership is not BucketOwnerEnforced");
  },
};

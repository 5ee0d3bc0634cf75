import { isTrue } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

const SETTINGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

/** Every bucket has a public access block with all four settings on. */
export const HR_S3_1: ComplianceRule = {
  id: "HR-S3-1",
  severity: "critical",
  title: "Every S3 bucket has exactly one public access block, with all four settings literally true",
  rationale: "The public access block is the guard that holds when a later policy or ACL change accidentally grants public read.",
  fix: "Add aws_s3_bucket_public_access_block { bucket = <bucket id>, block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets = true }.",
  appliesTo: ["aws_s3_bucket"],
  upstream: { checkov: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"], trivy: ["AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093", "AVD-AWS-0094"] },
  evaluate(bucket, context) {
    const blocks = context.referencing("aws_s3_bucket_public_access_block", "bucket", bucket);
    if (blocks.length === 0) return nonCompliant("no aws_s3_bucket_public_access_block references this bucket");
    // A bucket has one public access block: a second resource overwrites the first on every
    // apply (whichever runs last wins), so every one of them must be complete.
    const problems: string[] = [];
    if (blocks.length > 1) problems.push(`${blocks.length} public access blocks reference this bucket (${blocks.map((b) => b.address).join(", ")}); the last applied wins`);
    for (const b of blocks) {
      const off = SETTINGS.filter((s) => !isTrue(b.config[s]));
      if (off.length > 0) problems.push(`${b.address} leaves ${off.join(", ")} off (or sets them from an expression)`);
    }
    return problems.length === 0 ? compliant() : nonCompliant(problems.join("; "));
  },
};

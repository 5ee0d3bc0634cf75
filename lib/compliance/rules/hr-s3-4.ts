import { isOpenPrincipal, parsePolicy, Statement } from "../private/policy";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

function deniesInsecureTransport(s: Statement): boolean {
  return (
    s.effect === "Deny" &&
    isOpenPrincipal(s) &&
    s.conditions.some((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false")) &&
    (s.actions.includes("s3:*") || s.actions.includes("*"))
  );
}

/** Every bucket policy denies requests that do not use TLS. */
export const HR_S3_4: ComplianceRule = {
  id: "HR-S3-4",
  severity: "high",
  title: "Every S3 bucket has a TLS-only bucket policy (Deny s3:* when aws:SecureTransport is false)",
  rationale: "S3 still serves plain HTTP; only a bucket policy guarantees that model weights and state never cross the network unencrypted.",
  fix: 'Add aws_s3_bucket_policy with a statement { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = [bucket ARN, "<ARN>/*"], Condition = { Bool = { "aws:SecureTransport" = "false" } } }.',
  appliesTo: ["aws_s3_bucket"],
  evaluate(bucket, context) {
    const policies = context.referencing("aws_s3_bucket_policy", "bucket", bucket);
    if (policies.length === 0) return nonCompliant("no aws_s3_bucket_policy references this bucket");
    const reasons: string[] = [];
    for (const policy of policies) {
      const parsed = parsePolicy(policy.config["policy"], context);
      if ("error" in parsed) reasons.push(`${policy.address}: ${parsed.error}`);
      else if (parsed.statements.some(deniesInsecureTransport)) return compliant();
      else reasons.push(`${policy.address} has no Deny statement on aws:SecureTransport = false`);
    }
    return nonCompliant(reasons.join("; "));
  },
};

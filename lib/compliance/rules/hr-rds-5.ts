import { customerKeyProblem, isTrue } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Performance Insights is on, and its data (which includes SQL text) is encrypted with a CMK. */
export const HR_RDS_5: ComplianceRule = {
  id: "HR-RDS-5",
  severity: "medium",
  title: "RDS Performance Insights is enabled and encrypted with a customer-managed KMS key",
  rationale: "Performance Insights is how you diagnose connection and lock saturation; it stores query text, which can contain data.",
  fix: "Set performance_insights_enabled = true and performance_insights_kms_key_id = <CMK ARN>.",
  appliesTo: ["aws_db_instance"],
  upstream: { checkov: ["CKV_AWS_353", "CKV_AWS_354"], trivy: ["AVD-AWS-0133"] },
  evaluate(instance, context) {
    const problems: string[] = [];
    if (!isTrue(instance.config["performance_insights_enabled"])) problems.push("performance_insights_enabled is not true");
    else {
      const key = customerKeyProblem(instance.config["performance_insights_kms_key_id"], context.resolve);
      if (key) problems.push(`performance_insights_kms_key_id ${key}`);
    }
    return allOf(problems);
  },
};

import { customerKeyProblem } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Log groups are encrypted with a customer-managed key. */
export const HR_LOG_1: ComplianceRule = {
  id: "HR-LOG-1",
  severity: "medium",
  title: "CloudWatch log groups are encrypted with a customer-managed KMS key",
  rationale: "Control-plane, flow and broker logs contain addresses, identities and sometimes payloads; a CMK makes reading them a separate, audited grant.",
  fix: "Set kms_key_id = <CMK ARN> (the key policy must allow the logs.<region>.amazonaws.com principal).",
  appliesTo: ["aws_cloudwatch_log_group"],
  upstream: { checkov: ["CKV_AWS_158"], trivy: ["AVD-AWS-0017"] },
  evaluate(group, context) {
    const key = customerKeyProblem(group.config["kms_key_id"], context.resolve);
    return key === undefined ? compliant() : nonCompliant(`kms_key_id ${key}`);
  },
};

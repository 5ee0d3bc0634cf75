import { asNumber } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Log groups have a finite retention. */
export const HR_LOG_2: ComplianceRule = {
  id: "HR-LOG-2",
  severity: "low",
  title: "CloudWatch log groups set a retention period",
  rationale: "Without retention logs are kept (and billed) forever, and data-retention policies cannot be honoured.",
  fix: "Set retention_in_days to a value CloudWatch accepts (e.g. 30, 90, 365).",
  appliesTo: ["aws_cloudwatch_log_group"],
  upstream: { checkov: ["CKV_AWS_66"] },
  evaluate(group) {
    const days = asNumber(group.config["retention_in_days"]);
    return days !== undefined && days > 0 ? compliant() : nonCompliant(`retention_in_days is ${days ?? "unset (never expire)"}`);
  },
};

import { isTrue, path } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Broker logs go to CloudWatch, Firehose or S3. */
export const HR_MSK_4: ComplianceRule = {
  id: "HR-MSK-4",
  severity: "medium",
  title: "MSK ships broker logs",
  rationale: "Broker logs are the only record of authentication failures, ACL denials and controller elections.",
  fix: "Set logging_info.broker_logs.cloudwatch_logs { enabled = true, log_group = <encrypted log group> }.",
  appliesTo: ["aws_msk_cluster"],
  upstream: { checkov: ["CKV_AWS_80"], trivy: ["AVD-AWS-0074"] },
  evaluate(cluster) {
    const logs = path(cluster.config, "logging_info", "broker_logs");
    const enabled = ["cloudwatch_logs", "firehose", "s3"].filter((k) => isTrue(path(logs, k)?.["enabled"]));
    return enabled.length > 0 ? compliant() : nonCompliant("no broker log destination is enabled");
  },
};

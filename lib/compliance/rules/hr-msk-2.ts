import { block, customerKeyProblem } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Broker storage is encrypted with a customer-managed key. */
export const HR_MSK_2: ComplianceRule = {
  id: "HR-MSK-2",
  severity: "high",
  title: "MSK encrypts broker storage with a customer-managed KMS key",
  rationale: "Without a CMK the data is encrypted with an AWS-owned key you cannot audit, restrict or revoke.",
  fix: "Set encryption_info.encryption_at_rest_kms_key_arn = <CMK ARN>.",
  appliesTo: ["aws_msk_cluster"],
  upstream: { trivy: ["AVD-AWS-0179"] },
  evaluate(cluster, context) {
    const arn = block(cluster.config, "encryption_info")?.["encryption_at_rest_kms_key_arn"];
    const key = customerKeyProblem(arn, context.resolve);
    return key === undefined ? compliant() : nonCompliant(`encryption_at_rest_kms_key_arn ${key}`, { value: arn });
  },
};

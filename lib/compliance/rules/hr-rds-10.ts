import { booleanOf, customerKeyProblem, unverifiable } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Aurora and Multi-AZ DB clusters encrypt storage with a customer-managed key. */
export const HR_RDS_10: ComplianceRule = {
  id: "HR-RDS-10",
  severity: "high",
  title: "RDS/Aurora clusters (aws_rds_cluster) encrypt storage with a customer-managed KMS key",
  rationale: "Encryption cannot be added to an existing cluster, and an unencrypted cluster's snapshots can be shared and restored anywhere.",
  fix: "Set storage_encrypted = true and kms_key_id = <CMK ARN>.",
  appliesTo: ["aws_rds_cluster"],
  upstream: { checkov: ["CKV_AWS_96"], trivy: ["AVD-AWS-0079"] },
  evaluate(cluster, context) {
    const problems: string[] = [];
    const encrypted = booleanOf(cluster.config["storage_encrypted"]);
    if (encrypted === "unknown") problems.push(unverifiable("storage_encrypted", cluster.config["storage_encrypted"]));
    else if (encrypted !== true) problems.push("storage_encrypted is not true");
    const key = customerKeyProblem(cluster.config["kms_key_id"], context.resolve);
    if (key) problems.push(`kms_key_id ${key}`);
    return allOf(problems);
  },
};

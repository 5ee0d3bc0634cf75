import { customerKeyProblem, isTrue } from "../private/json";
import { isReplica } from "../private/rds";
import { allOf, compliant, ComplianceRule, nonCompliant } from "../rule";

/** Database storage, snapshots and replicas are encrypted with a customer-managed key. */
export const HR_RDS_1: ComplianceRule = {
  id: "HR-RDS-1",
  severity: "high",
  title: "RDS instances encrypt storage with a customer-managed KMS key",
  rationale: "Encryption cannot be added to an existing instance; without a CMK you cannot restrict who restores or shares snapshots.",
  fix: "Set storage_encrypted = true and kms_key_id = <CMK ARN> (replicas: kms_key_id, or a source that is encrypted with a CMK).",
  appliesTo: ["aws_db_instance"],
  upstream: { checkov: ["CKV_AWS_16"] },
  evaluate(instance, context) {
    const own = customerKeyProblem(instance.config["kms_key_id"], context.resolve);
    if (isReplica(instance) && own !== undefined) {
      // A same-region replica inherits its source's encryption and key.
      const source = context.resolve(instance.config["replicate_source_db"]);
      if (source && isTrue(source.config["storage_encrypted"]) && customerKeyProblem(source.config["kms_key_id"], context.resolve) === undefined) return compliant();
      return nonCompliant("the replica sets no kms_key_id and its source is not (provably) encrypted with a customer-managed key");
    }
    const problems: string[] = [];
    if (!isReplica(instance) && !isTrue(instance.config["storage_encrypted"])) problems.push("storage_encrypted is not true");
    if (own !== undefined) problems.push(`kms_key_id ${own}`);
    return allOf(problems);
  },
};

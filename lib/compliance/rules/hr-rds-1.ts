import { isCustomerManagedKey, isTrue } from "../private/json";
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
    if (isReplica(instance) && !isCustomerManagedKey(instance.config["kms_key_id"])) {
      // A same-region replica inherits its source's encryption and key.
      const source = context.resolve(instance.config["replicate_source_db"]);
      if (source && isTrue(source.config["storage_encrypted"]) && isCustomerManagedKey(source.config["kms_key_id"])) return compliant();
      return nonCompliant("the replica sets no kms_key_id and its source is not (provably) encrypted with a customer-managed key");
    }
    const problems: string[] = [];
    if (!isReplica(instance) && !isTrue(instance.config["storage_encrypted"])) problems.push("storage_encrypted is not true");
    if (!isCustomerManagedKey(instance.config["kms_key_id"])) problems.push("kms_key_id is not a customer-managed key");
    return allOf(problems);
  },
};

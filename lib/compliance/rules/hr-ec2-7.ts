import { block, blocks, booleanOf, customerKeyProblem, JsonObject, unverifiable } from "../private/json";
import { allOf, ComplianceRule, RuleContext } from "../rule";

function diskProblems(where: string, disk: JsonObject, context: RuleContext): string[] {
  const encrypted = booleanOf(disk["encrypted"]);
  if (encrypted === "unknown") return [unverifiable(`${where}.encrypted`, disk["encrypted"])];
  if (encrypted !== true) return [`${where} is not encrypted (encrypted is ${JSON.stringify(disk["encrypted"] ?? "unset")})`];
  const key = customerKeyProblem(disk["kms_key_id"], context.resolve);
  return key ? [`${where}.kms_key_id ${key}`] : [];
}

/** Every EBS volume is encrypted with a customer-managed key. */
export const HR_EC2_7: ComplianceRule = {
  id: "HR-EC2-7",
  severity: "high",
  title: "EBS volumes (aws_ebs_volume, and the root and EBS block devices of aws_instance) are encrypted with a customer-managed KMS key",
  rationale: "Volumes hold model weights, caches and logs; an unencrypted volume or snapshot is readable by anyone it is shared with, and without a CMK you cannot revoke access.",
  fix: "Set encrypted = true and kms_key_id = <CMK ARN> on the volume (root_block_device and ebs_block_device blocks of instances too).",
  appliesTo: ["aws_ebs_volume", "aws_instance"],
  upstream: { checkov: ["CKV_AWS_3"], trivy: ["AVD-AWS-0026", "AVD-AWS-0131"] },
  evaluate(resource, context) {
    if (resource.type === "aws_ebs_volume") return allOf(diskProblems("the volume", resource.config, context));
    const root = block(resource.config, "root_block_device");
    const problems = root === undefined ? ["no root_block_device: the root volume's encryption is left to the AMI and account defaults"] : diskProblems("root_block_device", root, context);
    blocks(resource.config, "ebs_block_device").forEach((d, i) => problems.push(...diskProblems(`ebs_block_device[${i}]`, d, context)));
    return allOf(problems);
  },
};

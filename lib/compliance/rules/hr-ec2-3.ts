import { block, blocks, customerKeyProblem, isTrue } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Every EBS volume the template declares is encrypted with a customer-managed key. */
export const HR_EC2_3: ComplianceRule = {
  id: "HR-EC2-3",
  severity: "high",
  title: "Launch templates declare their EBS volumes encrypted with a customer-managed KMS key",
  rationale: "Node disks hold container images, model weights and emptyDir data; an undeclared root volume inherits whatever the AMI and account default say.",
  fix: 'Add block_device_mappings { device_name = "/dev/xvda", ebs { encrypted = "true", kms_key_id = <CMK ARN>, volume_type = "gp3" } }.',
  appliesTo: ["aws_launch_template"],
  evaluate(template, context) {
    const mappings = blocks(template.config, "block_device_mappings");
    if (mappings.length === 0) return allOf(["no block_device_mappings: the root volume's encryption is left to the AMI and account defaults"]);
    const problems: string[] = [];
    for (const mapping of mappings) {
      const device = String(mapping["device_name"] ?? "?");
      if (mapping["virtual_name"] !== undefined && block(mapping, "ebs") === undefined) continue; // instance store
      const ebs = block(mapping, "ebs");
      if (!isTrue(ebs?.["encrypted"])) problems.push(`${device}: ebs.encrypted is not true`);
      else {
        const key = customerKeyProblem(ebs?.["kms_key_id"], context.resolve);
        if (key) problems.push(`${device}: ebs.kms_key_id ${key}`);
      }
    }
    return allOf(problems);
  },
};

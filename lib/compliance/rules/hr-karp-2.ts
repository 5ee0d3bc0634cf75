import { isObject } from "../private/json";
import { karpenterObject, specOf } from "../private/karpenter";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** Every Karpenter volume is encrypted with a customer-managed key, and no node gets a public IP. */
export const HR_KARP_2: ComplianceRule = {
  id: "HR-KARP-2",
  severity: "high",
  title: "Karpenter EC2NodeClasses encrypt every block device with a customer-managed key and assign no public IP",
  rationale: "Node volumes hold images, model weights and pod scratch data; a public IP puts the kubelet and every hostPort on the internet.",
  fix: "Set blockDeviceMappings[].ebs { encrypted: true, kmsKeyID: <CMK ARN> } and associatePublicIPAddress: false.",
  appliesTo: ["kubernetes_manifest"],
  upstream: { checkov: ["CKV_AWS_8", "CKV_AWS_88"] },
  evaluate(resource) {
    const nc = karpenterObject(resource, "EC2NodeClass");
    if (!nc) return notApplicable("not an EC2NodeClass");
    const spec = specOf(nc);
    const problems: string[] = [];
    const mappings = Array.isArray(spec["blockDeviceMappings"]) ? spec["blockDeviceMappings"] : [];
    if (mappings.length === 0) problems.push("no blockDeviceMappings: the AMI's default root volume is not encrypted with the CMK");
    for (const [i, m] of mappings.entries()) {
      const ebs = isObject(m) && isObject(m["ebs"]) ? m["ebs"] : {};
      if (ebs["encrypted"] !== true) problems.push(`blockDeviceMappings[${i}].ebs.encrypted is not true`);
      if (typeof ebs["kmsKeyID"] !== "string" || ebs["kmsKeyID"] === "") problems.push(`blockDeviceMappings[${i}].ebs.kmsKeyID is unset (AWS-managed key)`);
    }
    if (spec["associatePublicIPAddress"] !== false) problems.push(`associatePublicIPAddress is ${JSON.stringify(spec["associatePublicIPAddress"] ?? "unset (the subnet decides)")}`);
    return allOf(problems);
  },
};

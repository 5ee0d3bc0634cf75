import { isTrue } from "../private/json";
import { compliant, ComplianceRule, nonCompliant, notApplicable } from "../rule";

/** Symmetric customer-managed keys rotate their key material yearly (or faster). */
export const HR_KMS_1: ComplianceRule = {
  id: "HR-KMS-1",
  severity: "medium",
  title: "KMS symmetric keys have automatic rotation enabled",
  rationale: "Rotation limits how much data one key version protects and is required by most compliance frameworks.",
  fix: "Set enable_key_rotation = true (optionally rotation_period_in_days).",
  appliesTo: ["aws_kms_key"],
  upstream: { checkov: ["CKV_AWS_7"], trivy: ["AVD-AWS-0065"] },
  evaluate(key) {
    const spec = key.config["customer_master_key_spec"];
    if (typeof spec === "string" && spec.includes("${")) return nonCompliant(`customer_master_key_spec is ${spec}, a Terraform expression the pack cannot evaluate`);
    if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return notApplicable(`automatic rotation is not supported for ${String(spec)} keys`);
    return isTrue(key.config["enable_key_rotation"]) ? compliant() : nonCompliant("enable_key_rotation is not true");
  },
};

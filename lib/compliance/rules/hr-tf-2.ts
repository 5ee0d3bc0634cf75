import { ComplianceRule, nonCompliant } from "../rule";

/** No construct writes files of its own next to the stack JSON. */
export const HR_TF_2: ComplianceRule = {
  id: "HR-TF-2",
  severity: "high",
  title: "No construct writes content outside the stack JSON at synth (addCustomSynthesis, TerraformAsset)",
  rationale:
    "Files a construct adds to the stack directory (an override .tf.json, a module source, an asset) are applied or uploaded by Terraform but never reach the pack, so they bypass every rule.",
  fix: "Express the resources in the stack itself; for an asset that only carries data (a Lambda zip), suppress with a reason saying what it holds.",
  appliesTo: ["external"],
  evaluate(item) {
    return nonCompliant(`${String(item.config["construct"] ?? "a construct")} at ${item.constructPath ?? item.name} writes files the pack cannot read`);
  },
};

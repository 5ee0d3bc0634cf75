import { block, isSet } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Managed node groups are built from a launch template (where IMDSv2, hop limit and disk encryption live). */
export const HR_EKS_5: ComplianceRule = {
  id: "HR-EKS-5",
  severity: "high",
  title: "EKS node groups use a launch template, with no SSH remote access",
  rationale:
    "Without a launch template a node group gets the EKS defaults (IMDS reachable from pods with hop limit 2, no CMK on the disk); remote_access opens SSH to the nodes.",
  fix: "Set launch_template { id = <aws_launch_template id>, version = <its latest_version> } and remove remote_access.",
  appliesTo: ["aws_eks_node_group"],
  evaluate(group, context) {
    const template = block(group.config, "launch_template");
    const problems: string[] = [];
    if (!template || !(isSet(template["id"]) || isSet(template["name"]))) problems.push("no launch_template with an id or name");
    else {
      // A reference must lead to a launch template of this stack (whose hardening HR-EC2-* check).
      const target = context.resolve(template["id"] ?? template["name"]);
      if (target && target.type !== "aws_launch_template") problems.push(`launch_template refers to ${target.address}, not an aws_launch_template`);
      else if (!target) problems.push(`launch_template ${JSON.stringify(template["id"] ?? template["name"])} is not a launch template of this stack, so its IMDS and disk settings cannot be verified`);
      if (!isSet(template["version"])) problems.push("launch_template.version is not pinned");
    }
    if (block(group.config, "remote_access")) problems.push("remote_access (SSH) is configured");
    return allOf(problems);
  },
};

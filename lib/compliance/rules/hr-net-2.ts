import { isSet } from "../private/json";
import { rulesOf } from "../private/network";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** Every security group and every rule says what it is for. */
export const HR_NET_2: ComplianceRule = {
  id: "HR-NET-2",
  severity: "low",
  title: "Every security group and security group rule has a description",
  rationale: "A rule nobody can explain is never removed; descriptions make reviews and incident response possible.",
  fix: "Set description on the group (not the default \"Managed by Terraform\") and on every ingress/egress rule.",
  appliesTo: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"],
  upstream: { checkov: ["CKV_AWS_23"], trivy: ["AVD-AWS-0099", "AVD-AWS-0124"] },
  evaluate(resource, context) {
    const problems: string[] = [];
    if (resource.type === "aws_security_group") {
      const description = resource.config["description"];
      if (!isSet(description) || description === "Managed by Terraform") problems.push("the group has no description of its own");
    }
    const rules = rulesOf(resource, context);
    if (resource.type !== "aws_security_group" && rules.length === 0) return notApplicable("no rule");
    for (const rule of rules) if (!isSet(rule.description)) problems.push(`${rule.where} has no description`);
    return allOf(problems);
  },
};

import { blocks } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Each VPC's default security group is adopted by Terraform and has no rules. */
export const HR_NET_3: ComplianceRule = {
  id: "HR-NET-3",
  severity: "medium",
  title: "Every VPC's default security group is managed (aws_default_security_group) with no rules",
  rationale: "Anything launched without a group lands in the default group, which by default lets members talk to each other and reach anywhere.",
  fix: "Add aws_default_security_group { vpc_id = <vpc id> } with no ingress or egress blocks (Terraform then removes all rules).",
  appliesTo: ["aws_vpc"],
  upstream: { checkov: ["CKV2_AWS_12"], trivy: ["AVD-AWS-0173"], cis: ["CIS AWS Foundations 1.4 5.3"] },
  evaluate(vpc, context) {
    const groups = context.referencing("aws_default_security_group", "vpc_id", vpc);
    if (groups.length === 0) return nonCompliant("no aws_default_security_group manages this VPC's default group");
    const withRules = groups.filter(
      (g) => blocks(g.config, "ingress").length > 0 || blocks(g.config, "egress").length > 0 || typeof g.config["ingress"] === "string" || typeof g.config["egress"] === "string",
    );
    return withRules.length === 0 ? compliant() : nonCompliant(`${withRules.map((g) => g.address).join(", ")} still has rules`);
  },
};

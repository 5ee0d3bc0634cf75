import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Every VPC records its traffic. */
export const HR_NET_4: ComplianceRule = {
  id: "HR-NET-4",
  severity: "medium",
  title: "Every VPC has a flow log",
  rationale: "Flow logs are the only network-level evidence after an incident (what talked to what, what was rejected).",
  fix: 'Add aws_flow_log { vpc_id = <vpc id>, traffic_type = "ALL", log_destination = <encrypted log group ARN> }.',
  appliesTo: ["aws_vpc"],
  upstream: { checkov: ["CKV2_AWS_11"], trivy: ["AVD-AWS-0178"] },
  evaluate(vpc, context) {
    return context.referencing("aws_flow_log", "vpc_id", vpc).length > 0 ? compliant() : nonCompliant("no aws_flow_log references this VPC");
  },
};

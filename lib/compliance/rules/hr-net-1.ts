import { LOAD_BALANCER_TAG } from "../conventions";
import { isLoadBalancerGroup, isWebPort, isWorldOpen, rulesOf } from "../private/network";
import { allOf, ComplianceRule } from "../rule";

/** Security groups take no ingress from the internet, except TCP 80/443 on documented load balancers. */
export const HR_NET_1: ComplianceRule = {
  id: "HR-NET-1",
  severity: "critical",
  title: "No security group ingress from 0.0.0.0/0 or ::/0, except TCP 80/443 on groups tagged as load balancers",
  rationale: "Everything but the public load balancer sits in private subnets; a world-open rule on a node, database or broker group is one routing change from exposure.",
  fix: `Restrict the source to a security group or a private CIDR; for an internet-facing load balancer allow only TCP 80/443 and tag its group ${LOAD_BALANCER_TAG.key} = ${LOAD_BALANCER_TAG.value}.`,
  appliesTo: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_default_security_group"],
  upstream: { checkov: ["CKV_AWS_24", "CKV_AWS_25"], trivy: ["AVD-AWS-0107"] },
  evaluate(resource, context) {
    const problems = rulesOf(resource, context)
      .filter((r) => r.direction === "ingress" && isWorldOpen(r))
      .filter((r) => !(isWebPort(r) && isLoadBalancerGroup(r.group)))
      .map((r) => `${r.where} allows ${r.protocol} ${r.fromPort ?? "*"}-${r.toPort ?? "*"} from ${r.cidrs.join(", ")}`);
    return allOf(problems);
  },
};

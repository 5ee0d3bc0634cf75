import { LOAD_BALANCER_TAG } from "../conventions";
import { coversWorld, describeCoverage, unverifiable } from "../private/json";
import { coverageOf, ingressOnSameGroup, isLoadBalancerGroup, isWebPort, rulesOf, SecurityRule } from "../private/network";
import { allOf, ComplianceRule } from "../rule";

/** Security groups take no ingress from the internet, except TCP 80/443 on documented load balancers. */
export const HR_NET_1: ComplianceRule = {
  id: "HR-NET-1",
  severity: "critical",
  title:
    "No security group ingress from the world (0.0.0.0/0, ::/0, or any set of CIDRs on one group covering a /8 of public IPv4 or a /32 of IPv6, e.g. 0.0.0.0/1 + 128.0.0.0/1), except TCP 80/443 on groups tagged as load balancers; source CIDRs must be literals or the VPC's own range",
  rationale:
    "Everything but the public load balancer sits in private subnets; a world-open rule on a node, database or broker group is one routing change from exposure, however the range is split or hidden behind a variable.",
  fix: `Restrict the source to a security group or a private CIDR; for an internet-facing load balancer allow only TCP 80/443 and tag its group ${LOAD_BALANCER_TAG.key} = ${LOAD_BALANCER_TAG.value}.`,
  appliesTo: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_default_security_group"],
  upstream: { checkov: ["CKV_AWS_24", "CKV_AWS_25"], trivy: ["AVD-AWS-0107"] },
  evaluate(resource, context) {
    const exempt = (r: SecurityRule) => isWebPort(r) && isLoadBalancerGroup(r.group);
    const problems: string[] = [];
    const own = rulesOf(resource, context).filter((r) => r.direction === "ingress");
    for (const r of own) {
      const coverage = coverageOf([r], context);
      for (const value of coverage.unverifiable) problems.push(unverifiable(`${r.where} source`, value));
      for (const value of coverage.invalid) problems.push(`${r.where} source ${value} is not a CIDR`);
      if (!exempt(r) && coversWorld(coverage)) problems.push(`${r.where} allows ${r.protocol} ${r.fromPort ?? "*"}-${r.toPort ?? "*"} from ${r.cidrs.join(", ")}`);
    }
    if (problems.length === 0 && own.length > 0) {
      // Each rule alone is narrow: judge the union of every rule on the same group.
      const all = ingressOnSameGroup(resource, context).filter((r) => !exempt(r));
      const union = coverageOf(all, context);
      if (coversWorld(union) && own.some((r) => !exempt(r) && r.cidrs.length > 0)) {
        problems.push(`together with the other ingress rules of its group it admits ${describeCoverage(union)} (${all.flatMap((r) => r.cidrs).join(", ")})`);
      }
    }
    return allOf(problems);
  },
};

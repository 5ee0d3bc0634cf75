/** Security-group helpers shared by the network rules. */
import { LOAD_BALANCER_TAG } from "../conventions";
import { RuleContext, SynthResource } from "../rule";
import { asNumber, blocks, isObject, JsonObject, strings, WORLD_CIDRS } from "./json";

/** One ingress or egress rule, from any of the three ways Terraform expresses them. */
export interface SecurityRule {
  /** Where the rule is written, e.g. `ingress[0]` or the rule resource's address. */
  readonly where: string;
  readonly direction: "ingress" | "egress";
  readonly cidrs: readonly string[];
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly description: unknown;
  /** The group the rule belongs to, when it is in this stack. */
  readonly group: SynthResource | undefined;
}

/** The rules a resource defines: inline blocks of a (default) security group, or the rule resource itself. */
export function rulesOf(resource: SynthResource, context: RuleContext): readonly SecurityRule[] {
  const c = resource.config;
  switch (resource.type) {
    case "aws_security_group":
    case "aws_default_security_group":
      return (["ingress", "egress"] as const).flatMap((direction) =>
        blocks(c, direction).map((b, i) => inline(b, direction, `${direction}[${i}]`, resource)),
      );
    case "aws_security_group_rule":
      return [inline(c, c["type"] === "egress" ? "egress" : "ingress", resource.address, context.resolve(c["security_group_id"]))];
    case "aws_vpc_security_group_ingress_rule":
    case "aws_vpc_security_group_egress_rule":
      return [
        {
          where: resource.address,
          direction: resource.type.endsWith("ingress_rule") ? "ingress" : "egress",
          cidrs: [...strings(c["cidr_ipv4"]), ...strings(c["cidr_ipv6"])],
          protocol: String(c["ip_protocol"] ?? "-1"),
          fromPort: asNumber(c["from_port"]),
          toPort: asNumber(c["to_port"]),
          description: c["description"],
          group: context.resolve(c["security_group_id"]),
        },
      ];
    default:
      return [];
  }
}

function inline(b: JsonObject, direction: "ingress" | "egress", where: string, group: SynthResource | undefined): SecurityRule {
  return {
    where,
    direction,
    cidrs: [...strings(b["cidr_blocks"]), ...strings(b["ipv6_cidr_blocks"])],
    protocol: String(b["protocol"] ?? "-1"),
    fromPort: asNumber(b["from_port"]),
    toPort: asNumber(b["to_port"]),
    description: b["description"],
    group,
  };
}

/** True when the rule admits traffic from anywhere. */
export function isWorldOpen(rule: SecurityRule): boolean {
  return rule.cidrs.some((c) => WORLD_CIDRS.includes(c));
}

/** True when the group carries the load-balancer tag. */
export function isLoadBalancerGroup(group: SynthResource | undefined): boolean {
  const tags = group?.config["tags"];
  return isObject(tags) && tags[LOAD_BALANCER_TAG.key] === LOAD_BALANCER_TAG.value;
}

/** True for exactly TCP 80 or TCP 443 (a single port). */
export function isWebPort(rule: SecurityRule): boolean {
  const tcp = rule.protocol === "tcp" || rule.protocol === "6";
  return tcp && rule.fromPort === rule.toPort && (rule.fromPort === 80 || rule.fromPort === 443);
}


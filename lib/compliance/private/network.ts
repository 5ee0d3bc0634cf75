/** Security-group helpers shared by the network rules. */
import { LOAD_BALANCER_TAG } from "../conventions";
import { RuleContext, SynthResource } from "../rule";
import { asNumber, blocks, cidrCoverage, CidrCoverage, coversWorld, isObject, JsonObject } from "./json";

/** One ingress or egress rule, from any of the three ways Terraform expresses them. */
export interface SecurityRule {
  /** Where the rule is written, e.g. `ingress[0]` or the rule resource's address. */
  readonly where: string;
  readonly direction: "ingress" | "egress";
  /** Source (or destination) CIDRs as written: literals or expressions. */
  readonly cidrs: readonly unknown[];
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
          cidrs: [c["cidr_ipv4"], c["cidr_ipv6"]].filter((v) => v !== undefined && v !== null),
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
    cidrs: [...list(b["cidr_blocks"]), ...list(b["ipv6_cidr_blocks"])],
    protocol: String(b["protocol"] ?? "-1"),
    fromPort: asNumber(b["from_port"]),
    toPort: asNumber(b["to_port"]),
    description: b["description"],
    group,
  };
}

/** A list attribute's entries; a whole-list expression (`${var.cidrs}`) stays one unverifiable entry. */
function list(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** How much of the internet the rule's CIDRs admit. */
export function coverageOf(rules: readonly SecurityRule[], context: RuleContext): CidrCoverage {
  return cidrCoverage(rules.flatMap((r) => r.cidrs), context.resolve);
}

/** True when the rule admits the world, or a share of it too large to be a named range (`0.0.0.0/1`). */
export function isWorldOpen(rule: SecurityRule, context: RuleContext): boolean {
  return coversWorld(coverageOf([rule], context));
}

/** The key that identifies the group a rule belongs to: the group's address, or the raw `security_group_id` value. */
function groupKey(rule: SecurityRule, resource: SynthResource): string {
  if (rule.group) return rule.group.address;
  const raw = resource.config["security_group_id"];
  return typeof raw === "string" ? raw : resource.address;
}

const RULE_TYPES = ["aws_security_group", "aws_default_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"] as const;

/**
 * Every ingress rule on the same security group as `resource`'s rules, wherever it is written
 * (inline blocks and separate rule resources), so a world range split over several rules
 * (`0.0.0.0/1` + `128.0.0.0/1`) is judged as one.
 */
export function ingressOnSameGroup(resource: SynthResource, context: RuleContext): readonly SecurityRule[] {
  const own = rulesOf(resource, context).filter((r) => r.direction === "ingress");
  const keys = new Set(own.map((r) => groupKey(r, resource)));
  if (resource.type === "aws_security_group" || resource.type === "aws_default_security_group") keys.add(resource.address);
  const index = ingressIndex(context);
  return [...keys].flatMap((k) => index.get(k) ?? []);
}

// Built once per evaluation (a context lives for one run of the pack over one stack).
const INDEXES = new WeakMap<RuleContext, ReadonlyMap<string, readonly SecurityRule[]>>();

function ingressIndex(context: RuleContext): ReadonlyMap<string, readonly SecurityRule[]> {
  const cached = INDEXES.get(context);
  if (cached) return cached;
  const index = new Map<string, SecurityRule[]>();
  for (const type of RULE_TYPES) {
    for (const other of context.resources(type)) {
      for (const r of rulesOf(other, context)) {
        if (r.direction !== "ingress") continue;
        const key = groupKey(r, other);
        const list = index.get(key);
        if (list) list.push(r);
        else index.set(key, [r]);
      }
    }
  }
  INDEXES.set(context, index);
  return index;
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


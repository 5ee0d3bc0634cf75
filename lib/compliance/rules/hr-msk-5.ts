import { path } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Brokers have no public endpoints. */
export const HR_MSK_5: ComplianceRule = {
  id: "HR-MSK-5",
  severity: "critical",
  title: "MSK brokers are private (public access disabled)",
  rationale: "Public broker endpoints put the whole event stream one credential leak away from the internet.",
  fix: 'Remove broker_node_group_info.connectivity_info.public_access or set its type to "DISABLED".',
  appliesTo: ["aws_msk_cluster"],
  upstream: { checkov: ["CKV_AWS_291"] },
  evaluate(cluster) {
    const type = path(cluster.config, "broker_node_group_info", "connectivity_info", "public_access")?.["type"];
    return type === undefined || type === "DISABLED" ? compliant() : nonCompliant(`public_access.type is ${JSON.stringify(type)}`);
  },
};

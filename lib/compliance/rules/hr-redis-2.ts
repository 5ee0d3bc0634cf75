import { isTrue } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Clients must use TLS; "preferred" mode still accepts plaintext. */
export const HR_REDIS_2: ComplianceRule = {
  id: "HR-REDIS-2",
  severity: "high",
  title: 'ElastiCache requires TLS (transit encryption on, mode not "preferred")',
  rationale: 'In "preferred" mode the server accepts plaintext connections too, so a misconfigured client silently sends data and the AUTH token in clear.',
  fix: 'Set transit_encryption_enabled = true and transit_encryption_mode = "required" (or leave the mode unset).',
  appliesTo: ["aws_elasticache_replication_group"],
  upstream: { checkov: ["CKV_AWS_30"], trivy: ["AVD-AWS-0051"] },
  evaluate(group) {
    const problems: string[] = [];
    if (!isTrue(group.config["transit_encryption_enabled"])) problems.push("transit_encryption_enabled is not true");
    const mode = group.config["transit_encryption_mode"];
    if (mode === "preferred") problems.push('transit_encryption_mode is "preferred"');
    else if (typeof mode === "string" && mode.includes("${")) problems.push(`transit_encryption_mode is ${mode}, a Terraform expression the pack cannot evaluate`);
    return allOf(problems);
  },
};

import { isExpression, isSet, strings } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Clients authenticate, and the credential is never a literal in the Terraform JSON. */
export const HR_REDIS_3: ComplianceRule = {
  id: "HR-REDIS-3",
  severity: "critical",
  title: "ElastiCache requires authentication without a literal token (RBAC user group, or auth_token from a reference)",
  rationale: "Without AUTH anyone who reaches the port reads every key; a literal token ends up in Git, plans and state in clear.",
  fix: "Set user_group_ids to an RBAC user group, or auth_token to a reference (e.g. a random_password result or a Secrets Manager value).",
  appliesTo: ["aws_elasticache_replication_group"],
  upstream: { checkov: ["CKV_AWS_31"] },
  evaluate(group) {
    const token = group.config["auth_token"];
    if (isSet(token) && !isExpression(token)) return nonCompliant("auth_token is a literal string", { fix: "Pass the token from a reference (random_password, Secrets Manager) or use an RBAC user group." });
    if (strings(group.config["user_group_ids"]).length > 0 || isSet(token)) return compliant();
    return nonCompliant("neither user_group_ids nor auth_token is set: the cache accepts unauthenticated clients");
  },
};

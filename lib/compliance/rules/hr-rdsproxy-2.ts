import { blocks } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Clients authenticate to the proxy with IAM. */
export const HR_RDSPROXY_2: ComplianceRule = {
  id: "HR-RDSPROXY-2",
  severity: "high",
  title: "RDS Proxy requires IAM authentication",
  rationale: "IAM authentication at the proxy lets pods connect with their workload role instead of a shared database password.",
  fix: 'Set default_auth_scheme = "IAM_AUTH", or iam_auth = "REQUIRED" on every auth block.',
  appliesTo: ["aws_db_proxy"],
  evaluate(proxy) {
    if (proxy.config["default_auth_scheme"] === "IAM_AUTH") return compliant();
    const auth = blocks(proxy.config, "auth");
    if (auth.length === 0) return nonCompliant("no auth block and default_auth_scheme is not IAM_AUTH");
    const weak = auth.filter((a) => a["iam_auth"] !== "REQUIRED");
    return weak.length === 0 ? compliant() : nonCompliant(`iam_auth is ${weak.map((a) => JSON.stringify(a["iam_auth"] ?? "unset")).join(", ")}, not "REQUIRED"`);
  },
};

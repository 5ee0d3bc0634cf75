import { strings } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** The five EKS control-plane log types, as the EKS API names them. */
export const EKS_LOG_TYPES: readonly string[] = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** Every control-plane log type is shipped to CloudWatch. */
export const HR_EKS_3: ComplianceRule = {
  id: "HR-EKS-3",
  severity: "medium",
  title: "EKS ships all five control-plane logs (api, audit, authenticator, controllerManager, scheduler)",
  rationale: "Without the audit and authenticator logs there is no record of who did what to the cluster; EKS enables none by default.",
  fix: `Set enabled_cluster_log_types = ${JSON.stringify(EKS_LOG_TYPES)}.`,
  appliesTo: ["aws_eks_cluster"],
  upstream: { checkov: ["CKV_AWS_37"], trivy: ["AVD-AWS-0038"] },
  evaluate(cluster) {
    const enabled = strings(cluster.config["enabled_cluster_log_types"]);
    const missing = EKS_LOG_TYPES.filter((t) => !enabled.includes(t));
    return missing.length === 0 ? compliant() : nonCompliant(`log types missing: ${missing.join(", ")}`, { value: enabled });
  },
};

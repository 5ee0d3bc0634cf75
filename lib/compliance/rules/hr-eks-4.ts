import { block, isFalse } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Cluster access goes through access entries only, and the creator gets no implicit admin. */
export const HR_EKS_4: ComplianceRule = {
  id: "HR-EKS-4",
  severity: "high",
  title: "EKS uses access entries only (authentication_mode API) with no implicit creator admin",
  rationale:
    "The aws-auth ConfigMap is unaudited and easy to break, and the implicit cluster-admin for whoever created the cluster (often a CI role) is invisible in IAM.",
  fix: 'Set access_config { authentication_mode = "API", bootstrap_cluster_creator_admin_permissions = false } and grant admins with aws_eks_access_entry.',
  appliesTo: ["aws_eks_cluster"],
  evaluate(cluster) {
    const access = block(cluster.config, "access_config");
    const problems: string[] = [];
    if (access?.["authentication_mode"] !== "API") problems.push(`authentication_mode is ${JSON.stringify(access?.["authentication_mode"] ?? "unset")}, not "API"`);
    // The provider default is true, so only an explicit false removes the implicit admin.
    if (!isFalse(access?.["bootstrap_cluster_creator_admin_permissions"])) problems.push("bootstrap_cluster_creator_admin_permissions is not false");
    return allOf(problems, { value: access });
  },
};

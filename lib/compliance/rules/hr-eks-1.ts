import { block, isFalse, isTrue, strings, WORLD_CIDRS } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** EKS API endpoint is private; a public endpoint needs an explicit, non-world CIDR allow-list. */
export const HR_EKS_1: ComplianceRule = {
  id: "HR-EKS-1",
  severity: "critical",
  title: "EKS API endpoint is private (public only with an explicit CIDR allow-list)",
  rationale:
    "A public Kubernetes API endpoint open to 0.0.0.0/0 exposes the control plane to credential stuffing and API zero-days; EKS enables it by default.",
  fix: "Set vpc_config.endpoint_private_access = true and endpoint_public_access = false (or public_access_cidrs to named operator ranges).",
  appliesTo: ["aws_eks_cluster"],
  upstream: { checkov: ["CKV_AWS_38", "CKV_AWS_39"], trivy: ["AVD-AWS-0040", "AVD-AWS-0041"] },
  evaluate(cluster) {
    const vpc = block(cluster.config, "vpc_config");
    const problems: string[] = [];
    if (!isTrue(vpc?.["endpoint_private_access"])) problems.push("endpoint_private_access is not true");
    // The provider default for endpoint_public_access is true, so only an explicit false closes it.
    if (!isFalse(vpc?.["endpoint_public_access"])) {
      const cidrs = strings(vpc?.["public_access_cidrs"]);
      if (cidrs.length === 0) problems.push("the public endpoint is enabled without public_access_cidrs (defaults to 0.0.0.0/0)");
      else if (cidrs.some((c) => WORLD_CIDRS.includes(c))) problems.push(`the public endpoint allows ${cidrs.filter((c) => WORLD_CIDRS.includes(c)).join(", ")}`);
    }
    return allOf(problems, { value: vpc });
  },
};

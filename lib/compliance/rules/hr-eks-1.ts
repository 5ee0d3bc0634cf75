import { block, booleanOf, cidrCoverage, coversWorld, describeCoverage, unverifiable } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** EKS API endpoint is private; a public endpoint needs an explicit, non-world CIDR allow-list. */
export const HR_EKS_1: ComplianceRule = {
  id: "HR-EKS-1",
  severity: "critical",
  title:
    "EKS API endpoint is private (public only with an explicit allow-list of literal CIDRs that does not cover the world or a /8 of it, e.g. not 0.0.0.0/1 + 128.0.0.0/1)",
  rationale:
    "A public Kubernetes API endpoint open to 0.0.0.0/0 exposes the control plane to credential stuffing and API zero-days; EKS enables it by default.",
  fix: "Set vpc_config.endpoint_private_access = true and endpoint_public_access = false (or public_access_cidrs to named operator ranges).",
  appliesTo: ["aws_eks_cluster"],
  upstream: { checkov: ["CKV_AWS_38", "CKV_AWS_39"], trivy: ["AVD-AWS-0040", "AVD-AWS-0041"] },
  evaluate(cluster, context) {
    const vpc = block(cluster.config, "vpc_config");
    const problems: string[] = [];
    const privateAccess = booleanOf(vpc?.["endpoint_private_access"]);
    if (privateAccess === "unknown") problems.push(unverifiable("endpoint_private_access", vpc?.["endpoint_private_access"]));
    else if (privateAccess !== true) problems.push("endpoint_private_access is not true");
    // The provider default for endpoint_public_access is true, so only an explicit false closes it.
    const publicAccess = booleanOf(vpc?.["endpoint_public_access"]);
    if (publicAccess !== false) {
      const raw = vpc?.["public_access_cidrs"];
      const values = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
      const coverage = cidrCoverage(values, context.resolve);
      if (values.length === 0) problems.push("the public endpoint is enabled without public_access_cidrs (defaults to 0.0.0.0/0)");
      for (const value of coverage.unverifiable) problems.push(unverifiable("public_access_cidrs entry", value));
      for (const value of coverage.invalid) problems.push(`public_access_cidrs entry ${value} is not a CIDR`);
      if (coversWorld(coverage)) problems.push(`the public endpoint allows ${values.join(", ")} (${describeCoverage(coverage)})`);
    }
    return allOf(problems, { value: vpc });
  },
};

import { booleanOf, unverifiable } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Instances get no public DNS name or address. */
export const HR_RDS_6: ComplianceRule = {
  id: "HR-RDS-6",
  severity: "critical",
  title: "RDS instances are not publicly accessible",
  rationale: "A public database endpoint is scanned within minutes of creation; only a security group stands between it and the internet.",
  fix: "Set publicly_accessible = false (the default) and place the instance in private subnets.",
  appliesTo: ["aws_db_instance", "aws_rds_cluster_instance"],
  upstream: { checkov: ["CKV_AWS_17"] },
  evaluate(instance) {
    const value = booleanOf(instance.config["publicly_accessible"]);
    if (value === "unknown") return nonCompliant(unverifiable("publicly_accessible", instance.config["publicly_accessible"]));
    return value === true ? nonCompliant("publicly_accessible is true") : compliant();
  },
};

import { isTrue } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Instances cannot be deleted without first turning protection off. */
export const HR_RDS_2: ComplianceRule = {
  id: "HR-RDS-2",
  severity: "high",
  title: "RDS instances have deletion protection",
  rationale: "A refactor that renames a construct id plans a destroy; deletion protection makes that apply fail instead of dropping the database.",
  fix: "Set deletion_protection = true.",
  appliesTo: ["aws_db_instance"],
  upstream: { checkov: ["CKV_AWS_293"], trivy: ["AVD-AWS-0177"] },
  evaluate(instance) {
    return isTrue(instance.config["deletion_protection"]) ? compliant() : nonCompliant("deletion_protection is not true");
  },
};

import { isTrue } from "../private/json";
import { engineOf, supportsIamAuth } from "../private/rds";
import { compliant, ComplianceRule, nonCompliant, notApplicable } from "../rule";

/** Applications connect with short-lived IAM tokens instead of long-lived passwords. */
export const HR_RDS_4: ComplianceRule = {
  id: "HR-RDS-4",
  severity: "medium",
  title: "RDS instances enable IAM database authentication (engine of replicas resolved through their source)",
  rationale: "IAM tokens expire after 15 minutes and are granted per role, so a leaked pod credential is short-lived and revocable.",
  fix: "Set iam_database_authentication_enabled = true.",
  appliesTo: ["aws_db_instance"],
  upstream: { checkov: ["CKV_AWS_161"], trivy: ["AVD-AWS-0176"] },
  evaluate(instance, context) {
    const engine = engineOf(instance, context);
    if (engine !== undefined && !supportsIamAuth(engine)) return notApplicable(`engine ${engine} does not support IAM database authentication`);
    return isTrue(instance.config["iam_database_authentication_enabled"])
      ? compliant()
      : nonCompliant(`iam_database_authentication_enabled is not true (engine ${engine ?? "unresolved"})`);
  },
};

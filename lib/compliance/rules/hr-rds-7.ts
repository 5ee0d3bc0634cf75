import { isSet, isTrue } from "../private/json";
import { isReplica } from "../private/rds";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** The master password lives in Secrets Manager, rotated by RDS, never in Terraform. */
export const HR_RDS_7: ComplianceRule = {
  id: "HR-RDS-7",
  severity: "high",
  title: "RDS primaries use a managed master password (manage_master_user_password), no password attribute",
  rationale: "A password attribute is stored in Terraform state in clear; RDS-managed passwords live in Secrets Manager and rotate.",
  fix: "Set manage_master_user_password = true (with master_user_secret_kms_key_id = <CMK ARN>) and remove password.",
  appliesTo: ["aws_db_instance"],
  evaluate(instance) {
    if (isReplica(instance)) return notApplicable("read replicas share their primary's credentials");
    const problems: string[] = [];
    if (!isTrue(instance.config["manage_master_user_password"])) problems.push("manage_master_user_password is not true");
    if (isSet(instance.config["password"])) problems.push("password is set");
    return allOf(problems);
  },
};

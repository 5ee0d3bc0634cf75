import { asNumber } from "../private/json";
import { isReplica } from "../private/rds";
import { compliant, ComplianceRule, nonCompliant, notApplicable } from "../rule";

/** Minimum automated-backup retention on primaries, in days. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

/** Primaries keep at least a week of point-in-time recovery. */
export const HR_RDS_3: ComplianceRule = {
  id: "HR-RDS-3",
  severity: "high",
  title: `RDS primaries keep automated backups for at least ${MIN_BACKUP_RETENTION_DAYS} days`,
  rationale: "Logical corruption is often found days later; a week of point-in-time recovery covers a normal detection window.",
  fix: `Set backup_retention_period >= ${MIN_BACKUP_RETENTION_DAYS} on the primary.`,
  appliesTo: ["aws_db_instance"],
  upstream: { checkov: ["CKV_AWS_133"], trivy: ["AVD-AWS-0077"] },
  evaluate(instance) {
    if (isReplica(instance)) return notApplicable("read replicas are restored from their primary's backups");
    const days = asNumber(instance.config["backup_retention_period"]);
    return days !== undefined && days >= MIN_BACKUP_RETENTION_DAYS
      ? compliant()
      : nonCompliant(`backup_retention_period is ${days ?? "unset"}`, { value: days });
  },
};

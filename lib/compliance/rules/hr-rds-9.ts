import { booleanOf, isSet, unverifiable } from "../private/json";
import { isReplica } from "../private/rds";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** Destroying a primary takes a named final snapshot first. */
export const HR_RDS_9: ComplianceRule = {
  id: "HR-RDS-9",
  severity: "high",
  title: "RDS primaries take a final snapshot (skip_final_snapshot = false with final_snapshot_identifier)",
  rationale: "Without a final snapshot a destroy (or a replacement) deletes the data with no way back once automated backups expire.",
  fix: "Set skip_final_snapshot = false and final_snapshot_identifier = <name>.",
  appliesTo: ["aws_db_instance"],
  evaluate(instance) {
    if (isReplica(instance)) return notApplicable("read replicas do not take final snapshots");
    const problems: string[] = [];
    const skip = booleanOf(instance.config["skip_final_snapshot"]);
    if (skip === "unknown") problems.push(unverifiable("skip_final_snapshot", instance.config["skip_final_snapshot"]));
    else if (skip === true) problems.push("skip_final_snapshot is true");
    if (!isSet(instance.config["final_snapshot_identifier"])) problems.push("final_snapshot_identifier is not set");
    return allOf(problems);
  },
};

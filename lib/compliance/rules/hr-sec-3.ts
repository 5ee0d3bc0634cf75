import { asNumber, isSet } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Most days a rotated secret keeps one value (the rotation's schedule). */
export const MAX_ROTATION_DAYS = 90;

/** Rotation schedules are short and start with a rotation. */
export const HR_SEC_3: ComplianceRule = {
  id: "HR-SEC-3",
  severity: "medium",
  title: `Secret rotations run at least every ${MAX_ROTATION_DAYS} days (rotation_rules) and rotate at creation (rotate_immediately not false)`,
  rationale: "A rotation that never runs, or runs yearly, leaves a leaked password valid for that long; without a first rotation the value Terraform wrote (and may keep in state) stays in use until the schedule comes round.",
  fix: `Set rotation_rules.automatically_after_days (1-${MAX_ROTATION_DAYS}) and leave rotate_immediately at its default (true).`,
  appliesTo: ["aws_secretsmanager_secret_rotation"],
  upstream: { checkov: ["CKV2_AWS_57"] },
  evaluate(rotation) {
    const rules = (rotation.config["rotation_rules"] ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    const days = asNumber(rules["automatically_after_days"]);
    if (days === undefined && !isSet(rules["schedule_expression"])) problems.push("rotation_rules has neither automatically_after_days nor schedule_expression");
    if (days !== undefined && (days < 1 || days > MAX_ROTATION_DAYS)) problems.push(`rotation_rules.automatically_after_days is ${days}, more than ${MAX_ROTATION_DAYS}`);
    if (rotation.config["rotate_immediately"] === false || rotation.config["rotate_immediately"] === "false") problems.push("rotate_immediately is false: the first value serves until the schedule comes round");
    return allOf(problems);
  },
};

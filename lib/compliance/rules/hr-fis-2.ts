import { parsePolicy } from "../private/policy";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** Service principals that act on a customer's behalf across accounts and must be pinned to this one. */
const DEPUTIES = ["fis.amazonaws.com", "scheduler.amazonaws.com", "ssm.amazonaws.com"];

/** Roles that FIS, EventBridge Scheduler or SSM Automation assume are confused-deputy protected. */
export const HR_FIS_2: ComplianceRule = {
  id: "HR-FIS-2",
  severity: "high",
  title: "Roles trusted by FIS, EventBridge Scheduler or SSM Automation require aws:SourceAccount",
  rationale:
    "These services assume roles for any account's experiments, schedules or automations; without aws:SourceAccount (or aws:SourceArn) another account's resource could drive this role (the confused deputy).",
  fix: 'Add Condition { StringEquals: { "aws:SourceAccount": "<this account>" } } to the trust statement (and aws:SourceArn where the resource ARN is known).',
  appliesTo: ["aws_iam_role"],
  evaluate(role, context) {
    const parsed = parsePolicy(role.config["assume_role_policy"], context);
    if ("error" in parsed) return notApplicable(parsed.error);
    const problems: string[] = [];
    let trusted = false;
    for (const s of parsed.statements) {
      if (s.effect !== "Allow") continue;
      const services = (s.principals["Service"] ?? []).filter((p) => DEPUTIES.includes(p));
      if (services.length === 0) continue;
      trusted = true;
      const pinned = s.conditions.some((c) => ["aws:SourceAccount", "aws:SourceArn"].includes(c.variable) && c.values.length > 0);
      if (!pinned) problems.push(`trust for ${services.join(", ")} has no aws:SourceAccount or aws:SourceArn condition`);
    }
    if (!trusted) return notApplicable("not trusted by FIS, Scheduler or SSM");
    return allOf(problems);
  },
};

import { checkAllowStatements } from "../private/iam";
import { actionMatches, IDENTITY_POLICY_TYPES } from "../private/policy";
import { ComplianceRule } from "../rule";

/** iam:PassRole is scoped to named roles. */
export const HR_IAM_3: ComplianceRule = {
  id: "HR-IAM-3",
  severity: "high",
  title: 'IAM identity policies never allow iam:PassRole on Resource "*"',
  rationale: "PassRole on * lets the holder hand any role (including admin roles) to a service it controls: a classic privilege escalation.",
  fix: "Scope iam:PassRole to the ARNs of the roles that must be passed, ideally with an iam:PassedToService condition.",
  appliesTo: IDENTITY_POLICY_TYPES,
  upstream: { trivy: ["AVD-AWS-0342"] },
  evaluate(resource, context) {
    return checkAllowStatements(resource, context, (s) =>
      s.resources.includes("*") && s.actions.some((a) => actionMatches(a, "iam:PassRole")) ? 'allows iam:PassRole on Resource "*"' : undefined,
    );
  },
};

import { checkAllowStatements } from "../private/iam";
import { IDENTITY_POLICY_TYPES } from "../private/policy";
import { ComplianceRule } from "../rule";

/** No statement grants every action on every resource. */
export const HR_IAM_2: ComplianceRule = {
  id: "HR-IAM-2",
  severity: "critical",
  title: 'IAM identity policies contain no administrator statement (Action "*" on Resource "*")',
  rationale: "An admin statement on a workload or node role turns any compromise of that workload into a compromise of the account.",
  fix: "Remove the statement; grant the specific actions on the specific ARNs the workload needs.",
  appliesTo: IDENTITY_POLICY_TYPES,
  upstream: { checkov: ["CKV_AWS_62", "CKV_AWS_1"], trivy: ["AVD-AWS-0057"], cis: ["CIS AWS Foundations 1.4 1.16"] },
  evaluate(resource, context) {
    return checkAllowStatements(resource, context, (s) =>
      s.actions.includes("*") && s.resources.includes("*") ? 'allows Action "*" on Resource "*"' : undefined,
    );
  },
};

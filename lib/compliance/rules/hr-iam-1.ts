import { checkAllowStatements } from "../private/iam";
import { IDENTITY_POLICY_TYPES } from "../private/policy";
import { ComplianceRule } from "../rule";

/** Allow statements name actions: no `*`, no whole-service `svc:*`, no NotAction. */
export const HR_IAM_1: ComplianceRule = {
  id: "HR-IAM-1",
  severity: "high",
  title: 'IAM identity policies allow no wildcard actions ("*", "service:*") and no NotAction',
  rationale: "Whole-service wildcards grant actions that do not exist yet and are the usual path to privilege escalation.",
  fix: "List the actions the workload calls (e.g. s3:GetObject, s3:ListBucket) instead of a wildcard.",
  appliesTo: IDENTITY_POLICY_TYPES,
  upstream: { checkov: ["CKV_AWS_63", "CKV_AWS_49"], trivy: ["AVD-AWS-0057"] },
  evaluate(resource, context) {
    return checkAllowStatements(resource, context, (s) => {
      const wild = s.actions.filter((a) => a === "*" || /^[A-Za-z0-9-]+:\*$/.test(a));
      if (wild.length > 0) return `allows ${wild.join(", ")}`;
      if (s.notActions.length > 0) return "uses NotAction in an Allow statement";
      return undefined;
    });
  },
};

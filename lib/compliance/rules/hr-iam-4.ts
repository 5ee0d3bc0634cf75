import { isOpenPrincipal, parsePolicy } from "../private/policy";
import { allOf, ComplianceRule, nonCompliant } from "../rule";

/** Where each type keeps its resource or trust policy. */
const POLICY_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_iam_role: "assume_role_policy",
  aws_s3_bucket_policy: "policy",
  aws_kms_key: "policy",
};

/** Trust and resource policies never allow anyone (`*`) without a condition. */
export const HR_IAM_4: ComplianceRule = {
  id: "HR-IAM-4",
  severity: "critical",
  title: "Trust and resource policies never allow Principal \"*\" without a condition",
  rationale: "An open trust policy lets any AWS account assume the role; an open bucket or key policy shares the data with the world.",
  fix: "Name the principals (account, role, service or federated OIDC provider), or add conditions (aws:SourceAccount, aws:PrincipalOrgID, OIDC sub/aud).",
  appliesTo: Object.keys(POLICY_ATTRIBUTE),
  upstream: { checkov: ["CKV_AWS_60", "CKV_AWS_70", "CKV_AWS_33"] },
  evaluate(resource, context) {
    const attribute = POLICY_ATTRIBUTE[resource.type]!;
    const value = resource.config[attribute];
    if (value === undefined) return allOf([]);
    const parsed = parsePolicy(value, context);
    if ("error" in parsed) return nonCompliant(`${attribute}: ${parsed.error}`, { fix: "Write the policy with JSON.stringify or an aws_iam_policy_document." });
    const open = parsed.statements
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.effect === "Allow" && isOpenPrincipal(s) && s.conditions.length === 0)
      .map(({ i }) => `${attribute} statement ${i} allows Principal "*" without a condition`);
    return allOf(open);
  },
};

import { actionMatches, parsePolicy, Statement } from "../private/policy";
import { allOf, ComplianceRule, nonCompliant } from "../rule";

const POSITIVE_TEST = /^(ForAnyValue:)?(StringEquals|StringLike)$/;

function pinsSubject(s: Statement): boolean {
  return s.conditions.some(
    (c) =>
      /:sub$/.test(c.variable) &&
      POSITIVE_TEST.test(c.test) &&
      c.values.length > 0 &&
      // `system:serviceaccount:*` or `*` admits every service account of the cluster.
      c.values.every((v) => !/^\*?$/.test(v) && !/^system:serviceaccount:\*/.test(v) && !/^repo:\*/.test(v)),
  );
}

/** Web-identity (IRSA, GitHub OIDC) trusts pin the subject, not only the audience. */
export const HR_IAM_6: ComplianceRule = {
  id: "HR-IAM-6",
  severity: "critical",
  title: "Federated (OIDC) trusts that allow sts:AssumeRoleWithWebIdentity pin the token subject (a StringEquals/StringLike condition on <provider>:sub), not only aud",
  rationale:
    "The audience of an EKS service-account token is the same (sts.amazonaws.com) for every pod of the cluster; a trust with only an aud condition lets any service account in any namespace assume the role.",
  fix: 'Add StringEquals { "<oidc provider>:sub" = "system:serviceaccount:<namespace>:<service account>" } (or use EKS Pod Identity, whose trust pins namespace and service account with session tags).',
  appliesTo: ["aws_iam_role"],
  evaluate(role, context) {
    const value = role.config["assume_role_policy"];
    if (value === undefined) return allOf([]);
    const parsed = parsePolicy(value, context);
    if ("error" in parsed) return nonCompliant(`assume_role_policy: ${parsed.error}`);
    const problems = parsed.statements
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.effect === "Allow" && (s.principals["Federated"]?.length ?? 0) > 0)
      .filter(({ s }) => s.actions.some((a) => actionMatches(a, "sts:AssumeRoleWithWebIdentity")))
      .filter(({ s }) => !pinsSubject(s))
      .map(({ s, i }) => `assume_role_policy statement ${i} trusts ${s.principals["Federated"]!.join(", ")} without a condition on the token subject (:sub)`);
    return allOf(problems);
  },
};

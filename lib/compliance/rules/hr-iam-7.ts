import { parsePolicy } from "../private/policy";
import { isScopedByCondition } from "../private/policy";
import { allOf, ComplianceRule, nonCompliant } from "../rule";

/**
 * Service principals whose role trust is not a cross-service confused-deputy case, with the
 * reason: the service does not act on a caller-chosen resource of another account.
 */
export const SOURCE_ACCOUNT_EXEMPT_SERVICES: Readonly<Record<string, string>> = {
  ec2: "instance roles reach EC2 only through an instance profile, which needs iam:PassRole in this account; EC2 documents no aws:SourceAccount for it",
};

function serviceName(principal: string): string {
  return principal.replace(/\.amazonaws\.com(\.cn)?$/, "").replace(/\.\$\{[^}]*\}$/, "");
}

/** Service-role trusts say which account's resources may make the service assume the role. */
export const HR_IAM_7: ComplianceRule = {
  id: "HR-IAM-7",
  severity: "high",
  title:
    "Roles trusted by an AWS service carry aws:SourceAccount or aws:SourceArn (cross-service confused deputy prevention); EC2 instance roles are the documented exception",
  rationale:
    "Without aws:SourceAccount or aws:SourceArn, a resource in another account that knows the role's ARN can ask the same service to act with this role (the confused deputy); EKS, RDS, VPC Flow Logs and EKS Pod Identity all accept the keys.",
  fix: 'Add Condition { StringEquals = { "aws:SourceAccount" = <account id> } } (and ArnLike aws:SourceArn = <calling resource ARN> when it is known), e.g. serviceTrustPolicy(principals, actions, { sourceAccount, sourceArn }).',
  appliesTo: ["aws_iam_role"],
  evaluate(role, context) {
    const value = role.config["assume_role_policy"];
    if (value === undefined) return allOf([]);
    const parsed = parsePolicy(value, context);
    if ("error" in parsed) return nonCompliant(`assume_role_policy: ${parsed.error}`);
    const problems: string[] = [];
    parsed.statements.forEach((s, i) => {
      if (s.effect !== "Allow") return;
      const services = (s.principals["Service"] ?? []).filter((p) => !(serviceName(p) in SOURCE_ACCOUNT_EXEMPT_SERVICES));
      if (services.length === 0) return;
      if (!isScopedByCondition(s)) problems.push(`assume_role_policy statement ${i} trusts ${services.join(", ")} without aws:SourceAccount or aws:SourceArn`);
    });
    return allOf(problems);
  },
};

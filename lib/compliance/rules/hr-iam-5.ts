import { isExpression, isSet, maskPartition, unverifiable } from "../private/json";
import { allOf, ComplianceRule, RuleContext } from "../rule";

/** AWS managed policies that grant administration of the account, IAM, or whole services. */
export function isBroadManagedPolicy(name: string): boolean {
  return /^(AdministratorAccess(-.*)?|PowerUserAccess|IAMFullAccess|.*FullAccess.*|job-function\/(SystemAdministrator|NetworkAdministrator|DatabaseAdministrator|DataScientist)|ReadOnlyAccess)$/.test(name);
}

/** Where each type lists the policy ARNs it attaches. */
const ARN_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_role_policy_attachment: "policy_arn",
  aws_iam_policy_attachment: "policy_arn",
  aws_iam_user_policy_attachment: "policy_arn",
  aws_iam_group_policy_attachment: "policy_arn",
  aws_iam_role: "managed_policy_arns",
  aws_iam_role_policy_attachments_exclusive: "policy_arns",
  aws_iam_user_policy_attachments_exclusive: "policy_arns",
  aws_iam_group_policy_attachments_exclusive: "policy_arns",
  aws_ssoadmin_managed_policy_attachment: "managed_policy_arn",
};

function problemOf(arn: unknown, context: RuleContext): string | undefined {
  if (!isSet(arn)) return undefined;
  const target = isExpression(arn) ? context.resolve(arn) : undefined;
  // A policy of this stack is read by the other IAM rules; a data lookup is checked by its name.
  if (target?.kind === "resource" && target.type === "aws_iam_policy") return undefined;
  if (target?.kind === "data" && target.type === "aws_iam_policy") {
    const named = target.config["arn"] ?? target.config["name"];
    if (typeof named === "string" && !isExpression(named)) return problemOf(named.includes(":") ? named : `arn:aws:iam::aws:policy/${named}`, context);
    return unverifiable(`the looked-up policy ${target.address}`, named);
  }
  const literal = maskPartition(arn);
  if (isExpression(literal)) return unverifiable("the policy ARN", arn);
  const managed = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(literal);
  if (!managed) return `${literal} is a customer-managed policy outside this stack, which the pack cannot read (define it as an aws_iam_policy here, or suppress with a reason)`;
  const name = managed[1]!.replace(/^service-role\//, "");
  return isBroadManagedPolicy(name) ? `attaches the AWS managed policy ${managed[1]}` : undefined;
}

/** No principal gets an AWS managed administrator or full-access policy. */
export const HR_IAM_5: ComplianceRule = {
  id: "HR-IAM-5",
  severity: "critical",
  title:
    "No AdministratorAccess, PowerUserAccess, IAMFullAccess, *FullAccess, ReadOnlyAccess or administrator job-function managed policy is attached (role/user/group attachments, managed_policy_arns, exclusive attachments); attached policies must be readable",
  rationale:
    "Managed policies never appear in the policy documents the other IAM rules read; one attachment of AdministratorAccess or a *FullAccess policy gives a workload role the whole account or a whole service.",
  fix: "Attach a least-privilege aws_iam_policy (or an inline role policy) written in this stack instead; narrow AWS managed policies such as AmazonEKSWorkerNodePolicy are fine.",
  appliesTo: Object.keys(ARN_ATTRIBUTES),
  upstream: { checkov: ["CKV_AWS_274"] },
  evaluate(resource, context) {
    const raw = resource.config[ARN_ATTRIBUTES[resource.type]!];
    if (raw === undefined || raw === null) return allOf([]);
    const list = ARN_ATTRIBUTES[resource.type]!.endsWith("arns");
    if (list && !Array.isArray(raw)) return allOf([unverifiable(ARN_ATTRIBUTES[resource.type]!, raw)]);
    const arns = Array.isArray(raw) ? raw : [raw];
    return allOf(arns.map((arn) => problemOf(arn, context)).filter((p): p is string => p !== undefined));
  },
};

import { isObject, isSet } from "../private/json";
import { isOpenPrincipal, isScopedByCondition, parsePolicy, SCOPING_CONDITION_KEYS } from "../private/policy";
import { allOf, ComplianceRule, nonCompliant } from "../rule";

/** Where each type keeps its resource or trust policy (every type that stores one in a separate attribute or resource). */
export const RESOURCE_POLICY_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_iam_role: "assume_role_policy",
  aws_s3_bucket_policy: "policy",
  aws_s3_access_point: "policy",
  aws_s3control_access_point_policy: "policy",
  aws_kms_key: "policy",
  aws_kms_key_policy: "policy",
  aws_secretsmanager_secret: "policy",
  aws_secretsmanager_secret_policy: "policy",
  aws_sqs_queue: "policy",
  aws_sqs_queue_policy: "policy",
  aws_sns_topic: "policy",
  aws_sns_topic_policy: "policy",
  aws_ecr_repository_policy: "policy",
  aws_ecr_registry_policy: "policy",
  aws_efs_file_system_policy: "policy",
  aws_backup_vault_policy: "policy",
  aws_glacier_vault: "access_policy",
  aws_cloudwatch_log_resource_policy: "policy_document",
  aws_cloudwatch_event_bus_policy: "policy",
  aws_opensearch_domain: "access_policies",
  aws_opensearch_domain_policy: "access_policies",
  aws_elasticsearch_domain_policy: "access_policies",
  aws_api_gateway_rest_api_policy: "policy",
  aws_msk_cluster_policy: "policy",
  aws_lambda_permission: "principal",
};

/** Trust and resource policies never allow anyone (`*`) unless a condition pins who may call. */
export const HR_IAM_4: ComplianceRule = {
  id: "HR-IAM-4",
  severity: "critical",
  title:
    'Trust and resource policies (roles, buckets, keys, secrets, queues, topics, repositories..., also as separate *_policy resources) never allow Principal "*" or NotPrincipal unless a condition pins the caller (aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceVpc(e), kms:CallerAccount)',
  rationale:
    "An open trust policy lets any AWS account assume the role; an open bucket, key or secret policy shares the data with the world. A condition such as aws:SecureTransport says how a request arrives, not who sends it, so it scopes nothing.",
  fix: `Name the principals (account, role, service or federated OIDC provider), or add a StringEquals/ArnLike condition on one of ${SCOPING_CONDITION_KEYS.join(", ")}.`,
  appliesTo: Object.keys(RESOURCE_POLICY_ATTRIBUTE),
  upstream: { checkov: ["CKV_AWS_60", "CKV_AWS_70", "CKV_AWS_33"] },
  evaluate(resource, context) {
    const attribute = RESOURCE_POLICY_ATTRIBUTE[resource.type]!;
    const value = resource.config[attribute];
    if (resource.type === "aws_lambda_permission") {
      if (value !== "*") return allOf([]);
      const scoped = ["source_account", "source_arn", "principal_org_id"].some((k) => isSet(resource.config[k]));
      return scoped ? allOf([]) : nonCompliant('principal is "*" without source_account, source_arn or principal_org_id');
    }
    if (value === undefined || value === null) return allOf([]);
    const parsed = parsePolicy(isObject(value) ? JSON.stringify(value) : value, context);
    if ("error" in parsed) return nonCompliant(`${attribute}: ${parsed.error}`, { fix: "Write the policy with JSON.stringify or an aws_iam_policy_document." });
    const hidden = parsed.hidden.length > 0 ? [`${attribute} interpolates ${parsed.hidden.join(", ")}, which the pack cannot evaluate (a principal could be "*")`] : [];
    const open = parsed.statements
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.effect === "Allow" && isOpenPrincipal(s) && !isScopedByCondition(s))
      .map(({ s, i }) =>
        s.conditions.length === 0
          ? `${attribute} statement ${i} allows ${s.notPrincipal ? "NotPrincipal (everyone else)" : 'Principal "*"'} without a condition`
          : `${attribute} statement ${i} allows ${s.notPrincipal ? "NotPrincipal (everyone else)" : 'Principal "*"'} with conditions on ${s.conditions.map((c) => `${c.test} ${c.variable}`).join(", ")}, none of which pins the caller`,
      );
    return allOf([...hidden, ...open]);
  },
};

import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IKmsKey } from "../../security/kms-key";
import { policyDocument, serviceTrustPolicy } from "../../security/policy";
import { AwsContext } from "../../security/private/aws-context";

/** The enhanced-monitoring role: RDS publishes OS metrics with the AWS managed policy. */
export function monitoringRole(scope: Construct, name: string, ctx: AwsContext, tags: Record<string, string> | undefined): IamRole {
  const role = new IamRole(scope, "MonitoringRole", {
    name: `${name}-monitoring`,
    description: `Enhanced monitoring of ${name}`,
    // Only this account's instances named `<name>*` (the primary and its replicas) may use the role.
    assumeRolePolicy: serviceTrustPolicy(["monitoring.rds.amazonaws.com"], ["sts:AssumeRole"], {
      sourceAccount: ctx.accountId,
      sourceArn: `arn:${ctx.partition}:rds:${ctx.region}:${ctx.accountId}:db:${name}*`,
    }),
    tags,
  });
  new IamRolePolicyAttachment(scope, "MonitoringRolePolicy", {
    role: role.name,
    policyArn: `arn:${ctx.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
  });
  return role;
}

/**
 * The role RDS Proxy assumes: it may read only the given secrets, and decrypt with the key
 * only through Secrets Manager in this region.
 */
export function proxyRole(
  scope: Construct,
  name: string,
  ctx: AwsContext,
  secretArns: readonly string[],
  kmsKey: IKmsKey,
  tags: Record<string, string> | undefined,
): IamRole {
  const role = new IamRole(scope, "ProxyRole", {
    name: `${name}-proxy`,
    description: `RDS Proxy of ${name}: reads the database secrets`,
    // The proxy's ARN holds an id RDS assigns (prx-...), so only the account can be pinned up front.
    assumeRolePolicy: serviceTrustPolicy(["rds.amazonaws.com"], ["sts:AssumeRole"], { sourceAccount: ctx.accountId }),
    tags,
  });
  new IamRolePolicy(scope, "ProxyRolePolicy", {
    role: role.name,
    name: "read-database-secrets",
    policy: policyDocument([
      { sid: "ReadDatabaseSecrets", actions: ["secretsmanager:GetSecretValue"], resources: secretArns },
      {
        sid: "DecryptSecretsViaSecretsManager",
        actions: ["kms:Decrypt"],
        resources: [kmsKey.keyArn],
        conditions: { StringEquals: { "kms:ViaService": `secretsmanager.${ctx.region}.${ctx.dnsSuffix}` } },
      },
    ]),
  });
  return role;
}

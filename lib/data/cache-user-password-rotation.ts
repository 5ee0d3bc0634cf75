import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AssetType, Fn, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Compliance } from "../compliance/compliance";
import { Problems } from "../core/validation";
import { Peer, Port, SecurityGroup } from "../network/connections";
import { EncryptedLogGroup } from "../security/encrypted-log-group";
import { IKmsKey } from "../security/kms-key";
import { IGrantable, policyDocument, PolicyStatement, serviceTrustPolicy } from "../security/policy";
import { awsContext } from "../security/private/aws-context";
import { RedisCluster } from "./redis-cluster";
import { ROTATION_HANDLER_JS } from "./private/rotation-handler";
import { storedZip } from "./private/zip";

/** Lambda runtime of the rotation function: Node.js 22 bundles the AWS SDK v3 clients it uses. */
export const ROTATION_RUNTIME = "nodejs22.x";

/** Props of {@link CacheUserPasswordRotation}. */
export interface CacheUserPasswordRotationProps {
  /** The cache holding the user (its `passwordUsers`). */
  readonly cache: RedisCluster;
  /** One of the cache's `passwordUsers`. */
  readonly userName: string;
  /** VPC of the cache; the function runs in it to test the new password against the cache over TLS. */
  readonly vpcId: string;
  /** Private subnets (with a NAT route or VPC endpoints for Secrets Manager and ElastiCache). */
  readonly subnetIds: readonly string[];
  /** Customer-managed key: encrypts the secret, the function's environment and its log group (must admit CloudWatch Logs). */
  readonly kmsKey: IKmsKey;
  /** Prefix of the names (secret `<prefix>/cache/<user>`, function `<prefix>-cache-pw-<user>`). */
  readonly namePrefix: string;
  /**
   * Days between rotations. A pod reads the password at start and keeps it: it stays valid for one more
   * rotation (two passwords per user), so pods must be replaced within two periods (a rollout, or the HPA's churn).
   * @default 30
   */
  readonly rotationDays?: number;
  /**
   * Retention of the function's log group, days.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The password of an ElastiCache password user, owned by Secrets Manager and rotated by a small
 * Lambda function written for it (lib/data/private/rotation-handler.ts): a KMS-encrypted secret, the
 * function in the VPC with least-privilege IAM (this secret, this user, this key, its own log group),
 * an encrypted log group, the invoke permission for Secrets Manager (this secret only) and the rotation
 * schedule, which rotates once at creation so the bootstrap password of the user never serves a client.
 *
 * The password never appears in the synthesized JSON nor in Terraform state: the first secret version
 * is written write-only (`secret_string_wo`) and holds only the user's name and ARN; every later version
 * is created by the function inside AWS. ElastiCache IAM auth tokens would avoid the password, but
 * they expire after 15 minutes and must be signed by the client, which LMCache's Redis connector does not do.
 *
 * @example
 * const rotation = new CacheUserPasswordRotation(this, "KvCacheCredential", {
 *   cache, userName: "headroom-prod-kv", vpcId, subnetIds, kmsKey: dataKey, namePrefix: "headroom-prod",
 * });
 * rotation.grantRead(inferenceIdentity);
 */
export class CacheUserPasswordRotation extends Construct {
  /** The secret (JSON: username, password, user_arn). */
  public readonly secret: SecretsmanagerSecret;
  public readonly secretArn: string;
  /** The rotation function. */
  public readonly resource: LambdaFunction;
  /** The function's security group (egress: HTTPS for the AWS APIs, the cache port). */
  public readonly securityGroup: SecurityGroup;
  public readonly userName: string;
  private readonly kmsKey: IKmsKey;

  public constructor(scope: Construct, id: string, props: CacheUserPasswordRotationProps) {
    super(scope, id);
    const rotationDays = props.rotationDays ?? 30;
    const problems = new Problems(`CacheUserPasswordRotation '${this.node.path}'`);
    problems.checkNumber("ROTATION_DAYS", "rotationDays", rotationDays, { min: 1, max: 365, integer: true });
    if (props.subnetIds.length === 0) problems.add("ROTATION_SUBNETS", "subnetIds", props.subnetIds, "at least one private subnet");
    problems.throwIfAny();
    const user = props.cache.passwordUser(props.userName);
    this.userName = user.userName;
    this.kmsKey = props.kmsKey;
    const ctx = awsContext(this);
    const tags = props.tags ? { ...props.tags } : undefined;
    const functionName = `${props.namePrefix}-cache-pw-${props.userName}`.slice(0, 64);

    this.secret = new SecretsmanagerSecret(this, "Secret", {
      name: `${props.namePrefix}/cache/${props.userName}`,
      description: `Password of the ElastiCache user ${props.userName} (rotated every ${rotationDays} days by ${functionName})`,
      kmsKeyId: props.kmsKey.keyArn,
      recoveryWindowInDays: 7,
      tags,
    });
    this.secretArn = this.secret.arn;
    // The bootstrap version: who the secret belongs to, no usable password (the first rotation makes one).
    const bootstrap = new SecretsmanagerSecretVersion(this, "Bootstrap", {
      secretId: this.secret.id,
      secretStringWo: Fn.jsonencode({ username: user.userName, user_arn: user.arn, bootstrap: true }),
      secretStringWoVersion: 1,
    });

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      vpcId: props.vpcId,
      name: `${functionName}-sg`,
      description: `Rotation function of the cache user ${props.userName}`,
      tags: props.tags,
    });
    // Secrets Manager and ElastiCache APIs (through the NAT gateway or interface endpoints).
    this.securityGroup.addEgressRule(Peer.ipv4("0.0.0.0/0", "aws-apis"), Port.tcp(443), "Secrets Manager and ElastiCache APIs");
    props.cache.connections.allowFrom(this.securityGroup, Port.tcp(props.cache.port), `rotation of ${props.userName} tests the new password`);

    const logGroup = new EncryptedLogGroup(this, "Logs", {
      name: `/aws/lambda/${functionName}`,
      kmsKey: props.kmsKey,
      retentionDays: props.logRetentionDays ?? 90,
      tags: props.tags,
    });

    const role = new IamRole(this, "Role", {
      name: `${functionName}-role`,
      assumeRolePolicy: serviceTrustPolicy(["lambda.amazonaws.com"], ["sts:AssumeRole"], {
        sourceAccount: ctx.accountId,
        sourceArn: `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.accountId}:function:${functionName}`,
      }),
      tags,
    });
    const statements: PolicyStatement[] = [
      { sid: "RotateThisSecret", actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"], resources: [this.secret.arn] },
      // GetRandomPassword has no resource type (Service Authorization Reference): "*" is the only form.
      { sid: "GeneratePassword", actions: ["secretsmanager:GetRandomPassword"], resources: ["*"] },
      { sid: "SetThisUsersPassword", actions: ["elasticache:ModifyUser", "elasticache:DescribeUsers"], resources: [user.arn] },
      {
        sid: "SecretKey",
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [props.kmsKey.keyArn],
        conditions: { StringEquals: { "kms:ViaService": `secretsmanager.${ctx.region}.amazonaws.com` } },
      },
      { sid: "EnvironmentKey", actions: ["kms:Decrypt"], resources: [props.kmsKey.keyArn], conditions: { StringEquals: { "kms:ViaService": `lambda.${ctx.region}.amazonaws.com` } } },
      { sid: "OwnLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logGroup.logGroupArn}:*`] },
      // What a VPC function needs for its network interfaces (the actions of AWSLambdaVPCAccessExecutionRole,
      // which grants them on "*" too: the Describe calls have no resource type, and the interfaces do not exist yet).
      { sid: "VpcNetworkInterfaces", actions: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], resources: ["*"] },
    ];
    const policy = new IamRolePolicy(this, "Policy", { role: role.name, name: "rotation", policy: policyDocument(statements) });

    const code = storedZip({ "index.js": ROTATION_HANDLER_JS });
    const digest = createHash("sha256").update(code).digest();
    const dir = join(tmpdir(), "headroom-assets", digest.toString("hex").slice(0, 16));
    mkdirSync(dir, { recursive: true });
    const zipPath = join(dir, "rotation.zip");
    writeFileSync(zipPath, code);
    const asset = new TerraformAsset(this, "Code", { path: zipPath, type: AssetType.FILE, assetHash: digest.toString("hex") });
    Compliance.suppress(asset, "HR-TF-2", "the asset is the rotation function's code only (index.js of ROTATION_HANDLER_JS, stored, no Terraform content); its SHA-256 is the function's source_code_hash");

    this.resource = new LambdaFunction(this, "Resource", {
      functionName,
      description: `Rotates the password of the ElastiCache user ${props.userName} (secret ${props.namePrefix}/cache/${props.userName})`,
      role: role.arn,
      runtime: ROTATION_RUNTIME,
      handler: "index.handler",
      filename: asset.path,
      sourceCodeHash: digest.toString("base64"),
      architectures: ["arm64"],
      memorySize: 256,
      timeout: 60,
      // Secrets Manager calls one step at a time; two leave room for a retry beside a running step.
      reservedConcurrentExecutions: 2,
      kmsKeyArn: props.kmsKey.keyArn,
      environment: {
        variables: { SECRET_ARN: this.secret.arn, USER_ID: user.userId, CACHE_HOST: props.cache.configurationEndpointAddress, CACHE_PORT: String(props.cache.port) },
      },
      vpcConfig: { subnetIds: [...props.subnetIds], securityGroupIds: [this.securityGroup.securityGroupId] },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.logGroupName },
      tracingConfig: { mode: "Active" },
      tags,
      dependsOn: [policy, logGroup.resource],
    });

    const permission = new LambdaPermission(this, "InvokeBySecretsManager", {
      functionName: this.resource.functionName,
      action: "lambda:InvokeFunction",
      principal: "secretsmanager.amazonaws.com",
      sourceArn: this.secret.arn,
      sourceAccount: ctx.accountId,
    });
    new SecretsmanagerSecretRotation(this, "Rotation", {
      secretId: this.secret.id,
      rotationLambdaArn: this.resource.arn,
      rotationRules: { automaticallyAfterDays: rotationDays },
      // Rotate at creation: the bootstrap password Terraform gave the user is replaced before any client reads the secret.
      rotateImmediately: true,
      dependsOn: [permission, bootstrap],
    });
  }

  /** Lets `grantee` read the current password (GetSecretValue on this secret, Decrypt through Secrets Manager only). */
  public grantRead(grantee: IGrantable): void {
    const ctx = awsContext(this);
    grantee.addToPrincipalPolicy({ actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], resources: [this.secret.arn] });
    grantee.addToPrincipalPolicy({
      actions: ["kms:Decrypt"],
      resources: [this.kmsKey.keyArn],
      conditions: { StringEquals: { "kms:ViaService": `secretsmanager.${ctx.region}.amazonaws.com` } },
    });
  }
}

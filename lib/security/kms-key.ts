import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as AwsKmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { pinAddress } from "../core/stable-address";
import { Problems } from "../core/validation";
import { IGrantable, PolicyStatement } from "./policy";
import { awsContext } from "./private/aws-context";

/** A customer-managed KMS key that other constructs encrypt with. An existing key can be passed as `{ keyArn, keyId }`. */
export interface IKmsKey {
  /** ARN of the key (a Terraform token when created in the same or another stack). */
  readonly keyArn: string;
  /** Key id. */
  readonly keyId: string;
}

/** Properties of {@link KmsKey}. */
export interface KmsKeyProps {
  /** Alias name without the `alias/` prefix, e.g. `headroom-prod-data`. */
  readonly alias: string;
  /** What the key protects; shown in the console and in CloudTrail. */
  readonly description: string;
  /**
   * Waiting period before a scheduled deletion completes, in days (7-30).
   * A long window is the last chance to cancel an accidental deletion of every encrypted resource.
   * @default 30
   */
  readonly deletionWindowDays?: number;
  /**
   * Lets CloudWatch Logs in this account and region use the key for log groups
   * (scoped by the `aws:logs:arn` encryption context).
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
  /**
   * Adds `lifecycle.prevent_destroy`, so `terraform destroy` refuses to delete the key.
   * Turning it off is an explicit opt-out for throwaway environments.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * Terraform name of the key (`aws_kms_key.<addressName>`), fixed so that a construct rename does not
   * move the address past `preventDestroy` (a destroyed key makes everything it encrypted unreadable).
   * @default the alias
   */
  readonly addressName?: string;
  /** Tags on the key. @default none (provider default tags still apply) */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A customer-managed KMS key with rotation on, a long deletion window, an alias
 * and an explicit key policy: the account's IAM policies administer and use it
 * (the AWS default delegation), and CloudWatch Logs may use it only for this
 * account's log groups when asked.
 *
 * The key policy does not split administrators from users itself: its one account
 * statement (`kms:*` for the account root) delegates both to IAM, so who may use or
 * administer the key is decided by identity policies. That split is enforced there:
 * the platform grants use per key ARN ({@link kmsUseStatement}: Encrypt, Decrypt,
 * GenerateDataKey*, DescribeKey; the EBS CSI driver also manages grants, only for AWS
 * resources), no role it creates may change a key policy, disable or delete a key, and the compliance pack fails any identity policy with `kms:*` or `*`
 * (HR-IAM-1, HR-IAM-2) and any key policy open to `*` (HR-IAM-4). Key administrators are
 * the account's human admin roles (granted outside this project). A key policy that
 * named them would lock the account out of the key if those roles were renamed, which is
 * why the delegation is kept.
 *
 * @example
 * const key = new KmsKey(this, "DataKey", { alias: "headroom-prod-data", description: "Redis, MSK, RDS and S3" });
 * new ElasticacheReplicationGroup(this, "Redis", { kmsKeyId: key.keyArn, ... });
 */
export class KmsKey extends Construct implements IKmsKey {
  /** The `aws_kms_key` resource (escape hatch). */
  public readonly resource: AwsKmsKey;
  public readonly keyArn: string;
  public readonly keyId: string;
  /** Full alias name, `alias/<alias>`. */
  public readonly aliasName: string;

  public constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    const problems = new Problems(`KmsKey '${this.node.path}' props`);
    problems.checkNumber("KMS_DELETION_WINDOW", "deletionWindowDays", deletionWindowDays, { min: 7, max: 30, integer: true });
    if (!/^[a-zA-Z0-9/_-]{1,250}$/.test(props.alias) || props.alias.startsWith("aws/") || props.alias.startsWith("alias/")) {
      problems.add("KMS_ALIAS", "alias", props.alias, "1-250 of [a-zA-Z0-9/_-], without the alias/ prefix, not starting with aws/");
    }
    problems.throwIfAny();

    const ctx = awsContext(this);
    const statements: object[] = [
      {
        Sid: "AccountAdministersThroughIam",
        Effect: "Allow",
        Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ];
    if (props.allowCloudWatchLogs) {
      statements.push({
        Sid: "CloudWatchLogsForThisAccount",
        Effect: "Allow",
        Principal: { Service: `logs.${ctx.region}.${ctx.dnsSuffix}` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: {
          ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:*` },
        },
      });
    }

    this.resource = new AwsKmsKey(this, "Resource", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowDays,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
      tags: props.tags ? { ...props.tags } : undefined,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    pinAddress(this.resource, props.addressName ?? props.alias);
    this.aliasName = `alias/${props.alias}`;
    new KmsAlias(this, "Alias", { name: this.aliasName, targetKeyId: this.resource.keyId });
    this.keyArn = this.resource.arn;
    this.keyId = this.resource.keyId;
  }

  /** Grants `grantee` use of the key for encryption and decryption (data keys included). */
  public grantEncryptDecrypt(grantee: IGrantable): void {
    grantee.addToPrincipalPolicy(kmsUseStatement(this));
  }
}

/** The statement that lets a principal encrypt and decrypt with `key`. */
export function kmsUseStatement(key: IKmsKey): PolicyStatement {
  return {
    actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
    resources: [key.keyArn],
  };
}

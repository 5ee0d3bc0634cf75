import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { pinAddress } from "../core/stable-address";
import { Problems } from "../core/validation";
import { IKmsKey } from "../security/kms-key";
import { IGrantable } from "../security/policy";
import { awsContext } from "../security/private/aws-context";

/** Properties of {@link ModelBucket}. */
export interface ModelBucketProps {
  /** Key for SSE-KMS of every object. */
  readonly kmsKey: IKmsKey;
  /** Lowercase name prefix, e.g. `headroom-prod`; the bucket is `<prefix>-models-<account>-<region>`. */
  readonly namePrefix: string;
  /**
   * Full bucket name, instead of the derived one (3-63 lowercase letters, digits, dots, hyphens).
   * @default `<namePrefix>-models-<account id>-<region>` (globally unique without guessing)
   */
  readonly bucketName?: string;
  /**
   * Days a replaced or deleted object version is kept before it expires (1-3650).
   * Long enough to roll back a bad model upload; short enough not to pay for every old checkpoint.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days after which unfinished multipart uploads (interrupted weight uploads) are aborted.
   * @default 7
   */
  readonly abortIncompleteMultipartUploadDays?: number;
  /**
   * Adds `lifecycle.prevent_destroy`. Turn it off only to tear an environment down (lib/data/README.md).
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * Terraform name of the bucket (`aws_s3_bucket.<addressName>`), fixed so that neither a construct
   * rename nor a `namePrefix` change moves the address past `preventDestroy` (lib/data/README.md).
   * @default "models"
   */
  readonly addressName?: string;
  /** Tags. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The S3 bucket holding model weights the inference pods load: every public-access block
 * on, ACLs disabled, versioning, SSE-KMS with the customer key and S3 Bucket Keys, a policy
 * refusing any request without TLS 1.2+, and a lifecycle for old versions and abandoned
 * multipart uploads. `force_destroy` stays off so Terraform never empties it.
 *
 * @example
 * const models = new ModelBucket(this, "Models", { kmsKey, namePrefix: "headroom-prod" });
 * models.grantRead(inferenceIdentity, "meta-llama/Llama-3.1-70B-Instruct/");
 */
export class ModelBucket extends Construct {
  /** The `aws_s3_bucket` (escape hatch). */
  public readonly resource: S3Bucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  private readonly kmsKey: IKmsKey;

  public constructor(scope: Construct, id: string, props: ModelBucketProps) {
    super(scope, id);
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 30;
    const abortDays = props.abortIncompleteMultipartUploadDays ?? 7;
    const problems = new Problems(`ModelBucket '${this.node.path}' props`);
    // Leaves room for "-models-", a 12-digit account id, "-" and the longest region name (14).
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(props.namePrefix) || props.namePrefix.length > 28) {
      problems.add("DATA_NAME_PREFIX", "namePrefix", props.namePrefix, "1-28 lowercase letters, digits and single hyphens, starting with a letter");
    }
    if (props.bucketName !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName)) {
      problems.add("S3_BUCKET_NAME", "bucketName", props.bucketName, "3-63 lowercase letters, digits, dots and hyphens");
    }
    problems.checkNumber("S3_NONCURRENT_DAYS", "noncurrentVersionExpirationDays", noncurrentDays, { min: 1, max: 3650, integer: true });
    problems.checkNumber("S3_ABORT_MULTIPART_DAYS", "abortIncompleteMultipartUploadDays", abortDays, { min: 1, max: 365, integer: true });
    problems.throwIfAny();

    const ctx = awsContext(this);
    const tags = props.tags ? { ...props.tags } : undefined;
    this.kmsKey = props.kmsKey;
    this.resource = new S3Bucket(this, "Resource", {
      bucket: props.bucketName ?? `${props.namePrefix}-models-${ctx.accountId}-${ctx.region}`,
      forceDestroy: false,
      tags,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    pinAddress(this.resource, props.addressName ?? "models");
    this.bucketName = this.resource.bucket;
    this.bucketArn = this.resource.arn;

    const publicAccess = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket: this.resource.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "OwnershipControls", {
      bucket: this.resource.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const versioning = new S3BucketVersioningA(this, "Versioning", {
      bucket: this.resource.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket: this.resource.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKey.keyArn },
          // One data key per bucket instead of per object: fewer KMS calls when pods load shards.
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket: this.resource.id,
      rule: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays }],
        },
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: [{ prefix: "" }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
        },
      ],
      // Lifecycle rules on noncurrent versions need versioning in place first.
      dependsOn: [versioning],
    });
    new S3BucketPolicy(this, "Policy", {
      bucket: this.resource.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyWithoutTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [this.bucketArn, `${this.bucketArn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
          {
            Sid: "DenyTlsOlderThan12",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [this.bucketArn, `${this.bucketArn}/*`],
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
          },
        ],
      }),
      // A policy put before the public-access block exists could briefly be evaluated without it.
      dependsOn: [publicAccess],
    });
  }

  /**
   * Lets `grantee` read objects (under `prefix` when given) and decrypt them with the key:
   * `s3:GetObject` on the objects, `s3:ListBucket` limited to the prefix, `kms:Decrypt`.
   * A prefix is a folder: `meta-llama/Llama-3.1-70B-Instruct` grants
   * `meta-llama/Llama-3.1-70B-Instruct/*`, never the sibling `meta-llama/Llama-3.1-70B-Instruct-evil/`.
   * @param prefix key prefix such as `meta-llama/Llama-3.1-70B-Instruct/` (a trailing `/` is added when missing); @default the whole bucket
   */
  public grantRead(grantee: IGrantable, prefix?: string): void {
    const problems = new Problems(`ModelBucket '${this.node.path}' grantRead`);
    if (prefix !== undefined && (prefix.length === 0 || prefix.includes("*") || prefix.startsWith("/"))) {
      problems.add("S3_GRANT_PREFIX", "prefix", prefix, "a non-empty key prefix without wildcards or a leading slash");
    }
    problems.throwIfAny();
    const folder = prefix === undefined ? undefined : prefix.endsWith("/") ? prefix : `${prefix}/`;
    grantee.addToPrincipalPolicy({ actions: ["s3:GetObject"], resources: [`${this.bucketArn}/${folder ?? ""}*`] });
    grantee.addToPrincipalPolicy({
      actions: ["s3:ListBucket"],
      resources: [this.bucketArn],
      conditions: folder === undefined ? undefined : { StringLike: { "s3:prefix": [`${folder}*`] } },
    });
    grantee.addToPrincipalPolicy({ actions: ["kms:Decrypt", "kms:DescribeKey"], resources: [this.kmsKey.keyArn] });
  }
}

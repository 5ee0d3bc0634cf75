import { ModelBucket, ModelBucketProps } from "../../lib/data/model-bucket";
import { onlyResource, synthJson } from "../helpers/synth";
import { BASE, RecordingGrantee, rendered, stack, validationError } from "./fixtures";

function synth(overrides: Partial<ModelBucketProps> = {}) {
  const s = stack();
  const bucket = new ModelBucket(s, "Models", { kmsKey: BASE.kmsKey, namePrefix: BASE.namePrefix, ...overrides });
  return { s, bucket, json: synthJson(s) };
}

describe("ModelBucket", () => {
  const { json, bucket, s } = synth();

  test("bucket named from prefix, account and region; never force-destroyed; prevent_destroy", () => {
    const b = onlyResource(json, "aws_s3_bucket");
    expect(b.bucket).toMatch(/^headroom-test-models-\$\{data\.aws_caller_identity\..*\.account_id\}-\$\{data\.aws_region\..*\.region\}$/);
    expect(b.force_destroy).toBe(false);
    expect(b.lifecycle.prevent_destroy).toBe(true);
    expect(onlyResource(synth({ bucketName: "my-models", preventDestroy: false }).json, "aws_s3_bucket")).toMatchObject({
      bucket: "my-models",
      lifecycle: { prevent_destroy: false },
    });
  });

  test("all four public-access blocks and ACLs disabled", () => {
    expect(onlyResource(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(json, "aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
  });

  test("versioning and SSE-KMS with the key and a bucket key", () => {
    expect(onlyResource(json, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    const rule = onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").rule[0];
    expect(rule.apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: BASE.kmsKey.keyArn });
    expect(rule.bucket_key_enabled).toBe(true);
  });

  test("TLS-only bucket policy", () => {
    const policy = JSON.parse(onlyResource(json, "aws_s3_bucket_policy").policy);
    const tls = policy.Statement.find((st: any) => st.Sid === "DenyWithoutTls");
    expect(tls).toMatchObject({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(tls.Resource).toHaveLength(2);
    expect(policy.Statement.find((st: any) => st.Sid === "DenyTlsOlderThan12").Condition).toEqual({ NumericLessThan: { "s3:TlsVersion": "1.2" } });
  });

  test("lifecycle expires noncurrent versions and aborts incomplete uploads, days from props", () => {
    const rules = onlyResource(json, "aws_s3_bucket_lifecycle_configuration").rule;
    expect(rules.find((r: any) => r.id === "expire-noncurrent-versions").noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    expect(rules.find((r: any) => r.id === "abort-incomplete-multipart-uploads").abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
    const other = onlyResource(synth({ noncurrentVersionExpirationDays: 90, abortIncompleteMultipartUploadDays: 2 }).json, "aws_s3_bucket_lifecycle_configuration").rule;
    expect(other.map((r: any) => r.noncurrent_version_expiration?.[0]?.noncurrent_days ?? r.abort_incomplete_multipart_upload[0].days_after_initiation)).toEqual([90, 2]);
  });

  test("grantRead with a prefix: objects under it, listing limited to it, decrypt with the key", () => {
    const g = new RecordingGrantee();
    bucket.grantRead(g, "meta-llama/Llama-3.1-70B-Instruct/");
    const [get, list, kms] = g.statements;
    expect(get?.actions).toEqual(["s3:GetObject"]);
    expect(rendered(s, get?.resources[0])).toMatch(/^\$\{aws_s3_bucket\.models\.arn\}\/meta-llama\/Llama-3\.1-70B-Instruct\/\*$/);
    expect(list?.actions).toEqual(["s3:ListBucket"]);
    expect(list?.resources).toEqual([bucket.bucketArn]);
    expect(list?.conditions).toEqual({ StringLike: { "s3:prefix": ["meta-llama/Llama-3.1-70B-Instruct/*"] } });
    expect(kms?.actions).toContain("kms:Decrypt");
    expect(kms?.resources).toEqual([BASE.kmsKey.keyArn]);
  });

  test("grantRead treats a prefix without a trailing slash as a folder", () => {
    const g = new RecordingGrantee();
    bucket.grantRead(g, "meta-llama/Llama-3.1-70B-Instruct");
    const [get, list] = g.statements;
    // Without the slash, the grant would also cover meta-llama/Llama-3.1-70B-Instruct-other/...
    expect(rendered(s, get?.resources[0])).toMatch(/\/meta-llama\/Llama-3\.1-70B-Instruct\/\*$/);
    expect(list?.conditions).toEqual({ StringLike: { "s3:prefix": ["meta-llama/Llama-3.1-70B-Instruct/*"] } });
  });

  test("grantRead without a prefix covers the bucket without a list condition", () => {
    const g = new RecordingGrantee();
    bucket.grantRead(g);
    expect(g.statements[1]?.conditions).toBeUndefined();
  });

  describe("fails when", () => {
    test("the prefix is too long for a derived bucket name, or the lifecycle days are out of range", () => {
      const err = validationError(() => synth({ namePrefix: "a-very-long-prefix-for-a-bucket-name", noncurrentVersionExpirationDays: 0 }));
      expect(err.codes).toEqual(["DATA_NAME_PREFIX", "S3_NONCURRENT_DAYS"]);
    });

    test("a grant prefix contains a wildcard", () => {
      expect(validationError(() => bucket.grantRead(new RecordingGrantee(), "models/*")).codes).toEqual(["S3_GRANT_PREFIX"]);
    });
  });
});

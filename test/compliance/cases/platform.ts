import { ref, RuleCase, tf } from "../helpers";

const KEY = ref("aws_kms_key.k", "arn");
const BUCKET = ref("aws_s3_bucket.b");
const tlsOnly = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [ref("aws_s3_bucket.b", "arn"), `${ref("aws_s3_bucket.b", "arn")}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
});
const goodBucketSet = {
  aws_s3_bucket: { b: { bucket: "models", lifecycle: { prevent_destroy: true } } },
  aws_s3_bucket_public_access_block: { pab: { bucket: BUCKET, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } },
  aws_s3_bucket_server_side_encryption_configuration: {
    sse: { bucket: BUCKET, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY }, bucket_key_enabled: true }] },
  },
  aws_s3_bucket_versioning: { v: { bucket: BUCKET, versioning_configuration: { status: "Enabled" } } },
  aws_s3_bucket_policy: { p: { bucket: BUCKET, policy: tlsOnly } },
  aws_s3_bucket_ownership_controls: { o: { bucket: BUCKET, rule: { object_ownership: "BucketOwnerEnforced" } } },
};
const s3 = (over: Record<string, Record<string, unknown>>) => tf({ ...goodBucketSet, ...over });

const vpcStack = (over: Record<string, Record<string, unknown>>) =>
  tf({
    aws_vpc: { v: { cidr_block: "10.0.0.0/16" } },
    aws_default_security_group: { d: { vpc_id: ref("aws_vpc.v") } },
    aws_flow_log: { f: { vpc_id: ref("aws_vpc.v"), traffic_type: "ALL" } },
    ...over,
  });

const lbGroup = { description: "public load balancer", vpc_id: ref("aws_vpc.v"), tags: { "headroom:role": "load-balancer" } };
const appGroup = { description: "inference nodes", vpc_id: ref("aws_vpc.v") };
const ingressRule = (group: string, over: Record<string, unknown>) => ({
  security_group_id: ref(`aws_security_group.${group}`),
  cidr_ipv4: "0.0.0.0/0",
  ip_protocol: "tcp",
  from_port: 443,
  to_port: 443,
  description: "HTTPS from the internet",
  ...over,
});

const policy = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const iamPolicy = (statements: unknown[]) => tf({ aws_iam_policy: { p: { policy: policy(statements) } } });
const role = (trust: unknown[], inline?: unknown[]) =>
  tf({ aws_iam_role: { r: { assume_role_policy: policy(trust), ...(inline ? { inline_policy: [{ name: "i", policy: policy(inline) }] } : {}) } } });
const serviceTrust = [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }];

export const PLATFORM_CASES: readonly RuleCase[] = [
  { rule: "HR-S3-1", name: "full block", address: "aws_s3_bucket.b", json: s3({}), expect: "compliant" },
  { rule: "HR-S3-1", name: "no block", address: "aws_s3_bucket.b", json: s3({ aws_s3_bucket_public_access_block: {} }), expect: "non-compliant", reason: "no aws_s3_bucket_public_access_block" },
  {
    rule: "HR-S3-1",
    name: "partial block",
    address: "aws_s3_bucket.b",
    json: s3({ aws_s3_bucket_public_access_block: { pab: { bucket: BUCKET, block_public_acls: true, block_public_policy: true, ignore_public_acls: true } } }),
    expect: "non-compliant",
    reason: "restrict_public_buckets",
  },
  {
    rule: "HR-S3-1",
    name: "block on another bucket",
    address: "aws_s3_bucket.b",
    json: s3({
      aws_s3_bucket: { b: { bucket: "models" }, other: { bucket: "other" } },
      aws_s3_bucket_public_access_block: { pab: { bucket: ref("aws_s3_bucket.other"), block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } },
    }),
    expect: "non-compliant",
    reason: "no aws_s3_bucket_public_access_block",
  },
  { rule: "HR-S3-2", name: "KMS CMK", address: "aws_s3_bucket.b", json: s3({}), expect: "compliant" },
  {
    rule: "HR-S3-2",
    name: "SSE-S3",
    address: "aws_s3_bucket.b",
    json: s3({ aws_s3_bucket_server_side_encryption_configuration: { sse: { bucket: BUCKET, rule: { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } } } } }),
    expect: "non-compliant",
    reason: "aws:kms",
  },
  { rule: "HR-S3-3", name: "versioned", address: "aws_s3_bucket.b", json: s3({}), expect: "compliant" },
  { rule: "HR-S3-3", name: "suspended", address: "aws_s3_bucket.b", json: s3({ aws_s3_bucket_versioning: { v: { bucket: BUCKET, versioning_configuration: { status: "Suspended" } } } }), expect: "non-compliant", reason: "Enabled" },
  { rule: "HR-S3-4", name: "TLS-only JSON policy", address: "aws_s3_bucket.b", json: s3({}), expect: "compliant" },
  {
    rule: "HR-S3-4",
    name: "TLS-only policy document data source",
    address: "aws_s3_bucket.b",
    json: {
      ...s3({ aws_s3_bucket_policy: { p: { bucket: BUCKET, policy: ref("data.aws_iam_policy_document.tls", "json") } } }),
      data: {
        aws_iam_policy_document: {
          tls: {
            statement: [
              {
                effect: "Deny",
                actions: ["s3:*"],
                resources: ["*"],
                principals: [{ type: "*", identifiers: ["*"] }],
                condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
              },
            ],
          },
        },
      },
    },
    expect: "compliant",
  },
  {
    rule: "HR-S3-4",
    name: "policy without the TLS deny",
    address: "aws_s3_bucket.b",
    json: s3({ aws_s3_bucket_policy: { p: { bucket: BUCKET, policy: policy([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetObject", Resource: "*" }]) } } }),
    expect: "non-compliant",
    reason: "aws:SecureTransport",
  },
  { rule: "HR-S3-4", name: "no policy", address: "aws_s3_bucket.b", json: s3({ aws_s3_bucket_policy: {} }), expect: "non-compliant", reason: "no aws_s3_bucket_policy" },
  { rule: "HR-S3-5", name: "BucketOwnerEnforced", address: "aws_s3_bucket.b", json: s3({}), expect: "compliant" },
  { rule: "HR-S3-5", name: "ObjectWriter", address: "aws_s3_bucket.b", json: s3({ aws_s3_bucket_ownership_controls: { o: { bucket: BUCKET, rule: [{ object_ownership: "ObjectWriter" }] } } }), expect: "non-compliant", reason: "BucketOwnerEnforced" },
  { rule: "HR-KMS-1", name: "rotation", address: "aws_kms_key.k", json: tf({ aws_kms_key: { k: { enable_key_rotation: true } } }), expect: "compliant" },
  { rule: "HR-KMS-1", name: "asymmetric", address: "aws_kms_key.k", json: tf({ aws_kms_key: { k: { customer_master_key_spec: "RSA_2048" } } }), expect: "not-applicable" },
  { rule: "HR-KMS-1", name: "no rotation", address: "aws_kms_key.k", json: tf({ aws_kms_key: { k: { description: "x" } } }), expect: "non-compliant", reason: "enable_key_rotation" },
  { rule: "HR-LOG-1", name: "CMK", address: "aws_cloudwatch_log_group.g", json: tf({ aws_cloudwatch_log_group: { g: { kms_key_id: KEY, retention_in_days: 90 } } }), expect: "compliant" },
  { rule: "HR-LOG-1", name: "no key", address: "aws_cloudwatch_log_group.g", json: tf({ aws_cloudwatch_log_group: { g: { retention_in_days: 90 } } }), expect: "non-compliant", reason: "kms_key_id" },
  { rule: "HR-LOG-2", name: "90 days", address: "aws_cloudwatch_log_group.g", json: tf({ aws_cloudwatch_log_group: { g: { kms_key_id: KEY, retention_in_days: 90 } } }), expect: "compliant" },
  { rule: "HR-LOG-2", name: "forever", address: "aws_cloudwatch_log_group.g", json: tf({ aws_cloudwatch_log_group: { g: { kms_key_id: KEY } } }), expect: "non-compliant", reason: "never expire" },
  {
    rule: "HR-NET-1",
    name: "HTTPS on a tagged load balancer",
    address: "aws_vpc_security_group_ingress_rule.i",
    json: vpcStack({ aws_security_group: { lb: lbGroup }, aws_vpc_security_group_ingress_rule: { i: ingressRule("lb", {}) } }),
    expect: "compliant",
  },
  {
    rule: "HR-NET-1",
    name: "HTTPS on an untagged group",
    address: "aws_vpc_security_group_ingress_rule.i",
    json: vpcStack({ aws_security_group: { app: appGroup }, aws_vpc_security_group_ingress_rule: { i: ingressRule("app", {}) } }),
    expect: "non-compliant",
    reason: "from 0.0.0.0/0",
  },
  {
    rule: "HR-NET-1",
    name: "SSH from the world on a load balancer group",
    address: "aws_security_group_rule.ssh",
    json: vpcStack({
      aws_security_group: { lb: lbGroup },
      aws_security_group_rule: { ssh: { type: "ingress", security_group_id: ref("aws_security_group.lb"), protocol: "tcp", from_port: 22, to_port: 22, ipv6_cidr_blocks: ["::/0"], description: "ssh" } },
    }),
    expect: "non-compliant",
    reason: "::/0",
  },
  {
    rule: "HR-NET-1",
    name: "inline ingress from a private range",
    address: "aws_security_group.app",
    json: vpcStack({ aws_security_group: { app: { ...appGroup, ingress: [{ cidr_blocks: ["10.0.0.0/16"], protocol: "tcp", from_port: 8000, to_port: 8000, description: "vpc" }] } } }),
    expect: "compliant",
  },
  {
    rule: "HR-NET-1",
    name: "inline ingress from the world",
    address: "aws_security_group.app",
    json: vpcStack({ aws_security_group: { app: { ...appGroup, ingress: [{ cidr_blocks: ["0.0.0.0/0"], protocol: "-1", from_port: 0, to_port: 0, description: "all" }] } } }),
    expect: "non-compliant",
    reason: "ingress[0]",
  },
  { rule: "HR-NET-2", name: "described", address: "aws_security_group.app", json: vpcStack({ aws_security_group: { app: appGroup } }), expect: "compliant" },
  {
    rule: "HR-NET-2",
    name: "default description",
    address: "aws_security_group.app",
    json: vpcStack({ aws_security_group: { app: { description: "Managed by Terraform" } } }),
    expect: "non-compliant",
    reason: "no description of its own",
  },
  {
    rule: "HR-NET-2",
    name: "rule without description",
    address: "aws_vpc_security_group_ingress_rule.i",
    json: vpcStack({ aws_security_group: { lb: lbGroup }, aws_vpc_security_group_ingress_rule: { i: ingressRule("lb", { description: undefined }) } }),
    expect: "non-compliant",
    reason: "has no description",
  },
  { rule: "HR-NET-3", name: "default group emptied", address: "aws_vpc.v", json: vpcStack({}), expect: "compliant" },
  {
    rule: "HR-NET-3",
    name: "default group with rules",
    address: "aws_vpc.v",
    json: vpcStack({ aws_default_security_group: { d: { vpc_id: ref("aws_vpc.v"), ingress: [{ self: true, protocol: "-1", from_port: 0, to_port: 0 }] } } }),
    expect: "non-compliant",
    reason: "still has rules",
  },
  { rule: "HR-NET-3", name: "default group unmanaged", address: "aws_vpc.v", json: vpcStack({ aws_default_security_group: {} }), expect: "non-compliant", reason: "no aws_default_security_group" },
  { rule: "HR-NET-4", name: "flow log", address: "aws_vpc.v", json: vpcStack({}), expect: "compliant" },
  { rule: "HR-NET-4", name: "no flow log", address: "aws_vpc.v", json: vpcStack({ aws_flow_log: {} }), expect: "non-compliant", reason: "no aws_flow_log" },
  { rule: "HR-IAM-1", name: "named actions", address: "aws_iam_policy.p", json: iamPolicy([{ Effect: "Allow", Action: ["s3:GetObject", "s3:List*"], Resource: "*" }]), expect: "compliant" },
  {
    rule: "HR-IAM-1",
    name: "Terraform functions inside a JSON policy",
    address: "aws_iam_policy.p",
    json: tf({
      aws_iam_policy: {
        p: {
          policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kafka-cluster:DescribeTopic","Resource":"${replace("arn:aws:kafka:us-east-1:1:cluster/c/u", ":cluster/", ":topic/")}/requests"}]}',
        },
      },
    }),
    expect: "compliant",
  },
  {
    rule: "HR-IAM-1",
    name: "wildcard next to a Terraform function",
    address: "aws_iam_policy.p",
    json: tf({ aws_iam_policy: { p: { policy: '{"Statement":[{"Effect":"Allow","Action":"kafka-cluster:*","Resource":"${replace("a{b}", "}", "{")}"}]}' } } }),
    expect: "non-compliant",
    reason: "kafka-cluster:*",
  },
  { rule: "HR-IAM-1", name: "service wildcard", address: "aws_iam_policy.p", json: iamPolicy([{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b" }]), expect: "non-compliant", reason: "allows s3:*" },
  { rule: "HR-IAM-1", name: "wildcard in a Deny is fine", address: "aws_iam_policy.p", json: iamPolicy([{ Effect: "Deny", Action: "*", Resource: "*" }]), expect: "compliant" },
  { rule: "HR-IAM-1", name: "unreadable policy", address: "aws_iam_policy.p", json: tf({ aws_iam_policy: { p: { policy: '${jsonencode({"Statement" = []})}' } } }), expect: "non-compliant", reason: "cannot read" },
  { rule: "HR-IAM-2", name: "scoped", address: "aws_iam_role.r", json: role(serviceTrust, [{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b" }]), expect: "compliant" },
  { rule: "HR-IAM-2", name: "admin inline policy", address: "aws_iam_role.r", json: role(serviceTrust, [{ Effect: "Allow", Action: "*", Resource: "*" }]), expect: "non-compliant", reason: "inline_policy[0].policy statement 0" },
  {
    rule: "HR-IAM-2",
    name: "admin through a policy document",
    address: "aws_iam_role_policy.rp",
    json: tf(
      { aws_iam_role_policy: { rp: { role: "r", policy: ref("data.aws_iam_policy_document.admin", "json") } } },
      { data: { aws_iam_policy_document: { admin: { statement: [{ actions: ["*"], resources: ["*"] }] } } } },
    ),
    expect: "non-compliant",
    reason: 'Action "*" on Resource "*"',
  },
  { rule: "HR-IAM-3", name: "PassRole on a named role", address: "aws_iam_policy.p", json: iamPolicy([{ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/x" }]), expect: "compliant" },
  { rule: "HR-IAM-3", name: "PassRole on *", address: "aws_iam_policy.p", json: iamPolicy([{ Effect: "Allow", Action: ["iam:Pass*"], Resource: "*" }]), expect: "non-compliant", reason: "iam:PassRole" },
  { rule: "HR-IAM-4", name: "service trust", address: "aws_iam_role.r", json: role(serviceTrust), expect: "compliant" },
  {
    rule: "HR-IAM-4",
    name: "open trust with a condition",
    address: "aws_iam_role.r",
    json: role([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } }]),
    expect: "compliant",
  },
  { rule: "HR-IAM-4", name: "open trust", address: "aws_iam_role.r", json: role([{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }]), expect: "non-compliant", reason: 'Principal "*"' },
  {
    rule: "HR-IAM-4",
    name: "public bucket policy",
    address: "aws_s3_bucket_policy.p",
    json: s3({ aws_s3_bucket_policy: { p: { bucket: BUCKET, policy: policy([{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }]) } } }),
    expect: "non-compliant",
    reason: "policy statement 0",
  },
];

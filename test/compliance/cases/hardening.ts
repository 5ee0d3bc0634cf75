/** Cases for the rules added with the mutation suite: compliant, non-compliant and unverifiable inputs. */
import { ref, RuleCase, tf } from "../helpers";

const KEY = ref("aws_kms_key.k", "arn");
const policy = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const role = (trust: unknown[]) => tf({ aws_iam_role: { r: { assume_role_policy: policy(trust) } } });
const ns = (labels: Record<string, unknown> | string | undefined, name = "apps") =>
  tf({ kubernetes_namespace_v1: { n: { metadata: { name, ...(labels === undefined ? {} : { labels }) } } } });
const enforce = (level: string) => ({ "pod-security.kubernetes.io/enforce": level });

const container = {
  name: "app",
  image: "app:1.0.0",
  securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
  resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } },
};
const manifest = (kind: string, podSpec: Record<string, unknown>, c: Record<string, unknown> = {}) => {
  const spec = { ...podSpec, containers: [{ ...container, ...c }] };
  return tf({
    kubernetes_manifest: {
      m: { manifest: { apiVersion: kind === "Pod" ? "v1" : "apps/v1", kind, metadata: { name: "x", namespace: "apps" }, spec: kind === "Pod" ? spec : { template: { spec } } } },
    },
  });
};
const typedDeployment = (spec: Record<string, unknown>) =>
  tf({ kubernetes_deployment_v1: { d: { metadata: { name: "d", namespace: "apps" }, spec: { template: { spec: { ...spec, container: [{ name: "c", image: "c:1" }] } } } } } });
const authz = (spec: Record<string, unknown>) =>
  tf({ kubernetes_manifest: { a: { manifest: { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", metadata: { name: "a", namespace: "apps" }, spec } } } });
const attach = (arn: unknown) => tf({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: arn } } }, { data: { aws_partition: { p: {} } } });
const instance = (over: Record<string, unknown>) =>
  tf({
    aws_instance: {
      i: {
        ami: "ami-1",
        metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
        root_block_device: { encrypted: true, kms_key_id: KEY },
        ...over,
      },
    },
  });
const eks = (over: Record<string, unknown>, tags: Record<string, unknown> = { environment: "prod" }) =>
  tf({ aws_eks_cluster: { c: { name: "c", ...over } } }, { provider: { aws: [{ region: "us-east-1", default_tags: [{ tags }] }] } });


const group = (rules: Record<string, unknown>[]) =>
  tf({
    aws_security_group: { g: { description: "nodes" } },
    aws_vpc_security_group_ingress_rule: Object.fromEntries(
      rules.map((r, i) => [`r${i}`, { security_group_id: ref("aws_security_group.g"), ip_protocol: "tcp", from_port: 22, to_port: 22, description: "ssh", ...r }]),
    ),
  });
const openKeyPolicy = (condition?: unknown) =>
  JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*", ...(condition ? { Condition: condition } : {}) }] });

export const CHANGED_RULE_CASES: readonly RuleCase[] = [
  { rule: "HR-NET-1", name: "world split in two halves over two rules", address: "aws_vpc_security_group_ingress_rule.r0", json: group([{ cidr_ipv4: "0.0.0.0/1" }, { cidr_ipv4: "128.0.0.0/1" }]), expect: "non-compliant", reason: "0.0.0.0/1" },
  { rule: "HR-NET-1", name: "many /9s that add up to a /8 of public space", address: "aws_vpc_security_group_ingress_rule.r0", json: group([{ cidr_ipv4: "44.0.0.0/9" }, { cidr_ipv4: "44.128.0.0/9" }]), expect: "non-compliant", reason: "together with the other ingress rules" },
  { rule: "HR-NET-1", name: "IPv6 halves", address: "aws_vpc_security_group_ingress_rule.r0", json: group([{ cidr_ipv6: "::/1" }]), expect: "non-compliant" },
  { rule: "HR-NET-1", name: "two office ranges", address: "aws_vpc_security_group_ingress_rule.r0", json: group([{ cidr_ipv4: "203.0.113.0/24" }, { cidr_ipv4: "198.51.100.0/24" }]), expect: "compliant" },
  { rule: "HR-NET-1", name: "the private 10/8", address: "aws_vpc_security_group_ingress_rule.r0", json: group([{ cidr_ipv4: "10.0.0.0/8" }]), expect: "compliant" },
  { rule: "HR-NET-1", name: "source from a variable", address: "aws_vpc_security_group_ingress_rule.r0", json: group([{ cidr_ipv4: "${var.cidr}" }]), expect: "non-compliant", reason: "cannot evaluate" },
  {
    rule: "HR-NET-1",
    name: "the VPC's own range by reference",
    address: "aws_vpc_security_group_ingress_rule.r0",
    json: { ...group([{ cidr_ipv4: ref("aws_vpc.v", "cidr_block") }]), resource: { ...(group([{ cidr_ipv4: ref("aws_vpc.v", "cidr_block") }]).resource as object), aws_vpc: { v: { cidr_block: "10.0.0.0/16" } } } },
    expect: "compliant",
  },
  {
    rule: "HR-EKS-1",
    name: "public endpoint split over two halves",
    address: "aws_eks_cluster.c",
    json: tf({ aws_eks_cluster: { c: { vpc_config: { endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/1", "128.0.0.0/1"] } } } }),
    expect: "non-compliant",
    reason: "0.0.0.0/1",
  },
  { rule: "HR-IAM-4", name: "open key policy in aws_kms_key_policy", address: "aws_kms_key_policy.p", json: tf({ aws_kms_key_policy: { p: { key_id: "k", policy: openKeyPolicy() } } }), expect: "non-compliant", reason: "without a condition" },
  {
    rule: "HR-IAM-4",
    name: "Principal * scoped only by aws:SecureTransport",
    address: "aws_secretsmanager_secret_policy.p",
    json: tf({ aws_secretsmanager_secret_policy: { p: { secret_arn: "s", policy: openKeyPolicy({ Bool: { "aws:SecureTransport": "true" } }) } } }),
    expect: "non-compliant",
    reason: "none of which pins the caller",
  },
  {
    rule: "HR-IAM-4",
    name: "Principal * scoped by aws:PrincipalOrgID",
    address: "aws_kms_key_policy.p",
    json: tf({ aws_kms_key_policy: { p: { key_id: "k", policy: openKeyPolicy({ StringEquals: { "aws:PrincipalOrgID": "o-abc123" } }) } } }),
    expect: "compliant",
  },
  {
    rule: "HR-IAM-4",
    name: "a negated condition scopes nothing",
    address: "aws_kms_key_policy.p",
    json: tf({ aws_kms_key_policy: { p: { key_id: "k", policy: openKeyPolicy({ StringNotEquals: { "aws:PrincipalAccount": "123456789012" } }) } } }),
    expect: "non-compliant",
  },
  { rule: "HR-IAM-4", name: "lambda permission for everyone", address: "aws_lambda_permission.p", json: tf({ aws_lambda_permission: { p: { principal: "*", action: "lambda:InvokeFunction", function_name: "f" } } }), expect: "non-compliant" },
  { rule: "HR-HELM-1", name: "version from a variable", address: "helm_release.r", json: tf({ helm_release: { r: { chart: "c", version: "${var.version}" } } }), expect: "non-compliant", reason: "cannot evaluate" },
  { rule: "HR-LOG-1", name: "key from a variable", address: "aws_cloudwatch_log_group.g", json: tf({ aws_cloudwatch_log_group: { g: { kms_key_id: "${var.key}", retention_in_days: 30 } } }), expect: "non-compliant", reason: "cannot evaluate" },
  {
    rule: "HR-LOG-1",
    name: "key from another stack (cdktf cross-stack reference)",
    address: "aws_cloudwatch_log_group.g",
    json: tf({ aws_cloudwatch_log_group: { g: { kms_key_id: "${data.terraform_remote_state.in.outputs.cross-stack-output-aws_kms_keyLogsKey_A6AB43B2arn}", retention_in_days: 30 } } }),
    expect: "compliant",
  },
  { rule: "HR-RDS-6", name: "publicly_accessible from a variable", address: "aws_db_instance.d", json: tf({ aws_db_instance: { d: { publicly_accessible: "${var.public}" } } }), expect: "non-compliant", reason: "cannot evaluate" },
  { rule: "HR-SEC-1", name: "password in Helm values YAML", address: "helm_release.r", json: tf({ helm_release: { r: { values: ["auth:\n  password: hunter2hunter2\n"] } } }), expect: "non-compliant", reason: "password" },
  { rule: "HR-SEC-1", name: "URL with a password", address: "helm_release.r", json: tf({ helm_release: { r: { values: [JSON.stringify({ db: { url: "postgres://app:hunter2@db:5432/app" } })] } } }), expect: "non-compliant", reason: "URL" },
  { rule: "HR-SEC-1", name: "--api-key in container args", address: "kubernetes_manifest.m", json: manifest("Deployment", {}, { args: ["--api-key", "sk-live-123"] }), expect: "non-compliant", reason: "--api-key" },
  { rule: "HR-SEC-1", name: "an AWS idempotency ClientToken is not a credential", address: "aws_scheduler_schedule.s", json: tf({ aws_scheduler_schedule: { s: { target: { input: JSON.stringify({ ClientToken: "<aws.scheduler.execution-id>", ExperimentTemplateId: "EXT123" }) } } } }), expect: "compliant" },
  { rule: "HR-SEC-1", name: "a password beside a ClientToken is still a credential", address: "aws_scheduler_schedule.s", json: tf({ aws_scheduler_schedule: { s: { target: { input: JSON.stringify({ ClientToken: "abc", Password: "hunter2hunter2" }) } } } }), expect: "non-compliant", reason: "Password" },
  { rule: "HR-SEC-1", name: "set_sensitive with a literal", address: "helm_release.r", json: tf({ helm_release: { r: { set_sensitive: [{ name: "x", value: "abc" }] } } }), expect: "non-compliant", reason: "sensitive" },
  { rule: "HR-SEC-1", name: "credentials by reference", address: "helm_release.r", json: tf({ helm_release: { r: { values: ["auth:\n  existingSecret: db\n"], set_sensitive: [{ name: "x", value: "${random_password.p.result}" }] } } }), expect: "compliant" },
];

const nodeClass = (spec: Record<string, unknown>) =>
  tf({
    kubernetes_manifest: {
      nc: {
        manifest: {
          apiVersion: "karpenter.k8s.aws/v1",
          kind: "EC2NodeClass",
          metadata: { name: "gpu" },
          spec: { amiSelectorTerms: [{ alias: "al2023@latest" }], blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: "200Gi", encrypted: true, kmsKeyID: KEY } }], ...spec },
        },
      },
    },
  });

export const HARDENING_CASES: readonly RuleCase[] = [
  // HR-EC2-8
  { rule: "HR-EC2-8", name: "defaults with a CMK volume", address: "kubernetes_manifest.nc", json: nodeClass({}), expect: "compliant" },
  { rule: "HR-EC2-8", name: "IMDSv1", address: "kubernetes_manifest.nc", json: nodeClass({ metadataOptions: { httpTokens: "optional" } }), expect: "non-compliant", reason: "httpTokens" },
  { rule: "HR-EC2-8", name: "hop limit 2", address: "kubernetes_manifest.nc", json: nodeClass({ metadataOptions: { httpPutResponseHopLimit: 2 } }), expect: "non-compliant", reason: "HopLimit is 2" },
  { rule: "HR-EC2-8", name: "public IP", address: "kubernetes_manifest.nc", json: nodeClass({ associatePublicIPAddress: true }), expect: "non-compliant", reason: "associatePublicIPAddress" },
  { rule: "HR-EC2-8", name: "no block device mappings", address: "kubernetes_manifest.nc", json: nodeClass({ blockDeviceMappings: [] }), expect: "non-compliant", reason: "no blockDeviceMappings" },
  { rule: "HR-EC2-8", name: "volume without a CMK", address: "kubernetes_manifest.nc", json: nodeClass({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: true } }] }), expect: "non-compliant", reason: "kmsKeyID" },
  // HR-K8S-6
  { rule: "HR-K8S-6", name: "restricted namespace", address: "kubernetes_namespace_v1.n", json: ns(enforce("restricted")), expect: "compliant" },
  { rule: "HR-K8S-6", name: "privileged namespace in the allow-list", address: "kubernetes_namespace_v1.n", json: ns(enforce("privileged"), "gpu-system"), expect: "compliant" },
  { rule: "HR-K8S-6", name: "privileged namespace outside the allow-list", address: "kubernetes_namespace_v1.n", json: ns(enforce("privileged")), expect: "non-compliant", reason: "not in the allow-list" },
  { rule: "HR-K8S-6", name: "no enforce label", address: "kubernetes_namespace_v1.n", json: ns({ team: "a" }), expect: "non-compliant", reason: "sets no pod-security" },
  { rule: "HR-K8S-6", name: "enforce level from a variable", address: "kubernetes_namespace_v1.n", json: ns(enforce("${var.level}")), expect: "non-compliant", reason: "cannot evaluate" },
  {
    rule: "HR-K8S-6",
    name: "kubernetes_labels patching privileged onto a namespace",
    address: "kubernetes_labels.l",
    json: tf({ kubernetes_labels: { l: { api_version: "v1", kind: "Namespace", metadata: { name: "apps" }, labels: enforce("privileged") } } }),
    expect: "non-compliant",
  },
  {
    rule: "HR-K8S-6",
    name: "Namespace manifest",
    address: "kubernetes_manifest.n",
    json: tf({ kubernetes_manifest: { n: { manifest: { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps", labels: enforce("baseline") } } } } }),
    expect: "compliant",
  },
  // HR-K8S-7
  { rule: "HR-K8S-7", name: "no host access", address: "kubernetes_manifest.m", json: manifest("Deployment", {}), expect: "compliant" },
  { rule: "HR-K8S-7", name: "hostNetwork", address: "kubernetes_manifest.m", json: manifest("Deployment", { hostNetwork: true }), expect: "non-compliant", reason: "hostNetwork is true" },
  { rule: "HR-K8S-7", name: "hostPID on a typed deployment", address: "kubernetes_deployment_v1.d", json: typedDeployment({ host_pid: true }), expect: "non-compliant", reason: "hostPID" },
  { rule: "HR-K8S-7", name: "hostIPC from a variable", address: "kubernetes_manifest.m", json: manifest("Deployment", { hostIPC: "${var.ipc}" }), expect: "non-compliant", reason: "cannot evaluate" },
  { rule: "HR-K8S-7", name: "hostPath volume", address: "kubernetes_manifest.m", json: manifest("Deployment", { volumes: [{ name: "root", hostPath: { path: "/" } }] }), expect: "non-compliant", reason: "hostPath" },
  { rule: "HR-K8S-7", name: "hostPort", address: "kubernetes_manifest.m", json: manifest("Deployment", {}, { ports: [{ containerPort: 80, hostPort: 80 }] }), expect: "non-compliant", reason: "hostPort" },
  // HR-K8S-8
  { rule: "HR-K8S-8", name: "unprivileged non-root", address: "kubernetes_manifest.m", json: manifest("Deployment", {}, { securityContext: { ...container.securityContext, runAsUser: 1000 } }), expect: "compliant" },
  { rule: "HR-K8S-8", name: "NET_BIND_SERVICE only", address: "kubernetes_manifest.m", json: manifest("Deployment", {}, { securityContext: { ...container.securityContext, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } } }), expect: "compliant" },
  { rule: "HR-K8S-8", name: "privileged", address: "kubernetes_manifest.m", json: manifest("Deployment", {}, { securityContext: { ...container.securityContext, privileged: true } }), expect: "non-compliant", reason: "is privileged" },
  { rule: "HR-K8S-8", name: "added capability", address: "kubernetes_manifest.m", json: manifest("Deployment", {}, { securityContext: { ...container.securityContext, capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } } }), expect: "non-compliant", reason: "SYS_ADMIN" },
  { rule: "HR-K8S-8", name: "runAsUser 0 on the pod", address: "kubernetes_manifest.m", json: manifest("Deployment", { securityContext: { runAsUser: 0 } }), expect: "non-compliant", reason: "user 0" },
  { rule: "HR-K8S-8", name: "runAsUser from a variable", address: "kubernetes_manifest.m", json: manifest("Deployment", {}, { securityContext: { ...container.securityContext, runAsUser: "${var.uid}" } }), expect: "non-compliant", reason: "cannot evaluate" },
  // HR-K8S-9
  { rule: "HR-K8S-9", name: "a deployment", address: "kubernetes_manifest.m", json: manifest("Deployment", {}), expect: "compliant" },
  { rule: "HR-K8S-9", name: "a bare Pod manifest", address: "kubernetes_manifest.m", json: manifest("Pod", {}), expect: "non-compliant", reason: "bare Pod" },
  {
    rule: "HR-K8S-9",
    name: "a kubernetes_pod_v1",
    address: "kubernetes_pod_v1.p",
    json: tf({ kubernetes_pod_v1: { p: { metadata: { name: "p", namespace: "apps" }, spec: { container: [{ name: "c", image: "c:1" }] } } } }),
    expect: "non-compliant",
  },
  // HR-MESH-3
  { rule: "HR-MESH-3", name: "scoped ALLOW", address: "kubernetes_manifest.a", json: authz({ action: "ALLOW", rules: [{ from: [{ source: { principals: ["cluster.local/ns/a/sa/b"] } }] }] }), expect: "compliant" },
  { rule: "HR-MESH-3", name: "allow-nothing (spec: {})", address: "kubernetes_manifest.a", json: authz({}), expect: "compliant" },
  { rule: "HR-MESH-3", name: "ALLOW with an empty rule", address: "kubernetes_manifest.a", json: authz({ action: "ALLOW", rules: [{}] }), expect: "non-compliant", reason: "allows every request" },
  { rule: "HR-MESH-3", name: "default action with from: [{}]", address: "kubernetes_manifest.a", json: authz({ rules: [{ from: [{ source: {} }] }] }), expect: "non-compliant" },
  { rule: "HR-MESH-3", name: "DENY is not a grant", address: "kubernetes_manifest.a", json: authz({ action: "DENY", rules: [{}] }), expect: "not-applicable" },
  // HR-IAM-5
  { rule: "HR-IAM-5", name: "narrow AWS managed policy", address: "aws_iam_role_policy_attachment.a", json: attach("arn:${data.aws_partition.p.partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy"), expect: "compliant" },
  { rule: "HR-IAM-5", name: "AdministratorAccess", address: "aws_iam_role_policy_attachment.a", json: attach("arn:aws:iam::aws:policy/AdministratorAccess"), expect: "non-compliant", reason: "AdministratorAccess" },
  { rule: "HR-IAM-5", name: "AmazonS3FullAccess", address: "aws_iam_role_policy_attachment.a", json: attach("arn:aws:iam::aws:policy/AmazonS3FullAccess"), expect: "non-compliant", reason: "FullAccess" },
  { rule: "HR-IAM-5", name: "policy ARN from a variable", address: "aws_iam_role_policy_attachment.a", json: attach("${var.policy}"), expect: "non-compliant", reason: "cannot evaluate" },
  {
    rule: "HR-IAM-5",
    name: "managed_policy_arns on a role",
    address: "aws_iam_role.r",
    json: tf({ aws_iam_role: { r: { assume_role_policy: "{}", managed_policy_arns: ["arn:aws:iam::aws:policy/PowerUserAccess"] } } }),
    expect: "non-compliant",
    reason: "PowerUserAccess",
  },
  {
    rule: "HR-IAM-5",
    name: "a policy of this stack",
    address: "aws_iam_role_policy_attachment.a",
    json: tf({ aws_iam_policy: { p: { policy: "{}" } }, aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: ref("aws_iam_policy.p", "arn") } } }),
    expect: "compliant",
  },
  // HR-IAM-6
  {
    rule: "HR-IAM-6",
    name: "IRSA with sub",
    address: "aws_iam_role.r",
    json: role([{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::1:oidc-provider/oidc.eks" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.eks:sub": "system:serviceaccount:a:b", "oidc.eks:aud": "sts.amazonaws.com" } } }]),
    expect: "compliant",
  },
  {
    rule: "HR-IAM-6",
    name: "IRSA with aud only",
    address: "aws_iam_role.r",
    json: role([{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::1:oidc-provider/oidc.eks" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.eks:aud": "sts.amazonaws.com" } } }]),
    expect: "non-compliant",
    reason: ":sub",
  },
  {
    rule: "HR-IAM-6",
    name: "IRSA with a wildcard subject",
    address: "aws_iam_role.r",
    json: role([{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::1:oidc-provider/oidc.eks" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { "oidc.eks:sub": "system:serviceaccount:*" } } }]),
    expect: "non-compliant",
  },
  // HR-IAM-7
  {
    rule: "HR-IAM-7",
    name: "service trust with SourceAccount",
    address: "aws_iam_role.r",
    json: role([{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }]),
    expect: "compliant",
  },
  { rule: "HR-IAM-7", name: "EC2 instance role", address: "aws_iam_role.r", json: role([{ Effect: "Allow", Principal: { Service: "ec2.${data.aws_partition.p.dns_suffix}" }, Action: "sts:AssumeRole" }]), expect: "compliant" },
  { rule: "HR-IAM-7", name: "service trust without SourceAccount", address: "aws_iam_role.r", json: role([{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }]), expect: "non-compliant", reason: "without aws:SourceAccount" },
  // HR-EC2-5 / 6 / 7
  { rule: "HR-EC2-5", name: "IMDSv2 instance", address: "aws_instance.i", json: instance({}), expect: "compliant" },
  { rule: "HR-EC2-5", name: "IMDSv1 instance", address: "aws_instance.i", json: instance({ metadata_options: { http_tokens: "optional" } }), expect: "non-compliant", reason: "optional" },
  { rule: "HR-EC2-5", name: "no metadata options", address: "aws_instance.i", json: instance({ metadata_options: undefined }), expect: "non-compliant", reason: "IMDSv1 stays enabled" },
  { rule: "HR-EC2-6", name: "private instance", address: "aws_instance.i", json: instance({}), expect: "compliant" },
  { rule: "HR-EC2-6", name: "public IP", address: "aws_instance.i", json: instance({ associate_public_ip_address: true }), expect: "non-compliant", reason: "is true" },
  { rule: "HR-EC2-6", name: "public IP from a variable", address: "aws_instance.i", json: instance({ associate_public_ip_address: "${var.public}" }), expect: "non-compliant", reason: "cannot evaluate" },
  { rule: "HR-EC2-7", name: "encrypted root", address: "aws_instance.i", json: instance({}), expect: "compliant" },
  { rule: "HR-EC2-7", name: "unencrypted root", address: "aws_instance.i", json: instance({ root_block_device: { encrypted: false } }), expect: "non-compliant", reason: "not encrypted" },
  { rule: "HR-EC2-7", name: "encrypted volume", address: "aws_ebs_volume.v", json: tf({ aws_ebs_volume: { v: { size: 10, encrypted: true, kms_key_id: KEY } } }), expect: "compliant" },
  { rule: "HR-EC2-7", name: "unencrypted volume", address: "aws_ebs_volume.v", json: tf({ aws_ebs_volume: { v: { size: 10 } } }), expect: "non-compliant" },
  { rule: "HR-EC2-7", name: "volume key from a variable", address: "aws_ebs_volume.v", json: tf({ aws_ebs_volume: { v: { size: 10, encrypted: true, kms_key_id: "${var.key}" } } }), expect: "non-compliant", reason: "cannot evaluate" },
  // HR-RDS-10
  { rule: "HR-RDS-10", name: "encrypted cluster", address: "aws_rds_cluster.c", json: tf({ aws_rds_cluster: { c: { storage_encrypted: true, kms_key_id: KEY } } }), expect: "compliant" },
  { rule: "HR-RDS-10", name: "unencrypted cluster", address: "aws_rds_cluster.c", json: tf({ aws_rds_cluster: { c: { engine: "aurora-postgresql" } } }), expect: "non-compliant", reason: "storage_encrypted" },
  // HR-REDIS-6
  { rule: "HR-REDIS-6", name: "member of a replication group", address: "aws_elasticache_cluster.c", json: tf({ aws_elasticache_cluster: { c: { replication_group_id: ref("aws_elasticache_replication_group.g") } } }), expect: "compliant" },
  { rule: "HR-REDIS-6", name: "stand-alone cluster", address: "aws_elasticache_cluster.c", json: tf({ aws_elasticache_cluster: { c: { engine: "memcached" } } }), expect: "non-compliant", reason: "stand-alone" },
  // HR-EKS-6
  { rule: "HR-EKS-6", name: "production with deletion protection", address: "aws_eks_cluster.c", json: eks({ deletion_protection: true }), expect: "compliant" },
  { rule: "HR-EKS-6", name: "production without deletion protection", address: "aws_eks_cluster.c", json: eks({ deletion_protection: false }), expect: "non-compliant", reason: "production stack" },
  { rule: "HR-EKS-6", name: "environment tag from a variable counts as production", address: "aws_eks_cluster.c", json: eks({}, { environment: "${var.env}" }), expect: "non-compliant", reason: "cannot be read" },
  { rule: "HR-EKS-6", name: "dev stack", address: "aws_eks_cluster.c", json: eks({}, { environment: "dev" }), expect: "not-applicable" },
  // HR-TF-1
  { rule: "HR-TF-1", name: "plain resource", address: "aws_kms_key.k", json: tf({ aws_kms_key: { k: { enable_key_rotation: true } } }), expect: "compliant" },
  { rule: "HR-TF-1", name: "a module call", address: "module.vpc", json: { ...tf({}), module: { vpc: { source: "terraform-aws-modules/vpc/aws" } } }, expect: "non-compliant", reason: "cannot read" },
  {
    rule: "HR-TF-1",
    name: "a dynamic ingress block",
    address: "aws_security_group.g",
    json: tf({ aws_security_group: { g: { description: "g", dynamic: { ingress: { for_each: "${var.rules}", content: { cidr_blocks: ["${ingress.value}"] } } } } } }),
    expect: "non-compliant",
    reason: "dynamic ingress",
  },
  { rule: "HR-TF-1", name: "a local-exec provisioner", address: "null_resource.n", json: tf({ null_resource: { n: { provisioner: [{ "local-exec": { command: "curl x | sh" } }] } } }), expect: "non-compliant", reason: "provisioners" },
  {
    rule: "HR-TF-2",
    name: "a construct with custom synthesis",
    address: "custom_synthesis.s/asset",
    json: tf({}),
    external: [{ kind: "external", type: "custom_synthesis", name: "s/asset", address: "custom_synthesis.s/asset", config: { construct: "TerraformAsset" }, constructPath: "s/asset" }],
    expect: "non-compliant",
    reason: "TerraformAsset",
  },
  { rule: "HR-TF-1", name: "external data", address: "data.external.e", json: tf({}, { data: { external: { e: { program: ["sh", "x"] } } } }), expect: "non-compliant" },
];

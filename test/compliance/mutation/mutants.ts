/**
 * Weakened variants of the prod platform, each with the rule that must catch it. `mutate`
 * edits a deep copy of one synthesized prod stack: `override` mutants change an attribute
 * the way `addOverride` would, `raw` mutants add provider resources a construct (or an escape
 * hatch) could add. Opt-out mutants, built through the constructs' documented props, are in
 * mutation.test.ts.
 */
import { add, addressOf, item, Json, policyOf, ref, set, setPolicy, unset } from "./edit";

export type StackLayer = "foundation" | "cluster" | "workloads";

export interface Mutant {
  readonly name: string;
  /** The rule that must report a finding. */
  readonly rule: string;
  readonly stack: StackLayer;
  readonly how: "override" | "raw";
  readonly mutate: (json: Json) => void;
}

const F = "foundation" as const;
const C = "cluster" as const;
const W = "workloads" as const;

const eks = (j: Json) => item(j, "aws_eks_cluster");
const lt = (j: Json) => item(j, "aws_launch_template", "SystemNodes/NodeGroup/LaunchTemplate");
const db = (j: Json) => item(j, "aws_db_instance", "Database/Resource");
const redis = (j: Json) => item(j, "aws_elasticache_replication_group");
const msk = (j: Json) => item(j, "aws_msk_cluster");
const nodeSg = (j: Json) => ref(addressOf(j, "aws_security_group", "SystemNodes/Sg"));
const dbSg = (j: Json) => ref(addressOf(j, "aws_security_group", "Database/SecurityGroup"));
const bucketId = (j: Json) => ref(addressOf(j, "aws_s3_bucket"));
const keyArn = (j: Json) => ref(addressOf(j, "aws_kms_key", "DataKey"), "arn");
const rolePolicy = (j: Json) => item(j, "aws_iam_role_policy", "WorkerIdentity");
const trustOf = (j: Json, path: string) => item(j, "aws_iam_role", path);
const inference = (j: Json) => item(j, "kubernetes_deployment_v1", "Serving/Inference");
const worker = (j: Json) => item(j, "kubernetes_deployment_v1", "Serving/Worker");
const podSpec = (j: Json) => worker(j)["spec"]["template"]["spec"];
const firstContainer = (j: Json) => podSpec(j)["container"][0];
const manifestOf = (j: Json, path: string) => item(j, "kubernetes_manifest", path)["manifest"];
const release = (j: Json, path: string) => item(j, "helm_release", path);
const ns = (j: Json, path: string) => item(j, "kubernetes_namespace_v1", path);

const ingress = (j: Json, cidr: Record<string, string>, name: string, port = 22) =>
  add(j, "aws_vpc_security_group_ingress_rule", name, { security_group_id: nodeSg(j), ip_protocol: "tcp", from_port: port, to_port: port, description: "mutant", ...cidr });
const openStatement = (extra: Json = {}) => ({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*", ...extra });
const doc = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const roleName = (j: Json) => ref(addressOf(j, "aws_iam_role", "WorkerIdentity"), "name");
const pod = (spec: Json) => ({ manifest: { apiVersion: "v1", kind: "Pod", metadata: { name: "debug", namespace: "inference" }, spec } });

export const MUTANTS: readonly Mutant[] = [
  // EKS control plane
  { name: "public endpoint without CIDRs", rule: "HR-EKS-1", stack: F, how: "override", mutate: (j) => set(eks(j), "vpc_config.endpoint_public_access", true) },
  { name: "public endpoint open to 0.0.0.0/0", rule: "HR-EKS-1", stack: F, how: "override", mutate: (j) => { set(eks(j), "vpc_config.endpoint_public_access", true); set(eks(j), "vpc_config.public_access_cidrs", ["0.0.0.0/0"]); } },
  { name: "public endpoint open to 0.0.0.0/1 + 128.0.0.0/1", rule: "HR-EKS-1", stack: F, how: "override", mutate: (j) => { set(eks(j), "vpc_config.endpoint_public_access", true); set(eks(j), "vpc_config.public_access_cidrs", ["0.0.0.0/1", "128.0.0.0/1"]); } },
  { name: "public endpoint open to a /4 of public space", rule: "HR-EKS-1", stack: F, how: "override", mutate: (j) => { set(eks(j), "vpc_config.endpoint_public_access", true); set(eks(j), "vpc_config.public_access_cidrs", ["32.0.0.0/4"]); } },
  { name: "public endpoint CIDRs from a variable", rule: "HR-EKS-1", stack: F, how: "override", mutate: (j) => { set(eks(j), "vpc_config.endpoint_public_access", true); set(eks(j), "vpc_config.public_access_cidrs", ["${var.operator_cidrs}"]); } },
  { name: "public endpoint flag from a variable", rule: "HR-EKS-1", stack: F, how: "override", mutate: (j) => set(eks(j), "vpc_config.endpoint_public_access", "${var.public}") },
  { name: "private endpoint off", rule: "HR-EKS-1", stack: F, how: "override", mutate: (j) => set(eks(j), "vpc_config.endpoint_private_access", false) },
  { name: "no secrets encryption", rule: "HR-EKS-2", stack: F, how: "override", mutate: (j) => unset(eks(j), "encryption_config") },
  { name: "secrets encrypted with the AWS-managed key", rule: "HR-EKS-2", stack: F, how: "override", mutate: (j) => set(eks(j), "encryption_config.provider.key_arn", "alias/aws/eks") },
  { name: "secrets key from a variable", rule: "HR-EKS-2", stack: F, how: "override", mutate: (j) => set(eks(j), "encryption_config.provider.key_arn", "${var.key}") },
  { name: "audit log off", rule: "HR-EKS-3", stack: F, how: "override", mutate: (j) => set(eks(j), "enabled_cluster_log_types", ["api"]) },
  { name: "aws-auth ConfigMap authentication", rule: "HR-EKS-4", stack: F, how: "override", mutate: (j) => set(eks(j), "access_config.authentication_mode", "API_AND_CONFIG_MAP") },
  { name: "implicit creator admin", rule: "HR-EKS-4", stack: F, how: "override", mutate: (j) => set(eks(j), "access_config.bootstrap_cluster_creator_admin_permissions", true) },
  { name: "deletion protection off in prod", rule: "HR-EKS-6", stack: F, how: "override", mutate: (j) => set(eks(j), "deletion_protection", false) },
  { name: "deletion protection from a variable", rule: "HR-EKS-6", stack: F, how: "override", mutate: (j) => set(eks(j), "deletion_protection", "${var.protect}") },
  { name: "node group without launch template", rule: "HR-EKS-5", stack: F, how: "override", mutate: (j) => unset(item(j, "aws_eks_node_group", "SystemNodes"), "launch_template") },
  { name: "node group with SSH", rule: "HR-EKS-5", stack: F, how: "override", mutate: (j) => set(item(j, "aws_eks_node_group", "SystemNodes"), "remote_access", { ec2_ssh_key: "ops" }) },
  // Launch templates and instances
  { name: "IMDSv1 on the system nodes", rule: "HR-EC2-1", stack: F, how: "override", mutate: (j) => set(lt(j), "metadata_options.http_tokens", "optional") },
  { name: "IMDS hop limit 2", rule: "HR-EC2-2", stack: F, how: "override", mutate: (j) => set(lt(j), "metadata_options.http_put_response_hop_limit", 2) },
  { name: "unencrypted node disk", rule: "HR-EC2-3", stack: F, how: "override", mutate: (j) => set(lt(j), "block_device_mappings.0.ebs.encrypted", "false") },
  { name: "node disk key from a variable", rule: "HR-EC2-3", stack: F, how: "override", mutate: (j) => set(lt(j), "block_device_mappings.0.ebs.kms_key_id", "${var.key}") },
  { name: "public IP on nodes", rule: "HR-EC2-4", stack: F, how: "override", mutate: (j) => set(lt(j), "network_interfaces.0.associate_public_ip_address", "true") },
  { name: "public IP on nodes from a variable", rule: "HR-EC2-4", stack: F, how: "override", mutate: (j) => set(lt(j), "network_interfaces.0.associate_public_ip_address", "${var.public}") },
  { name: "raw instance with IMDSv1", rule: "HR-EC2-5", stack: F, how: "raw", mutate: (j) => add(j, "aws_instance", "bastion", { ami: "ami-1", instance_type: "t3.micro", root_block_device: { encrypted: true, kms_key_id: keyArn(j) } }) },
  { name: "raw instance with a public IP", rule: "HR-EC2-6", stack: F, how: "raw", mutate: (j) => add(j, "aws_instance", "bastion", { ami: "ami-1", associate_public_ip_address: true, metadata_options: { http_tokens: "required" }, root_block_device: { encrypted: true, kms_key_id: keyArn(j) } }) },
  {
    name: "raw Karpenter EC2NodeClass with IMDSv1 and hop limit 2",
    rule: "HR-EC2-8",
    stack: C,
    how: "raw",
    mutate: (j) =>
      add(j, "kubernetes_manifest", "nodeclass", {
        manifest: { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name: "gpu" }, spec: { amiSelectorTerms: [{ alias: "al2023@latest" }], metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 } } },
      }),
  },
  { name: "Karpenter node class with hop limit 2", rule: "HR-EC2-8", stack: W, how: "override", mutate: (j) => set(item(j, "kubernetes_manifest", "GpuNodePool/NodeClass"), "manifest.spec.metadataOptions.httpPutResponseHopLimit", 2) },
  { name: "Karpenter node class volumes without the CMK", rule: "HR-EC2-8", stack: W, how: "override", mutate: (j) => unset(item(j, "kubernetes_manifest", "GpuNodePool/NodeClass"), "manifest.spec.blockDeviceMappings.0.ebs.kmsKeyID") },
  {
    name: "serving NodePool that also buys spot",
    rule: "HR-KARP-3",
    stack: W,
    how: "override",
    mutate: (j) => {
      const reqs = item(j, "kubernetes_manifest", "GpuNodePool/Pool-gpu-inference-p5").manifest.spec.template.spec.requirements as Json[];
      const capacity = reqs.find((r) => r.key === "karpenter.sh/capacity-type");
      if (!capacity) throw new Error("mutation target not found: capacity-type requirement");
      capacity.values = [...capacity.values, "spot"];
    },
  },
  { name: "serving NodePool without a capacity-type requirement", rule: "HR-KARP-3", stack: W, how: "override", mutate: (j) => { const spec = item(j, "kubernetes_manifest", "GpuNodePool/Pool-gpu-inference-p5en").manifest.spec.template.spec; spec.requirements = (spec.requirements as Json[]).filter((r) => r.key !== "karpenter.sh/capacity-type"); } },
  { name: "drill without an alarm stop condition", rule: "HR-FIS-1", stack: F, how: "override", mutate: (j) => set(item(j, "aws_fis_experiment_template", "Chaos/gpu-node-loss"), "stop_condition", [{ source: "none" }]) },
  { name: "drill without a log destination", rule: "HR-FIS-1", stack: F, how: "override", mutate: (j) => unset(item(j, "aws_fis_experiment_template", "Chaos/rds-failover"), "log_configuration") },
  { name: "FIS role trusted without aws:SourceAccount", rule: "HR-IAM-7", stack: F, how: "override", mutate: (j) => { const role = Object.values<Json>(j.resource.aws_iam_role).find((r) => String(r.assume_role_policy).includes("fis.amazonaws.com")); if (!role) throw new Error("mutation target not found: FIS role"); const doc = JSON.parse(role.assume_role_policy); for (const st of doc.Statement) delete st.Condition; role.assume_role_policy = JSON.stringify(doc); } },
  { name: "raw unencrypted EBS volume", rule: "HR-EC2-7", stack: F, how: "raw", mutate: (j) => add(j, "aws_ebs_volume", "scratch", { availability_zone: "us-east-1a", size: 100 }) },
  { name: "raw instance with an unencrypted root disk", rule: "HR-EC2-7", stack: F, how: "raw", mutate: (j) => add(j, "aws_instance", "bastion", { ami: "ami-1", metadata_options: { http_tokens: "required" }, root_block_device: { encrypted: false } }) },
  // Network
  { name: "SSH from the world on the node group", rule: "HR-NET-1", stack: F, how: "raw", mutate: (j) => ingress(j, { cidr_ipv4: "0.0.0.0/0" }, "ssh") },
  { name: "world split over two rules (0.0.0.0/1 + 128.0.0.0/1)", rule: "HR-NET-1", stack: F, how: "raw", mutate: (j) => { ingress(j, { cidr_ipv4: "0.0.0.0/1" }, "lo"); ingress(j, { cidr_ipv4: "128.0.0.0/1" }, "hi"); } },
  { name: "world split into four /2 rules", rule: "HR-NET-1", stack: F, how: "raw", mutate: (j) => ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"].forEach((c, i) => ingress(j, { cidr_ipv4: c }, `q${i}`)) },
  { name: "a /8 of public space in /10 pieces", rule: "HR-NET-1", stack: F, how: "raw", mutate: (j) => ["52.0.0.0/10", "52.64.0.0/10", "52.128.0.0/10", "52.192.0.0/10"].forEach((c, i) => ingress(j, { cidr_ipv4: c }, `p${i}`)) },
  { name: "IPv6 world", rule: "HR-NET-1", stack: F, how: "raw", mutate: (j) => ingress(j, { cidr_ipv6: "::/0" }, "v6") },
  { name: "IPv6 world split (::/1 + 8000::/1)", rule: "HR-NET-1", stack: F, how: "raw", mutate: (j) => { ingress(j, { cidr_ipv6: "::/1" }, "v6lo"); ingress(j, { cidr_ipv6: "8000::/1" }, "v6hi"); } },
  { name: "source CIDR from a variable", rule: "HR-NET-1", stack: F, how: "raw", mutate: (j) => ingress(j, { cidr_ipv4: "${var.office}" }, "office") },
  { name: "VPC endpoint rule opened to the world", rule: "HR-NET-1", stack: F, how: "override", mutate: (j) => set(item(j, "aws_vpc_security_group_ingress_rule", "EndpointSecurityGroup"), "cidr_ipv4", "0.0.0.0/0") },
  {
    name: "legacy aws_security_group_rule on the database",
    rule: "HR-NET-1",
    stack: F,
    how: "raw",
    mutate: (j) => add(j, "aws_security_group_rule", "pg", { type: "ingress", security_group_id: dbSg(j), protocol: "tcp", from_port: 5432, to_port: 5432, cidr_blocks: ["0.0.0.0/0"], description: "x" }),
  },
  { name: "inline world ingress on the cache group", rule: "HR-NET-1", stack: F, how: "override", mutate: (j) => set(item(j, "aws_security_group", "Cache/SecurityGroup"), "ingress", [{ from_port: 6379, to_port: 6379, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"], description: "x" }]) },
  { name: "HTTPS from the world on an untagged group", rule: "HR-NET-1", stack: F, how: "raw", mutate: (j) => ingress(j, { cidr_ipv4: "0.0.0.0/0" }, "https", 443) },
  { name: "group without description", rule: "HR-NET-2", stack: F, how: "override", mutate: (j) => set(item(j, "aws_security_group", "Kafka/SecurityGroup"), "description", "Managed by Terraform") },
  { name: "rule without description", rule: "HR-NET-2", stack: F, how: "override", mutate: (j) => unset(item(j, "aws_vpc_security_group_ingress_rule", "Kafka"), "description") },
  { name: "default security group with rules", rule: "HR-NET-3", stack: F, how: "override", mutate: (j) => set(item(j, "aws_default_security_group"), "ingress", [{ from_port: 0, to_port: 0, protocol: "-1", self: true }]) },
  { name: "flow log removed", rule: "HR-NET-4", stack: F, how: "override", mutate: (j) => delete j["resource"]["aws_flow_log"] },
  // RDS
  { name: "unencrypted database", rule: "HR-RDS-1", stack: F, how: "override", mutate: (j) => set(db(j), "storage_encrypted", false) },
  { name: "database key from a variable", rule: "HR-RDS-1", stack: F, how: "override", mutate: (j) => set(db(j), "kms_key_id", "${var.key}") },
  { name: "no deletion protection", rule: "HR-RDS-2", stack: F, how: "override", mutate: (j) => set(db(j), "deletion_protection", false) },
  { name: "one day of backups", rule: "HR-RDS-3", stack: F, how: "override", mutate: (j) => set(db(j), "backup_retention_period", 1) },
  { name: "no IAM authentication on the replica", rule: "HR-RDS-4", stack: F, how: "override", mutate: (j) => set(item(j, "aws_db_instance", "Replica1"), "iam_database_authentication_enabled", false) },
  { name: "Performance Insights off", rule: "HR-RDS-5", stack: F, how: "override", mutate: (j) => set(db(j), "performance_insights_enabled", false) },
  { name: "public database", rule: "HR-RDS-6", stack: F, how: "override", mutate: (j) => set(db(j), "publicly_accessible", true) },
  { name: "public database from a variable", rule: "HR-RDS-6", stack: F, how: "override", mutate: (j) => set(db(j), "publicly_accessible", "${var.public}") },
  { name: "public Aurora instance", rule: "HR-RDS-6", stack: F, how: "raw", mutate: (j) => add(j, "aws_rds_cluster_instance", "reader", { cluster_identifier: "c", instance_class: "db.r7g.large", publicly_accessible: true }) },
  { name: "literal master password", rule: "HR-RDS-7", stack: F, how: "override", mutate: (j) => { unset(db(j), "manage_master_user_password"); set(db(j), "password", "${var.db_password}"); } },
  { name: "TLS not forced", rule: "HR-RDS-8", stack: F, how: "override", mutate: (j) => set(item(j, "aws_db_parameter_group"), "parameter.0.value", "0") },
  { name: "no final snapshot", rule: "HR-RDS-9", stack: F, how: "override", mutate: (j) => set(db(j), "skip_final_snapshot", true) },
  { name: "raw unencrypted Aurora cluster", rule: "HR-RDS-10", stack: F, how: "raw", mutate: (j) => add(j, "aws_rds_cluster", "aurora", { engine: "aurora-postgresql", master_username: "x", manage_master_user_password: true }) },
  { name: "proxy without TLS", rule: "HR-RDSPROXY-1", stack: F, how: "override", mutate: (j) => set(item(j, "aws_db_proxy"), "require_tls", false) },
  { name: "proxy without IAM auth", rule: "HR-RDSPROXY-2", stack: F, how: "override", mutate: (j) => set(item(j, "aws_db_proxy"), "auth.0.iam_auth", "DISABLED") },
  // ElastiCache
  { name: "cache unencrypted at rest", rule: "HR-REDIS-1", stack: F, how: "override", mutate: (j) => set(redis(j), "at_rest_encryption_enabled", false) },
  { name: "cache with the AWS-managed key", rule: "HR-REDIS-1", stack: F, how: "override", mutate: (j) => set(redis(j), "kms_key_id", "alias/aws/elasticache") },
  { name: "cache TLS preferred", rule: "HR-REDIS-2", stack: F, how: "override", mutate: (j) => set(redis(j), "transit_encryption_mode", "preferred") },
  { name: "cache without authentication", rule: "HR-REDIS-3", stack: F, how: "override", mutate: (j) => unset(redis(j), "user_group_ids") },
  { name: "cache with a literal AUTH token", rule: "HR-REDIS-3", stack: F, how: "override", mutate: (j) => { unset(redis(j), "user_group_ids"); set(redis(j), "auth_token", "correct-horse-battery"); } },
  { name: "no automatic failover", rule: "HR-REDIS-4", stack: F, how: "override", mutate: (j) => set(redis(j), "automatic_failover_enabled", false) },
  { name: "no cache snapshots", rule: "HR-REDIS-5", stack: F, how: "override", mutate: (j) => set(redis(j), "snapshot_retention_limit", 0) },
  { name: "raw stand-alone memcached", rule: "HR-REDIS-6", stack: F, how: "raw", mutate: (j) => add(j, "aws_elasticache_cluster", "memcached", { engine: "memcached", node_type: "cache.t4g.small", num_cache_nodes: 1 }) },
  // MSK
  { name: "Kafka plaintext listener", rule: "HR-MSK-1", stack: F, how: "override", mutate: (j) => set(msk(j), "encryption_info.encryption_in_transit.client_broker", "TLS_PLAINTEXT") },
  { name: "Kafka in-cluster TLS from a variable", rule: "HR-MSK-1", stack: F, how: "override", mutate: (j) => set(msk(j), "encryption_info.encryption_in_transit.in_cluster", "${var.tls}") },
  { name: "Kafka without a CMK", rule: "HR-MSK-2", stack: F, how: "override", mutate: (j) => unset(msk(j), "encryption_info.encryption_at_rest_kms_key_arn") },
  { name: "Kafka unauthenticated", rule: "HR-MSK-3", stack: F, how: "override", mutate: (j) => set(msk(j), "client_authentication.unauthenticated", true) },
  { name: "Kafka broker logs off", rule: "HR-MSK-4", stack: F, how: "override", mutate: (j) => set(msk(j), "logging_info.broker_logs.cloudwatch_logs.enabled", false) },
  { name: "public brokers", rule: "HR-MSK-5", stack: F, how: "override", mutate: (j) => set(msk(j), "broker_node_group_info.connectivity_info.public_access.type", "SERVICE_PROVIDED_EIPS") },
  // S3, KMS, logs, data safety
  { name: "bucket without prevent_destroy", rule: "HR-DATA-1", stack: F, how: "override", mutate: (j) => set(item(j, "aws_s3_bucket"), "lifecycle.prevent_destroy", false) },
  { name: "key without prevent_destroy", rule: "HR-DATA-1", stack: F, how: "override", mutate: (j) => set(item(j, "aws_kms_key", "LogsKey"), "lifecycle.prevent_destroy", false) },
  { name: "bucket force_destroy", rule: "HR-DATA-2", stack: F, how: "override", mutate: (j) => set(item(j, "aws_s3_bucket"), "force_destroy", true) },
  { name: "bucket force_destroy from a variable", rule: "HR-DATA-2", stack: F, how: "override", mutate: (j) => set(item(j, "aws_s3_bucket"), "force_destroy", "${var.teardown}") },
  { name: "public policies allowed", rule: "HR-S3-1", stack: F, how: "override", mutate: (j) => set(item(j, "aws_s3_bucket_public_access_block"), "block_public_policy", false) },
  {
    name: "a second, all-false public access block",
    rule: "HR-S3-1",
    stack: F,
    how: "raw",
    mutate: (j) => add(j, "aws_s3_bucket_public_access_block", "open", { bucket: bucketId(j), block_public_acls: false, block_public_policy: false, ignore_public_acls: false, restrict_public_buckets: false }),
  },
  { name: "SSE-S3 instead of KMS", rule: "HR-S3-2", stack: F, how: "override", mutate: (j) => set(item(j, "aws_s3_bucket_server_side_encryption_configuration"), "rule.0.apply_server_side_encryption_by_default", { sse_algorithm: "AES256" }) },
  { name: "versioning suspended", rule: "HR-S3-3", stack: F, how: "override", mutate: (j) => set(item(j, "aws_s3_bucket_versioning"), "versioning_configuration.status", "Suspended") },
  { name: "bucket policy without the TLS deny", rule: "HR-S3-4", stack: F, how: "override", mutate: (j) => set(item(j, "aws_s3_bucket_policy"), "policy", doc([{ Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "*" }])) },
  { name: "object ACLs enabled", rule: "HR-S3-5", stack: F, how: "override", mutate: (j) => set(item(j, "aws_s3_bucket_ownership_controls"), "rule", { object_ownership: "ObjectWriter" }) },
  { name: "key rotation off", rule: "HR-KMS-1", stack: F, how: "override", mutate: (j) => set(item(j, "aws_kms_key", "DataKey"), "enable_key_rotation", false) },
  { name: "log group without a CMK", rule: "HR-LOG-1", stack: F, how: "override", mutate: (j) => unset(item(j, "aws_cloudwatch_log_group", "ControlPlaneLogs"), "kms_key_id") },
  { name: "log group key from a variable", rule: "HR-LOG-1", stack: F, how: "override", mutate: (j) => set(item(j, "aws_cloudwatch_log_group", "FlowLogGroup"), "kms_key_id", "${var.key}") },
  { name: "log group kept forever", rule: "HR-LOG-2", stack: F, how: "override", mutate: (j) => unset(item(j, "aws_cloudwatch_log_group", "BrokerLogs"), "retention_in_days") },
  // IAM
  { name: "admin statement on the worker role", rule: "HR-IAM-2", stack: F, how: "override", mutate: (j) => set(rolePolicy(j), "policy", doc([openStatement({ Principal: undefined })])) },
  { name: "s3:* on the worker role", rule: "HR-IAM-1", stack: F, how: "override", mutate: (j) => set(rolePolicy(j), "policy", doc([{ Effect: "Allow", Action: "s3:*", Resource: "*" }])) },
  { name: "NotAction on the worker role", rule: "HR-IAM-1", stack: F, how: "override", mutate: (j) => set(rolePolicy(j), "policy", doc([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }])) },
  { name: "policy hidden in jsonencode", rule: "HR-IAM-1", stack: F, how: "override", mutate: (j) => set(rolePolicy(j), "policy", '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = var.actions, "Resource" = "*"}]})}') },
  { name: "PassRole on *", rule: "HR-IAM-3", stack: F, how: "override", mutate: (j) => set(rolePolicy(j), "policy", doc([{ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }])) },
  { name: "role trust open to everyone", rule: "HR-IAM-4", stack: F, how: "override", mutate: (j) => set(trustOf(j, "WorkerIdentity"), "assume_role_policy", doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }])) },
  {
    name: "role trust open to everyone over TLS only",
    rule: "HR-IAM-4",
    stack: F,
    how: "override",
    mutate: (j) => set(trustOf(j, "InferenceIdentity"), "assume_role_policy", doc([{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Condition: { Bool: { "aws:SecureTransport": "true" } } }])),
  },
  {
    name: "key policy with NotPrincipal",
    rule: "HR-IAM-4",
    stack: F,
    how: "override",
    mutate: (j) => {
      const key = item(j, "aws_kms_key", "DataKey");
      const policy = policyOf(key);
      policy["Statement"].push({ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:Decrypt", Resource: "*" });
      setPolicy(key, policy);
    },
  },
  { name: "raw open aws_kms_key_policy", rule: "HR-IAM-4", stack: F, how: "raw", mutate: (j) => add(j, "aws_kms_key_policy", "open", { key_id: ref(addressOf(j, "aws_kms_key", "DataKey")), policy: doc([openStatement({ Action: "kms:*" })]) }) },
  {
    name: "raw bucket policy granting everyone GetObject",
    rule: "HR-IAM-4",
    stack: F,
    how: "raw",
    mutate: (j) => add(j, "aws_s3_bucket_policy", "public", { bucket: bucketId(j), policy: doc([openStatement({ Action: "s3:GetObject" })]) }),
  },
  {
    name: "raw bucket policy open to everyone with an unscoping condition",
    rule: "HR-IAM-4",
    stack: F,
    how: "raw",
    mutate: (j) => add(j, "aws_s3_bucket_policy", "tls", { bucket: bucketId(j), policy: doc([openStatement({ Action: "s3:GetObject", Condition: { NumericGreaterThanEquals: { "s3:TlsVersion": "1.2" } } })]) }),
  },
  { name: "raw AdministratorAccess attachment", rule: "HR-IAM-5", stack: F, how: "raw", mutate: (j) => add(j, "aws_iam_role_policy_attachment", "admin", { role: roleName(j), policy_arn: managed("AdministratorAccess") }) },
  { name: "raw AmazonS3FullAccess attachment", rule: "HR-IAM-5", stack: F, how: "raw", mutate: (j) => add(j, "aws_iam_role_policy_attachment", "s3full", { role: roleName(j), policy_arn: managed("AmazonS3FullAccess") }) },
  { name: "raw PowerUserAccess via aws_iam_policy_attachment", rule: "HR-IAM-5", stack: F, how: "raw", mutate: (j) => add(j, "aws_iam_policy_attachment", "power", { name: "p", roles: [roleName(j)], policy_arn: managed("PowerUserAccess") }) },
  { name: "IAMFullAccess in managed_policy_arns", rule: "HR-IAM-5", stack: F, how: "override", mutate: (j) => set(trustOf(j, "TopicAdminIdentity"), "managed_policy_arns", [managed("IAMFullAccess")]) },
  { name: "managed policy ARN from a variable", rule: "HR-IAM-5", stack: F, how: "override", mutate: (j) => set(item(j, "aws_iam_role_policy_attachment", "SystemNodes"), "policy_arn", "${var.node_policy}") },
  {
    name: "raw IRSA role trusted on aud only",
    rule: "HR-IAM-6",
    stack: F,
    how: "raw",
    mutate: (j) =>
      add(j, "aws_iam_role", "irsa", {
        assume_role_policy: doc([{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.eks.us-east-1.amazonaws.com/id/X:aud": "sts.amazonaws.com" } } }]),
      }),
  },
  {
    name: "cluster role trust without SourceAccount",
    rule: "HR-IAM-7",
    stack: F,
    how: "override",
    mutate: (j) => {
      const role = trustOf(j, "Cluster/Role");
      const policy = policyOf(role, "assume_role_policy");
      delete policy["Statement"][0]["Condition"];
      setPolicy(role, policy, "assume_role_policy");
    },
  },
  { name: "flow-log role trust without SourceAccount", rule: "HR-IAM-7", stack: F, how: "override", mutate: (j) => set(trustOf(j, "FlowLogRole"), "assume_role_policy", doc([{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }])) },
  // Values hidden behind variables, locals and functions
  { name: "trust principal from a variable", rule: "HR-IAM-4", stack: F, how: "override", mutate: (j) => set(trustOf(j, "WorkerIdentity"), "assume_role_policy", doc([{ Effect: "Allow", Principal: { AWS: "${var.trusted}" }, Action: "sts:AssumeRole" }])) },
  { name: "policy action from a local", rule: "HR-IAM-1", stack: F, how: "override", mutate: (j) => set(rolePolicy(j), "policy", doc([{ Effect: "Allow", Action: "${local.actions}", Resource: "*" }])) },
  { name: "policy resource from a variable", rule: "HR-IAM-2", stack: F, how: "override", mutate: (j) => set(rolePolicy(j), "policy", doc([{ Effect: "Allow", Action: "s3:GetObject", Resource: "${var.resources}" }])) },
  { name: "node group launch template from a variable", rule: "HR-EKS-5", stack: F, how: "override", mutate: (j) => set(item(j, "aws_eks_node_group", "SystemNodes"), "launch_template.id", "${var.template}") },
  { name: "cache TLS mode from a variable", rule: "HR-REDIS-2", stack: F, how: "override", mutate: (j) => set(redis(j), "transit_encryption_mode", "${var.tls_mode}") },
  { name: "key spec from a variable (would skip rotation)", rule: "HR-KMS-1", stack: F, how: "override", mutate: (j) => set(item(j, "aws_kms_key", "ClusterKey"), "customer_master_key_spec", "${var.spec}") },
  { name: "default security group rules from a variable", rule: "HR-NET-3", stack: F, how: "override", mutate: (j) => set(item(j, "aws_default_security_group"), "ingress", "${var.default_rules}") },
  { name: "worker namespace from a variable", rule: "HR-K8S-5", stack: W, how: "override", mutate: (j) => set(worker(j), "metadata.namespace", "${var.namespace}") },
  { name: "DestinationRule TLS mode from a variable", rule: "HR-MESH-2", stack: W, how: "override", mutate: (j) => set(manifestOf(j, "DestinationRule"), "spec.trafficPolicy.tls", { mode: "${var.tls}" }) },
  { name: "privileged flag from a variable", rule: "HR-K8S-8", stack: W, how: "override", mutate: (j) => set(firstContainer(j), "security_context.privileged", "${var.privileged}") },
  // State, secrets, invisible content
  { name: "state not encrypted", rule: "HR-STATE-1", stack: F, how: "override", mutate: (j) => set(j["terraform"], "backend.s3.encrypt", false) },
  { name: "state not locked", rule: "HR-STATE-1", stack: F, how: "override", mutate: (j) => unset(j["terraform"], "backend.s3.use_lockfile") },
  { name: "literal password in an output", rule: "HR-SEC-1", stack: F, how: "raw", mutate: (j) => (j["output"] = { ...(j["output"] ?? {}), db_password: { value: "hunter2hunter2" } }) },
  { name: "literal secret as a variable default", rule: "HR-SEC-1", stack: F, how: "raw", mutate: (j) => (j["variable"] = { api_token: { type: "string", default: "tok-0123456789" } }) },
  { name: "an AWS access key in a tag", rule: "HR-SEC-1", stack: F, how: "override", mutate: (j) => set(item(j, "aws_s3_bucket"), "tags.note", "AKIAABCDEFGHIJKLMNOP") },
  { name: "raw module call", rule: "HR-TF-1", stack: F, how: "raw", mutate: (j) => add(j, "module", "vpc", { source: "terraform-aws-modules/vpc/aws", version: "5.0.0" }, "module") },
  {
    name: "dynamic ingress block",
    rule: "HR-TF-1",
    stack: F,
    how: "override",
    mutate: (j) => set(item(j, "aws_security_group", "Karpenter/Sg"), "dynamic", { ingress: { for_each: "${var.rules}", content: { cidr_blocks: ["${ingress.value}"], from_port: 0, to_port: 0, protocol: "-1" } } }),
  },
  { name: "raw null_resource with local-exec", rule: "HR-TF-1", stack: F, how: "raw", mutate: (j) => add(j, "null_resource", "hook", { provisioner: [{ "local-exec": { command: "aws iam attach-role-policy ..." } }] }) },
  { name: "raw external data source", rule: "HR-TF-1", stack: F, how: "raw", mutate: (j) => add(j, "external", "lookup", { program: ["sh", "-c", "echo {}"] }, "data") },

  // prod-foundation: the remote KV tier's resources (no shipped environment deploys it; added raw, as the tier would)
  { name: "raw secret without a customer key", rule: "HR-SEC-2", stack: F, how: "raw", mutate: (j) => add(j, "aws_secretsmanager_secret", "kv", { name: "headroom-prod/cache/kv" }) },
  { name: "raw yearly secret rotation", rule: "HR-SEC-3", stack: F, how: "raw", mutate: (j) => add(j, "aws_secretsmanager_secret_rotation", "kv", { secret_id: "s", rotation_lambda_arn: "arn:aws:lambda:us-east-1:123456789012:function:f", rotation_rules: { automatically_after_days: 365 } }) },
  { name: "raw secret rotation that never rotates at creation", rule: "HR-SEC-3", stack: F, how: "raw", mutate: (j) => add(j, "aws_secretsmanager_secret_rotation", "kv", { secret_id: "s", rotation_lambda_arn: "arn:aws:lambda:us-east-1:123456789012:function:f", rotation_rules: { automatically_after_days: 30 }, rotate_immediately: false }) },
  { name: "raw cache user on ~* +@all without a password", rule: "HR-REDIS-7", stack: F, how: "raw", mutate: (j) => add(j, "aws_elasticache_user", "kv", { user_id: "kv", user_name: "kv", engine: "redis", access_string: "on ~* +@all", authentication_mode: { type: "no-password-required" } }) },
  { name: "raw password user on every key", rule: "HR-REDIS-7", stack: F, how: "raw", mutate: (j) => add(j, "aws_elasticache_user", "kv", { user_id: "kv", user_name: "kv", engine: "redis", access_string: "on ~* +@all", authentication_mode: { type: "password", passwords: ["${data.aws_secretsmanager_random_password.p.random_password}"] } }) },
  { name: "raw password user nothing rotates", rule: "HR-REDIS-8", stack: F, how: "raw", mutate: (j) => add(j, "aws_elasticache_user", "kv", { user_id: "kv", user_name: "kv", engine: "redis", access_string: "on ~vllm@* -@all +get +set", authentication_mode: { type: "password", passwords: ["${data.aws_secretsmanager_random_password.p.random_password}"] } }) },
  {
    name: "raw Lambda function outside the VPC",
    rule: "HR-LAMBDA-1",
    stack: F,
    how: "raw",
    mutate: (j) => add(j, "aws_lambda_function", "rotate", { function_name: "rotate", role: "r", runtime: "nodejs22.x", handler: "index.handler", filename: "f.zip", kms_key_arn: keyArn(j), logging_config: { log_format: "JSON", log_group: "/aws/lambda/rotate" } }),
  },
  { name: "raw Lambda permission for any secret", rule: "HR-LAMBDA-2", stack: F, how: "raw", mutate: (j) => add(j, "aws_lambda_permission", "sm", { action: "lambda:InvokeFunction", function_name: "rotate", principal: "secretsmanager.amazonaws.com" }) },

  // prod-cluster: Helm, namespaces, add-on identities
  { name: "chart version range", rule: "HR-HELM-1", stack: C, how: "override", mutate: (j) => set(release(j, "keda"), "version", "^2.0.0") },
  { name: "chart version from a variable", rule: "HR-HELM-1", stack: C, how: "override", mutate: (j) => set(release(j, "metrics-server"), "version", "${var.chart_version}") },
  { name: "chart over plain HTTP", rule: "HR-HELM-2", stack: C, how: "override", mutate: (j) => set(release(j, "jaeger"), "repository", "http://charts.example.com") },
  { name: "password in Helm values (YAML)", rule: "HR-SEC-1", stack: C, how: "override", mutate: (j) => release(j, "keda")["values"].push("auth:\n  password: s3cr3t-value\n") },
  { name: "URL with a password in Helm values (JSON)", rule: "HR-SEC-1", stack: C, how: "override", mutate: (j) => release(j, "jaeger")["values"].push(JSON.stringify({ storage: { url: "postgres://jaeger:hunter2@db:5432/jaeger" } })) },
  { name: "password in Helm values (jsonencode)", rule: "HR-SEC-1", stack: C, how: "override", mutate: (j) => release(j, "kube-prometheus-stack")["values"].push('${jsonencode({"grafana" = {"adminPassword" = "admin123"}})}') },
  { name: "literal set_sensitive value", rule: "HR-SEC-1", stack: C, how: "override", mutate: (j) => set(release(j, "istiod"), "set_sensitive", [{ name: "global.remotePilotAddress", value: "token-abc" }]) },
  { name: "literal password through Helm set", rule: "HR-SEC-1", stack: C, how: "override", mutate: (j) => set(release(j, "istiod"), "set", [{ name: "grafana.adminPassword", value: "admin123" }]) },
  { name: "keda namespace made privileged", rule: "HR-K8S-6", stack: C, how: "override", mutate: (j) => (ns(j, "keda")["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] = "privileged") },
  { name: "observability namespace without an enforce label", rule: "HR-K8S-6", stack: C, how: "override", mutate: (j) => { delete ns(j, "observability")["metadata"]["labels"]["pod-security.kubernetes.io/enforce"]; } },
  { name: "raw kubernetes_labels making default privileged", rule: "HR-K8S-6", stack: C, how: "raw", mutate: (j) => add(j, "kubernetes_labels", "default", { api_version: "v1", kind: "Namespace", metadata: { name: "default" }, labels: { "pod-security.kubernetes.io/enforce": "privileged" } }) },
  { name: "raw privileged Namespace manifest", rule: "HR-K8S-6", stack: C, how: "raw", mutate: (j) => add(j, "kubernetes_manifest", "tools", { manifest: { apiVersion: "v1", kind: "Namespace", metadata: { name: "tools", labels: { "pod-security.kubernetes.io/enforce": "privileged" } } } }) },
  { name: "container log group key from a variable", rule: "HR-LOG-1", stack: C, how: "override", mutate: (j) => set(item(j, "aws_cloudwatch_log_group"), "kms_key_id", "${var.logs_key}") },
  { name: "raw open secret policy", rule: "HR-IAM-4", stack: C, how: "raw", mutate: (j) => add(j, "aws_secretsmanager_secret_policy", "open", { secret_arn: ref(addressOf(j, "aws_secretsmanager_secret"), "arn"), policy: doc([openStatement({ Action: "secretsmanager:GetSecretValue" })]) }) },
  { name: "secret policy inline, open to everyone", rule: "HR-IAM-4", stack: C, how: "override", mutate: (j) => set(item(j, "aws_secretsmanager_secret"), "policy", doc([openStatement({ Action: "secretsmanager:GetSecretValue" })])) },
  { name: "add-on role trusted by anyone", rule: "HR-IAM-4", stack: C, how: "override", mutate: (j) => set(trustOf(j, "karpenter"), "assume_role_policy", doc([{ Effect: "Allow", Principal: "*", Action: ["sts:AssumeRole", "sts:TagSession"] }])) },
  { name: "add-on role policy with iam:*", rule: "HR-IAM-1", stack: C, how: "override", mutate: (j) => set(item(j, "aws_iam_role_policy", "keda"), "policy", doc([{ Effect: "Allow", Action: "iam:*", Resource: "*" }])) },

  // prod-workloads: pods, mesh
  { name: "worker may run as root", rule: "HR-K8S-1", stack: W, how: "override", mutate: (j) => { set(firstContainer(j), "security_context.run_as_non_root", false); set(podSpec(j), "security_context.run_as_non_root", false); } },
  { name: "writable root filesystem", rule: "HR-K8S-1", stack: W, how: "override", mutate: (j) => set(firstContainer(j), "security_context.read_only_root_filesystem", false) },
  { name: "privilege escalation allowed", rule: "HR-K8S-1", stack: W, how: "override", mutate: (j) => set(firstContainer(j), "security_context.allow_privilege_escalation", true) },
  { name: "no memory limit", rule: "HR-K8S-2", stack: W, how: "override", mutate: (j) => unset(firstContainer(j), "resources.limits.memory") },
  { name: "latest image", rule: "HR-K8S-3", stack: W, how: "override", mutate: (j) => set(inference(j)["spec"]["template"]["spec"]["container"][0], "image", "vllm/vllm-openai:latest") },
  { name: "image from a variable", rule: "HR-K8S-3", stack: W, how: "override", mutate: (j) => set(firstContainer(j), "image", "${var.worker_image}") },
  { name: "no probes", rule: "HR-K8S-4", stack: W, how: "override", mutate: (j) => { unset(firstContainer(j), "liveness_probe"); unset(firstContainer(j), "readiness_probe"); } },
  { name: "worker in the default namespace", rule: "HR-K8S-5", stack: W, how: "override", mutate: (j) => set(worker(j), "metadata.namespace", "default") },
  { name: "host network", rule: "HR-K8S-7", stack: W, how: "override", mutate: (j) => set(podSpec(j), "host_network", true) },
  { name: "host PID", rule: "HR-K8S-7", stack: W, how: "override", mutate: (j) => set(podSpec(j), "host_pid", true) },
  { name: "hostPath mount of /", rule: "HR-K8S-7", stack: W, how: "override", mutate: (j) => podSpec(j)["volume"].push({ name: "host", host_path: { path: "/" } }) },
  { name: "hostPort", rule: "HR-K8S-7", stack: W, how: "override", mutate: (j) => set(firstContainer(j), "port", [{ container_port: 8080, host_port: 8080 }]) },
  { name: "privileged container", rule: "HR-K8S-8", stack: W, how: "override", mutate: (j) => set(firstContainer(j), "security_context.privileged", true) },
  { name: "SYS_ADMIN added", rule: "HR-K8S-8", stack: W, how: "override", mutate: (j) => set(firstContainer(j), "security_context.capabilities.add", ["SYS_ADMIN"]) },
  { name: "runAsUser 0 on the pod", rule: "HR-K8S-8", stack: W, how: "override", mutate: (j) => set(podSpec(j), "security_context.run_as_user", "0") },
  { name: "raw bare privileged Pod", rule: "HR-K8S-9", stack: W, how: "raw", mutate: (j) => add(j, "kubernetes_manifest", "debug", pod({ containers: [{ name: "sh", image: "busybox:1.36", securityContext: { privileged: true } }] })) },
  { name: "raw bare Pod fails the pod security rules too", rule: "HR-K8S-8", stack: W, how: "raw", mutate: (j) => add(j, "kubernetes_manifest", "debug", pod({ hostPID: true, containers: [{ name: "sh", image: "busybox:1.36", securityContext: { privileged: true } }] })) },
  { name: "PeerAuthentication PERMISSIVE", rule: "HR-MESH-1", stack: W, how: "override", mutate: (j) => set(manifestOf(j, "InferenceMtls"), "spec.mtls.mode", "PERMISSIVE") },
  { name: "DestinationRule TLS disabled", rule: "HR-MESH-2", stack: W, how: "override", mutate: (j) => set(manifestOf(j, "DestinationRule"), "spec.trafficPolicy.tls", { mode: "DISABLE" }) },
  { name: "AuthorizationPolicy allows all ({} rule)", rule: "HR-MESH-3", stack: W, how: "override", mutate: (j) => manifestOf(j, "Serving/Authorization")["spec"]["rules"].push({}) },
  { name: "AuthorizationPolicy rule with an empty source", rule: "HR-MESH-3", stack: W, how: "override", mutate: (j) => set(manifestOf(j, "Serving/Authorization"), "spec.rules", [{ from: [{ source: {} }] }]) },
  { name: "--api-key in container args", rule: "HR-SEC-1", stack: W, how: "override", mutate: (j) => inference(j)["spec"]["template"]["spec"]["container"][0]["args"].push("--api-key", "sk-live-0123456789") },
  { name: "--password=... in a command", rule: "HR-SEC-1", stack: W, how: "override", mutate: (j) => set(firstContainer(j), "command", ["worker", "--db-password=hunter2hunter2"]) },
  { name: "database URL with a password in env", rule: "HR-SEC-1", stack: W, how: "override", mutate: (j) => firstContainer(j)["env"].push({ name: "DATABASE_URL", value: "postgresql://worker:hunter2@db:5432/app" }) },
  { name: "token in env", rule: "HR-SEC-1", stack: W, how: "override", mutate: (j) => firstContainer(j)["env"].push({ name: "HF_TOKEN", value: "hf_abcdefghijklmnop" }) },
  { name: "inference namespace made privileged", rule: "HR-K8S-6", stack: W, how: "override", mutate: (j) => (ns(j, "Inference")["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] = "privileged") },
];

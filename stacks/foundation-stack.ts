import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CapacityPlan } from "../lib/capacity/types";
import { Compliance } from "../lib/compliance";
import { ChaosDrills } from "../lib/chaos";
import { CacheUserPasswordRotation, Database, KafkaCluster, ModelBucket, RedisCluster } from "../lib/data";
import { LMCACHE_VALKEY_ACCESS_STRING } from "../lib/serving/private/kv-cache";
import { EksAddons, EksCluster, GpuNodeGroup, KarpenterNodeInfrastructure, SystemNodeGroup, WorkloadIdentity } from "../lib/eks";
import { Port } from "../lib/network/connections";
import { NatGateways, Vpc } from "../lib/network/vpc";
import { KmsKey } from "../lib/security/kms-key";
import { configureBackend } from "./backend";
import { EnvironmentConfig } from "./environments";
import { foundationPropsFromPlan } from "./sizing";

/** Kubernetes names the foundation grants IAM permissions to (EKS Pod Identity binds by namespace and service account). */
export const WORKLOAD_SERVICE_ACCOUNTS = {
  inference: { namespace: "inference", serviceAccount: "inference" },
  worker: { namespace: "inference-workers", serviceAccount: "inference-worker" },
  topicAdmin: { namespace: "inference-workers", serviceAccount: "kafka-topic-admin" },
} as const;

/** Label selector of the inference pods (the serving tier's standard labels); the pod-delete drill targets it. */
export const INFERENCE_POD_SELECTOR = "app.kubernetes.io/component=inference,app.kubernetes.io/part-of=headroom";

/** Consumer group of the async workers on the request topic. */
export const WORKER_CONSUMER_GROUP = "inference-workers";
/** PostgreSQL user the workers log in as through RDS Proxy with IAM authentication. */
export const WORKER_DB_USER = "inference_worker";

/**
 * Rules that demand the protections an environment's `teardown` turns off; teardown suppresses
 * them on the foundation stack with its written reason (and only then).
 */
export const TEARDOWN_SUPPRESSED_RULES = ["HR-DATA-1", "HR-RDS-2", "HR-EKS-6"] as const;
/** The environment's GPU node provisioner (Karpenter unless the environment opts for the Cluster Autoscaler). */
export function nodeProvisionerOf(env: EnvironmentConfig): "karpenter" | "cluster-autoscaler" {
  return env.gpuNodes?.provisioner ?? "karpenter";
}

/** Properties of {@link FoundationStack}. */
export interface FoundationStackProps {
  readonly env: EnvironmentConfig;
  readonly plan: CapacityPlan;
}

/**
 * `<env>-foundation`: everything AWS. Network, customer-managed keys, EKS with
 * its node groups, IAM for workloads, Redis, MSK, RDS and the model bucket, all
 * sized by the capacity plan through `foundationPropsFromPlan`.
 */
export class FoundationStack extends TerraformStack {
  public readonly env: EnvironmentConfig;
  /** Encrypts log groups (CloudWatch Logs is admitted by the key policy). */
  public readonly logsKey: KmsKey;
  /** Encrypts Kubernetes secrets (EKS envelope encryption) and node volumes. */
  public readonly clusterKey: KmsKey;
  /** Encrypts Redis, MSK, RDS, Performance Insights, Secrets Manager, the model bucket and their logs. */
  public readonly dataKey: KmsKey;
  public readonly vpc: Vpc;
  public readonly cluster: EksCluster;
  public readonly systemNodes: SystemNodeGroup;
  /** GPU managed node groups; only with `gpuNodes.provisioner: "cluster-autoscaler"`. */
  public readonly gpuNodes?: GpuNodeGroup;
  /** Karpenter's node role, node security group and interruption queue; only with the (default) Karpenter provisioner. */
  public readonly karpenter?: KarpenterNodeInfrastructure;
  public readonly cache: RedisCluster;
  /** The remote KV tier's Valkey user and its rotated password; only when the plan deploys the tier (kvCache.remoteTier). */
  public readonly kvCacheCredential?: CacheUserPasswordRotation;
  public readonly kafka: KafkaCluster;
  public readonly database: Database;
  public readonly models: ModelBucket;
  /** AWS FIS drill templates (every environment), scheduled only where `chaos.weeklySchedule` is set. */
  public readonly chaos: ChaosDrills;

  public constructor(scope: Construct, id: string, props: FoundationStackProps) {
    super(scope, id);
    const { env, plan } = props;
    this.env = env;
    const sizing = foundationPropsFromPlan(plan);
    new AwsProvider(this, "aws", {
      region: env.region,
      allowedAccountIds: [...env.allowedAccountIds],
      defaultTags: [{ tags: { ...env.tags, "headroom:stack": id } }],
    });
    configureBackend(this, id, env);

    const prefix = env.namePrefix;
    // Protected unless the environment is explicitly being torn down (README, "Tearing an environment down").
    const protect = env.teardown === undefined;
    if (env.teardown) {
      for (const rule of TEARDOWN_SUPPRESSED_RULES) Compliance.suppress(this, rule, `teardown: ${env.teardown.reason}`);
    }
    const keep = { preventDestroy: protect };
    this.logsKey = new KmsKey(this, "LogsKey", { alias: `${prefix}-logs`, addressName: "logs", description: `${prefix}: CloudWatch log groups`, allowCloudWatchLogs: true, ...keep });
    this.clusterKey = new KmsKey(this, "ClusterKey", { alias: `${prefix}-cluster`, addressName: "cluster", description: `${prefix}: EKS secrets and node volumes`, ...keep });
    this.dataKey = new KmsKey(this, "DataKey", {
      alias: `${prefix}-data`,
      addressName: "data",
      description: `${prefix}: Redis, MSK, RDS, secrets, model bucket and their logs`,
      allowCloudWatchLogs: true,
      ...keep,
    });

    this.vpc = new Vpc(this, "Network", {
      name: prefix,
      cidr: env.vpcCidr,
      azCount: env.azCount,
      natGateways: env.production ? NatGateways.PER_AZ : NatGateways.SINGLE,
      logsKey: this.logsKey,
      clusterName: prefix,
    });
    const subnetIds = this.vpc.privateSubnetIds;

    // Compute.
    const publicCidrs = env.cluster.publicEndpointCidrs ?? [];
    this.cluster = new EksCluster(this, "Cluster", {
      clusterName: prefix,
      vpcId: this.vpc.vpcId,
      subnetIds,
      kmsKey: this.clusterKey,
      logsKmsKey: this.logsKey,
      adminRoleArns: [...env.cluster.adminRoleArns],
      deletionProtection: protect,
      auditLogPreventDestroy: protect,
      ...(publicCidrs.length > 0 ? { publicEndpoint: { allowedCidrs: [...publicCidrs] } } : {}),
    });
    // With the Cluster Autoscaler (in <env>-cluster), it moves desired sizes between min and max and
    // an apply must not drag them back to the plan's steady-peak value. With Karpenter, nothing scales
    // the managed system group, so the plan's desired size is enforced; GPU nodes come from NodePools.
    const autoscaled = nodeProvisionerOf(env) === "cluster-autoscaler";
    const scaled = { cluster: this.cluster, subnetIds, ignoreDesiredSizeChanges: autoscaled };
    this.systemNodes = new SystemNodeGroup(this, "SystemNodes", { ...scaled, ...sizing.systemNodes });
    const gpuCapacity = env.gpuNodes?.capacity;
    if (autoscaled) this.gpuNodes = new GpuNodeGroup(this, "GpuNodes", { ...scaled, ...sizing.gpuNodes, ...(gpuCapacity ? { capacity: gpuCapacity } : {}) });
    else {
      const snapshotId = env.gpuNodes?.modelSnapshotId;
      this.karpenter = new KarpenterNodeInfrastructure(this, "Karpenter", {
        cluster: this.cluster,
        queueName: `${prefix}-karpenter`,
        preventDestroy: protect,
        ...(snapshotId ? { modelSnapshot: { snapshotId, availabilityZones: this.vpc.availabilityZones } } : {}),
      });
    }
    new EksAddons(this, "EksAddons", { cluster: this.cluster, after: [this.systemNodes.resource], volumeKmsKeys: [this.clusterKey] });

    // Data tier: reachable only from the system nodes, where workers, KEDA and Prometheus run.
    const data = { vpcId: this.vpc.vpcId, subnetIds, kmsKey: this.dataKey, namePrefix: prefix, ...keep };
    // The remote KV tier's user: LMCache's Redis connector authenticates with a password (it cannot sign IAM tokens).
    const kvUser = plan.kvCache?.remoteTier ? `${prefix}-kv` : undefined;
    this.cache = new RedisCluster(this, "Cache", {
      ...data,
      ...sizing.redis,
      ...(kvUser ? { passwordUsers: [{ userName: kvUser, accessString: LMCACHE_VALKEY_ACCESS_STRING }] } : {}),
    });
    this.kafka = new KafkaCluster(this, "Kafka", { ...data, ...sizing.kafka, topics: [...sizing.kafka.topics] });
    this.database = new Database(this, "Database", { ...data, ...sizing.database, availabilityZones: this.vpc.availabilityZones, deletionProtection: protect });
    this.models = new ModelBucket(this, "Models", { kmsKey: this.dataKey, namePrefix: prefix, ...keep });

    this.cache.connections.allowFrom(this.systemNodes, Port.tcp(this.cache.port), "async workers store results in the cache");
    this.kafka.connections.allowFrom(this.systemNodes, Port.tcp(this.kafka.port), "workers and KEDA use Kafka with IAM auth over TLS");
    this.kafka.connections.allowFrom(this.systemNodes, Port.tcpRange(11001, 11002), "Prometheus scrapes the MSK JMX and node exporters");
    this.database.connections.allowFrom(this.systemNodes, Port.tcp(this.database.port), "async workers query PostgreSQL through RDS Proxy");

    // Workload identities (EKS Pod Identity binds them to service accounts the workloads stack creates).
    const identity = (name: string, sa: { namespace: string; serviceAccount: string }) =>
      new WorkloadIdentity(this, name, { clusterName: this.cluster.clusterName, ...sa });
    const inference = identity("InferenceIdentity", WORKLOAD_SERVICE_ACCOUNTS.inference);
    this.models.grantRead(inference, plan.input.model.name);
    if (kvUser) {
      this.kvCacheCredential = new CacheUserPasswordRotation(this, "KvCacheCredential", {
        cache: this.cache,
        userName: kvUser,
        vpcId: this.vpc.vpcId,
        subnetIds,
        kmsKey: this.dataKey,
        namePrefix: prefix,
        logRetentionDays: env.production ? 365 : 30,
        tags: env.tags,
      });
      this.kvCacheCredential.grantRead(inference);
      const gpuNodes = this.karpenter ?? this.gpuNodes;
      if (gpuNodes) this.cache.connections.allowFrom(gpuNodes, Port.tcp(this.cache.port), "inference pods use the remote KV tier (LMCache)");
    }
    const worker = identity("WorkerIdentity", WORKLOAD_SERVICE_ACCOUNTS.worker);
    const requestTopics = this.kafka.topics.map((t) => t.name);
    this.kafka.grantProduceConsume(worker, requestTopics, WORKER_CONSUMER_GROUP);
    this.cache.grantConnect(worker);
    this.database.grantConnect(worker, WORKER_DB_USER);
    if (plan.database.readReplicas > 0) this.database.grantConnectReplicas(worker, WORKER_DB_USER);
    const topicAdmin = identity("TopicAdminIdentity", WORKLOAD_SERVICE_ACCOUNTS.topicAdmin);
    this.kafka.grantTopicAdmin(topicAdmin, requestTopics);

    // Chaos drills: templates everywhere, a weekly automatic run only where configured (never production).
    this.chaos = new ChaosDrills(this, "Chaos", {
      namePrefix: prefix,
      clusterName: this.cluster.clusterName,
      gpuNodes: this.gpuNodes ? { kind: "nodegroups", nodegroupArns: this.gpuNodes.nodeGroups.map((g) => g.arn) } : { kind: "karpenter" },
      privateSubnetIds: subnetIds,
      inferencePods: { namespace: WORKLOAD_SERVICE_ACCOUNTS.inference.namespace, labelSelector: INFERENCE_POD_SELECTOR },
      database: { instanceArn: this.database.resource.arn },
      kafka: { clusterArn: this.kafka.clusterArn, clusterName: this.kafka.clusterName },
      ...(this.karpenter ? { karpenterQueueName: this.karpenter.queueName } : {}),
      logsKmsKey: this.logsKey,
      logRetentionDays: env.production ? 365 : 30,
      ...(env.chaos?.weeklySchedule ? { weeklySchedule: env.chaos.weeklySchedule } : {}),
    });

    new TerraformOutput(this, "cluster_name", { value: this.cluster.clusterName });
    new TerraformOutput(this, "vpc_id", { value: this.vpc.vpcId });
    new TerraformOutput(this, "model_bucket", { value: this.models.bucketName });
    new TerraformOutput(this, "kafka_topics", { value: this.kafka.topicsJson, description: "Topic layout derived by the capacity plan" });
  }
}

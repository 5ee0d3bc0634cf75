import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { MskConfiguration } from "@cdktf/provider-aws/lib/msk-configuration";
import { pinAddress } from "../core/stable-address";
import { Problems } from "../core/validation";
import { Connections, IConnectable, Port, SecurityGroup } from "../network/connections";
import { EncryptedLogGroup } from "../security/encrypted-log-group";
import { IGrantable } from "../security/policy";
import { awsContext } from "../security/private/aws-context";
import {
  DEFAULT_KAFKA_VERSION,
  KAFKA_VERSIONS,
  KafkaVersion,
  maxBrokersFor,
  MSK_MAX_PROVISIONED_THROUGHPUT_MIBPS,
  MSK_MAX_VOLUME_GIB,
} from "./private/catalog";
import { checkCommonProps, DataServiceProps, tagsOf } from "./private/common";

/** One topic the workloads use; the same shape as the capacity plan's `KafkaTopicPlan`. */
export interface KafkaTopic {
  /** Topic name: 1-249 of `[a-zA-Z0-9._-]`. */
  readonly name: string;
  /** Partitions: the most consumers of one group that can work in parallel. */
  readonly partitions: number;
  /** Replicas of each partition: above `min.insync.replicas`, at most the broker count. */
  readonly replicationFactor: number;
  /** How long records are kept (`retention.ms` = hours x 3,600,000). */
  readonly retentionHours: number;
}

/** Properties of {@link KafkaCluster}. */
export interface KafkaClusterProps extends DataServiceProps {
  /** Broker count, a multiple of the number of subnets (one AZ each). */
  readonly brokers: number;
  /** Broker instance type, e.g. `kafka.m7g.large`. */
  readonly brokerInstanceType: string;
  /** EBS storage per broker at creation, GiB (1-16384). */
  readonly storagePerBrokerGiB: number;
  /**
   * Ceiling of storage autoscaling per broker, GiB; autoscaling grows volumes (never shrinks them).
   * @default 3 x storagePerBrokerGiB, at most 16384
   */
  readonly maxStoragePerBrokerGiB?: number;
  /**
   * Disk use per broker, percent, that storage autoscaling keeps volumes under.
   * @default 60
   */
  readonly storageTargetUtilizationPercent?: number;
  /**
   * Provisioned EBS throughput per broker, MiB/s (250 up to the broker type's maximum;
   * kafka.m5.4xlarge / kafka.m7g.2xlarge and larger only). Needed when client ingress per broker
   * times the replication factor exceeds the 250 MiB/s baseline (capacity-data.md).
   * @default not provisioned (250 MiB/s baseline)
   */
  readonly provisionedThroughputMiBps?: number;
  /**
   * Kafka version from the closed set {@link KAFKA_VERSIONS}.
   * @default "3.9.x.kraft"
   */
  readonly kafkaVersion?: KafkaVersion;
  /**
   * The topic layout the workloads stack creates (exported as {@link KafkaCluster.topics} and
   * {@link KafkaCluster.topicsJson}); grants are checked against it.
   * @default none
   */
  readonly topics?: readonly KafkaTopic[];
  /**
   * CloudWatch metrics level: `DEFAULT`, `PER_BROKER`, `PER_TOPIC_PER_BROKER` or `PER_TOPIC_PER_PARTITION`.
   * Consumer lag for alerts comes from the Prometheus exporters, so per-broker is enough.
   * @default "PER_BROKER"
   */
  readonly enhancedMonitoring?: string;
}

const IAM_TLS_PORT = 9098;

/**
 * Amazon MSK cluster for the source article's peak shaving: requests queue in Kafka and
 * asynchronous workers drain them. Brokers spread evenly over the AZs, TLS between clients
 * and brokers and inside the cluster, IAM client authentication only, encryption at rest
 * with the customer key, broker logs in an encrypted log group, Prometheus JMX and node
 * exporters, a server configuration that refuses auto-created topics and unsafe leader
 * election, and storage autoscaling.
 *
 * Replication rule: one replica per AZ, at most 3. Over 3 AZs, `default.replication.factor=3`
 * and `min.insync.replicas=2` (one broker or zone may fail without losing acknowledged
 * writes); over 2 AZs, 2 and 1.
 *
 * @example
 * const kafka = new KafkaCluster(this, "Kafka", {
 *   vpcId, subnetIds: privateSubnetIds, kmsKey, namePrefix: "headroom-prod",
 *   brokers: 3, brokerInstanceType: "kafka.m7g.large", storagePerBrokerGiB: 500,
 *   topics: [{ name: "inference-requests", partitions: 24, replicationFactor: 3, retentionHours: 24 }],
 * });
 * kafka.connections.allowFrom(workerNodes, Port.tcp(9098), "async workers consume requests");
 * kafka.grantProduceConsume(workerIdentity, ["inference-requests"], "inference-workers");
 */
export class KafkaCluster extends Construct implements IConnectable {
  /** The `aws_msk_cluster` (escape hatch). */
  public readonly resource: MskCluster;
  /** Security group rules, with 9098 (SASL/IAM over TLS) as the default port. */
  public readonly connections: Connections;
  public readonly securityGroup: SecurityGroup;
  public readonly clusterName: string;
  public readonly clusterArn: string;
  /** Bootstrap brokers for SASL/IAM over TLS (port 9098), comma-separated. */
  public readonly bootstrapBrokersSaslIam: string;
  /** Port clients use. */
  public readonly port = IAM_TLS_PORT;
  /** The topic layout, as given. */
  public readonly topics: readonly KafkaTopic[];
  /** The topic layout as a JSON string, ready for a Terraform output or a ConfigMap. */
  public readonly topicsJson: string;
  /** `default.replication.factor` of the cluster configuration. */
  public readonly defaultReplicationFactor: number;
  /** `min.insync.replicas` of the cluster configuration. */
  public readonly minInsyncReplicas: number;
  /** Storage autoscaling ceiling per broker, GiB. */
  public readonly maxStoragePerBrokerGiB: number;
  private readonly arnPrefix: string;

  public constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    const version = props.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
    const topics = props.topics ?? [];
    const targetPercent = props.storageTargetUtilizationPercent ?? 60;
    const enhancedMonitoring = props.enhancedMonitoring ?? "PER_BROKER";
    this.maxStoragePerBrokerGiB = props.maxStoragePerBrokerGiB ?? Math.min(MSK_MAX_VOLUME_GIB, 3 * props.storagePerBrokerGiB);

    const problems = new Problems(`KafkaCluster '${this.node.path}' props`);
    // The cluster name is `<prefix>-kafka` and may have at most 64 characters.
    checkCommonProps(problems, props, 58);
    // MSK standard brokers live in 2 or 3 availability zones, one client subnet each.
    if (props.subnetIds.length > 3) problems.add("KAFKA_SUBNETS", "subnetIds", props.subnetIds, "2 or 3 private subnets in different availability zones");
    const versionOk = problems.checkOneOf("KAFKA_VERSION", "kafkaVersion", version, KAFKA_VERSIONS);
    const maxBrokers = versionOk ? maxBrokersFor(version) : 60;
    if (problems.checkNumber("KAFKA_BROKERS", "brokers", props.brokers, { min: 2, max: maxBrokers, integer: true })) {
      if (props.subnetIds.length > 0 && props.brokers % props.subnetIds.length !== 0) {
        problems.add(
          "KAFKA_BROKERS_NOT_MULTIPLE_OF_AZS",
          "brokers",
          props.brokers,
          `a multiple of the ${props.subnetIds.length} subnets (availability zones), e.g. ${Math.ceil(props.brokers / props.subnetIds.length) * props.subnetIds.length}`,
        );
      }
    }
    if (!/^kafka\.[a-z0-9]+\.[a-z0-9]+$/.test(props.brokerInstanceType)) {
      problems.add("KAFKA_INSTANCE_TYPE", "brokerInstanceType", props.brokerInstanceType, "an MSK broker type such as kafka.m7g.large");
    }
    const storageOk = problems.checkNumber("KAFKA_STORAGE", "storagePerBrokerGiB", props.storagePerBrokerGiB, { min: 1, max: MSK_MAX_VOLUME_GIB, integer: true });
    if (storageOk) {
      problems.checkNumber("KAFKA_MAX_STORAGE", "maxStoragePerBrokerGiB", this.maxStoragePerBrokerGiB, {
        min: props.storagePerBrokerGiB,
        max: MSK_MAX_VOLUME_GIB,
        integer: true,
      });
    }
    problems.checkNumber("KAFKA_STORAGE_TARGET", "storageTargetUtilizationPercent", targetPercent, { min: 10, max: 90 });
    problems.checkOneOf("KAFKA_ENHANCED_MONITORING", "enhancedMonitoring", enhancedMonitoring, [
      "DEFAULT",
      "PER_BROKER",
      "PER_TOPIC_PER_BROKER",
      "PER_TOPIC_PER_PARTITION",
    ]);
    if (props.provisionedThroughputMiBps !== undefined) {
      const max = MSK_MAX_PROVISIONED_THROUGHPUT_MIBPS[props.brokerInstanceType];
      if (max === undefined) {
        problems.add(
          "KAFKA_THROUGHPUT_INSTANCE",
          "brokerInstanceType",
          props.brokerInstanceType,
          `with provisionedThroughputMiBps: one of ${Object.keys(MSK_MAX_PROVISIONED_THROUGHPUT_MIBPS).join(", ")}`,
        );
      } else {
        problems.checkNumber("KAFKA_THROUGHPUT", "provisionedThroughputMiBps", props.provisionedThroughputMiBps, { min: 250, max });
      }
      if (storageOk && props.storagePerBrokerGiB < 10) {
        problems.add("KAFKA_THROUGHPUT_STORAGE", "storagePerBrokerGiB", props.storagePerBrokerGiB, "at least 10 GiB with provisioned throughput");
      }
    }
    // One replica per AZ, at most 3 (the capacity model's rule too): a zone outage costs one replica.
    this.defaultReplicationFactor = Math.max(1, Math.min(3, props.subnetIds.length, Math.floor(props.brokers)));
    this.minInsyncReplicas = Math.max(1, this.defaultReplicationFactor - 1);
    const names = new Set<string>();
    topics.forEach((t, i) => {
      if (!/^[a-zA-Z0-9._-]{1,249}$/.test(t.name)) problems.add("KAFKA_TOPIC_NAME", `topics[${i}].name`, t.name, "1-249 of [a-zA-Z0-9._-]");
      if (names.has(t.name)) problems.add("KAFKA_TOPIC_DUPLICATE", `topics[${i}].name`, t.name, "each topic name once");
      names.add(t.name);
      problems.checkNumber("KAFKA_TOPIC_PARTITIONS", `topics[${i}].partitions`, t.partitions, { min: 1, integer: true });
      problems.checkNumber("KAFKA_TOPIC_REPLICATION", `topics[${i}].replicationFactor`, t.replicationFactor, {
        min: Math.min(this.minInsyncReplicas + 1, props.brokers),
        max: props.brokers,
        integer: true,
      });
      problems.checkNumber("KAFKA_TOPIC_RETENTION", `topics[${i}].retentionHours`, t.retentionHours, { min: 1, exclusiveMin: false });
    });
    problems.throwIfAny();

    this.clusterName = `${props.namePrefix}-kafka`;
    this.topics = topics.map((t) => ({ ...t }));
    this.topicsJson = JSON.stringify(
      this.topics.map((t) => ({ ...t, retentionMs: Math.round(t.retentionHours * 3_600_000) })),
    );
    const tags = tagsOf(props);

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      vpcId: props.vpcId,
      description: `MSK brokers of ${this.clusterName}`,
      name: `${this.clusterName}-sg`,
      tags: props.tags,
    });
    this.connections = new Connections([this.securityGroup], Port.tcp(IAM_TLS_PORT));

    const brokerLogs = new EncryptedLogGroup(this, "BrokerLogs", {
      name: `/aws/msk/${this.clusterName}/broker`,
      kmsKey: props.kmsKey,
      retentionDays: props.logRetentionDays ?? 90,
      tags: props.tags,
    });

    const serverProperties = [
      // Topics are created deliberately with the planned partitions, never by a typo in a producer.
      "auto.create.topics.enable=false",
      `default.replication.factor=${this.defaultReplicationFactor}`,
      `min.insync.replicas=${this.minInsyncReplicas}`,
      // An out-of-sync replica never becomes leader: no silent loss of acknowledged requests.
      "unclean.leader.election.enable=false",
    ].join("\n");
    const configuration = new MskConfiguration(this, "Configuration", {
      name: `${this.clusterName}-config`,
      description: `Server properties of ${this.clusterName}`,
      kafkaVersions: [version],
      serverProperties,
    });

    this.resource = new MskCluster(this, "Resource", {
      clusterName: this.clusterName,
      kafkaVersion: version,
      numberOfBrokerNodes: props.brokers,
      enhancedMonitoring,
      brokerNodeGroupInfo: {
        instanceType: props.brokerInstanceType,
        clientSubnets: [...props.subnetIds],
        securityGroups: this.connections.securityGroupIds,
        storageInfo: {
          ebsStorageInfo: {
            volumeSize: props.storagePerBrokerGiB,
            provisionedThroughput:
              props.provisionedThroughputMiBps === undefined
                ? undefined
                : { enabled: true, volumeThroughput: props.provisionedThroughputMiBps },
          },
        },
      },
      clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
      encryptionInfo: {
        encryptionAtRestKmsKeyArn: props.kmsKey.keyArn,
        encryptionInTransit: { clientBroker: "TLS", inCluster: true },
      },
      configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
      loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: brokerLogs.logGroupName } } },
      openMonitoring: { prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } } },
      tags,
      lifecycle: {
        preventDestroy: props.preventDestroy ?? true,
        // Storage autoscaling grows the volumes; the plan must not shrink them back.
        ignoreChanges: ["broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size"],
      },
    });
    pinAddress(this.resource, props.addressName ?? "kafka");
    this.clusterArn = this.resource.arn;
    this.bootstrapBrokersSaslIam = this.resource.bootstrapBrokersSaslIam;

    const scalingTarget = new AppautoscalingTarget(this, "StorageScalingTarget", {
      serviceNamespace: "kafka",
      resourceId: this.resource.arn,
      scalableDimension: "kafka:broker-storage:VolumeSize",
      minCapacity: 1,
      maxCapacity: this.maxStoragePerBrokerGiB,
    });
    new AppautoscalingPolicy(this, "StorageScalingPolicy", {
      name: `${this.clusterName}-broker-storage`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: scalingTarget.serviceNamespace,
      resourceId: scalingTarget.resourceId,
      scalableDimension: scalingTarget.scalableDimension,
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
        targetValue: targetPercent,
        // MSK cannot shrink a volume.
        disableScaleIn: true,
      },
    });

    const ctx = awsContext(this);
    this.arnPrefix = `arn:${ctx.partition}:kafka:${ctx.region}:${ctx.accountId}`;
  }

  /** ARN of a topic: `arn:<partition>:kafka:<region>:<account>:topic/<cluster name>/<cluster uuid>/<topic>`. */
  public topicArn(topic: string): string {
    return `${this.arnPrefix}:topic/${this.clusterName}/${this.resource.clusterUuid}/${topic}`;
  }

  /** ARN of a consumer group: `...:group/<cluster name>/<cluster uuid>/<group>`. */
  public groupArn(group: string): string {
    return `${this.arnPrefix}:group/${this.clusterName}/${this.resource.clusterUuid}/${group}`;
  }

  /**
   * Lets `grantee` produce to and consume from `topics` as members of `consumerGroup`
   * (IAM access control: connect and idempotent writes on the cluster; describe, read and
   * write on the topics; describe and alter the group).
   */
  public grantProduceConsume(grantee: IGrantable, topics: readonly string[], consumerGroup: string): void {
    this.checkGrant("grantProduceConsume", topics, consumerGroup);
    grantee.addToPrincipalPolicy({
      actions: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"],
      resources: [this.clusterArn],
    });
    grantee.addToPrincipalPolicy({
      actions: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData"],
      resources: topics.map((t) => this.topicArn(t)),
    });
    grantee.addToPrincipalPolicy({
      actions: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
      resources: [this.groupArn(consumerGroup)],
    });
  }

  /**
   * Lets `grantee` read the consumer lag of `consumerGroup` on `topics` and nothing else:
   * what KEDA's Kafka scaler needs (connect, describe topics for end offsets, describe the
   * group for committed offsets).
   */
  public grantDescribeLag(grantee: IGrantable, topics: readonly string[], consumerGroup: string): void {
    this.checkGrant("grantDescribeLag", topics, consumerGroup);
    grantee.addToPrincipalPolicy({ actions: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], resources: [this.clusterArn] });
    grantee.addToPrincipalPolicy({ actions: ["kafka-cluster:DescribeTopic"], resources: topics.map((t) => this.topicArn(t)) });
    grantee.addToPrincipalPolicy({ actions: ["kafka-cluster:DescribeGroup"], resources: [this.groupArn(consumerGroup)] });
  }

  /**
   * Lets `grantee` create `topics` and grow their partitions and configuration (the topic
   * Job of the workloads stack; `auto.create.topics.enable` is off). No data access.
   */
  public grantTopicAdmin(grantee: IGrantable, topics: readonly string[]): void {
    this.checkGrant("grantTopicAdmin", topics, "topic-admin");
    grantee.addToPrincipalPolicy({ actions: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], resources: [this.clusterArn] });
    grantee.addToPrincipalPolicy({
      actions: [
        "kafka-cluster:CreateTopic",
        "kafka-cluster:DescribeTopic",
        "kafka-cluster:AlterTopic",
        "kafka-cluster:DescribeTopicDynamicConfiguration",
        "kafka-cluster:AlterTopicDynamicConfiguration",
      ],
      resources: topics.map((t) => this.topicArn(t)),
    });
  }

  private checkGrant(method: string, topics: readonly string[], consumerGroup: string): void {
    const problems = new Problems(`KafkaCluster '${this.node.path}' ${method}`);
    const known = this.topics.map((t) => t.name);
    if (topics.length === 0) problems.add("KAFKA_GRANT_TOPICS", "topics", topics, "at least one topic");
    topics.forEach((t, i) => {
      // Wildcards would widen the grant beyond the planned topics.
      if (t.includes("*") || (known.length > 0 && !known.includes(t))) {
        problems.add("KAFKA_GRANT_TOPIC", `topics[${i}]`, t, known.length > 0 ? `one of ${known.join(", ")}` : "a topic name without wildcards");
      }
    });
    if (!/^[a-zA-Z0-9._-]{1,249}$/.test(consumerGroup)) problems.add("KAFKA_GRANT_GROUP", "consumerGroup", consumerGroup, "1-249 of [a-zA-Z0-9._-]");
    problems.throwIfAny();
  }
}

import { KafkaCluster, KafkaClusterProps } from "../../lib/data/kafka-cluster";
import { SecurityGroup } from "../../lib/network/connections";
import { onlyResource, resourcesOf, synthJson } from "../helpers/synth";
import { BASE, RecordingGrantee, rendered, stack, validationError } from "./fixtures";

const TOPICS = [
  { name: "inference-requests", partitions: 24, replicationFactor: 3, retentionHours: 24 },
  { name: "inference-results", partitions: 12, replicationFactor: 3, retentionHours: 6 },
];

function synth(overrides: Partial<KafkaClusterProps> = {}) {
  const s = stack();
  const kafka = new KafkaCluster(s, "Kafka", {
    ...BASE,
    brokers: 3,
    brokerInstanceType: "kafka.m7g.large",
    storagePerBrokerGiB: 500,
    topics: TOPICS,
    ...overrides,
  });
  return { s, kafka, json: synthJson(s) };
}

function serverProperties(json: ReturnType<typeof synthJson>): Record<string, string> {
  const text: string = onlyResource(json, "aws_msk_configuration").server_properties;
  return Object.fromEntries(text.split("\n").map((l) => l.split("=") as [string, string]));
}

describe("KafkaCluster", () => {
  const { json, kafka, s } = synth();
  const msk = onlyResource(json, "aws_msk_cluster");

  test("brokers, instance type and storage follow the props", () => {
    expect(msk.number_of_broker_nodes).toBe(3);
    expect(msk.broker_node_group_info.instance_type).toBe("kafka.m7g.large");
    expect(msk.broker_node_group_info.storage_info.ebs_storage_info.volume_size).toBe(500);
    expect(msk.broker_node_group_info.client_subnets).toEqual(BASE.subnetIds);
    const other = onlyResource(synth({ brokers: 6, brokerInstanceType: "kafka.m7g.xlarge", storagePerBrokerGiB: 1200 }).json, "aws_msk_cluster");
    expect(other.number_of_broker_nodes).toBe(6);
    expect(other.broker_node_group_info.instance_type).toBe("kafka.m7g.xlarge");
    expect(other.broker_node_group_info.storage_info.ebs_storage_info.volume_size).toBe(1200);
  });

  test("pinned KRaft version by default, from the closed set otherwise", () => {
    expect(msk.kafka_version).toBe("3.9.x.kraft");
    expect(onlyResource(json, "aws_msk_configuration").kafka_versions).toEqual(["3.9.x.kraft"]);
    expect(onlyResource(synth({ kafkaVersion: "4.0.x.kraft" }).json, "aws_msk_cluster").kafka_version).toBe("4.0.x.kraft");
  });

  test("TLS client-broker and in-cluster, IAM auth only, CMK at rest", () => {
    expect(msk.encryption_info.encryption_in_transit).toEqual({ client_broker: "TLS", in_cluster: true });
    expect(msk.encryption_info.encryption_at_rest_kms_key_arn).toBe(BASE.kmsKey.keyArn);
    expect(msk.client_authentication).toEqual({ sasl: { iam: true }, unauthenticated: false });
  });

  test("broker logs to an encrypted log group; JMX and node exporters on", () => {
    const cw = msk.logging_info.broker_logs.cloudwatch_logs;
    expect(cw.enabled).toBe(true);
    const group = onlyResource(json, "aws_cloudwatch_log_group");
    expect(group.name).toBe("/aws/msk/headroom-test-kafka/broker");
    expect(group.kms_key_id).toBe(BASE.kmsKey.keyArn);
    expect(msk.open_monitoring.prometheus).toEqual({ jmx_exporter: { enabled_in_broker: true }, node_exporter: { enabled_in_broker: true } });
  });

  test("server properties: no auto-created topics, RF 3 / min ISR 2, no unclean election", () => {
    expect(serverProperties(json)).toMatchObject({
      "auto.create.topics.enable": "false",
      "default.replication.factor": "3",
      "min.insync.replicas": "2",
      "unclean.leader.election.enable": "false",
    });
    expect(msk.configuration_info.arn).toContain("aws_msk_configuration");
    expect(msk.configuration_info.revision).toContain("latest_revision");
  });

  test("over 2 AZs the rule is RF 2 / min ISR 1, whatever the broker count", () => {
    const four = synth({ brokers: 4, subnetIds: ["subnet-a", "subnet-b"], topics: [{ ...TOPICS[0]!, replicationFactor: 2 }] });
    expect(serverProperties(four.json)).toMatchObject({ "default.replication.factor": "2", "min.insync.replicas": "1" });
    const { json: j, kafka: k } = synth({ brokers: 2, subnetIds: ["subnet-a", "subnet-b"], topics: [{ ...TOPICS[0]!, replicationFactor: 2 }] });
    expect(serverProperties(j)).toMatchObject({ "default.replication.factor": "2", "min.insync.replicas": "1" });
    expect([k.defaultReplicationFactor, k.minInsyncReplicas]).toEqual([2, 1]);
  });

  test("storage autoscaling on kafka:broker-storage:VolumeSize up to the ceiling, never scaling in", () => {
    const target = onlyResource(json, "aws_appautoscaling_target");
    expect(target.service_namespace).toBe("kafka");
    expect(target.scalable_dimension).toBe("kafka:broker-storage:VolumeSize");
    expect(target.max_capacity).toBe(1500);
    const policy = onlyResource(json, "aws_appautoscaling_policy");
    expect(policy.policy_type).toBe("TargetTrackingScaling");
    const cfg = policy.target_tracking_scaling_policy_configuration;
    expect(cfg.predefined_metric_specification.predefined_metric_type).toBe("KafkaBrokerStorageUtilization");
    expect(cfg.target_value).toBe(60);
    expect(cfg.disable_scale_in).toBe(true);
    expect(msk.lifecycle.ignore_changes).toEqual(["broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size"]);
    expect(onlyResource(synth({ maxStoragePerBrokerGiB: 4000 }).json, "aws_appautoscaling_target").max_capacity).toBe(4000);
  });

  test("provisioned throughput only when asked", () => {
    expect(msk.broker_node_group_info.storage_info.ebs_storage_info.provisioned_throughput).toBeUndefined();
    const j = synth({ brokerInstanceType: "kafka.m7g.4xlarge", provisionedThroughputMiBps: 500 }).json;
    expect(onlyResource(j, "aws_msk_cluster").broker_node_group_info.storage_info.ebs_storage_info.provisioned_throughput).toEqual({
      enabled: true,
      volume_throughput: 500,
    });
  });

  test("topic layout exported as data and JSON", () => {
    expect(kafka.topics).toEqual(TOPICS);
    expect(JSON.parse(kafka.topicsJson)).toEqual(TOPICS.map((t) => ({ ...t, retentionMs: t.retentionHours * 3_600_000 })));
    expect(rendered(s, kafka.bootstrapBrokersSaslIam)).toMatch(/^\$\{aws_msk_cluster\.kafka\.bootstrap_brokers_sasl_iam\}$/);
  });

  test("prevent_destroy by default, opt-out by prop", () => {
    expect(msk.lifecycle.prevent_destroy).toBe(true);
    expect(onlyResource(synth({ preventDestroy: false }).json, "aws_msk_cluster").lifecycle.prevent_destroy).toBe(false);
  });

  test("connections open 9098 (SASL/IAM over TLS) to what the stack allows", () => {
    const s = stack();
    const k = new KafkaCluster(s, "Kafka", { ...BASE, brokers: 3, brokerInstanceType: "kafka.m7g.large", storagePerBrokerGiB: 100 });
    const workers = new SecurityGroup(s, "Workers", { vpcId: BASE.vpcId, description: "async workers" });
    k.connections.allowDefaultPortFrom(workers, "async workers consume requests");
    const ingress = Object.values(resourcesOf(synthJson(s), "aws_vpc_security_group_ingress_rule")) as any[];
    expect(ingress.map((r) => [r.from_port, r.to_port])).toEqual([[9098, 9098]]);
  });

  test("grantProduceConsume scopes to cluster, topic and group ARNs", () => {
    const g = new RecordingGrantee();
    kafka.grantProduceConsume(g, ["inference-requests"], "inference-workers");
    expect(g.actions.sort()).toEqual(
      [
        "kafka-cluster:AlterGroup",
        "kafka-cluster:Connect",
        "kafka-cluster:DescribeCluster",
        "kafka-cluster:DescribeGroup",
        "kafka-cluster:DescribeTopic",
        "kafka-cluster:ReadData",
        "kafka-cluster:WriteData",
        "kafka-cluster:WriteDataIdempotently",
      ].sort(),
    );
    const [cluster, topics, groups] = g.statements;
    expect(cluster?.resources).toEqual([kafka.clusterArn]);
    expect(topics?.resources).toHaveLength(1);
    expect(rendered(s, topics?.resources[0])).toMatch(/^arn:\$\{.*\}:kafka:\$\{.*\}:\$\{.*\}:topic\/headroom-test-kafka\/\$\{.*cluster_uuid\}\/inference-requests$/);
    expect(rendered(s, groups?.resources[0])).toMatch(/:group\/headroom-test-kafka\/\$\{.*cluster_uuid\}\/inference-workers$/);
    for (const s of g.statements) expect(s.resources.join()).not.toContain("*");
  });

  test("grantDescribeLag gives KEDA read-only lag access", () => {
    const g = new RecordingGrantee();
    kafka.grantDescribeLag(g, ["inference-requests"], "inference-workers");
    expect(g.actions.sort()).toEqual(["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:DescribeGroup", "kafka-cluster:DescribeTopic"]);
  });

  test("grantTopicAdmin may create and alter the planned topics but not read or write them", () => {
    const g = new RecordingGrantee();
    kafka.grantTopicAdmin(g, ["inference-requests"]);
    expect(g.actions).toContain("kafka-cluster:CreateTopic");
    expect(g.actions).toContain("kafka-cluster:AlterTopic");
    expect(g.actions).not.toContain("kafka-cluster:ReadData");
    expect(g.actions).not.toContain("kafka-cluster:WriteData");
    expect(() => kafka.grantTopicAdmin(g, ["*"])).toThrow(/KAFKA_GRANT_TOPIC/);
  });

  describe("fails when", () => {
    test("brokers are not a multiple of the AZs", () => {
      const err = validationError(() => synth({ brokers: 4 }));
      expect(err.codes).toEqual(["KAFKA_BROKERS_NOT_MULTIPLE_OF_AZS"]);
      expect(err.message).toContain("a multiple of the 3 subnets (availability zones), e.g. 6");
    });

    test("brokers exceed the ZooKeeper-mode quota", () => {
      expect(validationError(() => synth({ brokers: 33, kafkaVersion: "3.9.x" })).codes).toEqual(["KAFKA_BROKERS"]);
      expect(() => synth({ brokers: 33, kafkaVersion: "3.9.x.kraft", topics: [] })).not.toThrow();
    });

    test("provisioned throughput on a broker type that cannot provision it, or above its maximum", () => {
      expect(validationError(() => synth({ provisionedThroughputMiBps: 300 })).codes).toEqual(["KAFKA_THROUGHPUT_INSTANCE"]);
      expect(validationError(() => synth({ brokerInstanceType: "kafka.m7g.2xlarge", provisionedThroughputMiBps: 400 })).codes).toEqual(["KAFKA_THROUGHPUT"]);
    });

    test("a topic's replication factor exceeds the brokers or leaves no spare replica", () => {
      const err = validationError(() => synth({ topics: [{ ...TOPICS[0]!, replicationFactor: 2 }, { ...TOPICS[1]!, replicationFactor: 4 }] }));
      expect(err.codes).toEqual(["KAFKA_TOPIC_REPLICATION", "KAFKA_TOPIC_REPLICATION"]);
      expect(err.problems.map((p) => p.path)).toEqual(["topics[0].replicationFactor", "topics[1].replicationFactor"]);
    });

    test("a grant names a topic outside the layout or a wildcard", () => {
      const g = new RecordingGrantee();
      expect(validationError(() => kafka.grantProduceConsume(g, ["other"], "workers")).codes).toEqual(["KAFKA_GRANT_TOPIC"]);
      expect(validationError(() => kafka.grantDescribeLag(g, ["*"], "workers")).codes).toEqual(["KAFKA_GRANT_TOPIC"]);
      expect(g.statements).toHaveLength(0);
    });

    test("more than 3 subnets (MSK spreads brokers over 2 or 3 AZs)", () => {
      expect(validationError(() => synth({ subnetIds: ["a", "b", "c", "d"], brokers: 4 })).codes).toEqual(["KAFKA_SUBNETS"]);
    });

    test("the version is not in the closed set", () => {
      expect(validationError(() => synth({ kafkaVersion: "2.8.1" as never })).codes).toEqual(["KAFKA_VERSION"]);
    });
  });
});

import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Construct } from "constructs";
import { Problems } from "../core/validation";
import { checkPinnedImage } from "./private/image";
import { standardLabels } from "./private/labels";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./private/security";

/** One topic to create or converge. */
export interface KafkaTopicSpec {
  /** Topic name (Kafka legal characters: letters, digits, '.', '_', '-'). */
  readonly name: string;
  /** Partitions; an existing topic with fewer is grown to this count (Kafka cannot shrink). */
  readonly partitions: number;
  /** Replication factor (applies at creation; Kafka does not change it in place). */
  readonly replicationFactor: number;
  /** `retention.ms` in hours; converged on every run. */
  readonly retentionHours: number;
}

/** Props of {@link KafkaTopicsJob}. */
export interface KafkaTopicsJobProps {
  /** Namespace to run the Job in. */
  readonly namespace: string;
  /**
   * Image with the Apache Kafka CLI (`kafka-topics.sh`, `kafka-configs.sh`) and the
   * `aws-msk-iam-auth` jar (2.x, built on an AWS SDK for Java v2 that reads EKS Pod Identity
   * credentials) on the CLI's classpath, pinned by tag or digest. There is no official image
   * with both; see lib/serving/README.md for a two-line build on `apache/kafka`.
   */
  readonly image: string;
  /** MSK bootstrap brokers for IAM auth (port 9098), comma-separated; a Terraform token is fine. */
  readonly bootstrapBrokers: string;
  /** Topics to create. */
  readonly topics: readonly KafkaTopicSpec[];
  /**
   * Service account with an EKS Pod Identity association whose role may `kafka-cluster:Connect`,
   * `CreateTopic`, `DescribeTopic`, `AlterTopic`, `DescribeTopicDynamicConfiguration`, `AlterTopicDynamicConfiguration`.
   * This construct creates the Kubernetes ServiceAccount of that name.
   */
  readonly serviceAccountName: string;
  /**
   * Directory of the Kafka CLI scripts inside the image.
   * @default "/opt/kafka/bin" (the apache/kafka image layout)
   */
  readonly kafkaBinDir?: string;
  /**
   * Attempts per CLI call inside one pod (brokers may still be coming up on a first deploy).
   * @default 5
   */
  readonly attempts?: number;
  /**
   * Pod retries by the Job controller after the in-pod attempts are exhausted.
   * @default 4
   */
  readonly backoffLimit?: number;
  /**
   * Seconds the Job may run before it is failed (and `terraform apply` with it).
   * @default 900
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * UID/GID the container runs as (apache/kafka runs as `appuser`, UID 1000).
   * @default 1000
   */
  readonly runAsUser?: number;
}

const HOURS_TO_MS = 3_600_000;

/**
 * Creates the MSK topics of the plan. The AWS provider has no resource for MSK topics,
 * so a Kubernetes Job in the workloads stack runs the Kafka CLI with IAM auth (SASL
 * AWS_MSK_IAM through the pod's EKS Pod Identity). Every step is idempotent: create with
 * `--if-not-exists`, grow partitions only when the topic has fewer, converge
 * `retention.ms`; each CLI call is retried with backoff, then the Job retries the pod.
 * The Job's spec holds the topic list, so a changed plan replaces the Job and reruns it;
 * `terraform apply` waits for it to complete.
 *
 * @example
 * new KafkaTopicsJob(stack, "Topics", {
 *   namespace: "workers", image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/kafka-msk-cli:3.9.1-iam2.3.2",
 *   bootstrapBrokers: msk.bootstrapBrokersSaslIam, serviceAccountName: "kafka-topic-admin",
 *   topics: [{ name: "inference-requests", partitions: 24, replicationFactor: 3, retentionHours: 24 }],
 * });
 */
export class KafkaTopicsJob extends Construct {
  /** The Job (`kubernetes_job_v1`). */
  public readonly resource: JobV1;
  /** The shell script the Job runs (exposed for review and tests). */
  public readonly script: string;

  public constructor(scope: Construct, id: string, props: KafkaTopicsJobProps) {
    super(scope, id);
    const attempts = props.attempts ?? 5;
    const backoffLimit = props.backoffLimit ?? 4;
    const deadline = props.activeDeadlineSeconds ?? 900;
    const problems = new Problems(`KafkaTopicsJob '${id}'`);
    checkPinnedImage(problems, "image", props.image);
    if (props.topics.length === 0) problems.add("KAFKA_TOPICS_EMPTY", "topics", props.topics, "at least one topic");
    const seen = new Set<string>();
    props.topics.forEach((topic, i) => {
      if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic.name)) {
        problems.add("KAFKA_TOPIC_NAME", `topics[${i}].name`, topic.name, "1-249 characters of letters, digits, '.', '_' and '-'");
      }
      if (seen.has(topic.name)) problems.add("KAFKA_TOPIC_DUPLICATE", `topics[${i}].name`, topic.name, "each topic once");
      seen.add(topic.name);
      problems.checkNumber("KAFKA_TOPIC_PARTITIONS", `topics[${i}].partitions`, topic.partitions, { min: 1, integer: true });
      problems.checkNumber("KAFKA_TOPIC_REPLICATION", `topics[${i}].replicationFactor`, topic.replicationFactor, { min: 1, integer: true });
      problems.checkNumber("KAFKA_TOPIC_RETENTION", `topics[${i}].retentionHours`, topic.retentionHours, { min: 0, exclusiveMin: true });
    });
    problems.checkNumber("KAFKA_JOB_ATTEMPTS", "attempts", attempts, { min: 1, max: 20, integer: true });
    problems.checkNumber("KAFKA_JOB_BACKOFF_LIMIT", "backoffLimit", backoffLimit, { min: 0, max: 20, integer: true });
    problems.checkNumber("KAFKA_JOB_DEADLINE", "activeDeadlineSeconds", deadline, { min: 60, integer: true });
    problems.throwIfAny();

    this.script = topicScript(props.topics, props.kafkaBinDir ?? "/opt/kafka/bin", attempts);
    const labels = standardLabels("kafka-topics", "async");

    const serviceAccount = new ServiceAccountV1(this, "ServiceAccount", {
      metadata: { name: props.serviceAccountName, namespace: props.namespace, labels },
      automountServiceAccountToken: false,
    });

    this.resource = new JobV1(this, "Resource", {
      metadata: { name: "kafka-topics", namespace: props.namespace, labels },
      spec: {
        backoffLimit,
        activeDeadlineSeconds: deadline,
        template: {
          metadata: {
            labels,
            // A sidecar never exits, so the Job would never complete; MSK is outside the mesh anyway.
            annotations: { "sidecar.istio.io/inject": "false" },
          },
          spec: {
            restartPolicy: "Never",
            serviceAccountName: serviceAccount.metadata.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(props.runAsUser ?? 1000),
            container: [
              {
                name: "kafka-topics",
                image: props.image,
                command: ["/bin/sh", "-c", this.script],
                env: [
                  { name: "BOOTSTRAP_SERVERS", value: props.bootstrapBrokers },
                  { name: "KAFKA_HEAP_OPTS", value: "-Xms128m -Xmx384m" },
                  // The CLI writes its GC/log files under LOG_DIR; the root filesystem is read-only.
                  { name: "LOG_DIR", value: "/tmp" },
                  { name: "HOME", value: "/tmp" },
                ],
                resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "768Mi" } },
                securityContext: restrictedContainerSecurityContext(),
                volumeMount: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volume: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: `${Math.ceil(deadline / 60) + 1}m`, update: `${Math.ceil(deadline / 60) + 1}m` },
    });
  }
}

/**
 * The Job's script: write the IAM client config, then converge each topic. Pure, so it
 * can be tested; topic names are validated to the Kafka charset before they reach it.
 * It never contains `${`, which Terraform would read as an interpolation.
 */
export function topicScript(topics: readonly KafkaTopicSpec[], binDir: string, attempts: number): string {
  const lines = [
    "set -eu",
    "cat > /tmp/client.properties <<'PROPS'",
    "security.protocol=SASL_SSL",
    "sasl.mechanism=AWS_MSK_IAM",
    "sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;",
    "sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler",
    "PROPS",
    "retry() {",
    "  n=1",
    `  until "$@"; do`,
    `    if [ "$n" -ge ${attempts} ]; then echo "failed after ${attempts} attempts: $*" >&2; return 1; fi`,
    "    sleep $((n * n * 5)); n=$((n + 1))",
    "  done",
    "}",
    `K="--bootstrap-server $BOOTSTRAP_SERVERS --command-config /tmp/client.properties"`,
  ];
  for (const t of topics) {
    const retentionMs = Math.round(t.retentionHours * HOURS_TO_MS);
    lines.push(
      `retry ${binDir}/kafka-topics.sh $K --create --if-not-exists --topic ${t.name} --partitions ${t.partitions} --replication-factor ${t.replicationFactor} --config retention.ms=${retentionMs}`,
      `current=$(retry ${binDir}/kafka-topics.sh $K --describe --topic ${t.name} | sed -n 's/.*PartitionCount:[[:space:]]*\\([0-9]*\\).*/\\1/p' | head -n 1)`,
      `if [ -z "$current" ]; then current=0; fi`,
      `if [ "$current" -lt ${t.partitions} ]; then retry ${binDir}/kafka-topics.sh $K --alter --topic ${t.name} --partitions ${t.partitions}; fi`,
      `retry ${binDir}/kafka-configs.sh $K --alter --entity-type topics --entity-name ${t.name} --add-config retention.ms=${retentionMs}`,
      `echo "topic ${t.name}: ${t.partitions} partitions, rf ${t.replicationFactor}, retention.ms ${retentionMs}"`,
    );
  }
  return lines.join("\n");
}

import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "../../lib/core/validation";
import { AsyncWorker, AsyncWorkerProps } from "../../lib/serving/async-worker";
import { KafkaTopicsJob, KafkaTopicsJobProps, topicScript } from "../../lib/serving/kafka-topics";
import { onlyResource, resourcesOf, synthJson } from "../helpers/synth";
import { workloadsTestStack } from "./helpers";

const TOPICS = [
  { name: "inference-requests", partitions: 24, replicationFactor: 3, retentionHours: 24 },
  { name: "inference-dead-letters", partitions: 3, replicationFactor: 3, retentionHours: 168 },
];
const JOB: KafkaTopicsJobProps = {
  namespace: "workers",
  image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/kafka-msk-cli:3.9.1-iam2.3.2",
  bootstrapBrokers: "b-1:9098,b-2:9098",
  topics: TOPICS,
  serviceAccountName: "kafka-topic-admin",
};

function codesOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.codes;
    throw e;
  }
  return [];
}

/** Runs the Job's script against stub Kafka CLIs that log their arguments. */
function runScript(script: string, describedPartitions: number, failFirstCreate = false): string[] {
  const dir = mkdtempSync(join(tmpdir(), "kafka-stub-"));
  const log = join(dir, "calls.log");
  const stub = `#!/bin/sh
echo "$(basename "$0") $*" >> ${log}
case "$*" in
  *--create*) if [ "${failFirstCreate ? "1" : "0"}" = 1 ] && [ ! -f ${dir}/failed ]; then touch ${dir}/failed; exit 1; fi ;;
  *--describe*) echo "Topic: t	TopicId: x	PartitionCount: ${describedPartitions}	ReplicationFactor: 3" ;;
esac
exit 0
`;
  for (const tool of ["kafka-topics.sh", "kafka-configs.sh"]) {
    writeFileSync(join(dir, tool), stub);
    chmodSync(join(dir, tool), 0o755);
  }
  // Backoff sleeps are shortened: the script's `sleep` is shadowed by a no-op function.
  const fast = script.replace("set -eu", "set -eu\nsleep() { :; }").replace(/\/tmp\/client\.properties/g, join(dir, "client.properties"));
  execFileSync("/bin/sh", ["-c", fast.replaceAll("/opt/kafka/bin", dir)], { env: { ...process.env, BOOTSTRAP_SERVERS: "b-1:9098" } });
  return readFileSync(log, "utf8").trim().split("\n");
}

describe("KafkaTopicsJob", () => {
  const stack = workloadsTestStack();
  const construct = new KafkaTopicsJob(stack, "Topics", JOB);
  const job = onlyResource(synthJson(stack), "kubernetes_job_v1");
  const pod = job.spec.template.spec;

  test("runs the pinned CLI image with IAM auth, retries, and waits for completion", () => {
    expect(pod.container[0].image).toBe(JOB.image);
    expect(pod.container[0].env).toContainEqual({ name: "BOOTSTRAP_SERVERS", value: "b-1:9098,b-2:9098" });
    expect(construct.script).toContain("sasl.mechanism=AWS_MSK_IAM");
    expect(construct.script).toContain("software.amazon.msk.auth.iam.IAMClientCallbackHandler");
    expect(job.spec.backoff_limit).toBe(4);
    expect(job.wait_for_completion).toBe(true);
    expect(pod.restart_policy).toBe("Never");
    expect(job.spec.template.metadata.annotations["sidecar.istio.io/inject"]).toBe("false");
    expect(pod.container[0].security_context).toMatchObject({ run_as_non_root: true, read_only_root_filesystem: true, capabilities: { drop: ["ALL"] } });
    expect(construct.script).not.toContain("${");
  });

  test("creates idempotently and converges partitions and retention", () => {
    const calls = runScript(construct.script, 12);
    expect(calls).toContain(
      "kafka-topics.sh --bootstrap-server b-1:9098 --command-config " +
        calls[0]!.split("--command-config ")[1]!.split(" ")[0] +
        " --create --if-not-exists --topic inference-requests --partitions 24 --replication-factor 3 --config retention.ms=86400000",
    );
    // 12 existing partitions < 24 planned: grown; 12 >= 3: the dead-letter topic is left alone.
    expect(calls.filter((c) => c.includes("--alter --topic inference-requests --partitions 24"))).toHaveLength(1);
    expect(calls.filter((c) => c.includes("--alter --topic inference-dead-letters"))).toHaveLength(0);
    expect(calls.filter((c) => c.startsWith("kafka-configs.sh") && c.includes("--entity-name inference-dead-letters --add-config retention.ms=604800000"))).toHaveLength(1);
  });

  test("retries a failed CLI call", () => {
    const calls = runScript(construct.script, 24, true);
    expect(calls.filter((c) => c.includes("--create --if-not-exists --topic inference-requests"))).toHaveLength(2);
  });

  test("the script follows the topics", () => {
    const script = topicScript([{ name: "a.b", partitions: 7, replicationFactor: 2, retentionHours: 1 }], "/opt/kafka/bin", 3);
    expect(script).toContain("--topic a.b --partitions 7 --replication-factor 2 --config retention.ms=3600000");
    expect(script).toContain('if [ "$n" -ge 3 ]');
  });

  test("fails on unpinned images, bad names and duplicates, all at once", () => {
    expect(
      codesOf(
        () =>
          new KafkaTopicsJob(workloadsTestStack(), "T", {
            ...JOB,
            image: "apache/kafka",
            topics: [
              { name: "bad name;rm", partitions: 0, replicationFactor: 3, retentionHours: 1 },
              { name: "x", partitions: 1, replicationFactor: 3, retentionHours: 1 },
              { name: "x", partitions: 1, replicationFactor: 3, retentionHours: 1 },
            ],
          }),
      ),
    ).toEqual(["IMAGE_UNPINNED", "KAFKA_TOPIC_NAME", "KAFKA_TOPIC_PARTITIONS", "KAFKA_TOPIC_DUPLICATE"]);
  });
});

const WORKER: AsyncWorkerProps = {
  namespace: "workers",
  image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/inference-worker:1.4.2",
  serviceAccountName: "inference-worker",
  region: "eu-west-1",
  kafka: { bootstrapBrokers: "b-1:9098", requestTopic: "req", resultTopic: "res", deadLetterTopic: "dlq", requestTopicPartitions: 24 },
  redis: { host: "redis.example", port: "6379", authSecretArn: "arn:aws:secretsmanager:eu-west-1:1:secret:redis" },
  inferenceUrl: "http://inference.inference.svc.cluster.local:8000",
  servedModelName: "llama",
  requestTimeoutSeconds: 90,
  concurrencyPerWorker: 8,
  minReplicas: 2,
  maxReplicas: 24,
  lagThreshold: 50,
  otel: { endpoint: "http://otel:4317" },
};

describe("AsyncWorker", () => {
  function synth(props: Partial<AsyncWorkerProps> = {}) {
    const stack = workloadsTestStack();
    const worker = new AsyncWorker(stack, "Worker", { ...WORKER, ...props });
    const json = synthJson(stack);
    const manifests = Object.values(resourcesOf(json, "kubernetes_manifest")).map((m: any) => m.manifest);
    return { worker, json, deployment: onlyResource(json, "kubernetes_deployment_v1"), manifests };
  }
  const base = synth();
  const env = Object.fromEntries(base.deployment.spec.template.spec.container[0].env.map((e: any) => [e.name, e.value]));

  test("configuration through environment variables", () => {
    expect(env).toMatchObject({
      KAFKA_BOOTSTRAP_SERVERS: "b-1:9098",
      KAFKA_REQUEST_TOPIC: "req",
      KAFKA_RESULT_TOPIC: "res",
      KAFKA_DEAD_LETTER_TOPIC: "dlq",
      KAFKA_CONSUMER_GROUP: "inference-worker",
      KAFKA_AUTH: "aws_msk_iam",
      REDIS_HOST: "redis.example",
      REDIS_PORT: "6379",
      REDIS_TLS: "true",
      REDIS_AUTH: "token",
      REDIS_AUTH_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:1:secret:redis",
      INFERENCE_URL: "http://inference.inference.svc.cluster.local:8000",
      INFERENCE_TIMEOUT_SECONDS: "90",
      WORKER_CONCURRENCY: "8",
      RETRY_MAX_ATTEMPTS: "5",
      RETRY_INITIAL_BACKOFF_MS: "500",
      RETRY_MAX_BACKOFF_MS: "30000",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel:4317",
      OTEL_SERVICE_NAME: "inference-worker",
      AWS_REGION: "eu-west-1",
    });
    expect(env.DATABASE_HOST).toBeUndefined();
    const withDb = synth({ database: { writerEndpoint: "w", databaseName: "d", user: "u" }, retry: { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 1000 } });
    const dbEnv = Object.fromEntries(withDb.deployment.spec.template.spec.container[0].env.map((e: any) => [e.name, e.value]));
    expect(dbEnv).toMatchObject({ DATABASE_HOST: "w", DATABASE_READ_HOST: "w", DATABASE_PORT: "5432", DATABASE_IAM_AUTH: "true", DATABASE_SSLMODE: "verify-full", RETRY_MAX_ATTEMPTS: "3" });
  });

  test("Redis with IAM authentication, as Headroom's RedisCluster requires", () => {
    const iam = synth({ redis: { host: "clustercfg.x", port: "6379", iamUserName: "inference-worker", replicationGroupId: "headroom-prod" } });
    const iamEnv = Object.fromEntries(iam.deployment.spec.template.spec.container[0].env.map((e: any) => [e.name, e.value]));
    expect(iamEnv).toMatchObject({ REDIS_AUTH: "iam", REDIS_USER: "inference-worker", REDIS_REPLICATION_GROUP_ID: "headroom-prod", REDIS_TLS: "true", REDIS_CLUSTER_MODE: "true" });
    expect(iamEnv.REDIS_AUTH_SECRET_ARN).toBeUndefined();
    expect(codesOf(() => new AsyncWorker(workloadsTestStack(), "W", { ...WORKER, redis: { host: "h", port: "6379" } }))).toEqual(["WORKER_REDIS_AUTH"]);
    expect(codesOf(() => new AsyncWorker(workloadsTestStack(), "W", { ...WORKER, redis: { host: "h", port: "6379", iamUserName: "u" } }))).toEqual(["WORKER_REDIS_GROUP"]);
  });

  test("KEDA scales on consumer lag with MSK IAM through pod identity", () => {
    const so = base.manifests.find((m) => m.kind === "ScaledObject");
    expect(so.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 24, pollingInterval: 15, cooldownPeriod: 300, scaleTargetRef: { name: "inference-worker", kind: "Deployment" } });
    expect(so.spec.triggers[0]).toEqual({
      type: "kafka",
      metadata: {
        bootstrapServers: "b-1:9098",
        consumerGroup: "inference-worker",
        topic: "req",
        lagThreshold: "50",
        offsetResetPolicy: "earliest",
        sasl: "oauthbearer",
        saslTokenProvider: "aws_msk_iam",
        awsRegion: "eu-west-1",
        tls: "enable",
      },
      authenticationRef: { name: "inference-worker-msk-iam" },
    });
    const ta = base.manifests.find((m) => m.kind === "TriggerAuthentication");
    expect(ta.spec).toEqual({ podIdentity: { provider: "aws" } });
    const other = synth({ lagThreshold: 200, minReplicas: 0, maxReplicas: 6, cooldownSeconds: 120 }).manifests.find((m) => m.kind === "ScaledObject");
    expect(other.spec).toMatchObject({ minReplicaCount: 0, maxReplicaCount: 6, cooldownPeriod: 120 });
    expect(other.spec.triggers[0].metadata.lagThreshold).toBe("200");
  });

  test("KEDA owns the replica count; the grace period covers an in-flight call", () => {
    expect(base.deployment.lifecycle.ignore_changes).toEqual(["spec[0].replicas"]);
    expect(base.deployment.spec.template.spec.termination_grace_period_seconds).toBe(120);
    expect(base.deployment.spec.template.spec.container[0].security_context).toMatchObject({ run_as_non_root: true, read_only_root_filesystem: true });
  });

  test("fails when bounds, partitions or retries are inconsistent", () => {
    expect(codesOf(() => new AsyncWorker(workloadsTestStack(), "W", { ...WORKER, maxReplicas: 30 }))).toEqual(["WORKER_MAX_EXCEEDS_PARTITIONS"]);
    expect(
      codesOf(() => new AsyncWorker(workloadsTestStack(), "W", { ...WORKER, image: "worker:latest", minReplicas: 5, maxReplicas: 4, retry: { maxAttempts: 3, initialBackoffMs: 1000, maxBackoffMs: 10 } })),
    ).toEqual(["IMAGE_UNPINNED", "WORKER_BOUNDS", "WORKER_RETRY_BACKOFF_MAX"]);
  });
});

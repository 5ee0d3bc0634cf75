import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import { Construct } from "constructs";
import { Problems } from "../core/validation";
import { checkPinnedImage } from "./private/image";
import { LABEL_NAME, LABEL_ZONE, standardLabels } from "./private/labels";
import { checkSchema, manifestFrom } from "../private/typed-manifest";
import { OtelProps, otelEnv } from "./private/otel";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./private/security";

/** Kafka wiring of the worker. Strings may be Terraform tokens from the foundation stack. */
export interface WorkerKafkaProps {
  /** MSK bootstrap brokers for IAM auth (port 9098), comma-separated. */
  readonly bootstrapBrokers: string;
  /** Topic the worker consumes requests from. */
  readonly requestTopic: string;
  /** Topic the worker publishes completion events to. */
  readonly resultTopic: string;
  /** Topic for requests that failed every attempt. */
  readonly deadLetterTopic: string;
  /**
   * Consumer group of the workers (KEDA reads its lag).
   * @default "<name>"
   */
  readonly consumerGroup?: string;
  /**
   * Partitions of the request topic; when given, `maxReplicas` must not exceed it (extra consumers idle).
   * @default not checked
   */
  readonly requestTopicPartitions?: number;
}

/**
 * Redis (ElastiCache) wiring. No secret value reaches the Terraform JSON: the worker either
 * signs an IAM auth token with its identity (`iamUserName`, what Headroom's RedisCluster
 * uses) or reads an AUTH token from Secrets Manager (`authSecretArn`). Set exactly one.
 */
export interface WorkerRedisProps {
  /** Endpoint host: the configuration endpoint in cluster mode, the primary endpoint otherwise. */
  readonly host: string;
  /** Port (a Terraform token is fine). */
  readonly port: string;
  /**
   * ElastiCache RBAC user the worker connects as with IAM authentication.
   * @default none (then `authSecretArn` is required)
   */
  readonly iamUserName?: string;
  /**
   * Replication group id the IAM auth token is signed for (required with `iamUserName`).
   * @default none
   */
  readonly replicationGroupId?: string;
  /**
   * ARN of a Secrets Manager secret holding an AUTH token, for a group without IAM users.
   * @default none (then `iamUserName` is required)
   */
  readonly authSecretArn?: string;
  /**
   * Cluster mode enabled (the client discovers shards from the configuration endpoint).
   * @default true (Headroom's RedisCluster)
   */
  readonly clusterMode?: boolean;
  /**
   * Seconds a result stays in Redis.
   * @default 86400
   */
  readonly resultTtlSeconds?: number;
}

/** PostgreSQL through RDS Proxy with IAM authentication (no password). */
export interface WorkerDatabaseProps {
  /** RDS Proxy read/write endpoint. */
  readonly writerEndpoint: string;
  /**
   * RDS Proxy read-only endpoint (read replicas).
   * @default the writer endpoint
   */
  readonly readerEndpoint?: string;
  /**
   * Port.
   * @default "5432"
   */
  readonly port?: string;
  /** Database name. */
  readonly databaseName: string;
  /** Database user the IAM role may `rds-db:connect` as. */
  readonly user: string;
}

/** Retry policy of calls to the inference service. */
export interface WorkerRetryProps {
  /** Attempts per request, including the first. */
  readonly maxAttempts: number;
  /** First backoff, milliseconds; doubles each attempt with full jitter. */
  readonly initialBackoffMs: number;
  /** Backoff cap, milliseconds. */
  readonly maxBackoffMs: number;
}

/** Props of {@link AsyncWorker}. */
export interface AsyncWorkerProps {
  /** Namespace of the workers. */
  readonly namespace: string;
  /**
   * Name of the Deployment and its objects.
   * @default "inference-worker"
   */
  readonly name?: string;
  /**
   * Worker image, pinned. Contract: reads the environment documented in lib/serving/README.md,
   * serves `GET /healthz` (liveness) and `GET /readyz` (readiness) on `healthPort`, and exits
   * cleanly on SIGTERM after finishing in-flight requests and committing their offsets.
   */
  readonly image: string;
  /** Service account with an EKS Pod Identity association (MSK read/write, ElastiCache connect or Secrets Manager read, RDS connect). Created here. */
  readonly serviceAccountName: string;
  /** AWS region (MSK IAM signing, Secrets Manager, RDS IAM tokens). */
  readonly region: string;
  /** Kafka wiring. */
  readonly kafka: WorkerKafkaProps;
  /** Redis wiring. */
  readonly redis: WorkerRedisProps;
  /**
   * Database wiring.
   * @default none: the worker gets no database environment
   */
  readonly database?: WorkerDatabaseProps;
  /** URL of the inference service's OpenAI-compatible API (InferenceService.url). */
  readonly inferenceUrl: string;
  /** Model name to send in requests. */
  readonly servedModelName: string;
  /** Seconds one inference call may take before the worker gives up on that attempt (the route timeout). */
  readonly requestTimeoutSeconds: number;
  /** Requests one worker keeps in flight. */
  readonly concurrencyPerWorker: number;
  /** Minimum replicas (KEDA `minReplicaCount`). */
  readonly minReplicas: number;
  /** Maximum replicas (KEDA `maxReplicaCount`); at most the request topic's partitions. */
  readonly maxReplicas: number;
  /** Consumer-group lag per replica that scales out (KEDA kafka `lagThreshold`). */
  readonly lagThreshold: number;
  /**
   * Seconds between KEDA's lag checks.
   * @default 15
   */
  readonly pollingIntervalSeconds?: number;
  /**
   * Seconds without lag before KEDA scales to `minReplicas`.
   * @default 300
   */
  readonly cooldownSeconds?: number;
  /**
   * Retry policy towards the inference service (connect failures, 429 and 503 with Retry-After).
   * @default { maxAttempts: 5, initialBackoffMs: 500, maxBackoffMs: 30000 }
   */
  readonly retry?: WorkerRetryProps;
  /** OpenTelemetry export. */
  readonly otel: OtelProps;
  /**
   * CPU cores and memory (GiB) per worker.
   * @default { cpuCores: 0.5, memoryGiB: 1 }
   */
  readonly resources?: { readonly cpuCores: number; readonly memoryGiB: number };
  /**
   * Port of the health and metrics endpoints.
   * @default 8080
   */
  readonly healthPort?: number;
  /**
   * UID/GID the container runs as.
   * @default 1000
   */
  readonly runAsUser?: number;
}

/** KEDA's default `identityOwner` is the operator: its own Pod Identity role must read the consumer group. */
const KEDA_POD_IDENTITY_PROVIDER = "aws";

/**
 * The asynchronous path: workers that consume requests from Kafka, call the inference
 * service with bounded retries, store results in Redis and publish a completion event,
 * scaled by a KEDA ScaledObject on consumer-group lag. Kafka is reached with MSK IAM auth
 * through the pod's EKS Pod Identity; Redis requires TLS and IAM authentication (or an AUTH
 * token read from Secrets Manager at runtime), so no secret value appears in the Terraform JSON.
 *
 * KEDA uses its `kafka` scaler (Sarama) with `sasl: oauthbearer` and `saslTokenProvider:
 * aws_msk_iam` (kedacore/keda#5692); the spelling `sasl: aws_msk_iam` belongs to the
 * experimental `apache-kafka` scaler and is not accepted by this one.
 *
 * @example
 * new AsyncWorker(stack, "Worker", {
 *   namespace: "workers", image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1.4.2",
 *   serviceAccountName: "inference-worker", region: "us-east-1",
 *   kafka: { bootstrapBrokers: brokers, requestTopic: "inference-requests", resultTopic: "inference-results", deadLetterTopic: "inference-dead-letters" },
 *   redis: { host: cache.configurationEndpointAddress, port: "6379", iamUserName: "inference-worker", replicationGroupId: cache.replicationGroupId },
 *   inferenceUrl: inference.url, servedModelName: "llama-3.1-70b", requestTimeoutSeconds: 90,
 *   concurrencyPerWorker: 8, minReplicas: 2, maxReplicas: 24, lagThreshold: 50,
 *   otel: { endpoint: "http://jaeger.observability:4317" },
 * });
 */
export class AsyncWorker extends Construct {
  /** The worker Deployment. */
  public readonly resource: DeploymentV1;
  /** The KEDA ScaledObject (`kubernetes_manifest`). */
  public readonly scaledObject: Manifest;
  /** The KEDA TriggerAuthentication (`kubernetes_manifest`). */
  public readonly triggerAuthentication: Manifest;
  /** Name of the Deployment. */
  public readonly name: string;
  /** Labels selecting the worker pods (for NetworkPolicies and AuthorizationPolicies). */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** The validated ScaledObject model (for review and tests). */
  public readonly scaledObjectModel: ScaledObject;
  /** The validated TriggerAuthentication model. */
  public readonly triggerAuthenticationModel: TriggerAuthentication;

  public constructor(scope: Construct, id: string, props: AsyncWorkerProps) {
    super(scope, id);
    const name = props.name ?? "inference-worker";
    const consumerGroup = props.kafka.consumerGroup ?? name;
    const polling = props.pollingIntervalSeconds ?? 15;
    const cooldown = props.cooldownSeconds ?? 300;
    const retry = props.retry ?? { maxAttempts: 5, initialBackoffMs: 500, maxBackoffMs: 30_000 };
    const resources = props.resources ?? { cpuCores: 0.5, memoryGiB: 1 };
    const healthPort = props.healthPort ?? 8080;
    const resultTtl = props.redis.resultTtlSeconds ?? 86_400;

    const problems = new Problems(`AsyncWorker '${id}'`);
    checkPinnedImage(problems, "image", props.image);
    const okMin = problems.checkNumber("WORKER_MIN_REPLICAS", "minReplicas", props.minReplicas, { min: 0, integer: true });
    const okMax = problems.checkNumber("WORKER_MAX_REPLICAS", "maxReplicas", props.maxReplicas, { min: 1, integer: true });
    if (okMin && okMax && props.minReplicas > props.maxReplicas) {
      problems.add("WORKER_BOUNDS", "minReplicas", props.minReplicas, `at most maxReplicas (${props.maxReplicas})`);
    }
    if (okMax && props.kafka.requestTopicPartitions !== undefined && props.maxReplicas > props.kafka.requestTopicPartitions) {
      problems.add(
        "WORKER_MAX_EXCEEDS_PARTITIONS",
        "maxReplicas",
        props.maxReplicas,
        `at most the request topic's ${props.kafka.requestTopicPartitions} partitions (a consumer without a partition idles)`,
      );
    }
    problems.checkNumber("WORKER_LAG_THRESHOLD", "lagThreshold", props.lagThreshold, { min: 1, integer: true });
    problems.checkNumber("WORKER_CONCURRENCY", "concurrencyPerWorker", props.concurrencyPerWorker, { min: 1, integer: true });
    problems.checkNumber("WORKER_TIMEOUT", "requestTimeoutSeconds", props.requestTimeoutSeconds, { min: 0, exclusiveMin: true });
    problems.checkNumber("WORKER_POLLING", "pollingIntervalSeconds", polling, { min: 1, integer: true });
    problems.checkNumber("WORKER_COOLDOWN", "cooldownSeconds", cooldown, { min: 0, integer: true });
    problems.checkNumber("WORKER_RETRY_ATTEMPTS", "retry.maxAttempts", retry.maxAttempts, { min: 1, max: 20, integer: true });
    const okBackoff = problems.checkNumber("WORKER_RETRY_BACKOFF", "retry.initialBackoffMs", retry.initialBackoffMs, { min: 1, integer: true });
    if (problems.checkNumber("WORKER_RETRY_BACKOFF_MAX", "retry.maxBackoffMs", retry.maxBackoffMs, { min: 1, integer: true }) && okBackoff && retry.maxBackoffMs < retry.initialBackoffMs) {
      problems.add("WORKER_RETRY_BACKOFF_MAX", "retry.maxBackoffMs", retry.maxBackoffMs, `at least retry.initialBackoffMs (${retry.initialBackoffMs})`);
    }
    const redisIam = props.redis.iamUserName !== undefined;
    const redisSecret = props.redis.authSecretArn !== undefined;
    if (redisIam === redisSecret) {
      problems.add("WORKER_REDIS_AUTH", "redis", { iamUserName: props.redis.iamUserName, authSecretArn: props.redis.authSecretArn }, "exactly one of iamUserName (IAM auth) or authSecretArn");
    }
    if (redisIam && !props.redis.replicationGroupId) {
      problems.add("WORKER_REDIS_GROUP", "redis.replicationGroupId", props.redis.replicationGroupId, "the replication group id the IAM token is signed for");
    }
    problems.checkNumber("WORKER_CPU", "resources.cpuCores", resources.cpuCores, { min: 0, exclusiveMin: true });
    problems.checkNumber("WORKER_MEMORY", "resources.memoryGiB", resources.memoryGiB, { min: 0, exclusiveMin: true });

    const labels = standardLabels(name, "async-worker");
    this.name = name;
    this.selectorLabels = { [LABEL_NAME]: name };
    const triggerAuthName = `${name}-msk-iam`;

    this.triggerAuthenticationModel = new TriggerAuthentication({
      metadata: { name: triggerAuthName, namespace: props.namespace, labels },
      spec: { podIdentity: { provider: KEDA_POD_IDENTITY_PROVIDER } },
    });
    this.scaledObjectModel = new ScaledObject({
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicaCount: props.minReplicas,
        maxReplicaCount: props.maxReplicas,
        pollingInterval: polling,
        cooldownPeriod: cooldown,
        // If the lag cannot be read, hold the planned peak instead of collapsing to the minimum.
        fallback: { failureThreshold: 3, replicas: props.maxReplicas },
        triggers: [
          {
            type: "kafka",
            metadata: {
              bootstrapServers: props.kafka.bootstrapBrokers,
              consumerGroup,
              topic: props.kafka.requestTopic,
              lagThreshold: String(props.lagThreshold),
              offsetResetPolicy: "earliest",
              sasl: "oauthbearer",
              saslTokenProvider: "aws_msk_iam",
              awsRegion: props.region,
              tls: "enable",
            },
            authenticationRef: { name: triggerAuthName },
          },
        ],
      },
    });
    checkSchema(problems, "triggerAuthentication", this.triggerAuthenticationModel);
    checkSchema(problems, "scaledObject", this.scaledObjectModel);
    problems.throwIfAny();

    const serviceAccount = new ServiceAccountV1(this, "ServiceAccount", {
      metadata: { name: props.serviceAccountName, namespace: props.namespace, labels },
      automountServiceAccountToken: false,
    });

    const db = props.database;
    const env = [
      { name: "AWS_REGION", value: props.region },
      { name: "KAFKA_BOOTSTRAP_SERVERS", value: props.kafka.bootstrapBrokers },
      { name: "KAFKA_SECURITY_PROTOCOL", value: "SASL_SSL" },
      { name: "KAFKA_AUTH", value: "aws_msk_iam" },
      { name: "KAFKA_REQUEST_TOPIC", value: props.kafka.requestTopic },
      { name: "KAFKA_RESULT_TOPIC", value: props.kafka.resultTopic },
      { name: "KAFKA_DEAD_LETTER_TOPIC", value: props.kafka.deadLetterTopic },
      { name: "KAFKA_CONSUMER_GROUP", value: consumerGroup },
      { name: "REDIS_HOST", value: props.redis.host },
      { name: "REDIS_PORT", value: props.redis.port },
      { name: "REDIS_TLS", value: "true" },
      { name: "REDIS_CLUSTER_MODE", value: String(props.redis.clusterMode ?? true) },
      ...(props.redis.iamUserName !== undefined
        ? [
            { name: "REDIS_AUTH", value: "iam" },
            { name: "REDIS_USER", value: props.redis.iamUserName },
            { name: "REDIS_REPLICATION_GROUP_ID", value: props.redis.replicationGroupId ?? "" },
          ]
        : [
            { name: "REDIS_AUTH", value: "token" },
            { name: "REDIS_AUTH_SECRET_ARN", value: props.redis.authSecretArn ?? "" },
          ]),
      { name: "REDIS_RESULT_TTL_SECONDS", value: String(resultTtl) },
      ...(db
        ? [
            { name: "DATABASE_HOST", value: db.writerEndpoint },
            { name: "DATABASE_READ_HOST", value: db.readerEndpoint ?? db.writerEndpoint },
            { name: "DATABASE_PORT", value: db.port ?? "5432" },
            { name: "DATABASE_NAME", value: db.databaseName },
            { name: "DATABASE_USER", value: db.user },
            { name: "DATABASE_IAM_AUTH", value: "true" },
            { name: "DATABASE_SSLMODE", value: "verify-full" },
          ]
        : []),
      { name: "INFERENCE_URL", value: props.inferenceUrl },
      { name: "INFERENCE_MODEL", value: props.servedModelName },
      { name: "INFERENCE_TIMEOUT_SECONDS", value: String(props.requestTimeoutSeconds) },
      { name: "WORKER_CONCURRENCY", value: String(props.concurrencyPerWorker) },
      { name: "RETRY_MAX_ATTEMPTS", value: String(retry.maxAttempts) },
      { name: "RETRY_INITIAL_BACKOFF_MS", value: String(retry.initialBackoffMs) },
      { name: "RETRY_MAX_BACKOFF_MS", value: String(retry.maxBackoffMs) },
      { name: "HEALTH_PORT", value: String(healthPort) },
      ...otelEnv(props.otel, name, { "k8s.namespace.name": props.namespace }),
    ];

    // Finish the in-flight calls (each bounded by the request timeout) and commit offsets.
    const grace = Math.ceil(props.requestTimeoutSeconds + 30);
    this.resource = new DeploymentV1(this, "Resource", {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        replicas: String(Math.max(props.minReplicas, 1)),
        selector: { matchLabels: { [LABEL_NAME]: name } },
        template: {
          metadata: {
            labels,
            annotations: {
              "proxy.istio.io/config": JSON.stringify({ terminationDrainDuration: `${grace - 5}s`, holdApplicationUntilProxyStarts: true }),
            },
          },
          spec: {
            serviceAccountName: serviceAccount.metadata.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: grace,
            securityContext: restrictedPodSecurityContext(props.runAsUser ?? 1000),
            topologySpreadConstraint: [
              { maxSkew: 1, topologyKey: LABEL_ZONE, whenUnsatisfiable: "ScheduleAnyway", labelSelector: [{ matchLabels: { [LABEL_NAME]: name } }] },
            ],
            container: [
              {
                name: "worker",
                image: props.image,
                env,
                port: [{ name: "health", containerPort: healthPort, protocol: "TCP" }],
                resources: {
                  requests: { cpu: String(resources.cpuCores), memory: `${Math.ceil(resources.memoryGiB * 1024)}Mi` },
                  limits: { memory: `${Math.ceil(resources.memoryGiB * 1024)}Mi` },
                },
                securityContext: restrictedContainerSecurityContext(),
                readinessProbe: { httpGet: { path: "/readyz", port: String(healthPort) }, periodSeconds: 10, failureThreshold: 3 },
                livenessProbe: { httpGet: { path: "/healthz", port: String(healthPort) }, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 },
                volumeMount: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volume: [{ name: "tmp", emptyDir: { sizeLimit: "512Mi" } }],
          },
        },
      },
      // KEDA owns the replica count.
      lifecycle: { ignoreChanges: ["spec[0].replicas"] },
      waitForRollout: false,
    });

    new PodDisruptionBudgetV1(this, "Disruption", {
      metadata: { name, namespace: props.namespace, labels },
      spec: { maxUnavailable: "25%", selector: { matchLabels: { [LABEL_NAME]: name } } },
    });

    this.triggerAuthentication = manifestFrom(this, "TriggerAuthentication", this.triggerAuthenticationModel);
    this.scaledObject = manifestFrom(this, "ScaledObject", this.scaledObjectModel);
    this.scaledObject.node.addDependency(this.resource, this.triggerAuthentication);
  }
}

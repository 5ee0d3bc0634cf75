import { Construct } from "constructs";
import { InferenceAuthorization } from "../mesh/inference-authorization";
import { InferenceGatewayRoute } from "../mesh/inference-gateway-route";
import { InferenceTrafficPolicy, InferenceTrafficPolicyProps } from "../mesh/inference-traffic-policy";
import { IngressAdmission, IngressAdmissionProps } from "../mesh/ingress-admission";
import { StrictMtls } from "../mesh/strict-mtls";
import { Problems, ValidationError } from "../core/validation";
import { AsyncWorker, AsyncWorkerProps, WorkerKafkaProps } from "./async-worker";
import { EndpointPicker, EndpointPickerProps, EPP_EXT_PROC_PORT, EPP_METRICS_PORT } from "./endpoint-picker";
import { InferenceAutoscaler, InferenceAutoscalerProps } from "./inference-autoscaler";
import { InferenceService, InferenceServiceProps } from "./inference-service";
import { KafkaTopicSpec, KafkaTopicsJob } from "./kafka-topics";
import { DataServiceEndpoint, ServingNetworkPolicies } from "./serving-network-policies";
import { PodSecurityLevel, WorkloadNamespace } from "./workload-namespace";

/** Kafka wiring of the tier. */
export interface ServingTierKafkaProps {
  /** MSK bootstrap brokers for IAM auth (from the foundation stack). */
  readonly bootstrapBrokers: string;
  /** CIDRs of the brokers (the data subnets). */
  readonly cidrs: readonly string[];
  /**
   * Broker port for IAM auth.
   * @default 9098
   */
  readonly port?: number;
  /** Topics to create (the plan's `kafka.topics`). */
  readonly topics: readonly KafkaTopicSpec[];
  /** Pinned image with the Kafka CLI and the MSK IAM auth library (see {@link KafkaTopicsJob}). */
  readonly topicJobImage: string;
  /**
   * Service account of the topic Job (Pod Identity role with topic admin rights).
   * @default "kafka-topic-admin"
   */
  readonly topicAdminServiceAccountName?: string;
}

/**
 * How the edge picks a replica.
 * - `inference-extension`: Gateway API `Gateway` + `HTTPRoute` to an `InferencePool`; the endpoint
 *   picker scores every request on queue depth, KV-cache use and prefix-cache affinity.
 * - `least-request`: the Istio `Gateway` + `VirtualService` + `DestinationRule` with
 *   `LEAST_REQUEST` balancing, for clusters without the Gateway API / InferencePool CRDs or an
 *   istiod without the inference extension. No prefix affinity: cache hits are left to chance.
 */
export type ServingMode = "inference-extension" | "least-request";

/** Sizing of the endpoint picker in `inference-extension` mode. */
export type ServingTierPickerProps = Pick<EndpointPickerProps, "resources" | "replicas" | "scorerWeights" | "failureMode" | "image">;

/** Props of {@link ServingTier}. */
export interface ServingTierProps {
  /** True in production (fault injection refused unless forced). */
  readonly production: boolean;
  /** AWS region. */
  readonly region: string;
  /**
   * Namespace names.
   * @default { inference: "inference", workers: "inference-workers" }
   */
  readonly namespaces?: { readonly inference: string; readonly workers: string };
  /**
   * Pod Security Admission level of both namespaces (see {@link WorkloadNamespace}).
   * @default "restricted"
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * How the edge picks a replica (see {@link ServingMode}).
   * @default "inference-extension"
   */
  readonly servingMode?: ServingMode;
  /** The endpoint picker; required in `inference-extension` mode. */
  readonly endpointPicker?: ServingTierPickerProps;
  /**
   * CIDRs of the Kubernetes API server's endpoints (the EKS control-plane ENIs in the cluster
   * subnets), which the endpoint picker watches; required in `inference-extension` mode.
   */
  readonly apiServerCidrs?: readonly string[];
  /** Public hosts of the API. */
  readonly hosts: readonly string[];
  /** TLS secret of the hosts, in the gateway namespace. */
  readonly tlsCredentialName: string;
  /** OTLP endpoint for every pod. */
  readonly otelEndpoint: string;
  /**
   * Extra OpenTelemetry resource attributes, e.g. `{ "deployment.environment": "prod" }`.
   * @default none
   */
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  /** The inference server (namespace, region and OTel are filled in). */
  readonly inference: Omit<InferenceServiceProps, "namespace" | "region" | "otel">;
  /** The autoscaler (a KEDA ScaledObject by default, with the plan's scheduled floor as a cron trigger). */
  readonly autoscaling: Omit<InferenceAutoscalerProps, "namespace" | "deploymentName">;
  /** Kafka wiring and topics. */
  readonly kafka: ServingTierKafkaProps;
  /** The async workers (namespace, region, inference URL, model name, OTel and brokers are filled in). */
  readonly worker: Omit<AsyncWorkerProps, "namespace" | "region" | "inferenceUrl" | "servedModelName" | "otel" | "kafka"> & {
    readonly kafka: Omit<WorkerKafkaProps, "bootstrapBrokers">;
  };
  /** CIDRs of the Redis nodes (the port is the worker's `redis.port`; the inference pods get it too when `inference.kvCache.remote` is set). */
  readonly redisCidrs: readonly string[];
  /**
   * CIDRs of the RDS Proxy (needed when `worker.database` is set).
   * @default none
   */
  readonly databaseCidrs?: readonly string[];
  /**
   * CIDRs the inference pods reach on 443 for S3.
   * @default ["0.0.0.0/0"]
   */
  readonly modelStoreCidrs?: readonly string[];
  /**
   * Istio traffic policy (service, gateway and hosts are filled in). Its `weights` default here to
   * 90/10 when `inference.canary` is set and to 100/0 otherwise.
   */
  readonly traffic: Omit<InferenceTrafficPolicyProps, "namespace" | "serviceName" | "port" | "hosts" | "gateway" | "production">;
  /** Edge admission (hosts and TLS secret are filled in). */
  readonly admission: Omit<IngressAdmissionProps, "hosts" | "credentialName">;
}

/**
 * The whole serving tier of the workloads stack, wired together: two namespaces
 * (inference, workers) with default-deny NetworkPolicies and STRICT mTLS, the inference
 * server with its autoscaler (a KEDA ScaledObject: queue, KV cache, CPU, and the scheduled floor of a declared daily peak), the Kafka topics, the KEDA-scaled workers, the Istio traffic
 * policy, edge admission and the authorization policy.
 *
 * Every part validates its own props; this construct runs all of them and throws one
 * {@link ValidationError} listing every problem of every part (paths prefixed with the
 * part, e.g. `inference.replicas`, `traffic.weights`), before anything is synthesized.
 *
 * @example
 * new ServingTier(stack, "Serving", { production: true, region: "us-east-1", hosts: ["api.example.com"], ... });
 */
export class ServingTier extends Construct {
  /** Namespace of the inference server. */
  public readonly inferenceNamespace: WorkloadNamespace;
  /** Namespace of the workers and the topic Job. */
  public readonly workerNamespace: WorkloadNamespace;
  /** The inference server. */
  public readonly inference: InferenceService;
  /** Its autoscaler (KEDA ScaledObject, or a plain HPA with `autoscaling.engine: "hpa"`). */
  public readonly autoscaler: InferenceAutoscaler;
  /** The topic Job. */
  public readonly topics: KafkaTopicsJob;
  /** The async workers. */
  public readonly worker: AsyncWorker;
  /** L3/L4 policies. */
  public readonly networkPolicies: ServingNetworkPolicies;
  /** Istio DestinationRule and VirtualService. */
  public readonly traffic: InferenceTrafficPolicy;
  /** Gateway and edge rate limit. */
  public readonly admission: IngressAdmission;
  /** Istio AuthorizationPolicy. */
  public readonly authorization: InferenceAuthorization;
  /** The mode in effect. */
  public readonly servingMode: ServingMode;
  /** The InferencePool and its endpoint picker (`inference-extension` mode). */
  public readonly endpointPicker?: EndpointPicker;
  /** The Gateway API Gateway and HTTPRoute (`inference-extension` mode). */
  public readonly gatewayRoute?: InferenceGatewayRoute;

  public constructor(scope: Construct, id: string, props: ServingTierProps) {
    super(scope, id);
    const problems = new Problems(`ServingTier '${id}'`);
    const collect = <T>(prefix: string, build: () => T): T | undefined => {
      try {
        return build();
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        problems.addAll(error.problems.map((p) => ({ ...p, path: `${prefix}.${p.path}` })));
        return undefined;
      }
    };
    const names = props.namespaces ?? { inference: "inference", workers: "inference-workers" };
    const otel = (serviceName: string) => ({ endpoint: props.otelEndpoint, serviceName, resourceAttributes: props.resourceAttributes });
    const inferenceName = props.inference.name ?? "inference";
    const port = props.inference.port ?? 8000;
    const kafkaPort = props.kafka.port ?? 9098;
    const topicAdmin = props.kafka.topicAdminServiceAccountName ?? "kafka-topic-admin";
    const workerName = props.worker.name ?? "inference-worker";

    const inferenceNs = collect("namespaces.inference", () => new WorkloadNamespace(this, "InferenceNamespace", { name: names.inference, podSecurity: props.podSecurity }));
    const workerNs = collect("namespaces.workers", () => new WorkloadNamespace(this, "WorkerNamespace", { name: names.workers, podSecurity: props.podSecurity }));
    // Namespace references (tokens) order every object after its namespace.
    const inferenceNamespace = inferenceNs?.name ?? names.inference;
    const workerNamespace = workerNs?.name ?? names.workers;
    const inferenceUrl = `http://${inferenceName}.${names.inference}.svc.cluster.local:${port}`;

    const inference = collect("inference", () =>
      new InferenceService(this, "Inference", { ...props.inference, namespace: inferenceNamespace, region: props.region, otel: otel(inferenceName) }),
    );
    const mode: ServingMode = props.servingMode ?? "inference-extension";
    if (mode !== "inference-extension" && mode !== "least-request") {
      problems.add("SERVING_MODE", "servingMode", mode, `"inference-extension" or "least-request"`);
    }
    const extension = mode === "inference-extension";
    if (extension && !props.endpointPicker) {
      problems.add("SERVING_PICKER_SIZING", "endpointPicker", props.endpointPicker, "the picker's resources (and replicas) in inference-extension mode, e.g. from servingPropsFromPlan(plan).endpointPicker");
    }
    if (extension && (props.apiServerCidrs ?? []).length === 0) {
      problems.add("SERVING_API_SERVER_CIDRS", "apiServerCidrs", props.apiServerCidrs, "the cluster subnets' CIDRs (the endpoint picker watches the API server) in inference-extension mode");
    }
    const pickerProps = props.endpointPicker;
    const picker =
      extension && pickerProps
        ? collect("endpointPicker", () =>
            new EndpointPicker(this, "EndpointPicker", {
              ...pickerProps,
              namespace: inferenceNamespace,
              poolName: inferenceName,
              // Every version (stable and canary) joins the pool: the picker balances them by load.
              modelServerSelector: { "app.kubernetes.io/name": inferenceName },
              targetPort: port,
            }),
          )
        : undefined;
    if (picker && inference) picker.node.addDependency(inference);
    const autoscaler = collect("autoscaling", () => new InferenceAutoscaler(this, "Autoscaler", { ...props.autoscaling, namespace: inferenceNamespace, deploymentName: inferenceName }));
    // KEDA's webhook reads the target Deployment (a cpu trigger needs its containers' requests).
    if (autoscaler && inference) autoscaler.node.addDependency(inference);
    if (props.autoscaling.maxReplicas > props.inference.placement.maxNodes * props.inference.placement.replicasPerNode) {
      problems.add(
        "SERVING_REPLICAS_EXCEED_GPU_CAPACITY",
        "autoscaling.maxReplicas",
        props.autoscaling.maxReplicas,
        `at most ${props.inference.placement.maxNodes * props.inference.placement.replicasPerNode} (GPU node group maxNodes x replicasPerNode)`,
      );
    }
    const topics = collect("kafka", () =>
      new KafkaTopicsJob(this, "Topics", {
        namespace: workerNamespace,
        image: props.kafka.topicJobImage,
        bootstrapBrokers: props.kafka.bootstrapBrokers,
        topics: props.kafka.topics,
        serviceAccountName: topicAdmin,
      }),
    );
    const worker = collect("worker", () =>
      new AsyncWorker(this, "Worker", {
        ...props.worker,
        namespace: workerNamespace,
        region: props.region,
        inferenceUrl,
        servedModelName: props.inference.servedModelName,
        otel: otel(workerName),
        kafka: { ...props.worker.kafka, bootstrapBrokers: props.kafka.bootstrapBrokers },
      }),
    );
    if (topics) worker?.node.addDependency(topics);
    if (props.worker.database && !props.databaseCidrs) {
      problems.add("SERVING_DATABASE_CIDRS", "databaseCidrs", props.databaseCidrs, "the RDS Proxy CIDRs, since worker.database is set");
    }
    const database: DataServiceEndpoint | undefined =
      props.worker.database && props.databaseCidrs ? { cidrs: props.databaseCidrs, port: props.worker.database.port ?? "5432" } : undefined;
    const networkPolicies = collect("network", () =>
      new ServingNetworkPolicies(this, "NetworkPolicies", {
        inference: { namespace: inferenceNamespace, podLabels: { "app.kubernetes.io/name": inferenceName }, port },
        workers: { namespace: workerNamespace, podLabels: { "app.kubernetes.io/name": workerName }, healthPort: props.worker.healthPort ?? 8080 },
        kafka: { cidrs: props.kafka.cidrs, port: kafkaPort },
        redis: { cidrs: props.redisCidrs, port: props.worker.redis.port },
        ...(props.inference.kvCache?.remote ? { kvCache: { cidrs: props.redisCidrs, port: props.inference.kvCache.remote.port } } : {}),
        database,
        modelStoreCidrs: props.modelStoreCidrs,
        ...(picker
          ? { endpointPicker: { podLabels: { "app.kubernetes.io/name": picker.name }, extProcPort: EPP_EXT_PROC_PORT, metricsPort: EPP_METRICS_PORT, apiServerCidrs: props.apiServerCidrs ?? [] } }
          : {}),
      }),
    );
    collect("mtls.inference", () => new StrictMtls(this, "InferenceMtls", { namespace: inferenceNamespace }));
    collect("mtls.workers", () => new StrictMtls(this, "WorkerMtls", { namespace: workerNamespace }));
    const admission = collect("admission", () =>
      new IngressAdmission(this, "Admission", { ...props.admission, hosts: props.hosts, credentialName: props.tlsCredentialName, istioGateway: !extension }),
    );
    const gatewayRef = admission?.gatewayRef ?? `istio-ingress/${props.admission.name ?? "inference"}`;
    const gatewayRoute = picker
      ? collect("route", () =>
          new InferenceGatewayRoute(this, "GatewayRoute", {
            hosts: props.hosts,
            credentialName: props.tlsCredentialName,
            poolNamespace: inferenceNamespace,
            poolName: picker.poolName,
            endpointPicker: { serviceName: picker.name },
            requestTimeoutSeconds: props.traffic.requestTimeoutSeconds,
            longestRequestSeconds: props.traffic.longestRequestSeconds,
            ...(props.admission.name ? { name: props.admission.name } : {}),
            ...(props.admission.namespace ? { gatewayNamespace: props.admission.namespace } : {}),
          }),
        )
      : undefined;
    if (gatewayRoute && picker) gatewayRoute.route.node.addDependency(picker.pool);
    // 90/10 only when a canary exists; otherwise all traffic to stable.
    const weights = props.traffic.weights ?? (props.inference.canary ? { stable: 90, canary: 10 } : { stable: 100, canary: 0 });
    const traffic = collect("traffic", () =>
      new InferenceTrafficPolicy(this, "Traffic", {
        ...props.traffic,
        weights,
        namespace: inferenceNamespace,
        serviceName: inferenceName,
        port,
        hosts: props.hosts,
        // In inference-extension mode the edge routes through the InferencePool; the
        // VirtualService keeps serving in-mesh callers (the workers) with least-request.
        ...(extension ? {} : { gateway: gatewayRef }),
        production: props.production,
      }),
    );
    if (weights.canary > 0 && !props.inference.canary) {
      problems.add(
        "MESH_CANARY_WITHOUT_DEPLOYMENT",
        "traffic.weights.canary",
        weights.canary,
        "0 unless inference.canary deploys a canary (its subset would have no endpoints and answer 503)",
      );
    }
    const authorization = collect("authorization", () =>
      new InferenceAuthorization(this, "Authorization", {
        namespace: inferenceNamespace,
        podLabels: { "app.kubernetes.io/name": inferenceName },
        port,
        callers: [{ namespace: names.workers, serviceAccountName: props.worker.serviceAccountName }],
        ...(picker
          ? {
              metricsReaders: [{ namespace: names.inference, serviceAccountName: picker.name }],
              endpointPicker: { podLabels: { "app.kubernetes.io/name": picker.name }, port: EPP_EXT_PROC_PORT },
            }
          : {}),
      }),
    );
    problems.throwIfAny();

    // After throwIfAny every part exists.
    this.inferenceNamespace = inferenceNs!;
    this.workerNamespace = workerNs!;
    this.inference = inference!;
    this.autoscaler = autoscaler!;
    this.topics = topics!;
    this.worker = worker!;
    this.networkPolicies = networkPolicies!;
    this.traffic = traffic!;
    this.admission = admission!;
    this.authorization = authorization!;
    this.servingMode = mode;
    this.endpointPicker = picker;
    this.gatewayRoute = gatewayRoute;
  }
}

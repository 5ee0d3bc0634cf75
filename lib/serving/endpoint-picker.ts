import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { Construct } from "constructs";
import { PROMETHEUS_SELECTOR_LABELS } from "../addons/constants";
import { Problems } from "../core/validation";
import { checkSchema, crdModel, manifestFrom, SchemaModel } from "../private/typed-manifest";
import { INFERENCE_POOL_CRD } from "./crds";
import { checkPinnedImage } from "./private/image";
import { LABEL_NAME, standardLabels } from "./private/labels";
import { gibibytes, milliQuantity, restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./private/security";

/**
 * The Gateway API Inference Extension's reference endpoint picker (EPP), pinned. v1.5.0 is the
 * last kubernetes-sigs/gateway-api-inference-extension release that ships the full EPP (v1.6.0
 * moved it to llm-d/llm-d-router and keeps only a lightweight conformance picker); it speaks the
 * `inference.networking.k8s.io/v1` InferencePool API that the vendored v1.6.0 CRD serves.
 * Image: distroless/static:nonroot (UID 65532), entrypoint `/epp`.
 */
export const DEFAULT_EPP_IMAGE = "registry.k8s.io/gateway-api-inference-extension/epp:v1.5.0";

/** UID of the distroless `nonroot` user the EPP image runs as. */
const EPP_UID = 65532;

/** Weights of the three scorers of the default scheduling profile. */
export interface ScorerWeights {
  /** `queue-scorer`: fewer waiting requests (`vllm:num_requests_waiting`) scores higher. */
  readonly queue: number;
  /** `kv-cache-utilization-scorer`: lower `vllm:kv_cache_usage_perc` scores higher. */
  readonly kvCacheUtilization: number;
  /** `prefix-cache-scorer`: a longer prompt prefix already cached on the replica scores higher. */
  readonly prefixCache: number;
}

/** Upstream's default profile (the v1.5.0 chart's `default-plugins.yaml`): prefix affinity first, load second. */
export const DEFAULT_SCORER_WEIGHTS: ScorerWeights = { queue: 2, kvCacheUtilization: 2, prefixCache: 3 };

/** Props of {@link EndpointPicker}. */
export interface EndpointPickerProps {
  /** Namespace of the model servers (the pool, the picker and its Service live there too). */
  readonly namespace: string;
  /** Name of the InferencePool; the picker's objects are named `<poolName>-epp`. */
  readonly poolName: string;
  /** Labels that select the model-server pods (every version: canary pods join the pool). */
  readonly modelServerSelector: Readonly<Record<string, string>>;
  /** Port the model servers listen on (vLLM's API port). */
  readonly targetPort: number;
  /** CPU and memory requested by each picker replica (memory limit = 2 x request). */
  readonly resources: { readonly cpuCores: number; readonly memoryGiB: number };
  /**
   * Picker replicas. With more than one, they elect a leader (a Lease): only the leader is
   * Ready and picks, so one prefix index sees every request; a standby takes over when the
   * lease expires.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * What the gateway does when the picker cannot be reached: `FailOpen` routes the request
   * to a pool endpoint without scoring (the service degrades to unaffine balancing), `FailClose`
   * answers 5xx.
   * @default "FailOpen"
   */
  readonly failureMode?: "FailOpen" | "FailClose";
  /**
   * Scorer weights.
   * @default DEFAULT_SCORER_WEIGHTS
   */
  readonly scorerWeights?: ScorerWeights;
  /**
   * Picker image, pinned.
   * @default DEFAULT_EPP_IMAGE
   */
  readonly image?: string;
  /**
   * Log verbosity (`--v`).
   * @default 1
   */
  readonly logVerbosity?: number;
  /**
   * Namespace of Prometheus (its NetworkPolicy peer and the scrape's owner).
   * @default "monitoring"
   */
  readonly monitoringNamespace?: string;
  /**
   * Scrape interval of the picker's metrics, seconds.
   * @default 15
   */
  readonly scrapeIntervalSeconds?: number;
}

/** ext-proc gRPC port the gateway calls (EPP default). */
export const EPP_EXT_PROC_PORT = 9002;
/** gRPC health port (probes). */
export const EPP_HEALTH_PORT = 9003;
/** Prometheus metrics port. */
export const EPP_METRICS_PORT = 9090;

/**
 * The inference pool and its endpoint picker: an `InferencePool`
 * (`inference.networking.k8s.io/v1`) selecting the vLLM pods, and the Gateway API Inference
 * Extension's endpoint picker that the Istio gateway calls over ext-proc for every request to
 * choose the replica: scored on queue depth, KV-cache utilization and prefix-cache affinity
 * (`EndpointPickerConfig` in a ConfigMap). The picker reads the model servers' `/metrics`
 * itself (every 50 ms, upstream default), so it needs no Prometheus on the request path.
 *
 * Hardening: restricted security context, read-only root filesystem, its own ServiceAccount
 * with read access to pods and InferencePools of its namespace only, a Lease for leader
 * election, and `tokenreviews`/`subjectaccessreviews` so its metrics endpoint authenticates
 * scrapers (`--metrics-endpoint-auth`, on). The picker is in the mesh: the gateway reaches it
 * with Istio mutual TLS (so the picker's own self-signed TLS is off, `--secure-serving=false`),
 * and it reaches the vLLM pods' `/metrics` through its sidecar under STRICT mTLS. The metrics
 * port is excluded from the sidecar so Prometheus, outside the mesh, scrapes it with its
 * ServiceAccount token; the NetworkPolicy admits only the monitoring namespace there.
 *
 * Rollouts use `Recreate`: a standby is never Ready, so a rolling update could not make
 * progress (upstream's HA chart does the same). The PodDisruptionBudget (`maxUnavailable: 1`)
 * lets the unready standby be evicted while the leader is Ready and refuses evicting the
 * leader, since the standby is not Ready: a node drain waits on the leader's node until
 * the leader is moved by hand (`kubectl delete pod`, which bypasses the budget; the standby
 * takes the lease within its 15 s duration and the gateway fails open meanwhile).
 *
 * @example
 * new EndpointPicker(stack, "Picker", {
 *   namespace: "inference", poolName: "inference", modelServerSelector: { "app.kubernetes.io/name": "inference" },
 *   targetPort: 8000, resources: { cpuCores: 2, memoryGiB: 4 },
 * });
 */
export class EndpointPicker extends Construct {
  /** The picker Deployment. */
  public readonly resource: DeploymentV1;
  /** The picker's Service (ext-proc and metrics ports). */
  public readonly service: ServiceV1;
  /** The InferencePool (`kubernetes_manifest`). */
  public readonly pool: Manifest;
  /** The validated InferencePool object. */
  public readonly poolModel: SchemaModel;
  /** The picker's ServiceMonitor (`kubernetes_manifest`). */
  public readonly serviceMonitor: Manifest;
  /** Name of the picker's Deployment, Service and ServiceAccount (`<poolName>-epp`). */
  public readonly name: string;
  /** Name of the InferencePool. */
  public readonly poolName: string;
  /** Labels of the picker pods. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The `EndpointPickerConfig` the picker runs with. */
  public readonly config: Record<string, unknown>;

  public constructor(scope: Construct, id: string, props: EndpointPickerProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    const image = props.image ?? DEFAULT_EPP_IMAGE;
    const failureMode = props.failureMode ?? "FailOpen";
    const weights = props.scorerWeights ?? DEFAULT_SCORER_WEIGHTS;
    const verbosity = props.logVerbosity ?? 1;
    const interval = props.scrapeIntervalSeconds ?? 15;

    const problems = new Problems(`EndpointPicker '${id}'`);
    checkPinnedImage(problems, "image", image);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.poolName) || props.poolName.length > 59) {
      problems.add("EPP_POOL_NAME", "poolName", props.poolName, "a DNS-1123 label of at most 59 characters (the picker is named <poolName>-epp)");
    }
    if (Object.keys(props.modelServerSelector).length === 0) {
      problems.add("EPP_SELECTOR_EMPTY", "modelServerSelector", props.modelServerSelector, "at least one label (an empty selector would put every pod of the namespace in the pool)");
    }
    problems.checkNumber("EPP_TARGET_PORT", "targetPort", props.targetPort, { min: 1, max: 65535, integer: true });
    problems.checkNumber("EPP_REPLICAS", "replicas", replicas, { min: 1, max: 5, integer: true });
    problems.checkNumber("EPP_CPU", "resources.cpuCores", props.resources.cpuCores, { min: 0.1 });
    problems.checkNumber("EPP_MEMORY", "resources.memoryGiB", props.resources.memoryGiB, { min: 0.25 });
    problems.checkNumber("EPP_LOG_VERBOSITY", "logVerbosity", verbosity, { min: 0, max: 10, integer: true });
    problems.checkNumber("EPP_SCRAPE_INTERVAL", "scrapeIntervalSeconds", interval, { min: 5, max: 300, integer: true });
    problems.checkOneOf("EPP_FAILURE_MODE", "failureMode", failureMode, ["FailOpen", "FailClose"]);
    for (const [key, value] of Object.entries(weights)) {
      problems.checkNumber("EPP_SCORER_WEIGHT", `scorerWeights.${key}`, value, { min: 0, max: 100, integer: true });
    }
    if (weights.queue + weights.kvCacheUtilization + weights.prefixCache === 0) {
      problems.add("EPP_SCORER_WEIGHT", "scorerWeights", weights, "at least one weight above 0 (all zero makes every pick random)");
    }

    const name = `${props.poolName}-epp`;
    const ns = props.namespace;
    this.name = name;
    this.poolName = props.poolName;
    const labels = standardLabels(name, "endpoint-picker");
    const selector = { [LABEL_NAME]: name };
    this.podLabels = { ...labels };

    // The pool: which pods serve, on which port, and which picker chooses among them.
    this.poolModel = crdModel(INFERENCE_POOL_CRD, {
      apiVersion: "inference.networking.k8s.io/v1",
      kind: "InferencePool",
      metadata: { name: props.poolName, namespace: ns, labels: standardLabels(props.poolName, "inference-pool") },
      spec: {
        selector: { matchLabels: { ...props.modelServerSelector } },
        targetPorts: [{ number: props.targetPort }],
        appProtocol: "http",
        endpointPickerRef: { group: "", kind: "Service", name, port: { number: EPP_EXT_PROC_PORT }, failureMode },
      },
    });
    checkSchema(problems, "pool", this.poolModel);

    const monitorModel = new ServiceMonitor({
      metadata: { name, namespace: ns, labels: { ...labels, ...PROMETHEUS_SELECTOR_LABELS } },
      spec: {
        selector: { matchLabels: { ...selector } },
        namespaceSelector: { matchNames: [ns] },
        endpoints: [
          {
            port: "http-metrics",
            path: "/metrics",
            interval: `${interval}s`,
            // The picker authenticates scrapers with a TokenReview; Prometheus's ServiceAccount
            // (kube-prometheus-stack grants it `get` on the /metrics non-resource URL) is the caller.
            bearerTokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token",
          },
        ],
      },
    });
    checkSchema(problems, "serviceMonitor", monitorModel);
    problems.throwIfAny();

    // Upstream's default plugins with the weights above. `metrics-data-source` reads each pod's
    // /metrics on the pool's target port; `core-metrics-extractor` maps vLLM's metric names.
    this.config = {
      apiVersion: "inference.networking.x-k8s.io/v1alpha1",
      kind: "EndpointPickerConfig",
      plugins: [
        { type: "queue-scorer" },
        { type: "kv-cache-utilization-scorer" },
        // autoTune reads vLLM's block size and GPU block count from `vllm:cache_config_info`.
        { type: "prefix-cache-scorer", parameters: { autoTune: true } },
        { type: "metrics-data-source", parameters: { scheme: "http", path: "/metrics", insecureSkipVerify: false } },
        { type: "core-metrics-extractor" },
      ],
      schedulingProfiles: [
        {
          name: "default",
          plugins: [
            ...(weights.queue > 0 ? [{ pluginRef: "queue-scorer", weight: weights.queue }] : []),
            ...(weights.kvCacheUtilization > 0 ? [{ pluginRef: "kv-cache-utilization-scorer", weight: weights.kvCacheUtilization }] : []),
            ...(weights.prefixCache > 0 ? [{ pluginRef: "prefix-cache-scorer", weight: weights.prefixCache }] : []),
          ],
        },
      ],
    };
    const configMap = new ConfigMapV1(this, "Config", {
      metadata: { name, namespace: ns, labels },
      // JSON is YAML; the picker parses the file with sigs.k8s.io/yaml.
      data: { "plugins.yaml": JSON.stringify(this.config, null, 2) },
    });

    const serviceAccount = new ServiceAccountV1(this, "ServiceAccount", {
      metadata: { name, namespace: ns, labels },
      // The picker is a Kubernetes client (pods, InferencePool, Lease): it needs its token.
      automountServiceAccountToken: true,
    });
    const subject = [{ kind: "ServiceAccount", name, namespace: ns }];
    const reader = new RoleV1(this, "Reader", {
      metadata: { name, namespace: ns, labels },
      rule: [
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["inference.networking.k8s.io"], resources: ["inferencepools"], verbs: ["get", "list", "watch"] },
        // Optional APIs: the picker watches them only when their CRDs exist (discovery), which they do not by default.
        { apiGroups: ["inference.networking.x-k8s.io"], resources: ["inferenceobjectives", "inferencemodelrewrites"], verbs: ["get", "list", "watch"] },
      ],
    });
    new RoleBindingV1(this, "ReaderBinding", {
      metadata: { name, namespace: ns, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: reader.metadata.name },
      subject,
    });
    if (replicas > 1) {
      const election = new RoleV1(this, "LeaderElection", {
        metadata: { name: `${name}-leader-election`, namespace: ns, labels },
        rule: [
          { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
          { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
        ],
      });
      new RoleBindingV1(this, "LeaderElectionBinding", {
        metadata: { name: `${name}-leader-election`, namespace: ns, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: election.metadata.name },
        subject,
      });
    }
    // Metrics endpoint authentication: the cluster-scoped review APIs, nothing else.
    const reviewer = new ClusterRoleV1(this, "MetricsAuth", {
      metadata: { name: `${ns}-${name}-metrics-auth`, labels },
      rule: [
        { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
        { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
      ],
    });
    new ClusterRoleBindingV1(this, "MetricsAuthBinding", {
      metadata: { name: `${ns}-${name}-metrics-auth`, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: reviewer.metadata.name },
      subject,
    });

    const healthService = replicas > 1 ? { live: "liveness", ready: "readiness" } : { live: "inference-extension", ready: "inference-extension" };
    this.resource = new DeploymentV1(this, "Resource", {
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas: String(replicas),
        selector: { matchLabels: selector },
        // A standby is never Ready, so a rolling update could not progress.
        strategy: { type: "Recreate" },
        template: {
          metadata: {
            labels,
            annotations: {
              // Prometheus (outside the mesh) scrapes 9090 directly with its token; everything else is mTLS.
              "traffic.sidecar.istio.io/excludeInboundPorts": String(EPP_METRICS_PORT),
            },
          },
          spec: {
            serviceAccountName: serviceAccount.metadata.name,
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            // Open ext-proc streams belong to requests in flight; give them the upstream's grace.
            terminationGracePeriodSeconds: 130,
            securityContext: restrictedPodSecurityContext(EPP_UID),
            topologySpreadConstraint: [
              { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: [{ matchLabels: selector }] },
              { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: [{ matchLabels: selector }] },
            ],
            container: [
              {
                name: "epp",
                image,
                args: [
                  "--pool-name",
                  props.poolName,
                  "--pool-namespace",
                  ns,
                  "--pool-group",
                  "inference.networking.k8s.io",
                  "--config-file",
                  "/config/plugins.yaml",
                  "--grpc-port",
                  String(EPP_EXT_PROC_PORT),
                  "--grpc-health-port",
                  String(EPP_HEALTH_PORT),
                  "--metrics-port",
                  String(EPP_METRICS_PORT),
                  "--secure-serving=false",
                  "--metrics-endpoint-auth=true",
                  "--enable-pprof=false",
                  "--tracing=false",
                  "--zap-encoder",
                  "json",
                  "--v",
                  String(verbosity),
                  ...(replicas > 1 ? ["--ha-enable-leader-election"] : []),
                ],
                env: [
                  { name: "NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                  { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                ],
                port: [
                  { name: "grpc", containerPort: EPP_EXT_PROC_PORT, protocol: "TCP" },
                  { name: "grpc-health", containerPort: EPP_HEALTH_PORT, protocol: "TCP" },
                  { name: "metrics", containerPort: EPP_METRICS_PORT, protocol: "TCP" },
                ],
                resources: {
                  requests: { cpu: milliQuantity(props.resources.cpuCores), memory: gibibytes(props.resources.memoryGiB) },
                  // No CPU limit: scheduling bursts with the request rate (upstream's advice); memory is bounded.
                  limits: { memory: gibibytes(props.resources.memoryGiB * 2) },
                },
                securityContext: restrictedContainerSecurityContext(),
                livenessProbe: { grpc: [{ port: EPP_HEALTH_PORT, service: healthService.live }], initialDelaySeconds: 5, periodSeconds: 10 },
                readinessProbe: { grpc: [{ port: EPP_HEALTH_PORT, service: healthService.ready }], periodSeconds: 2 },
                volumeMount: [{ name: "config", mountPath: "/config", readOnly: true }],
              },
            ],
            volume: [{ name: "config", configMap: { name: configMap.metadata.name } }],
          },
        },
      },
      waitForRollout: false,
    });

    this.service = new ServiceV1(this, "Service", {
      metadata: { name, namespace: ns, labels },
      spec: {
        type: "ClusterIP",
        selector,
        port: [
          // `grpc` tells Istio the protocol: the gateway's ext-proc calls are HTTP/2 streams.
          { name: "grpc-ext-proc", port: EPP_EXT_PROC_PORT, targetPort: String(EPP_EXT_PROC_PORT), protocol: "TCP", appProtocol: "grpc" },
          { name: "http-metrics", port: EPP_METRICS_PORT, targetPort: String(EPP_METRICS_PORT), protocol: "TCP", appProtocol: "http" },
        ],
      },
    });

    new PodDisruptionBudgetV1(this, "Disruption", {
      metadata: { name, namespace: ns, labels },
      // The default unhealthy-pod policy (IfHealthyBudget) lets the unready standby go while the
      // leader is Ready; the leader itself is protected until a standby could take over.
      spec: { maxUnavailable: "1", selector: { matchLabels: selector } },
    });

    this.pool = manifestFrom(this, "Pool", this.poolModel);
    this.serviceMonitor = manifestFrom(this, "Monitor", monitorModel);
    this.pool.node.addDependency(this.service);
  }
}

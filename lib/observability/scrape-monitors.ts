import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { Construct } from "constructs";
import {
  GPU_SYSTEM_NAMESPACE,
  ISTIO_INGRESS_GATEWAY_SELECTOR,
  ISTIO_INGRESS_NAMESPACE,
  ISTIO_SYSTEM_NAMESPACE,
  KEDA_NAMESPACE,
  MONITORING_NAMESPACE,
  PROMETHEUS_SELECTOR_LABELS,
} from "../addons/constants";
import { Problems } from "../core/validation";
import { checkSchema, isDnsLabel, manifestFrom, observabilityLabels, SchemaModel } from "./private/manifest";
import { resolveSignalSources, SignalSources } from "./signals";

/** Where a ServiceMonitor finds a Service's metrics port. */
export interface ServiceScrapeTarget {
  readonly namespace: string;
  /** Labels of the Service. */
  readonly selector: Readonly<Record<string, string>>;
  /** Name of the Service port. */
  readonly port: string;
}

/** Properties of {@link ScrapeMonitors}. */
export interface ScrapeMonitorsProps {
  /** Names of the inference workload. @default see {@link SignalSources} */
  readonly sources?: SignalSources;
  /**
   * Labels of the inference pods (every version, so canary pods are scraped too). These pods
   * are scraped once, on the Istio agent's merged endpoint (vLLM + Envoy metrics), and the
   * sidecar monitor skips them.
   * @default { "app.kubernetes.io/name": <sources.inferenceService> }
   */
  readonly inferencePodSelector?: Readonly<Record<string, string>>;
  /** Scrape interval of every monitor, seconds. @default 15 */
  readonly scrapeIntervalSeconds?: number;
  /** Namespace of the mesh-wide monitors (sidecars). @default MONITORING_NAMESPACE */
  readonly monitoringNamespace?: string;
  /** Scrape the Envoy sidecars of every meshed pod (Istio standard metrics). @default true */
  readonly istioSidecars?: boolean;
  /** Scrape the ingress gateway (the availability SLI's source). @default true */
  readonly istioGateway?: boolean;
  /** Scrape istiod (control plane: config push, xDS errors). @default true */
  readonly istiod?: boolean;
  /**
   * KEDA operator metrics (`keda_scaler_metrics_value`, scaler errors); needs the
   * KEDA chart's `prometheus.operator.enabled` (Service port `metrics`).
   * @default { namespace: KEDA_NAMESPACE, selector: { "app.kubernetes.io/name": "keda-operator" }, port: "metrics" }
   */
  readonly keda?: ServiceScrapeTarget | false;
  /**
   * DCGM exporter. Headroom's DCGM add-on enables its chart's own ServiceMonitor, so
   * this is off by default; set it when the exporter comes without one.
   * @default false
   */
  readonly dcgmExporter?: ServiceScrapeTarget | false;
}

/** The DCGM exporter chart's Service, for {@link ScrapeMonitorsProps.dcgmExporter}. */
export const DCGM_EXPORTER_TARGET: ServiceScrapeTarget = {
  namespace: GPU_SYSTEM_NAMESPACE,
  selector: { "app.kubernetes.io/name": "dcgm-exporter" },
  port: "metrics",
};

/**
 * The Envoy sidecar's Prometheus port (15090) as the injector names it: the only port the
 * injected `istio-proxy` container declares (Istio injection template).
 */
const ENVOY_PROM_PORT = "http-envoy-prom";
/** Envoy's and the agent's metrics path on 15090 and 15020. */
const ISTIO_METRICS_PATH = "/stats/prometheus";

/**
 * Port of the Istio agent's merged metrics endpoint (`/stats/prometheus`): with mesh config
 * `enablePrometheusMerge` (on by default) the agent serves the application's metrics, read from
 * the pod's `prometheus.io/port`/`prometheus.io/path` annotations, together with Envoy's, in
 * plaintext outside the STRICT mTLS listener (istio.io "Prometheus" integration, metrics merging).
 */
const ISTIO_MERGED_METRICS_PORT = 15020;

/** Prometheus's name for a pod label in Kubernetes service discovery (`__meta_kubernetes_pod_label_<name>`). */
function podLabelMeta(key: string): string {
  return `__meta_kubernetes_pod_label_${key.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The ServiceMonitors and PodMonitors that feed the SLO rules and dashboards:
 * vLLM (TTFT, latency, queue, KV cache), Istio sidecars and ingress gateway
 * (`istio_requests_total`), istiod, KEDA and, optionally, the DCGM exporter.
 * kube-state-metrics and node-exporter come with kube-prometheus-stack; MSK's
 * exporters are scraped through its `additionalScrapeConfigs` (add-on), and the
 * CloudWatch metrics (Redis, RDS Proxy, MSK lag) by the CloudWatch exporter.
 * Each meshed pod is scraped once: inference pods on the agent's merged endpoint
 * (15020, vLLM + Envoy), every other sidecar on Envoy's 15090.
 *
 * @example
 * new ScrapeMonitors(this, "Monitors", { sources: { inferenceNamespace: "inference", inferenceService: "inference" } });
 */
export class ScrapeMonitors extends Construct {
  /** Every monitor, by construct id. */
  public readonly monitors: Readonly<Record<string, Manifest>>;

  public constructor(scope: Construct, id: string, props: ScrapeMonitorsProps = {}) {
    super(scope, id);
    const src = resolveSignalSources(props.sources);
    const interval = props.scrapeIntervalSeconds ?? 15;
    const monitoringNamespace = props.monitoringNamespace ?? MONITORING_NAMESPACE;
    const problems = new Problems(`ScrapeMonitors '${this.node.path}' props`);
    problems.checkNumber("OBS_SCRAPE_INTERVAL", "scrapeIntervalSeconds", interval, { min: 5, max: 300, integer: true });
    for (const [path, ns] of [
      ["sources.inferenceNamespace", src.inferenceNamespace],
      ["monitoringNamespace", monitoringNamespace],
    ] as const) {
      if (!isDnsLabel(ns)) problems.add("OBS_NAMESPACE", path, ns, "a DNS-1123 label");
    }
    const labels = { ...observabilityLabels("scrape"), ...PROMETHEUS_SELECTOR_LABELS };
    const every = `${interval}s`;
    const models: Record<string, SchemaModel> = {};

    const inferenceSelector: Record<string, string> = { ...(props.inferencePodSelector ?? { "app.kubernetes.io/name": src.inferenceService }) };
    if (Object.keys(inferenceSelector).length === 0) {
      problems.add("OBS_SELECTOR_EMPTY", "inferencePodSelector", inferenceSelector, "at least one label (an empty selector matches every pod of the namespace)");
    }
    // The API port takes mutual TLS only (STRICT PeerAuthentication) and Prometheus is outside
    // the mesh, so vLLM is read through the agent's merged endpoint. 15020 is not a declared
    // container port, so the sidecar's one declared port selects one target per pod and the
    // address is moved to 15020 (IPv4 `ip:port` and IPv6 `[ip]:port` alike). `$1`, not `${1}`:
    // Terraform would read `${...}` in the synthesized JSON as an interpolation.
    models.Inference = new PodMonitor({
      metadata: { name: `${src.inferenceService}-vllm`, namespace: src.inferenceNamespace, labels },
      spec: {
        selector: { matchLabels: inferenceSelector },
        podMetricsEndpoints: [
          {
            port: ENVOY_PROM_PORT,
            path: ISTIO_METRICS_PATH,
            interval: every,
            relabelings: [
              { action: "replace", sourceLabels: ["__address__"], regex: "(.+):\\d+", replacement: `$1:${ISTIO_MERGED_METRICS_PORT}`, targetLabel: "__address__" },
            ],
          },
        ],
      },
    });
    // The merged scrape already carries the inference pods' Envoy metrics: the sidecar monitor
    // drops exactly those pods (namespace and every selector label), or istio_requests_total
    // would be counted twice for them.
    const selectorKeys = Object.keys(inferenceSelector).sort();
    const skipInferencePods = {
      action: "drop" as const,
      sourceLabels: ["__meta_kubernetes_namespace", ...selectorKeys.map(podLabelMeta)],
      separator: ";",
      regex: [src.inferenceNamespace, ...selectorKeys.map((k) => inferenceSelector[k])].map(escapeRegex).join(";"),
    };
    if (props.istioSidecars ?? true) {
      models.IstioSidecars = new PodMonitor({
        metadata: { name: "istio-sidecars", namespace: monitoringNamespace, labels },
        spec: {
          namespaceSelector: { any: true },
          // Meshed pods carry the tlsMode label; gateways (label `istio`) have their own monitor.
          selector: {
            matchExpressions: [
              { key: "security.istio.io/tlsMode", operator: "Exists" },
              { key: "istio", operator: "DoesNotExist" },
            ],
          },
          podMetricsEndpoints: [{ port: ENVOY_PROM_PORT, path: ISTIO_METRICS_PATH, interval: every, relabelings: [skipInferencePods] }],
        },
      });
    }
    if (props.istioGateway ?? true) {
      models.IstioGateway = new PodMonitor({
        metadata: { name: "istio-ingress-gateway", namespace: ISTIO_INGRESS_NAMESPACE, labels },
        spec: {
          selector: { matchLabels: { ...ISTIO_INGRESS_GATEWAY_SELECTOR } },
          podMetricsEndpoints: [{ port: ENVOY_PROM_PORT, path: ISTIO_METRICS_PATH, interval: every }],
        },
      });
    }
    if (props.istiod ?? true) {
      models.Istiod = new ServiceMonitor({
        metadata: { name: "istiod", namespace: ISTIO_SYSTEM_NAMESPACE, labels },
        spec: { selector: { matchLabels: { app: "istiod" } }, endpoints: [{ port: "http-monitoring", interval: every }] },
      });
    }
    const services: Record<string, ServiceScrapeTarget | false> = {
      Keda: props.keda ?? { namespace: KEDA_NAMESPACE, selector: { "app.kubernetes.io/name": "keda-operator" }, port: "metrics" },
      DcgmExporter: props.dcgmExporter ?? false,
    };
    for (const [key, target] of Object.entries(services)) {
      if (target === false) continue;
      if (!isDnsLabel(target.namespace)) problems.add("OBS_NAMESPACE", `${key}.namespace`, target.namespace, "a DNS-1123 label");
      models[key] = new ServiceMonitor({
        metadata: { name: key === "Keda" ? "keda-operator" : "dcgm-exporter", namespace: target.namespace, labels },
        spec: { selector: { matchLabels: { ...target.selector } }, endpoints: [{ port: target.port, interval: every }] },
      });
    }
    for (const [key, model] of Object.entries(models)) checkSchema(problems, key, model);
    problems.throwIfAny();

    const monitors: Record<string, Manifest> = {};
    for (const [key, model] of Object.entries(models)) monitors[key] = manifestFrom(this, key, model);
    this.monitors = monitors;
  }
}

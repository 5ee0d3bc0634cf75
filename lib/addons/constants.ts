/**
 * Names other parts of Headroom must agree on: namespaces, service names, metric
 * names, the OTLP endpoint and the node labels add-ons are placed by.
 * Change one here and every reader follows; never repeat these literals elsewhere.
 */

/** Namespace of Istio's control plane (istio-base, istiod). */
export const ISTIO_SYSTEM_NAMESPACE = "istio-system";
/** Namespace of the Istio ingress gateway. */
export const ISTIO_INGRESS_NAMESPACE = "istio-ingress";
/** Release name of the ingress gateway; its pods carry `istio: ingressgateway`, its Service has this name. */
export const ISTIO_INGRESS_GATEWAY_NAME = "istio-ingressgateway";
/** The LoadBalancer Service (NLB) in front of the ingress gateway pods. */
export const ISTIO_INGRESS_LOAD_BALANCER_SERVICE = "istio-ingressgateway-nlb";
/** Label selector of the ingress gateway pods, for `Gateway.spec.selector`. */
export const ISTIO_INGRESS_GATEWAY_SELECTOR: Readonly<Record<string, string>> = { istio: "ingressgateway" };
/** Tracing extension provider istiod defines; a `Telemetry` resource names it to sample per workload. */
export const ISTIO_TRACING_PROVIDER = "otel-tracing";

/** Namespace of Prometheus, Alertmanager, Grafana and prometheus-adapter. */
export const MONITORING_NAMESPACE = "monitoring";
/** `fullnameOverride` of kube-prometheus-stack, so service names are stable. */
export const KUBE_PROMETHEUS_STACK_FULLNAME = "kps";
/** In-cluster Prometheus service (port 9090). */
export const PROMETHEUS_SERVICE = `${KUBE_PROMETHEUS_STACK_FULLNAME}-prometheus`;
/** Prometheus base URL inside the cluster. */
export const PROMETHEUS_URL = `http://${PROMETHEUS_SERVICE}.${MONITORING_NAMESPACE}.svc.cluster.local:9090`;
/**
 * Labels a ServiceMonitor/PodMonitor/PrometheusRule needs to be selected: none.
 * Prometheus selects objects of every namespace without a `release` label.
 */
export const PROMETHEUS_SELECTOR_LABELS: Readonly<Record<string, string>> = {};
/** Label (and value) that makes Grafana's sidecar load a ConfigMap as a dashboard, from any namespace. */
export const GRAFANA_DASHBOARD_LABEL = "grafana_dashboard";
export const GRAFANA_DASHBOARD_LABEL_VALUE = "1";
/** Kubernetes Secret holding Grafana's admin user and generated password. */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";

/** Namespace of Jaeger. */
export const TRACING_NAMESPACE = "observability";
/**
 * Jaeger's release name and `fullnameOverride`, hence the name of the one Service chart 4.11.1
 * renders (OTLP, query and metrics ports on it; there is no separate collector or query Service).
 */
export const JAEGER_SERVICE = "jaeger";
/** Host of the OTLP receiver (the Jaeger v2 Service). */
export const OTLP_HOST = `${JAEGER_SERVICE}.${TRACING_NAMESPACE}.svc.cluster.local`;
/** OTLP gRPC port (what istiod exports to). */
export const OTLP_GRPC_PORT = 4317;
/** OTLP HTTP port (what SDKs inside workloads may use). */
export const OTLP_HTTP_PORT = 4318;
/** OTLP gRPC endpoint for workloads, `http://host:4317`. */
export const OTLP_GRPC_ENDPOINT = `http://${OTLP_HOST}:${OTLP_GRPC_PORT}`;
/** Jaeger query (UI and HTTP API) port on that Service (`http-query`). */
export const JAEGER_QUERY_PORT = 16686;
/** Jaeger query (UI and API) URL, Grafana's Jaeger data source. */
export const JAEGER_QUERY_URL = `http://${OTLP_HOST}:${JAEGER_QUERY_PORT}`;

/** Namespace of KEDA. */
export const KEDA_NAMESPACE = "keda";
/** KEDA operator service account; its Pod Identity role is what `TriggerAuthentication` `podIdentity.provider: aws` uses. */
export const KEDA_OPERATOR_SERVICE_ACCOUNT = "keda-operator";

/** Namespace of the NVIDIA device plugin and DCGM exporter. */
export const GPU_SYSTEM_NAMESPACE = "gpu-system";

/** vLLM's gauge of requests waiting in the engine queue (source series). */
export const VLLM_QUEUE_METRIC = "vllm:num_requests_waiting";
/**
 * vLLM's gauge of KV-cache use, 0-1 (source series). vLLM deprecated `vllm:gpu_cache_usage_perc`
 * for this name (vllm-project/vllm#18354) and no longer emits the old one by default.
 */
export const VLLM_KV_CACHE_METRIC = "vllm:kv_cache_usage_perc";
/** Custom metric (per pod) an HPA `Pods` metric names for queue depth. */
export const CUSTOM_METRIC_QUEUE_DEPTH = "vllm_num_requests_waiting";
/** Custom metric (per pod) an HPA `Pods` metric names for KV-cache use (0-1). */
export const CUSTOM_METRIC_KV_CACHE_USAGE = "vllm_kv_cache_usage_perc";

/** MSK open monitoring ports (JMX exporter, node exporter) on every broker. */
export const MSK_JMX_EXPORTER_PORT = 11001;
export const MSK_NODE_EXPORTER_PORT = 11002;

/** Label of system nodes (the system managed node group). */
export const SYSTEM_NODE_LABEL: Readonly<Record<string, string>> = { "headroom.dev/node-role": "system" };
/** Node label naming the GPU family; set by the GPU node groups (`lib/eks`). */
export { GPU_FAMILY_LABEL } from "../eks/node-group-options";
/** The GPU node taint in Kubernetes spelling (`lib/eks` `GPU_TAINT` is the same taint in EKS API spelling). */
export const GPU_TOLERATION_TAINT = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" } as const;

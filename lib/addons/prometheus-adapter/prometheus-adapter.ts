import { AddonContext, AddonValidationContext, HelmAddon, HelmChart, PodSecurityLevel } from "../addon";
import { Problem } from "../../core/validation";
import {
  CUSTOM_METRIC_KV_CACHE_USAGE,
  CUSTOM_METRIC_QUEUE_DEPTH,
  MONITORING_NAMESPACE,
  PROMETHEUS_SERVICE,
  VLLM_KV_CACHE_METRIC,
  VLLM_QUEUE_METRIC,
} from "../constants";
import { KUBE_PROMETHEUS_STACK } from "../kube-prometheus-stack/kube-prometheus-stack";
import { checkInt, resources, restrictedContainer, restrictedPod, systemPlacement } from "../private/values";

/** Add-on name of {@link PrometheusAdapter}. */
export const PROMETHEUS_ADAPTER = "prometheus-adapter";
/** Chart pin: prometheus-community `prometheus-adapter` 4.14.1 (adapter v0.12.0). */
export const PROMETHEUS_ADAPTER_CHART: HelmChart = {
  chart: "prometheus-adapter",
  repository: "https://prometheus-community.github.io/helm-charts",
  version: "4.14.1",
};

/** One custom-metrics rule of prometheus-adapter (its config format). */
export interface AdapterRule {
  readonly seriesQuery: string;
  readonly resources: { readonly overrides: Readonly<Record<string, { readonly resource: string }>> };
  readonly name: { readonly matches: string; readonly as: string };
  readonly metricsQuery: string;
}

/** The rules that expose vLLM's queue depth and KV-cache use as per-pod custom metrics. */
export function inferenceMetricRules(): AdapterRule[] {
  const rule = (series: string, as: string, agg: "sum" | "max"): AdapterRule => ({
    seriesQuery: `${series}{namespace!="",pod!=""}`,
    resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
    name: { matches: `^${series}$`, as },
    // One value per pod: a tensor-parallel replica exports one engine's series per pod.
    metricsQuery: `${agg}(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)`,
  });
  return [rule(VLLM_QUEUE_METRIC, CUSTOM_METRIC_QUEUE_DEPTH, "sum"), rule(VLLM_KV_CACHE_METRIC, CUSTOM_METRIC_KV_CACHE_USAGE, "max")];
}

/** Options of {@link PrometheusAdapter}. */
export interface PrometheusAdapterOptions {
  /**
   * Replicas of the adapter (an APIService: when it is down, every HPA on custom metrics stalls).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Also serve `metrics.k8s.io` (CPU/memory) from Prometheus. Conflicts with metrics-server.
   * @default false: metrics-server serves resource metrics
   */
  readonly serveResourceMetrics?: boolean;
}

/**
 * prometheus-adapter: serves `custom.metrics.k8s.io` from Prometheus so the inference HPA can scale
 * on {@link CUSTOM_METRIC_QUEUE_DEPTH} and {@link CUSTOM_METRIC_KV_CACHE_USAGE} (type `Pods`).
 * It does not serve `external.metrics.k8s.io` (KEDA's metrics server owns that APIService).
 *
 * @example
 * new PrometheusAdapter({ replicas: 2 })
 */
export class PrometheusAdapter extends HelmAddon {
  public readonly name = PROMETHEUS_ADAPTER;
  public readonly chart = PROMETHEUS_ADAPTER_CHART;
  public readonly namespace = MONITORING_NAMESPACE;
  public readonly podSecurity: PodSecurityLevel = "restricted";
  public override readonly dependencies = [KUBE_PROMETHEUS_STACK];

  public constructor(private readonly opts: PrometheusAdapterOptions = {}) {
    super(opts, ["replicas", "serveResourceMetrics"]);
  }

  protected override validateOptions(ctx: AddonValidationContext): Problem[] {
    const problems: Problem[] = [];
    checkInt(problems, "ADDON_REPLICAS", `addons.${this.name}.replicas`, this.opts.replicas ?? 2, 1, 5);
    if (this.opts.serveResourceMetrics && ctx.has("metrics-server")) {
      problems.push({
        code: "ADDON_INCOMPATIBLE",
        path: `addons.${this.name}.serveResourceMetrics`,
        value: true,
        allowed: "prometheus-adapter and metrics-server cannot both serve metrics.k8s.io: remove one or set serveResourceMetrics to false",
      });
    }
    return problems;
  }

  public values(ctx: AddonContext): Record<string, unknown> {
    return {
      replicas: this.opts.replicas ?? 2,
      prometheus: { url: `http://${PROMETHEUS_SERVICE}.${MONITORING_NAMESPACE}.svc`, port: 9090 },
      rules: {
        default: false,
        custom: inferenceMetricRules(),
        ...(this.opts.serveResourceMetrics
          ? {
              resource: {
                cpu: {
                  containerQuery: "sum(rate(container_cpu_usage_seconds_total{<<.LabelMatchers>>,container!=\"\"}[3m])) by (<<.GroupBy>>)",
                  nodeQuery: "sum(rate(node_cpu_seconds_total{mode!=\"idle\",<<.LabelMatchers>>}[3m])) by (<<.GroupBy>>)",
                  resources: { overrides: { node: { resource: "node" }, namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
                  containerLabel: "container",
                },
                memory: {
                  containerQuery: "sum(container_memory_working_set_bytes{<<.LabelMatchers>>,container!=\"\"}) by (<<.GroupBy>>)",
                  nodeQuery: "sum(node_memory_MemTotal_bytes{<<.LabelMatchers>>} - node_memory_MemAvailable_bytes{<<.LabelMatchers>>}) by (<<.GroupBy>>)",
                  resources: { overrides: { node: { resource: "node" }, namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
                  containerLabel: "container",
                },
                window: "3m",
              },
            }
          : {}),
      },
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      resources: resources("100m", "256Mi", { memory: "512Mi" }),
      podSecurityContext: restrictedPod(10001, 10001),
      securityContext: restrictedContainer(),
      ...systemPlacement(ctx),
    };
  }
}

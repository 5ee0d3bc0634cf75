import { CUSTOM_METRIC_KV_CACHE_USAGE, CUSTOM_METRIC_QUEUE_DEPTH, KubePrometheusStack, PROMETHEUS_ADAPTER_CHART, PROMETHEUS_SERVICE, PrometheusAdapter, inferenceMetricRules } from "../../lib/addons";
import { release, synthAddons, validationError, valuesOf } from "./helpers";

const kps = () => new KubePrometheusStack({ retentionDays: 7, volumeGiB: 50, activeSeries: 100_000, kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k" });

describe("PrometheusAdapter", () => {
  const { json } = synthAddons([kps(), new PrometheusAdapter()]);
  const v = valuesOf(json, "prometheus-adapter");

  test("pinned chart next to Prometheus, after it", () => {
    const r = release(json, "prometheus-adapter");
    expect([r.chart, r.version, r.namespace]).toEqual(["prometheus-adapter", PROMETHEUS_ADAPTER_CHART.version, "monitoring"]);
    expect(r.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/helm_release\.Addons_kube-prometheus-stack_/)]));
  });

  test("queries the Prometheus service kube-prometheus-stack creates", () => {
    expect(PROMETHEUS_SERVICE).toBe("kps-prometheus");
    expect(valuesOf(json, "kube-prometheus-stack").fullnameOverride).toBe("kps");
    expect(v.prometheus).toEqual({ url: "http://kps-prometheus.monitoring.svc", port: 9090 });
  });

  test("exposes vLLM queue depth and KV-cache use as per-pod custom metrics under the exported names", () => {
    expect(v.rules.default).toBe(false);
    expect(v.rules.resource).toBeUndefined();
    expect(v.rules.custom.map((r: any) => r.name.as)).toEqual([CUSTOM_METRIC_QUEUE_DEPTH, CUSTOM_METRIC_KV_CACHE_USAGE]);
    expect(v.rules.custom[0].seriesQuery).toBe('vllm:num_requests_waiting{namespace!="",pod!=""}');
    expect(v.rules.custom[1].seriesQuery).toBe('vllm:kv_cache_usage_perc{namespace!="",pod!=""}');
    for (const rule of v.rules.custom) {
      expect(rule.resources.overrides).toEqual({ namespace: { resource: "namespace" }, pod: { resource: "pod" } });
      expect(rule.metricsQuery).toMatch(/^(sum|max)\(<<\.Series>>\{<<\.LabelMatchers>>\}\) by \(<<\.GroupBy>>\)$/);
    }
    expect(inferenceMetricRules()).toEqual(v.rules.custom);
  });

  test("restricted, two replicas with a PDB, system nodes", () => {
    expect(v.replicas).toBe(2);
    expect(v.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
    expect(v.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(v.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(v.nodeSelector).toEqual({ "headroom.dev/node-role": "system" });
  });

  test("serving resource metrics is opt-in and adds CPU and memory rules", () => {
    const rv = valuesOf(synthAddons([kps(), new PrometheusAdapter({ serveResourceMetrics: true, replicas: 3 })]).json, "prometheus-adapter");
    expect(Object.keys(rv.rules.resource)).toEqual(["cpu", "memory", "window"]);
    expect(rv.replicas).toBe(3);
  });

  test("needs kube-prometheus-stack", () => {
    expect(validationError(() => synthAddons([new PrometheusAdapter()])).message).toContain("prometheus-adapter requires add-on 'kube-prometheus-stack'");
  });
});

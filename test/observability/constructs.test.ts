import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Telemetry } from "@kubernetes-models/istio/telemetry.istio.io/v1alpha1/Telemetry";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { TerraformStack } from "cdktf";
import { ValidationError } from "../../lib/core/validation";
import { DCGM_EXPORTER_TARGET, MeshTracing, ScrapeMonitors, SloAlertRules } from "../../lib/observability";
import { resourcesOf, synthJson, testStack } from "../helpers/synth";

function k8sStack(): TerraformStack {
  const { stack } = testStack();
  new KubernetesProvider(stack, "k8s", { configPath: "~/.kube/config" });
  return stack;
}

function manifests(stack: TerraformStack): any[] {
  return Object.values(resourcesOf(synthJson(stack), "kubernetes_manifest")).map((r: any) => r.manifest);
}

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("synthesized custom resources", () => {
  it("validate against their CRD schemas as they appear in the Terraform JSON", () => {
    const stack = k8sStack();
    new SloAlertRules(stack, "Alerts", { slo: { availability: 0.999, ttftP99Seconds: 1 } });
    new ScrapeMonitors(stack, "Monitors", { dcgmExporter: DCGM_EXPORTER_TARGET });
    new MeshTracing(stack, "Tracing", { samplingPercent: 1 });
    const models: Record<string, new (data: any) => { validate(): void }> = { PrometheusRule, PodMonitor, ServiceMonitor, Telemetry };
    const all = manifests(stack);
    expect(all.map((m) => m.kind).sort()).toEqual(["PodMonitor", "PodMonitor", "PodMonitor", "PrometheusRule", "ServiceMonitor", "ServiceMonitor", "ServiceMonitor", "Telemetry"]);
    for (const manifest of all) expect(() => new models[manifest.kind](manifest).validate()).not.toThrow();
    // A broken object is caught by the same check.
    expect(() => new PodMonitor({ ...all.find((m) => m.kind === "PodMonitor"), spec: { podMetricsEndpoints: [] } }).validate()).toThrow(/selector/);
  });
});

describe("SloAlertRules", () => {
  it("synthesizes one PrometheusRule with the generated groups", () => {
    const stack = k8sStack();
    const alerts = new SloAlertRules(stack, "Alerts", { slo: { availability: 0.995, ttftP99Seconds: 0.5 } });
    const [rule] = manifests(stack);
    expect(rule.apiVersion).toBe("monitoring.coreos.com/v1");
    expect(rule.kind).toBe("PrometheusRule");
    expect(rule.metadata).toMatchObject({ name: "headroom-slo", namespace: "monitoring" });
    expect(rule.spec.groups).toEqual(JSON.parse(JSON.stringify(alerts.ruleSet.groups)));
    const fast = rule.spec.groups[1].rules[0];
    expect(fast.alert).toBe("InferenceAvailabilityFastBurn");
    expect(fast.expr).toContain("> 0.072 and"); // 14.4 x 0.005
  });

  it("fails with the rule set's problems and its own, together", () => {
    const stack = k8sStack();
    const error = errorOf(() => new SloAlertRules(stack, "Alerts", { slo: { availability: 0.5, ttftP99Seconds: 1 }, namespace: "Monitoring" }));
    expect(error.codes).toEqual(["OBS_NAMESPACE", "OBS_SLO_AVAILABILITY"]);
    expect(error.message).toContain("Invalid SloAlertRules 'test/Alerts' props (2 problems)");
  });
});

describe("ScrapeMonitors", () => {
  it("scrapes vLLM, the sidecars, the gateway, istiod and KEDA, and leaves DCGM to its chart by default", () => {
    const stack = k8sStack();
    new ScrapeMonitors(stack, "Monitors", { sources: { inferenceNamespace: "llm", inferenceService: "chat" }, scrapeIntervalSeconds: 30 });
    const byName = Object.fromEntries(manifests(stack).map((m) => [m.metadata.name, m]));
    expect(Object.keys(byName).sort()).toEqual(["chat-vllm", "istio-ingress-gateway", "istio-sidecars", "istiod", "keda-operator"]);
    expect(byName["chat-vllm"]).toMatchObject({
      kind: "PodMonitor",
      metadata: { namespace: "llm" },
      spec: { selector: { matchLabels: { "app.kubernetes.io/name": "chat" } }, podMetricsEndpoints: [{ port: "http-envoy-prom", path: "/stats/prometheus", interval: "30s" }] },
    });
    expect(byName["istio-sidecars"].spec.namespaceSelector).toEqual({ any: true });
    expect(byName["istio-sidecars"].spec.podMetricsEndpoints[0]).toMatchObject({ port: "http-envoy-prom", path: "/stats/prometheus" });
    expect(byName["istio-ingress-gateway"]).toMatchObject({ metadata: { namespace: "istio-ingress" }, spec: { selector: { matchLabels: { istio: "ingressgateway" } } } });
    expect(byName["keda-operator"]).toMatchObject({ kind: "ServiceMonitor", metadata: { namespace: "keda" } });
  });

  it("adds the DCGM ServiceMonitor when asked and drops the optional ones", () => {
    const stack = k8sStack();
    new ScrapeMonitors(stack, "Monitors", { dcgmExporter: DCGM_EXPORTER_TARGET, keda: false, istiod: false, istioSidecars: false, istioGateway: false });
    const names = manifests(stack).map((m) => m.metadata.name);
    expect(names.sort()).toEqual(["dcgm-exporter", "inference-vllm"]);
  });

  it("fails on a bad interval and namespace", () => {
    const error = errorOf(() => new ScrapeMonitors(k8sStack(), "Monitors", { scrapeIntervalSeconds: 2, sources: { inferenceNamespace: "LLM" } }));
    expect(error.codes).toEqual(["OBS_SCRAPE_INTERVAL", "OBS_NAMESPACE"]);
  });
});

describe("MeshTracing", () => {
  it("sends spans mesh-wide to istiod's OpenTelemetry provider at the given rate", () => {
    const stack = k8sStack();
    new MeshTracing(stack, "Tracing", { samplingPercent: 2.5 });
    const [telemetry] = manifests(stack);
    expect(telemetry).toMatchObject({
      apiVersion: "telemetry.istio.io/v1alpha1",
      kind: "Telemetry",
      metadata: { name: "mesh-default", namespace: "istio-system" },
      spec: { tracing: [{ providers: [{ name: "otel-tracing" }], randomSamplingPercentage: 2.5, disableSpanReporting: false }] },
    });
  });

  it("turns span reporting off at 0% and rejects more than 100%", () => {
    const stack = k8sStack();
    new MeshTracing(stack, "Tracing", { samplingPercent: 0, provider: "custom" });
    expect(manifests(stack)[0].spec.tracing[0]).toMatchObject({ providers: [{ name: "custom" }], disableSpanReporting: true });
    const error = errorOf(() => new MeshTracing(k8sStack(), "Tracing", { samplingPercent: 150 }));
    expect(error.codes).toEqual(["OBS_TRACING_SAMPLING"]);
    expect(error.message).toContain("samplingPercent [OBS_TRACING_SAMPLING]: got 150; allowed: a number from 0 to 100");
  });
});

import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { ValidationError } from "../../lib/core/validation";
import { ScrapeMonitors } from "../../lib/observability";
import { resourcesOf, synthJson } from "../helpers/synth";
import { tierProps } from "../serving/tier-fixture";
import { workloadsTestStack } from "../serving/helpers";
import { ServingTier } from "../../lib/serving/serving-tier";

/** A pod as Prometheus's Kubernetes `pod` discovery sees it once Istio injected the sidecar. */
interface DiscoveredPod {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly ports: { container: string; name?: string; port: number }[];
}

/** One target per declared container port, as `kubernetes_sd_configs` role `pod` generates them. */
function targetsOf(pod: DiscoveredPod, ip = "10.1.2.3"): Record<string, string>[] {
  return pod.ports.map((p) => ({
    __address__: `${ip}:${p.port}`,
    __meta_kubernetes_namespace: pod.namespace,
    __meta_kubernetes_pod_container_name: p.container,
    __meta_kubernetes_pod_container_port_name: p.name ?? "",
    ...Object.fromEntries(Object.entries(pod.labels).map(([k, v]) => [`__meta_kubernetes_pod_label_${k.replace(/[^a-zA-Z0-9_]/g, "_")}`, v])),
  }));
}

/** Applies `keep`/`drop`/`replace` relabelings with Prometheus semantics (anchored RE2-compatible regex, `;` separator). */
function relabel(target: Record<string, string>, rules: any[]): Record<string, string> | undefined {
  let t = { ...target };
  for (const r of rules) {
    const value = (r.sourceLabels ?? []).map((l: string) => t[l] ?? "").join(r.separator ?? ";");
    const re = new RegExp(`^(?:${r.regex ?? "(.*)"})$`);
    const action = String(r.action ?? "replace").toLowerCase();
    if (action === "keep" && !re.test(value)) return undefined;
    if (action === "drop" && re.test(value)) return undefined;
    if (action === "replace" && re.test(value)) {
      t = { ...t, [r.targetLabel]: value.replace(re, String(r.replacement ?? "$1").replace(/\$\{(\d+)\}/g, "$$$1")) };
    }
  }
  return t;
}

function selects(monitor: any, pod: DiscoveredPod): boolean {
  const ns = monitor.spec.namespaceSelector;
  if (!(ns?.any || (ns?.matchNames ?? [monitor.metadata.namespace]).includes(pod.namespace))) return false;
  const { matchLabels = {}, matchExpressions = [] } = monitor.spec.selector;
  if (!Object.entries(matchLabels).every(([k, v]) => pod.labels[k] === v)) return false;
  return matchExpressions.every((e: any) =>
    e.operator === "Exists" ? e.key in pod.labels : e.operator === "DoesNotExist" ? !(e.key in pod.labels) : e.operator === "In" ? e.values.includes(pod.labels[e.key]) : !e.values.includes(pod.labels[e.key]),
  );
}

/** Every (monitor, address, path) Prometheus would scrape for `pod`, following the operator's port-name keep rule. */
function scrapesOf(monitors: any[], pod: DiscoveredPod): string[] {
  const out: string[] = [];
  for (const m of monitors.filter((x) => x.kind === "PodMonitor" && selects(x, pod))) {
    for (const ep of m.spec.podMetricsEndpoints) {
      for (const target of targetsOf(pod)) {
        const kept = relabel(target, [{ action: "keep", sourceLabels: ["__meta_kubernetes_pod_container_port_name"], regex: ep.port }, ...(ep.relabelings ?? [])]);
        if (kept) out.push(`${m.metadata.name} ${kept.__address__}${ep.path}`);
      }
    }
  }
  return out;
}

function synthPlatform(canary: boolean) {
  const stack = workloadsTestStack();
  const base = tierProps();
  const props = canary ? { ...base, inference: { ...base.inference, replicas: Math.max(1, base.inference.replicas - 1), canary: { image: "vllm/vllm-openai:v0.12.1" } } } : base;
  const tier = new ServingTier(stack, "Serving", props);
  new ScrapeMonitors(stack, "Monitors", { sources: { inferenceNamespace: "inference", inferenceService: tier.inference.name } });
  const json = synthJson(stack);
  const monitors = Object.values(resourcesOf(json, "kubernetes_manifest")).map((r: any) => r.manifest);
  // Namespaces are Terraform references to the namespace resources: resolve them to names.
  const namespaces = resourcesOf(json, "kubernetes_namespace_v1") as Record<string, any>;
  const resolve = (ns: string) => ns.replace(/^\$\{kubernetes_namespace_v1\.([^.]+)\.metadata\[0\]\.name\}$/, (_, key: string) => namespaces[key].metadata.name);
  const pods: DiscoveredPod[] = (Object.values(resourcesOf(json, "kubernetes_deployment_v1")) as any[]).map((d) => ({
    namespace: resolve(d.metadata.namespace),
    // The injector adds the tlsMode label to every meshed pod.
    labels: { ...d.spec.template.metadata.labels, "security.istio.io/tlsMode": "istio" },
    ports: [
      ...d.spec.template.spec.container.flatMap((c: any) => (c.port ?? []).map((p: any) => ({ container: c.name, name: p.name, port: Number(p.container_port) }))),
      { container: "istio-proxy", name: "http-envoy-prom", port: 15090 },
    ],
  }));
  const annotations = Object.fromEntries((Object.values(resourcesOf(json, "kubernetes_deployment_v1")) as any[]).map((d) => [d.metadata.name, d.spec.template.metadata.annotations ?? {}]));
  const policies = Object.fromEntries((Object.values(resourcesOf(json, "kubernetes_network_policy_v1")) as any[]).map((p) => [p.metadata.name, p]));
  return { tier, monitors, pods, annotations, policies };
}

describe("scraping through Istio metrics merging", () => {
  const { tier, monitors, pods, annotations, policies } = synthPlatform(true);
  const inferencePods = pods.filter((p) => p.namespace === "inference" && p.labels["app.kubernetes.io/name"] === "inference");
  const pickerPods = pods.filter((p) => p.labels["app.kubernetes.io/name"] === "inference-epp");
  const workerPods = pods.filter((p) => p.namespace !== "inference");

  test("the vLLM PodMonitor reads the agent's merged endpoint, not the mTLS-only API port", () => {
    const vllm = monitors.find((m) => m.metadata.name === "inference-vllm");
    expect(vllm.spec.podMetricsEndpoints).toHaveLength(1);
    expect(vllm.spec.podMetricsEndpoints[0]).toMatchObject({ port: "http-envoy-prom", path: "/stats/prometheus" });
    expect(() => new PodMonitor(vllm).validate()).not.toThrow();
    expect(JSON.stringify(vllm)).not.toContain('"port":"http"');
    // Terraform reads "${" in the synthesized JSON as an interpolation: none may reach the monitors
    // except real references (the namespace of a monitor that lives with its workload).
    const reference = /\$\{kubernetes_namespace_v1\.[A-Za-z0-9_]+\.metadata\[0\]\.name\}/g;
    for (const m of monitors.filter((x) => /Monitor$/.test(x.kind))) expect(JSON.stringify(m).replace(reference, "")).not.toContain("${");
  });

  test("every inference pod (stable and canary) is scraped exactly once, on 15020, and workers once on 15090", () => {
    expect(inferencePods.map((p) => p.labels.version).sort()).toEqual(["canary", "stable"]);
    for (const pod of inferencePods) expect(scrapesOf(monitors, pod)).toEqual(["inference-vllm 10.1.2.3:15020/stats/prometheus"]);
    expect(workerPods.length).toBeGreaterThan(0);
    for (const pod of workerPods) expect(scrapesOf(monitors, pod)).toEqual(["istio-sidecars 10.1.2.3:15090/stats/prometheus"]);
    // The picker's Envoy is a sidecar like any other; its own metrics come through its ServiceMonitor.
    expect(pickerPods).toHaveLength(1);
    expect(scrapesOf(monitors, pickerPods[0]!)).toEqual(["istio-sidecars 10.1.2.3:15090/stats/prometheus"]);
    expect(monitors.find((m) => m.kind === "ServiceMonitor" && m.metadata.name === "inference-epp")).toBeDefined();
  });

  test("an IPv6 pod address is moved to 15020 too", () => {
    const vllm = monitors.find((m) => m.metadata.name === "inference-vllm");
    const target = targetsOf(inferencePods[0], "[fd00::1]").find((t) => t.__meta_kubernetes_pod_container_port_name === "http-envoy-prom")!;
    expect(relabel(target, vllm.spec.podMetricsEndpoints[0].relabelings)?.__address__).toBe("[fd00::1]:15020");
  });

  test("the pods' prometheus.io annotations name vLLM's port and path, which the agent merges", () => {
    for (const name of ["inference", "inference-canary"]) {
      expect(annotations[name]).toMatchObject({ "prometheus.io/scrape": "true", "prometheus.io/port": String(tier.inference.port), "prometheus.io/path": "/metrics" });
    }
  });

  test("the NetworkPolicies admit Prometheus on exactly the port it scrapes", () => {
    const monitoringRule = (policy: any) => policy.spec.ingress.filter((r: any) => JSON.stringify(r.from).includes('"monitoring"'));
    expect(monitoringRule(policies["inference-server"])).toEqual([
      { from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ port: "15020", protocol: "TCP" }] },
    ]);
    expect(monitoringRule(policies["inference-worker"])[0].ports).toContainEqual({ port: "15090", protocol: "TCP" });
  });
});

describe("ScrapeMonitors dedupe follows the inference selector", () => {
  test("a custom selector and namespace move the vLLM scrape and the sidecar monitor's exclusion together", () => {
    const stack = workloadsTestStack();
    new ScrapeMonitors(stack, "Monitors", { sources: { inferenceNamespace: "llm", inferenceService: "chat" }, inferencePodSelector: { app: "chat", tier: "gpu.v2" } });
    const monitors = Object.values(resourcesOf(synthJson(stack), "kubernetes_manifest")).map((r: any) => r.manifest);
    const pod = (namespace: string, labels: Record<string, string>): DiscoveredPod => ({
      namespace,
      labels: { ...labels, "security.istio.io/tlsMode": "istio" },
      ports: [{ container: "server", name: "http", port: 8000 }, { container: "istio-proxy", name: "http-envoy-prom", port: 15090 }],
    });
    expect(scrapesOf(monitors, pod("llm", { app: "chat", tier: "gpu.v2" }))).toEqual(["chat-vllm 10.1.2.3:15020/stats/prometheus"]);
    // Same labels in another namespace, or one label different: an ordinary sidecar.
    expect(scrapesOf(monitors, pod("other", { app: "chat", tier: "gpu.v2" }))).toEqual(["istio-sidecars 10.1.2.3:15090/stats/prometheus"]);
    expect(scrapesOf(monitors, pod("llm", { app: "chat", tier: "gpuxv2" }))).toEqual(["istio-sidecars 10.1.2.3:15090/stats/prometheus"]);
  });

  test("an empty inference selector is refused", () => {
    let error: unknown;
    try {
      new ScrapeMonitors(workloadsTestStack(), "Monitors", { inferencePodSelector: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).codes).toEqual(["OBS_SELECTOR_EMPTY"]);
    expect((error as ValidationError).message).toContain("inferencePodSelector");
  });
});

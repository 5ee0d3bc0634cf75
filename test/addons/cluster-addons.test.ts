import { ClusterAddons, DcgmExporter, IstioBase, IstioCni, IstioIngressGateway, Istiod, Jaeger, KubePrometheusStack, MetricsServer, NvidiaDevicePlugin, PrometheusAdapter, AwsLoadBalancerController, Keda } from "../../lib/addons";
import { resourcesOf } from "../helpers/synth";
import { clusterStack, release, synthAddons, validationError } from "./helpers";

const KMS = "arn:aws:kms:us-east-1:123456789012:key/abc";
const kps = (): KubePrometheusStack => new KubePrometheusStack({ retentionDays: 7, volumeGiB: 50, activeSeries: 100_000, kmsKeyArn: KMS });

describe("ClusterAddons composition", () => {
  test("a missing dependency fails with a named message before anything is created", () => {
    const { stack } = clusterStack();
    const err = validationError(() => new ClusterAddons(stack, "Addons", { clusterName: "dev", region: "us-east-1", vpcId: "vpc-1", addons: [new Istiod({ tracingSamplingPercent: 0 })] }));
    expect(err.codes).toEqual(["ADDON_DEPENDENCY_MISSING", "ADDON_DEPENDENCY_MISSING"]);
    expect(err.message).toContain("istiod requires add-on 'istio-base'");
    expect(err.message).toContain("istiod requires add-on 'istio-cni'");
    // Nothing was added to the stack.
    expect(stack.node.tryFindChild("Addons")?.node.children.length ?? 0).toBe(0);
  });

  test("the Istio gateway without the load balancer controller is rejected", () => {
    const { stack } = clusterStack();
    const err = validationError(
      () => new ClusterAddons(stack, "Addons", { clusterName: "dev", region: "us-east-1", vpcId: "vpc-1", addons: [new IstioBase(), new IstioCni(), new Istiod({ tracingSamplingPercent: 0 }), new IstioIngressGateway()] }),
    );
    expect(err.message).toContain("istio-ingressgateway requires add-on 'aws-load-balancer-controller'");
  });

  test("DCGM exporter and the device plugin without GPU nodes are rejected", () => {
    const { stack } = clusterStack();
    const err = validationError(
      () => new ClusterAddons(stack, "Addons", { clusterName: "dev", region: "us-east-1", vpcId: "vpc-1", addons: [kps(), new NvidiaDevicePlugin(), new DcgmExporter()] }),
    );
    expect(err.codes).toEqual(["ADDON_REQUIRES_GPU_NODES", "ADDON_REQUIRES_GPU_NODES"]);
    expect(err.message).toContain("dcgm-exporter runs only on GPU nodes");
  });

  test("an unknown add-on option is rejected, naming the allowed ones", () => {
    const { stack } = clusterStack();
    const misspelt = { replica: 3 } as unknown as ConstructorParameters<typeof MetricsServer>[0];
    const err = validationError(() => new ClusterAddons(stack, "Addons", { clusterName: "dev", region: "us-east-1", vpcId: "vpc-1", addons: [new MetricsServer(misspelt)] }));
    expect(err.codes).toEqual(["ADDON_OPTION_UNKNOWN"]);
    expect(err.message).toContain('addons.metrics-server.replica');
    expect(err.message).toContain('one of "replicas"');
  });

  test("every problem is reported at once", () => {
    const { stack } = clusterStack();
    const err = validationError(
      () =>
        new ClusterAddons(stack, "Addons", {
          clusterName: "dev",
          region: "us-east-1",
          vpcId: "vpc-1",
          addons: [new Istiod({ tracingSamplingPercent: 150 }), new DcgmExporter(), new MetricsServer(), new MetricsServer(), new Keda({ kafka: { clusterArn: "arn:aws:kafka:us-east-1:1:cluster/x/y", topics: ["t"], consumerGroups: ["g"] } })],
        }),
    );
    expect(new Set(err.codes)).toEqual(
      new Set(["ADDON_DUPLICATE", "ADDON_DEPENDENCY_MISSING", "ADDON_TRACING_SAMPLING", "ADDON_REQUIRES_GPU_NODES"]),
    );
    expect(err.message).toContain("dcgm-exporter requires add-on 'kube-prometheus-stack'");
    expect(err.message).toContain("dcgm-exporter requires add-on 'nvidia-device-plugin'");
  });

  test("prometheus-adapter serving resource metrics conflicts with metrics-server", () => {
    const { stack } = clusterStack();
    const err = validationError(
      () => new ClusterAddons(stack, "Addons", { clusterName: "dev", region: "us-east-1", vpcId: "vpc-1", addons: [kps(), new MetricsServer(), new PrometheusAdapter({ serveResourceMetrics: true })] }),
    );
    expect(err.codes).toEqual(["ADDON_INCOMPATIBLE"]);
  });

  test("releases depend on their dependencies, in dependency order, whatever the input order", () => {
    const { json, construct } = synthAddons([
      new IstioIngressGateway(),
      new Istiod({ tracingSamplingPercent: 5 }),
      new Jaeger(),
      new AwsLoadBalancerController(),
      new IstioBase(),
      new IstioCni(),
    ]);
    const order = construct.order;
    expect(order.indexOf("istio-base")).toBeLessThan(order.indexOf("istiod"));
    expect(order.indexOf("istio-cni")).toBeLessThan(order.indexOf("istiod"));
    expect(order.indexOf("istiod")).toBeLessThan(order.indexOf("istio-ingressgateway"));
    expect(order.indexOf("aws-load-balancer-controller")).toBeLessThan(order.indexOf("istio-ingressgateway"));
    const gw = release(json, "istio-ingressgateway");
    expect(gw.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^helm_release\.Addons_istiod_/), expect.stringMatching(/^helm_release\.Addons_aws-load-balancer-controller_/)]),
    );
    expect(release(json, "istiod").depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^helm_release\.Addons_istio-base_/), expect.stringMatching(/^helm_release\.Addons_istio-cni_/)]),
    );
    // Every release waits (install and uninstall), never creates its namespace itself, and is pinned.
    for (const r of Object.values(resourcesOf(json, "helm_release")) as any[]) {
      expect(r.wait).toBe(true);
      expect(r.create_namespace).toBe(false);
      expect(r.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(r.repository).toMatch(/^(https|oci):\/\//);
    }
  });

  test("a namespace is created once, enforcing the least strict level its add-ons need", () => {
    const { json } = synthAddons([kps(), new PrometheusAdapter(), new Jaeger(), new IstioBase()]);
    const namespaces = Object.values(resourcesOf(json, "kubernetes_namespace_v1")) as any[];
    const byName = Object.fromEntries(namespaces.map((n) => [n.metadata.name, n.metadata.labels]));
    expect(Object.keys(byName).sort()).toEqual(["istio-system", "monitoring", "observability"]);
    expect(byName.monitoring["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(byName.observability["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(byName.monitoring["pod-security.kubernetes.io/warn"]).toBe("restricted");
    expect(release(json, "prometheus-adapter").depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes_namespace_v1\.Addons_Namespace-monitoring_/)]));
  });

  test("kube-system is never created or relabelled", () => {
    const { json } = synthAddons([new MetricsServer()]);
    expect(resourcesOf(json, "kubernetes_namespace_v1")).toEqual({});
    expect(release(json, "metrics-server").namespace).toBe("kube-system");
  });

  test("system placement follows the given selector and tolerations", () => {
    const { json } = synthAddons([new MetricsServer()], {
      systemNodeSelector: { pool: "ops" },
      systemTolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
    });
    const v = JSON.parse(release(json, "metrics-server").values[0]);
    expect(v.nodeSelector).toEqual({ pool: "ops" });
    expect(v.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]);
  });

  test("release timeout is configurable and validated", () => {
    expect(release(synthAddons([new MetricsServer()], { releaseTimeoutSeconds: 1200 }).json, "metrics-server").timeout).toBe(1200);
    const { stack } = clusterStack();
    expect(validationError(() => new ClusterAddons(stack, "A", { clusterName: "d", region: "r", vpcId: "v", addons: [], releaseTimeoutSeconds: 5 })).codes).toEqual(["ADDON_TIMEOUT"]);
  });
});

import {
  AwsLoadBalancerController,
  ISTIO_VERSION,
  ISTIO_IMAGE_HUB,
  IstioBase,
  IstioCni,
  IstioIngressGateway,
  Istiod,
  Jaeger,
  JAEGER_SERVICE,
  OTLP_HOST,
  OTLP_GRPC_PORT,
  TRACING_NAMESPACE,
  ISTIO_TRACING_PROVIDER,
  ISTIO_INGRESS_LOAD_BALANCER_SERVICE,
  ISTIO_CNI_CHART,
  ISTIOD_CHART,
} from "../../lib/addons";
import { Pod } from "kubernetes-models/v1/Pod";
import { onlyResource, resourcesOf } from "../helpers/synth";
import { release, synthAddons, validationError, valuesOf } from "./helpers";

const mesh = (istiod: Istiod, gateway = new IstioIngressGateway()) => synthAddons([new AwsLoadBalancerController(), new Jaeger(), new IstioBase(), new IstioCni(), istiod, gateway]).json;

describe("Istio", () => {
  const json = mesh(new Istiod({ tracingSamplingPercent: 3 }), new IstioIngressGateway({ minReplicas: 3, maxReplicas: 9, scheme: "internet-facing", sourceRanges: ["203.0.113.0/24"] }));

  test("one pinned Istio version across base, cni, istiod and gateway", () => {
    const rs = ["istio-base", "istio-cni", "istiod", "istio-ingressgateway"].map((n) => release(json, n));
    expect(rs.map((r) => r.chart)).toEqual(["base", "cni", "istiod", "gateway"]);
    expect(new Set(rs.map((r) => r.version))).toEqual(new Set([ISTIO_VERSION]));
    // Istio 1.30 supports Kubernetes 1.32-1.36, so every EKS version Headroom offers.
    expect(ISTIO_VERSION).toMatch(/^1\.30\.\d+$/);
    for (const r of rs.filter((x) => x.chart === "istiod" || x.chart === "cni")) {
      expect(JSON.parse(r.values[0]).global).toMatchObject({ hub: ISTIO_IMAGE_HUB, tag: ISTIO_VERSION });
    }
    expect(new Set(rs.map((r) => r.repository))).toEqual(new Set(["https://istio-release.storage.googleapis.com/charts"]));
    expect(rs.map((r) => r.namespace)).toEqual(["istio-system", "kube-system", "istio-system", "istio-ingress"]);
    expect(ISTIO_CNI_CHART).toEqual({ ...ISTIOD_CHART, chart: "cni" });
  });

  test("istiod traces to the Service the Jaeger chart creates, at the given rate", () => {
    const v = valuesOf(json, "istiod");
    const jaeger = release(json, "jaeger");
    expect(OTLP_HOST).toBe(`${JAEGER_SERVICE}.${TRACING_NAMESPACE}.svc.cluster.local`);
    expect(jaeger.namespace).toBe(TRACING_NAMESPACE);
    expect(JSON.parse(jaeger.values[0]).fullnameOverride).toBe(JAEGER_SERVICE);
    expect(v.meshConfig.extensionProviders).toEqual([{ name: ISTIO_TRACING_PROVIDER, opentelemetry: { service: OTLP_HOST, port: OTLP_GRPC_PORT } }]);
    expect(v.meshConfig.defaultProviders).toEqual({ tracing: [ISTIO_TRACING_PROVIDER] });
    expect(v.traceSampling).toBe(3);
    expect(valuesOf(mesh(new Istiod({ tracingSamplingPercent: 25 })), "istiod").traceSampling).toBe(25);
  });

  test("JSON access logs to stdout and the proxy starts before the application", () => {
    const v = valuesOf(json, "istiod");
    expect(v.meshConfig).toMatchObject({ accessLogFile: "/dev/stdout", accessLogEncoding: "JSON", defaultConfig: { holdApplicationUntilProxyStarts: true } });
    expect(v.nodeSelector).toEqual({ "headroom.dev/node-role": "system" });
    expect(v.resources.requests).toEqual({ cpu: "500m", memory: "2Gi" });
    expect([v.autoscaleMin, v.autoscaleMax]).toEqual([2, 4]);
    expect(v.pilot).toBeUndefined();
  });

  test("sampling 0 turns tracing off and needs no Jaeger", () => {
    const { json: off } = synthAddons([new IstioBase(), new IstioCni(), new Istiod({ tracingSamplingPercent: 0 })]);
    const v = valuesOf(off, "istiod");
    expect(v.meshConfig.enableTracing).toBe(false);
    expect(v.meshConfig.defaultProviders).toBeUndefined();
  });

  test("tracing without Jaeger, or an out-of-range rate, fails", () => {
    expect(validationError(() => synthAddons([new IstioBase(), new IstioCni(), new Istiod({ tracingSamplingPercent: 1 })])).message).toContain("istiod requires add-on 'jaeger'");
    expect(validationError(() => synthAddons([new IstioBase(), new IstioCni(), new Jaeger(), new Istiod({ tracingSamplingPercent: -1 })])).codes).toEqual(["ADDON_TRACING_SAMPLING"]);
  });

  test("the gateway gets an NLB from the controller through a Terraform-owned Service with explicit annotations", () => {
    const svc = onlyResource(json, "kubernetes_service_v1");
    expect(svc.metadata).toMatchObject({ name: ISTIO_INGRESS_LOAD_BALANCER_SERVICE, namespace: "istio-ingress" });
    expect(svc.metadata.annotations).toMatchObject({
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
    });
    expect(svc.spec).toMatchObject({ type: "LoadBalancer", load_balancer_class: "service.k8s.aws/nlb", selector: { istio: "ingressgateway" }, load_balancer_source_ranges: ["203.0.113.0/24"] });
    expect(svc.spec.port.map((p: any) => p.port)).toEqual([15021, 80, 443]);
    expect(svc.wait_for_load_balancer).toBe(true);
    // The chart's own Service stays in-cluster.
    expect(valuesOf(json, "istio-ingressgateway").service.type).toBe("ClusterIP");
    const internal = onlyResource(mesh(new Istiod({ tracingSamplingPercent: 1 })), "kubernetes_service_v1");
    expect(internal.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]).toBe("internal");
    expect(internal.spec.load_balancer_source_ranges).toBeUndefined();
  });

  test("destroy deletes the NLB Service before the gateway and the controller", () => {
    // Terraform destroys dependents first: the Service depends on both releases, so it goes first,
    // and the kubernetes provider waits until the controller has deleted the NLB.
    const deps = onlyResource(json, "kubernetes_service_v1").depends_on;
    expect(deps).toEqual(
      expect.arrayContaining([expect.stringMatching(/^helm_release\.Addons_istio-ingressgateway_/), expect.stringMatching(/^helm_release\.Addons_aws-load-balancer-controller_/)]),
    );
  });

  test("gateway replicas, HPA and PDB follow the options", () => {
    const v = valuesOf(json, "istio-ingressgateway");
    expect(v.autoscaling).toEqual({ enabled: true, minReplicas: 3, maxReplicas: 9, targetCPUUtilizationPercentage: 70 });
    expect(v.podDisruptionBudget).toEqual({ minAvailable: 1 });
    expect(v.nodeSelector).toEqual({ "headroom.dev/node-role": "system" });
    expect(v.resources).toEqual({ requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "1Gi" } });
  });

  test("bad gateway options are all reported", () => {
    const bad = new IstioIngressGateway({ minReplicas: 4, maxReplicas: 2, scheme: "public" as never, sourceRanges: ["everywhere"] });
    const err = validationError(() => mesh(new Istiod({ tracingSamplingPercent: 1 }), bad));
    expect(err.codes).toEqual(["ADDON_REPLICAS", "ADDON_LB_SCHEME", "ADDON_SOURCE_RANGE"]);
  });
});

/** Whether some toleration lets a pod onto a node with that taint (Kubernetes toleration matching). */
function tolerates(tolerations: any[], taint: { key: string; value: string; effect: string }): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === taint.effect) &&
      (t.operator === "Exists" ? t.key === undefined || t.key === taint.key : t.key === taint.key && t.value === taint.value),
  );
}

describe("Istio CNI node agent", () => {
  const json = mesh(new Istiod({ tracingSamplingPercent: 1 }));
  const cni = valuesOf(json, "istio-cni");

  test("chained onto the Amazon VPC CNI in the EKS host directories, sidecar mode only", () => {
    expect(cni).toMatchObject({ chained: true, cniBinDir: "/opt/cni/bin", cniConfDir: "/etc/cni/net.d", provider: "default", ambient: { enabled: false } });
    // Istio 1.24+ charts take these at the top level; a `cni:` wrapper would be silently ignored.
    expect(cni.cni).toBeUndefined();
    expect(cni.resources).toEqual({ requests: { cpu: "100m", memory: "100Mi" }, limits: { memory: "512Mi" } });
  });

  test("runs on every node, GPU nodes included, whatever their taints", () => {
    expect(cni.nodeSelector).toBeUndefined();
    expect(cni.affinity).toBeUndefined();
    for (const taint of [
      { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" },
      { key: "headroom.dev/gpu-family", value: "h100", effect: "NoExecute" },
      { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" },
    ]) {
      expect(tolerates(cni.tolerations, taint)).toBe(true);
    }
    // The matcher itself rejects a toleration of another taint.
    expect(tolerates([{ key: "other", operator: "Exists" }], { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" })).toBe(false);
    expect(() => new Pod({ metadata: { name: "x" }, spec: { containers: [{ name: "c", image: "i" }], tolerations: cni.tolerations } }).validate()).not.toThrow();
  });

  test("kube-system is left unlabelled; istio-system keeps enforcing restricted", () => {
    const namespaces = Object.values(resourcesOf(json, "kubernetes_namespace_v1")) as any[];
    const byName = Object.fromEntries(namespaces.map((n) => [n.metadata.name, n.metadata.labels]));
    expect(byName["kube-system"]).toBeUndefined();
    expect(byName["istio-system"]["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(new IstioCni().podSecurity).toBe("privileged");
  });

  test("istiod turns CNI on for the injector and installs after the node agent", () => {
    const v = valuesOf(json, "istiod");
    expect(v.cni).toEqual({ enabled: true, provider: "default" });
    expect(v.pilot).toBeUndefined();
    expect(v.istio_cni).toBeUndefined();
    expect(release(json, "istiod").depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^helm_release\.Addons_istio-cni_/)]));
  });

  test("istiod without the node agent fails with the named message", () => {
    const err = validationError(() => synthAddons([new IstioBase(), new Istiod({ tracingSamplingPercent: 0 })]));
    expect(err.codes).toEqual(["ADDON_DEPENDENCY_MISSING"]);
    expect(err.message).toContain("istiod requires add-on 'istio-cni'");
  });

  test("unknown options are rejected", () => {
    const err = validationError(() => synthAddons([new IstioCni({ chained: false } as never)]));
    expect(err.codes).toEqual(["ADDON_OPTION_UNKNOWN"]);
  });
});

import {
  AwsLoadBalancerController,
  ISTIO_VERSION,
  IstioBase,
  IstioIngressGateway,
  Istiod,
  Jaeger,
  JAEGER_SERVICE,
  OTLP_HOST,
  OTLP_GRPC_PORT,
  TRACING_NAMESPACE,
  ISTIO_TRACING_PROVIDER,
  ISTIO_INGRESS_LOAD_BALANCER_SERVICE,
} from "../../lib/addons";
import { onlyResource } from "../helpers/synth";
import { release, synthAddons, validationError, valuesOf } from "./helpers";

const mesh = (istiod: Istiod, gateway = new IstioIngressGateway()) => synthAddons([new AwsLoadBalancerController(), new Jaeger(), new IstioBase(), istiod, gateway]).json;

describe("Istio", () => {
  const json = mesh(new Istiod({ tracingSamplingPercent: 3 }), new IstioIngressGateway({ minReplicas: 3, maxReplicas: 9, scheme: "internet-facing", sourceRanges: ["203.0.113.0/24"] }));

  test("one pinned Istio version across base, istiod and gateway", () => {
    const rs = ["istio-base", "istiod", "istio-ingressgateway"].map((n) => release(json, n));
    expect(rs.map((r) => r.chart)).toEqual(["base", "istiod", "gateway"]);
    expect(new Set(rs.map((r) => r.version))).toEqual(new Set([ISTIO_VERSION]));
    expect(ISTIO_VERSION).toMatch(/^1\.2\d\.\d+$/);
    expect(new Set(rs.map((r) => r.repository))).toEqual(new Set(["https://istio-release.storage.googleapis.com/charts"]));
    expect(rs.map((r) => r.namespace)).toEqual(["istio-system", "istio-system", "istio-ingress"]);
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
    const { json: off } = synthAddons([new IstioBase(), new Istiod({ tracingSamplingPercent: 0 })]);
    const v = valuesOf(off, "istiod");
    expect(v.meshConfig.enableTracing).toBe(false);
    expect(v.meshConfig.defaultProviders).toBeUndefined();
  });

  test("tracing without Jaeger, or an out-of-range rate, fails", () => {
    expect(validationError(() => synthAddons([new IstioBase(), new Istiod({ tracingSamplingPercent: 1 })])).message).toContain("istiod requires add-on 'jaeger'");
    expect(validationError(() => synthAddons([new IstioBase(), new Jaeger(), new Istiod({ tracingSamplingPercent: -1 })])).codes).toEqual(["ADDON_TRACING_SAMPLING"]);
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

import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService";
import { InferenceTrafficPolicy, InferenceTrafficPolicyProps, RETRY_ON } from "../../lib/mesh/inference-traffic-policy";
import { resourcesOf, synthJson } from "../helpers/synth";
import { workloadsTestStack } from "../serving/helpers";
import { validationErrorOf } from "./helpers";

const PROPS: InferenceTrafficPolicyProps = {
  namespace: "inference",
  serviceName: "inference",
  port: 8000,
  hosts: ["api.example.com"],
  gateway: "istio-ingress/inference",
  maxConcurrentRequestsPerReplica: 80,
  maxPendingRequestsPerReplica: 16,
  replicas: 10,
  requestTimeoutSeconds: 90,
  longestRequestSeconds: 62,
  production: false,
};

function synth(props: Partial<InferenceTrafficPolicyProps> = {}) {
  const stack = workloadsTestStack();
  new InferenceTrafficPolicy(stack, "Traffic", { ...PROPS, ...props });
  const manifests = Object.values(resourcesOf(synthJson(stack), "kubernetes_manifest")).map((m: any) => m.manifest);
  return { dr: manifests.find((m) => m.kind === "DestinationRule"), vs: manifests.find((m) => m.kind === "VirtualService") };
}

describe("InferenceTrafficPolicy", () => {
  const { dr, vs } = synth();

  test("objects validate against the Istio CRD schemas", () => {
    expect(() => new DestinationRule(dr).validate()).not.toThrow();
    expect(() => new VirtualService(vs).validate()).not.toThrow();
    const faulty = synth({ faultInjection: { delayPercent: 5, abortPercent: 1 } });
    expect(() => new VirtualService(faulty.vs).validate()).not.toThrow();
  });

  test("connection-pool limits from the plan, spread over the client proxies", () => {
    expect(dr.spec.host).toBe("inference.inference.svc.cluster.local");
    expect(dr.spec.trafficPolicy.connectionPool).toEqual({
      tcp: { maxConnections: 800, connectTimeout: "5s" },
      http: { http2MaxRequests: 800, http1MaxPendingRequests: 160 },
    });
    const spread = synth({ clientProxies: 4, maxConcurrentRequestsPerReplica: 50, maxPendingRequestsPerReplica: 10, replicas: 6 });
    expect(spread.dr.spec.trafficPolicy.connectionPool.http).toEqual({ http2MaxRequests: 75, http1MaxPendingRequests: 15 });
    expect(dr.spec.trafficPolicy.tls).toEqual({ mode: "ISTIO_MUTUAL" });
  });

  test("outlier detection is the circuit breaker", () => {
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({
      consecutive5xxErrors: 5,
      consecutiveGatewayErrors: 3,
      interval: "10s",
      baseEjectionTime: "30s",
      maxEjectionPercent: 50,
    });
    const tuned = synth({ outlierDetection: { consecutive5xxErrors: 2, consecutiveGatewayErrors: 1, intervalSeconds: 5, baseEjectionSeconds: 60, maxEjectionPercent: 34 } });
    expect(tuned.dr.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 2, consecutiveGatewayErrors: 1, interval: "5s", baseEjectionTime: "60s", maxEjectionPercent: 34 });
  });

  test("stable and canary subsets by version label, weighted 90/10 by default", () => {
    expect(dr.spec.subsets).toEqual([
      { name: "stable", labels: { version: "stable" } },
      { name: "canary", labels: { version: "canary" } },
    ]);
    expect(vs.spec.http[0].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([
      ["stable", 90],
      ["canary", 10],
    ]);
    const shifted = synth({ weights: { stable: 50, canary: 50 } });
    expect(shifted.vs.spec.http[0].route.map((r: any) => r.weight)).toEqual([50, 50]);
  });

  test("timeout from the plan; retries only on connection failures, never on 5xx", () => {
    const http = vs.spec.http[0];
    expect(http.timeout).toBe("90s");
    expect(http.retries).toEqual({ attempts: 2, perTryTimeout: "90s", retryOn: RETRY_ON });
    expect(RETRY_ON).toBe("connect-failure,refused-stream,reset");
    expect(RETRY_ON).not.toMatch(/5xx|gateway-error|retriable-status/);
    expect(vs.spec.gateways).toEqual(["istio-ingress/inference", "mesh"]);
    expect(vs.spec.hosts).toEqual(["api.example.com", "inference.inference.svc.cluster.local"]);
    expect(synth({ requestTimeoutSeconds: 150, retryAttempts: 1 }).vs.spec.http[0].retries).toEqual({ attempts: 1, perTryTimeout: "150s", retryOn: RETRY_ON });
  });

  test("fault injection: off by default, on for drills, refused in production unless forced", () => {
    expect(vs.spec.http[0].fault).toBeUndefined();
    const drill = synth({ faultInjection: { delayPercent: 10, delaySeconds: 3, abortPercent: 2, abortHttpStatus: 503 } });
    expect(drill.vs.spec.http[0].fault).toEqual({ delay: { percentage: { value: 10 }, fixedDelay: "3s" }, abort: { percentage: { value: 2 }, httpStatus: 503 } });
    const err = validationErrorOf(() => new InferenceTrafficPolicy(workloadsTestStack(), "T", { ...PROPS, production: true, faultInjection: { abortPercent: 1 } }));
    expect(err.codes).toEqual(["MESH_FAULT_INJECTION_IN_PRODUCTION"]);
    const forced = synth({ production: true, forceFaultInjectionInProduction: true, faultInjection: { abortPercent: 1 } });
    expect(forced.vs.spec.http[0].fault).toEqual({ abort: { percentage: { value: 1 }, httpStatus: 503 } });
  });

  test("fails with every problem: weights not summing to 100, timeout below p99, empty fault", () => {
    const err = validationErrorOf(
      () => new InferenceTrafficPolicy(workloadsTestStack(), "T", { ...PROPS, weights: { stable: 95, canary: 10 }, requestTimeoutSeconds: 60, faultInjection: {} }),
    );
    expect(err.codes).toEqual(["MESH_CANARY_WEIGHTS", "MESH_ROUTE_TIMEOUT_BELOW_P99", "MESH_FAULT_EMPTY"]);
    expect(err.message).toContain("weights summing to 100 (got 105)");
    expect(err.message).toContain("at least the p99 end-to-end latency (62 s)");
  });
});

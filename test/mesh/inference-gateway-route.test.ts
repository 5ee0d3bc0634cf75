import { ValidationError } from "../../lib/core/validation";
import { InferenceGatewayRoute, InferenceGatewayRouteProps } from "../../lib/mesh/inference-gateway-route";
import { resourcesOf, synthJson } from "../helpers/synth";
import { workloadsTestStack } from "../serving/helpers";

const BASE: InferenceGatewayRouteProps = {
  hosts: ["api.example.com", "chat.example.com"],
  credentialName: "api-tls",
  poolNamespace: "inference",
  poolName: "inference",
  endpointPicker: { serviceName: "inference-epp" },
  requestTimeoutSeconds: 150,
  longestRequestSeconds: 120,
};

function problems(props: InferenceGatewayRouteProps): { code: string; path: string; value: unknown }[] {
  try {
    new InferenceGatewayRoute(workloadsTestStack(), "Route", props);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => ({ code: p.code, path: p.path, value: p.value }));
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("InferenceGatewayRoute", () => {
  const json = synthJson(
    (() => {
      const stack = workloadsTestStack();
      new InferenceGatewayRoute(stack, "Route", BASE);
      return stack;
    })(),
  );
  const manifests = Object.values(resourcesOf(json, "kubernetes_manifest")).map((m: any) => m.manifest);
  const gateway = manifests.find((m) => m.kind === "Gateway");
  const routes = manifests.filter((m) => m.kind === "HTTPRoute");

  test("one HTTPS listener per host, open to the pool's namespace only, and an HTTP listener for the redirect", () => {
    expect(gateway.spec.listeners.map((l: any) => [l.name, l.hostname, l.port, l.protocol])).toEqual([
      ["https-0", "api.example.com", 443, "HTTPS"],
      ["https-1", "chat.example.com", 443, "HTTPS"],
      ["http", undefined, 80, "HTTP"],
    ]);
    expect(gateway.spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": "inference" } } } });
    expect(gateway.spec.listeners[0].tls.certificateRefs).toEqual([{ group: "", kind: "Secret", name: "api-tls" }]);
  });

  test("the pool route attaches to every HTTPS listener; the redirect only to HTTP", () => {
    const pool = routes.find((r) => r.metadata.namespace === "inference");
    expect(pool.spec.parentRefs.map((p: any) => p.sectionName)).toEqual(["https-0", "https-1"]);
    expect(pool.spec.rules[0].timeouts).toEqual({ request: "150s" });
    const redirect = routes.find((r) => r.metadata.namespace === "istio-ingress");
    expect(redirect.spec.parentRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "inference", sectionName: "http" }]);
    expect(redirect.spec.rules[0].filters[0].requestRedirect).toEqual({ scheme: "https", statusCode: 301 });
  });

  test("the gateway reaches the picker with Istio mutual TLS", () => {
    const dr = manifests.find((m) => m.kind === "DestinationRule");
    expect(dr.spec.host).toBe("inference-epp.inference.svc.cluster.local");
    expect(dr.spec.trafficPolicy.tls).toEqual({ mode: "ISTIO_MUTUAL" });
  });

  test("an object the Gateway API schema refuses fails synth with the schema's message", () => {
    const found = problems({ ...BASE, hosts: ["API.Example.com"] });
    expect(found.map((p) => p.path)).toEqual(["gateway", "route", "redirect"]);
    expect(found[0]).toMatchObject({ code: "MANIFEST_SCHEMA_INVALID", path: "gateway" });
    expect(String(found[0]!.value)).toContain("/spec/listeners/0/hostname must match pattern");
    expect(found[1]).toMatchObject({ code: "MANIFEST_SCHEMA_INVALID", path: "route" });
  });

  test("a timeout shorter than the p99 request is refused", () => {
    expect(problems({ ...BASE, requestTimeoutSeconds: 60 })).toEqual([{ code: "MESH_ROUTE_TIMEOUT_BELOW_P99", path: "requestTimeoutSeconds", value: 60 }]);
  });
});

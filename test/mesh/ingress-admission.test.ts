import { EnvoyFilter } from "@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter";
import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import { IngressAdmission, IngressAdmissionProps, tokenBucket } from "../../lib/mesh/ingress-admission";
import { resourcesOf, synthJson } from "../helpers/synth";
import { workloadsTestStack } from "../serving/helpers";
import { validationErrorOf } from "./helpers";

const PROPS: IngressAdmissionProps = {
  hosts: ["api.example.com"],
  credentialName: "api-example-com-tls",
  maxRequestsPerSecond: 48,
  burstRequests: 96,
  retryAfterSeconds: 5,
};

function synth(props: Partial<IngressAdmissionProps> = {}) {
  const stack = workloadsTestStack();
  const construct = new IngressAdmission(stack, "Admission", { ...PROPS, ...props });
  const manifests = Object.values(resourcesOf(synthJson(stack), "kubernetes_manifest")).map((m: any) => m.manifest);
  const filter = manifests.find((m) => m.kind === "EnvoyFilter");
  return { construct, gateway: manifests.find((m) => m.kind === "Gateway"), filter, config: filter.spec.configPatches[0].patch.value.typed_config };
}

describe("IngressAdmission", () => {
  const base = synth();

  test("objects validate against the Istio CRD schemas", () => {
    expect(() => new Gateway(base.gateway).validate()).not.toThrow();
    expect(() => new EnvoyFilter(base.filter).validate()).not.toThrow();
  });

  test("HTTPS only with the given certificate; HTTP redirects", () => {
    expect(base.gateway.metadata.namespace).toBe("istio-ingress");
    expect(base.gateway.spec.selector).toEqual({ istio: "ingressgateway" });
    const [https, http] = base.gateway.spec.servers;
    expect(https).toEqual({
      port: { number: 443, name: "https", protocol: "HTTPS" },
      hosts: ["api.example.com"],
      tls: { mode: "SIMPLE", credentialName: "api-example-com-tls", minProtocolVersion: "TLSV1_2" },
    });
    expect(http.tls).toEqual({ httpsRedirect: true });
    expect(base.construct.gatewayRef).toBe("istio-ingress/inference");
  });

  test("a local rate limit on the gateway refuses excess traffic with 429 and Retry-After", () => {
    const patch = base.filter.spec.configPatches[0];
    expect(base.filter.spec.workloadSelector.labels).toEqual({ istio: "ingressgateway" });
    expect(patch.applyTo).toBe("HTTP_FILTER");
    expect(patch.match.context).toBe("GATEWAY");
    expect(patch.patch.operation).toBe("INSERT_BEFORE");
    expect(patch.patch.value.name).toBe("envoy.filters.http.local_ratelimit");
    expect(base.config["@type"]).toBe("type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit");
    expect(base.config.token_bucket).toEqual({ max_tokens: 96, tokens_per_fill: 48, fill_interval: "1s" });
    expect(base.config.filter_enabled.default_value).toEqual({ numerator: 100, denominator: "HUNDRED" });
    expect(base.config.filter_enforced.default_value).toEqual({ numerator: 100, denominator: "HUNDRED" });
    expect(base.config.status).toEqual({ code: "TooManyRequests" });
    expect(base.config.response_headers_to_add).toEqual([{ append_action: "OVERWRITE_IF_EXISTS_OR_ADD", header: { key: "retry-after", value: "5" } }]);
  });

  test("the bucket follows the plan and is shared out over gateway replicas", () => {
    const other = synth({ maxRequestsPerSecond: 300, burstRequests: 900, retryAfterSeconds: 15, gatewayReplicas: 3 });
    expect(other.config.token_bucket).toEqual({ max_tokens: 300, tokens_per_fill: 100, fill_interval: "1s" });
    expect(other.config.response_headers_to_add[0].header.value).toBe("15");
  });

  test("a burst below one second of rate fills in smaller steps instead of capping the rate", () => {
    // The real prod preset: 214 rps, burst 162.
    expect(tokenBucket(214, 162)).toEqual({ maxTokens: 162, tokensPerFill: 107, fillIntervalMs: 500 });
    expect(tokenBucket(214 / 3, 54)).toEqual({ maxTokens: 54, tokensPerFill: 36, fillIntervalMs: 500 });
    // Below Envoy's 50 ms minimum interval the bucket grows to one fill rather than cap the rate.
    expect(tokenBucket(1000, 10)).toEqual({ maxTokens: 50, tokensPerFill: 50, fillIntervalMs: 50 });
    expect(tokenBucket(0.2, 1)).toEqual({ maxTokens: 1, tokensPerFill: 1, fillIntervalMs: 1000 });
  });

  test("fails on a missing host or certificate and a non-positive rate", () => {
    const err = validationErrorOf(() => new IngressAdmission(workloadsTestStack(), "A", { ...PROPS, hosts: [], credentialName: "", maxRequestsPerSecond: 0 }));
    expect(err.codes).toEqual(["ADMISSION_HOSTS_EMPTY", "ADMISSION_CREDENTIAL", "ADMISSION_RATE"]);
  });
});

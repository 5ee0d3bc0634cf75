import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Gateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { Construct } from "constructs";
import { ISTIO_INGRESS_GATEWAY_NAME, ISTIO_INGRESS_NAMESPACE } from "../addons/constants";
import { Problems } from "../core/validation";
import { checkSchema, manifestFrom, SchemaModel } from "../private/typed-manifest";

/** Props of {@link InferenceGatewayRoute}. */
export interface InferenceGatewayRouteProps {
  /** Public hosts, e.g. `["api.example.com"]` (one HTTPS listener each). */
  readonly hosts: readonly string[];
  /** `kubernetes.io/tls` secret with the hosts' certificate, in the gateway namespace. */
  readonly credentialName: string;
  /** Namespace of the InferencePool (the HTTPRoute lives there). */
  readonly poolNamespace: string;
  /** Name of the InferencePool. */
  readonly poolName: string;
  /** Service of the endpoint picker, in the pool's namespace (for the mTLS DestinationRule). */
  readonly endpointPicker: { readonly serviceName: string };
  /** Route timeout, seconds; must cover the longest request. */
  readonly requestTimeoutSeconds: number;
  /** The p99 end-to-end latency, seconds; the timeout must not be shorter. */
  readonly longestRequestSeconds: number;
  /**
   * Name of the Gateway API `Gateway`.
   * @default "inference"
   */
  readonly name?: string;
  /**
   * Namespace of the ingress gateway deployment.
   * @default ISTIO_INGRESS_NAMESPACE
   */
  readonly gatewayNamespace?: string;
  /**
   * Service of the Helm-installed ingress gateway the `Gateway` binds to (Istio's "manual
   * deployment": the `Gateway` programs the existing pods instead of provisioning new ones, so
   * the NLB, the fixed replica count and the admission EnvoyFilter stay in force).
   * @default ISTIO_INGRESS_GATEWAY_NAME
   */
  readonly gatewayServiceName?: string;
}

/**
 * Inference-aware routing at the edge, through the Gateway API Inference Extension on Istio: a
 * Gateway API `Gateway` (class `istio`) bound to the existing ingress gateway pods, with one HTTPS
 * listener per host (TLS terminated with the hosts' secret) and an HTTP listener that only
 * redirects; an `HTTPRoute` in the pool's namespace whose backend is the `InferencePool`, so
 * every request is placed by the endpoint picker (ext-proc) on the replica with the best
 * queue, KV-cache and prefix-cache score; and a DestinationRule that makes the gateway's
 * ext-proc calls to the picker use Istio mutual TLS.
 *
 * Istio implements InferencePool backends when istiod runs with
 * `ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true` (set by the `Istiod` add-on). Every object is
 * validated against the vendored Gateway API v1.5.1 CRD schemas.
 *
 * @example
 * new InferenceGatewayRoute(stack, "Route", {
 *   hosts: ["api.example.com"], credentialName: "api-tls", poolNamespace: "inference", poolName: "inference",
 *   endpointPicker: { serviceName: "inference-epp" }, requestTimeoutSeconds: 150, longestRequestSeconds: 120,
 * });
 */
export class InferenceGatewayRoute extends Construct {
  /** The Gateway API Gateway (`kubernetes_manifest`). */
  public readonly gateway: Manifest;
  /** The HTTPRoute to the InferencePool (`kubernetes_manifest`). */
  public readonly route: Manifest;
  /** The HTTP-to-HTTPS redirect route (`kubernetes_manifest`). */
  public readonly redirect: Manifest;
  /** The picker's DestinationRule (`kubernetes_manifest`). */
  public readonly pickerTls: Manifest;
  /** Validated models, by construct id. */
  public readonly models: Readonly<Record<"Gateway" | "Route" | "Redirect" | "PickerTls", SchemaModel>>;

  public constructor(scope: Construct, id: string, props: InferenceGatewayRouteProps) {
    super(scope, id);
    const name = props.name ?? "inference";
    const gatewayNs = props.gatewayNamespace ?? ISTIO_INGRESS_NAMESPACE;
    const serviceName = props.gatewayServiceName ?? ISTIO_INGRESS_GATEWAY_NAME;
    const problems = new Problems(`InferenceGatewayRoute '${id}'`);
    if (props.hosts.length === 0) problems.add("MESH_HOSTS_EMPTY", "hosts", props.hosts, "at least one host");
    if (props.hosts.length > 63) problems.add("MESH_HOSTS_TOO_MANY", "hosts", props.hosts.length, "at most 63 hosts (a Gateway has at most 64 listeners; one is the HTTP redirect)");
    if (props.credentialName.length === 0) problems.add("MESH_CREDENTIAL", "credentialName", props.credentialName, "the name of a kubernetes.io/tls secret");
    const okTimeout = problems.checkNumber("MESH_ROUTE_TIMEOUT", "requestTimeoutSeconds", props.requestTimeoutSeconds, { min: 1, integer: true });
    if (okTimeout && props.requestTimeoutSeconds < props.longestRequestSeconds) {
      problems.add(
        "MESH_ROUTE_TIMEOUT_BELOW_P99",
        "requestTimeoutSeconds",
        props.requestTimeoutSeconds,
        `at least the p99 end-to-end latency (${props.longestRequestSeconds} s): a shorter timeout cuts off requests the plan expects to complete`,
      );
    }
    const labels = { "app.kubernetes.io/part-of": "headroom", "app.kubernetes.io/name": name };
    const httpsListener = (host: string, i: number) => ({
      name: `https-${i}`,
      hostname: host,
      port: 443,
      protocol: "HTTPS",
      tls: { mode: "Terminate" as const, certificateRefs: [{ group: "", kind: "Secret", name: props.credentialName }] },
      // Only the pool's namespace may attach routes to the public listeners.
      allowedRoutes: { namespaces: { from: "Selector" as const, selector: { matchLabels: { "kubernetes.io/metadata.name": props.poolNamespace } } } },
    });
    const gateway = new Gateway({
      metadata: { name, namespace: gatewayNs, labels },
      spec: {
        gatewayClassName: "istio",
        addresses: [{ type: "Hostname", value: `${serviceName}.${gatewayNs}.svc.cluster.local` }],
        listeners: [
          ...props.hosts.map(httpsListener),
          { name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "Same" as const } } },
        ],
      },
    });
    const parent = (sectionName: string) => ({ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: gatewayNs, name, sectionName });
    const route = new HTTPRoute({
      metadata: { name: props.poolName, namespace: props.poolNamespace, labels },
      spec: {
        parentRefs: props.hosts.map((_, i) => parent(`https-${i}`)),
        hostnames: [...props.hosts],
        rules: [
          {
            matches: [{ path: { type: "PathPrefix", value: "/" } }],
            backendRefs: [{ group: "inference.networking.k8s.io", kind: "InferencePool", name: props.poolName }],
            timeouts: { request: `${props.requestTimeoutSeconds}s` },
          },
        ],
      },
    });
    const redirect = new HTTPRoute({
      metadata: { name: `${name}-https-redirect`, namespace: gatewayNs, labels },
      spec: {
        parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name, sectionName: "http" }],
        hostnames: [...props.hosts],
        rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
      },
    });
    const pickerHost = `${props.endpointPicker.serviceName}.${props.poolNamespace}.svc.cluster.local`;
    const pickerTls = new DestinationRule({
      metadata: { name: props.endpointPicker.serviceName, namespace: props.poolNamespace, labels },
      spec: {
        host: pickerHost,
        trafficPolicy: {
          tls: { mode: "ISTIO_MUTUAL" },
          // One ext-proc stream per request over long-lived HTTP/2 connections (upstream's advice for the picker).
          connectionPool: { http: { maxRequestsPerConnection: 256000 } },
        },
      },
    });
    const models = { Gateway: gateway, Route: route, Redirect: redirect, PickerTls: pickerTls };
    for (const [key, model] of Object.entries(models)) checkSchema(problems, key.charAt(0).toLowerCase() + key.slice(1), model);
    problems.throwIfAny();

    this.models = models;
    this.gateway = manifestFrom(this, "Gateway", gateway);
    this.route = manifestFrom(this, "Route", route);
    this.redirect = manifestFrom(this, "Redirect", redirect);
    this.pickerTls = manifestFrom(this, "PickerTls", pickerTls);
    this.route.node.addDependency(this.gateway);
    this.redirect.node.addDependency(this.gateway);
  }
}

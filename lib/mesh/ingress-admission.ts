import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { EnvoyFilter } from "@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter";
import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import { Construct } from "constructs";
import { ISTIO_INGRESS_GATEWAY_SELECTOR, ISTIO_INGRESS_NAMESPACE } from "../addons/constants";
import { Problems } from "../core/validation";
import { checkSchema, manifestFrom } from "../private/typed-manifest";

/** Props of {@link IngressAdmission}. */
export interface IngressAdmissionProps {
  /** Hosts served, e.g. `["api.example.com"]`. */
  readonly hosts: readonly string[];
  /** Kubernetes TLS secret (in the gateway's namespace) with the certificate for `hosts`. */
  readonly credentialName: string;
  /** Sustained requests per second admitted (token-bucket fill rate) across all gateway replicas. */
  readonly maxRequestsPerSecond: number;
  /** Requests admitted at once on top of the rate (token-bucket size), across all gateway replicas. */
  readonly burstRequests: number;
  /** `Retry-After` on a refused request, seconds. */
  readonly retryAfterSeconds: number;
  /**
   * Ingress gateway replicas. Envoy's local rate limit is per Envoy process, so each replica
   * gets its share of the rate and the burst.
   * @default 1
   */
  readonly gatewayReplicas?: number;
  /**
   * Name of the Gateway and the EnvoyFilter.
   * @default "inference"
   */
  readonly name?: string;
  /**
   * Namespace of the ingress gateway deployment (the Gateway, its TLS secret and the EnvoyFilter live there).
   * @default ISTIO_INGRESS_NAMESPACE
   */
  readonly namespace?: string;
  /**
   * Labels of the gateway pods.
   * @default ISTIO_INGRESS_GATEWAY_SELECTOR
   */
  readonly gatewaySelector?: Readonly<Record<string, string>>;
  /**
   * Create the Istio `Gateway` (networking.istio.io) for the hosts. `false` when a Gateway API
   * `Gateway` serves them on the same pods (see `InferenceGatewayRoute`): two gateways for one
   * host and port would conflict. The rate-limit EnvoyFilter applies to the pods either way.
   * @default true
   */
  readonly istioGateway?: boolean;
  /**
   * Lowest TLS version accepted.
   * @default "TLSV1_2"
   */
  readonly minTlsVersion?: "TLSV1_2" | "TLSV1_3";
}

/** The Envoy HTTP filter and its v3 config type (Envoy docs, "Local rate limit"). */
const LOCAL_RATE_LIMIT_FILTER = "envoy.filters.http.local_ratelimit";
const LOCAL_RATE_LIMIT_TYPE = "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit";

/**
 * Admission control at the edge: the ingress Gateway (HTTPS only, HTTP redirected) and an
 * Envoy local rate limit on the gateway pods, a token bucket filled at the plan's
 * admitted rate. A request beyond it is refused at once with 429 and `Retry-After`
 * instead of queueing behind saturated GPUs until it times out as a 503 ("server busy").
 *
 * Istio has no first-class rate-limit API (through 1.30, the pinned version); an EnvoyFilter inserting Envoy's
 * `local_ratelimit` filter before the router is the documented way.
 *
 * @example
 * const admission = new IngressAdmission(stack, "Admission", {
 *   hosts: ["api.example.com"], credentialName: "api-example-com-tls",
 *   maxRequestsPerSecond: 48, burstRequests: 96, retryAfterSeconds: 5, gatewayReplicas: 3,
 * });
 * admission.gatewayRef; // "istio-ingress/inference", for the VirtualService
 */
export class IngressAdmission extends Construct {
  /** The Istio Gateway (`kubernetes_manifest`), unless `istioGateway` is false. */
  public readonly gateway?: Manifest;
  /** The EnvoyFilter (`kubernetes_manifest`). */
  public readonly rateLimit: Manifest;
  /** `<namespace>/<name>` of the Gateway, as a VirtualService names it. */
  public readonly gatewayRef: string;
  /** Tokens added per fill interval on each gateway replica. */
  public readonly tokensPerFillPerReplica: number;
  /** Fill interval of the token bucket, milliseconds. */
  public readonly fillIntervalMs: number;
  /** Bucket size on each gateway replica. */
  public readonly bucketSizePerReplica: number;
  /** The validated Gateway model, unless `istioGateway` is false. */
  public readonly gatewayModel?: Gateway;
  /** The validated EnvoyFilter model. */
  public readonly rateLimitModel: EnvoyFilter;

  public constructor(scope: Construct, id: string, props: IngressAdmissionProps) {
    super(scope, id);
    const name = props.name ?? "inference";
    const namespace = props.namespace ?? ISTIO_INGRESS_NAMESPACE;
    const replicas = props.gatewayReplicas ?? 1;
    const selector = { ...(props.gatewaySelector ?? ISTIO_INGRESS_GATEWAY_SELECTOR) };

    const problems = new Problems(`IngressAdmission '${id}'`);
    if (props.hosts.length === 0) problems.add("ADMISSION_HOSTS_EMPTY", "hosts", props.hosts, "at least one host");
    if (props.credentialName.length === 0) problems.add("ADMISSION_CREDENTIAL", "credentialName", props.credentialName, "the name of a kubernetes.io/tls secret");
    problems.checkNumber("ADMISSION_RATE", "maxRequestsPerSecond", props.maxRequestsPerSecond, { min: 0, exclusiveMin: true });
    problems.checkNumber("ADMISSION_BURST", "burstRequests", props.burstRequests, { min: 1, integer: true });
    problems.checkNumber("ADMISSION_RETRY_AFTER", "retryAfterSeconds", props.retryAfterSeconds, { min: 1, integer: true });
    problems.checkNumber("ADMISSION_GATEWAY_REPLICAS", "gatewayReplicas", replicas, { min: 1, integer: true });

    const bucket = tokenBucket(props.maxRequestsPerSecond / replicas, Math.ceil(props.burstRequests / replicas));
    this.bucketSizePerReplica = bucket.maxTokens;
    this.tokensPerFillPerReplica = bucket.tokensPerFill;
    this.fillIntervalMs = bucket.fillIntervalMs;
    this.gatewayRef = `${namespace}/${name}`;
    const labels = { "app.kubernetes.io/part-of": "headroom", "app.kubernetes.io/name": name };

    const gatewayModel = new Gateway({
      metadata: { name, namespace, labels },
      spec: {
        selector,
        servers: [
          {
            port: { number: 443, name: "https", protocol: "HTTPS" },
            hosts: [...props.hosts],
            tls: { mode: "SIMPLE", credentialName: props.credentialName, minProtocolVersion: props.minTlsVersion ?? "TLSV1_2" },
          },
          {
            port: { number: 80, name: "http", protocol: "HTTP" },
            hosts: [...props.hosts],
            tls: { httpsRedirect: true },
          },
        ],
      },
    });

    this.rateLimitModel = new EnvoyFilter({
      metadata: { name: `${name}-local-rate-limit`, namespace, labels },
      spec: {
        workloadSelector: { labels: selector },
        configPatches: [
          {
            applyTo: "HTTP_FILTER",
            match: {
              context: "GATEWAY",
              listener: { filterChain: { filter: { name: "envoy.filters.network.http_connection_manager", subFilter: { name: "envoy.filters.http.router" } } } },
            },
            patch: {
              operation: "INSERT_BEFORE",
              value: {
                name: LOCAL_RATE_LIMIT_FILTER,
                typed_config: {
                  "@type": LOCAL_RATE_LIMIT_TYPE,
                  stat_prefix: "http_local_rate_limiter",
                  token_bucket: { max_tokens: this.bucketSizePerReplica, tokens_per_fill: this.tokensPerFillPerReplica, fill_interval: `${this.fillIntervalMs / 1000}s` },
                  // Both default to 0%: without them the filter would neither count nor refuse.
                  filter_enabled: { runtime_key: "local_rate_limit_enabled", default_value: { numerator: 100, denominator: "HUNDRED" } },
                  filter_enforced: { runtime_key: "local_rate_limit_enforced", default_value: { numerator: 100, denominator: "HUNDRED" } },
                  status: { code: "TooManyRequests" },
                  response_headers_to_add: [
                    { append_action: "OVERWRITE_IF_EXISTS_OR_ADD", header: { key: "retry-after", value: String(props.retryAfterSeconds) } },
                  ],
                },
              },
            },
          },
        ],
      },
    });
    const istioGateway = props.istioGateway ?? true;
    if (istioGateway) checkSchema(problems, "gateway", gatewayModel);
    checkSchema(problems, "rateLimit", this.rateLimitModel);
    problems.throwIfAny();

    if (istioGateway) {
      this.gatewayModel = gatewayModel;
      this.gateway = manifestFrom(this, "Gateway", gatewayModel);
    }
    this.rateLimit = manifestFrom(this, "RateLimit", this.rateLimitModel);
  }
}

/** Fill intervals tried, longest first; Envoy requires at least 50 ms. */
const FILL_INTERVALS_MS = [1000, 500, 250, 200, 100, 50];

/**
 * Envoy token bucket for a sustained `ratePerSecond` and a bucket of `burst` tokens. The
 * bucket caps what one fill can add, so when the burst is smaller than a second of the
 * rate the bucket is filled more often in smaller steps (the longest interval whose fill
 * fits in the bucket). Tokens per fill are whole numbers, so the rate is rounded to one
 * token per interval.
 */
export function tokenBucket(ratePerSecond: number, burst: number): { maxTokens: number; tokensPerFill: number; fillIntervalMs: number } {
  const maxTokens = Math.max(1, Math.ceil(burst));
  for (const fillIntervalMs of FILL_INTERVALS_MS) {
    const tokensPerFill = Math.max(1, Math.round((ratePerSecond * fillIntervalMs) / 1000));
    if (tokensPerFill <= maxTokens) return { maxTokens, tokensPerFill, fillIntervalMs };
  }
  const fillIntervalMs = FILL_INTERVALS_MS[FILL_INTERVALS_MS.length - 1]!;
  // A bucket smaller than 50 ms of traffic: grow it to one fill rather than cap the rate.
  const tokensPerFill = Math.max(1, Math.round((ratePerSecond * fillIntervalMs) / 1000));
  return { maxTokens: Math.max(maxTokens, tokensPerFill), tokensPerFill, fillIntervalMs };
}

import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService";
import { Construct } from "constructs";
import { Problems } from "../core/validation";
import { checkSchema, manifestFrom } from "../private/typed-manifest";

/** Traffic split between the stable and canary subsets, percent (integers summing to 100). */
export interface CanaryWeights {
  readonly stable: number;
  readonly canary: number;
}

/**
 * Outlier detection: the circuit breaker of the source article's Hystrix example. A replica
 * that keeps failing is ejected from the load-balancing pool for a while instead of
 * receiving every n-th request.
 */
export interface OutlierDetectionProps {
  /** Consecutive 5xx responses (or local connect failures) that eject a replica. */
  readonly consecutive5xxErrors: number;
  /** Consecutive 502/503/504 that eject a replica. */
  readonly consecutiveGatewayErrors: number;
  /** Seconds between ejection sweeps. */
  readonly intervalSeconds: number;
  /** Minimum ejection time, seconds (multiplied by the number of ejections). */
  readonly baseEjectionSeconds: number;
  /** Largest share of replicas that may be ejected at once, percent. */
  readonly maxEjectionPercent: number;
}

/** Fault injection for chaos drills. */
export interface FaultInjectionProps {
  /**
   * Percent of requests delayed.
   * @default 0
   */
  readonly delayPercent?: number;
  /**
   * Delay added, seconds.
   * @default 5
   */
  readonly delaySeconds?: number;
  /**
   * Percent of requests aborted.
   * @default 0
   */
  readonly abortPercent?: number;
  /**
   * HTTP status of an aborted request.
   * @default 503
   */
  readonly abortHttpStatus?: number;
}

/** Props of {@link InferenceTrafficPolicy}. */
export interface InferenceTrafficPolicyProps {
  /** Namespace of the inference Service. */
  readonly namespace: string;
  /** Name of the inference Service. */
  readonly serviceName: string;
  /** Service port. */
  readonly port: number;
  /** Public hosts the gateway serves the API on, e.g. `["api.example.com"]`. */
  readonly hosts: readonly string[];
  /**
   * Istio Gateway the routes bind to, `<namespace>/<name>` (IngressAdmission.gatewayRef). Without
   * it the VirtualService serves in-mesh callers only (the `mesh` gateway, the Service's host):
   * that is the inference-extension mode, where the edge routes through the InferencePool.
   * @default none (mesh only)
   */
  readonly gateway?: string;
  /** Concurrent requests one replica holds (in service plus a short queue). */
  readonly maxConcurrentRequestsPerReplica: number;
  /** Requests waiting for a connection, per replica. */
  readonly maxPendingRequestsPerReplica: number;
  /** Replicas the limits cover (the HPA maximum: limits must not cap a fully scaled-out service). */
  readonly replicas: number;
  /**
   * Envoy proxies that send to the service (gateway replicas plus worker pods). Envoy's
   * circuit-breaker limits are per proxy and per upstream cluster, not per upstream host,
   * so the total is divided among them.
   * @default 1
   */
  readonly clientProxies?: number;
  /** Route timeout, seconds; must cover the longest request. */
  readonly requestTimeoutSeconds: number;
  /** The p99 end-to-end latency of a request, seconds; the route timeout must not be shorter. */
  readonly longestRequestSeconds: number;
  /**
   * Attempts after the first, on connect failures, refused streams and resets only.
   * @default 2
   */
  readonly retryAttempts?: number;
  /**
   * Weighted split between the `stable` and `canary` subsets.
   * @default { stable: 90, canary: 10 }
   */
  readonly weights?: CanaryWeights;
  /**
   * Outlier detection (circuit breaker).
   * @default { consecutive5xxErrors: 5, consecutiveGatewayErrors: 3, intervalSeconds: 10, baseEjectionSeconds: 30, maxEjectionPercent: 50 }
   */
  readonly outlierDetection?: OutlierDetectionProps;
  /** True in a production environment: fault injection is then refused unless forced. */
  readonly production: boolean;
  /**
   * Fault injection for chaos drills.
   * @default none
   */
  readonly faultInjection?: FaultInjectionProps;
  /**
   * Allow `faultInjection` in production (a deliberate game day).
   * @default false
   */
  readonly forceFaultInjectionInProduction?: boolean;
  /**
   * Values of the `version` label of the two subsets.
   * @default { stable: "stable", canary: "canary" }
   */
  readonly versionLabels?: { readonly stable: string; readonly canary: string };
}

/** Retry conditions that never repeat a request the server has started to generate. */
export const RETRY_ON = "connect-failure,refused-stream,reset";

const DEFAULT_OUTLIER: OutlierDetectionProps = {
  consecutive5xxErrors: 5,
  consecutiveGatewayErrors: 3,
  intervalSeconds: 10,
  baseEjectionSeconds: 30,
  maxEjectionPercent: 50,
};

/**
 * Istio traffic policy of the inference service: a DestinationRule with connection-pool
 * limits from the plan and outlier detection (the circuit breaker), `stable` and
 * `canary` subsets; a VirtualService with the plan's route timeout, bounded retries on
 * connection failures only (a 5xx of a generating request is never retried: it would
 * double GPU work under the very overload that caused it) and a weighted canary; and,
 * for chaos drills, optional fault injection that production refuses unless forced.
 *
 * The per-try timeout equals the route timeout: Envoy counts an expired per-try timeout
 * as a `reset`, so a shorter one would cut and restart long generations.
 *
 * @example
 * new InferenceTrafficPolicy(stack, "Traffic", {
 *   namespace: "inference", serviceName: "inference", port: 8000, hosts: ["api.example.com"],
 *   gateway: "istio-ingress/inference", maxConcurrentRequestsPerReplica: 80, maxPendingRequestsPerReplica: 16,
 *   replicas: 10, requestTimeoutSeconds: 90, longestRequestSeconds: 62, production: true,
 * });
 */
export class InferenceTrafficPolicy extends Construct {
  /** The DestinationRule (`kubernetes_manifest`). */
  public readonly destinationRule: Manifest;
  /** The VirtualService (`kubernetes_manifest`). */
  public readonly virtualService: Manifest;
  /** The validated DestinationRule model. */
  public readonly destinationRuleModel: DestinationRule;
  /** The validated VirtualService model. */
  public readonly virtualServiceModel: VirtualService;

  public constructor(scope: Construct, id: string, props: InferenceTrafficPolicyProps) {
    super(scope, id);
    const weights = props.weights ?? { stable: 90, canary: 10 };
    const outlier = props.outlierDetection ?? DEFAULT_OUTLIER;
    const clientProxies = props.clientProxies ?? 1;
    const attempts = props.retryAttempts ?? 2;
    const versions = props.versionLabels ?? { stable: "stable", canary: "canary" };

    const problems = new Problems(`InferenceTrafficPolicy '${id}'`);
    if (props.hosts.length === 0) problems.add("MESH_HOSTS_EMPTY", "hosts", props.hosts, "at least one host");
    if (props.gateway !== undefined && !/^[a-z0-9-]+\/[a-z0-9-]+$/.test(props.gateway)) problems.add("MESH_GATEWAY_REF", "gateway", props.gateway, "`<namespace>/<name>`");
    const okStable = problems.checkNumber("MESH_CANARY_WEIGHTS", "weights.stable", weights.stable, { min: 0, max: 100, integer: true });
    const okCanary = problems.checkNumber("MESH_CANARY_WEIGHTS", "weights.canary", weights.canary, { min: 0, max: 100, integer: true });
    if (okStable && okCanary && weights.stable + weights.canary !== 100) {
      problems.add("MESH_CANARY_WEIGHTS", "weights", weights, `weights summing to 100 (got ${weights.stable + weights.canary})`);
    }
    problems.checkNumber("MESH_MAX_CONCURRENT", "maxConcurrentRequestsPerReplica", props.maxConcurrentRequestsPerReplica, { min: 1, integer: true });
    problems.checkNumber("MESH_MAX_PENDING", "maxPendingRequestsPerReplica", props.maxPendingRequestsPerReplica, { min: 1, integer: true });
    problems.checkNumber("MESH_REPLICAS", "replicas", props.replicas, { min: 1, integer: true });
    problems.checkNumber("MESH_CLIENT_PROXIES", "clientProxies", clientProxies, { min: 1, integer: true });
    problems.checkNumber("MESH_RETRY_ATTEMPTS", "retryAttempts", attempts, { min: 0, max: 5, integer: true });
    const okTimeout = problems.checkNumber("MESH_ROUTE_TIMEOUT", "requestTimeoutSeconds", props.requestTimeoutSeconds, { min: 0, exclusiveMin: true });
    const okLongest = problems.checkNumber("MESH_LONGEST_REQUEST", "longestRequestSeconds", props.longestRequestSeconds, { min: 0, exclusiveMin: true });
    if (okTimeout && okLongest && props.requestTimeoutSeconds < props.longestRequestSeconds) {
      problems.add(
        "MESH_ROUTE_TIMEOUT_BELOW_P99",
        "requestTimeoutSeconds",
        props.requestTimeoutSeconds,
        `at least the p99 end-to-end latency (${props.longestRequestSeconds} s): a shorter timeout cuts off requests the plan expects to complete`,
      );
    }
    problems.checkNumber("MESH_OUTLIER_5XX", "outlierDetection.consecutive5xxErrors", outlier.consecutive5xxErrors, { min: 1, integer: true });
    problems.checkNumber("MESH_OUTLIER_GATEWAY", "outlierDetection.consecutiveGatewayErrors", outlier.consecutiveGatewayErrors, { min: 1, integer: true });
    problems.checkNumber("MESH_OUTLIER_INTERVAL", "outlierDetection.intervalSeconds", outlier.intervalSeconds, { min: 1, integer: true });
    problems.checkNumber("MESH_OUTLIER_EJECTION", "outlierDetection.baseEjectionSeconds", outlier.baseEjectionSeconds, { min: 1, integer: true });
    problems.checkNumber("MESH_OUTLIER_MAX_PERCENT", "outlierDetection.maxEjectionPercent", outlier.maxEjectionPercent, { min: 1, max: 100, integer: true });
    const fault = props.faultInjection;
    if (fault) {
      if (props.production && !(props.forceFaultInjectionInProduction ?? false)) {
        problems.add(
          "MESH_FAULT_INJECTION_IN_PRODUCTION",
          "faultInjection",
          fault,
          "no fault injection in production, unless forceFaultInjectionInProduction is true for a planned game day",
        );
      }
      problems.checkNumber("MESH_FAULT_DELAY_PERCENT", "faultInjection.delayPercent", fault.delayPercent ?? 0, { min: 0, max: 100 });
      problems.checkNumber("MESH_FAULT_DELAY_SECONDS", "faultInjection.delaySeconds", fault.delaySeconds ?? 5, { min: 0, exclusiveMin: true });
      problems.checkNumber("MESH_FAULT_ABORT_PERCENT", "faultInjection.abortPercent", fault.abortPercent ?? 0, { min: 0, max: 100 });
      problems.checkNumber("MESH_FAULT_ABORT_STATUS", "faultInjection.abortHttpStatus", fault.abortHttpStatus ?? 503, { min: 400, max: 599, integer: true });
      if ((fault.delayPercent ?? 0) === 0 && (fault.abortPercent ?? 0) === 0) {
        problems.add("MESH_FAULT_EMPTY", "faultInjection", fault, "a delayPercent or abortPercent above 0 (or leave faultInjection out)");
      }
    }

    const host = `${props.serviceName}.${props.namespace}.svc.cluster.local`;
    // Envoy's circuit breakers count per proxy and per upstream cluster: spread the service-wide budget over the proxies.
    const perProxy = (perReplica: number) => Math.max(1, Math.ceil((perReplica * props.replicas) / clientProxies));
    const maxRequests = perProxy(props.maxConcurrentRequestsPerReplica);
    const maxPending = perProxy(props.maxPendingRequestsPerReplica);
    const labels = { "app.kubernetes.io/part-of": "headroom", "app.kubernetes.io/name": props.serviceName };

    this.destinationRuleModel = new DestinationRule({
      metadata: { name: props.serviceName, namespace: props.namespace, labels },
      spec: {
        host,
        trafficPolicy: {
          tls: { mode: "ISTIO_MUTUAL" },
          // Least-request spreads long generations better than round robin.
          loadBalancer: { simple: "LEAST_REQUEST" },
          connectionPool: {
            // The upstream speaks HTTP/1.1: one request per connection, so connections bound concurrency too.
            tcp: { maxConnections: maxRequests, connectTimeout: "5s" },
            http: { http2MaxRequests: maxRequests, http1MaxPendingRequests: maxPending },
          },
          outlierDetection: {
            consecutive5xxErrors: outlier.consecutive5xxErrors,
            consecutiveGatewayErrors: outlier.consecutiveGatewayErrors,
            interval: `${outlier.intervalSeconds}s`,
            baseEjectionTime: `${outlier.baseEjectionSeconds}s`,
            maxEjectionPercent: outlier.maxEjectionPercent,
          },
        },
        subsets: [
          { name: "stable", labels: { version: versions.stable } },
          { name: "canary", labels: { version: versions.canary } },
        ],
      },
    });

    const destination = (subset: string) => ({ host, subset, port: { number: props.port } });
    this.virtualServiceModel = new VirtualService({
      metadata: { name: props.serviceName, namespace: props.namespace, labels },
      spec: {
        hosts: props.gateway !== undefined ? [...props.hosts, host] : [host],
        gateways: props.gateway !== undefined ? [props.gateway, "mesh"] : ["mesh"],
        http: [
          {
            name: "inference",
            timeout: `${props.requestTimeoutSeconds}s`,
            retries: { attempts, perTryTimeout: `${props.requestTimeoutSeconds}s`, retryOn: RETRY_ON },
            route: [
              { destination: destination("stable"), weight: weights.stable },
              { destination: destination("canary"), weight: weights.canary },
            ],
            ...(fault ? { fault: faultSpec(fault) } : {}),
          },
        ],
      },
    });
    checkSchema(problems, "destinationRule", this.destinationRuleModel);
    checkSchema(problems, "virtualService", this.virtualServiceModel);
    problems.throwIfAny();

    this.destinationRule = manifestFrom(this, "DestinationRule", this.destinationRuleModel);
    this.virtualService = manifestFrom(this, "VirtualService", this.virtualServiceModel);
  }
}

function faultSpec(fault: FaultInjectionProps) {
  const delayPercent = fault.delayPercent ?? 0;
  const abortPercent = fault.abortPercent ?? 0;
  return {
    ...(delayPercent > 0 ? { delay: { percentage: { value: delayPercent }, fixedDelay: `${fault.delaySeconds ?? 5}s` } } : {}),
    ...(abortPercent > 0 ? { abort: { percentage: { value: abortPercent }, httpStatus: fault.abortHttpStatus ?? 503 } } : {}),
  };
}

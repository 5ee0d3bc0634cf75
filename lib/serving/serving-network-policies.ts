import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";
import { ISTIO_INGRESS_GATEWAY_SELECTOR, ISTIO_INGRESS_NAMESPACE, MONITORING_NAMESPACE, OTLP_GRPC_PORT, OTLP_HTTP_PORT, TRACING_NAMESPACE } from "../addons/constants";
import { Problems } from "../core/validation";

/** CIDRs and port of a data service outside the cluster. CIDRs and port may be Terraform tokens. */
export interface DataServiceEndpoint {
  /** CIDRs the service's network interfaces live in (e.g. the data subnets). */
  readonly cidrs: readonly string[];
  /** TCP port. */
  readonly port: number | string;
}

/** Props of {@link ServingNetworkPolicies}. */
export interface ServingNetworkPoliciesProps {
  /** The inference server: namespace, pod labels, port. */
  readonly inference: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>>; readonly port: number };
  /** The async workers: namespace, pod labels, health port. */
  readonly workers: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>>; readonly healthPort: number };
  /**
   * Labels of the Kafka topic Job's pods (in the workers namespace), which need MSK only.
   * @default { "app.kubernetes.io/name": "kafka-topics" }
   */
  readonly kafkaAdminPodLabels?: Readonly<Record<string, string>>;
  /**
   * The endpoint picker: its pods, ext-proc and metrics ports, and the CIDRs of the Kubernetes
   * API server's endpoints (the EKS control-plane ENIs in the cluster subnets), which it watches.
   * @default none (least-request mode)
   */
  readonly endpointPicker?: {
    readonly podLabels: Readonly<Record<string, string>>;
    readonly extProcPort: number;
    readonly metricsPort: number;
    readonly apiServerCidrs: readonly string[];
  };
  /** MSK brokers (IAM auth port 9098). */
  readonly kafka: DataServiceEndpoint;
  /** ElastiCache Redis. */
  readonly redis: DataServiceEndpoint;
  /**
   * The remote KV tier the inference pods reach (LMCache on the same ElastiCache cluster): egress to its
   * CIDRs on its port only.
   * @default none: the inference pods get no cache egress
   */
  readonly kvCache?: DataServiceEndpoint;
  /**
   * RDS Proxy.
   * @default none: workers get no database egress
   */
  readonly database?: DataServiceEndpoint;
  /**
   * CIDRs the inference pods may reach on 443 to copy the weights from S3. S3 (even through a
   * gateway endpoint) answers from public AWS ranges, so narrowing this needs the region's S3
   * prefix-list CIDRs.
   * @default ["0.0.0.0/0"]
   */
  readonly modelStoreCidrs?: readonly string[];
  /**
   * Namespace of the ingress gateway allowed to reach the inference server.
   * @default ISTIO_INGRESS_NAMESPACE
   */
  readonly ingressGatewayNamespace?: string;
  /**
   * Namespace of Prometheus, allowed to scrape the pods' sidecars: the inference pods on the
   * Istio agent's merged endpoint (15020) only, the workers on Envoy's 15090 and their health port.
   * @default MONITORING_NAMESPACE
   */
  readonly monitoringNamespace?: string;
  /**
   * Namespace of the OTLP receiver the pods export to.
   * @default TRACING_NAMESPACE
   */
  readonly tracingNamespace?: string;
}

/**
 * The Istio agent's merged Prometheus endpoint (app metrics named by the pod's `prometheus.io/*`
 * annotations plus Envoy's). Istio's iptables rules leave 15020 and 15090 out of inbound capture, so
 * a plaintext scrape from outside the mesh works there while the API port stays mTLS-only.
 */
const ISTIO_MERGED_METRICS_PORT = 15020;
/** Envoy's own Prometheus endpoint, scraped on pods without merged app metrics (the workers). */
const ENVOY_METRICS_PORT = 15090;

/**
 * NetworkPolicies that open only the paths of the serving tier on top of each
 * namespace's default deny ({@link WorkloadNamespace}): the ingress gateway and the
 * workers reach the inference server; only the workers (and the topic Job) reach Kafka,
 * only the workers reach Redis and the database, and the inference pods the cache port for
 * the remote KV tier when it is on; Prometheus scrapes; pods export OTLP.
 * Istio AuthorizationPolicies (lib/mesh) add the identity check on top of these L3/L4 rules.
 *
 * @example
 * new ServingNetworkPolicies(stack, "NetworkPolicies", {
 *   inference: { namespace: "inference", podLabels: inference.selectorLabels, port: inference.port },
 *   workers: { namespace: "workers", podLabels: worker.selectorLabels, healthPort: 8080 },
 *   kafka: { cidrs: dataSubnetCidrs, port: 9098 }, redis: { cidrs: dataSubnetCidrs, port: 6379 },
 * });
 */
export class ServingNetworkPolicies extends Construct {
  /** Ingress and egress of the inference pods. */
  public readonly inference: NetworkPolicyV1;
  /** Ingress and egress of the worker pods. */
  public readonly workers: NetworkPolicyV1;
  /** Egress of the topic Job. */
  public readonly kafkaAdmin: NetworkPolicyV1;
  /** Ingress and egress of the endpoint picker, when it is deployed. */
  public readonly endpointPicker?: NetworkPolicyV1;

  public constructor(scope: Construct, id: string, props: ServingNetworkPoliciesProps) {
    super(scope, id);
    const problems = new Problems(`ServingNetworkPolicies '${id}'`);
    const endpoints: [string, DataServiceEndpoint | undefined][] = [
      ["kafka", props.kafka],
      ["redis", props.redis],
      ["database", props.database],
      ["kvCache", props.kvCache],
    ];
    for (const [path, endpoint] of endpoints) {
      if (endpoint && endpoint.cidrs.length === 0) problems.add("NETPOL_CIDRS_EMPTY", `${path}.cidrs`, endpoint.cidrs, "at least one CIDR");
    }
    if (Object.keys(props.inference.podLabels).length === 0) problems.add("NETPOL_SELECTOR_EMPTY", "inference.podLabels", props.inference.podLabels, "at least one label");
    if (Object.keys(props.workers.podLabels).length === 0) problems.add("NETPOL_SELECTOR_EMPTY", "workers.podLabels", props.workers.podLabels, "at least one label");
    if (props.endpointPicker) {
      if (Object.keys(props.endpointPicker.podLabels).length === 0) problems.add("NETPOL_SELECTOR_EMPTY", "endpointPicker.podLabels", props.endpointPicker.podLabels, "at least one label");
      if (props.endpointPicker.apiServerCidrs.length === 0) problems.add("NETPOL_CIDRS_EMPTY", "endpointPicker.apiServerCidrs", props.endpointPicker.apiServerCidrs, "at least one CIDR");
    }
    problems.throwIfAny();

    const ns = (name: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } });
    const tcp = (port: number | string) => ({ port: String(port), protocol: "TCP" });
    const cidrPeers = (cidrs: readonly string[]) => cidrs.map((cidr) => ({ ipBlock: { cidr } }));
    const monitoring = props.monitoringNamespace ?? MONITORING_NAMESPACE;
    const otlpEgress = { to: [ns(props.tracingNamespace ?? TRACING_NAMESPACE)], ports: [tcp(OTLP_GRPC_PORT), tcp(OTLP_HTTP_PORT)] };
    const workerPeer = { ...ns(props.workers.namespace), podSelector: { matchLabels: { ...props.workers.podLabels } } };

    this.inference = new NetworkPolicyV1(this, "Inference", {
      metadata: { name: "inference-server", namespace: props.inference.namespace },
      spec: {
        podSelector: { matchLabels: { ...props.inference.podLabels } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            from: [
              { ...ns(props.ingressGatewayNamespace ?? ISTIO_INGRESS_NAMESPACE), podSelector: { matchLabels: { ...ISTIO_INGRESS_GATEWAY_SELECTOR } } },
              workerPeer,
              // The picker reads each replica's /metrics (the AuthorizationPolicy limits it to that path).
              ...(props.endpointPicker ? [{ podSelector: { matchLabels: { ...props.endpointPicker.podLabels } } }] : []),
            ],
            ports: [tcp(props.inference.port)],
          },
          // Prometheus (outside the mesh) reads vLLM and Envoy through the merged endpoint only;
          // a plaintext scrape of the API port would fail under STRICT mTLS anyway.
          { from: [ns(monitoring)], ports: [tcp(ISTIO_MERGED_METRICS_PORT)] },
        ],
        egress: [
          { to: cidrPeers(props.modelStoreCidrs ?? ["0.0.0.0/0"]), ports: [tcp(443)] },
          ...(props.kvCache ? [{ to: cidrPeers(props.kvCache.cidrs), ports: [tcp(props.kvCache.port)] }] : []),
          otlpEgress,
        ],
      },
    });

    const gatewayPeer = { ...ns(props.ingressGatewayNamespace ?? ISTIO_INGRESS_NAMESPACE), podSelector: { matchLabels: { ...ISTIO_INGRESS_GATEWAY_SELECTOR } } };
    if (props.endpointPicker) {
      const epp = props.endpointPicker;
      this.endpointPicker = new NetworkPolicyV1(this, "EndpointPicker", {
        metadata: { name: "endpoint-picker", namespace: props.inference.namespace },
        spec: {
          podSelector: { matchLabels: { ...epp.podLabels } },
          policyTypes: ["Ingress", "Egress"],
          ingress: [
            { from: [gatewayPeer], ports: [tcp(epp.extProcPort)] },
            { from: [ns(monitoring)], ports: [tcp(epp.metricsPort)] },
          ],
          egress: [
            { to: [{ podSelector: { matchLabels: { ...props.inference.podLabels } } }], ports: [tcp(props.inference.port)] },
            { to: cidrPeers(epp.apiServerCidrs), ports: [tcp(443)] },
          ],
        },
      });
    }

    const dataEgress = [
      { to: cidrPeers(props.kafka.cidrs), ports: [tcp(props.kafka.port)] },
      { to: cidrPeers(props.redis.cidrs), ports: [tcp(props.redis.port)] },
      ...(props.database ? [{ to: cidrPeers(props.database.cidrs), ports: [tcp(props.database.port)] }] : []),
    ];
    this.workers = new NetworkPolicyV1(this, "Workers", {
      metadata: { name: "inference-worker", namespace: props.workers.namespace },
      spec: {
        podSelector: { matchLabels: { ...props.workers.podLabels } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [ns(monitoring)], ports: [tcp(props.workers.healthPort), tcp(ENVOY_METRICS_PORT)] }],
        egress: [
          { to: [{ ...ns(props.inference.namespace), podSelector: { matchLabels: { ...props.inference.podLabels } } }], ports: [tcp(props.inference.port)] },
          ...dataEgress,
          otlpEgress,
        ],
      },
    });

    this.kafkaAdmin = new NetworkPolicyV1(this, "KafkaAdmin", {
      metadata: { name: "kafka-topics", namespace: props.workers.namespace },
      spec: {
        podSelector: { matchLabels: { ...(props.kafkaAdminPodLabels ?? { "app.kubernetes.io/name": "kafka-topics" }) } },
        policyTypes: ["Egress"],
        egress: [{ to: cidrPeers(props.kafka.cidrs), ports: [tcp(props.kafka.port)] }],
      },
    });
  }
}

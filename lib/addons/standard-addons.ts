import { SystemPlan } from "../capacity/types";
import { Problems } from "../core/validation";
import { KubernetesVersion } from "../eks/versions";
import { IAddon } from "./addon";
import { AwsLoadBalancerController } from "./aws-load-balancer-controller/aws-load-balancer-controller";
import { ClusterAutoscaler } from "./cluster-autoscaler/cluster-autoscaler";
import { Karpenter, KarpenterCrds, KarpenterOptions } from "./karpenter/karpenter";
import { IstioBase } from "./istio/istio-base";
import { IstioCni } from "./istio/istio-cni";
import { IstioIngressGateway, LoadBalancerScheme } from "./istio/istio-ingress-gateway";
import { Istiod } from "./istio/istiod";
import { Jaeger, JaegerStorage } from "./jaeger/jaeger";
import { Keda, KedaKafkaAccess } from "./keda/keda";
import { KubePrometheusStack } from "./kube-prometheus-stack/kube-prometheus-stack";
import { MetricsServer } from "./metrics-server/metrics-server";
import { DcgmExporter } from "./nvidia/dcgm-exporter";
import { NvidiaDevicePlugin } from "./nvidia/nvidia-device-plugin";
import { PrometheusAdapter } from "./prometheus-adapter/prometheus-adapter";

/** Per-environment settings of the standard add-on set. */
export interface StandardAddonSettings {
  /** Prometheus sizing, straight from `CapacityPlan.system`. */
  readonly system: Pick<SystemPlan, "prometheusRetentionDays" | "prometheusVolumeGiB" | "prometheusActiveSeries">;
  /** Percentage (0-100) of requests traced by the mesh. */
  readonly tracingSamplingPercent: number;
  /** Ingress gateway replicas (HPA bounds). */
  readonly gatewayReplicas: { readonly min: number; readonly max: number };
  /** Customer-managed KMS key (EBS volumes, Grafana admin secret). */
  readonly kmsKeyArn: string;
  /**
   * NLB scheme of the ingress gateway.
   * @default "internal"
   */
  readonly gatewayScheme?: LoadBalancerScheme;
  /**
   * Client CIDRs allowed through the NLB.
   * @default none
   */
  readonly gatewaySourceRanges?: readonly string[];
  /**
   * MSK broker hostnames to scrape (a token list from the foundation stack is fine).
   * @default none
   */
  readonly mskBrokerHosts?: readonly string[];
  /**
   * MSK topics and groups KEDA reads lag of.
   * @default none: KEDA gets no AWS permissions
   */
  readonly kafka?: KedaKafkaAccess;
  /**
   * Install the NVIDIA device plugin and DCGM exporter (the cluster has GPU node groups).
   * @default true
   */
  readonly gpuNodes?: boolean;
  /**
   * Install prometheus-adapter, which serves vLLM's queue and KV-cache metrics on
   * `custom.metrics.k8s.io`. Only `InferenceAutoscaler` with `engine: "hpa"` reads that API; the
   * default engine (a KEDA ScaledObject) queries Prometheus itself, so the adapter would run with
   * no consumer.
   * @default false
   */
  readonly customMetricsApi?: boolean;
  /**
   * Jaeger span storage.
   * @default in memory, 50,000 traces (dev); prod should pass an OpenSearch endpoint
   */
  readonly jaegerStorage?: JaegerStorage;
  /**
   * Two replicas of Prometheus and Alertmanager (prod).
   * @default false
   */
  readonly highAvailability?: boolean;
  /**
   * Reclaim policy of the gp3 StorageClass.
   * @default "Retain"
   */
  readonly volumeReclaimPolicy?: "Retain" | "Delete";
  /**
   * Kubernetes minor of the cluster; the Cluster Autoscaler image must match it.
   * @default DEFAULT_KUBERNETES_VERSION of the EKS area
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * What adds GPU nodes: Karpenter (NodePools, EC2 Fleet, interruption handling) or the Cluster
   * Autoscaler (managed node groups). Never both: two provisioners race for the same pending pods.
   * @default "cluster-autoscaler"
   */
  readonly nodeProvisioner?: "karpenter" | "cluster-autoscaler";
  /** Karpenter's settings; required with `nodeProvisioner: "karpenter"`. @default none */
  readonly karpenter?: KarpenterOptions;
}

/**
 * The add-ons every Headroom cluster runs, in installation order: load balancer controller,
 * metrics-server, the node provisioner (Cluster Autoscaler, or Karpenter CRDs then controller), Prometheus stack, prometheus-adapter (only with `customMetricsApi`), Jaeger, Istio (base, CNI node agent, istiod, gateway),
 * KEDA and, with GPU nodes, the NVIDIA device plugin and DCGM exporter.
 *
 * @example
 * new ClusterAddons(stack, "Addons", {
 *   clusterName, region, vpcId, gpu: {},
 *   identities: (scope, id, props) => new WorkloadIdentity(scope, id, props),
 *   addons: standardAddons({
 *     system: plan.system, tracingSamplingPercent: 10, gatewayReplicas: { min: 2, max: 6 }, kmsKeyArn: key.arn,
 *   }),
 * });
 */
export function standardAddons(s: StandardAddonSettings): IAddon[] {
  const ha = s.highAvailability ?? false;
  const addons: IAddon[] = [
    new AwsLoadBalancerController(),
    new MetricsServer(),
    ...nodeProvisioner(s),
    new KubePrometheusStack({
      retentionDays: s.system.prometheusRetentionDays,
      volumeGiB: s.system.prometheusVolumeGiB,
      activeSeries: s.system.prometheusActiveSeries,
      kmsKeyArn: s.kmsKeyArn,
      prometheusReplicas: ha ? 2 : 1,
      alertmanagerReplicas: ha ? 2 : 1,
      ...(s.mskBrokerHosts ? { mskBrokerHosts: s.mskBrokerHosts } : {}),
      ...(s.volumeReclaimPolicy ? { volumeReclaimPolicy: s.volumeReclaimPolicy } : {}),
    }),
    ...(s.customMetricsApi === true ? [new PrometheusAdapter()] : []),
    new Jaeger(s.jaegerStorage ? { storage: s.jaegerStorage } : {}),
    new IstioBase(),
    new IstioCni(),
    new Istiod({ tracingSamplingPercent: s.tracingSamplingPercent }),
    new IstioIngressGateway({
      minReplicas: s.gatewayReplicas.min,
      maxReplicas: s.gatewayReplicas.max,
      ...(s.gatewayScheme ? { scheme: s.gatewayScheme } : {}),
      ...(s.gatewaySourceRanges ? { sourceRanges: s.gatewaySourceRanges } : {}),
    }),
    new Keda(s.kafka ? { kafka: s.kafka } : {}),
  ];
  if (s.gpuNodes ?? true) addons.push(new NvidiaDevicePlugin(), new DcgmExporter());
  return addons;
}

/** The node provisioner add-ons of {@link standardAddons}. */
function nodeProvisioner(s: StandardAddonSettings): IAddon[] {
  if ((s.nodeProvisioner ?? "cluster-autoscaler") === "cluster-autoscaler") {
    return [new ClusterAutoscaler(s.kubernetesVersion ? { kubernetesVersion: s.kubernetesVersion } : {})];
  }
  if (!s.karpenter) {
    const problems = new Problems("standard add-ons");
    problems.add("ADDON_KARPENTER_SETTINGS", "karpenter", undefined, "Karpenter settings (queue, node role, endpoint) when nodeProvisioner is \"karpenter\"");
    problems.throwIfAny();
  }
  // The standard set always runs kube-prometheus-stack: Karpenter's provisioning metrics are scraped.
  return [new KarpenterCrds(), new Karpenter({ serviceMonitor: true, ...(s.karpenter as KarpenterOptions) })];
}

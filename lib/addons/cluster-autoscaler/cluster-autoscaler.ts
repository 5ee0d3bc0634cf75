import { AddonContext, HelmAddon, HelmChart, IdentityRequirement, PodSecurityLevel } from "../addon";
import { Problem } from "../../core/validation";
import { PolicyStatement } from "../../security/policy";
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, KubernetesVersion } from "../../eks/versions";
import { checkInt, resources, restrictedContainer, restrictedPod, systemPlacement } from "../private/values";

/** Add-on name of {@link ClusterAutoscaler}. */
export const CLUSTER_AUTOSCALER = "cluster-autoscaler";
/** Service account the autoscaler runs as (its Pod Identity association). */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";
/**
 * Chart pin: kubernetes/autoscaler `cluster-autoscaler` 9.59.0 (appVersion 1.35.0; PR
 * kubernetes/autoscaler#9193 made 1.35.0 the chart default). The image tag is set per Kubernetes
 * minor by {@link CLUSTER_AUTOSCALER_IMAGE_TAGS}, so the chart version does not fix the autoscaler version.
 */
export const CLUSTER_AUTOSCALER_CHART: HelmChart = {
  chart: "cluster-autoscaler",
  repository: "https://kubernetes.github.io/autoscaler",
  version: "9.59.0",
};

/**
 * Autoscaler image tag per Kubernetes minor: upstream supports only the autoscaler minor that
 * equals the cluster's (cluster-autoscaler README, "Releases"). Tags are the published releases
 * that charts 9.51.0 (v1.33.0), 9.53.0 (v1.34.2) and 9.59.0 (v1.35.0) default to.
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<KubernetesVersion, string>> = {
  "1.33": "v1.33.0",
  "1.34": "v1.34.2",
  "1.35": "v1.35.0",
};

/** Options of {@link ClusterAutoscaler}. */
export interface ClusterAutoscalerOptions {
  /**
   * Kubernetes minor of the cluster; picks the matching autoscaler image.
   * @default DEFAULT_KUBERNETES_VERSION ("1.35", the EKS area's default)
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * Replicas (leader election: one acts, the other takes over during a system-node drain).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Minutes a node must stay unneeded before it is removed, and minutes after a scale-up before
   * scale-down is considered again. GPU nodes are expensive to add back (minutes of boot and
   * model load), so a short burst gap must not remove them.
   * @default 10
   */
  readonly scaleDownMinutes?: number;
  /**
   * Minutes a new node may take to register before the autoscaler gives up on it and tries
   * another group (AZ). GPU AMIs with the NVIDIA driver and large images need well over 5 minutes.
   * @default 15
   */
  readonly maxNodeProvisionMinutes?: number;
}

/**
 * Least-privilege statements of the AWS cloud provider (kubernetes/autoscaler
 * `cluster-autoscaler/cloudprovider/aws/README.md`, "IAM Policy", restricted form): describe calls
 * on `*` (they support no resource-level scoping), and the two calls that change capacity only on
 * Auto Scaling groups tagged `k8s.io/cluster-autoscaler/<cluster>=owned`, which EKS managed node
 * groups put on their ASGs (with `k8s.io/cluster-autoscaler/enabled=true`).
 */
export function clusterAutoscalerStatements(clusterName: string): PolicyStatement[] {
  return [
    {
      sid: "DescribeScalingState",
      actions: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeTags",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
        "eks:DescribeNodegroup",
      ],
      resources: ["*"],
    },
    {
      sid: "ScaleOwnedNodeGroups",
      actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      resources: ["*"],
      conditions: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
    },
  ];
}

/**
 * Kubernetes Cluster Autoscaler: adds GPU and system nodes when pods are unschedulable (the HPA
 * or KEDA added inference replicas) and removes unneeded ones. It discovers the EKS managed node
 * groups by their ASG tags and changes each group's desired size within its min and max.
 *
 * Flags, and why:
 * - `balance-similar-node-groups`: the GPU fleet is one node group per AZ with the same labels and
 *   instance type; balancing keeps replicas spread over AZs instead of filling one group.
 * - `expander=least-waste`: picks the group that leaves the least idle CPU and memory, with no
 *   name list to maintain (the priority expander needs ASG name patterns, which EKS generates);
 *   between identical per-AZ groups, balancing decides.
 * - `skip-nodes-with-system-pods=false`: every system node hosts some kube-system Deployment pod
 *   (CoreDNS, metrics-server, this autoscaler), so `true` would mean the system group never shrinks;
 *   their PodDisruptionBudgets still bound evictions.
 * - `skip-nodes-with-local-storage=false`: vLLM pods mount an `emptyDir` for `/dev/shm`; with the
 *   default, an idle GPU node running one would never be removed.
 * - `scale-down-unneeded-time` and `scale-down-delay-after-add`: {@link ClusterAutoscalerOptions.scaleDownMinutes}.
 * - `max-node-provision-time`: {@link ClusterAutoscalerOptions.maxNodeProvisionMinutes}.
 * - `cordon-node-before-terminating`: no new pod lands on a node being removed.
 *
 * @example
 * new ClusterAutoscaler({ kubernetesVersion: "1.35" })
 */
export class ClusterAutoscaler extends HelmAddon {
  public readonly name = CLUSTER_AUTOSCALER;
  public readonly chart = CLUSTER_AUTOSCALER_CHART;
  public readonly namespace = "kube-system";
  public readonly podSecurity: PodSecurityLevel = "restricted";

  public constructor(private readonly opts: ClusterAutoscalerOptions = {}) {
    super(opts, ["kubernetesVersion", "replicas", "scaleDownMinutes", "maxNodeProvisionMinutes"]);
  }

  protected override validateOptions(): Problem[] {
    const problems: Problem[] = [];
    const base = `addons.${this.name}`;
    const version = this.opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    if (!(KUBERNETES_VERSIONS as readonly string[]).includes(version)) {
      problems.push({ code: "ADDON_KUBERNETES_VERSION", path: `${base}.kubernetesVersion`, value: version, allowed: `one of ${KUBERNETES_VERSIONS.join(", ")}` });
    }
    checkInt(problems, "ADDON_REPLICAS", `${base}.replicas`, this.opts.replicas ?? 2, 1, 3);
    checkInt(problems, "ADDON_AUTOSCALER_TIMING", `${base}.scaleDownMinutes`, this.opts.scaleDownMinutes ?? 10, 1, 120);
    // Below 15 minutes a GPU node still booting is declared failed and its group backed off.
    checkInt(problems, "ADDON_AUTOSCALER_TIMING", `${base}.maxNodeProvisionMinutes`, this.opts.maxNodeProvisionMinutes ?? 15, 15, 60);
    return problems;
  }

  public override identityRequirement(ctx: AddonContext): IdentityRequirement {
    return { serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT, statements: clusterAutoscalerStatements(ctx.clusterName) };
  }

  public values(ctx: AddonContext): Record<string, unknown> {
    const replicas = this.opts.replicas ?? 2;
    const scaleDown = `${this.opts.scaleDownMinutes ?? 10}m`;
    return {
      cloudProvider: "aws",
      awsRegion: ctx.region,
      autoDiscovery: { clusterName: ctx.clusterName },
      fullnameOverride: CLUSTER_AUTOSCALER,
      image: { tag: CLUSTER_AUTOSCALER_IMAGE_TAGS[this.opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION] },
      replicaCount: replicas,
      rbac: { create: true, serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } },
      extraArgs: {
        "balance-similar-node-groups": true,
        expander: "least-waste",
        "skip-nodes-with-system-pods": false,
        "skip-nodes-with-local-storage": false,
        "scale-down-unneeded-time": scaleDown,
        "scale-down-delay-after-add": scaleDown,
        "max-node-provision-time": `${this.opts.maxNodeProvisionMinutes ?? 15}m`,
        "cordon-node-before-terminating": true,
      },
      podDisruptionBudget: { maxUnavailable: 1 },
      // Memory grows with node and pod count (AWS EKS best practices, Cluster Autoscaler); 600Mi covers hundreds of nodes.
      resources: resources("100m", "600Mi", { memory: "1Gi" }),
      securityContext: restrictedPod(65534),
      containerSecurityContext: restrictedContainer(),
      ...systemPlacement(ctx),
    };
  }
}

import { AddonContext, HelmAddon, HelmChart, IdentityRequirement, InstalledRelease, PodSecurityLevel } from "../addon";
import { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { Problem } from "../../core/validation";
import { checkInt, resources, restrictedPod, systemPlacement } from "../private/values";
import { KUBE_PROMETHEUS_STACK } from "../kube-prometheus-stack/kube-prometheus-stack";
import { karpenterControllerStatements, KarpenterPolicyScope } from "./karpenter-policy";

/** Add-on name of {@link KarpenterCrds}. */
export const KARPENTER_CRD = "karpenter-crd";
/** Add-on name of {@link Karpenter}. */
export const KARPENTER = "karpenter";
/** Service account the controller runs as (its Pod Identity association). */
export const KARPENTER_SERVICE_ACCOUNT = "karpenter";

/**
 * Chart pins: aws/karpenter-provider-aws `karpenter` and `karpenter-crd` 1.14.1 from the
 * project's OCI registry. The published charts carry controller image 1.14.1 with its digest
 * (stamped at release), so no image is overridden here. The CRD chart is its own release so
 * that a CRD upgrade is a Helm upgrade (Helm never upgrades a chart's `crds/` directory).
 */
export const KARPENTER_CHART: HelmChart = { chart: "karpenter", repository: "oci://public.ecr.aws/karpenter", version: "1.14.1" };
/** See {@link KARPENTER_CHART}. */
export const KARPENTER_CRD_CHART: HelmChart = { chart: "karpenter-crd", repository: "oci://public.ecr.aws/karpenter", version: "1.14.1" };

/**
 * The Karpenter CRDs (`NodePool`, `EC2NodeClass`, `NodeClaim`, `NodeOverlay`, `CapacityBuffer`):
 * installed before the controller, and before `<env>-workloads` plans its NodePools.
 */
export class KarpenterCrds extends HelmAddon {
  public readonly name = KARPENTER_CRD;
  public readonly chart = KARPENTER_CRD_CHART;
  public readonly namespace = "kube-system";
  public readonly podSecurity: PodSecurityLevel = "restricted";

  public constructor() {
    super({}, []);
  }

  public values(): Record<string, unknown> {
    return {};
  }
}

/** Options of {@link Karpenter}. */
export interface KarpenterOptions extends Omit<KarpenterPolicyScope, "clusterName"> {
  /** Cluster API endpoint (skips discovery at start). */
  readonly clusterEndpoint: string;
  /** Name of the interruption queue (`KarpenterNodeInfrastructure.queueName`). */
  readonly interruptionQueueName: string;
  /**
   * Controller replicas (leader election; the second takes over during a system-node drain).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Create the chart's ServiceMonitor, so Prometheus records provisioning (`karpenter_nodeclaims_*`,
   * `karpenter_pods_startup_duration_seconds`: the measured node launch the plan's warm-up needs).
   * Installs after kube-prometheus-stack, whose CRD the chart checks for.
   * @default false
   */
  readonly serviceMonitor?: boolean;
}

/**
 * Karpenter 1.14: launches right-sized GPU nodes for pending pods straight through EC2
 * Fleet (no Auto Scaling group in the path), from the instance types a NodePool allows,
 * and reacts to interruption events from its SQS queue.
 *
 * The controller runs on the managed system node group (the chart's own affinity also keeps
 * it off Karpenter nodes), two replicas spread over zones, with the upstream requests of one
 * CPU and 1 GiB. Its IAM role comes through EKS Pod Identity with
 * {@link karpenterControllerStatements}. Feature gates: `ReservedCapacity` (capacity
 * reservations and Capacity Blocks in `capacityReservationSelectorTerms`) and `NodeRepair`
 * (a node whose Ready condition stays False or Unknown is replaced, and so is one flagged by the
 * EKS node monitoring agent's GPU conditions where that agent runs).
 *
 * @example
 * new Karpenter({ clusterEndpoint, interruptionQueueName, interruptionQueueArn, nodeRoleArn, partition, region, accountId })
 */
export class Karpenter extends HelmAddon {
  public readonly name = KARPENTER;
  public readonly chart = KARPENTER_CHART;
  public readonly namespace = "kube-system";
  public readonly podSecurity: PodSecurityLevel = "restricted";
  public override readonly dependencies: readonly string[];

  public constructor(private readonly opts: KarpenterOptions) {
    super(opts, ["clusterEndpoint", "interruptionQueueName", "interruptionQueueArn", "nodeRoleArn", "partition", "region", "accountId", "volumeKmsKeyArns", "replicas", "serviceMonitor"]);
    this.dependencies = opts.serviceMonitor ? [KARPENTER_CRD, KUBE_PROMETHEUS_STACK] : [KARPENTER_CRD];
  }

  protected override validateOptions(): Problem[] {
    const problems: Problem[] = [];
    checkInt(problems, "ADDON_REPLICAS", `addons.${this.name}.replicas`, this.opts.replicas ?? 2, 1, 3);
    return problems;
  }

  public override identityRequirement(ctx: AddonContext): IdentityRequirement {
    return { serviceAccount: KARPENTER_SERVICE_ACCOUNT, statements: karpenterControllerStatements({ ...this.opts, clusterName: ctx.clusterName }) };
  }

  public values(ctx: AddonContext): Record<string, unknown> {
    const placement = systemPlacement(ctx);
    return {
      fullnameOverride: KARPENTER,
      replicas: this.opts.replicas ?? 2,
      serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT },
      settings: {
        clusterName: ctx.clusterName,
        clusterEndpoint: this.opts.clusterEndpoint,
        interruptionQueue: this.opts.interruptionQueueName,
        // Zonal shift needs arc-zonal-shift permissions the role does not get.
        enableZonalShift: false,
        featureGates: { reservedCapacity: true, nodeRepair: true, spotToSpotConsolidation: false },
      },
      // Upstream sizing guidance: 1 CPU, 1 GiB (Karpenter docs, "Getting started", controller resources).
      controller: { resources: resources("1", "1Gi") },
      podSecurityContext: { ...restrictedPod(65532, 65532) },
      podDisruptionBudget: { name: KARPENTER, maxUnavailable: 1 },
      nodeSelector: { "kubernetes.io/os": "linux", ...placement.nodeSelector },
      tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }, ...placement.tolerations],
      logLevel: "info",
      serviceMonitor: { enabled: this.opts.serviceMonitor ?? false },
    };
  }

  /** The CRDs belong to the `karpenter-crd` release; the controller chart's `crds/` copy is skipped. */
  public override postInstall(_scope: Construct, _ctx: AddonContext, installed: InstalledRelease): void {
    if (installed.release instanceof TerraformResource) installed.release.addOverride("skip_crds", true);
  }
}

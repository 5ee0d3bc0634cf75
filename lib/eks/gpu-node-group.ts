import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { Problems } from "../core/validation";
import { Connections, IConnectable, SecurityGroup } from "../network/connections";
import { CAPACITY_RESERVATION_ID_PATTERN, GpuCapacity } from "./gpu-capacity";
import { GPU_INSTANCE_FAMILIES, GpuInstanceFamily, gpuFamilyOf } from "./gpu-instance-types";
import { GPU_FAMILY_LABEL, NODE_ROLE_LABEL, NodeGroupBaseProps, NodeTaint } from "./node-group-options";
import { autoScalingVolumeGrant } from "./private/kms-grant";
import { HardenedNodeGroup } from "./private/managed-node-group";
import { NodeRole } from "./node-role";
import { checkLabels, checkNodeCounts, checkRootVolume, checkSubnets, definedOnly, NodeCounts, RootVolume } from "./private/validate";

/**
 * Root volume of GPU nodes: inference images are 10-20 GB and the model cache holds
 * the weights (e.g. ~140 GB for a 70B model at BF16), so 500 GiB with 6,000 IOPS and
 * 500 MiB/s keeps image pulls and weight loads from being disk bound.
 */
export const GPU_ROOT_VOLUME_DEFAULTS: RootVolume = { sizeGiB: 500, iops: 6000, throughputMiBps: 500 };

/** The taint that keeps everything but GPU workloads (which tolerate it) off GPU nodes. */
export const GPU_TAINT: NodeTaint = { key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" };

/** Properties of {@link GpuNodeGroup}. */
export interface GpuNodeGroupProps extends NodeGroupBaseProps {
  /** GPU instance type in one of {@link GPU_INSTANCE_FAMILIES}, e.g. `p5.48xlarge` (plan: `inference.instanceType`). */
  readonly instanceType: string;
  /** Minimum GPU nodes across all AZs (plan: `inference.nodes.min`). */
  readonly minSize: number;
  /** Desired GPU nodes across all AZs (plan: `inference.nodes.desired`). */
  readonly desiredSize: number;
  /** Maximum GPU nodes across all AZs (plan: `inference.nodes.max`). */
  readonly maxSize: number;
  /**
   * How the nodes are bought.
   * @default GpuCapacity.onDemand()
   */
  readonly capacity?: GpuCapacity;
  /**
   * One managed node group per subnet (AZ) instead of one group across all subnets.
   * Per-AZ groups keep `minSize` spread over the AZs (an ASG across AZs may place all
   * of its minimum in one zone, and rebalancing terminates GPU nodes), confine an
   * insufficient-capacity error to one zone, and match zonal reservations.
   * @default true
   */
  readonly perAvailabilityZone?: boolean;
}

/** Node counts of one zonal group. */
export interface ZoneNodeCounts extends NodeCounts {
  readonly subnetId: string;
}

/**
 * Splits total node counts over `subnetIds` (one per AZ): min and desired are split
 * exactly (their sums equal the totals, the first zones take the remainder), and each
 * zone may grow to ceil(max / zones), so the sum of the maxima exceeds `max` by less
 * than the number of zones.
 */
export function splitAcrossZones(counts: NodeCounts, subnetIds: readonly string[]): ZoneNodeCounts[] {
  const zones = subnetIds.length;
  const share = (total: number, i: number) => Math.floor(total / zones) + (i < total % zones ? 1 : 0);
  return subnetIds.map((subnetId, i) => ({
    subnetId,
    minSize: share(counts.minSize, i),
    desiredSize: share(counts.desiredSize, i),
    maxSize: Math.ceil(counts.maxSize / zones),
  }));
}

/**
 * GPU nodes for the inference servers, sized by the capacity plan.
 *
 * AL2023 NVIDIA AMI (driver and container toolkit preinstalled: nothing installs them
 * again), taint `nvidia.com/gpu=true:NoSchedule`, labels `headroom.dev/node-role=gpu` and
 * `headroom.dev/gpu-family=<family>` (the kubelet sets `node.kubernetes.io/instance-type`),
 * a hardened launch template (IMDSv2 with hop limit 1, encrypted gp3 root volume with
 * the customer-managed key, no public IP, detailed monitoring), node auto repair, and
 * updates one node at a time. By default one managed node group per AZ (see `perAvailabilityZone`).
 *
 * @example
 * const gpuNodes = new GpuNodeGroup(this, "GpuNodes", {
 *   cluster,
 *   subnetIds: vpc.privateSubnetIds,
 *   instanceType: plan.inference.instanceType,
 *   minSize: plan.inference.nodes.min,
 *   desiredSize: plan.inference.nodes.desired,
 *   maxSize: plan.inference.nodes.max,
 * });
 * redis.connections.allowFrom(gpuNodes, Port.tcp(6379), "inference pods read the response cache");
 */
export class GpuNodeGroup extends Construct implements IConnectable {
  /** The `aws_eks_node_group` resources, one per AZ (or one). */
  public readonly nodeGroups: readonly EksNodeGroup[];
  /** Counts of each group, in the order of `nodeGroups`. */
  public readonly zoneCounts: readonly ZoneNodeCounts[];
  /** The nodes' instance role (shared by the zonal groups). */
  public readonly nodeRole: NodeRole;
  public readonly nodeRoleArn: string;
  /** This group's own security group (in addition to the cluster's node group). */
  public readonly securityGroup: SecurityGroup;
  /** e.g. `redis.connections.allowFrom(gpuNodes, Port.tcp(6379), "...")`. */
  public readonly connections: Connections;
  public readonly instanceType: string;
  public readonly family: GpuInstanceFamily;
  public readonly capacity: GpuCapacity;
  /** Labels the nodes carry; workloads select them with a node selector. */
  public readonly labels: Readonly<Record<string, string>>;
  /** Taints the nodes carry; GPU workloads tolerate them. */
  public readonly taints: readonly NodeTaint[];

  public constructor(scope: Construct, id: string, props: GpuNodeGroupProps) {
    super(scope, id);
    const capacity = props.capacity ?? GpuCapacity.onDemand();
    const perAz = props.perAvailabilityZone ?? true;
    const counts = { minSize: props.minSize, desiredSize: props.desiredSize, maxSize: props.maxSize };
    const rootVolume = { ...GPU_ROOT_VOLUME_DEFAULTS, ...definedOnly(props.rootVolume) };
    const problems = new Problems(`GpuNodeGroup '${this.node.path}' props`);
    const family = gpuFamilyOf(props.instanceType);
    if (family === undefined) {
      problems.add(
        "GPU_INSTANCE_TYPE_UNKNOWN",
        "instanceType",
        props.instanceType,
        `an instance type of a GPU family Headroom supports: ${GPU_INSTANCE_FAMILIES.join(", ")} (e.g. p5.48xlarge)`,
      );
    }
    checkSubnets(problems, props.subnetIds, 1);
    checkNodeCounts(problems, counts, props.maxNodesQuota, perAz ? Math.max(1, props.subnetIds.length) : 1);
    checkRootVolume(problems, rootVolume, 100);
    checkLabels(problems, "labels", props.labels ?? {});
    if (capacity.reservationId !== undefined && !CAPACITY_RESERVATION_ID_PATTERN.test(capacity.reservationId)) {
      problems.add("GPU_CAPACITY_RESERVATION_ID", "capacity.reservationId", capacity.reservationId, "a capacity reservation id such as cr-0123456789abcdef0");
    }
    if (capacity.isZonal && props.subnetIds.length !== 1) {
      problems.add(
        "GPU_CAPACITY_SINGLE_SUBNET",
        "subnetIds",
        props.subnetIds,
        `exactly one subnet, in the reservation's AZ: a ${capacity.kind} reservation exists in one AZ only`,
      );
    }
    problems.throwIfAny();

    this.instanceType = props.instanceType;
    this.family = family as GpuInstanceFamily;
    this.capacity = capacity;
    this.labels = { ...(props.labels ?? {}), [NODE_ROLE_LABEL]: "gpu", [GPU_FAMILY_LABEL]: this.family };
    this.taints = [GPU_TAINT];
    this.nodeRole = new NodeRole(this, "NodeRole", { description: `EKS GPU nodes (${props.instanceType})`, tags: props.tags });
    this.nodeRoleArn = this.nodeRole.roleArn;
    this.securityGroup = new SecurityGroup(this, "Sg", {
      vpcId: props.cluster.nodeSecurityGroup.resource.vpcId,
      description: `EKS GPU nodes (${props.instanceType})`,
      allowAllOutbound: true,
      tags: props.tags,
    });
    this.connections = this.securityGroup.connections;

    const volumeKey = props.rootVolumeKmsKey ?? props.cluster.kmsKey;
    const dependsOn: ITerraformDependable[] = [...props.cluster.nodeBootstrapDependencies, ...this.nodeRole.attachments];
    if (volumeKey !== props.cluster.kmsKey) dependsOn.push(autoScalingVolumeGrant(this, "VolumeKeyGrant", volumeKey));

    const reservation =
      capacity.kind === "openReservations"
        ? ({ preference: "open" } as const)
        : capacity.reservationId !== undefined
          ? { targetId: capacity.reservationId, capacityBlock: capacity.kind === "capacityBlock" }
          : undefined;
    this.zoneCounts = perAz ? splitAcrossZones(counts, props.subnetIds) : [{ subnetId: props.subnetIds[0], ...counts }];
    const groups = this.zoneCounts.map((zone, i) => {
      const single = this.zoneCounts.length === 1;
      return new HardenedNodeGroup(this, single ? "NodeGroup" : `Zone${i}`, {
        clusterName: props.cluster.clusterName,
        kubernetesVersion: props.cluster.kubernetesVersion,
        nodeRoleArn: this.nodeRole.roleArn,
        subnetIds: perAz ? [zone.subnetId] : props.subnetIds,
        instanceType: props.instanceType,
        amiType: "AL2023_x86_64_NVIDIA",
        capacityType: capacity.capacityType,
        capacityReservation: reservation,
        minSize: zone.minSize,
        desiredSize: zone.desiredSize,
        maxSize: zone.maxSize,
        labels: this.labels,
        taints: this.taints,
        rootVolume: { ...rootVolume, kmsKeyArn: volumeKey.keyArn },
        securityGroupIds: [props.cluster.nodeSecurityGroup.securityGroupId, this.securityGroup.securityGroupId],
        namePrefix: single ? `gpu-${this.family}-` : `gpu-${this.family}-z${i}-`,
        ignoreDesiredSizeChanges: props.ignoreDesiredSizeChanges ?? false,
        dependsOn,
        tags: props.tags,
      });
    });
    this.nodeGroups = groups.map((g) => g.resource);
  }
}

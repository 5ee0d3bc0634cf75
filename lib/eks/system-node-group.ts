import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { Problems } from "../core/validation";
import { Connections, IConnectable, SecurityGroup } from "../network/connections";
import { isArmInstanceType, isInstanceTypeName, gpuFamilyOf } from "./gpu-instance-types";
import { NODE_ROLE_LABEL, NodeGroupBaseProps } from "./node-group-options";
import { autoScalingVolumeGrant } from "./private/kms-grant";
import { HardenedNodeGroup } from "./private/managed-node-group";
import { NodeRole } from "./node-role";
import { checkLabels, checkNodeCounts, checkRootVolume, checkSubnets, definedOnly, RootVolume } from "./private/validate";

/** Root volume of system nodes: room for add-on images and container logs. */
export const SYSTEM_ROOT_VOLUME_DEFAULTS: RootVolume = { sizeGiB: 100, iops: 3000, throughputMiBps: 125 };

/** Properties of {@link SystemNodeGroup}. */
export interface SystemNodeGroupProps extends NodeGroupBaseProps {
  /**
   * x86_64 instance type (the group runs the AL2023 x86_64 standard AMI); not a GPU type.
   * @default "m7i.xlarge"
   */
  readonly instanceType?: string;
  /** Minimum nodes. @default 2 */
  readonly minSize?: number;
  /** Desired nodes. @default 3 (one per AZ of a 3-AZ VPC) */
  readonly desiredSize?: number;
  /** Maximum nodes. @default 6 */
  readonly maxSize?: number;
}

/**
 * The on-demand, multi-AZ node group for cluster add-ons, gateways, async workers and
 * monitoring (everything but GPU inference). AL2023 x86_64 standard AMI, label
 * `headroom.dev/node-role=system`, and the same hardened launch template as GPU nodes.
 *
 * @example
 * const systemNodes = new SystemNodeGroup(this, "SystemNodes", {
 *   cluster,
 *   subnetIds: vpc.privateSubnetIds,
 *   instanceType: plan.system.instanceType,
 *   minSize: plan.system.nodes.min, desiredSize: plan.system.nodes.desired, maxSize: plan.system.nodes.max,
 * });
 */
export class SystemNodeGroup extends Construct implements IConnectable {
  /** The `aws_eks_node_group` (escape hatch). */
  public readonly resource: EksNodeGroup;
  public readonly nodeGroupName: string;
  /** The nodes' instance role. */
  public readonly nodeRole: NodeRole;
  public readonly nodeRoleArn: string;
  /** This group's own security group (in addition to the cluster's node group). */
  public readonly securityGroup: SecurityGroup;
  /** e.g. `database.connections.allowFrom(systemNodes, Port.tcp(5432), "workers query PostgreSQL")`. */
  public readonly connections: Connections;
  /** Labels the nodes carry. */
  public readonly labels: Readonly<Record<string, string>>;
  public readonly instanceType: string;

  public constructor(scope: Construct, id: string, props: SystemNodeGroupProps) {
    super(scope, id);
    const instanceType = props.instanceType ?? "m7i.xlarge";
    const counts = { minSize: props.minSize ?? 2, desiredSize: props.desiredSize ?? 3, maxSize: props.maxSize ?? 6 };
    const rootVolume = { ...SYSTEM_ROOT_VOLUME_DEFAULTS, ...definedOnly(props.rootVolume) };
    const problems = new Problems(`SystemNodeGroup '${this.node.path}' props`);
    if (!isInstanceTypeName(instanceType)) {
      problems.add("NODE_INSTANCE_TYPE", "instanceType", instanceType, "an EC2 instance type such as m7i.xlarge");
    } else if (isArmInstanceType(instanceType)) {
      problems.add("NODE_INSTANCE_ARCH", "instanceType", instanceType, "an x86_64 instance type (the group runs AL2023_x86_64_STANDARD), e.g. m7i.xlarge");
    } else if (gpuFamilyOf(instanceType) !== undefined) {
      problems.add("NODE_INSTANCE_TYPE", "instanceType", instanceType, "a non-GPU instance type: GPU capacity belongs in a GpuNodeGroup");
    }
    checkNodeCounts(problems, counts, props.maxNodesQuota);
    checkRootVolume(problems, rootVolume, 20);
    checkLabels(problems, "labels", props.labels ?? {});
    checkSubnets(problems, props.subnetIds, 2);
    problems.throwIfAny();

    this.instanceType = instanceType;
    this.labels = { ...(props.labels ?? {}), [NODE_ROLE_LABEL]: "system" };
    this.nodeRole = new NodeRole(this, "NodeRole", { description: "EKS system nodes", tags: props.tags });
    this.nodeRoleArn = this.nodeRole.roleArn;
    this.securityGroup = new SecurityGroup(this, "Sg", {
      vpcId: props.cluster.nodeSecurityGroup.resource.vpcId,
      description: "EKS system nodes",
      allowAllOutbound: true,
      tags: props.tags,
    });
    this.connections = this.securityGroup.connections;

    const volumeKey = props.rootVolumeKmsKey ?? props.cluster.kmsKey;
    const dependsOn: ITerraformDependable[] = [...props.cluster.nodeBootstrapDependencies];
    if (volumeKey !== props.cluster.kmsKey) dependsOn.push(autoScalingVolumeGrant(this, "VolumeKeyGrant", volumeKey));

    const group = new HardenedNodeGroup(this, "NodeGroup", {
      clusterName: props.cluster.clusterName,
      kubernetesVersion: props.cluster.kubernetesVersion,
      nodeRoleArn: this.nodeRole.roleArn,
      subnetIds: props.subnetIds,
      instanceType,
      amiType: "AL2023_x86_64_STANDARD",
      capacityType: "ON_DEMAND",
      ...counts,
      labels: this.labels,
      taints: [],
      rootVolume: { ...rootVolume, kmsKeyArn: volumeKey.keyArn },
      securityGroupIds: [props.cluster.nodeSecurityGroup.securityGroupId, this.securityGroup.securityGroupId],
      namePrefix: "system-",
      ignoreDesiredSizeChanges: props.ignoreDesiredSizeChanges ?? false,
      dependsOn: [...dependsOn, ...this.nodeRole.attachments],
      tags: props.tags,
    });
    this.resource = group.resource;
    this.nodeGroupName = group.resource.nodeGroupName;
  }
}

import { ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate, LaunchTemplateConfig } from "@cdktf/provider-aws/lib/launch-template";
import { NodeTaint } from "../node-group-options";
import { RootVolume } from "./validate";

/** Everything one hardened `aws_eks_node_group` needs; validated by the public constructs. */
export interface HardenedNodeGroupConfig {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: readonly string[];
  readonly instanceType: string;
  readonly amiType: "AL2023_x86_64_STANDARD" | "AL2023_x86_64_NVIDIA";
  readonly capacityType: "ON_DEMAND" | "CAPACITY_BLOCK";
  readonly capacityReservation?: { readonly preference: "open" } | { readonly targetId: string; readonly capacityBlock: boolean };
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeTaint[];
  readonly rootVolume: RootVolume & { readonly kmsKeyArn: string };
  readonly securityGroupIds: readonly string[];
  /** Prefix of the generated node group name, e.g. `gpu-az0-`. */
  readonly namePrefix: string;
  readonly ignoreDesiredSizeChanges: boolean;
  readonly dependsOn: readonly ITerraformDependable[];
  readonly tags?: Readonly<Record<string, string>>;
}

/** Device name of the root volume of the EKS AL2023 AMIs. */
const AL2023_ROOT_DEVICE = "/dev/xvda";

/**
 * One managed node group with its own launch template, hardened the same way for
 * every role: IMDSv2 only with hop limit 1 (pods cannot reach the node's instance
 * credentials), an encrypted gp3 root volume with the customer-managed key, no
 * public IP on the primary interface, detailed monitoring, node auto repair, and
 * rolling updates one node at a time. No AMI id and no user data: EKS picks the
 * AMI of `amiType` for the cluster version and bootstraps it with nodeadm.
 */
export class HardenedNodeGroup extends Construct {
  public readonly resource: EksNodeGroup;
  public readonly launchTemplate: LaunchTemplate;

  public constructor(scope: Construct, id: string, config: HardenedNodeGroupConfig) {
    super(scope, id);
    const tags = config.tags ? { ...config.tags } : {};
    const isCapacityBlock = config.capacityType === "CAPACITY_BLOCK";
    const reservation = config.capacityReservation;

    const launchTemplateConfig: LaunchTemplateConfig = {
      description: `Hardened ${config.namePrefix.replace(/-$/, "")} nodes of EKS cluster`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        // 1 hop: a container behind the node's network namespace cannot reach IMDS.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: AL2023_ROOT_DEVICE,
          ebs: {
            volumeType: "gp3",
            volumeSize: config.rootVolume.sizeGiB,
            iops: config.rootVolume.iops,
            throughput: config.rootVolume.throughputMiBps,
            encrypted: "true",
            kmsKeyId: config.rootVolume.kmsKeyArn,
            deleteOnTermination: "true",
          },
        },
      ],
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: "false",
          deleteOnTermination: "true",
          securityGroups: [...config.securityGroupIds],
        },
      ],
      monitoring: { enabled: true },
      // Capacity Blocks need the instance type in the launch template, not on the node group.
      instanceType: isCapacityBlock ? config.instanceType : undefined,
      instanceMarketOptions: isCapacityBlock ? { marketType: "capacity-block" } : undefined,
      capacityReservationSpecification:
        reservation === undefined
          ? undefined
          : "preference" in reservation
            ? { capacityReservationPreference: reservation.preference }
            : { capacityReservationTarget: { capacityReservationId: reservation.targetId } },
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
        resourceType,
        tags: { ...tags, Name: `${config.clusterName}-${config.namePrefix.replace(/-$/, "")}` },
      })),
      tags: config.tags ? { ...config.tags } : undefined,
    };
    this.launchTemplate = new LaunchTemplate(this, "LaunchTemplate", launchTemplateConfig);

    this.resource = new EksNodeGroup(this, "Resource", {
      clusterName: config.clusterName,
      nodeGroupNamePrefix: config.namePrefix,
      version: config.kubernetesVersion,
      nodeRoleArn: config.nodeRoleArn,
      subnetIds: [...config.subnetIds],
      amiType: config.amiType,
      capacityType: config.capacityType,
      instanceTypes: isCapacityBlock ? undefined : [config.instanceType],
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      scalingConfig: { minSize: config.minSize, desiredSize: config.desiredSize, maxSize: config.maxSize },
      // Never more than one node of a group down during an update: GPU capacity does not come back quickly.
      updateConfig: { maxUnavailable: 1 },
      nodeRepairConfig: { enabled: true },
      labels: { ...config.labels },
      taint: config.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      tags: config.tags ? { ...config.tags } : undefined,
      dependsOn: [...config.dependsOn],
      lifecycle: {
        // A new group (new name) comes up before the old one goes when an immutable field changes.
        createBeforeDestroy: true,
        ignoreChanges: config.ignoreDesiredSizeChanges ? ["scaling_config[0].desired_size"] : undefined,
      },
    });
  }
}

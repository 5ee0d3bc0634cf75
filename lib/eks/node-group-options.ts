import { IKmsKey } from "../security/kms-key";
import { IEksCluster } from "./eks-cluster";

/** Size and performance of a node's encrypted gp3 root volume. */
export interface RootVolumeOptions {
  /** Size in GiB (gp3: up to 65,536). @default 500 on GPU nodes (GPU_ROOT_VOLUME_DEFAULTS), 100 on system nodes */
  readonly sizeGiB?: number;
  /** Provisioned IOPS (gp3: 3,000-80,000, at most 500 per GiB). @default 6000 on GPU nodes, 3000 on system nodes */
  readonly iops?: number;
  /** Provisioned throughput in MiB/s (gp3: 125-2,000, at most IOPS / 4). @default 500 on GPU nodes, 125 on system nodes */
  readonly throughputMiBps?: number;
}

/** Props every Headroom node group takes. */
export interface NodeGroupBaseProps {
  /** The cluster the nodes join. */
  readonly cluster: IEksCluster;
  /** Private subnets of the nodes, one per availability zone. */
  readonly subnetIds: readonly string[];
  /** Root volume size and performance; unset fields keep their defaults. @default GPU_ROOT_VOLUME_DEFAULTS or SYSTEM_ROOT_VOLUME_DEFAULTS */
  readonly rootVolume?: RootVolumeOptions;
  /**
   * Key of the root volumes; when it is not the cluster's key, a grant for the
   * EC2 Auto Scaling service-linked role is created for it.
   * @default cluster.kmsKey
   */
  readonly rootVolumeKmsKey?: IKmsKey;
  /**
   * Extra Kubernetes labels. Keys in `kubernetes.io`, `k8s.io` or `eks.amazonaws.com`
   * (or their subdomains) are rejected, and Headroom's own `headroom.dev/*` labels win.
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The account's "Nodes per managed node group" quota, if it was raised.
   * @default 450 (EKS default quota)
   */
  readonly maxNodesQuota?: number;
  /**
   * Leaves `desired_size` to a node autoscaler after creation (Terraform `ignore_changes`).
   * Turn it on when cluster-autoscaler or similar manages the group, so an apply does
   * not undo its decisions; leave it off when the plan's desired size should be enforced.
   * @default false
   */
  readonly ignoreDesiredSizeChanges?: boolean;
  /** Tags on the node group, launch template, instances and volumes. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A Kubernetes taint in the EKS API's words (`NO_SCHEDULE` is Kubernetes `NoSchedule`). */
export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
}

/** The label every Headroom node carries with its role (`system` or `gpu`). */
export const NODE_ROLE_LABEL = "headroom.dev/node-role";
/** The label GPU nodes carry with their instance family, e.g. `p5`. */
export const GPU_FAMILY_LABEL = "headroom.dev/gpu-family";

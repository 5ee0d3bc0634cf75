import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { IKmsKey } from "../security/kms-key";
import { awsContext } from "../security/private/aws-context";
import { EksCluster } from "./eks-cluster";
import { WorkloadIdentity } from "./workload-identity";

/** Service account of the EBS CSI controller (the add-on's default). */
export const EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa";

/** Properties of {@link EksAddons}. */
export interface EksAddonsProps {
  /** The cluster; its pinned `addonVersions` are used. */
  readonly cluster: EksCluster;
  /**
   * Node groups that must exist first: CoreDNS and the EBS CSI controller are Deployments,
   * and an add-on whose pods cannot schedule stays DEGRADED until Terraform times out.
   */
  readonly after: readonly ITerraformDependable[];
  /**
   * Keys the EBS CSI driver may create encrypted volumes with (PersistentVolumes of
   * Prometheus, Grafana and others).
   * @default [cluster.kmsKey]
   */
  readonly volumeKmsKeys?: readonly IKmsKey[];
  /** Tags on the add-ons and the driver's role. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The EKS managed add-ons that need running nodes: CoreDNS, and the EBS CSI driver with
 * its own Pod Identity role (AWS managed `AmazonEBSCSIDriverPolicy` plus use of the
 * customer-managed key for encrypted volumes). The add-ons nodes need before they are
 * Ready (vpc-cni, kube-proxy, eks-pod-identity-agent) belong to {@link EksCluster}.
 *
 * Conflict resolution: `OVERWRITE` on create (take over whatever runs), on update
 * `OVERWRITE` for the EBS CSI driver (configured only here) and `PRESERVE` for CoreDNS,
 * so an in-cluster Corefile change (stub domains) survives an add-on upgrade.
 *
 * @example
 * new EksAddons(this, "Addons", { cluster, after: [systemNodes.resource] });
 */
export class EksAddons extends Construct {
  public readonly coreDns: EksAddon;
  public readonly ebsCsiDriver: EksAddon;
  /** Identity of the EBS CSI controller. */
  public readonly ebsCsiIdentity: WorkloadIdentity;

  public constructor(scope: Construct, id: string, props: EksAddonsProps) {
    super(scope, id);
    const { cluster } = props;
    const ctx = awsContext(this);
    const tags = props.tags ? { ...props.tags } : undefined;

    this.coreDns = new EksAddon(this, "CoreDns", {
      clusterName: cluster.clusterName,
      addonName: "coredns",
      addonVersion: cluster.addonVersions.coreDns,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      tags,
      dependsOn: [...props.after],
    });

    this.ebsCsiIdentity = new WorkloadIdentity(this, "EbsCsiIdentity", {
      clusterName: cluster.clusterName,
      namespace: "kube-system",
      serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
      managedPolicyArns: [`arn:${ctx.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`],
      associate: false,
      tags,
    });
    const keyArns = (props.volumeKmsKeys ?? [cluster.kmsKey]).map((k) => k.keyArn);
    // Encrypted volumes with a customer-managed key: EBS needs a grant, created by the
    // driver's role and only for AWS resources (EBS CSI driver docs, "KMS encryption").
    this.ebsCsiIdentity.addToPrincipalPolicy({
      sid: "EbsVolumeKeyGrants",
      actions: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      resources: keyArns,
      conditions: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    });
    this.ebsCsiIdentity.addToPrincipalPolicy({
      sid: "EbsVolumeKeyUse",
      actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      resources: keyArns,
    });
    this.ebsCsiDriver = new EksAddon(this, "EbsCsiDriver", {
      clusterName: cluster.clusterName,
      addonName: "aws-ebs-csi-driver",
      addonVersion: cluster.addonVersions.ebsCsiDriver,
      podIdentityAssociation: [{ roleArn: this.ebsCsiIdentity.roleArn, serviceAccount: EBS_CSI_SERVICE_ACCOUNT }],
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags,
      dependsOn: [...props.after, ...this.ebsCsiIdentity.dependables],
    });
  }
}

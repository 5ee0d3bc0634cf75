import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";

/** Name of the encrypted gp3 StorageClass. */
export const GP3_STORAGE_CLASS = "gp3";

/** Props of {@link Gp3StorageClass}. */
export interface Gp3StorageClassProps {
  /** Customer-managed KMS key for the EBS volumes (the EBS CSI driver's role needs grants on it). */
  readonly kmsKeyArn: string;
  /**
   * What happens to a volume when its claim is deleted.
   * @default "Retain": metrics survive an accidental uninstall; after `destroy` delete leftover volumes by tag
   */
  readonly reclaimPolicy?: "Retain" | "Delete";
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * An encrypted gp3 StorageClass for the EBS CSI driver (the EKS managed add-on installs the driver).
 * Binding waits for the first consumer so the volume is created in the pod's AZ.
 */
export class Gp3StorageClass extends Construct {
  public readonly resource: StorageClassV1;

  public constructor(scope: Construct, id: string, props: Gp3StorageClassProps) {
    super(scope, id);
    this.resource = new StorageClassV1(this, "Resource", {
      metadata: { name: GP3_STORAGE_CLASS, labels: { "app.kubernetes.io/managed-by": "headroom" } },
      storageProvisioner: "ebs.csi.aws.com",
      reclaimPolicy: props.reclaimPolicy ?? "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      parameters: { type: "gp3", encrypted: "true", kmsKeyId: props.kmsKeyArn, "csi.storage.k8s.io/fstype": "ext4" },
      dependsOn: props.dependsOn,
    });
  }
}

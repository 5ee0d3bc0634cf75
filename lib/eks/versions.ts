/**
 * Kubernetes versions Headroom creates clusters with, and the EKS managed add-on
 * versions pinned for each. Closed sets on purpose: a version is added here only
 * after its add-on versions were checked against the EKS add-on version tables.
 */

/**
 * Kubernetes minor versions a new cluster may use. Standard-support windows (EKS
 * user guide, "Kubernetes version lifecycle"; 14 months from the EKS release):
 * 1.33 released 2025-05-28, standard support until 2026-07-29;
 * 1.34 released 2025-10-06, until 2026-12-02;
 * 1.35 released 2026-01-28, until 2027-03-27.
 * With `extendedSupport` off (the default) a cluster past its standard-support
 * date is upgraded by EKS, so pick the newest version and upgrade deliberately.
 */
export const KUBERNETES_VERSIONS = ["1.33", "1.34", "1.35"] as const;

/** One of {@link KUBERNETES_VERSIONS}. */
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

/** The newest version in {@link KUBERNETES_VERSIONS}: the longest standard-support runway. */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.35";

/** Versions of the EKS managed add-ons Headroom installs; strings as `aws eks describe-addon-versions` prints them. */
export interface AddonVersions {
  /** `vpc-cni` (Amazon VPC CNI). */
  readonly vpcCni: string;
  /** `kube-proxy`; its minor version must match the cluster's. */
  readonly kubeProxy: string;
  /** `coredns`. */
  readonly coreDns: string;
  /** `eks-pod-identity-agent`. */
  readonly podIdentityAgent: string;
  /** `aws-ebs-csi-driver`. */
  readonly ebsCsiDriver: string;
}

/**
 * Pinned add-on versions per Kubernetes version. Sources: EKS user guide add-on
 * version tables ("Manage kube-proxy", "Manage CoreDNS": kube-proxy v1.33.10 /
 * v1.34.6 / v1.35.3 -eksbuild.2, CoreDNS v1.13.2-eksbuild.4 for 1.33-1.35) and
 * versions resolved by `describe-addon-versions` on 1.33/1.34 clusters
 * (vpc-cni v1.21.1-eksbuild.7, aws-ebs-csi-driver v1.57.1-eksbuild.1,
 * eks-pod-identity-agent v1.3.10-eksbuild.2; these three are not tied to one minor).
 * Users override any of them through `EksClusterProps.addonVersions`.
 */
export const ADDON_VERSIONS: Readonly<Record<KubernetesVersion, AddonVersions>> = {
  "1.33": {
    vpcCni: "v1.21.1-eksbuild.7",
    kubeProxy: "v1.33.10-eksbuild.2",
    coreDns: "v1.13.2-eksbuild.4",
    podIdentityAgent: "v1.3.10-eksbuild.2",
    ebsCsiDriver: "v1.57.1-eksbuild.1",
  },
  "1.34": {
    vpcCni: "v1.21.1-eksbuild.7",
    kubeProxy: "v1.34.6-eksbuild.2",
    coreDns: "v1.13.2-eksbuild.4",
    podIdentityAgent: "v1.3.10-eksbuild.2",
    ebsCsiDriver: "v1.57.1-eksbuild.1",
  },
  "1.35": {
    vpcCni: "v1.21.1-eksbuild.7",
    kubeProxy: "v1.35.3-eksbuild.2",
    coreDns: "v1.13.2-eksbuild.4",
    podIdentityAgent: "v1.3.10-eksbuild.2",
    ebsCsiDriver: "v1.57.1-eksbuild.1",
  },
};

/** Format of an EKS add-on version, e.g. `v1.21.1-eksbuild.7`. */
export const ADDON_VERSION_PATTERN = /^v\d+\.\d+\.\d+(-[a-z]+)?-eksbuild\.\d+$/;

/**
 * Default quota "Nodes per managed node group" (EKS service quotas: 450, adjustable).
 * Node group props take a `maxNodesQuota` for accounts with a raised quota.
 */
export const EKS_MAX_NODES_PER_MANAGED_NODE_GROUP = 450;

/** EKS quota "Public endpoint access CIDR ranges per cluster" (40, not adjustable). */
export const EKS_MAX_PUBLIC_ACCESS_CIDRS = 40;

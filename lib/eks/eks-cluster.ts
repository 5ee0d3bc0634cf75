import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as AwsEksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";
import { Problems } from "../core/validation";
import { Connections, IConnectable, Port, SecurityGroup } from "../network/connections";
import { pinAddress } from "../core/stable-address";
import { EncryptedLogGroup } from "../security/encrypted-log-group";
import { IKmsKey } from "../security/kms-key";
import { policyDocument } from "../security/policy";
import { awsContext } from "../security/private/aws-context";
import { autoScalingVolumeGrant } from "./private/kms-grant";
import { definedOnly, isToken } from "./private/validate";
import {
  ADDON_VERSION_PATTERN,
  ADDON_VERSIONS,
  AddonVersions,
  DEFAULT_KUBERNETES_VERSION,
  EKS_MAX_PUBLIC_ACCESS_CIDRS,
  KUBERNETES_VERSIONS,
  KubernetesVersion,
} from "./versions";
import { WorkloadIdentity } from "./workload-identity";

/** All five EKS control-plane log types. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/**
 * Ports the control plane opens on nodes by default: 443 and 10250 (kubelet, and
 * webhooks served on those ports such as prometheus-operator's), 4443 (metrics-server),
 * 6443 (prometheus-adapter and KEDA metrics API servers), 8443 and 9443 (admission
 * webhooks, e.g. the AWS Load Balancer Controller and KEDA), 15017 (istiod injection
 * and validation webhooks). A webhook the API server cannot reach fails every
 * admission it guards, so these are opened up front.
 */
export const DEFAULT_CONTROL_PLANE_TO_NODE_PORTS: readonly Port[] = [443, 4443, 6443, 8443, 9443, 10250, 15017].map((p) => Port.tcp(p));

/** Opt-in public API endpoint, restricted to named networks. */
export interface PublicEndpointOptions {
  /** IPv4 CIDRs allowed to reach the public endpoint; 1-40 entries, never `0.0.0.0/0`. */
  readonly allowedCidrs: readonly string[];
}

/** What node groups need from a cluster. {@link EksCluster} implements it. */
export interface IEksCluster {
  /** Cluster name (a Terraform token). */
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. `1.35`. */
  readonly kubernetesVersion: string;
  /** Security group every node carries: control-plane and node-to-node traffic. */
  readonly nodeSecurityGroup: SecurityGroup;
  /** Customer-managed key; node root volumes use it unless told otherwise. */
  readonly kmsKey: IKmsKey;
  /** Resources nodes must wait for before they join: CNI, kube-proxy, Pod Identity agent, KMS grant. */
  readonly nodeBootstrapDependencies: readonly ITerraformDependable[];
}

/** Properties of {@link EksCluster}. */
export interface EksClusterProps {
  /** Cluster name: 1-100 of [A-Za-z0-9_-], starting alphanumeric, e.g. `headroom-prod`. */
  readonly clusterName: string;
  /** VPC of the cluster. */
  readonly vpcId: string;
  /** Private subnets for the control-plane network interfaces, in at least two AZs. */
  readonly subnetIds: readonly string[];
  /** Customer-managed key: Kubernetes secrets envelope encryption, and the default for node volumes and logs. */
  readonly kmsKey: IKmsKey;
  /**
   * IAM role ARNs that get `AmazonEKSClusterAdminPolicy` on the whole cluster through
   * access entries. Include the role that deploys the `<env>-cluster` stack: the cluster
   * creator gets no implicit admin.
   */
  readonly adminRoleArns: readonly string[];
  /**
   * Kubernetes minor version, one of {@link KUBERNETES_VERSIONS}.
   * @default DEFAULT_KUBERNETES_VERSION
   */
  readonly kubernetesVersion?: string;
  /**
   * Opens the public API endpoint to these networks, in addition to the private one.
   * An explicit opt-out of the private-only default, meant for development.
   * @default private endpoint only
   */
  readonly publicEndpoint?: PublicEndpointOptions;
  /**
   * Key of the control-plane log group; its policy must admit CloudWatch Logs.
   * @default kmsKey
   */
  readonly logsKmsKey?: IKmsKey;
  /**
   * Retention of the control-plane log group in days (a CloudWatch Logs retention value).
   * The group holds the Kubernetes audit log, so the default keeps a year of history
   * (the 12 months PCI DSS 10.5.1 asks of audit trails).
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Adds `lifecycle.prevent_destroy` to the control-plane log group, so a destroy or a
   * replacement cannot delete the audit trail with the cluster. Turn it off, with
   * `deletionProtection`, only to tear the environment down (README, "Tearing an environment down").
   * @default true
   */
  readonly auditLogPreventDestroy?: boolean;
  /**
   * Lets the cluster stay on its version after standard support ends (EKS extended
   * support, billed at a higher hourly rate). Off by default: EKS then upgrades the
   * cluster at the end of standard support, so nobody pays for a forgotten version.
   * @default false (upgrade policy STANDARD)
   */
  readonly extendedSupport?: boolean;
  /**
   * ARC zonal shift for the cluster, so traffic can be moved away from an impaired AZ.
   * @default true
   */
  readonly zonalShift?: boolean;
  /**
   * EKS deletion protection: the EKS API refuses `DeleteCluster`, so `terraform destroy`
   * fails until an apply with `false` has turned it off (two steps, by design). In the
   * stacks it follows the environment's `teardown` setting.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Terraform name of the cluster (`aws_eks_cluster.<addressName>`) and of its control-plane log group
   * (`aws_cloudwatch_log_group.<addressName>-control-plane-logs`), fixed so that renaming or moving the
   * construct does not plan their destroy. Set it only to tell two clusters in one stack apart.
   * @default "cluster"
   */
  readonly addressName?: string;
  /**
   * Overrides of the pinned add-on versions.
   * @default ADDON_VERSIONS[kubernetesVersion]
   */
  readonly addonVersions?: Partial<AddonVersions>;
  /**
   * TCP ports the control plane may open on nodes (kubelet, admission webhooks, API services).
   * @default DEFAULT_CONTROL_PLANE_TO_NODE_PORTS
   */
  readonly controlPlaneToNodePorts?: readonly Port[];
  /** Tags on every taggable resource. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A hardened EKS control plane: private API endpoint, secrets envelope encryption
 * with the customer-managed key, all five control-plane log types into a KMS-encrypted
 * log group created before the cluster, access entries only (no aws-auth ConfigMap,
 * no implicit creator admin), deletion protection, STANDARD upgrade policy, zonal shift.
 *
 * It also installs the add-ons nodes need before they can become Ready (eks-pod-identity-agent,
 * vpc-cni with its own Pod Identity role and network policy enforcement, kube-proxy), and the
 * security groups of the control plane and of all nodes. Add-ons that need running nodes
 * (CoreDNS, EBS CSI) are {@link EksAddons}.
 *
 * @example
 * const cluster = new EksCluster(this, "Cluster", {
 *   clusterName: "headroom-prod",
 *   vpcId: vpc.vpcId,
 *   subnetIds: vpc.privateSubnetIds,
 *   kmsKey: platformKey,
 *   adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"],
 * });
 */
export class EksCluster extends Construct implements IEksCluster, IConnectable {
  /** The `aws_eks_cluster` (escape hatch). */
  public readonly resource: AwsEksCluster;
  public readonly clusterName: string;
  public readonly clusterArn: string;
  /** API server endpoint URL. */
  public readonly endpoint: string;
  /** Base64 PEM of the cluster CA, for kubeconfig and the kubernetes/helm providers. */
  public readonly certificateAuthorityData: string;
  /** OIDC issuer URL (for IRSA, if a workload cannot use Pod Identity). */
  public readonly oidcIssuerUrl: string;
  public readonly kubernetesVersion: KubernetesVersion;
  /** The cluster IAM role (escape hatch). */
  public readonly role: IamRole;
  public readonly roleArn: string;
  /** Security group of the control-plane network interfaces that Headroom manages. */
  public readonly controlPlaneSecurityGroup: SecurityGroup;
  /** The security group EKS creates for the cluster (`vpc_config.cluster_security_group_id`). */
  public readonly clusterSecurityGroupId: string;
  public readonly nodeSecurityGroup: SecurityGroup;
  /** Connections of the control plane, e.g. `cluster.connections.allowFrom(bastion, Port.tcp(443), ...)`. */
  public readonly connections: Connections;
  public readonly kmsKey: IKmsKey;
  /** The control-plane log group, `/aws/eks/<name>/cluster`. */
  public readonly logGroup: EncryptedLogGroup;
  /** Add-on versions after overrides. */
  public readonly addonVersions: AddonVersions;
  /** The vpc-cni add-on's own identity (holds AmazonEKS_CNI_Policy instead of the node role). */
  public readonly vpcCniIdentity: WorkloadIdentity;
  public readonly nodeBootstrapDependencies: readonly ITerraformDependable[];
  private readonly volumeGrant: KmsGrant;

  public constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const version = (props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION) as KubernetesVersion;
    const problems = new Problems(`EksCluster '${this.node.path}' props`);
    if (!isToken(props.clusterName) && !/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(props.clusterName)) {
      problems.add("EKS_CLUSTER_NAME", "clusterName", props.clusterName, "1-100 of [A-Za-z0-9_-], starting with a letter or digit");
    }
    const versionOk = problems.checkOneOf("EKS_VERSION_UNSUPPORTED", "kubernetesVersion", version, KUBERNETES_VERSIONS);
    if (props.subnetIds.length < 2) {
      problems.add("EKS_SUBNETS", "subnetIds", props.subnetIds, "at least 2 private subnets in different availability zones");
    }
    checkPublicEndpoint(problems, props.publicEndpoint);
    if (props.adminRoleArns.length === 0) {
      problems.add("EKS_ADMIN_ROLES_EMPTY", "adminRoleArns", props.adminRoleArns, "at least one IAM role ARN: without an access entry nobody can administer the cluster");
    }
    props.adminRoleArns.forEach((arn, i) => {
      if (!isToken(arn) && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(arn)) {
        problems.add("EKS_ADMIN_ROLE_ARN", `adminRoleArns[${i}]`, arn, "an IAM role ARN, arn:<partition>:iam::<account>:role/<name>");
      }
    });
    for (const [name, value] of Object.entries(props.addonVersions ?? {})) {
      if (value !== undefined && !ADDON_VERSION_PATTERN.test(value)) {
        problems.add("EKS_ADDON_VERSION", `addonVersions.${name}`, value, "an EKS add-on version such as v1.21.1-eksbuild.7");
      }
    }
    problems.throwIfAny();

    this.kubernetesVersion = version;
    this.kmsKey = props.kmsKey;
    this.addonVersions = { ...(versionOk ? ADDON_VERSIONS[version] : ADDON_VERSIONS[DEFAULT_KUBERNETES_VERSION]), ...definedOnly(props.addonVersions) };
    const ctx = awsContext(this);
    const tags = props.tags ? { ...props.tags } : undefined;

    // Cluster role: AmazonEKSClusterPolicy is the only managed policy a cluster without
    // Auto Mode, Windows nodes or security groups for pods needs; KMS use is inline and scoped to the key.
    this.role = new IamRole(this, "Role", {
      description: `EKS cluster role of ${props.clusterName}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        // EKS accepts aws:SourceAccount and aws:SourceArn in the cluster role's trust (EKS user guide,
        // "Cross-service confused deputy prevention"): only this cluster of this account may use it.
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: `eks.${ctx.dnsSuffix}` },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: {
              StringEquals: { "aws:SourceAccount": ctx.accountId },
              ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:eks:${ctx.region}:${ctx.accountId}:cluster/${props.clusterName}` },
            },
          },
        ],
      }),
      tags,
    });
    this.roleArn = this.role.arn;
    const clusterPolicy = new IamRolePolicyAttachment(this, "AmazonEKSClusterPolicy", {
      role: this.role.name,
      policyArn: `arn:${ctx.partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
    });
    const kmsPolicy = new IamRolePolicy(this, "SecretsEncryption", {
      role: this.role.name,
      name: "secrets-encryption",
      policy: policyDocument([{ actions: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], resources: [props.kmsKey.keyArn] }]),
    });

    this.controlPlaneSecurityGroup = new SecurityGroup(this, "ControlPlaneSg", {
      vpcId: props.vpcId,
      description: `EKS control plane of ${props.clusterName}`,
      tags,
    });
    // Nodes pull images, reach AWS APIs through endpoints or NAT, and answer arbitrary
    // Kubernetes traffic: all outbound is a documented choice for node groups.
    this.nodeSecurityGroup = new SecurityGroup(this, "NodeSg", {
      vpcId: props.vpcId,
      description: `All nodes of EKS cluster ${props.clusterName}`,
      allowAllOutbound: true,
      // Nodes carry a second group (system nodes, Karpenter's); the Load Balancer Controller needs
      // exactly one of an ENI's groups tagged with the cluster to add its target rules to, and its
      // ingress permissions are scoped to groups with this tag key (lib/addons/aws-load-balancer-controller).
      tags: { ...tags, [`kubernetes.io/cluster/${props.clusterName}`]: "owned" },
    });
    this.connections = this.controlPlaneSecurityGroup.connections;
    this.controlPlaneSecurityGroup.connections.allowFrom(this.nodeSecurityGroup, Port.tcp(443), "nodes and pods call the Kubernetes API");
    for (const port of props.controlPlaneToNodePorts ?? DEFAULT_CONTROL_PLANE_TO_NODE_PORTS) {
      this.nodeSecurityGroup.connections.allowFrom(this.controlPlaneSecurityGroup, port, `control plane reaches kubelet, webhooks and API services on ${port}`);
    }
    // Pod-to-pod traffic crosses nodes on any TCP port (VPC CNI gives pods VPC addresses on
    // the node's security groups); NetworkPolicies and Istio mTLS restrict it per workload.
    this.nodeSecurityGroup.connections.allowFrom(this.nodeSecurityGroup, Port.allTcp(), "pod-to-pod and node-to-node TCP");
    this.nodeSecurityGroup.connections.allowFrom(this.nodeSecurityGroup, Port.udp(53), "CoreDNS over UDP");

    const clusterLogName = `/aws/eks/${props.clusterName}/cluster`;
    const addressName = props.addressName ?? "cluster";
    this.logGroup = new EncryptedLogGroup(this, "ControlPlaneLogs", {
      name: clusterLogName,
      kmsKey: props.logsKmsKey ?? props.kmsKey,
      retentionDays: props.logRetentionDays ?? 365,
      preventDestroy: props.auditLogPreventDestroy ?? true,
      // Same address with or without protection, so the teardown apply does not replace the audit log.
      addressName: `${addressName}-control-plane-logs`,
      tags,
    });

    this.resource = new AwsEksCluster(this, "Resource", {
      name: props.clusterName,
      version,
      roleArn: this.role.arn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        securityGroupIds: [this.controlPlaneSecurityGroup.securityGroupId],
        endpointPrivateAccess: true,
        endpointPublicAccess: props.publicEndpoint !== undefined,
        publicAccessCidrs: props.publicEndpoint ? [...props.publicEndpoint.allowedCidrs] : undefined,
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.kmsKey.keyArn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      // Managed add-ons below replace the self-managed defaults instead of fighting them.
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: props.extendedSupport ? "EXTENDED" : "STANDARD" },
      zonalShiftConfig: { enabled: props.zonalShift ?? true },
      deletionProtection: props.deletionProtection ?? true,
      kubernetesNetworkConfig: { ipFamily: "ipv4" },
      tags,
      // The log group must exist first, or EKS creates an unencrypted one with no retention.
      dependsOn: [this.logGroup.resource, clusterPolicy, kmsPolicy],
    });
    // A fixed address, so refactoring the construct tree cannot plan a destroy of the cluster.
    pinAddress(this.resource, addressName);
    this.clusterName = this.resource.name;
    this.clusterArn = this.resource.arn;
    this.endpoint = this.resource.endpoint;
    this.certificateAuthorityData = this.resource.certificateAuthority.get(0).data;
    this.oidcIssuerUrl = this.resource.identity.get(0).oidc.get(0).issuer;
    this.clusterSecurityGroupId = this.resource.vpcConfig.clusterSecurityGroupId;

    const adminPolicyArn = `arn:${ctx.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`;
    props.adminRoleArns.forEach((principalArn, i) => {
      const suffix = adminIdSuffix(principalArn, i);
      const entry = new EksAccessEntry(this, `AdminAccess-${suffix}`, { clusterName: this.clusterName, principalArn, type: "STANDARD", tags });
      new EksAccessPolicyAssociation(this, `AdminPolicy-${suffix}`, {
        clusterName: this.clusterName,
        principalArn,
        policyArn: adminPolicyArn,
        accessScope: { type: "cluster" },
        dependsOn: [entry],
      });
    });

    // Add-ons nodes need before they turn Ready; none of them needs a running node to become ACTIVE.
    const podIdentityAgent = new EksAddon(this, "PodIdentityAgent", {
      clusterName: this.clusterName,
      addonName: "eks-pod-identity-agent",
      addonVersion: this.addonVersions.podIdentityAgent,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags,
    });
    this.vpcCniIdentity = new WorkloadIdentity(this, "VpcCniIdentity", {
      clusterName: this.clusterName,
      namespace: "kube-system",
      serviceAccount: "aws-node",
      managedPolicyArns: [`arn:${ctx.partition}:iam::aws:policy/AmazonEKS_CNI_Policy`],
      associate: false,
      tags,
    });
    const vpcCni = new EksAddon(this, "VpcCni", {
      clusterName: this.clusterName,
      addonName: "vpc-cni",
      addonVersion: this.addonVersions.vpcCni,
      // The network policy agent enforces the workloads' NetworkPolicies.
      configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
      podIdentityAssociation: [{ roleArn: this.vpcCniIdentity.roleArn, serviceAccount: "aws-node" }],
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags,
      dependsOn: [podIdentityAgent, ...this.vpcCniIdentity.dependables],
    });
    const kubeProxy = new EksAddon(this, "KubeProxy", {
      clusterName: this.clusterName,
      addonName: "kube-proxy",
      addonVersion: this.addonVersions.kubeProxy,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags,
    });
    this.volumeGrant = autoScalingVolumeGrant(this, "NodeVolumeKeyGrant", props.kmsKey);
    this.nodeBootstrapDependencies = [podIdentityAgent, vpcCni, kubeProxy, this.volumeGrant];
  }
}

function checkPublicEndpoint(problems: Problems, endpoint: PublicEndpointOptions | undefined): void {
  if (endpoint === undefined) return;
  const cidrs = endpoint.allowedCidrs;
  if (cidrs.length === 0) {
    problems.add("EKS_PUBLIC_ENDPOINT_CIDRS_EMPTY", "publicEndpoint.allowedCidrs", cidrs, "1 to 40 IPv4 CIDRs of the networks that may reach the API");
  }
  if (cidrs.length > EKS_MAX_PUBLIC_ACCESS_CIDRS) {
    problems.add("EKS_PUBLIC_ENDPOINT_CIDR_COUNT", "publicEndpoint.allowedCidrs", cidrs.length, `at most ${EKS_MAX_PUBLIC_ACCESS_CIDRS} CIDRs (EKS quota)`);
  }
  cidrs.forEach((cidr, i) => {
    const path = `publicEndpoint.allowedCidrs[${i}]`;
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!match || match.slice(1, 5).some((o) => Number(o) > 255) || Number(match[5]) > 32) {
      problems.add("EKS_PUBLIC_ENDPOINT_CIDR_INVALID", path, cidr, "an IPv4 CIDR such as 203.0.113.0/24");
    } else if (Number(match[5]) === 0) {
      problems.add("EKS_PUBLIC_ENDPOINT_WORLD_OPEN", path, cidr, "a CIDR narrower than /0: a world-open API endpoint is not offered");
    }
  });
}

/** A readable, stable construct-id suffix for an admin principal: its role name when known. */
function adminIdSuffix(arn: string, index: number): string {
  if (isToken(arn)) return String(index);
  const name = arn.split("/").pop() ?? String(index);
  return name.replace(/[^A-Za-z0-9-]/g, "-");
}

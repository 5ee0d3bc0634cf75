import { TerraformOutput } from "cdktf";
import { Port } from "../../lib/network/connections";
import { KmsKey } from "../../lib/security/kms-key";
import { EksCluster, ADDON_VERSIONS, CONTROL_PLANE_LOG_TYPES, DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS } from "../../lib/eks";
import { onlyResource, resourcesOf, synthJson } from "../helpers/synth";
import { ADMIN, addressByPrefix, clusterProps, keyedStack, platform, resourceByPrefix, validationErrorOf } from "./fixtures";

describe("EksCluster (defaults)", () => {
  const { json } = platform({
    before: ({ cluster, stack }) => {
      const outputs = {
        name: cluster.clusterName,
        endpoint: cluster.endpoint,
        ca: cluster.certificateAuthorityData,
        oidc: cluster.oidcIssuerUrl,
        clusterSg: cluster.clusterSecurityGroupId,
        arn: cluster.clusterArn,
      };
      for (const [id, value] of Object.entries(outputs)) new TerraformOutput(stack, id, { value });
    },
  });
  const eks = onlyResource(json, "aws_eks_cluster");

  test("pins a supported Kubernetes version, the newest by default", () => {
    expect(KUBERNETES_VERSIONS).toContain(DEFAULT_KUBERNETES_VERSION);
    expect(eks.version).toBe(DEFAULT_KUBERNETES_VERSION);
  });

  test("API endpoint is private only", () => {
    expect(eks.vpc_config.endpoint_private_access).toBe(true);
    expect(eks.vpc_config.endpoint_public_access).toBe(false);
    expect(eks.vpc_config.public_access_cidrs).toBeUndefined();
    expect(eks.vpc_config.subnet_ids).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
  });

  test("secrets are envelope-encrypted with the customer-managed key", () => {
    expect(eks.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: "${aws_kms_key.eks.arn}" } });
  });

  test("all five control-plane logs go to an encrypted log group with retention, created before the cluster", () => {
    expect(eks.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(CONTROL_PLANE_LOG_TYPES).toHaveLength(5);
    const logGroup = onlyResource(json, "aws_cloudwatch_log_group");
    expect(logGroup.name).toBe("/aws/eks/headroom-test/cluster");
    expect(logGroup.kms_key_id).toBe("${aws_kms_key.eks.arn}");
    expect(logGroup.retention_in_days).toBe(365);
    // The audit trail outlives a refactoring: protected against destroy and addressed by its name.
    expect(logGroup.lifecycle).toEqual({ prevent_destroy: true });
    expect(eks.depends_on).toContain("aws_cloudwatch_log_group.cluster-control-plane-logs");
  });

  test("access entries only, no implicit creator admin, admins by access policy at cluster scope", () => {
    expect(eks.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    const entry = onlyResource(json, "aws_eks_access_entry");
    expect(entry).toMatchObject({ principal_arn: ADMIN, type: "STANDARD" });
    const association = onlyResource(json, "aws_eks_access_policy_association");
    expect(association.principal_arn).toBe(ADMIN);
    expect(association.policy_arn).toMatch(/^arn:\$\{data\.aws_partition\..*\.partition\}:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/);
    expect(association.access_scope).toEqual({ type: "cluster" });
    expect(association.depends_on).toEqual([addressByPrefix(json, "aws_eks_access_entry", "Cluster_AdminAccess-platform-admin")]);
  });

  test("upgrade policy STANDARD, zonal shift on, deletion protection on, self-managed add-ons not bootstrapped", () => {
    expect(eks.upgrade_policy).toEqual({ support_type: "STANDARD" });
    expect(eks.zonal_shift_config).toEqual({ enabled: true });
    expect(eks.deletion_protection).toBe(true);
    expect(eks.bootstrap_self_managed_addons).toBe(false);
  });

  test("cluster role: trusted by EKS, only AmazonEKSClusterPolicy managed, KMS use scoped to the key", () => {
    const role = resourceByPrefix(json, "aws_iam_role", "Cluster_Role");
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement[0].Principal.Service).toMatch(/^eks\.\$\{data\.aws_partition\..*\.dns_suffix\}$/);
    // Confused-deputy prevention: only this cluster of this account may make EKS use the role.
    expect(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"]).toMatch(/^\$\{data\.aws_caller_identity\..*\.account_id\}$/);
    expect(trust.Statement[0].Condition.ArnLike["aws:SourceArn"]).toMatch(/^arn:\$\{data\.aws_partition\..*\.partition\}:eks:\$\{data\.aws_region\..*\}:\$\{data\.aws_caller_identity\..*\.account_id\}:cluster\/.+$/);
    const attachments = Object.entries(resourcesOf(json, "aws_iam_role_policy_attachment")).filter(([k]) => k.startsWith("Cluster_Amazon"));
    expect(attachments.map(([, a]) => a.policy_arn.split("/").pop())).toEqual(["AmazonEKSClusterPolicy"]);
    const kms = JSON.parse(resourceByPrefix(json, "aws_iam_role_policy", "Cluster_SecretsEncryption").policy);
    expect(kms.Statement).toEqual([
      { Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: "${aws_kms_key.eks.arn}" },
    ]);
    expect(eks.depends_on).toEqual(expect.arrayContaining([addressByPrefix(json, "aws_iam_role_policy", "Cluster_SecretsEncryption")]));
  });

  test("control plane and nodes talk through security-group rules on named ports", () => {
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")) as any[];
    const cpSg = "${aws_security_group.Cluster_ControlPlaneSg_74EAE9F2.id}";
    const nodeSg = "${aws_security_group.Cluster_NodeSg_FDF67955.id}";
    expect(eks.vpc_config.security_group_ids).toEqual([cpSg]);
    const toControlPlane = ingress.filter((r) => r.security_group_id === cpSg);
    expect(toControlPlane.map((r) => [r.from_port, r.referenced_security_group_id])).toEqual([[443, nodeSg]]);
    const fromControlPlane = ingress.filter((r) => r.security_group_id === nodeSg && r.referenced_security_group_id === cpSg).map((r) => r.from_port);
    expect(fromControlPlane.sort((a, b) => a - b)).toEqual([443, 4443, 6443, 8443, 9443, 10250, 15017]);
    const nodeToNode = ingress.filter((r) => r.security_group_id === nodeSg && r.referenced_security_group_id === nodeSg);
    expect(nodeToNode.map((r) => `${r.ip_protocol}/${r.from_port}-${r.to_port}`).sort()).toEqual(["tcp/0-65535", "udp/53-53"]);
    expect(ingress.some((r) => r.cidr_ipv4 === "0.0.0.0/0")).toBe(false);
  });

  test("only the shared node group carries the cluster tag the Load Balancer Controller selects by", () => {
    const groups = resourcesOf(json, "aws_security_group") as Record<string, any>;
    const tagged = Object.entries(groups).filter(([, g]) => Object.keys(g.tags ?? {}).some((k) => k.startsWith("kubernetes.io/cluster/"))).map(([k]) => k);
    expect(tagged).toEqual(["Cluster_NodeSg_FDF67955"]);
    expect(Object.values(groups.Cluster_NodeSg_FDF67955.tags)).toContain("owned");
  });

  test("bootstrap add-ons are pinned, vpc-cni has its own Pod Identity role and enforces NetworkPolicies", () => {
    const pinned = ADDON_VERSIONS[DEFAULT_KUBERNETES_VERSION];
    const vpcCni = resourceByPrefix(json, "aws_eks_addon", "Cluster_VpcCni");
    expect(vpcCni.addon_version).toBe(pinned.vpcCni);
    expect(JSON.parse(vpcCni.configuration_values)).toEqual({ enableNetworkPolicy: "true" });
    expect(vpcCni.pod_identity_association).toEqual([{ role_arn: "${aws_iam_role.Cluster_VpcCniIdentity_51595A3C.arn}", service_account: "aws-node" }]);
    expect(vpcCni.depends_on).toEqual(
      expect.arrayContaining([addressByPrefix(json, "aws_eks_addon", "Cluster_PodIdentityAgent"), addressByPrefix(json, "aws_iam_role_policy_attachment", "Cluster_VpcCniIdentity_ManagedPolicy0")]),
    );
    const cniPolicy = resourceByPrefix(json, "aws_iam_role_policy_attachment", "Cluster_VpcCniIdentity_ManagedPolicy0");
    expect(cniPolicy.policy_arn).toMatch(/:iam::aws:policy\/AmazonEKS_CNI_Policy$/);
    expect(resourceByPrefix(json, "aws_eks_addon", "Cluster_KubeProxy").addon_version).toBe(pinned.kubeProxy);
    expect(resourceByPrefix(json, "aws_eks_addon", "Cluster_PodIdentityAgent").addon_version).toBe(pinned.podIdentityAgent);
    for (const addon of Object.values(resourcesOf(json, "aws_eks_addon")) as any[]) {
      expect(addon.addon_version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      expect(addon.resolve_conflicts_on_create).toBe("OVERWRITE");
    }
    // No association resource of their own: the add-on block creates it (two would conflict).
    expect(resourcesOf(json, "aws_eks_pod_identity_association")).toEqual({});
  });

  test("the Auto Scaling service-linked role gets a grant on the volume key", () => {
    const grant = onlyResource(json, "aws_kms_grant");
    expect(grant.key_id).toBe("${aws_kms_key.eks.arn}");
    expect(grant.grantee_principal).toMatch(/:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/);
    expect(grant.operations).toEqual(expect.arrayContaining(["Decrypt", "GenerateDataKeyWithoutPlaintext", "CreateGrant"]));
  });

  test("outputs for the cluster stack resolve to the cluster's attributes", () => {
    const out = (id: string) => json.output?.[id]?.value;
    const eksAddress = "aws_eks_cluster.cluster";
    expect(out("name")).toBe(`\${${eksAddress}.name}`);
    expect(out("endpoint")).toBe(`\${${eksAddress}.endpoint}`);
    expect(out("ca")).toBe(`\${${eksAddress}.certificate_authority[0].data}`);
    expect(out("oidc")).toBe(`\${${eksAddress}.identity[0].oidc[0].issuer}`);
    expect(out("clusterSg")).toBe(`\${${eksAddress}.vpc_config[0].cluster_security_group_id}`);
    expect(out("arn")).toBe(`\${${eksAddress}.arn}`);
  });
});

describe("EksCluster (options follow the props)", () => {
  const { stack, key } = keyedStack();
  const logsKey = new KmsKey(stack, "LogsKey", { alias: "logs", description: "logs", allowCloudWatchLogs: true });
  const cluster = new EksCluster(
    stack,
    "Cluster",
    clusterProps(key, {
      clusterName: "headroom-dev",
      kubernetesVersion: "1.33",
      publicEndpoint: { allowedCidrs: ["203.0.113.0/24", "198.51.100.7/32"] },
      extendedSupport: true,
      zonalShift: false,
      deletionProtection: false,
      auditLogPreventDestroy: false,
      logRetentionDays: 30,
      addonVersions: { vpcCni: "v1.21.2-eksbuild.2" },
      adminRoleArns: [ADMIN, "arn:aws:iam::123456789012:role/ci-deployer"],
      logsKmsKey: logsKey,
      controlPlaneToNodePorts: [Port.tcp(10250), Port.tcp(8080)],
    }),
  );
  const json = synthJson(stack);
  const eks = onlyResource(json, "aws_eks_cluster");

  test("public endpoint only with the given allow-list, private endpoint kept", () => {
    expect(eks.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24", "198.51.100.7/32"] });
  });

  test("version, support type, zonal shift, deletion protection and log retention follow", () => {
    expect(eks.version).toBe("1.33");
    expect(eks.upgrade_policy.support_type).toBe("EXTENDED");
    expect(eks.zonal_shift_config.enabled).toBe(false);
    expect(eks.deletion_protection).toBe(false);
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/eks/headroom-dev/cluster", retention_in_days: 30 });
    // The teardown opt-out: the audit log group may be destroyed, at the same address as when protected.
    expect(onlyResource(json, "aws_cloudwatch_log_group").lifecycle).toBeUndefined();
    expect(Object.keys(resourcesOf(json, "aws_cloudwatch_log_group"))).toEqual(["cluster-control-plane-logs"]);
  });

  test("a separate logs key and custom control-plane-to-node ports are used", () => {
    expect(onlyResource(json, "aws_cloudwatch_log_group").kms_key_id).toMatch(/^\$\{aws_kms_key\.logs\.arn\}$/);
    expect(onlyResource(json, "aws_eks_cluster").encryption_config.provider.key_arn).toMatch(/^\$\{aws_kms_key\.eks\.arn\}$/);
    const cpSg = `\${${addressByPrefix(json, "aws_security_group", "Cluster_ControlPlaneSg")}.id}`;
    const ports = (Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")) as any[])
      .filter((r) => r.referenced_security_group_id === cpSg)
      .map((r) => r.from_port)
      .sort((a, b) => a - b);
    expect(ports).toEqual([8080, 10250]);
  });

  test("add-on versions follow the Kubernetes version and overrides", () => {
    expect(cluster.addonVersions.kubeProxy).toBe(ADDON_VERSIONS["1.33"].kubeProxy);
    expect(cluster.addonVersions.kubeProxy).toMatch(/^v1\.33\./);
    expect(resourceByPrefix(json, "aws_eks_addon", "Cluster_KubeProxy").addon_version).toBe(ADDON_VERSIONS["1.33"].kubeProxy);
    expect(resourceByPrefix(json, "aws_eks_addon", "Cluster_VpcCni").addon_version).toBe("v1.21.2-eksbuild.2");
  });

  test("one access entry and association per admin role", () => {
    expect(Object.keys(resourcesOf(json, "aws_eks_access_entry")).sort()).toEqual([
      expect.stringMatching(/^Cluster_AdminAccess-ci-deployer_/),
      expect.stringMatching(/^Cluster_AdminAccess-platform-admin_/),
    ]);
    expect(Object.keys(resourcesOf(json, "aws_eks_access_policy_association"))).toHaveLength(2);
  });

  test("kube-proxy pins match each supported minor version", () => {
    for (const version of KUBERNETES_VERSIONS) expect(ADDON_VERSIONS[version].kubeProxy).toMatch(new RegExp(`^v${version.replace(".", "\\.")}\\.`));
  });
});

describe("EksCluster fails when", () => {
  const build = (overrides: Parameters<typeof clusterProps>[1]) => {
    const { stack, key } = keyedStack();
    return validationErrorOf(() => new EksCluster(stack, "Cluster", clusterProps(key, overrides)));
  };

  test("the Kubernetes version is not supported", () => {
    const error = build({ kubernetesVersion: "1.29" });
    expect(error.codes).toEqual(["EKS_VERSION_UNSUPPORTED"]);
    expect(error.message).toContain('kubernetesVersion [EKS_VERSION_UNSUPPORTED]: got "1.29"; allowed: one of "1.33", "1.34", "1.35"');
  });

  test("the public endpoint allow-list is empty", () => {
    expect(build({ publicEndpoint: { allowedCidrs: [] } }).codes).toEqual(["EKS_PUBLIC_ENDPOINT_CIDRS_EMPTY"]);
  });

  test("the public endpoint is open to the world or malformed", () => {
    const error = build({ publicEndpoint: { allowedCidrs: ["0.0.0.0/0", "10.0.0.0/33", "203.0.113.0/24"] } });
    expect(error.codes).toEqual(["EKS_PUBLIC_ENDPOINT_WORLD_OPEN", "EKS_PUBLIC_ENDPOINT_CIDR_INVALID"]);
    expect(error.problems[0].path).toBe("publicEndpoint.allowedCidrs[0]");
  });

  test("the public endpoint lists more CIDRs than EKS accepts", () => {
    const cidrs = Array.from({ length: 41 }, (_, i) => `198.51.${i}.0/24`);
    expect(build({ publicEndpoint: { allowedCidrs: cidrs } }).codes).toEqual(["EKS_PUBLIC_ENDPOINT_CIDR_COUNT"]);
  });

  test("there is no admin, or an admin is not a role ARN", () => {
    expect(build({ adminRoleArns: [] }).codes).toEqual(["EKS_ADMIN_ROLES_EMPTY"]);
    expect(build({ adminRoleArns: ["arn:aws:iam::123456789012:user/alice"] }).codes).toEqual(["EKS_ADMIN_ROLE_ARN"]);
  });

  test("several props are wrong at once: every problem is reported", () => {
    const error = build({
      clusterName: "-bad name",
      kubernetesVersion: "1.40",
      subnetIds: ["subnet-a"],
      publicEndpoint: { allowedCidrs: ["0.0.0.0/0"] },
      addonVersions: { coreDns: "latest" },
    });
    expect(error.codes).toEqual(["EKS_CLUSTER_NAME", "EKS_VERSION_UNSUPPORTED", "EKS_SUBNETS", "EKS_PUBLIC_ENDPOINT_WORLD_OPEN", "EKS_ADDON_VERSION"]);
  });
});

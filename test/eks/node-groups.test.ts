import { GpuCapacity, GpuNodeGroup, SystemNodeGroup, EksCluster, GPU_ROOT_VOLUME_DEFAULTS } from "../../lib/eks";
import { Port, SecurityGroup } from "../../lib/network/connections";
import { KmsKey } from "../../lib/security/kms-key";
import { resourcesOf, synthJson } from "../helpers/synth";
import { SUBNETS, addressByPrefix, clusterProps, keyedStack, platform, resourceByPrefix, validationErrorOf } from "./fixtures";

const KEY_ARN = "${aws_kms_key.eks.arn}";

describe("GPU and system node groups (defaults)", () => {
  const { json } = platform({
    before: ({ stack, gpuNodes }) => {
      const redis = new SecurityGroup(stack, "RedisSg", { vpcId: "vpc-1", description: "Redis response cache" });
      redis.connections.allowFrom(gpuNodes, Port.tcp(6379), "inference pods read the response cache");
    },
  });
  const gpuGroups = Object.entries(resourcesOf(json, "aws_eks_node_group")).filter(([k]) => k.startsWith("GpuNodes_"));
  const gpuTemplates = Object.entries(resourcesOf(json, "aws_launch_template")).filter(([k]) => k.startsWith("GpuNodes_"));
  const system = resourceByPrefix(json, "aws_eks_node_group", "SystemNodes_");
  const allTemplates = Object.values(resourcesOf(json, "aws_launch_template")) as any[];

  test("one GPU node group per AZ, min and desired split exactly, max rounded up per zone", () => {
    expect(gpuGroups.map(([, g]) => g.subnet_ids)).toEqual([["subnet-a"], ["subnet-b"], ["subnet-c"]]);
    expect(gpuGroups.map(([, g]) => g.scaling_config)).toEqual([
      { min_size: 1, desired_size: 2, max_size: 3 },
      { min_size: 1, desired_size: 1, max_size: 3 },
      { min_size: 0, desired_size: 1, max_size: 3 },
    ]);
  });

  test("GPU nodes run the AL2023 NVIDIA AMI on the requested type, tainted and labelled", () => {
    for (const [, g] of gpuGroups) {
      expect(g.ami_type).toBe("AL2023_x86_64_NVIDIA");
      expect(g.instance_types).toEqual(["p5.48xlarge"]);
      expect(g.capacity_type).toBe("ON_DEMAND");
      expect(g.taint).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
      expect(g.labels).toEqual({ "headroom.dev/node-role": "gpu", "headroom.dev/gpu-family": "p5" });
      expect(g.version).toBe("1.35");
    }
  });

  test("no node group installs drivers or passes user data (the NVIDIA AMI has them)", () => {
    for (const t of allTemplates) {
      expect(t.user_data).toBeUndefined();
      expect(t.image_id).toBeUndefined();
    }
  });

  test("every launch template: IMDSv2 required, hop limit 1, detailed monitoring, no public IP", () => {
    expect(allTemplates).toHaveLength(4);
    for (const t of allTemplates) {
      expect(t.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" });
      expect(t.monitoring).toEqual({ enabled: true });
      expect(t.network_interfaces).toHaveLength(1);
      expect(t.network_interfaces[0].associate_public_ip_address).toBe("false");
    }
  });

  test("GPU root volume: encrypted gp3 with the customer-managed key, sized for images and model cache", () => {
    for (const [, t] of gpuTemplates) {
      expect(t.block_device_mappings).toEqual([
        {
          device_name: "/dev/xvda",
          ebs: {
            volume_type: "gp3",
            volume_size: GPU_ROOT_VOLUME_DEFAULTS.sizeGiB,
            iops: 6000,
            throughput: 500,
            encrypted: "true",
            kms_key_id: KEY_ARN,
            delete_on_termination: "true",
          },
        },
      ]);
    }
    expect(GPU_ROOT_VOLUME_DEFAULTS.sizeGiB).toBe(500);
  });

  test("node repair on, one node at a time, launch template version tracked, replaced before destroyed", () => {
    for (const g of [...gpuGroups.map(([, g]) => g), system]) {
      expect(g.node_repair_config).toEqual({ enabled: true });
      expect(g.update_config).toEqual({ max_unavailable: 1 });
      expect(g.launch_template.version).toMatch(/^\$\{aws_launch_template\..*\.latest_version\}$/);
      expect(g.lifecycle).toEqual({ create_before_destroy: true });
    }
  });

  test("nodes wait for the CNI, kube-proxy, Pod Identity agent, the KMS grant and their role's policies", () => {
    const deps = gpuGroups[0][1].depends_on as string[];
    expect(deps).toEqual(
      expect.arrayContaining([
        addressByPrefix(json, "aws_eks_addon", "Cluster_VpcCni"),
        addressByPrefix(json, "aws_eks_addon", "Cluster_KubeProxy"),
        addressByPrefix(json, "aws_eks_addon", "Cluster_PodIdentityAgent"),
        addressByPrefix(json, "aws_kms_grant", "Cluster_NodeVolumeKeyGrant"),
        addressByPrefix(json, "aws_iam_role_policy_attachment", "GpuNodes_NodeRole_AmazonEKSWorkerNodePolicy"),
      ]),
    );
  });

  test("node roles: EC2 trust, worker node and ECR pull-only policies, no CNI policy", () => {
    for (const prefix of ["GpuNodes_NodeRole", "SystemNodes_NodeRole"]) {
      const trust = JSON.parse(resourceByPrefix(json, "aws_iam_role", prefix).assume_role_policy);
      expect(trust.Statement[0].Principal.Service).toMatch(/^ec2\./);
      const policies = Object.entries(resourcesOf(json, "aws_iam_role_policy_attachment"))
        .filter(([k]) => k.startsWith(prefix))
        .map(([, a]) => a.policy_arn.split("/").pop())
        .sort();
      expect(policies).toEqual(["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy"]);
    }
  });

  test("system nodes: on-demand, multi-AZ, AL2023 standard, labelled, smaller encrypted root volume", () => {
    expect(system).toMatchObject({
      ami_type: "AL2023_x86_64_STANDARD",
      capacity_type: "ON_DEMAND",
      instance_types: ["m7i.xlarge"],
      subnet_ids: SUBNETS,
      labels: { "headroom.dev/node-role": "system" },
      scaling_config: { min_size: 2, desired_size: 3, max_size: 6 },
    });
    expect(system.taint).toEqual([]);
    const template = resourceByPrefix(json, "aws_launch_template", "SystemNodes_");
    expect(template.block_device_mappings[0].ebs).toMatchObject({ volume_type: "gp3", volume_size: 100, encrypted: "true", kms_key_id: KEY_ARN });
  });

  test("nodes carry the cluster node group and their own; the data tier opens ports to the GPU group only", () => {
    const gpuSg = "${aws_security_group.GpuNodes_Sg_27379E93.id}";
    for (const [, t] of gpuTemplates) {
      expect(t.network_interfaces[0].security_groups).toEqual(["${aws_security_group.Cluster_NodeSg_FDF67955.id}", gpuSg]);
    }
    const redisRule = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).find((r: any) => r.from_port === 6379) as any;
    expect(redisRule).toMatchObject({ referenced_security_group_id: gpuSg, to_port: 6379, ip_protocol: "tcp" });
    // GPU nodes allow all outbound, so no egress rule was needed for Redis.
    expect(Object.keys(resourcesOf(json, "aws_vpc_security_group_egress_rule")).filter((k) => k.startsWith("GpuNodes_"))).toEqual([
      expect.stringMatching(/^GpuNodes_Sg_Egress-anywhere-all_/),
    ]);
  });
});

describe("node groups follow their props", () => {
  const { json, gpuNodes } = platform({
    system: { instanceType: "c7i.2xlarge", minSize: 3, desiredSize: 4, maxSize: 9, rootVolume: { sizeGiB: 200 }, labels: { team: "platform" } },
    gpu: {
      instanceType: "g6e.12xlarge",
      minSize: 3,
      desiredSize: 5,
      maxSize: 10,
      subnetIds: ["subnet-a", "subnet-b"],
      rootVolume: { sizeGiB: 1000, iops: 10000, throughputMiBps: 1000 },
      capacity: GpuCapacity.openReservations(),
      ignoreDesiredSizeChanges: true,
    },
  });
  const gpuGroups = Object.entries(resourcesOf(json, "aws_eks_node_group")).filter(([k]) => k.startsWith("GpuNodes_"));

  test("GPU instance type, family label, zones and counts follow", () => {
    expect(gpuGroups.map(([, g]) => [g.instance_types, g.labels["headroom.dev/gpu-family"], g.subnet_ids, g.scaling_config])).toEqual([
      [["g6e.12xlarge"], "g6e", ["subnet-a"], { min_size: 2, desired_size: 3, max_size: 5 }],
      [["g6e.12xlarge"], "g6e", ["subnet-b"], { min_size: 1, desired_size: 2, max_size: 5 }],
    ]);
    expect(gpuNodes.zoneCounts.reduce((s, z) => s + z.desiredSize, 0)).toBe(5);
    expect(gpuGroups.every(([, g]) => g.lifecycle.ignore_changes[0] === "scaling_config[0].desired_size")).toBe(true);
  });

  test("root volume and open capacity reservations follow", () => {
    const t = resourceByPrefix(json, "aws_launch_template", "GpuNodes_Zone0");
    expect(t.block_device_mappings[0].ebs).toMatchObject({ volume_size: 1000, iops: 10000, throughput: 1000 });
    expect(t.capacity_reservation_specification).toEqual({ capacity_reservation_preference: "open" });
  });

  test("system instance type, counts, volume and extra labels follow", () => {
    const system = resourceByPrefix(json, "aws_eks_node_group", "SystemNodes_");
    expect(system.instance_types).toEqual(["c7i.2xlarge"]);
    expect(system.scaling_config).toEqual({ min_size: 3, desired_size: 4, max_size: 9 });
    expect(system.labels).toEqual({ team: "platform", "headroom.dev/node-role": "system" });
    expect(resourceByPrefix(json, "aws_launch_template", "SystemNodes_").block_device_mappings[0].ebs.volume_size).toBe(200);
  });
});

describe("GPU capacity variants", () => {
  const { stack, key } = keyedStack();
  const cluster = new EksCluster(stack, "Cluster", clusterProps(key));
  const otherKey = new KmsKey(stack, "VolumeKey", { alias: "gpu-volumes", description: "GPU volumes" });
  new GpuNodeGroup(stack, "Block", {
    cluster,
    subnetIds: ["subnet-b"],
    instanceType: "p5en.48xlarge",
    minSize: 0,
    desiredSize: 0,
    maxSize: 2,
    capacity: GpuCapacity.capacityBlock("cr-02168da1478b509e0"),
  });
  new GpuNodeGroup(stack, "Reserved", {
    cluster,
    subnetIds: ["subnet-c"],
    instanceType: "p4d.24xlarge",
    minSize: 1,
    desiredSize: 1,
    maxSize: 1,
    capacity: GpuCapacity.reservation("cr-0123456789abcdef0"),
    rootVolumeKmsKey: otherKey,
  });
  new GpuNodeGroup(stack, "MultiAz", { cluster, subnetIds: SUBNETS, instanceType: "g5.xlarge", minSize: 3, desiredSize: 3, maxSize: 6, perAvailabilityZone: false });
  const json = synthJson(stack);

  test("a Capacity Block: CAPACITY_BLOCK type, market type and target in the template, instance type there only", () => {
    const group = resourceByPrefix(json, "aws_eks_node_group", "Block_NodeGroup");
    expect(group.capacity_type).toBe("CAPACITY_BLOCK");
    expect(group.instance_types).toBeUndefined();
    expect(group.subnet_ids).toEqual(["subnet-b"]);
    const t = resourceByPrefix(json, "aws_launch_template", "Block_NodeGroup");
    expect(t.instance_type).toBe("p5en.48xlarge");
    expect(t.instance_market_options).toEqual({ market_type: "capacity-block" });
    expect(t.capacity_reservation_specification).toEqual({ capacity_reservation_target: { capacity_reservation_id: "cr-02168da1478b509e0" } });
  });

  test("a targeted reservation: on-demand type, reservation target, own KMS grant for its volume key", () => {
    const group = resourceByPrefix(json, "aws_eks_node_group", "Reserved_NodeGroup");
    expect(group.capacity_type).toBe("ON_DEMAND");
    expect(group.instance_types).toEqual(["p4d.24xlarge"]);
    const t = resourceByPrefix(json, "aws_launch_template", "Reserved_NodeGroup");
    expect(t.capacity_reservation_specification.capacity_reservation_target.capacity_reservation_id).toBe("cr-0123456789abcdef0");
    expect(t.instance_market_options).toBeUndefined();
    expect(t.block_device_mappings[0].ebs.kms_key_id).toMatch(/^\$\{aws_kms_key\.gpu-volumes\.arn\}$/);
    expect(resourceByPrefix(json, "aws_kms_grant", "Reserved_VolumeKeyGrant").key_id).toMatch(/^\$\{aws_kms_key\.gpu-volumes\.arn\}$/);
    expect(group.depends_on).toContain(addressByPrefix(json, "aws_kms_grant", "Reserved_VolumeKeyGrant"));
  });

  test("one multi-AZ group when asked", () => {
    const group = resourceByPrefix(json, "aws_eks_node_group", "MultiAz_NodeGroup");
    expect(group.subnet_ids).toEqual(SUBNETS);
    expect(group.scaling_config).toEqual({ min_size: 3, desired_size: 3, max_size: 6 });
    expect(resourceByPrefix(json, "aws_launch_template", "MultiAz_NodeGroup").capacity_reservation_specification).toBeUndefined();
  });
});

describe("node groups fail when", () => {
  const { stack, key } = keyedStack();
  const cluster = new EksCluster(stack, "Cluster", clusterProps(key));
  let n = 0;
  const gpu = (props: Partial<ConstructorParameters<typeof GpuNodeGroup>[2]>) =>
    validationErrorOf(() => new GpuNodeGroup(stack, `Gpu${n++}`, { cluster, subnetIds: SUBNETS, instanceType: "p5.48xlarge", minSize: 1, desiredSize: 2, maxSize: 3, ...props }));
  const system = (props: Partial<ConstructorParameters<typeof SystemNodeGroup>[2]>) =>
    validationErrorOf(() => new SystemNodeGroup(stack, `System${n++}`, { cluster, subnetIds: SUBNETS, ...props }));

  test("the GPU instance type has no GPU or is not in the catalogue", () => {
    for (const instanceType of ["m7i.xlarge", "inf2.xlarge", "g4dn.xlarge", "p5.48xl", "p5"]) {
      const error = gpu({ instanceType });
      expect(error.codes).toEqual(["GPU_INSTANCE_TYPE_UNKNOWN"]);
    }
    expect(gpu({ instanceType: "g4dn.xlarge" }).message).toContain("g5, g6, g6e, p4d, p4de, p5, p5e, p5en, p6-b200");
  });

  test("min > desired or desired > max", () => {
    expect(gpu({ minSize: 3, desiredSize: 2, maxSize: 4 }).codes).toEqual(["NODE_GROUP_MIN_GT_DESIRED"]);
    expect(gpu({ minSize: 1, desiredSize: 5, maxSize: 4 }).codes).toEqual(["NODE_GROUP_DESIRED_GT_MAX"]);
    expect(system({ minSize: 4, desiredSize: 3 }).codes).toEqual(["NODE_GROUP_MIN_GT_DESIRED"]);
  });

  test("counts are negative, fractional or zero max", () => {
    expect(gpu({ minSize: -1, desiredSize: 1.5, maxSize: 0 }).codes).toEqual(["NODE_GROUP_SIZE", "NODE_GROUP_SIZE", "NODE_GROUP_SIZE"]);
  });

  test("counts exceed the managed node group quota (450 per group, per zonal group)", () => {
    const single = gpu({ perAvailabilityZone: false, maxSize: 451 });
    expect(single.codes).toEqual(["NODE_GROUP_MAX_QUOTA"]);
    expect(single.message).toContain("at most 450 nodes per managed node group");
    expect(gpu({ maxSize: 1351 }).codes).toEqual(["NODE_GROUP_MAX_QUOTA"]);
    expect(() => new GpuNodeGroup(stack, "ThreeZones", { cluster, subnetIds: SUBNETS, instanceType: "p5.48xlarge", minSize: 1, desiredSize: 1, maxSize: 1350 })).not.toThrow();
    expect(system({ maxSize: 600 }).codes).toEqual(["NODE_GROUP_MAX_QUOTA"]);
    expect(() => new SystemNodeGroup(stack, "Raised", { cluster, subnetIds: SUBNETS, maxSize: 600, maxNodesQuota: 1000 })).not.toThrow();
  });

  test("a zonal reservation spans several subnets or has a malformed id", () => {
    expect(gpu({ capacity: GpuCapacity.capacityBlock("cr-02168da1478b509e0") }).codes).toEqual(["GPU_CAPACITY_SINGLE_SUBNET"]);
    expect(gpu({ capacity: GpuCapacity.reservation("res-1"), subnetIds: ["subnet-a"] }).codes).toEqual(["GPU_CAPACITY_RESERVATION_ID"]);
  });

  test("labels use reserved prefixes or bad syntax", () => {
    const error = gpu({ labels: { "node.kubernetes.io/instance-type": "p5", "node-role.kubernetes.io/gpu": "", "eks.amazonaws.com/x": "y", "k8s.io/a": "b", "bad key!": "v" } });
    expect(error.codes).toEqual(["NODE_LABEL_RESERVED", "NODE_LABEL_RESERVED", "NODE_LABEL_RESERVED", "NODE_LABEL_RESERVED", "NODE_LABEL_INVALID"]);
  });

  test("the root volume is outside gp3 limits", () => {
    expect(gpu({ rootVolume: { sizeGiB: 50 } }).codes).toEqual(["NODE_VOLUME_SIZE"]);
    expect(gpu({ rootVolume: { iops: 90000 } }).codes).toEqual(["NODE_VOLUME_IOPS"]);
    expect(gpu({ rootVolume: { throughputMiBps: 2000, iops: 6000 } }).codes).toEqual(["NODE_VOLUME_THROUGHPUT"]);
    expect(system({ rootVolume: { sizeGiB: 20, iops: 16000 } }).codes).toEqual(["NODE_VOLUME_IOPS"]);
  });

  test("the system instance type is arm64, a GPU type or malformed; or fewer than two subnets", () => {
    expect(system({ instanceType: "m7g.xlarge" }).codes).toEqual(["NODE_INSTANCE_ARCH"]);
    expect(system({ instanceType: "g5.xlarge" }).codes).toEqual(["NODE_INSTANCE_TYPE"]);
    expect(system({ instanceType: "large" }).codes).toEqual(["NODE_INSTANCE_TYPE"]);
    expect(system({ subnetIds: ["subnet-a"] }).codes).toEqual(["NODE_GROUP_SUBNETS"]);
  });
});

import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Problems } from "../core/validation";
import { GpuCapacity, CAPACITY_RESERVATION_ID_PATTERN } from "./gpu-capacity";
import { GPU_ROOT_VOLUME_DEFAULTS, GPU_TAINT } from "./gpu-node-group";
import { gpuFamilyOf, GPU_INSTANCE_FAMILIES } from "./gpu-instance-types";
import { GPU_FAMILY_LABEL, NODE_ROLE_LABEL, RootVolumeOptions } from "./node-group-options";
import { karpenterSchemaErrors } from "./private/karpenter-crds/validate";
import { definedOnly, isToken } from "./private/validate";

/** Label Karpenter GPU nodes carry with the pool's purpose (`serving` or `async`). */
export const GPU_POOL_LABEL = "headroom.dev/gpu-pool";
/** Taint of the opt-in spot pool: only pods that tolerate interruption (async) land there. */
export const SPOT_TAINT = { key: "headroom.dev/capacity", value: "spot", effect: "NoSchedule" } as const;

/** A daily window during which no serving GPU node is disrupted (NodePool budget `nodes: "0"`). */
export interface PeakWindow {
  /** Start, as a UTC cron expression (Karpenter budgets are evaluated in UTC), e.g. `0 17 * * *`. */
  readonly cronUtc: string;
  /** Length of the window in minutes (1-1440). */
  readonly durationMinutes: number;
}

/** A pre-populated EBS snapshot with the model weights, attached to every GPU node. */
export interface ModelSnapshotVolume {
  /** Snapshot id, e.g. `snap-0123456789abcdef0`; encrypted with the node volume key (see lib/eks/README.md). */
  readonly snapshotId: string;
  /** Volume size in GiB (at least the snapshot's). */
  readonly sizeGiB: number;
  /**
   * gp3 throughput in MiB/s (125-1000, EC2NodeClass schema). The model load reads the weights
   * once at this rate once the blocks are initialized.
   * @default 1000
   */
  readonly throughputMiBps?: number;
  /**
   * EBS Provisioned Rate for Volume Initialization, MiB/s (100-300): blocks are fetched from S3 at
   * this rate after launch, instead of on first read. Unset, first reads are lazily fetched.
   * @default 300
   */
  readonly volumeInitializationRateMiBps?: number;
  /**
   * Filesystem label of the snapshot's volume; user data mounts `LABEL=<label>` read-only at `mountPath`.
   * @default "headroom-models"
   */
  readonly filesystemLabel?: string;
  /** @default "/opt/headroom/models" */
  readonly mountPath?: string;
}

/** Properties of {@link KarpenterGpuNodePool}. */
export interface KarpenterGpuNodePoolProps {
  /** Name of the EC2NodeClass and the NodePool prefix (DNS-1123 label), e.g. `gpu-inference`. */
  readonly name: string;
  /** Cluster name (instance tags, discovery). */
  readonly clusterName: string;
  /** Name of the node instance role (`KarpenterNodeInfrastructure.nodeRoleName`). */
  readonly nodeRoleName: string;
  /** Private subnets nodes launch in (ids; tokens are fine). */
  readonly subnetIds: readonly string[];
  /** Security groups of the nodes (ids; tokens are fine). */
  readonly securityGroupIds: readonly string[];
  /**
   * Instance types the pool may launch, preferred first (the plan's `compatibleInstances`). One
   * NodePool per instance family, because `headroom.dev/gpu-family` is a static template label;
   * the first family's pool gets the highest weight.
   */
  readonly instanceTypes: readonly string[];
  /** GPUs per node of each type, for the limit and the family pools. */
  readonly gpusPerInstance: Readonly<Record<string, number>>;
  /** Upper bound on `nvidia.com/gpu` across the pool's nodes (plan: `nodes.max x gpusPerNode`). */
  readonly maxGpus: number;
  /** Key ARN of the encrypted volumes. */
  readonly volumeKmsKeyArn: string;
  /** Root volume. @default GPU_ROOT_VOLUME_DEFAULTS */
  readonly rootVolume?: RootVolumeOptions;
  /** The model weights' snapshot volume. @default none: the pod downloads weights from S3 */
  readonly modelVolume?: ModelSnapshotVolume;
  /**
   * How the nodes are bought: `onDemand`, `openReservations` (reserved first, then on-demand),
   * `reservation(id)` or `capacityBlock(id)` (only that reservation).
   * @default GpuCapacity.onDemand()
   */
  readonly capacity?: GpuCapacity;
  /** Windows in which no node of the serving pool may be disrupted. @default none */
  readonly peakWindows?: readonly PeakWindow[];
  /**
   * Minutes an empty node lives before it is removed (`consolidateAfter`, policy `WhenEmpty`: a GPU
   * node running a replica is never consolidated away to save money, its warm-up costs minutes).
   * @default 10
   */
  readonly consolidateAfterMinutes?: number;
  /**
   * An extra spot pool for interruption-tolerant async GPU work: tainted `headroom.dev/capacity=spot`,
   * its own GPU limit. Serving pools never use spot.
   * @default none
   */
  readonly asyncSpot?: { readonly maxGpus: number };
  /** Tags on instances, volumes and launch templates. @default none */
  readonly tags?: Readonly<Record<string, string>>;
  /** What the manifests wait for (the Karpenter release, so the CRDs exist). @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** One Karpenter object, already validated. */
export interface KarpenterObject {
  readonly apiVersion: string;
  readonly kind: "NodePool" | "EC2NodeClass";
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: Record<string, unknown>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const CRON = /^(\S+\s+){4}\S+$/;

/**
 * GPU nodes through Karpenter: one `EC2NodeClass` and, per instance family the plan allows, a
 * serving `NodePool`; optionally a spot pool for async work. Every object is validated against
 * the pinned karpenter-crd 1.14.1 schemas at synth, and emitted as `kubernetes_manifest`.
 *
 * Hardening: AL2023 (alias `al2023@latest`: Karpenter picks the NVIDIA variant for GPU types),
 * IMDSv2 required with hop limit 1 (pods cannot reach the node role), no public IP, encrypted gp3
 * volumes with the customer-managed key, detailed monitoring, taint `nvidia.com/gpu=true:NoSchedule`.
 *
 * Disruption: policy `WhenEmpty` (a replica is never evicted to consolidate), `expireAfter: Never`
 * (expiry is forceful in Karpenter v1 and ignores budgets; drift to a new AMI is graceful and does
 * honour them), a budget of one node at a time, and `nodes: "0"` during each peak window, so a
 * serving GPU is only replaced outside the peak, or when AWS takes it (interruption, failure).
 *
 * @example
 * new KarpenterGpuNodePool(this, "GpuPool", {
 *   name: "gpu-inference", clusterName, nodeRoleName, subnetIds, securityGroupIds,
 *   instanceTypes: ["p5.48xlarge", "p5en.48xlarge"], gpusPerInstance: { "p5.48xlarge": 8, "p5en.48xlarge": 8 },
 *   maxGpus: 32, volumeKmsKeyArn, peakWindows: [{ cronUtc: "0 17 * * *", durationMinutes: 300 }],
 * });
 */
export class KarpenterGpuNodePool extends Construct {
  /** The validated objects, node class first. */
  public readonly objects: readonly KarpenterObject[];
  /** The `kubernetes_manifest` resources, in the order of `objects`. */
  public readonly manifests: readonly Manifest[];
  /** Names of the serving NodePools (FIS targets nodes by the `karpenter.sh/nodepool` tag). */
  public readonly servingPoolNames: readonly string[];

  public constructor(scope: Construct, id: string, props: KarpenterGpuNodePoolProps) {
    super(scope, id);
    const problems = new Problems(`KarpenterGpuNodePool '${this.node.path}' props`);
    const capacity = props.capacity ?? GpuCapacity.onDemand();
    const root = { ...GPU_ROOT_VOLUME_DEFAULTS, ...definedOnly(props.rootVolume) };
    if (!DNS_LABEL.test(props.name) || props.name.length > 50) problems.add("KARPENTER_POOL_NAME", "name", props.name, "a DNS-1123 label of at most 50 characters (pool names append -<family>)");
    if (props.instanceTypes.length === 0) problems.add("KARPENTER_INSTANCE_TYPES", "instanceTypes", props.instanceTypes, "at least one GPU instance type");
    for (const [i, t] of props.instanceTypes.entries()) {
      if (gpuFamilyOf(t) === undefined) problems.add("GPU_INSTANCE_TYPE_UNKNOWN", `instanceTypes[${i}]`, t, `an instance type of a GPU family Headroom supports: ${GPU_INSTANCE_FAMILIES.join(", ")}`);
      const g = props.gpusPerInstance[t];
      if (g === undefined || !Number.isInteger(g) || g < 1) problems.add("KARPENTER_GPUS_PER_INSTANCE", `gpusPerInstance.${t}`, g, "the GPU count of the instance type (integer >= 1)");
    }
    problems.checkNumber("KARPENTER_MAX_GPUS", "maxGpus", props.maxGpus, { min: 1, max: 10_000, integer: true });
    if (props.subnetIds.length === 0) problems.add("NODE_SUBNETS", "subnetIds", props.subnetIds, "at least one private subnet");
    if (props.securityGroupIds.length === 0) problems.add("KARPENTER_SECURITY_GROUPS", "securityGroupIds", props.securityGroupIds, "at least one security group");
    for (const [i, w] of (props.peakWindows ?? []).entries()) {
      if (!CRON.test(w.cronUtc)) problems.add("KARPENTER_PEAK_WINDOW", `peakWindows[${i}].cronUtc`, w.cronUtc, "a five-field cron expression in UTC, e.g. 0 17 * * *");
      problems.checkNumber("KARPENTER_PEAK_WINDOW", `peakWindows[${i}].durationMinutes`, w.durationMinutes, { min: 1, max: 1440, integer: true });
    }
    problems.checkNumber("KARPENTER_CONSOLIDATE_AFTER", "consolidateAfterMinutes", props.consolidateAfterMinutes ?? 10, { min: 1, max: 1440, integer: true });
    if (capacity.reservationId !== undefined && !CAPACITY_RESERVATION_ID_PATTERN.test(capacity.reservationId)) {
      problems.add("GPU_CAPACITY_RESERVATION_ID", "capacity.reservationId", capacity.reservationId, "a capacity reservation id such as cr-0123456789abcdef0");
    }
    const mv = props.modelVolume;
    if (mv) {
      if (!isToken(mv.snapshotId) && !/^snap-[0-9a-f]{8,17}$/.test(mv.snapshotId)) problems.add("KARPENTER_MODEL_SNAPSHOT", "modelVolume.snapshotId", mv.snapshotId, "an EBS snapshot id such as snap-0123456789abcdef0");
      problems.checkNumber("KARPENTER_MODEL_VOLUME", "modelVolume.sizeGiB", mv.sizeGiB, { min: 1, max: 16_384, integer: true });
      problems.checkNumber("KARPENTER_MODEL_VOLUME", "modelVolume.throughputMiBps", mv.throughputMiBps ?? 1000, { min: 125, max: 1000, integer: true });
      problems.checkNumber("KARPENTER_MODEL_VOLUME", "modelVolume.volumeInitializationRateMiBps", mv.volumeInitializationRateMiBps ?? 300, { min: 100, max: 300, integer: true });
    }
    if (props.asyncSpot) problems.checkNumber("KARPENTER_MAX_GPUS", "asyncSpot.maxGpus", props.asyncSpot.maxGpus, { min: 1, max: 10_000, integer: true });
    problems.throwIfAny();

    const nodeClass = ec2NodeClass(props, capacity, root);
    const families = [...new Set(props.instanceTypes.map((t) => gpuFamilyOf(t) as string))];
    const pools: KarpenterObject[] = families.map((family, i) =>
      nodePool(props, {
        name: `${props.name}-${family}`,
        family,
        instanceTypes: props.instanceTypes.filter((t) => gpuFamilyOf(t) === family),
        capacityTypes: capacity.kind === "onDemand" ? ["on-demand"] : capacity.isZonal ? ["reserved"] : ["reserved", "on-demand"],
        purpose: "serving",
        maxGpus: props.maxGpus,
        // Preferred family first (NodePool weight: higher is tried first).
        weight: Math.max(1, 100 - i * 10),
      }),
    );
    if (props.asyncSpot) {
      pools.push(
        nodePool(props, {
          name: `${props.name}-async-spot`,
          family: families[0] as string,
          instanceTypes: props.instanceTypes.filter((t) => gpuFamilyOf(t) === families[0]),
          capacityTypes: ["spot"],
          purpose: "async",
          maxGpus: props.asyncSpot.maxGpus,
          weight: 1,
        }),
      );
    }
    const objects = [nodeClass, ...pools];
    const invalid = new Problems(`KarpenterGpuNodePool '${this.node.path}' objects`);
    for (const o of objects) {
      const errors = karpenterSchemaErrors(o.kind, o);
      if (errors.length > 0) invalid.add("MANIFEST_SCHEMA_INVALID", `${o.kind}/${o.metadata.name}`, errors.join("; "), "an object that validates against the karpenter-crd 1.14.1 OpenAPI schema");
    }
    invalid.throwIfAny();
    this.objects = objects;
    this.servingPoolNames = pools.filter((p) => p.metadata.labels?.[GPU_POOL_LABEL] !== "async").map((p) => p.metadata.name);
    this.manifests = objects.map(
      (o) =>
        new Manifest(this, o.kind === "EC2NodeClass" ? "NodeClass" : `Pool-${o.metadata.name}`, {
          manifest: JSON.parse(JSON.stringify(o)) as Record<string, unknown>,
          dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
        }),
    );
  }
}

function ec2NodeClass(props: KarpenterGpuNodePoolProps, capacity: GpuCapacity, root: { sizeGiB: number; iops: number; throughputMiBps: number }): KarpenterObject {
  const mv = props.modelVolume;
  const blockDeviceMappings: Record<string, unknown>[] = [
    {
      deviceName: "/dev/xvda",
      rootVolume: true,
      ebs: { volumeSize: `${root.sizeGiB}Gi`, volumeType: "gp3", iops: root.iops, throughput: root.throughputMiBps, encrypted: true, kmsKeyID: props.volumeKmsKeyArn, deleteOnTermination: true },
    },
  ];
  if (mv) {
    blockDeviceMappings.push({
      deviceName: "/dev/xvdb",
      ebs: {
        snapshotID: mv.snapshotId,
        volumeSize: `${mv.sizeGiB}Gi`,
        volumeType: "gp3",
        iops: Math.min(16_000, Math.max(3000, (mv.throughputMiBps ?? 1000) * 4)),
        throughput: mv.throughputMiBps ?? 1000,
        volumeInitializationRate: mv.volumeInitializationRateMiBps ?? 300,
        encrypted: true,
        kmsKeyID: props.volumeKmsKeyArn,
        deleteOnTermination: true,
      },
    });
  }
  const reservations =
    capacity.kind === "onDemand"
      ? undefined
      : capacity.reservationId !== undefined
        ? [{ id: capacity.reservationId }]
        : [{ instanceMatchCriteria: "open" }];
  return {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: props.name },
    spec: {
      role: props.nodeRoleName,
      amiSelectorTerms: [{ alias: "al2023@latest" }],
      subnetSelectorTerms: props.subnetIds.map((id) => ({ id })),
      securityGroupSelectorTerms: props.securityGroupIds.map((id) => ({ id })),
      associatePublicIPAddress: false,
      metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
      blockDeviceMappings,
      detailedMonitoring: true,
      ...(reservations ? { capacityReservationSelectorTerms: reservations } : {}),
      ...(mv ? { userData: modelMountUserData(mv) } : {}),
      tags: { ...(props.tags ?? {}), [NODE_ROLE_LABEL]: "gpu" },
    },
  };
}

/** MIME part that mounts the weights volume read-only before the kubelet starts (AL2023 runs it before nodeadm's kubelet). */
function modelMountUserData(mv: ModelSnapshotVolume): string {
  const label = mv.filesystemLabel ?? "headroom-models";
  const path = mv.mountPath ?? "/opt/headroom/models";
  return [
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="HEADROOM"',
    "",
    "--HEADROOM",
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    "#!/bin/bash",
    "set -euo pipefail",
    `mkdir -p ${path}`,
    `echo "LABEL=${label} ${path} xfs ro,noatime,nofail 0 2" >> /etc/fstab`,
    `mount ${path}`,
    "--HEADROOM--",
    "",
  ].join("\n");
}

interface PoolSpec {
  readonly name: string;
  readonly family: string;
  readonly instanceTypes: readonly string[];
  readonly capacityTypes: readonly string[];
  readonly purpose: "serving" | "async";
  readonly maxGpus: number;
  readonly weight: number;
}

function nodePool(props: KarpenterGpuNodePoolProps, p: PoolSpec): KarpenterObject {
  const serving = p.purpose === "serving";
  const budgets: Record<string, unknown>[] = [{ nodes: "1" }];
  if (serving) {
    for (const w of props.peakWindows ?? []) budgets.push({ nodes: "0", schedule: w.cronUtc, duration: `${w.durationMinutes}m` });
  }
  const labels = { [NODE_ROLE_LABEL]: "gpu", [GPU_FAMILY_LABEL]: p.family, [GPU_POOL_LABEL]: p.purpose };
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: p.name, labels: { [GPU_POOL_LABEL]: p.purpose } },
    spec: {
      weight: p.weight,
      limits: { "nvidia.com/gpu": String(p.maxGpus) },
      disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: `${props.consolidateAfterMinutes ?? 10}m`, budgets },
      template: {
        metadata: { labels },
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: props.name },
          expireAfter: "Never",
          // A drain waits at most this long for serving pods' graceful shutdown (their longest request).
          terminationGracePeriod: "1h",
          requirements: [
            { key: "node.kubernetes.io/instance-type", operator: "In", values: [...p.instanceTypes] },
            { key: "karpenter.sh/capacity-type", operator: "In", values: [...p.capacityTypes] },
            { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
          ],
          taints: [
            { key: GPU_TAINT.key, value: GPU_TAINT.value, effect: "NoSchedule" },
            ...(serving ? [] : [{ ...SPOT_TAINT }]),
          ],
        },
      },
    },
  };
}

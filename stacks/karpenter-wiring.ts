/**
 * Cross-stack wiring of Karpenter: the foundation's node role, queue and key become the
 * cluster stack's add-on settings, and the plan becomes the workloads stack's NodePools.
 */
import { Construct } from "constructs";
import { compatibleInstances } from "../lib/capacity/compatible-instances";
import { CapacityPlan } from "../lib/capacity/types";
import { KarpenterOptions } from "../lib/addons";
import { dailyWindowCron } from "../lib/core/daily-window";
import { KarpenterGpuNodePool, KarpenterGpuNodePoolProps, PeakWindow } from "../lib/eks";
import { awsContext } from "../lib/security/private/aws-context";
import { EnvironmentConfig } from "./environments";
import { FoundationStack } from "./foundation-stack";

/** Name of the serving GPU EC2NodeClass and the prefix of its NodePools (FIS drills target it). */
export const GPU_NODE_POOL = "gpu-inference";

/** `{ karpenter }` for `standardAddons` when the foundation created Karpenter's infrastructure, else `{}`. */
export function karpenterAddonSettings(scope: Construct, foundation: FoundationStack): { karpenter?: KarpenterOptions } {
  const k = foundation.karpenter;
  if (!k) return {};
  const ctx = awsContext(scope);
  return {
    karpenter: {
      clusterEndpoint: foundation.cluster.endpoint,
      interruptionQueueName: k.queueName,
      interruptionQueueArn: k.queueArn,
      nodeRoleArn: k.nodeRoleArn,
      volumeKmsKeyArns: [k.volumeKmsKey.keyArn],
      partition: ctx.partition,
      region: ctx.region,
      accountId: ctx.accountId,
    },
  };
}

/** The plan's numbers for {@link KarpenterGpuNodePool}: compatible types, GPUs per type, the GPU limit. */
export function karpenterPropsFromPlan(plan: CapacityPlan): Pick<KarpenterGpuNodePoolProps, "instanceTypes" | "gpusPerInstance" | "maxGpus"> {
  const types = compatibleInstances(plan);
  return {
    instanceTypes: types.map((t) => t.instanceType),
    gpusPerInstance: Object.fromEntries(types.map((t) => [t.instanceType, t.gpuCount])),
    // The plan's fleet at its maximum: nodes.max of the chosen type.
    maxGpus: plan.inference.nodes.max * plan.inference.gpusPerNode,
  };
}

/**
 * The serving pool's no-disruption windows: the plan's scheduled floor (`autoscaling.scheduledFloor`,
 * from `workload.dailyPeak`), from the start of the pre-scale to the end of the peak, at cron's
 * one-minute resolution (the same rounding as the KEDA cron trigger). None without a declared peak.
 */
export function karpenterPeakWindows(plan: CapacityPlan): PeakWindow[] {
  const floor = plan.autoscaling.scheduledFloor;
  if (!floor) return [];
  const cron = dailyWindowCron(floor, "autoscaling.scheduledFloor");
  return [{ cronUtc: cron.startCron, durationMinutes: cron.durationMinutes }];
}

/** The serving GPU NodePools of an environment (workloads stack: the CRDs exist by then). */
export function gpuNodePool(scope: Construct, env: EnvironmentConfig, plan: CapacityPlan, foundation: FoundationStack): KarpenterGpuNodePool | undefined {
  const k = foundation.karpenter;
  if (!k) return undefined;
  const gpu = env.gpuNodes ?? {};
  return new KarpenterGpuNodePool(scope, "GpuNodePool", {
    name: GPU_NODE_POOL,
    clusterName: env.namePrefix,
    nodeRoleName: k.nodeRoleName,
    subnetIds: foundation.vpc.privateSubnetIds,
    securityGroupIds: [foundation.cluster.nodeSecurityGroup.securityGroupId, k.securityGroup.securityGroupId],
    ...karpenterPropsFromPlan(plan),
    volumeKmsKeyArn: k.volumeKmsKey.keyArn,
    peakWindows: karpenterPeakWindows(plan),
    ...(gpu.modelSnapshotId ? { modelVolume: { snapshotId: gpu.modelSnapshotId, sizeGiB: Math.max(100, Math.ceil(plan.inference.memory.weightsGiB * 1.2)) } } : {}),
    ...(gpu.asyncSpotMaxGpus ? { asyncSpot: { maxGpus: gpu.asyncSpotMaxGpus } } : {}),
    ...(gpu.capacity ? { capacity: gpu.capacity } : {}),
    tags: { ...env.tags },
  });
}

/**
 * Instance types that can run the plan's replica as planned, for a node provisioner that may
 * choose among several (a Karpenter NodePool): the chosen type first, then every candidate of
 * the plan whose GPUs dominate the chosen GPU. Pure.
 */
import { findGpuInstance, GPU_INSTANCE_CATALOG } from "./catalog";
import type { CapacityPlan, GpuInstanceSpec } from "./types";

/** One type a replica of the plan may land on. */
export interface CompatibleInstance {
  readonly instanceType: string;
  readonly family: string;
  readonly gpuCount: number;
  readonly onDemandUsdPerHour: number;
  /** Replicas of the plan's shape (gpusPerReplica GPUs each) that fit on one node. */
  readonly replicasPerNode: number;
}

function specOf(t: string | GpuInstanceSpec): GpuInstanceSpec | undefined {
  return typeof t === "string" ? findGpuInstance(t) : t;
}

/**
 * The plan's candidates (`input.gpu.instanceTypes`, else the built-in catalog) on which one
 * replica, configured exactly as planned (tensor parallel, batch, GPU memory share), meets the
 * plan's SLO at least as well as on the chosen type. A type qualifies when:
 * - it has at least `gpusPerReplica` GPUs, in a multiple of it (no stranded GPUs);
 * - each GPU has at least the chosen GPU's memory (the weights and planned KV cache fit),
 *   memory bandwidth (decode, hence TPOT, is bandwidth bound) and compute at the plan's precision
 *   (prefill, hence TTFT, is compute bound) — so the plan's latency model only gets faster;
 * - it has at least the chosen type's vCPUs and host memory per GPU (the pod's CPU/memory requests fit).
 * Sorted: the chosen type, then by on-demand price per GPU-hour.
 */
export function compatibleInstances(plan: CapacityPlan): CompatibleInstance[] {
  const inf = plan.inference;
  const fp8 = plan.input.model.precision === "fp8";
  const candidates = (plan.input.gpu?.instanceTypes ?? GPU_INSTANCE_CATALOG).map((t) => specOf(t)).filter((s): s is GpuInstanceSpec => s !== undefined);
  const chosen = candidates.find((s) => s.instanceType === inf.instanceType) ?? findGpuInstance(inf.instanceType);
  const one = (s: GpuInstanceSpec): CompatibleInstance => ({
    instanceType: s.instanceType,
    family: s.family,
    gpuCount: s.gpuCount,
    onDemandUsdPerHour: s.onDemandUsdPerHour,
    replicasPerNode: Math.floor(s.gpuCount / inf.gpusPerReplica),
  });
  if (!chosen) return [{ instanceType: inf.instanceType, family: inf.family, gpuCount: inf.gpusPerNode, onDemandUsdPerHour: 0, replicasPerNode: inf.replicasPerNode }];
  const tflops = (s: GpuInstanceSpec) => (fp8 ? s.fp8Tflops ?? s.bf16Tflops : s.bf16Tflops);
  const dominates = (s: GpuInstanceSpec) =>
    s.gpuCount >= inf.gpusPerReplica &&
    s.gpuCount % inf.gpusPerReplica === 0 &&
    s.gpuMemoryMiB >= chosen.gpuMemoryMiB &&
    s.memoryBandwidthGBps >= chosen.memoryBandwidthGBps &&
    tflops(s) >= tflops(chosen) &&
    s.vcpus / s.gpuCount >= chosen.vcpus / chosen.gpuCount &&
    s.memoryGiB / s.gpuCount >= chosen.memoryGiB / chosen.gpuCount;
  const others = candidates
    .filter((s) => s.instanceType !== chosen.instanceType && dominates(s))
    .sort((a, b) => a.onDemandUsdPerHour / a.gpuCount - b.onDemandUsdPerHour / b.gpuCount || a.instanceType.localeCompare(b.instanceType));
  const seen = new Set<string>();
  return [chosen, ...others].filter((s) => !seen.has(s.instanceType) && seen.add(s.instanceType)).map(one);
}

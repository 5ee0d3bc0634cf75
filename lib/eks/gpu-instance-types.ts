/**
 * The closed catalogue of EC2 GPU instance families Headroom runs inference on.
 * Each runs the EKS AL2023 NVIDIA AMI (`AL2023_x86_64_NVIDIA`), whose NVIDIA
 * driver and container toolkit are preinstalled.
 */

/** GPU instance families accepted for GPU node groups (NVIDIA, x86_64). */
export const GPU_INSTANCE_FAMILIES = ["g5", "g6", "g6e", "p4d", "p4de", "p5", "p5e", "p5en", "p6-b200"] as const;

/** One of {@link GPU_INSTANCE_FAMILIES}. */
export type GpuInstanceFamily = (typeof GPU_INSTANCE_FAMILIES)[number];

/**
 * The family of a GPU instance type (`p5.48xlarge` -> `p5`, `p6-b200.48xlarge` -> `p6-b200`),
 * or `undefined` when the type is malformed or not in {@link GPU_INSTANCE_FAMILIES}.
 */
export function gpuFamilyOf(instanceType: string): GpuInstanceFamily | undefined {
  const match = /^([a-z0-9-]+)\.(\d*(?:x|)large|metal(?:-\d+xl)?)$/.exec(instanceType);
  if (!match) return undefined;
  const family = match[1];
  return (GPU_INSTANCE_FAMILIES as readonly string[]).includes(family) ? (family as GpuInstanceFamily) : undefined;
}

/** Whether an EC2 instance type is well formed (`family.size`). */
export function isInstanceTypeName(instanceType: string): boolean {
  return /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(instanceType);
}

/**
 * Whether an instance type is Graviton (arm64): its family has a `g` after the
 * generation digit (`m7g`, `c6gn`, `t4g`, `r8gd`, `g5g`). AL2023 x86_64 AMIs cannot run there.
 */
export function isArmInstanceType(instanceType: string): boolean {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family);
}

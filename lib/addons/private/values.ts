/** Helpers shared by add-on value renderers. Pure functions. */
import { AddonContext, NodePlacement, ResourceRequirements, Toleration } from "../addon";
import { Problem } from "../../core/validation";

/** Restricted-profile container security context (Pod Security Standard "restricted"). */
export function restrictedContainer(opts: { readOnlyRootFilesystem?: boolean } = {}): Record<string, unknown> {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem: opts.readOnlyRootFilesystem ?? true,
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Restricted-profile pod security context. */
export function restrictedPod(uid = 65534, fsGroup?: number): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    ...(fsGroup !== undefined ? { fsGroup } : {}),
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** nodeSelector + tolerations that put a pod on the system node group. */
export function systemPlacement(ctx: AddonContext): { nodeSelector: Record<string, string>; tolerations: Toleration[] } {
  return { nodeSelector: { ...ctx.placement.systemNodeSelector }, tolerations: [...ctx.placement.systemTolerations] };
}

/** Node affinity (required) to GPU nodes and the toleration of their taint. */
export function gpuPlacement(ctx: AddonContext): { affinity: Record<string, unknown>; tolerations: Toleration[] } {
  const gpu = ctx.placement.gpu;
  if (!gpu) throw new Error("gpuPlacement called without GPU nodes; ClusterAddons validates this first");
  return {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: gpu.labelKey, operator: "Exists" }] }],
        },
      },
    },
    tolerations: [{ key: gpu.taint.key, operator: "Exists", effect: gpu.taint.effect }],
  };
}

/** Resources object; limits.cpu is left out on purpose where throttling hurts latency. */
export function resources(cpu: string, memory: string, limits: { cpu?: string; memory?: string } = {}): ResourceRequirements {
  return {
    requests: { cpu, memory },
    limits: { ...(limits.cpu ? { cpu: limits.cpu } : {}), memory: limits.memory ?? memory },
  };
}

/** A problem unless `value` is an integer in [min, max]. */
export function checkInt(problems: Problem[], code: string, path: string, value: unknown, min: number, max: number): boolean {
  const ok = typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
  if (!ok) problems.push({ code, path, value, allowed: `an integer from ${min} to ${max}` });
  return ok;
}

/** A problem unless the add-on `dependency` is in the set. */
export function requireAddon(problems: Problem[], has: (name: string) => boolean, addon: string, dependency: string, why: string): void {
  if (!has(dependency)) {
    problems.push({
      code: "ADDON_DEPENDENCY_MISSING",
      path: `addons.${addon}`,
      value: addon,
      allowed: `${addon} requires add-on '${dependency}' (${why})`,
    });
  }
}

/** Problems helper for add-ons that need GPU nodes. */
export function requireGpuNodes(addon: string, placement: NodePlacement): Problem[] {
  return placement.gpu
    ? []
    : [
        {
          code: "ADDON_REQUIRES_GPU_NODES",
          path: `addons.${addon}`,
          value: addon,
          allowed: `${addon} runs only on GPU nodes: pass \`gpu\` to ClusterAddons or remove the add-on`,
        },
      ];
}

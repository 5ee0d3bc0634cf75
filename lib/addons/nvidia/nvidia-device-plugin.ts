import { AddonContext, AddonValidationContext, HelmAddon, HelmChart, PodSecurityLevel } from "../addon";
import { Problem } from "../../core/validation";
import { GPU_SYSTEM_NAMESPACE } from "../constants";
import { gpuPlacement, requireGpuNodes, resources } from "../private/values";

/** Add-on name of {@link NvidiaDevicePlugin}. */
export const NVIDIA_DEVICE_PLUGIN = "nvidia-device-plugin";
/** Chart pin: NVIDIA `nvidia-device-plugin` 0.17.2. */
export const NVIDIA_DEVICE_PLUGIN_CHART: HelmChart = {
  chart: "nvidia-device-plugin",
  repository: "https://nvidia.github.io/k8s-device-plugin",
  version: "0.17.2",
};

/**
 * NVIDIA device plugin: advertises `nvidia.com/gpu` on GPU nodes so the inference pods can request GPUs.
 *
 * Runs only on GPU nodes (required node affinity on the GPU label, toleration of the GPU taint).
 * The EKS AL2023 NVIDIA AMI ships the driver and the container toolkit, so no driver installer,
 * and no GPU feature discovery (the chart's default affinity expects NFD labels that EKS nodes do not
 * carry, hence the explicit affinity). Needs host paths (device plugin socket): "privileged" namespace.
 *
 * @example
 * new NvidiaDevicePlugin()
 */
export class NvidiaDevicePlugin extends HelmAddon {
  public readonly name = NVIDIA_DEVICE_PLUGIN;
  public readonly chart = NVIDIA_DEVICE_PLUGIN_CHART;
  public readonly namespace = GPU_SYSTEM_NAMESPACE;
  public readonly podSecurity: PodSecurityLevel = "privileged";

  public constructor(opts: Record<string, never> = {}) {
    super(opts, []);
  }

  protected override validateOptions(ctx: AddonValidationContext): Problem[] {
    return requireGpuNodes(this.name, ctx.placement);
  }

  public values(ctx: AddonContext): Record<string, unknown> {
    const placement = gpuPlacement(ctx);
    return {
      affinity: placement.affinity,
      tolerations: [...placement.tolerations, { key: "CriticalAddonsOnly", operator: "Exists" }],
      priorityClassName: "system-node-critical",
      gfd: { enabled: false },
      nfd: { enabled: false },
      // The plugin needs no capabilities: it talks to the kubelet socket and NVML.
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      resources: resources("50m", "64Mi", { memory: "128Mi" }),
    };
  }
}

import { AddonContext, AddonValidationContext, HelmAddon, HelmChart, PodSecurityLevel } from "../addon";
import { Problem } from "../../core/validation";
import { GPU_SYSTEM_NAMESPACE } from "../constants";
import { KUBE_PROMETHEUS_STACK } from "../kube-prometheus-stack/kube-prometheus-stack";
import { gpuPlacement, requireGpuNodes, resources } from "../private/values";
import { NVIDIA_DEVICE_PLUGIN } from "./nvidia-device-plugin";

/** Add-on name of {@link DcgmExporter}. */
export const DCGM_EXPORTER = "dcgm-exporter";
/** Chart pin: NVIDIA `dcgm-exporter` 4.1.3. */
export const DCGM_EXPORTER_CHART: HelmChart = {
  chart: "dcgm-exporter",
  repository: "https://nvidia.github.io/dcgm-exporter/helm-charts",
  version: "4.1.3",
};

/** Options of {@link DcgmExporter}. */
export interface DcgmExporterOptions {
  /**
   * Scrape interval of the ServiceMonitor, seconds.
   * @default 15
   */
  readonly scrapeIntervalSeconds?: number;
}

/**
 * DCGM exporter: GPU utilization, memory, temperature and power per GPU (`DCGM_FI_DEV_*`) for
 * Prometheus, through the chart's ServiceMonitor. Runs only on GPU nodes.
 *
 * Security: DCGM's profiling metrics need `SYS_ADMIN` (chart default), which the restricted and
 * baseline profiles forbid, so it shares the "privileged" GPU namespace with the device plugin;
 * every other capability is dropped.
 *
 * @example
 * new DcgmExporter({ scrapeIntervalSeconds: 15 })
 */
export class DcgmExporter extends HelmAddon {
  public readonly name = DCGM_EXPORTER;
  public readonly chart = DCGM_EXPORTER_CHART;
  public readonly namespace = GPU_SYSTEM_NAMESPACE;
  public readonly podSecurity: PodSecurityLevel = "privileged";
  // The ServiceMonitor CRD comes with kube-prometheus-stack; GPUs only exist once the plugin runs.
  public override readonly dependencies = [KUBE_PROMETHEUS_STACK, NVIDIA_DEVICE_PLUGIN];

  public constructor(private readonly opts: DcgmExporterOptions = {}) {
    super(opts, ["scrapeIntervalSeconds"]);
  }

  protected override validateOptions(ctx: AddonValidationContext): Problem[] {
    const problems = requireGpuNodes(this.name, ctx.placement);
    const s = this.opts.scrapeIntervalSeconds ?? 15;
    if (!Number.isInteger(s) || s < 5 || s > 300) {
      problems.push({ code: "ADDON_SCRAPE_INTERVAL", path: `addons.${this.name}.scrapeIntervalSeconds`, value: s, allowed: "an integer from 5 to 300" });
    }
    return problems;
  }

  public values(ctx: AddonContext): Record<string, unknown> {
    const placement = gpuPlacement(ctx);
    return {
      affinity: placement.affinity,
      tolerations: placement.tolerations,
      serviceMonitor: {
        enabled: true,
        interval: `${this.opts.scrapeIntervalSeconds ?? 15}s`,
        honorLabels: false,
        additionalLabels: {},
      },
      securityContext: {
        runAsNonRoot: false,
        runAsUser: 0,
        capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] },
      },
      resources: resources("100m", "256Mi", { memory: "512Mi" }),
    };
  }
}

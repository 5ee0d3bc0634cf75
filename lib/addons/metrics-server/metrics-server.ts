import { AddonContext, HelmAddon, HelmChart, PodSecurityLevel } from "../addon";
import { Problem } from "../../core/validation";
import { checkInt, resources, restrictedContainer, systemPlacement } from "../private/values";

/** Add-on name of {@link MetricsServer}. */
export const METRICS_SERVER = "metrics-server";
/** Chart pin: kubernetes-sigs `metrics-server` 3.13.0 (metrics-server v0.8). */
export const METRICS_SERVER_CHART: HelmChart = {
  chart: "metrics-server",
  repository: "https://kubernetes-sigs.github.io/metrics-server/",
  version: "3.13.0",
};

/** Options of {@link MetricsServer}. */
export interface MetricsServerOptions {
  /**
   * Replicas (an APIService: 2 keeps the HPA's CPU fallback and `kubectl top` up during drains).
   * @default 2
   */
  readonly replicas?: number;
}

/**
 * metrics-server: serves `metrics.k8s.io` (CPU, memory) for the HPA's CPU-utilization fallback.
 *
 * @example
 * new MetricsServer()
 */
export class MetricsServer extends HelmAddon {
  public readonly name = METRICS_SERVER;
  public readonly chart = METRICS_SERVER_CHART;
  public readonly namespace = "kube-system";
  public readonly podSecurity: PodSecurityLevel = "restricted";

  public constructor(private readonly opts: MetricsServerOptions = {}) {
    super(opts, ["replicas"]);
  }

  protected override validateOptions(): Problem[] {
    const problems: Problem[] = [];
    checkInt(problems, "ADDON_REPLICAS", `addons.${this.name}.replicas`, this.opts.replicas ?? 2, 1, 5);
    return problems;
  }

  public values(ctx: AddonContext): Record<string, unknown> {
    const replicas = this.opts.replicas ?? 2;
    return {
      replicas,
      podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
      resources: resources("100m", "200Mi", { memory: "400Mi" }),
      securityContext: restrictedContainer(),
      ...systemPlacement(ctx),
    };
  }
}

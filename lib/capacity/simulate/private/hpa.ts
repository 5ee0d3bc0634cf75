/**
 * The Kubernetes HorizontalPodAutoscaler (autoscaling/v2) decision, as a pure
 * class, following `pkg/controller/podautoscaler` of kubernetes/kubernetes:
 * the replica calculator for Pods metrics (tolerance, pods without metrics
 * assumed at 0 on scale-up and at target on scale-down), the maximum over
 * several metrics, stabilization windows and the scale-up/scale-down policies
 * measured from the replica count at the start of the policy period.
 */

/** One Pods metric as the HPA sees it. */
export interface PodsMetric {
  /** Sum of the metric over the pods that report it (ready pods). */
  readonly sum: number;
  /** Target average value per pod. */
  readonly target: number;
}

/** HPA settings (the subset of `spec` and `behavior` the simulator plays). */
export interface HpaSettings {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Controller tolerance, 0.1 by default in kube-controller-manager. */
  readonly tolerance: number;
  readonly scaleUpStabilizationSeconds: number;
  readonly scaleUpPeriodSeconds: number;
  readonly scaleUpMaxPods: number;
  readonly scaleUpMaxPercent: number;
  readonly scaleDownStabilizationSeconds: number;
  readonly scaleDownPeriodSeconds: number;
  readonly scaleDownMaxPods: number;
}

/**
 * Replicas one Pods metric asks for (the replica calculator).
 * @param current the Deployment's current `spec.replicas`
 * @param ready pods that report the metric
 * @param missing pods that exist but report nothing yet (starting)
 */
export function metricProposal(metric: PodsMetric, current: number, ready: number, missing: number, tolerance: number): number {
  if (ready === 0) return current;
  const usageRatio = metric.sum / ready / metric.target;
  if (missing === 0) {
    if (Math.abs(1 - usageRatio) <= tolerance) return current;
    return Math.ceil(usageRatio * ready);
  }
  // Pods without metrics: 0 when scaling up, the target when scaling down (dampens both ways).
  const assumed = usageRatio < 1 ? metric.target * missing : 0;
  const newRatio = (metric.sum + assumed) / (ready + missing) / metric.target;
  if (Math.abs(1 - newRatio) <= tolerance || (usageRatio < 1 && newRatio > 1) || (usageRatio > 1 && newRatio < 1)) return current;
  const proposal = Math.ceil(newRatio * (ready + missing));
  if ((newRatio < 1 && proposal > current) || (newRatio > 1 && proposal < current)) return current;
  return proposal;
}

/** The HPA controller state for one scale target. */
export class Hpa {
  private readonly recommendations: { time: number; replicas: number }[] = [];
  private readonly events: { time: number; delta: number }[] = [];

  public constructor(private readonly settings: HpaSettings) {}

  /** Records a past recommendation (a run that starts in steady state). */
  public seed(time: number, replicas: number): void {
    this.recommendations.push({ time, replicas });
  }

  /**
   * One sync: returns the new `spec.replicas`.
   * @param now seconds
   * @param current current `spec.replicas`
   */
  public decide(now: number, current: number, metrics: readonly PodsMetric[], ready: number, missing: number): number {
    const s = this.settings;
    let proposal = 0;
    for (const m of metrics) proposal = Math.max(proposal, metricProposal(m, current, ready, missing, s.tolerance));
    if (metrics.length === 0) proposal = current;
    proposal = Math.min(s.maxReplicas, Math.max(s.minReplicas, proposal));

    // Stabilization: scale up to the lowest, down to the highest recommendation in the windows.
    const keep = Math.max(s.scaleUpStabilizationSeconds, s.scaleDownStabilizationSeconds);
    while (this.recommendations.length > 0 && this.recommendations[0]!.time < now - keep) this.recommendations.shift();
    let up = proposal;
    let down = proposal;
    for (const r of this.recommendations) {
      if (r.time >= now - s.scaleUpStabilizationSeconds) up = Math.min(up, r.replicas);
      if (r.time >= now - s.scaleDownStabilizationSeconds) down = Math.max(down, r.replicas);
    }
    this.recommendations.push({ time: now, replicas: proposal });
    let desired = current;
    if (desired < up) desired = up;
    if (desired > down) desired = down;

    // Rate policies, measured from the replicas at the start of each period.
    const period = Math.max(s.scaleUpPeriodSeconds, s.scaleDownPeriodSeconds);
    while (this.events.length > 0 && this.events[0]!.time <= now - period) this.events.shift();
    if (desired > current) {
      let added = 0;
      for (const e of this.events) if (e.delta > 0 && e.time > now - s.scaleUpPeriodSeconds) added += e.delta;
      const start = current - added;
      const limit = Math.max(start + s.scaleUpMaxPods, Math.ceil(start * (1 + s.scaleUpMaxPercent / 100)));
      // A limit already used up this period holds the count; it never scales down.
      desired = Math.max(current, Math.min(desired, limit, s.maxReplicas));
    } else if (desired < current) {
      let removed = 0;
      for (const e of this.events) if (e.delta < 0 && e.time > now - s.scaleDownPeriodSeconds) removed -= e.delta;
      const start = current + removed;
      desired = Math.min(current, Math.max(desired, start - s.scaleDownMaxPods, s.minReplicas));
    }
    desired = Math.min(s.maxReplicas, Math.max(s.minReplicas, desired));
    if (desired !== current) this.events.push({ time: now, delta: desired - current });
    return desired;
  }
}

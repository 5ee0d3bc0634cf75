import { planCapacity, STAGING_WORKLOAD } from "../../../lib/capacity";
import { kvUseOfFullBatch, simulate } from "../../../lib/capacity/simulate/simulate";
import { namedProfile } from "../../../lib/capacity/simulate/profiles";

describe("HPA KV-cache target: the same unit in plan, manifests and simulator", () => {
  const plan = planCapacity({ ...STAGING_WORKLOAD, availabilityZones: 3, region: "us-east-1" });

  it("the plan's target is KV use (blocks used / KV budget) at peak, below the KV use of a full batch", () => {
    const full = kvUseOfFullBatch(plan);
    expect(full).toBeGreaterThan(0);
    expect(full).toBeLessThanOrEqual(1);
    expect(plan.autoscaling.targetKvCacheUtilization).toBeLessThanOrEqual(full + 1e-9);
  });

  it("the simulated HPA does not sit at replicas.max through the daily peak (it compares KV use with KV use, not slot occupancy)", () => {
    const r = simulate(plan, namedProfile("daily-peak", plan.input.workload, { compact: true }));
    const ready = r.series.replicasReady;
    // At the steady peak the plan needs replicas.desired (one more within the HPA's tolerance and Poisson noise);
    // running up to replicas.max is the unit error (slot occupancy compared with a KV-use target).
    expect(plan.autoscaling.maxReplicas).toBeGreaterThan(plan.inference.replicas.desired + 1);
    expect(Math.max(...ready)).toBeLessThanOrEqual(plan.inference.replicas.desired + 1);
    expect(r.summary.sloMet).toBe(true);
  });
});

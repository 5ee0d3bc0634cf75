import { CAPACITY_CODES, formatPlanReport, planCapacity, PROD_WORKLOAD, type CapacityInput } from "../../../lib/capacity";
import { namedProfile } from "../../../lib/capacity/simulate/profiles";
import { verifyPlan } from "../../../lib/capacity/simulate/verify";
import { capacityError } from "../helpers";

const withPeak: CapacityInput = {
  ...PROD_WORKLOAD,
  availabilityZones: 3,
  region: "us-east-1",
  // A 09:00 opening: baseline to peak in 60 s, ten times faster than GPU nodes start.
  workload: { ...PROD_WORKLOAD.workload, dailyPeak: { startClockSeconds: 9 * 3600, durationSeconds: 7200, rampSeconds: 60 } },
};

describe("a declared daily peak is pre-scaled (autoscaling.scheduledFloor)", () => {
  const plan = planCapacity(withPeak);
  const floor = plan.autoscaling.scheduledFloor!;

  it("the floor is replicas.desired from provisioning + one HPA period before the window to its end, in whole minutes", () => {
    expect(floor.minReplicas).toBe(plan.inference.replicas.desired);
    // Rounded down to the minute (cron resolution): never later than the lead asks.
    const lead = (plan.input.gpuProvisioningSeconds as number) + 15;
    expect(floor.startClockSeconds).toBe(Math.floor((9 * 3600 - lead) / 60) * 60);
    expect(floor.startClockSeconds % 60).toBe(0);
    expect(floor.endClockSeconds).toBe(9 * 3600 + 120 + 7200);
    expect(formatPlanReport(plan)).toMatch(/scheduled floor +\d+ replicas from 08:\d\d to 11:02 \(pre-scale for workload.dailyPeak/);
  });

  it("the simulator models it: the ramp fails without the floor and holds with it", () => {
    expect(verifyPlan(plan, "daily-peak").ok).toBe(true);
    const { scheduledFloor: _unused, ...withoutFloor } = plan.autoscaling;
    const bare = verifyPlan({ ...plan, autoscaling: withoutFloor }, "daily-peak");
    expect(bare.ok).toBe(false);
  });

  it("its cost is in the GPU estimate: more node-hours than the same workload without the pre-scale", () => {
    const lead = plan.explanations.find((e) => e.field === "autoscaling.scheduledFloorPreScaleNodeHoursPerDay");
    expect(Number(lead?.value)).toBeGreaterThan(0);
    expect(Number(lead?.inputs.monthlyUsd)).toBeGreaterThan(0);
  });

  it("the daily-peak profile follows the declared window", () => {
    const p = namedProfile("daily-peak", withPeak.workload);
    expect(p.description).toContain(`declared peak ${withPeak.workload.peakRequestsPerSecond} req/s from 09:00 (ramp 60 s, 7200 s)`);
  });

  it("an invalid window is an error with its path", () => {
    const e = capacityError(() => planCapacity({ ...withPeak, workload: { ...withPeak.workload, dailyPeak: { startClockSeconds: 90_000, durationSeconds: 10, startsAt: 1 } as never } }));
    expect(e.problems.map((p) => [p.code, p.path])).toEqual([
      [CAPACITY_CODES.unknownField, "workload.dailyPeak.startsAt"],
      [CAPACITY_CODES.invalidField, "workload.dailyPeak.startClockSeconds"],
      [CAPACITY_CODES.invalidField, "workload.dailyPeak.durationSeconds"],
    ]);
  });
});

import { planCapacity, STAGING_WORKLOAD } from "../../../lib/capacity";
import { formatSimulatedGpuCost, simulatedGpuCost } from "../../../lib/capacity/simulate/cost";

describe("the plan's GPU cost is the cost the simulated day spends", () => {
  // One environment (a whole simulated day takes seconds); the case was staging at 0.66x.
  // `npm run plan` prints the same comparison for every environment.
  it.each([["staging", STAGING_WORKLOAD]])("%s: plan estimate within 15%% of the simulated day's GPU node-hours, above the reserved floor", (_name, w) => {
    const plan = planCapacity({ ...w, availabilityZones: 3, region: "us-east-1" });
    const c = simulatedGpuCost(plan);
    expect(c.sloMet).toBe(true);
    expect(Math.abs(plan.cost.byComponent.gpuNodes / c.monthlyUsd - 1)).toBeLessThan(0.15);
    expect(c.monthlyUsd).toBeGreaterThanOrEqual(c.reservedFloorMonthlyUsd * 0.999);
    expect(formatSimulatedGpuCost(c)).toMatch(/GPU cost from the simulated day \(daily-peak, SLO met\): [\d.]+ GPU node-hours\/day = \$[\d,]+\/month; reserved floor/);
  });
});

describe("simulatedGpuCost remembers the days it simulated", () => {
  it("the same (plan, day, seed) gives an equal, separate result; another plan is simulated", () => {
    const plan = planCapacity({ ...STAGING_WORKLOAD, availabilityZones: 3, region: "us-east-1" });
    const profile = { name: "flat", description: "2 h flat", startClockSeconds: 0, durationSeconds: 7200, rate: [{ atSeconds: 0, requestsPerSecond: 5 }] };
    const first = simulatedGpuCost(plan, profile, 3);
    const again = simulatedGpuCost(plan, profile, 3);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    (again as { monthlyUsd: number }).monthlyUsd = -1;
    expect(simulatedGpuCost(plan, profile, 3).monthlyUsd).toBe(first.monthlyUsd);
    // A different input is a different key: a plan with more replicas runs more node-hours.
    const bigger = { ...plan, inference: { ...plan.inference, nodes: { ...plan.inference.nodes, min: plan.inference.nodes.min + 2 } } };
    expect(simulatedGpuCost(bigger, profile, 3).reservedFloorMonthlyUsd).toBeGreaterThan(first.reservedFloorMonthlyUsd);
  });
});

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

import { DEV_WORKLOAD, planCapacity, type CapacityInput } from "../../../lib/capacity";
import { simulatedGpuCost } from "../../../lib/capacity/simulate/cost";
import { bruteForceCheapest, formatVerdicts, plannerVerdict, profileVerdicts, withMinReplicas } from "../../../lib/capacity/simulate/verdicts";
import { verifyPlan } from "../../../lib/capacity/simulate/verify";

// Two one-GPU instance types keep the brute force to two pairs; no spike declared.
const { spike: _spike, ...withoutSpike } = DEV_WORKLOAD.workload;
const small: CapacityInput = { ...DEV_WORKLOAD, workload: withoutSpike, availabilityZones: 2, region: "us-east-1", gpu: { instanceTypes: ["g5.xlarge", "g6e.xlarge"] } } as CapacityInput;
const plan = planCapacity(small);

describe("planner vs simulator verdicts", () => {
  test("a profile the workload does not declare is 'not declared' for the planner, and the simulator still plays it", () => {
    const v = profileVerdicts(plan, "daily-peak");
    expect(v.map((x) => x.profile)).toEqual(["daily-peak", "festival-spike", "bank-batch-day", "peak-zone-loss"]);
    expect(v.map((x) => x.planner)).toEqual(["pass", "not declared", "not declared", "not declared"]);
    expect(v[1]!.simulator).toBe(verifyPlan(plan, "festival-spike").ok ? "pass" : "fail");
  });

  test("the planner's spike verdict follows its analytic figures", () => {
    const spiky = planCapacity({ ...small, workload: { ...small.workload, spike: { multiplier: 4, rampSeconds: 60, durationSeconds: 900 }, asyncShare: 0 } });
    const rejected = Number(spiky.explanations.find((e) => e.field === "inference.spike.syncRejectedRequestsPerSecond")!.value);
    expect(plannerVerdict(spiky, "festival-spike").verdict).toBe(rejected > 0 ? "fail" : "pass");
    expect(plannerVerdict(spiky, "peak-zone-loss", "peak-zone-loss").verdict).not.toBe("not declared");
  });

  test("withMinReplicas raises desired, max and the floor with min, and keeps the nodes consistent", () => {
    const more = withMinReplicas(plan, plan.inference.replicas.max + 2);
    expect(more.inference.replicas).toEqual({ min: plan.inference.replicas.max + 2, desired: plan.inference.replicas.max + 2, max: plan.inference.replicas.max + 2 });
    expect([more.autoscaling.minReplicas, more.autoscaling.maxReplicas]).toEqual([more.inference.replicas.min, more.inference.replicas.max]);
    expect(more.inference.nodes.min).toBeGreaterThanOrEqual(more.inference.replicas.min / more.inference.replicasPerNode);
  });

  test("the brute force prices the plan like every candidate and never reports one cheaper than the cheapest it found", () => {
    const r = bruteForceCheapest(small, "daily-peak");
    expect(r.pairsTried).toBeGreaterThanOrEqual(2);
    expect(r.plan.simulatedMonthlyUsd).toBe(simulatedGpuCost(plan).monthlyUsd);
    expect(r.cheapest).toBeDefined();
    expect(r.cheapest!.simulatedMonthlyUsd).toBeLessThanOrEqual(r.plan.simulatedMonthlyUsd);
    expect(r.planOverCheapest).toBeCloseTo(r.plan.simulatedMonthlyUsd / r.cheapest!.simulatedMonthlyUsd - 1, 10);
    // The cheapest really passes: replaying it gives a pass.
    const c = r.cheapest!;
    const replay = withMinReplicas(planCapacity(small, { candidate: { instanceType: c.instanceType, tensorParallel: c.tensorParallel } }), c.replicas.min);
    expect(verifyPlan(replay, "daily-peak").ok).toBe(true);
    expect(formatVerdicts("dev", profileVerdicts(plan, "daily-peak"), r)).toMatch(/brute force over \d+ \(type, TP\) pairs/);
  });

  test("a candidate the input cannot serve is refused by planCapacity, not silently replaced", () => {
    expect(() => planCapacity(small, { candidate: { instanceType: "g5.xlarge", tensorParallel: 8 } })).toThrow();
  });
});

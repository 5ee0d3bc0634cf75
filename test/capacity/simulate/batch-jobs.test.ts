import { CAPACITY_CODES, planCapacity, STAGING_WORKLOAD, type CapacityInput } from "../../../lib/capacity";
import { namedProfile } from "../../../lib/capacity/simulate/profiles";
import { verifyPlan } from "../../../lib/capacity/simulate/verify";
import { capacityError } from "../helpers";

const base: CapacityInput = { ...STAGING_WORKLOAD, availabilityZones: 3, region: "us-east-1" };
const withJob = (requests: number, deadlineSeconds: number): CapacityInput => ({ ...base, workload: { ...base.workload, batchJobs: [{ requests, deadlineSeconds }] } });

describe("batch jobs (workload.batchJobs) are sized through the async path", () => {
  it("the bank's 120k-request job fails bank-batch-day when undeclared and passes when declared with its deadline", () => {
    expect(verifyPlan(planCapacity(base), "bank-batch-day").ok).toBe(false);
    const plan = planCapacity(withJob(120_000, 7200));
    const v = verifyPlan(plan, "bank-batch-day");
    expect(v.reason).toBe("");
    expect(v.ok).toBe(true);
  });

  it("a tighter deadline needs more replicas.max and workers", () => {
    const loose = planCapacity(withJob(120_000, 4 * 3600));
    const tight = planCapacity(withJob(120_000, 3600));
    expect(tight.inference.replicas.max).toBeGreaterThan(loose.inference.replicas.max);
    expect(tight.autoscaling.workers.maxReplicas).toBeGreaterThanOrEqual(loose.autoscaling.workers.maxReplicas);
    expect(tight.explanations.find((e) => e.field === "inference.replicas.max")?.inputs.forBatchJobs).toBe(tight.inference.replicas.max);
  });

  it("the profile plays the declared job at its clock with its deadline", () => {
    const p = namedProfile("bank-batch-day", { ...base.workload, batchJobs: [{ requests: 5000, deadlineSeconds: 1800, submitSeconds: 300, startClockSeconds: 8 * 3600 }] });
    expect(p.batches).toEqual([{ atSeconds: 8 * 3600, requests: 5000, durationSeconds: 300, deadlineSeconds: 1800 }]);
    expect(p.description).toContain("5000 async batch requests at 08:00 over 300 s (deadline 1800 s)");
  });

  it("invalid jobs are errors with their path", () => {
    const e = capacityError(() => planCapacity({ ...base, workload: { ...base.workload, batchJobs: [{ requests: 0, deadlineSeconds: 600, submitSeconds: 900, dueBy: 1 } as never] } }));
    expect(e.problems.map((p) => [p.code, p.path])).toEqual([
      [CAPACITY_CODES.unknownField, "workload.batchJobs[0].dueBy"],
      [CAPACITY_CODES.invalidField, "workload.batchJobs[0].requests"],
      [CAPACITY_CODES.invalidField, "workload.batchJobs[0].submitSeconds"],
    ]);
  });
});

import { DEV_WORKLOAD, planCapacity, PROD_WORKLOAD } from "../../lib/capacity";
import type { CapacityInput } from "../../lib/capacity/types";
import { resourcesOf } from "../helpers/synth";
import { servingPropsFromPlan } from "../../stacks/sizing";
import { manifestsByKind, synthTier } from "./tier-fixture";

describe("ServingTier sized by a real plan (planCapacity)", () => {
  test.each([
    ["prod", PROD_WORKLOAD],
    ["dev", DEV_WORKLOAD],
  ])("the %s preset synthesizes and its numbers reach the objects", (_env, preset) => {
    const plan = planCapacity({ ...preset, availabilityZones: 3, region: "us-east-1" } as CapacityInput);
    const sizing = servingPropsFromPlan(plan);
    const { json } = synthTier(plan);
    const deployment = Object.values(resourcesOf(json, "kubernetes_deployment_v1")).find((d: any) => d.metadata.name === "inference") as any;
    expect(deployment.spec.replicas).toBe(String(plan.inference.replicas.desired));
    expect(deployment.spec.template.spec.container[0].resources.limits["nvidia.com/gpu"]).toBe(String(plan.inference.gpusPerReplica));
    const m = manifestsByKind(json);
    const inference = m.ScaledObject.find((o: any) => o.metadata.name === "inference");
    const worker = m.ScaledObject.find((o: any) => o.metadata.name !== "inference");
    expect([inference.spec.minReplicaCount, inference.spec.maxReplicaCount]).toEqual([plan.autoscaling.minReplicas, plan.autoscaling.maxReplicas]);
    expect(inference.spec.triggers.map((t: any) => t.metadata.threshold ?? t.metadata.value)).toEqual([
      String(plan.autoscaling.targetQueueDepthPerReplica),
      String(plan.autoscaling.targetKvCacheUtilization),
      String(plan.autoscaling.targetCpuUtilizationPercent),
    ]);
    expect(worker.spec.triggers[0].metadata.lagThreshold).toBe(String(plan.autoscaling.workers.lagThreshold));
    expect(worker.spec.triggers[0].metadata.topic).toBe(sizing.worker.requestTopic);
    expect(sizing.worker.deadLetterTopic).not.toBe(sizing.worker.requestTopic);
    expect(m.VirtualService[0].spec.http[0].timeout).toBe(`${plan.admission.requestTimeoutSeconds}s`);
    // The admitted rate survives the token-bucket rounding within one token per fill interval.
    const bucket = m.EnvoyFilter[0].spec.configPatches[0].patch.value.typed_config.token_bucket;
    const intervalSeconds = parseFloat(bucket.fill_interval);
    const admittedPerSecond = (bucket.tokens_per_fill / intervalSeconds) * 3;
    expect(Math.abs(admittedPerSecond - plan.admission.maxRequestsPerSecond)).toBeLessThanOrEqual(3 / intervalSeconds);
    expect(bucket.tokens_per_fill).toBeLessThanOrEqual(bucket.max_tokens);
  });

  test("a declared daily peak reaches the manifests as the cron trigger the simulator plays", () => {
    const input = { ...PROD_WORKLOAD, availabilityZones: 3, region: "us-east-1", workload: { ...PROD_WORKLOAD.workload, dailyPeak: { startClockSeconds: 23 * 3600, durationSeconds: 7200, rampSeconds: 600 } } } as CapacityInput;
    const plan = planCapacity(input);
    const floor = plan.autoscaling.scheduledFloor!;
    // Over midnight: the pre-scale starts before 23:00 and the window ends at 01:20 the next day.
    expect(floor.endClockSeconds).toBeGreaterThan(86_400);
    const cron = manifestsByKind(synthTier(plan).json).ScaledObject.find((o: any) => o.metadata.name === "inference").spec.triggers.find((t: any) => t.type === "cron");
    const clock = (s: number) => `${(s / 60) % 60} ${Math.floor(s / 3600) % 24} * * *`;
    expect(cron.metadata).toEqual({ timezone: "UTC", start: clock(floor.startClockSeconds), end: clock(floor.endClockSeconds), desiredReplicas: String(floor.minReplicas) });
    expect(cron.metadata.end).toBe("20 1 * * *");
  });
});

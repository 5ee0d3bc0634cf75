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
    const hpa = Object.values(resourcesOf(json, "kubernetes_horizontal_pod_autoscaler_v2"))[0] as any;
    expect([hpa.spec.min_replicas, hpa.spec.max_replicas]).toEqual([plan.autoscaling.minReplicas, plan.autoscaling.maxReplicas]);
    const m = manifestsByKind(json);
    expect(m.ScaledObject[0].spec.triggers[0].metadata.lagThreshold).toBe(String(plan.autoscaling.workers.lagThreshold));
    expect(m.ScaledObject[0].spec.triggers[0].metadata.topic).toBe(sizing.worker.requestTopic);
    expect(sizing.worker.deadLetterTopic).not.toBe(sizing.worker.requestTopic);
    expect(m.VirtualService[0].spec.http[0].timeout).toBe(`${plan.admission.requestTimeoutSeconds}s`);
    // The admitted rate survives the token-bucket rounding within one token per fill interval.
    const bucket = m.EnvoyFilter[0].spec.configPatches[0].patch.value.typed_config.token_bucket;
    const intervalSeconds = parseFloat(bucket.fill_interval);
    const admittedPerSecond = (bucket.tokens_per_fill / intervalSeconds) * 3;
    expect(Math.abs(admittedPerSecond - plan.admission.maxRequestsPerSecond)).toBeLessThanOrEqual(3 / intervalSeconds);
    expect(bucket.tokens_per_fill).toBeLessThanOrEqual(bucket.max_tokens);
  });
});

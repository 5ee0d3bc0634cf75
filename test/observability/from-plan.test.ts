import { planCapacity } from "../../lib/capacity/plan";
import { CapacityPlan } from "../../lib/capacity/types";
import { AlertRuleSet, observabilityPropsFromPlan, thresholdsFromPlan, VLLM_TTFT_BUCKETS_SECONDS } from "../../lib/observability";
import { capacityInputOf, ENVIRONMENTS } from "../../stacks/environments";

const plan = planCapacity(capacityInputOf(ENVIRONMENTS.prod));

describe("observabilityPropsFromPlan", () => {
  it("takes the SLOs from the plan's input", () => {
    const props = observabilityPropsFromPlan(plan);
    expect(props.slo).toEqual(plan.input.workload.slo);
    expect(props.sources?.kafkaTopic).toBe(plan.kafka.topics[0].name);
  });

  it("derives the thresholds from the plan's sizes", () => {
    expect(thresholdsFromPlan(plan)).toEqual({
      queueWaitingPerReplica: 2 * plan.autoscaling.targetQueueDepthPerReplica,
      minGpus: plan.inference.replicas.min * plan.inference.gpusPerReplica,
      kafkaLagMessages: plan.autoscaling.workers.maxReplicas * plan.autoscaling.workers.lagThreshold,
      rdsProxyMaxConnections: Math.floor((plan.database.maxConnections * plan.database.proxyMaxConnectionsPercent) / 100),
      expectedPrefixCacheHitRatio: plan.kvCache?.effectiveHitShare ?? 0,
    });
  });

  it("holds the fleet to the prefix-cache hit share the plan counts: the hit-rate alert follows it", () => {
    const saving: CapacityPlan = { ...plan, kvCache: { ...plan.kvCache!, effectiveHitShare: 0.3 } };
    const rules = new AlertRuleSet(observabilityPropsFromPlan(saving, { ttftBucketsSeconds: VLLM_TTFT_BUCKETS_SECONDS }));
    const alert = rules.groups.flatMap((g) => g.rules).find((r: any) => r.alert === "InferencePrefixCacheHitRateLow") as any;
    expect(alert.expr).toContain("< 0.15 and");
    expect(alert.annotations.description).toContain("the plan assumes 30%");
    const none: CapacityPlan = { ...plan, kvCache: { ...plan.kvCache!, effectiveHitShare: 0 } };
    expect(new AlertRuleSet(observabilityPropsFromPlan(none, { ttftBucketsSeconds: VLLM_TTFT_BUCKETS_SECONDS })).groups.flatMap((g) => g.rules).map((r: any) => r.alert)).not.toContain("InferencePrefixCacheHitRateLow");
  });

  it("follows a change of the plan into the alert expressions", () => {
    const bigger: CapacityPlan = {
      ...plan,
      input: { ...plan.input, workload: { ...plan.input.workload, slo: { ...plan.input.workload.slo, availability: 0.99, ttftP99Seconds: 5 } } },
      inference: { ...plan.inference, replicas: { ...plan.inference.replicas, min: 7 }, gpusPerReplica: 2 },
      autoscaling: { ...plan.autoscaling, workers: { ...plan.autoscaling.workers, maxReplicas: 12, lagThreshold: 250 } },
      database: { ...plan.database, maxConnections: 2000, proxyMaxConnectionsPercent: 70 },
    };
    const rules = new AlertRuleSet(observabilityPropsFromPlan(bigger));
    expect(rules.alert("GpusMissing").expr).toMatch(/< 14$/);
    expect(rules.alert("KafkaConsumerLagGrowing").expr).toContain("> 3000 and");
    expect(rules.alert("RdsProxyConnectionsNearLimit").expr).toMatch(/> 1260$/); // floor(1400 x 0.9)
    expect(rules.alert("InferenceAvailabilityFastBurn").expr).toContain("> 0.144 and");
    expect(rules.ttftBucketSeconds).toBe(5);
  });

  it("lets options override sources and thresholds, and round the TTFT SLO to vLLM's buckets", () => {
    const props = observabilityPropsFromPlan(plan, {
      sources: { inferenceNamespace: "llm", kafkaTopic: "other" },
      thresholds: { minGpus: 1 },
      ttftBucketsSeconds: VLLM_TTFT_BUCKETS_SECONDS,
    });
    expect(props.sources).toMatchObject({ inferenceNamespace: "llm", kafkaTopic: "other" });
    expect(props.thresholds?.minGpus).toBe(1);
    const rules = new AlertRuleSet(props);
    expect(VLLM_TTFT_BUCKETS_SECONDS).toContain(rules.ttftBucketSeconds);
    expect(rules.ttftBucketSeconds).toBeGreaterThanOrEqual(plan.input.workload.slo.ttftP99Seconds);
  });
});

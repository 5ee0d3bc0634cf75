import type { CapacityPlan } from "../capacity/types";
import { AlertRuleSetProps, SaturationThresholds } from "./alert-rule-set";
import { SignalSources } from "./signals";

/** Options of {@link observabilityPropsFromPlan}: what the plan does not know. */
export interface ObservabilityPlanOptions {
  /** Names of the objects the metrics come from. @default see {@link SignalSources}, with the plan's first Kafka topic */
  readonly sources?: SignalSources;
  /**
   * TTFT histogram boundaries; pass `VLLM_TTFT_BUCKETS_SECONDS` to round an SLO that is not
   * a vLLM boundary up to the next one (the rule set reports the bucket it chose).
   * @default none: the SLO must equal a vLLM boundary
   */
  readonly ttftBucketsSeconds?: readonly number[];
  /** Overrides of the thresholds derived from the plan. @default none */
  readonly thresholds?: SaturationThresholds;
  /** Document that holds the runbooks. @default "README.md" */
  readonly runbookBaseUrl?: string;
}

/**
 * The saturation thresholds a capacity plan implies:
 * - queue: twice the HPA's target waiting requests per replica (the HPA is falling behind);
 * - KV cache is not derived: "near full" is absolute (default 0.95), whatever the HPA targets;
 * - GPUs: `replicas.min x gpusPerReplica`, the floor the plan always keeps;
 * - Kafka lag: the workers' max replicas x KEDA's lag threshold, the lag at which KEDA can add no worker;
 * - RDS Proxy: `max_connections x MaxConnectionsPercent / 100`, the connections the proxy may open;
 * - prefix cache: the share of prompt tokens the plan counts as prefix-cache hits (`kvCache.effectiveHitShare`), with
 *   remote-tier hits at their full count (vLLM counts a token LMCache fetched as an external hit, while the plan counts
 *   it at its saving over prefill).
 */
export function thresholdsFromPlan(plan: CapacityPlan): SaturationThresholds {
  return {
    queueWaitingPerReplica: 2 * plan.autoscaling.targetQueueDepthPerReplica,
    minGpus: plan.inference.replicas.min * plan.inference.gpusPerReplica,
    kafkaLagMessages: plan.autoscaling.workers.maxReplicas * plan.autoscaling.workers.lagThreshold,
    rdsProxyMaxConnections: Math.floor((plan.database.maxConnections * plan.database.proxyMaxConnectionsPercent) / 100),
    // The prefill saving the plan counts on comes from the deployed prefix cache (vLLM GPU + CPU
    // tiers behind the prefix-aware picker), measured by vLLM in the same unit (prompt tokens hit /
    // prompt tokens queried), so that is the hit share the fleet is held to.
    expectedPrefixCacheHitRatio: (plan.kvCache?.effectiveHitShare ?? 0) + ((plan.kvCache?.remoteTier?.hitShare ?? 0) - (plan.kvCache?.remoteTier?.countedHitShare ?? 0)),
  };
}

/**
 * Props for `SloAlertRules`/`AlertRuleSet` from a capacity plan: the SLOs of the
 * plan's input and the thresholds of {@link thresholdsFromPlan}. Pure; the stacks call it.
 *
 * @example
 * const plan = planCapacity(capacityInputOf(env));
 * const alerts = new SloAlertRules(this, "Alerts", observabilityPropsFromPlan(plan, { sources: { inferenceNamespace: "inference" } }));
 */
export function observabilityPropsFromPlan(plan: CapacityPlan, options: ObservabilityPlanOptions = {}): AlertRuleSetProps {
  const topic = plan.kafka.topics[0]?.name;
  return {
    slo: {
      availability: plan.input.workload.slo.availability,
      ttftP99Seconds: plan.input.workload.slo.ttftP99Seconds,
      tpotP99Seconds: plan.input.workload.slo.tpotP99Seconds,
    },
    sources: { ...(topic ? { kafkaTopic: topic } : {}), ...(options.sources ?? {}) },
    thresholds: { ...thresholdsFromPlan(plan), ...(options.thresholds ?? {}) },
    ...(options.ttftBucketsSeconds ? { ttftBucketsSeconds: options.ttftBucketsSeconds } : {}),
    ...(options.runbookBaseUrl ? { runbookBaseUrl: options.runbookBaseUrl } : {}),
  };
}

import { AlertRuleSet, TTFT_OBJECTIVE } from "./alert-rule-set";
import { Dashboard, DashboardBuilder } from "./grafana-dashboard";
import { sliRecordName } from "./private/burn-rate";
import { num, selector } from "./private/promql";
import { inferenceServiceMatcher, METRICS } from "./signals";

/**
 * Headroom's four dashboards, generated from the same rule set (SLOs, thresholds,
 * signal names) as the alerts, so a line on a panel and an alert threshold never
 * disagree. Each shows the source article's indicators for one part of the path.
 *
 * @example
 * const dashboards = headroomDashboards(new AlertRuleSet({ slo: { availability: 0.999, ttftP99Seconds: 1 } }));
 */
export function headroomDashboards(rules: AlertRuleSet): Dashboard[] {
  return [serviceOverview(rules), gpuFleet(rules), asyncPath(rules), dataTier(rules)];
}

/** Request rate, TTFT and end-to-end percentiles, 4xx/5xx/429 rates and error budget left. */
export function serviceOverview(rules: AlertRuleSet): Dashboard {
  const s = rules.sources;
  // The gateway reaches the replicas through the Service (least-request) or the pool's shadow Service.
  const gwLabels = { reporter: "source", source_workload: s.gatewayWorkload, destination_service_namespace: s.inferenceNamespace };
  const gw = selector(gwLabels, inferenceServiceMatcher(s));
  const gwCode = (re: string): string => `sum(rate(${METRICS.istioRequests}${selector(gwLabels, inferenceServiceMatcher(s), `response_code=~"${re}"`)}[5m]))`;
  const ns = selector({ namespace: s.inferenceNamespace });
  const quantile = (metric: string, q: number): string => `histogram_quantile(${q}, sum by (le) (rate(${metric}_bucket${ns}[5m])))`;
  const sli = (slo: string, window: number): string => `${sliRecordName(window)}${selector({ slo, service: s.inferenceService })}`;
  const budget = rules.availabilityBudget;
  const ttftBudget = 1 - TTFT_OBJECTIVE;
  // Budget left over the 30-day window, from the 5m ratio averaged over time (not traffic-weighted; cheap).
  const budgetLeft = (slo: string, b: number): string => `1 - (avg_over_time(${sli(slo, 300)}[30d]) / ${num(b)})`;
  return new DashboardBuilder(
    "headroom-service-overview",
    "Headroom / Service overview",
    `Inference service ${s.inferenceNamespace}/${s.inferenceService}: traffic, latency against the SLO, errors and error budget.`,
    ["headroom", "slo"],
  )
    .stat("Availability budget left (30d)", [[budgetLeft("availability", budget), "budget left"]], { unit: "percentunit", thresholds: [[0, "red"], [0.25, "orange"], [0.5, "green"]], min: 0, max: 1 })
    .stat("TTFT budget left (30d)", [[budgetLeft("ttft", ttftBudget), "budget left"]], { unit: "percentunit", thresholds: [[0, "red"], [0.25, "orange"], [0.5, "green"]], min: 0, max: 1 })
    .stat("Availability burn rate (1h)", [[`${sli("availability", 3600)} / ${num(budget)}`, "burn rate"]], { unit: "suffix:x", thresholds: [[6, "orange"], [14.4, "red"]] })
    .stat("TTFT burn rate (1h)", [[`${sli("ttft", 3600)} / ${num(ttftBudget)}`, "burn rate"]], { unit: "suffix:x", thresholds: [[6, "orange"], [14.4, "red"]] })
    .timeseries("Request rate at the gateway", [[`sum by (response_code) (rate(${METRICS.istioRequests}${gw}[5m]))`, "{{response_code}}"]], { unit: "reqps" })
    .timeseries(
      "Errors: 5xx, 4xx and 429 (shed by admission control)",
      [
        [gwCode("5.."), "5xx"],
        [gwCode("4.."), "4xx (incl. 429)"],
        [gwCode("429"), "429"],
      ],
      { unit: "reqps" },
    )
    .timeseries(
      "Time to first token",
      [
        [quantile(METRICS.ttft, 0.5), "p50"],
        [quantile(METRICS.ttft, 0.95), "p95"],
        [quantile(METRICS.ttft, 0.99), "p99"],
        [`vector(${num(rules.ttftBucketSeconds)})`, "SLO (p99)"],
      ],
      { unit: "s", description: `SLO: ${num(TTFT_OBJECTIVE * 100)}% of requests within ${num(rules.ttftBucketSeconds)}s.` },
    )
    .timeseries(
      "End-to-end latency",
      [
        [quantile(METRICS.e2eLatency, 0.5), "p50"],
        [quantile(METRICS.e2eLatency, 0.95), "p95"],
        [quantile(METRICS.e2eLatency, 0.99), "p99"],
      ],
      { unit: "s" },
    )
    .timeseries(
      "Time per output token",
      [
        [quantile(METRICS.interTokenLatency, 0.5), "p50"],
        [quantile(METRICS.interTokenLatency, 0.99), "p99"],
        ...(rules.tpotP99Seconds !== undefined ? [[`vector(${num(rules.tpotP99Seconds)})`, "SLO (p99)"] as const] : []),
      ],
      { unit: "s" },
    )
    .timeseries(
      "SLI error ratios",
      [
        [sli("availability", 300), "5xx ratio (5m)"],
        [sli("ttft", 300), "slow TTFT ratio (5m)"],
        [`vector(${num(budget)})`, "availability budget"],
      ],
      { unit: "percentunit" },
    )
    // The request path through the endpoint picker and the KV-cache tiers.
    .timeseries(
      "Prefix-cache hit rate (share of prompt tokens)",
      [
        [`sum(rate(${METRICS.prefixCacheHits}${ns}[5m])) / sum(rate(${METRICS.prefixCacheQueries}${ns}[5m]))`, "GPU tier"],
        [`sum(rate(${METRICS.externalPrefixCacheHits}${ns}[5m])) / sum(rate(${METRICS.prefixCacheQueries}${ns}[5m]))`, "CPU offload tier"],
        ...(rules.thresholds.expectedPrefixCacheHitRatio > 0
          ? [
              [`vector(${num(rules.thresholds.expectedPrefixCacheHitRatio)})`, "plan assumes"] as const,
              [`vector(${num(rules.thresholds.expectedPrefixCacheHitRatio * rules.thresholds.prefixCacheAlertFraction)})`, "alert below"] as const,
            ]
          : []),
      ],
      { unit: "percentunit", min: 0, max: 1, description: "vLLM prefix_cache_hits / prefix_cache_queries (tokens); the CPU tier is vLLM's KV-connector (external) hits." },
    )
    .timeseries(
      "KV offload hits per replica (tokens/s)",
      [
        [`sum by (pod) (rate(${METRICS.externalPrefixCacheHits}${ns}[5m]))`, "{{pod}} hits"],
        [`sum by (pod) (rate(${METRICS.externalPrefixCacheQueries}${ns}[5m]))`, "{{pod}} queried"],
      ],
      { unit: "short" },
    )
    .timeseries(
      "Endpoint picker decisions by replica",
      [[`sum by (pod_name, status) (rate(${METRICS.eppSchedulerAttempts}${ns}[5m]))`, "{{pod_name}} {{status}}"]],
      { unit: "reqps", description: "Scheduling attempts of the endpoint picker per chosen replica and outcome: a skew shows prefix affinity at work; failures mean no replica was eligible." },
    )
    .timeseries(
      "Pool queue and KV cache seen by the picker",
      [
        [`max(${METRICS.eppPoolQueue}${ns})`, "avg waiting per replica"],
        [`max(${METRICS.eppPoolKvCache}${ns})`, "avg KV-cache use"],
        [`max(${METRICS.eppPoolReadyPods}${ns})`, "ready replicas"],
      ],
      { unit: "short" },
    )
    .timeseries(
      "Picker scheduling latency and prefix match",
      [
        [`histogram_quantile(0.99, sum by (le) (rate(${METRICS.eppSchedulerLatency}_bucket${ns}[5m])))`, "scheduling p99 (s)"],
        [`histogram_quantile(0.5, sum by (le) (rate(${METRICS.eppPrefixIndexerHitRatio}_bucket${ns}[5m])))`, "prefix match ratio p50"],
      ],
      { unit: "short" },
    )
    .build();
}

/** GPU utilization and memory, KV cache, engine queue, replicas against the HPA bounds. */
export function gpuFleet(rules: AlertRuleSet): Dashboard {
  const s = rules.sources;
  const gpu = selector(s.gpuSelector);
  const ns = selector({ namespace: s.inferenceNamespace });
  const hpa = selector({ namespace: s.inferenceNamespace, horizontalpodautoscaler: s.inferenceHpa });
  return new DashboardBuilder("headroom-gpu-fleet", "Headroom / GPU fleet", "GPU use, KV cache and queue per replica, replicas against the HPA bounds.", ["headroom", "gpu"])
    .stat("GPUs reporting", [[`count(${METRICS.gpuUtil}${gpu})`, "GPUs"]], { thresholds: [[0, "red"], [rules.thresholds.minGpus, "green"]] })
    .stat("Fleet GPU utilization", [[`avg(${METRICS.gpuUtil}${gpu})`, "avg"]], { unit: "percent", thresholds: [[rules.thresholds.gpuUtilizationPercent, "red"]], min: 0, max: 100 })
    .stat("Waiting requests", [[`sum(${METRICS.waiting}${ns})`, "waiting"]])
    .stat("Running requests", [[`sum(${METRICS.running}${ns})`, "running"]])
    .timeseries("GPU utilization", [[`avg by (Hostname, gpu) (${METRICS.gpuUtil}${gpu})`, "{{Hostname}} gpu{{gpu}}"]], { unit: "percent", min: 0, max: 100 })
    .timeseries(
      "GPU memory used",
      [[`${METRICS.gpuFbUsed}${gpu} / (${METRICS.gpuFbUsed}${gpu} + ${METRICS.gpuFbFree}${gpu})`, "{{Hostname}} gpu{{gpu}}"]],
      { unit: "percentunit", min: 0, max: 1 },
    )
    .timeseries(
      "KV-cache use per replica",
      [
        [`max by (pod) (${s.kvCacheMetric}${ns})`, "{{pod}}"],
        [`vector(${num(rules.thresholds.kvCacheUsageRatio)})`, "alert threshold"],
      ],
      { unit: "percentunit", min: 0, max: 1 },
    )
    .timeseries(
      "Queue per replica",
      [
        [`sum by (pod) (${METRICS.waiting}${ns})`, "waiting {{pod}}"],
        [`sum by (pod) (${METRICS.running}${ns})`, "running {{pod}}"],
        [`vector(${num(rules.thresholds.queueWaitingPerReplica)})`, "alert threshold (waiting)"],
      ],
    )
    .timeseries(
      "Replicas against the HPA bounds",
      [
        [`max(${METRICS.hpaCurrent}${hpa})`, "current"],
        [`max(${METRICS.hpaDesired}${hpa})`, "desired"],
        [`max(${METRICS.hpaMin}${hpa})`, "min"],
        [`max(${METRICS.hpaMax}${hpa})`, "max"],
      ],
      { width: 24 },
    )
    .build();
}

/** Kafka consumer lag, worker throughput and worker replicas. */
export function asyncPath(rules: AlertRuleSet): Dashboard {
  const s = rules.sources;
  const lag = `${METRICS.mskSumOffsetLag}${selector({ consumer_group: s.kafkaConsumerGroup, topic: s.kafkaTopic })}`;
  const calls = selector({ reporter: "destination", source_workload: s.worker, destination_service_name: s.inferenceService });
  const kedaHpa = selector({ namespace: s.workerNamespace, horizontalpodautoscaler: `keda-hpa-${s.worker}` });
  return new DashboardBuilder("headroom-async-path", "Headroom / Async path", "Requests buffered in Kafka and the KEDA-scaled workers that drain them.", ["headroom", "kafka"])
    .timeseries(
      "Consumer lag (MSK SumOffsetLag)",
      [
        [`sum(${lag})`, "lag"],
        [`vector(${num(rules.thresholds.kafkaLagMessages)})`, "alert threshold (max workers x lag threshold)"],
      ],
      { unit: "short" },
    )
    .timeseries("Lag trend", [[`deriv(sum(${lag})[30m:1m])`, "messages/s (positive: growing)"]], { unit: "short" })
    .timeseries("Worker throughput (calls to inference)", [[`sum by (response_code) (rate(${METRICS.istioRequests}${calls}[5m]))`, "{{response_code}}"]], { unit: "reqps" })
    .timeseries(
      "Worker replicas",
      [
        [`max(${METRICS.hpaCurrent}${kedaHpa})`, "current"],
        [`max(${METRICS.hpaMax}${kedaHpa})`, "max"],
      ],
    )
    .timeseries(
      "KEDA scaler metric",
      [[`sum by (metric) (${METRICS.kedaScalerValue}${selector({ namespace: s.workerNamespace, scaledObject: s.worker })})`, "{{metric}}"]],
      { width: 24, description: "The value KEDA hands the HPA (capped by partitions x lag threshold)." },
    )
    .build();
}

/** Redis hit ratio, memory and evictions; RDS Proxy connections and replica lag. */
export function dataTier(rules: AlertRuleSet): Dashboard {
  const s = rules.sources;
  const redis = selector({}, `cache_cluster_id=~"${s.redisReplicationGroupId}-.*"`);
  const proxy = selector({ proxy_name: s.rdsProxyName });
  const replicas = selector({}, `dbinstance_identifier=~"${s.rdsInstancePrefix}.*"`);
  const limit = rules.thresholds.rdsProxyMaxConnections;
  return new DashboardBuilder("headroom-data-tier", "Headroom / Data tier", "ElastiCache Redis and RDS PostgreSQL through RDS Proxy (CloudWatch via the CloudWatch exporter).", ["headroom", "data"])
    .timeseries(
      "Redis hit ratio",
      [[`sum(${METRICS.redisHits}${redis}) / (sum(${METRICS.redisHits}${redis}) + sum(${METRICS.redisMisses}${redis}))`, "hit ratio"]],
      { unit: "percentunit", min: 0, max: 1 },
    )
    .timeseries(
      "Redis memory use",
      [
        [`max by (cache_cluster_id) (${METRICS.redisMemoryPercent}${redis})`, "{{cache_cluster_id}}"],
        [`vector(${num(rules.thresholds.redisMemoryPercent)})`, "alert threshold"],
      ],
      { unit: "percent", min: 0, max: 100 },
    )
    .timeseries("Redis evictions", [[`sum by (cache_cluster_id) (${METRICS.redisEvictions}${redis})`, "{{cache_cluster_id}}"]])
    .timeseries(
      "RDS Proxy connections",
      [
        [`max(${METRICS.rdsProxyDatabaseConnections}${proxy})`, "proxy to database"],
        [`max(${METRICS.rdsProxyClientConnections}${proxy})`, "clients to proxy"],
        limit === undefined ? [`max(${METRICS.rdsProxyMaxConnectionsAllowed}${proxy})`, "limit"] : [`vector(${limit})`, "planned limit"],
      ],
    )
    .timeseries("RDS read replica lag", [[`max by (dbinstance_identifier) (${METRICS.rdsReplicaLag}${replicas})`, "{{dbinstance_identifier}}"]], { unit: "s", width: 24 })
    .build();
}

import { AlertDefinition, TestSeries } from "../rule-model";
import { METRICS, ResolvedSignalSources } from "../signals";
import { num, selector } from "./promql";

/** Resolved saturation thresholds (see `SaturationThresholds` for meaning and defaults). */
export interface ResolvedThresholds {
  readonly queueWaitingPerReplica: number;
  readonly kvCacheUsageRatio: number;
  readonly gpuUtilizationPercent: number;
  readonly minGpus: number;
  readonly kafkaLagMessages: number;
  readonly redisMemoryPercent: number;
  readonly rdsProxyMaxConnections?: number;
  readonly rdsConnectionsRatio: number;
  readonly expectedPrefixCacheHitRatio: number;
  readonly prefixCacheAlertFraction: number;
}

const series = (name: string, labels: Readonly<Record<string, string>>, values: string): TestSeries => ({
  series: `${name}${selector(labels)}`,
  values,
});

/** Saturation alerts: each has a firing and a silent scenario. */
export function saturationAlerts(src: ResolvedSignalSources, t: ResolvedThresholds, runbookUrl: (alert: string) => string): AlertDefinition[] {
  const ns = { namespace: src.inferenceNamespace };
  const waiting = `${METRICS.waiting}${selector(ns)}`;
  const kv = `${src.kvCacheMetric}${selector(ns)}`;
  const gpu = `${METRICS.gpuUtil}${selector(src.gpuSelector)}`;
  const lagLabels = { consumer_group: src.kafkaConsumerGroup, topic: src.kafkaTopic };
  const lag = `${METRICS.mskSumOffsetLag}${selector(lagLabels)}`;
  const redisSel = selector({}, `cache_cluster_id=~"${src.redisReplicationGroupId}-.*"`);
  const proxy = { proxy_name: src.rdsProxyName };
  const hpa = { namespace: src.inferenceNamespace, horizontalpodautoscaler: src.inferenceHpa };
  const pod = (name: string): Record<string, string> => ({ ...ns, pod: name });
  const redisNode = { cache_cluster_id: `${src.redisReplicationGroupId}-0001-001` };
  const rdsLimit = t.rdsProxyMaxConnections;
  const rdsThreshold = rdsLimit === undefined ? undefined : Math.floor(rdsLimit * t.rdsConnectionsRatio);
  // Scenario values: halfway between the threshold and the limit, and half the threshold
  // (against a MaxDatabaseConnectionsAllowed of 100 when no planned limit is given).
  const rdsBase = rdsLimit ?? 100;
  const rdsFireConnections = Math.ceil(rdsBase * ((1 + t.rdsConnectionsRatio) / 2));
  const rdsQuietConnections = Math.floor(rdsBase * t.rdsConnectionsRatio * 0.5);
  const hpaMaxForTest = 4;
  const gpusPresent = (n: number): TestSeries[] =>
    Array.from({ length: n }, (_, i) => series(METRICS.gpuUtil, { ...src.gpuSelector, Hostname: `node-${Math.floor(i / 8)}`, gpu: String(i % 8) }, "50+0x60"));

  // Prefix-cache hit share of prompt tokens over 30m, GPU and offload tier together, only while
  // there is traffic (a quiet service has no ratio, not a bad one).
  const hitWindow = "30m";
  const sum = (metric: string) => `sum(rate(${metric}${selector(ns)}[${hitWindow}]))`;
  // A server without a KV connector has no external_ series: count it as 0, not as "no ratio".
  const hitRatio = `(${sum(METRICS.prefixCacheHits)} + (${sum(METRICS.externalPrefixCacheHits)} or vector(0))) / ${sum(METRICS.prefixCacheQueries)}`;
  const hitFloor = t.expectedPrefixCacheHitRatio * t.prefixCacheAlertFraction;
  // Test traffic: 1,000 queried tokens per minute per replica; hits at a share of them.
  const prefixSeries = (hitShare: number): TestSeries[] => [
    series(METRICS.prefixCacheQueries, pod("vllm-a"), "0+1000x90"),
    series(METRICS.prefixCacheHits, pod("vllm-a"), `0+${num(1000 * hitShare * 0.8)}x90`),
    series(METRICS.externalPrefixCacheHits, pod("vllm-a"), `0+${num(1000 * hitShare * 0.2)}x90`),
  ];
  const prefixAlert: AlertDefinition[] =
    t.expectedPrefixCacheHitRatio > 0
      ? [
          {
            rule: {
              alert: "InferencePrefixCacheHitRateLow",
              expr: `(${hitRatio}) < ${num(hitFloor)} and ${sum(METRICS.prefixCacheQueries)} > 0`,
              for: "30m",
              labels: { severity: "warning" },
              annotations: {
                summary: "The prefix-cache hit rate is far below what the capacity plan assumes",
                description: `Less than ${num(hitFloor * 100)}% of prompt tokens hit the prefix cache (GPU or CPU tier) over 30 minutes for 30 minutes; the plan assumes ${num(t.expectedPrefixCacheHitRatio * 100)}%. Prefill costs more GPU time than planned: TTFT and capacity suffer. The plan is too small for this traffic.`,
                runbook_url: runbookUrl("InferencePrefixCacheHitRateLow"),
              },
            },
            scenarios: [
              { name: "hits at a fifth of the plan's share", inputSeries: prefixSeries(hitFloor * 0.4), evalTime: "75m", fires: true },
              { name: "hits at the plan's share", inputSeries: prefixSeries(t.expectedPrefixCacheHitRatio), evalTime: "75m", fires: false },
              {
                name: "GPU-tier hits only (no connector series) at a fifth of the plan's share",
                inputSeries: [series(METRICS.prefixCacheQueries, pod("vllm-a"), "0+1000x90"), series(METRICS.prefixCacheHits, pod("vllm-a"), `0+${num(1000 * hitFloor * 0.4)}x90`)],
                evalTime: "75m",
                fires: true,
              },
              { name: "no traffic", inputSeries: [series(METRICS.prefixCacheQueries, pod("vllm-a"), "0+0x90"), series(METRICS.prefixCacheHits, pod("vllm-a"), "0+0x90")], evalTime: "75m", fires: false },
            ],
          },
        ]
      : [];
  return [
    ...prefixAlert,
    {
      rule: {
        alert: "InferenceQueueBacklogGrowing",
        expr: `(sum(${waiting}) / count(${waiting})) > ${num(t.queueWaitingPerReplica)} and deriv(sum(${waiting})[15m:1m]) > 0`,
        for: "10m",
        labels: { severity: "warning" },
        annotations: {
          summary: "Inference requests are queueing and the queue keeps growing",
          description: `Waiting requests per replica are above ${num(t.queueWaitingPerReplica)} and still rising over 15 minutes: arrivals exceed what the replicas serve, TTFT will follow. Check that the HPA is scaling and that GPU nodes are joining.`,
          runbook_url: runbookUrl("InferenceQueueBacklogGrowing"),
        },
      },
      scenarios: [
        {
          name: "queue above the threshold and rising",
          inputSeries: [
            series(METRICS.waiting, pod("vllm-a"), `${num(t.queueWaitingPerReplica + 1)}+1x60`),
            series(METRICS.waiting, pod("vllm-b"), `${num(t.queueWaitingPerReplica + 1)}+1x60`),
          ],
          evalTime: "40m",
          fires: true,
        },
        {
          name: "queue above the threshold but flat (the replicas keep up)",
          inputSeries: [
            series(METRICS.waiting, pod("vllm-a"), `${num(t.queueWaitingPerReplica * 2 + 1)}+0x60`),
            series(METRICS.waiting, pod("vllm-b"), `${num(t.queueWaitingPerReplica * 2 + 1)}+0x60`),
          ],
          evalTime: "40m",
          fires: false,
        },
      ],
    },
    {
      rule: {
        alert: "InferenceKvCacheNearFull",
        expr: `max by (namespace, pod) (${kv}) > ${num(t.kvCacheUsageRatio)}`,
        for: "10m",
        labels: { severity: "warning" },
        annotations: {
          summary: "A vLLM replica's KV cache is nearly full",
          description: `KV-cache use above ${num(t.kvCacheUsageRatio * 100)}% for 10 minutes: vLLM preempts sequences and recomputes them, throughput drops and TTFT rises.`,
          runbook_url: runbookUrl("InferenceKvCacheNearFull"),
        },
      },
      scenarios: [
        {
          name: "one replica at 99%",
          inputSeries: [series(src.kvCacheMetric, pod("vllm-a"), "0.99+0x60"), series(src.kvCacheMetric, pod("vllm-b"), "0.5+0x60")],
          evalTime: "30m",
          fires: true,
          exprLabels: pod("vllm-a"),
        },
        {
          name: "replicas below the threshold",
          inputSeries: [series(src.kvCacheMetric, pod("vllm-a"), `${num(t.kvCacheUsageRatio - 0.05)}+0x60`)],
          evalTime: "30m",
          fires: false,
        },
      ],
    },
    {
      rule: {
        alert: "GpuUtilizationPinned",
        expr: `avg(${gpu}) > ${num(t.gpuUtilizationPercent)}`,
        for: "15m",
        labels: { severity: "warning" },
        annotations: {
          summary: "The GPU fleet is pinned near 100% utilization",
          description: `Average GPU utilization above ${num(t.gpuUtilizationPercent)}% for 15 minutes: there is no headroom left for a burst. Check the HPA bounds and the capacity plan.`,
          runbook_url: runbookUrl("GpuUtilizationPinned"),
        },
      },
      scenarios: [
        {
          name: "every GPU at 99%",
          inputSeries: [
            series(METRICS.gpuUtil, { ...src.gpuSelector, Hostname: "node-0", gpu: "0" }, "99+0x60"),
            series(METRICS.gpuUtil, { ...src.gpuSelector, Hostname: "node-0", gpu: "1" }, "99+0x60"),
          ],
          evalTime: "30m",
          fires: true,
        },
        {
          name: "GPUs at 70%",
          inputSeries: [series(METRICS.gpuUtil, { ...src.gpuSelector, Hostname: "node-0", gpu: "0" }, "70+0x60")],
          evalTime: "30m",
          fires: false,
        },
      ],
    },
    {
      rule: {
        alert: "GpusMissing",
        expr: `(count(${gpu}) or vector(0)) < ${t.minGpus}`,
        for: "10m",
        labels: { severity: "critical" },
        annotations: {
          summary: "Fewer GPUs report metrics than the plan's minimum",
          description: `Fewer than ${t.minGpus} GPUs (the plan's minimum replicas x GPUs per replica) have reported DCGM metrics for 10 minutes: nodes failed to join, the device plugin or DCGM exporter is down, or GPUs fell off the bus.`,
          runbook_url: runbookUrl("GpusMissing"),
        },
      },
      scenarios: [
        {
          name: `${t.minGpus - 1} GPUs reporting`,
          // An unrelated series keeps the input non-empty when no GPU reports at all.
          inputSeries: [...gpusPresent(t.minGpus - 1), series("up", { job: "kube-state-metrics" }, "1+0x60")],
          evalTime: "30m",
          fires: true,
        },
        { name: `${t.minGpus} GPUs reporting`, inputSeries: gpusPresent(t.minGpus), evalTime: "30m", fires: false },
      ],
    },
    {
      rule: {
        alert: "KafkaConsumerLagGrowing",
        expr: `sum(${lag}) > ${num(t.kafkaLagMessages)} and deriv(sum(${lag})[30m:1m]) > 0`,
        for: "15m",
        labels: { severity: "warning" },
        annotations: {
          summary: "Async request lag is above what the workers can absorb and still growing",
          description: `Consumer lag (MSK SumOffsetLag) is above ${num(t.kafkaLagMessages)} messages (max workers x KEDA lag threshold) and rising for 15 minutes: producers outpace the workers at their maximum scale, requests will exceed their queueing deadline.`,
          runbook_url: runbookUrl("KafkaConsumerLagGrowing"),
        },
      },
      scenarios: [
        {
          name: "lag above the threshold and rising",
          inputSeries: [series(METRICS.mskSumOffsetLag, lagLabels, `${num(t.kafkaLagMessages + 1)}+50x90`)],
          evalTime: "60m",
          fires: true,
        },
        {
          name: "lag above the threshold but draining",
          inputSeries: [series(METRICS.mskSumOffsetLag, lagLabels, `${num(t.kafkaLagMessages * 3 + 100)}-1x90`)],
          evalTime: "60m",
          fires: false,
        },
      ],
    },
    {
      rule: {
        alert: "RedisMemoryHigh",
        expr: `max by (cache_cluster_id) (${METRICS.redisMemoryPercent}${redisSel}) > ${num(t.redisMemoryPercent)}`,
        for: "15m",
        labels: { severity: "warning" },
        annotations: {
          summary: "A Redis node is close to its memory limit",
          description: `DatabaseMemoryUsagePercentage above ${num(t.redisMemoryPercent)}% for 15 minutes: the next step is evictions of cache, rate-limit and buffer keys. Scale the node type or shards in the capacity plan.`,
          runbook_url: runbookUrl("RedisMemoryHigh"),
        },
      },
      scenarios: [
        {
          name: "one node at 95%",
          inputSeries: [series(METRICS.redisMemoryPercent, redisNode, "95+0x60")],
          evalTime: "30m",
          fires: true,
          exprLabels: redisNode,
        },
        {
          name: "a node of another replication group at 95%, ours at 40%",
          inputSeries: [
            series(METRICS.redisMemoryPercent, { cache_cluster_id: "other-0001-001" }, "95+0x60"),
            series(METRICS.redisMemoryPercent, redisNode, "40+0x60"),
          ],
          evalTime: "30m",
          fires: false,
        },
      ],
    },
    {
      rule: {
        alert: "RedisEvicting",
        expr: `sum(${METRICS.redisEvictions}${redisSel}) > 0`,
        for: "15m",
        labels: { severity: "warning" },
        annotations: {
          summary: "Redis is evicting keys",
          description: "Evictions for 15 minutes: the data set no longer fits the planned memory; rate-limit and buffered-request keys may be lost along with cache entries.",
          runbook_url: runbookUrl("RedisEvicting"),
        },
      },
      scenarios: [
        { name: "steady evictions", inputSeries: [series(METRICS.redisEvictions, redisNode, "12+0x60")], evalTime: "30m", fires: true },
        { name: "no evictions", inputSeries: [series(METRICS.redisEvictions, redisNode, "0+0x60")], evalTime: "30m", fires: false },
      ],
    },
    {
      rule: {
        alert: "RdsProxyConnectionsNearLimit",
        expr:
          rdsThreshold === undefined
            ? `max(${METRICS.rdsProxyDatabaseConnections}${selector(proxy)}) / max(${METRICS.rdsProxyMaxConnectionsAllowed}${selector(proxy)}) > ${num(t.rdsConnectionsRatio)}`
            : `max(${METRICS.rdsProxyDatabaseConnections}${selector(proxy)}) > ${rdsThreshold}`,
        for: "10m",
        labels: { severity: "warning" },
        annotations: {
          summary: "RDS Proxy is close to its database connection limit",
          description:
            rdsLimit === undefined
              ? `Proxy-to-database connections above ${num(t.rdsConnectionsRatio * 100)}% of MaxDatabaseConnectionsAllowed for 10 minutes: new queries will wait for a connection (ConnectionBorrowTimeout) and then fail.`
              : `Proxy-to-database connections above ${rdsThreshold} (${num(t.rdsConnectionsRatio * 100)}% of the planned ${rdsLimit}) for 10 minutes: new queries will wait for a connection (ConnectionBorrowTimeout) and then fail.`,
          runbook_url: runbookUrl("RdsProxyConnectionsNearLimit"),
        },
      },
      scenarios: [
        {
          name: "connections just under the limit",
          inputSeries: [
            series(METRICS.rdsProxyDatabaseConnections, proxy, `${rdsFireConnections}+0x60`),
            ...(rdsLimit === undefined ? [series(METRICS.rdsProxyMaxConnectionsAllowed, proxy, "100+0x60")] : []),
          ],
          evalTime: "30m",
          fires: true,
        },
        {
          name: "connections at half the threshold",
          inputSeries: [
            series(METRICS.rdsProxyDatabaseConnections, proxy, `${rdsQuietConnections}+0x60`),
            ...(rdsLimit === undefined ? [series(METRICS.rdsProxyMaxConnectionsAllowed, proxy, "100+0x60")] : []),
          ],
          evalTime: "30m",
          fires: false,
        },
      ],
    },
    {
      rule: {
        alert: "InferenceHpaAtMaxReplicas",
        expr:
          `max by (namespace, horizontalpodautoscaler) (${METRICS.hpaCurrent}${selector(hpa)}) >= ` +
          `max by (namespace, horizontalpodautoscaler) (${METRICS.hpaMax}${selector(hpa)})`,
        for: "15m",
        labels: { severity: "warning" },
        annotations: {
          summary: "The inference HPA is at its maximum replicas",
          description: "The HPA has run at maxReplicas for 15 minutes: the capacity plan's ceiling is reached and further load queues or is shed with 429. Re-plan with the observed peak or raise the spike multiplier.",
          runbook_url: runbookUrl("InferenceHpaAtMaxReplicas"),
        },
      },
      scenarios: [
        {
          name: "current replicas equal to max",
          inputSeries: [series(METRICS.hpaCurrent, hpa, `${hpaMaxForTest}+0x60`), series(METRICS.hpaMax, hpa, `${hpaMaxForTest}+0x60`)],
          evalTime: "30m",
          fires: true,
          exprLabels: hpa,
        },
        {
          name: "one replica below max",
          inputSeries: [series(METRICS.hpaCurrent, hpa, `${hpaMaxForTest - 1}+0x60`), series(METRICS.hpaMax, hpa, `${hpaMaxForTest}+0x60`)],
          evalTime: "30m",
          fires: false,
        },
      ],
    },
  ];
}

/**
 * A human-readable plan report: the choices and why, the predicted latencies, the data tier,
 * the cost, and how far the source article's formula is off.
 */
import type { CapacityPlan, Explanation } from "./types";

/** Options of {@link formatPlanReport}. */
export interface PlanReportOptions {
  /** Title line, e.g. the environment name. @default "Capacity plan" */
  readonly title?: string;
  /** Append every explanation (formula, inputs, source). @default false */
  readonly explanations?: boolean;
}

const fmt = (n: number, digits = 2): string => (Number.isInteger(n) ? n.toLocaleString("en-US") : n.toLocaleString("en-US", { maximumFractionDigits: digits }));
const usd = (n: number): string => `$${n.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 0 })}`;

function hhmm(t: number): string {
  const d = ((t % 86_400) + 86_400) % 86_400;
  return `${String(Math.floor(d / 3600)).padStart(2, "0")}:${String(Math.floor((d % 3600) / 60)).padStart(2, "0")}`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd()).join("\n");
}

function why(plan: CapacityPlan, field: string): string {
  const e = plan.explanations.find((x) => x.field === field);
  return e ? e.formula : "";
}

function runnerUp(plan: CapacityPlan): string {
  const inputs = find(plan, "inference.instanceType")?.inputs;
  return inputs && inputs.runnerUp !== "none" ? `; next: ${inputs.runnerUp} at $${Number(inputs.runnerUpMonthlyGpuUsd).toLocaleString("en-US")}/month` : "";
}

function find(plan: CapacityPlan, field: string): Explanation | undefined {
  return plan.explanations.find((x) => x.field === field);
}

/**
 * Formats a plan as text.
 *
 * @example console.log(formatPlanReport(planCapacity(input), { title: "prod" }));
 */
export function formatPlanReport(plan: CapacityPlan, options: PlanReportOptions = {}): string {
  const { inference: inf, autoscaling: as, admission: ad, kafka, redis, database: db, system: sys, cost, classic } = plan;
  const w = plan.input.workload;
  const out: string[] = [];
  out.push(`${options.title ?? "Capacity plan"}: ${plan.input.model.name} (${plan.input.model.precision}), ${plan.input.region}, ${plan.input.availabilityZones} AZs`);
  out.push("=".repeat(Math.min(100, out[0]?.length ?? 0)));
  if (plan.input.region !== "us-east-1") out.push(`Note: prices are us-east-1 on-demand list prices; ${plan.input.region} differs.`);
  out.push(`Traffic: peak ${fmt(w.peakRequestsPerSecond)} req/s (baseline ${fmt(w.baselineRequestsPerSecond ?? 0)}, spike x${fmt(w.spike?.multiplier ?? 1)}), prefix-cache hits ${fmt((plan.kvCache?.effectiveHitShare ?? 0) * 100)}% of prompt tokens (${w.prefixCache?.routing ?? "prefix-affinity"}), async ${fmt((w.asyncShare ?? 0) * 100)}%`);
  const remote = plan.kvCache?.remoteTier;
  if (remote) {
    out.push(
      `Remote KV tier (LMCache on Valkey): ${fmt(remote.seconds)} s of prefilled KV (${fmt(plan.kvCache?.remoteTierGiB ?? 0)} GiB), fetch ${fmt(remote.fetchGbpsPerReplica)} Gbit/s per replica costs ${fmt(remote.fetchCostShare * 100)}% of a prefill; counts ${fmt(remote.countedHitShare * 100)}% of prompt tokens; carries ${fmt(remote.bandwidthGbps)} Gbit/s at the spike`,
    );
  }
  out.push(`Tokens: prompt mean ${fmt(w.promptTokens.mean)} / p99 ${fmt(w.promptTokens.p99 ?? 0)}, output mean ${fmt(w.outputTokens.mean)} / p99 ${fmt(w.outputTokens.p99 ?? 0)}`);
  out.push(`SLO: TTFT p99 <= ${w.slo.ttftP99Seconds} s, TPOT p99 <= ${w.slo.tpotP99Seconds} s, availability ${w.slo.availability}`);
  out.push("");
  out.push("GPU serving tier");
  out.push(
    table([
      ["choice", "value", "why"],
      ["instance type", `${inf.instanceType} (${inf.gpusPerNode} x ${inf.gpuModel})`, `${why(plan, "inference.instanceType")}${runnerUp(plan)}`],
      ["tensor parallel", `${inf.gpusPerReplica} GPU/replica, ${inf.replicasPerNode} replica/node`, why(plan, "inference.gpusPerReplica")],
      ["replicas", `min ${inf.replicas.min} / desired ${inf.replicas.desired} / max ${inf.replicas.max}`, why(plan, "inference.replicas.desired")],
      ["nodes", `min ${inf.nodes.min} / desired ${inf.nodes.desired} / max ${inf.nodes.max}`, why(plan, "inference.nodes.desired")],
      ["batch (max-num-seqs)", fmt(inf.perReplica.maxConcurrentSequences), "TPOT-, memory- and TTFT-limited batch"],
      ["per replica", `${fmt(inf.perReplica.requestsPerSecond, 3)} req/s, ${fmt(inf.perReplica.outputTokensPerSecond, 0)} out tok/s, prefill ${fmt(inf.perReplica.prefillTokensPerSecond, 0)} tok/s`, "at the TTFT-p99 limit"],
      ["memory per GPU", `${fmt(inf.memory.perGpuGiB)} GiB (weights ${fmt(inf.memory.weightsGiB)} GiB + KV ${fmt(inf.memory.kvCacheGiB)} GiB per replica, ${fmt(inf.memory.kvCachePerTokenKiB)} KiB/token)`, `vLLM --gpu-memory-utilization ${inf.gpuMemoryUtilization}, --max-model-len ${inf.maxModelLenTokens}`],
    ]),
  );
  out.push("");
  out.push(`Predicted at peak with ${inf.replicas.desired} replicas: utilization ${fmt(inf.predicted.utilization * 100, 1)}%, queue wait p99 ${fmt(inf.predicted.queueWaitP99Seconds, 3)} s, TTFT p99 ${fmt(inf.predicted.ttftP99Seconds, 3)} s, TPOT p99 ${fmt(inf.predicted.tpotP99Seconds, 4)} s, e2e p99 ${fmt(inf.predicted.e2eP99Seconds, 1)} s`);
  const spikeFields = ["warmCapacityRequestsPerSecond", "syncRejectedRequestsPerSecond", "asyncBacklogRequests", "drainSeconds", "oldestAsyncWaitSeconds"].map((f) => find(plan, `inference.spike.${f}`)?.value ?? 0);
  out.push(`Spike, analytic worst case (no new replica before ${plan.input.gpuProvisioningSeconds} s of GPU provisioning; the simulated gate is the verdict): warm capacity ${fmt(Number(spikeFields[0]))} GPU req/s, sync rejected with 429 ${fmt(Number(spikeFields[1]))} req/s, async backlog ${fmt(Number(spikeFields[2]))} requests (${fmt(kafka.spikeBufferGiB, 3)} GiB in Kafka), drained in ${fmt(Number(spikeFields[3]), 0)} s, oldest async wait ${fmt(Number(spikeFields[4]), 0)} s${Number(spikeFields[4]) > (w.maxQueueDelaySeconds ?? 300) ? ` (above maxQueueDelaySeconds ${w.maxQueueDelaySeconds} in this bound; run the simulation to see whether scale-up and the workers drain it in time)` : ""}`);
  out.push("");
  out.push("Autoscaling and admission");
  out.push(
    table([
      ["setting", "value"],
      ["HPA", `min ${as.minReplicas}, max ${as.maxReplicas}; queue depth ${as.targetQueueDepthPerReplica}/replica, KV cache ${fmt(as.targetKvCacheUtilization * 100, 0)}%, CPU ${as.targetCpuUtilizationPercent}% fallback`],
      ...(as.scheduledFloor
        ? [["scheduled floor", `${as.scheduledFloor.minReplicas} replicas from ${hhmm(as.scheduledFloor.startClockSeconds)} to ${hhmm(as.scheduledFloor.endClockSeconds)} (pre-scale for workload.dailyPeak: its ramp is faster than GPU provisioning; +${String(plan.explanations.find((e) => e.field === "autoscaling.scheduledFloorPreScaleNodeHoursPerDay")?.value ?? 0)} node-hours/day, $${String(plan.explanations.find((e) => e.field === "autoscaling.scheduledFloorPreScaleNodeHoursPerDay")?.inputs.monthlyUsd ?? 0)}/month)`]]
        : []),
      ["HPA behaviour", `up: ${as.scaleUp.stabilizationWindowSeconds} s window, +${as.scaleUp.maxPercentPerPeriod}% or +${as.scaleUp.maxPodsPerPeriod} pods / ${as.scaleUp.periodSeconds} s; down: ${as.scaleDown.stabilizationWindowSeconds} s window, -${as.scaleDown.maxPodsPerPeriod} pods / ${as.scaleDown.periodSeconds} s`],
      ["KEDA workers", `min ${as.workers.minReplicas}, max ${as.workers.maxReplicas}, lag ${fmt(as.workers.lagThreshold)}/worker, ${as.workers.concurrencyPerWorker} in flight/worker`],
      ["gateway", `${fmt(ad.maxRequestsPerSecond)} req/s, burst ${fmt(ad.burstRequests)}, 429 Retry-After ${ad.retryAfterSeconds} s, timeout ${ad.requestTimeoutSeconds} s`],
      ["per replica pool", `${ad.maxConcurrentRequestsPerReplica} concurrent, ${ad.maxPendingRequestsPerReplica} pending`],
    ]),
  );
  out.push("");
  out.push("Data tier");
  out.push(
    table([
      ["service", "plan"],
      ["Kafka (MSK, KRaft)", `${kafka.brokers} x ${kafka.brokerInstanceType}, RF ${kafka.replicationFactor}, ${kafka.partitions} partitions, ${kafka.retentionHours} h, ${kafka.storagePerBrokerGiB} GiB/broker, ingress ${fmt(kafka.ingressMiBPerSecond, 3)} MiB/s at spike`],
      ["topics", kafka.topics.map((t) => `${t.name} (${t.partitions}p, ${t.retentionHours} h)`).join(", ")],
      ["Redis", `${redis.shards} shard(s) x (1 + ${redis.replicasPerShard}) ${redis.nodeType}, ${fmt(redis.memoryGiB, 2)} GiB data, ${fmt(redis.usableMemoryPerNodeGiB)} GiB usable/node`],
      ["RDS PostgreSQL", `${db.instanceClass} Multi-AZ + ${db.readReplicas} read replica(s), max_connections ${fmt(db.maxConnections)}, proxy ${db.proxyMaxConnectionsPercent}% (idle ${db.proxyMaxIdleConnectionsPercent}%), ${db.allocatedStorageGiB} GiB`],
      ["system nodes", `${sys.instanceType} min ${sys.nodes.min} / desired ${sys.nodes.desired} / max ${sys.nodes.max}; Prometheus ~${fmt(sys.prometheusActiveSeries)} series, ${sys.prometheusRetentionDays} d, ${sys.prometheusVolumeGiB} GiB gp3`],
    ]),
  );
  out.push(`Connections: ${fmt(db.peakClientConnections)} client sessions at the spike go through RDS Proxy, which opens at most ${fmt(Math.floor((db.maxConnections * db.proxyMaxConnectionsPercent) / 100))} of the ${fmt(db.maxConnections)} server connections. Without the proxy, one connection per in-flight request would exhaust max_connections as soon as concurrency passes ${fmt(db.maxConnections)} (the seed's bank case: 2,000 concurrent vs ~1,800 on a 16 GiB class).`);
  out.push("");
  out.push("Monthly cost (on-demand, 730 h)");
  out.push(table([["component", "USD/month"], ...Object.entries(cost.byComponent).map(([k, v]) => [k, usd(v)]), ["total", usd(cost.monthlyUsd)]]));
  out.push("");
  const gpusPlan = inf.replicas.desired * inf.gpusPerReplica;
  const ratio = classic.instances > 0 ? inf.replicas.desired / classic.instances : Infinity;
  out.push("Classic formula (source article)");
  out.push(`instances = ceil(${fmt(classic.peakRequestsPerSecond)} req/s x ${fmt(classic.meanResponseSeconds, 2)} s / ${classic.perInstanceConcurrency} concurrent x ${classic.safetyFactor}) = ${classic.instances}; this plan: ${inf.replicas.desired} replicas (${gpusPlan} GPUs), ${fmt(ratio, 2)}x the classic count.`);
  const naive = find(plan, "classic.perInstanceConcurrency")?.inputs;
  if (naive && typeof naive.tpotP99AtThisConcurrency === "number") {
    const tpot = naive.tpotP99AtThisConcurrency;
    out.push(`At the classic ${classic.perInstanceConcurrency} sequences per instance, TPOT p99 would be ${fmt(tpot, 3)} s (SLO ${w.slo.tpotP99Seconds} s)${tpot > w.slo.tpotP99Seconds ? ": the classic count only works by breaking the TPOT objective" : ""}; this plan runs ${inf.perReplica.maxConcurrentSequences} per replica.`);
  }
  out.push(
    "The classic formula uses the mean response time only: it ignores the queueing tail (p99 TTFT under Erlang-C waits), that each extra concurrent sequence slows every token (TPOT grows with the batch), that the batch is capped by KV-cache memory, that prefix-cache hits shorten prefill but not decode, the AZ-failure floor and the spike with minutes-long GPU provisioning.",
  );
  if (options.explanations) {
    out.push("");
    out.push("Explanations");
    for (const e of plan.explanations) {
      const inputs = Object.entries(e.inputs).map(([k, v]) => `${k}=${v}`).join(", ");
      out.push(`- ${e.field} = ${e.value}${e.unit ? ` ${e.unit}` : ""}: ${e.formula}${inputs ? ` [${inputs}]` : ""}${e.source ? ` (source: ${e.source})` : ""}`);
    }
  }
  return out.join("\n");
}

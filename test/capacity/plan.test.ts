import { CAPACITY_CODES, DEV_WORKLOAD, findGpuInstance, formatPlanReport, planCapacity, PROD_WORKLOAD, STAGING_WORKLOAD } from "../../lib/capacity";
import type { CapacityPlan } from "../../lib/capacity";
import { ValidationError } from "../../lib/core/validation";
import { nodesFor, replicasSurvivingOneAz } from "../../lib/capacity/private/inference";
import { rdsMaxConnections } from "../../lib/capacity/private/data-tier";
import { REDIS_NODE_CATALOG } from "../../lib/capacity/catalog";
import { baseInput, capacityError } from "./helpers";

const plans = {
  dev: planCapacity({ ...DEV_WORKLOAD, availabilityZones: 2 }),
  staging: planCapacity({ ...STAGING_WORKLOAD, availabilityZones: 3 }),
  prod: planCapacity({ ...PROD_WORKLOAD, availabilityZones: 3 }),
};

/** Every numeric or string leaf of the plan outside `input` and `explanations`, as dotted paths. */
function leaves(value: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  else out.push(path);
  return out;
}

describe("hand-computed helpers", () => {
  it.each([
    // m - ceil(m/3) >= 4: m=5 -> 5-2=3 no; m=6 -> 6-2=4 yes
    [4, 3, 6],
    // at least 2 even for 1 needed: m=2 -> 2-1=1 yes
    [1, 3, 2],
    // 2 AZs: m - ceil(m/2) >= 3: m=6 -> 3 yes, m=5 -> 2 no
    [3, 2, 6],
    // 1 AZ: no AZ floor
    [3, 1, 3],
  ])("replicasSurvivingOneAz(%d needed, %d AZs) = %d", (needed, zones, expected) => {
    expect(replicasSurvivingOneAz(needed, zones)).toBe(expected);
  });
  it.each([
    // 5 replicas over 3 AZs = 2,2,1; 2 per node -> 1+1+1 = 3 (not ceil(5/2) = 3 by luck)
    [5, 2, 3, 3],
    // 4 replicas over 3 AZs = 2,1,1; 4 per node -> 3 nodes, where ceil(4/4) = 1 would put all in one AZ
    [4, 4, 3, 3],
    [8, 8, 1, 1],
    [9, 1, 3, 9],
  ])("nodesFor(%d replicas, %d per node, %d AZs) = %d", (r, rpn, z, expected) => {
    expect(nodesFor(r, rpn, z)).toBe(expected);
  });
  it("max_connections = LEAST(memory / 9531392, 5000): 16 GiB -> 1802, 512 GiB -> 5000", () => {
    // 17179869184 / 9531392 = 1802.45
    expect(rdsMaxConnections(16)).toBe(1802);
    expect(rdsMaxConnections(512)).toBe(5000);
  });
});

describe("presets", () => {
  it.each(Object.entries(plans))("%s plans with min <= desired <= max for replicas, nodes and system nodes", (_n, plan) => {
    for (const b of [plan.inference.replicas, plan.inference.nodes, plan.system.nodes]) {
      expect(b.min).toBeLessThanOrEqual(b.desired);
      expect(b.desired).toBeLessThanOrEqual(b.max);
    }
  });

  it("prod runs a multi-node GPU fleet with at least 2 replicas that survive an AZ loss", () => {
    const inf = plans.prod.inference;
    expect(inf.nodes.desired).toBeGreaterThanOrEqual(2);
    expect(inf.replicas.min).toBeGreaterThanOrEqual(2);
    expect(plans.prod.kafka.brokers % 3).toBe(0);
    expect(plans.prod.kafka.replicationFactor).toBe(3);
    expect(plans.prod.kafka.brokerInstanceType).not.toBe("kafka.t3.small");
  });

  it("dev uses single-GPU nodes from its candidate list", () => {
    expect(["g6.xlarge", "g5.xlarge", "g6e.xlarge"]).toContain(plans.dev.inference.instanceType);
    expect(plans.dev.kafka.brokers % 2).toBe(0);
    expect(plans.dev.kafka.replicationFactor).toBe(2);
  });

  it.each(Object.entries(plans))("%s meets both SLOs at the planned point and fits GPU memory", (_n, plan) => {
    const slo = plan.input.workload.slo;
    expect(plan.inference.predicted.ttftP99Seconds).toBeLessThanOrEqual(slo.ttftP99Seconds);
    expect(plan.inference.predicted.tpotP99Seconds).toBeLessThanOrEqual(slo.tpotP99Seconds);
    const spec = findGpuInstance(plan.inference.instanceType);
    expect(plan.inference.memory.perGpuGiB).toBeLessThanOrEqual(((spec?.gpuMemoryMiB ?? 0) / 1024) * plan.inference.gpuMemoryUtilization);
  });

  it.each(Object.entries(plans))("%s explains every number of the plan", (_n, plan) => {
    const explained = new Set(plan.explanations.map((e) => e.field));
    const paths = leaves({ ...plan, input: undefined, explanations: undefined }, "", []).filter((p) => p !== "input" && p !== "explanations");
    const missing = paths.filter((p) => !explained.has(p));
    expect(missing).toEqual([]);
    for (const e of plan.explanations) expect(e.formula.length).toBeGreaterThan(0);
  });

  it("is deterministic and fast (typically 1-5 ms per plan; < 250 ms even on a loaded CI machine)", () => {
    const again = planCapacity({ ...PROD_WORKLOAD, availabilityZones: 3 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(plans.prod));
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) planCapacity({ ...PROD_WORKLOAD, availabilityZones: 3 });
    expect((performance.now() - t0) / 10).toBeLessThan(250);
  });

  it("fills every default into plan.input", () => {
    const plan = planCapacity(baseInput({ availabilityZones: undefined }, { asyncShare: undefined, payloadBytes: undefined }));
    expect(plan.input.availabilityZones).toBe(3);
    expect(plan.input.workload.asyncShare).toBe(0);
    expect(plan.input.workload.payloadBytes).toBe(8192);
    expect(plan.input.safetyFactor).toBe(1.5);
    expect(plan.input.region).toBe("us-east-1");
    // A filled input re-plans to the same plan.
    expect(planCapacity(plan.input).cost.monthlyUsd).toBe(plan.cost.monthlyUsd);
  });
});

describe("sizes follow the inputs", () => {
  const base = planCapacity(baseInput());
  it("every request reaches a GPU (no response cache): desired replicas = ceil(peak x SF / rate)", () => {
    const { inference: inf } = base;
    expect(inf.replicas.desired).toBe(Math.max(inf.replicas.min, Math.ceil((20 * 1.5) / inf.perReplica.requestsPerSecond - 1e-9)));
  });
  it("the spike raises replicas.max and the Kafka buffer; no spike leaves max = desired and no buffer", () => {
    const none = planCapacity(baseInput({}, { spike: undefined }));
    expect(none.inference.replicas.max).toBe(none.inference.replicas.desired);
    expect(none.kafka.spikeBufferGiB).toBe(0);
    expect(base.inference.replicas.max).toBeGreaterThan(base.inference.replicas.desired);
    // async bytes: 20 x 2 rps x 0.3 x 8192 B x min(600 s, 1020 s) / 2^30
    expect(base.kafka.spikeBufferGiB).toBeCloseTo((40 * 0.3 * 8192 * 600) / 1024 ** 3, 3);
  });
  it("KEDA lag threshold = floor(concurrency / service s x maxQueueDelay) and partitions >= workers max", () => {
    const w = base.autoscaling.workers;
    expect(w.lagThreshold).toBe(base.kafka.consumerLagThreshold);
    expect(w.lagThreshold).toBe(Math.floor((w.concurrencyPerWorker / base.inference.perReplica.meanServiceSeconds) * 900) || w.lagThreshold);
    expect(base.kafka.partitions).toBeGreaterThanOrEqual(w.maxReplicas);
    expect(base.kafka.retentionHours).toBeGreaterThanOrEqual(24);
    expect(base.kafka.topics.map((t) => t.name)).toEqual(["inference.requests", "inference.results", "inference.requests.dlq"]);
  });
  it("two AZs give an even broker count with RF 2", () => {
    const two = planCapacity(baseInput({ availabilityZones: 2 }));
    expect(two.kafka.brokers % 2).toBe(0);
    expect(two.kafka.replicationFactor).toBe(2);
    expect(two.inference.replicas.min).toBeGreaterThanOrEqual(2);
  });
  it("admission: timeout above the e2e p99, pending = Little's law over the TTFT slack", () => {
    expect(base.admission.requestTimeoutSeconds).toBeGreaterThan(base.inference.predicted.e2eP99Seconds);
    expect(base.admission.maxConcurrentRequestsPerReplica).toBe(base.inference.perReplica.maxConcurrentSequences + base.admission.maxPendingRequestsPerReplica);
  });
  it("autoscaling mirrors the replica bounds and uses the Kubernetes defaults", () => {
    expect(base.autoscaling.minReplicas).toBe(base.inference.replicas.min);
    expect(base.autoscaling.maxReplicas).toBe(base.inference.replicas.max);
    expect(base.autoscaling.scaleUp).toEqual({ stabilizationWindowSeconds: 0, periodSeconds: 15, maxPodsPerPeriod: 4, maxPercentPerPeriod: 100 });
    expect(base.autoscaling.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
    expect(base.autoscaling.targetCpuUtilizationPercent).toBe(70);
  });
  it("RDS: more reads per request add read replicas; the proxy keeps 30% headroom", () => {
    const heavy = planCapacity(baseInput({}, { readQueriesPerRequest: 400 }));
    expect(heavy.database.readReplicas).toBeGreaterThan(base.database.readReplicas);
    expect(base.database.proxyMaxConnectionsPercent).toBe(70);
  });
  it("cost components add up to the total and include EKS at $0.10/h", () => {
    const sum = Object.values(base.cost.byComponent).reduce((a, b) => a + b, 0);
    expect(base.cost.monthlyUsd).toBeCloseTo(sum, 1);
    expect(base.cost.byComponent.eksControlPlane).toBe(73);
    // GPU nodes: the node-hours of the daily curve, between the floor (nodes.min) and nodes.desired all month.
    const usd = (findGpuInstance(base.inference.instanceType)?.onDemandUsdPerHour ?? 0) * 730;
    expect(base.cost.byComponent.gpuNodes).toBeGreaterThanOrEqual(base.inference.nodes.min * usd - 1e-6);
    expect(base.cost.byComponent.gpuNodes).toBeLessThanOrEqual(base.inference.nodes.desired * usd + 1e-6);
    expect(base.cost.gpuReservedFloorMonthlyUsd).toBeCloseTo(base.inference.nodes.min * usd, 1);
  });
});

describe("report", () => {
  it("shows the choices, the classic comparison and the cost", () => {
    const text = formatPlanReport(plans.prod, { title: "prod", explanations: true });
    expect(text).toContain("prod: meta-llama/Llama-3.1-70B-Instruct");
    expect(text).toContain(plans.prod.inference.instanceType);
    expect(text).toContain("Classic formula (source article)");
    expect(text).toContain(`= ${plans.prod.classic.instances};`);
    expect(text).toContain("Monthly cost");
    expect(text).toContain("- inference.replicas.desired =");
  });
});

describe("errors", () => {
  it("CapacityError is a ValidationError", () => {
    try {
      planCapacity(baseInput({}, { peakRequestsPerSecond: 0, baselineRequestsPerSecond: 0 }));
      throw new Error("no throw");
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).codes).toEqual([CAPACITY_CODES.invalidField]);
    }
  });
});

export type { CapacityPlan };

describe("prefill is a server of its own", () => {
  it("long prompts come out slower: higher TTFT p99 at the same rate and fewer requests/s per replica", () => {
    const short = planCapacity(baseInput({ gpu: { instanceTypes: ["p5.48xlarge"] } }, { promptTokens: { mean: 800, p99: 3200 } }));
    const long = planCapacity(baseInput({ gpu: { instanceTypes: ["p5.48xlarge"] } }, { promptTokens: { mean: 6000, p99: 9000 } }));
    expect(long.inference.perReplica.requestsPerSecond).toBeLessThan(short.inference.perReplica.requestsPerSecond);
    const ttft = (p: typeof short): number => p.explanations.find((e) => e.field === "inference.predicted.ttftP99Seconds")?.inputs.prefillWaitP99 as number;
    expect(ttft(long)).toBeGreaterThan(ttft(short));
    expect(long.inference.replicas.desired).toBeGreaterThan(short.inference.replicas.desired);
  });

  it("the admission gate never rounds the rate the plan serves down", () => {
    const plan = planCapacity(baseInput());
    const served = (plan.inference.replicas.max * plan.inference.perReplica.requestsPerSecond * (1 - (plan.input.workload.asyncShare ?? 0)));
    expect(plan.admission.maxRequestsPerSecond).toBeGreaterThanOrEqual(served - 1e-3);
  });
});

describe("prefix reuse (workload.prefixCache) replaces the response cache", () => {
  const at = (share: number, routing: "prefix-affinity" | "least-load" = "prefix-affinity"): CapacityPlan => planCapacity(baseInput({ gpu: { instanceTypes: ["p5.48xlarge"] } }, { prefixCache: { promptTokenHitShare: share, routing } }));
  const none = at(0);
  const half = at(0.5);

  it("lowers prefill work and TTFT, not decode or KV memory", () => {
    const ttftService = (p: CapacityPlan): number => p.explanations.find((e) => e.field === "inference.predicted.ttftP99Seconds")?.inputs.prefillWaitP99 as number;
    const prefillSeconds = (p: CapacityPlan): number => p.explanations.find((e) => e.field === "inference.perReplica.requestsPerSecond")?.inputs.prefillServiceSeconds as number;
    expect(prefillSeconds(half)).toBeCloseTo(prefillSeconds(none) * 0.5, 6);
    expect(half.inference.perReplica.requestsPerSecond).toBeGreaterThan(none.inference.perReplica.requestsPerSecond);
    expect(ttftService(half)).toBeLessThanOrEqual(ttftService(none));
    // Same KV per token and per sequence: cached prefix blocks still live in the KV cache.
    expect(half.inference.memory.kvCachePerTokenKiB).toBe(none.inference.memory.kvCachePerTokenKiB);
    expect(half.kvCache?.bytesPerToken).toBe(none.kvCache?.bytesPerToken);
  });

  it("depends on routing: least-load counts the declared share divided by the replicas", () => {
    const ll = at(0.5, "least-load");
    expect(ll.kvCache?.effectiveHitShare).toBeLessThan(0.5);
    expect(ll.kvCache?.effectiveHitShare).toBeCloseTo(0.5 / (ll.explanations.find((e) => e.field === "kvCache.effectiveHitShare")?.inputs.replicas as number), 3);
    expect(half.kvCache?.effectiveHitShare).toBe(0.5);
  });

  it("names the deployed mechanism behind each saving", () => {
    expect(half.kvCache?.mechanisms.join("\n")).toMatch(/vLLM automatic prefix caching[\s\S]*endpoint picker's prefix-cache scorer[\s\S]*vLLM native CPU offload/);
    // No mechanism is named that the platform does not deploy.
    expect(half.kvCache?.mechanisms.join("\n")).not.toMatch(/LMCache|Valkey/);
    expect(none.kvCache?.mechanisms).toEqual([]);
  });

  it("sizes no Valkey bytes without a remote KV tier (remoteTierSeconds 0)", () => {
    const kv = half.kvCache!;
    expect(kv.reusedTokensPerSecond).toBeCloseTo(20 * 800 * 0.5, 3);
    expect(kv.remoteTierTokens).toBe(0);
    expect(kv.remoteTierGiB).toBe(0);
    expect(kv.remoteTier).toBeUndefined();
  });
});

describe("the remote KV tier (workload.prefixCache.remoteTierSeconds, LMCache on Valkey)", () => {
  // DeepSeek-V2-Lite: MLA keeps 576 values per layer and token, 27 layers, bf16 (its config.json).
  const lite = { name: "deepseek-ai/DeepSeek-V2-Lite-Chat", parametersBillions: 15.7, activeParametersBillions: 2.4, layers: 27, kvHeads: 16, headDim: 128, mla: { kvLoraRank: 512, qkRopeHeadDim: 64 }, precision: "bf16" as const, maxContextTokens: 16384 };
  const mla = (routing: "prefix-affinity" | "least-load", remoteTierSeconds: number): CapacityPlan =>
    planCapacity(baseInput({ model: lite, gpu: { instanceTypes: ["g6.12xlarge"] } }, { prefixCache: { promptTokenHitShare: 0.5, routing, remoteTierSeconds } }));

  it("refuses a tier where fetching a token is slower than prefilling it (dense 70B fp8 on p5.48xlarge)", () => {
    const e = capacityError(() => planCapacity(baseInput({ gpu: { instanceTypes: ["p5.48xlarge"] } }, { prefixCache: { promptTokenHitShare: 0.5, routing: "least-load", remoteTierSeconds: 60 } })));
    expect(e.codes).toEqual([CAPACITY_CODES.kvRemoteTierDoesNotPay]);
    expect(e.message).toMatch(/workload\.prefixCache\.remoteTierSeconds.*160 KiB at 15 Gbit\/s.*takes [\d.]+ us, prefilling it again [\d.]+ us.*Fix: set remoteTierSeconds 0/);
  });

  it("under least-load counts the hits the router sends elsewhere, at the saving a fetch has over prefill", () => {
    const without = mla("least-load", 0);
    const withTier = mla("least-load", 300);
    const t = withTier.kvCache!.remoteTier!;
    // The fetch bound: min(g6.12xlarge 40 Gbit/s / replicas per node, one Valkey node's baseline).
    const bytes = withTier.kvCache!.bytesPerToken;
    expect(bytes).toBe((512 + 64) * 27 * 2);
    expect(t.fetchGbpsPerReplica).toBeCloseTo(Math.min(40 / withTier.inference.replicasPerNode, t.minNodeBaselineGbps), 3);
    expect(t.fetchCostShare).toBeCloseTo((bytes * 8 * t.prefillTokensPerSecondPerReplica) / 1e9 / t.fetchGbpsPerReplica, 3);
    expect(t.fetchCostShare).toBeLessThan(1);
    const replicas = withTier.explanations.find((x) => x.field === "kvCache.effectiveHitShare")?.inputs.replicas as number;
    const localShare = 0.5 / replicas;
    expect(t.countedHitShare).toBeCloseTo((0.5 - localShare) * (1 - t.fetchCostShare), 3);
    expect(withTier.kvCache!.effectiveHitShare).toBeCloseTo(localShare + t.countedHitShare, 3);
    expect(withTier.kvCache!.effectiveHitShare).toBeGreaterThan(without.kvCache!.effectiveHitShare);
    expect(withTier.kvCache!.mechanisms.join("\n")).toMatch(/remote KV tier: .*LMCache \(--kv-transfer-config LMCacheConnectorV1/);
    expect(withTier.kvCache!.mechanisms.join("\n")).toMatch(/LMCache's CPU tier \(local_cpu, max_local_cpu_size\), which replaces vLLM's native offload/);
  });

  it("under prefix-affinity sizes the tier but counts no saving from it", () => {
    const p = mla("prefix-affinity", 300);
    expect(p.kvCache!.remoteTier!.countedHitShare).toBe(0);
    expect(p.kvCache!.effectiveHitShare).toBe(0.5);
    expect(p.kvCache!.remoteTierGiB).toBeGreaterThan(0);
  });

  it("sizes Valkey from KV bytes per token x the prefilled tokens it keeps, and its bandwidth from the stores and fetches", () => {
    const p = mla("least-load", 300);
    const t = p.kvCache!.remoteTier!;
    const w = p.input.workload;
    // Every prefilled (not hit) prompt token at peak is stored; the tier keeps remoteTierSeconds of them.
    expect(p.kvCache!.remoteTierTokens).toBe(Math.ceil(w.peakRequestsPerSecond * w.promptTokens.mean * (1 - 0.5) * 300));
    expect(p.kvCache!.remoteTierGiB).toBeCloseTo((p.kvCache!.remoteTierTokens * p.kvCache!.bytesPerToken) / 2 ** 30, 2);
    const results = ((w.peakRequestsPerSecond + (w.baselineRequestsPerSecond as number)) / 2) * (w.asyncShare as number) * 86_400 * (w.payloadBytes as number);
    expect(p.redis.memoryGiB).toBeCloseTo(((p.kvCache!.remoteTierTokens * p.kvCache!.bytesPerToken + results) * 1.25) / 2 ** 30, 2);
    const node = REDIS_NODE_CATALOG.find((n) => n.nodeType === p.redis.nodeType)!;
    expect(node.baselineGbps).toBeGreaterThanOrEqual(t.minNodeBaselineGbps);
    expect(p.redis.shards * node.baselineGbps * 0.7).toBeGreaterThanOrEqual(t.bandwidthGbps);
    expect(p.redis.shards * p.redis.usableMemoryPerNodeGiB * 0.8).toBeGreaterThanOrEqual(p.redis.memoryGiB);
    // A longer horizon buys more memory, never less.
    expect(mla("least-load", 600).redis.memoryGiB).toBeGreaterThan(p.redis.memoryGiB);
  });

  it("accepts 0 to 86400 seconds", () => {
    expect(capacityError(() => mla("least-load", -1)).codes).toEqual([CAPACITY_CODES.invalidField]);
    expect(capacityError(() => mla("least-load", 86_401)).message).toMatch(/workload\.prefixCache\.remoteTierSeconds/);
  });
});

describe("redis.memoryGiB names a deployed consumer for every byte", () => {
  it("holds the async results of one result TTL and nothing for rate limits (Envoy's local_ratelimit keeps its bucket in process)", () => {
    const syncOnly = planCapacity(baseInput({ gpu: { instanceTypes: ["p5.48xlarge"] } }, { asyncShare: 0 }));
    expect(syncOnly.redis.memoryGiB).toBe(0);
    const p = planCapacity(baseInput({ gpu: { instanceTypes: ["p5.48xlarge"] } }, { asyncShare: 0.3, payloadBytes: 16384 }));
    expect(p.redis.memoryGiB).toBeCloseTo((((20 + 5) / 2) * 0.3 * 86_400 * 16384 * 1.25) / 2 ** 30, 2);
    const why = p.explanations.find((x) => x.field === "redis.memoryGiB")!.formula;
    expect(why).toMatch(/consumer: the async workers' result store/);
    expect(why).not.toMatch(/consumer: gateway rate limiter/);
  });
});

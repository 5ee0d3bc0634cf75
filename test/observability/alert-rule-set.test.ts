import { ValidationError } from "../../lib/core/validation";
import { AlertRuleSet } from "../../lib/observability/alert-rule-set";
import { BURN_RATE_ALERTS, SLI_WINDOWS_SECONDS } from "../../lib/observability/private/burn-rate";
import { isAlertingRule } from "../../lib/observability/rule-model";

const slo = { availability: 0.999, ttftP99Seconds: 1 };

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("AlertRuleSet burn-rate alerts", () => {
  it("uses the SRE Workbook windows: 14.4x 1h/5m and 6x 6h/30m page, 3x 1d/2h and 1x 3d/6h ticket", () => {
    expect(BURN_RATE_ALERTS.map((a) => [a.severity, a.pairs.map((p) => [p.burnRate, p.longWindowSeconds, p.shortWindowSeconds])])).toEqual([
      ["critical", [[14.4, 3600, 300], [6, 21600, 1800]]],
      ["warning", [[3, 86400, 7200], [1, 259200, 21600]]],
    ]);
    expect(SLI_WINDOWS_SECONDS).toEqual([300, 1800, 3600, 7200, 21600, 86400, 259200]);
  });

  it("derives thresholds from the availability target", () => {
    const fast = new AlertRuleSet({ slo }).alert("InferenceAvailabilityFastBurn");
    expect(fast.expr).toContain('headroom:sli_errors:ratio_rate1h{slo="availability",service="inference"} > 0.0144');
    expect(fast.expr).toContain('headroom:sli_errors:ratio_rate5m{slo="availability",service="inference"} > 0.0144');
    expect(fast.expr).toContain("ratio_rate6h{slo=\"availability\",service=\"inference\"} > 0.006");
    expect(fast.labels.severity).toBe("critical");

    const looser = new AlertRuleSet({ slo: { ...slo, availability: 0.99 } });
    expect(looser.alert("InferenceAvailabilityFastBurn").expr).toContain("> 0.144 and");
    expect(looser.alert("InferenceAvailabilityFastBurn").expr).toContain("> 0.06 and");
    expect(looser.alert("InferenceAvailabilitySlowBurn").expr).toContain("ratio_rate1d{slo=\"availability\",service=\"inference\"} > 0.03");
    expect(looser.alert("InferenceAvailabilitySlowBurn").expr).toContain("ratio_rate3d{slo=\"availability\",service=\"inference\"} > 0.01");
    expect(looser.alert("InferenceAvailabilitySlowBurn").labels.severity).toBe("warning");
    expect(looser.alert("InferenceAvailabilityFastBurn").annotations.description).toContain("error budget 1%");
  });

  it("counts the TTFT SLI against the bucket equal to the SLO, matching both le spellings", () => {
    const rules = new AlertRuleSet({ slo: { ...slo, ttftP99Seconds: 2.5 } });
    expect(rules.ttftBucketSeconds).toBe(2.5);
    const record = rules.recordingRules.find((r) => r.labels?.slo === "ttft" && r.record.endsWith("rate5m"));
    expect(record?.expr).toBe(
      '1 - (sum(rate(vllm:time_to_first_token_seconds_bucket{namespace="inference",le="2.5"}[5m])) / sum(rate(vllm:time_to_first_token_seconds_count{namespace="inference"}[5m])))',
    );
    const integral = new AlertRuleSet({ slo: { ...slo, ttftP99Seconds: 10 } }).recordingRules.find((r) => r.labels?.slo === "ttft");
    expect(integral?.expr).toContain('le=~"10(\\\\.0)?"');
    // TTFT is a p99 objective: a 1% budget, whatever the availability target.
    expect(rules.alert("InferenceTtftFastBurn").expr).toContain("> 0.144 and");
  });

  it("rounds a TTFT SLO up to the next boundary of a given bucket list", () => {
    const rules = new AlertRuleSet({ slo: { ...slo, ttftP99Seconds: 1.2 }, ttftBucketsSeconds: [0.5, 1, 1.5, 3] });
    expect(rules.ttftBucketSeconds).toBe(1.5);
    expect(rules.recordingRules.find((r) => r.labels?.slo === "ttft")?.expr).toContain('le="1.5"');
  });

  it("names the signal sources it was given", () => {
    const rules = new AlertRuleSet({
      slo,
      sources: { inferenceNamespace: "llm", inferenceService: "chat", gatewayWorkload: "edge-gw", inferenceHpa: "chat-hpa" },
    });
    const availability = rules.recordingRules.find((r) => r.labels?.slo === "availability")?.expr;
    // The Service and the InferencePool's shadow Service Istio creates (`echo -n chat | sha256sum` starts 31e06f7d).
    expect(availability).toContain('source_workload="edge-gw",destination_service_namespace="llm",destination_service_name=~"chat|chat-ip-31e06f7d"');
    expect(availability).toContain('response_code=~"5.."');
    expect(rules.alert("InferenceHpaAtMaxReplicas").expr).toContain('horizontalpodautoscaler="chat-hpa"');
  });

  it("records one error ratio per SLI and window", () => {
    const rules = new AlertRuleSet({ slo });
    expect(rules.recordingRules).toHaveLength(2 * SLI_WINDOWS_SECONDS.length);
    expect(new Set(rules.recordingRules.map((r) => `${r.record}/${r.labels?.slo}`)).size).toBe(rules.recordingRules.length);
  });
});

describe("AlertRuleSet saturation alerts", () => {
  it("follow the thresholds they are given", () => {
    const rules = new AlertRuleSet({
      slo,
      thresholds: {
        queueWaitingPerReplica: 12,
        kvCacheUsageRatio: 0.9,
        gpuUtilizationPercent: 97,
        minGpus: 16,
        kafkaLagMessages: 4800,
        redisMemoryPercent: 75,
        rdsProxyMaxConnections: 1200,
        rdsConnectionsRatio: 0.8,
      },
    });
    expect(rules.alert("InferenceQueueBacklogGrowing").expr).toContain(') > 12 and deriv(');
    expect(rules.alert("InferenceKvCacheNearFull").expr).toMatch(/\) > 0\.9$/);
    expect(rules.alert("GpuUtilizationPinned").expr).toMatch(/> 97$/);
    expect(rules.alert("GpusMissing").expr).toMatch(/or vector\(0\)\) < 16$/);
    expect(rules.alert("KafkaConsumerLagGrowing").expr).toContain("> 4800 and");
    expect(rules.alert("RedisMemoryHigh").expr).toMatch(/> 75$/);
    expect(rules.alert("RdsProxyConnectionsNearLimit").expr).toBe('max(aws_rds_database_connections_average{proxy_name="headroom"}) > 960');
  });

  it("compares RDS Proxy connections with the proxy's own limit when no planned limit is given", () => {
    expect(new AlertRuleSet({ slo }).alert("RdsProxyConnectionsNearLimit").expr).toBe(
      'max(aws_rds_database_connections_average{proxy_name="headroom"}) / max(aws_rds_max_database_connections_allowed_average{proxy_name="headroom"}) > 0.9',
    );
  });
});

describe("every alert", () => {
  const rules = new AlertRuleSet({ slo });
  it.each(rules.alerts.map((a) => [a.rule.alert, a] as const))("%s has severity, summary, description, runbook and both scenarios", (name, definition) => {
    expect(["critical", "warning"]).toContain(definition.rule.labels.severity);
    expect(definition.rule.annotations.summary.length).toBeGreaterThan(10);
    expect(definition.rule.annotations.description.length).toBeGreaterThan(20);
    expect(definition.rule.annotations.runbook_url).toBe(`README.md#runbook-${name.toLowerCase()}`);
    expect(definition.scenarios.some((s) => s.fires)).toBe(true);
    expect(definition.scenarios.some((s) => !s.fires)).toBe(true);
    // Static annotations keep promtool's exact annotation comparison meaningful.
    expect(JSON.stringify(definition.rule.annotations)).not.toContain("{{");
  });

  it("counts 13 alerts and 14 recording rules in 3 groups", () => {
    expect(rules.alerts).toHaveLength(13);
    expect(rules.groups.map((g) => g.name)).toEqual(["headroom-sli-recording", "headroom-slo-burn-rate", "headroom-saturation"]);
    expect(rules.groups.flatMap((g) => g.rules).filter(isAlertingRule)).toHaveLength(13);
  });
});

describe("AlertRuleSet fails when", () => {
  it("the availability target leaves no room for a 14.4x burn", () => {
    const error = errorOf(() => new AlertRuleSet({ slo: { ...slo, availability: 0.9 } }));
    expect(error.codes).toEqual(["OBS_SLO_AVAILABILITY"]);
    expect(error.message).toContain("slo.availability [OBS_SLO_AVAILABILITY]: got 0.9; allowed: a ratio greater than 0.930555555556 and below 1");
  });

  it("the TTFT SLO is not a vLLM bucket boundary", () => {
    const error = errorOf(() => new AlertRuleSet({ slo: { ...slo, ttftP99Seconds: 1.5 } }));
    expect(error.codes).toEqual(["OBS_TTFT_NO_BUCKET"]);
    expect(error.message).toContain("nearest: 1s or 2.5s");
  });

  it("a given bucket list is unsorted or too small, and thresholds are out of range, all at once", () => {
    const unsorted = errorOf(() => new AlertRuleSet({ slo, ttftBucketsSeconds: [1, 0.5] }));
    expect(unsorted.codes).toEqual(["OBS_TTFT_BUCKETS"]);
    const many = errorOf(
      () => new AlertRuleSet({ slo: { availability: 1, ttftP99Seconds: 9 }, ttftBucketsSeconds: [1, 2], thresholds: { minGpus: 0, kvCacheUsageRatio: 1.2 } }),
    );
    expect(many.codes).toEqual(["OBS_SLO_AVAILABILITY", "OBS_TTFT_NO_BUCKET", "OBS_THRESHOLD", "OBS_THRESHOLD"]);
    expect(many.problems.map((p) => p.path)).toEqual(["slo.availability", "slo.ttftP99Seconds", "thresholds.kvCacheUsageRatio", "thresholds.minGpus"]);
  });
});

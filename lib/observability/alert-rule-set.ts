import { Problems } from "../core/validation";
import { availabilitySli, burnRateAlerts, MAX_BURN_RATE, sliRecordingRules, ttftSli } from "./private/burn-rate";
import { leMatcher, num } from "./private/promql";
import { ResolvedThresholds, saturationAlerts } from "./private/saturation";
import { AlertDefinition, AlertingRule, RecordingRule, RuleGroup } from "./rule-model";
import { ResolvedSignalSources, resolveSignalSources, SignalSources, VLLM_TTFT_BUCKETS_SECONDS, inferencePoolShadowService } from "./signals";

/** The objectives the rules enforce (a subset of `CapacityInput.workload.slo`). */
export interface SloTargets {
  /** Availability objective as a ratio of non-5xx responses, e.g. 0.999. */
  readonly availability: number;
  /** 99th-percentile time to first token in seconds; must sit on a TTFT histogram bucket. */
  readonly ttftP99Seconds: number;
  /**
   * 99th-percentile time per output token in seconds, drawn on the dashboards (not alerted on:
   * TTFT and availability carry the paging SLOs).
   * @default none: no TPOT SLO line
   */
  readonly tpotP99Seconds?: number;
}

/** Thresholds of the saturation alerts. {@link observabilityPropsFromPlan} derives them from the plan. */
export interface SaturationThresholds {
  /**
   * Average waiting requests per replica above which a growing queue alerts.
   * @default 8 (the plan helper uses 2 x the HPA's target queue depth per replica)
   */
  readonly queueWaitingPerReplica?: number;
  /** KV-cache use (0-1) of any replica that alerts. @default 0.95 */
  readonly kvCacheUsageRatio?: number;
  /** Fleet-average GPU utilization, percent, that counts as pinned. @default 95 */
  readonly gpuUtilizationPercent?: number;
  /**
   * GPUs that must report DCGM metrics (the plan helper uses replicas.min x GPUs per replica).
   * @default 1
   */
  readonly minGpus?: number;
  /**
   * Consumer lag, in messages, above which growth alerts (the plan helper uses the
   * workers' max replicas x the KEDA lag threshold: the point where KEDA can add no worker).
   * @default 1000
   */
  readonly kafkaLagMessages?: number;
  /** ElastiCache DatabaseMemoryUsagePercentage that alerts. @default 80 */
  readonly redisMemoryPercent?: number;
  /**
   * Database connections RDS Proxy may open (max_connections x MaxConnectionsPercent).
   * @default none: compare with the proxy's own MaxDatabaseConnectionsAllowed metric
   */
  readonly rdsProxyMaxConnections?: number;
  /** Share (0-1) of the proxy's connection limit that alerts. @default 0.9 */
  readonly rdsConnectionsRatio?: number;
  /**
   * Share (0-1) of prompt tokens the capacity plan assumes are served from the prefix cache
   * (GPU or offload tier). When above 0, `InferencePrefixCacheHitRateLow` fires once the
   * measured share falls below `prefixCacheAlertFraction` of it: the plan's prefill saving is
   * then not happening and the plan is too small.
   * @default 0 (no alert)
   */
  readonly expectedPrefixCacheHitRatio?: number;
  /** Fraction of the expected hit ratio below which the hit-rate alert fires. @default 0.5 */
  readonly prefixCacheAlertFraction?: number;
}

/** Properties of {@link AlertRuleSet}. */
export interface AlertRuleSetProps {
  /** The SLOs; burn-rate thresholds are computed from them. */
  readonly slo: SloTargets;
  /** Names of the objects the metrics come from. @default see {@link SignalSources} */
  readonly sources?: SignalSources;
  /** Saturation thresholds. @default see {@link SaturationThresholds} */
  readonly thresholds?: SaturationThresholds;
  /**
   * Bucket boundaries (seconds) of the TTFT histogram. When given, the SLO is
   * rounded up to the next boundary; when not, the SLO must equal one of vLLM's.
   * @default VLLM_TTFT_BUCKETS_SECONDS, exact match required
   */
  readonly ttftBucketsSeconds?: readonly number[];
  /**
   * Document that holds the runbooks; each alert links to `<this>#runbook-<alert-name-lowercase>`.
   * @default "README.md"
   */
  readonly runbookBaseUrl?: string;
  /** SLO period in days (the budget window). @default 30 */
  readonly sloPeriodDays?: number;
  /** Prefix of the rule group names. @default "headroom" */
  readonly groupPrefix?: string;
}

/** The TTFT objective: the SLO is a 99th percentile, so 1% of requests may be slower. */
export const TTFT_OBJECTIVE = 0.99;

/** Default saturation thresholds (see {@link SaturationThresholds}). */
export const DEFAULT_THRESHOLDS: Required<Omit<SaturationThresholds, "rdsProxyMaxConnections">> = {
  queueWaitingPerReplica: 8,
  kvCacheUsageRatio: 0.95,
  gpuUtilizationPercent: 95,
  minGpus: 1,
  kafkaLagMessages: 1000,
  redisMemoryPercent: 80,
  rdsConnectionsRatio: 0.9,
  expectedPrefixCacheHitRatio: 0,
  prefixCacheAlertFraction: 0.5,
};

/**
 * Every Prometheus rule Headroom generates, as plain data: SLI recording rules,
 * multi-window multi-burn-rate alerts for availability and TTFT, and saturation
 * alerts, each alert with scenarios that prove it fires and stays silent. Pure:
 * the `SloAlertRules` construct deploys it, `promtool.ts` writes it for promtool.
 *
 * @example
 * const rules = new AlertRuleSet({ slo: { availability: 0.999, ttftP99Seconds: 1 } });
 * rules.alertNames; // ["InferenceAvailabilityFastBurn", ...]
 */
export class AlertRuleSet {
  /** The rule groups, ready for a `PrometheusRule` spec or a rules file. */
  public readonly groups: readonly RuleGroup[];
  /** Every alert with its test scenarios. */
  public readonly alerts: readonly AlertDefinition[];
  /** The recording rules. */
  public readonly recordingRules: readonly RecordingRule[];
  /** The TTFT bucket boundary (seconds) the latency SLI counts against. */
  public readonly ttftBucketSeconds: number;
  /** Signal sources with defaults filled in. */
  public readonly sources: ResolvedSignalSources;
  /** Thresholds with defaults filled in. */
  public readonly thresholds: ResolvedThresholds;
  /** Error budget of the availability SLO (1 - availability). */
  public readonly availabilityBudget: number;
  /** The TPOT SLO in seconds, when given. */
  public readonly tpotP99Seconds?: number;

  public constructor(props: AlertRuleSetProps) {
    const problems = new Problems("observability alert rules");
    const sources = resolveSignalSources(props.sources);
    const thresholds: ResolvedThresholds = { ...DEFAULT_THRESHOLDS, ...stripUndefined(props.thresholds ?? {}) };
    const sloPeriodDays = props.sloPeriodDays ?? 30;
    const minAvailability = 1 - 1 / MAX_BURN_RATE;

    problems.checkNumber("OBS_SLO_PERIOD", "sloPeriodDays", sloPeriodDays, { min: 1, max: 90, integer: true });
    const availability = props.slo.availability;
    if (typeof availability !== "number" || !(availability > minAvailability && availability < 1)) {
      problems.add(
        "OBS_SLO_AVAILABILITY",
        "slo.availability",
        availability,
        `a ratio greater than ${num(minAvailability)} and below 1 (a ${num(MAX_BURN_RATE)}x burn-rate alert needs ${num(MAX_BURN_RATE)} x (1 - availability) < 1)`,
      );
    }
    const bucket = chooseTtftBucket(problems, props.slo.ttftP99Seconds, props.ttftBucketsSeconds);
    if (props.slo.tpotP99Seconds !== undefined) {
      problems.checkNumber("OBS_SLO_TPOT", "slo.tpotP99Seconds", props.slo.tpotP99Seconds, { min: 0, exclusiveMin: true });
    }
    checkThresholds(problems, thresholds);
    problems.throwIfAny();

    this.sources = sources;
    this.thresholds = thresholds;
    this.ttftBucketSeconds = bucket as number;
    this.availabilityBudget = 1 - availability;
    this.tpotP99Seconds = props.slo.tpotP99Seconds;
    const base = props.runbookBaseUrl ?? "README.md";
    const runbookUrl = (alert: string): string => `${base}#runbook-${alert.toLowerCase()}`;
    const prefix = props.groupPrefix ?? "headroom";

    const slis = [
      availabilitySli({
        objective: availability,
        gatewayWorkload: sources.gatewayWorkload,
        service: sources.inferenceService,
        namespace: sources.inferenceNamespace,
        alsoServices: [inferencePoolShadowService(sources.inferencePool)],
      }),
      ttftSli({
        objective: TTFT_OBJECTIVE,
        bucketSeconds: this.ttftBucketSeconds,
        leMatcher: leMatcher(this.ttftBucketSeconds),
        service: sources.inferenceService,
        namespace: sources.inferenceNamespace,
      }),
    ];
    this.recordingRules = slis.flatMap(sliRecordingRules);
    const sloAlerts = slis.flatMap((sli) => burnRateAlerts(sli, runbookUrl, sloPeriodDays));
    const saturation = saturationAlerts(sources, thresholds, runbookUrl);
    this.alerts = [...sloAlerts, ...saturation];
    this.groups = [
      { name: `${prefix}-sli-recording`, interval: "30s", rules: this.recordingRules },
      { name: `${prefix}-slo-burn-rate`, rules: sloAlerts.map((a) => a.rule) },
      { name: `${prefix}-saturation`, rules: saturation.map((a) => a.rule) },
    ];
  }

  /** Alert names, in rule order. */
  public get alertNames(): readonly string[] {
    return this.alerts.map((a) => a.rule.alert);
  }

  /** The alerting rule named `name`; throws when there is none. */
  public alert(name: string): AlertingRule {
    const found = this.alerts.find((a) => a.rule.alert === name);
    if (!found) throw new Error(`no alert named ${name}; have ${this.alertNames.join(", ")}`);
    return found.rule;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Relative tolerance when comparing an SLO with a bucket boundary (float inputs like 0.1 + 0.2). */
const BOUND_TOLERANCE = 1e-9;

function chooseTtftBucket(problems: Problems, slo: unknown, given: readonly number[] | undefined): number | undefined {
  if (!problems.checkNumber("OBS_SLO_TTFT", "slo.ttftP99Seconds", slo, { min: 0, exclusiveMin: true })) return undefined;
  const sloSeconds = slo as number;
  if (given !== undefined) {
    const valid = given.length > 0 && given.every((b, i) => Number.isFinite(b) && b > 0 && (i === 0 || b > given[i - 1]));
    if (!valid) {
      problems.add("OBS_TTFT_BUCKETS", "ttftBucketsSeconds", given, "a non-empty, strictly ascending list of positive bucket boundaries in seconds");
      return undefined;
    }
    const above = given.find((b) => b >= sloSeconds * (1 - BOUND_TOLERANCE));
    if (above === undefined) {
      problems.add("OBS_TTFT_NO_BUCKET", "slo.ttftP99Seconds", sloSeconds, `at most the largest bucket boundary, ${num(given[given.length - 1])}s`);
    }
    return above;
  }
  const exact = VLLM_TTFT_BUCKETS_SECONDS.find((b) => Math.abs(b - sloSeconds) <= b * BOUND_TOLERANCE);
  if (exact === undefined) {
    const below = [...VLLM_TTFT_BUCKETS_SECONDS].reverse().find((b) => b < sloSeconds);
    const above = VLLM_TTFT_BUCKETS_SECONDS.find((b) => b > sloSeconds);
    const nearest = [below, above].filter((b) => b !== undefined).map((b) => `${num(b as number)}s`).join(" or ");
    problems.add(
      "OBS_TTFT_NO_BUCKET",
      "slo.ttftP99Seconds",
      sloSeconds,
      `a boundary of vLLM's TTFT histogram (nearest: ${nearest}), or pass ttftBucketsSeconds to round up to the next boundary of your own histogram`,
    );
  }
  return exact;
}

function checkThresholds(problems: Problems, t: ResolvedThresholds): void {
  problems.checkNumber("OBS_THRESHOLD", "thresholds.queueWaitingPerReplica", t.queueWaitingPerReplica, { min: 0, exclusiveMin: true });
  problems.checkNumber("OBS_THRESHOLD", "thresholds.kvCacheUsageRatio", t.kvCacheUsageRatio, { min: 0.05, max: 0.99 });
  problems.checkNumber("OBS_THRESHOLD", "thresholds.gpuUtilizationPercent", t.gpuUtilizationPercent, { min: 1, max: 99 });
  problems.checkNumber("OBS_THRESHOLD", "thresholds.minGpus", t.minGpus, { min: 1, integer: true });
  problems.checkNumber("OBS_THRESHOLD", "thresholds.kafkaLagMessages", t.kafkaLagMessages, { min: 0, exclusiveMin: true });
  problems.checkNumber("OBS_THRESHOLD", "thresholds.redisMemoryPercent", t.redisMemoryPercent, { min: 1, max: 99 });
  if (t.rdsProxyMaxConnections !== undefined) {
    problems.checkNumber("OBS_THRESHOLD", "thresholds.rdsProxyMaxConnections", t.rdsProxyMaxConnections, { min: 1, integer: true });
  }
  problems.checkNumber("OBS_THRESHOLD", "thresholds.rdsConnectionsRatio", t.rdsConnectionsRatio, { min: 0.1, max: 0.99 });
  problems.checkNumber("OBS_THRESHOLD", "thresholds.expectedPrefixCacheHitRatio", t.expectedPrefixCacheHitRatio, { min: 0, max: 0.99 });
  problems.checkNumber("OBS_THRESHOLD", "thresholds.prefixCacheAlertFraction", t.prefixCacheAlertFraction, { min: 0.05, max: 0.95 });
}

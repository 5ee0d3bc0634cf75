import { AlertDefinition, AlertScenario, AlertingRule, RecordingRule, TestSeries } from "../rule-model";
import { duration, num, pythonLe, selector } from "./promql";

/** One window pair of a multi-window, multi-burn-rate alert. */
export interface BurnWindowPair {
  /** Budget consumption speed: 1 spends exactly the budget over the SLO period. */
  readonly burnRate: number;
  readonly longWindowSeconds: number;
  readonly shortWindowSeconds: number;
}

/** One burn-rate alert: a severity and the window pairs any of which fires it. */
export interface BurnRateAlertSpec {
  /** Suffix of the alert name, `FastBurn` or `SlowBurn`. */
  readonly suffix: string;
  readonly severity: "critical" | "warning";
  readonly pairs: readonly BurnWindowPair[];
}

/**
 * Google SRE Workbook, ch. 5 "Alerting on SLOs", recommendation 6 (multiwindow,
 * multi-burn-rate) for a 30-day SLO: page at 14.4x over 1h (2% of the budget) and
 * 6x over 6h (5%), each with a short window of 1/12 of the long one so the alert
 * resets soon after the burn stops; ticket at 1x over 3d (10%). The 3x over 1d/2h
 * ticket pair is the common extension (Sloth, Pyrra) that catches a 10%-per-day burn
 * before the 3-day window does.
 */
export const BURN_RATE_ALERTS: readonly BurnRateAlertSpec[] = [
  {
    suffix: "FastBurn",
    severity: "critical",
    pairs: [
      { burnRate: 14.4, longWindowSeconds: 3600, shortWindowSeconds: 300 },
      { burnRate: 6, longWindowSeconds: 6 * 3600, shortWindowSeconds: 1800 },
    ],
  },
  {
    suffix: "SlowBurn",
    severity: "warning",
    pairs: [
      { burnRate: 3, longWindowSeconds: 86400, shortWindowSeconds: 7200 },
      { burnRate: 1, longWindowSeconds: 3 * 86400, shortWindowSeconds: 6 * 3600 },
    ],
  },
];

/** The highest burn rate any alert uses; a budget above 1/this could never fire it. */
export const MAX_BURN_RATE = Math.max(...BURN_RATE_ALERTS.flatMap((a) => a.pairs.map((p) => p.burnRate)));

/** Every window a recording rule is needed for, shortest first. */
export const SLI_WINDOWS_SECONDS: readonly number[] = [
  ...new Set(BURN_RATE_ALERTS.flatMap((a) => a.pairs.flatMap((p) => [p.shortWindowSeconds, p.longWindowSeconds]))),
].sort((a, b) => a - b);

/** Name of the recorded error ratio over a window: `headroom:sli_errors:ratio_rate1h`. */
export function sliRecordName(windowSeconds: number): string {
  return `headroom:sli_errors:ratio_rate${duration(windowSeconds)}`;
}

/** A service-level indicator as "bad events / all events" over a window. */
export interface SliDefinition {
  /** `slo` label value and alert name part, e.g. `availability`. */
  readonly slo: string;
  /** Alert name prefix, e.g. `InferenceAvailability`. */
  readonly alertPrefix: string;
  /** Ratio of bad events over `window` (a PromQL duration). */
  readonly errorRatio: (window: string) => string;
  /** The SLO's target ratio of good events, e.g. 0.999. */
  readonly objective: number;
  /** Human text: what a bad event is, e.g. `5xx responses`. */
  readonly badEvents: string;
  /** Human text of the objective, e.g. `99.9% of responses are not 5xx`. */
  readonly objectiveText: string;
  /** Series with a given bad-event ratio (per minute, `minutes` samples). */
  readonly series: (badRatio: number, minutes: number) => readonly TestSeries[];
  /** Labels of the recorded series. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Recording rules of one SLI: its error ratio over every window. */
export function sliRecordingRules(sli: SliDefinition): RecordingRule[] {
  return SLI_WINDOWS_SECONDS.map((w) => ({ record: sliRecordName(w), expr: sli.errorRatio(duration(w)), labels: { ...sli.labels } }));
}

/** The two burn-rate alerts of one SLI, each with a firing and a silent scenario. */
export function burnRateAlerts(sli: SliDefinition, runbookUrl: (alert: string) => string, sloPeriodDays: number): AlertDefinition[] {
  const budget = 1 - sli.objective;
  const recorded = (w: number): string => `${sliRecordName(w)}${selector(sli.labels)}`;
  const pct = (ratio: number): string => `${num(ratio * 100)}%`;
  // Synthetic ratios: well above the page threshold, between the ticket and the 6x page threshold, and half the budget.
  const fastRatio = (MAX_BURN_RATE * budget + 1) / 2;
  const slowRatio = 4.5 * budget;
  const quietRatio = 0.5 * budget;
  const scenario = (name: string, ratio: number, minutes: number, fires: boolean): AlertScenario => ({
    name,
    inputSeries: sli.series(ratio, minutes + 10),
    evalTime: `${minutes}m`,
    fires,
    exprLabels: fires ? { ...sli.labels } : undefined,
  });

  return BURN_RATE_ALERTS.map((spec) => {
    const alert = `${sli.alertPrefix}${spec.suffix}`;
    const expr = spec.pairs
      .map((p) => {
        const threshold = num(p.burnRate * budget);
        return `(${recorded(p.longWindowSeconds)} > ${threshold} and ${recorded(p.shortWindowSeconds)} > ${threshold})`;
      })
      .join(" or ");
    const conditions = spec.pairs
      .map((p) => `${num(p.burnRate)}x (${sli.badEvents} above ${pct(p.burnRate * budget)}) over ${duration(p.longWindowSeconds)} and ${duration(p.shortWindowSeconds)}`)
      .join(", or ");
    const fastest = spec.pairs[0];
    const exhaustHours = (sloPeriodDays * 24) / fastest.burnRate;
    const rule: AlertingRule = {
      alert,
      expr,
      labels: { severity: spec.severity, slo: sli.slo },
      annotations: {
        summary: `${sli.alertPrefix} error budget is burning ${spec.severity === "critical" ? "fast (page)" : "steadily (ticket)"}`,
        description:
          `SLO: ${sli.objectiveText} over ${sloPeriodDays} days (error budget ${pct(budget)}). ` +
          `Firing on ${conditions}. At ${num(fastest.burnRate)}x the whole budget is spent in ${num(Math.round(exhaustHours * 10) / 10)} hours.`,
        runbook_url: runbookUrl(alert),
      },
    };
    const isFast = spec.suffix === "FastBurn";
    return {
      rule,
      scenarios: [
        scenario(`${sli.badEvents} at ${pct(fastRatio)} for 70m`, fastRatio, 70, true),
        scenario(`${sli.badEvents} at 4.5x budget (${pct(slowRatio)}) for 70m`, slowRatio, 70, !isFast),
        scenario(`${sli.badEvents} at 0.5x budget (${pct(quietRatio)}) for 70m`, quietRatio, 70, false),
      ],
    };
  });
}

/** The availability SLI: share of 5xx responses users get at the ingress gateway. */
export function availabilitySli(options: {
  readonly objective: number;
  readonly gatewayWorkload: string;
  readonly service: string;
  readonly namespace: string;
  /** Other Service names the gateway's traffic may carry (the InferencePool's shadow Service). @default none */
  readonly alsoServices?: readonly string[];
}): SliDefinition {
  const base = {
    reporter: "source",
    source_workload: options.gatewayWorkload,
    destination_service_namespace: options.namespace,
  };
  const services = [options.service, ...(options.alsoServices ?? [])];
  const serviceMatcher = services.length === 1 ? `destination_service_name="${options.service}"` : `destination_service_name=~"${services.join("|")}"`;
  // Test series carry the Service name as Istio reports it.
  const seriesBase = { ...base, destination_service_name: options.service };
  const metric = "istio_requests_total";
  return {
    slo: "availability",
    alertPrefix: "InferenceAvailability",
    objective: options.objective,
    badEvents: "5xx responses",
    objectiveText: `${num(options.objective * 100)}% of responses at the gateway are not 5xx (429s from admission control count as good)`,
    labels: { slo: "availability", service: options.service },
    errorRatio: (w) =>
      `sum(rate(${metric}${selector(base, serviceMatcher, 'response_code=~"5.."')}[${w}])) / sum(rate(${metric}${selector(base, serviceMatcher)}[${w}]))`,
    series: (bad, minutes) => [
      { series: `${metric}${selector({ ...seriesBase, response_code: "200" })}`, values: `0+${num((1 - bad) * 1000)}x${minutes}` },
      { series: `${metric}${selector({ ...seriesBase, response_code: "503" })}`, values: `0+${num(bad * 1000)}x${minutes}` },
    ],
  };
}

/** The TTFT SLI: share of requests whose time to first token is above the SLO bucket. */
export function ttftSli(options: {
  readonly objective: number;
  readonly bucketSeconds: number;
  readonly leMatcher: string;
  readonly service: string;
  readonly namespace: string;
}): SliDefinition {
  const sel = { namespace: options.namespace };
  const metric = "vllm:time_to_first_token_seconds";
  return {
    slo: "ttft",
    alertPrefix: "InferenceTtft",
    objective: options.objective,
    badEvents: `requests with TTFT over ${num(options.bucketSeconds)}s`,
    objectiveText: `${num(options.objective * 100)}% of requests get their first token within ${num(options.bucketSeconds)}s`,
    labels: { slo: "ttft", service: options.service },
    errorRatio: (w) =>
      `1 - (sum(rate(${metric}_bucket${selector(sel, options.leMatcher)}[${w}])) / sum(rate(${metric}_count${selector(sel)}[${w}])))`,
    series: (bad, minutes) => [
      { series: `${metric}_bucket${selector({ ...sel, le: pythonLe(options.bucketSeconds) })}`, values: `0+${num((1 - bad) * 1000)}x${minutes}` },
      { series: `${metric}_bucket${selector({ ...sel, le: "+Inf" })}`, values: `0+1000x${minutes}` },
      { series: `${metric}_count${selector(sel)}`, values: `0+1000x${minutes}` },
    ],
  };
}

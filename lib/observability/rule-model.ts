/**
 * The Prometheus rule model Headroom generates: plain readonly data that renders
 * unchanged into a `PrometheusRule` spec and into a promtool rules file.
 */

/** An alerting rule. Annotations are static text (no `$value`), so promtool tests can assert them exactly. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold, e.g. `10m`. @default fires on the first true evaluation */
  readonly for?: string;
  /** `severity` (`critical` pages, `warning` opens a ticket) and routing labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** `summary`, `description` and `runbook_url`. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** A recording rule. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  /** @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** One rule group (evaluated sequentially, at the group's interval). */
export interface RuleGroup {
  readonly name: string;
  /** @default Prometheus' global evaluation interval */
  readonly interval?: string;
  readonly rules: readonly (AlertingRule | RecordingRule)[];
}

/** One input series of a promtool unit test, in promtool's expanding notation (`0+10x60`). */
export interface TestSeries {
  readonly series: string;
  readonly values: string;
}

/**
 * A synthetic situation for one alert: series, when to evaluate, and whether the
 * alert must fire (with which labels from its expression) or must stay silent.
 */
export interface AlertScenario {
  /** What the scenario shows, e.g. `5xx ratio at 0.5x budget`. */
  readonly name: string;
  readonly inputSeries: readonly TestSeries[];
  /** Evaluation time from the start of the series, e.g. `70m`. */
  readonly evalTime: string;
  readonly fires: boolean;
  /** Labels the firing alert carries from its expression (besides its rule labels). @default none */
  readonly exprLabels?: Readonly<Record<string, string>>;
}

/** An alerting rule with the scenarios that prove it fires and stays silent. */
export interface AlertDefinition {
  readonly rule: AlertingRule;
  readonly scenarios: readonly AlertScenario[];
}

/** True when `rule` is an alerting rule. */
export function isAlertingRule(rule: AlertingRule | RecordingRule): rule is AlertingRule {
  return (rule as AlertingRule).alert !== undefined;
}

import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { Construct } from "constructs";
import { MONITORING_NAMESPACE, PROMETHEUS_SELECTOR_LABELS } from "../addons/constants";
import { Problems } from "../core/validation";
import { AlertRuleSet, AlertRuleSetProps } from "./alert-rule-set";
import { checkSchema, isDnsLabel, isDnsSubdomain, manifestFrom, observabilityLabels } from "./private/manifest";

/** Properties of {@link SloAlertRules}. */
export interface SloAlertRulesProps extends AlertRuleSetProps {
  /** Namespace of the `PrometheusRule`. @default MONITORING_NAMESPACE ("monitoring") */
  readonly namespace?: string;
  /** Name of the `PrometheusRule`. @default "headroom-slo" */
  readonly name?: string;
}

/**
 * The SLO and saturation rules of an environment as one `PrometheusRule`:
 * SLI recording rules, multi-window multi-burn-rate alerts for availability and
 * TTFT, and saturation alerts (queue, KV cache, GPUs, Kafka lag, Redis, RDS Proxy,
 * HPA at max). The object is built from the typed model and validated at synth.
 *
 * @example
 * new SloAlertRules(this, "Alerts", {
 *   slo: { availability: 0.999, ttftP99Seconds: 1 },
 *   thresholds: { minGpus: 2, kafkaLagMessages: 4000 },
 * });
 */
export class SloAlertRules extends Construct {
  /** The generated rules (the same data promtool checks). */
  public readonly ruleSet: AlertRuleSet;
  /** The `kubernetes_manifest` (escape hatch). */
  public readonly resource: Manifest;

  public constructor(scope: Construct, id: string, props: SloAlertRulesProps) {
    super(scope, id);
    const namespace = props.namespace ?? MONITORING_NAMESPACE;
    const name = props.name ?? "headroom-slo";
    const problems = new Problems(`SloAlertRules '${this.node.path}' props`);
    if (!isDnsLabel(namespace)) problems.add("OBS_NAMESPACE", "namespace", namespace, "a DNS-1123 label");
    if (!isDnsSubdomain(name)) problems.add("OBS_NAME", "name", name, "a DNS-1123 subdomain");
    let ruleSet: AlertRuleSet | undefined;
    try {
      ruleSet = new AlertRuleSet(props);
    } catch (error) {
      const nested = (error as { problems?: Problems["list"] }).problems;
      if (!nested) throw error;
      problems.addAll(nested);
    }
    const model = ruleSet
      ? new PrometheusRule({
          metadata: { name, namespace, labels: { ...observabilityLabels("alerts"), ...PROMETHEUS_SELECTOR_LABELS } },
          spec: { groups: JSON.parse(JSON.stringify(ruleSet.groups)) },
        })
      : undefined;
    if (model) checkSchema(problems, "PrometheusRule", model);
    problems.throwIfAny();
    this.ruleSet = ruleSet as AlertRuleSet;
    this.resource = manifestFrom(this, "Resource", model as PrometheusRule);
  }
}

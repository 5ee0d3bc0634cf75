import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Construct } from "constructs";
import { GRAFANA_DASHBOARD_LABEL, GRAFANA_DASHBOARD_LABEL_VALUE, MONITORING_NAMESPACE } from "../addons/constants";
import { Problems } from "../core/validation";
import { AlertRuleSet } from "./alert-rule-set";
import { headroomDashboards } from "./dashboards";
import { Dashboard, dashboardProblems } from "./grafana-dashboard";
import { isDnsLabel, observabilityLabels } from "./private/manifest";

/** A ConfigMap holds at most 1 MiB (etcd's object limit); a dashboard must fit with its metadata. */
const CONFIG_MAP_MAX_BYTES = 1024 * 1024 - 4096;

/** Properties of {@link GrafanaDashboards}. */
export interface GrafanaDashboardsProps {
  /** The rule set whose SLOs, thresholds and signal names the dashboards show. */
  readonly rules: AlertRuleSet;
  /** Dashboards to provision in addition to Headroom's four. @default none */
  readonly extraDashboards?: readonly Dashboard[];
  /**
   * Namespace of the ConfigMaps (the Grafana sidecar searches every namespace).
   * @default MONITORING_NAMESPACE ("monitoring")
   */
  readonly namespace?: string;
}

/**
 * Grafana dashboards provisioned through the Grafana dashboards sidecar: one
 * ConfigMap per dashboard, labelled `grafana_dashboard: "1"`. Every dashboard is
 * checked against the key parts of Grafana's dashboard schema before synth.
 *
 * @example
 * const alerts = new SloAlertRules(this, "Alerts", { slo });
 * new GrafanaDashboards(this, "Dashboards", { rules: alerts.ruleSet });
 */
export class GrafanaDashboards extends Construct {
  /** The dashboards, as provisioned. */
  public readonly dashboards: readonly Dashboard[];
  /** The ConfigMaps, by dashboard uid. */
  public readonly configMaps: Readonly<Record<string, ConfigMapV1>>;

  public constructor(scope: Construct, id: string, props: GrafanaDashboardsProps) {
    super(scope, id);
    const namespace = props.namespace ?? MONITORING_NAMESPACE;
    const dashboards = [...headroomDashboards(props.rules), ...(props.extraDashboards ?? [])];
    const problems = new Problems(`GrafanaDashboards '${this.node.path}' props`);
    if (!isDnsLabel(namespace)) problems.add("OBS_NAMESPACE", "namespace", namespace, "a DNS-1123 label");
    const uids = new Set<string>();
    dashboards.forEach((d, i) => {
      problems.addAll(dashboardProblems(d, `dashboards[${i}]`));
      if (uids.has(d.uid)) problems.add("OBS_DASHBOARD_UID_DUPLICATE", `dashboards[${i}].uid`, d.uid, "a uid no other dashboard uses");
      uids.add(d.uid);
      const bytes = Buffer.byteLength(JSON.stringify(d));
      if (bytes > CONFIG_MAP_MAX_BYTES) problems.add("OBS_DASHBOARD_SIZE", `dashboards[${i}]`, bytes, `at most ${CONFIG_MAP_MAX_BYTES} bytes of JSON (one ConfigMap)`);
    });
    problems.throwIfAny();

    const configMaps: Record<string, ConfigMapV1> = {};
    for (const d of dashboards) {
      configMaps[d.uid] = new ConfigMapV1(this, d.uid, {
        metadata: {
          name: `dashboard-${d.uid}`.toLowerCase().replace(/_/g, "-"),
          namespace,
          labels: { ...observabilityLabels("dashboards"), [GRAFANA_DASHBOARD_LABEL]: GRAFANA_DASHBOARD_LABEL_VALUE },
        },
        data: { [`${d.uid}.json`]: JSON.stringify(d) },
      });
    }
    this.dashboards = dashboards;
    this.configMaps = configMaps;
  }
}

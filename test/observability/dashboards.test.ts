import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ValidationError } from "../../lib/core/validation";
import {
  AlertRuleSet,
  Dashboard,
  DashboardBuilder,
  dashboardProblems,
  GrafanaDashboards,
  headroomDashboards,
} from "../../lib/observability";
import { resourcesOf, synthJson, testStack } from "../helpers/synth";

const rules = new AlertRuleSet({
  slo: { availability: 0.999, ttftP99Seconds: 2.5 },
  thresholds: { minGpus: 8, kafkaLagMessages: 6000, rdsProxyMaxConnections: 1200 },
  sources: { inferenceNamespace: "llm", inferenceService: "chat", worker: "chat-worker" },
});
const dashboards = headroomDashboards(rules);
const exprs = (d: Dashboard): string[] => d.panels.flatMap((p) => p.targets.map((t) => t.expr));
const byUid = Object.fromEntries(dashboards.map((d) => [d.uid, d]));

describe("headroomDashboards", () => {
  it("generates the four dashboards", () => {
    expect(dashboards.map((d) => d.uid)).toEqual(["headroom-service-overview", "headroom-gpu-fleet", "headroom-async-path", "headroom-data-tier"]);
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))("%s passes the dashboard schema checks", (_uid, d) => {
    expect(dashboardProblems(d)).toEqual([]);
    expect(d.schemaVersion).toBe(39);
    expect(d.templating.list[0]).toMatchObject({ name: "datasource", type: "datasource", query: "prometheus" });
    for (const panel of d.panels) {
      expect(panel.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      expect(panel.targets.length).toBeGreaterThan(0);
    }
  });

  it("shows the article's indicators on the service overview", () => {
    const d = byUid["headroom-service-overview"];
    const text = exprs(d).join("\n");
    expect(text).toContain("histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{namespace=\"llm\"}[5m])))");
    expect(text).toContain("histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket");
    expect(text).toContain('response_code=~"5.."');
    expect(text).toContain('response_code=~"4.."');
    expect(text).toContain('response_code=~"429"');
    expect(text).toContain('destination_service_name=~"chat|chat-ip-31e06f7d"');
    // The request path through the picker and the KV tiers.
    for (const metric of ["vllm:prefix_cache_hits_total", "vllm:external_prefix_cache_hits_total", "inference_extension_scheduler_attempts_total", "inference_pool_average_queue_size"]) {
      expect(text).toContain(metric);
    }
    expect(d.panels.map((p) => p.title)).toEqual(expect.arrayContaining(["Availability budget left (30d)", "Time to first token", "End-to-end latency"]));
  });

  it("draws the SLO and thresholds the alerts use", () => {
    expect(exprs(byUid["headroom-service-overview"])).toContain("vector(2.5)");
    expect(exprs(byUid["headroom-service-overview"]).join()).toContain("/ 0.001");
    expect(exprs(byUid["headroom-async-path"])).toContain("vector(6000)");
    expect(exprs(byUid["headroom-data-tier"])).toContain("vector(1200)");
    const gpusReporting = byUid["headroom-gpu-fleet"].panels.find((p) => p.title === "GPUs reporting");
    expect(gpusReporting?.fieldConfig.defaults.thresholds?.steps).toEqual([
      { color: "green", value: null },
      { color: "red", value: 0 },
      { color: "green", value: 8 },
    ]);
    const looser = headroomDashboards(new AlertRuleSet({ slo: { availability: 0.99, ttftP99Seconds: 1 } }));
    expect(exprs(looser[0]).join()).toContain("/ 0.01");
    expect(exprs(looser[0])).toContain("vector(1)");
  });

  it("draws the TPOT SLO only when one is given", () => {
    const tpotPanel = (d: Dashboard) => d.panels.find((p) => p.title === "Time per output token");
    expect(tpotPanel(byUid["headroom-service-overview"])?.targets.map((t) => t.expr)).not.toContain("vector(0.1)");
    const withTpot = headroomDashboards(new AlertRuleSet({ slo: { availability: 0.999, ttftP99Seconds: 1, tpotP99Seconds: 0.075 } }))[0];
    expect(tpotPanel(withTpot)?.targets.map((t) => t.expr)).toContain("vector(0.075)");
    expect(tpotPanel(withTpot)?.targets[0].expr).toContain("vllm:inter_token_latency_seconds_bucket");
  });

  it("reads worker throughput from the mesh and KEDA's HPA for replicas", () => {
    const text = exprs(byUid["headroom-async-path"]).join("\n");
    expect(text).toContain('reporter="destination",source_workload="chat-worker",destination_service_name="chat"');
    expect(text).toContain('horizontalpodautoscaler="keda-hpa-chat-worker"');
  });
});

describe("dashboardProblems", () => {
  it("reports a bad uid, an empty title, overlapping panels and a query without expression", () => {
    const d = new DashboardBuilder("x".repeat(41), " ").timeseries("a", [["up"]]).timeseries("b", [[""]]).build();
    const broken: Dashboard = { ...d, panels: [d.panels[0], { ...d.panels[1], gridPos: { x: 6, y: 0, w: 12, h: 8 } }] };
    expect(dashboardProblems(broken).map((p) => [p.code, p.path])).toEqual([
      ["OBS_DASHBOARD_UID", "dashboard.uid"],
      ["OBS_DASHBOARD_TITLE", "dashboard.title"],
      ["OBS_PANEL_OVERLAP", "dashboard.panels[1].gridPos"],
      ["OBS_TARGET_EXPR", "dashboard.panels[1].targets[0].expr"],
    ]);
  });

  it("wraps panels onto a new row when a row is full", () => {
    const d = new DashboardBuilder("wrap", "Wrap").stat("a", [["1"]]).stat("b", [["1"]]).timeseries("c", [["1"]]).timeseries("d", [["1"]]).timeseries("e", [["1"]]).build();
    expect(d.panels.map((p) => [p.gridPos.x, p.gridPos.y])).toEqual([[0, 0], [6, 0], [12, 0], [0, 8], [12, 8]]);
    expect(dashboardProblems(d)).toEqual([]);
  });
});

describe("GrafanaDashboards", () => {
  it("provisions one sidecar-labelled ConfigMap per dashboard", () => {
    const { stack } = testStack();
    new KubernetesProvider(stack, "k8s", { configPath: "~/.kube/config" });
    new GrafanaDashboards(stack, "Dashboards", { rules });
    const maps = Object.values(resourcesOf(synthJson(stack), "kubernetes_config_map_v1")) as any[];
    expect(maps).toHaveLength(4);
    for (const map of maps) {
      expect(map.metadata.namespace).toBe("monitoring");
      expect(map.metadata.labels.grafana_dashboard).toBe("1");
      const [key, json] = Object.entries(map.data)[0] as [string, string];
      const dashboard = JSON.parse(json) as Dashboard;
      expect(key).toBe(`${dashboard.uid}.json`);
      expect(map.metadata.name).toBe(`dashboard-${dashboard.uid}`);
      expect(dashboardProblems(dashboard)).toEqual([]);
    }
  });

  it("fails on a duplicate uid and an invalid extra dashboard", () => {
    const { stack } = testStack();
    const extra = new DashboardBuilder("headroom-gpu-fleet", "Copy").timeseries("a", [["up"]]).build();
    try {
      new GrafanaDashboards(stack, "Dashboards", { rules, extraDashboards: [extra, { ...extra, uid: "ok", panels: [] }] });
      throw new Error("expected a ValidationError");
    } catch (error) {
      expect((error as ValidationError).codes).toEqual(["OBS_DASHBOARD_UID_DUPLICATE", "OBS_DASHBOARD_PANELS"]);
    }
  });
});

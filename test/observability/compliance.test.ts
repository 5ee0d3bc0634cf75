import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Compliance } from "../../lib/compliance/compliance";
import { AlertRuleSet, CloudWatchExporter, ContainerLogs, GrafanaDashboards, MeshTracing, ScrapeMonitors, SloAlertRules } from "../../lib/observability";
import { synthJson, testStack } from "../helpers/synth";

describe("observability constructs under the compliance pack", () => {
  it("synthesize with no violation", () => {
    const { stack } = testStack();
    new KubernetesProvider(stack, "k8s", { configPath: "~/.kube/config" });
    new HelmProvider(stack, "helm", {});
    const slo = { availability: 0.999, ttftP99Seconds: 1 };
    new SloAlertRules(stack, "Alerts", { slo });
    new ScrapeMonitors(stack, "Monitors");
    new GrafanaDashboards(stack, "Dashboards", { rules: new AlertRuleSet({ slo }) });
    new MeshTracing(stack, "Tracing", { samplingPercent: 1 });
    new ContainerLogs(stack, "Logs", { clusterName: "c", region: "us-east-1", kmsKey: { keyArn: "arn:aws:kms:us-east-1:111122223333:key/k", keyId: "k" } });
    new CloudWatchExporter(stack, "CloudWatchExporter", { clusterName: "c", region: "us-east-1" });
    const pack = Compliance.of(stack).apply({ allowLocalState: true, log: false });
    synthJson(stack);
    const report = pack.report;
    expect(report?.violations).toEqual([]);
    expect(report?.suppressed).toEqual([]);
    expect(report?.counts.compliant).toBeGreaterThan(20);
  });
});

import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { ValidationError } from "../../lib/core/validation";
import { CLOUDWATCH_EXPORTER_CHART, CloudWatchExporter, cloudWatchExporterConfig, METRICS } from "../../lib/observability";
import { onlyResource, synthJson, testStack } from "../helpers/synth";

/** cloudwatch_exporter's naming: aws_<namespace>_<metric in snake_case>_<statistic>. */
function exportedName(namespace: string, metric: string, statistic: string): string {
  const snake = metric.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  return `aws_${namespace.replace(/^AWS\//, "").toLowerCase()}_${snake}_${statistic.toLowerCase()}`;
}

describe("cloudWatchExporterConfig", () => {
  const config = cloudWatchExporterConfig("eu-west-1", { redisReplicationGroupId: "hr-prod", rdsProxyName: "hr-proxy", kafkaConsumerGroup: "workers", kafkaTopic: "inference.requests" });

  it("exports every CloudWatch metric the rules and dashboards read, and no other", () => {
    const exported = config.metrics.flatMap((m) => m.aws_statistics.map((s) => exportedName(m.aws_namespace, m.aws_metric_name, s)));
    const read = Object.values(METRICS).filter((name) => name.startsWith("aws_"));
    expect(exported.sort()).toEqual([...read].sort());
  });

  it("scopes each metric to this environment's resources", () => {
    const byName = Object.fromEntries(config.metrics.map((m) => [m.aws_metric_name, m]));
    expect(byName.DatabaseMemoryUsagePercentage.aws_dimension_select_regex).toEqual({ CacheClusterId: ["hr-prod-.*"] });
    expect(byName.DatabaseConnections.aws_dimension_select).toEqual({ ProxyName: ["hr-proxy"] });
    expect(byName.SumOffsetLag.aws_dimension_select).toEqual({ "Consumer Group": ["workers"], Topic: ["inference.requests"] });
    expect(config).toMatchObject({ region: "eu-west-1", period_seconds: 60, set_timestamp: false });
  });
});

describe("CloudWatchExporter", () => {
  it("runs the pinned chart with its ServiceMonitor and read-only CloudWatch access through Pod Identity", () => {
    const { stack } = testStack();
    new HelmProvider(stack, "helm", {});
    new CloudWatchExporter(stack, "CloudWatchExporter", { clusterName: "headroom-prod", region: "us-east-1" });
    const json = synthJson(stack);
    const release = onlyResource(json, "helm_release");
    expect(release).toMatchObject({ chart: CLOUDWATCH_EXPORTER_CHART.chart, version: "0.28.1", namespace: "monitoring" });
    const values = JSON.parse(release.values[0]);
    expect(values.serviceMonitor.enabled).toBe(true);
    expect(JSON.parse(values.config)).toEqual(cloudWatchExporterConfig("us-east-1"));
    expect(values.containerSecurityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    const policy = JSON.parse(onlyResource(json, "aws_iam_role_policy").policy);
    expect(policy.Statement).toEqual([
      { Sid: "ReadCloudWatchMetrics", Effect: "Allow", Action: ["cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics"], Resource: "*" },
    ]);
    expect(onlyResource(json, "aws_eks_pod_identity_association")).toMatchObject({ namespace: "monitoring", service_account: "cloudwatch-exporter" });
  });

  it("fails on a bad namespace", () => {
    const { stack } = testStack();
    try {
      new CloudWatchExporter(stack, "X", { clusterName: "c", region: "us-east-1", namespace: "Mon" });
      throw new Error("expected a ValidationError");
    } catch (error) {
      expect((error as ValidationError).codes).toEqual(["OBS_NAMESPACE"]);
    }
  });
});

import { ClusterAddons, KUBE_PROMETHEUS_STACK, KubePrometheusStack, MONITORING_NAMESPACE } from "../../lib/addons";
import { CloudWatchExporter } from "../../lib/observability";
import { resourcesOf, synthJson } from "../helpers/synth";
import { clusterStack } from "./helpers";

describe("CloudWatch exporter install order", () => {
  test("waits for the monitoring namespace and kube-prometheus-stack (the ServiceMonitor CRD) when given them", () => {
    const { stack } = clusterStack();
    const addons = new ClusterAddons(stack, "Addons", {
      clusterName: "dev",
      region: "us-east-1",
      vpcId: "vpc-0123456789abcdef0",
      addons: [new KubePrometheusStack({ retentionDays: 7, volumeGiB: 50, activeSeries: 100_000, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k" })],
    });
    new CloudWatchExporter(stack, "CloudWatchExporter", {
      clusterName: "dev",
      region: "us-east-1",
      dependsOn: [addons.namespaces[MONITORING_NAMESPACE], addons.releases[KUBE_PROMETHEUS_STACK]],
    });
    const json = synthJson(stack);
    const exporter = Object.values(resourcesOf(json, "helm_release")).find((r: any) => r.name === "cloudwatch-exporter") as any;
    const ns = Object.keys(resourcesOf(json, "kubernetes_namespace_v1")).find((k) => k.includes(MONITORING_NAMESPACE))!;
    const kps = Object.entries(resourcesOf(json, "helm_release")).find(([, r]: any) => r.name === KUBE_PROMETHEUS_STACK)![0];
    expect(exporter.namespace).toBe(MONITORING_NAMESPACE);
    expect(exporter.depends_on).toEqual(expect.arrayContaining([`kubernetes_namespace_v1.${ns}`, `helm_release.${kps}`]));
  });
});

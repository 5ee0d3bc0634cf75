import { DCGM_EXPORTER_CHART, DcgmExporter, KubePrometheusStack, NVIDIA_DEVICE_PLUGIN_CHART, NvidiaDevicePlugin } from "../../lib/addons";
import { resourcesOf } from "../helpers/synth";
import { release, synthAddons, validationError, valuesOf } from "./helpers";

const kps = () => new KubePrometheusStack({ retentionDays: 7, volumeGiB: 50, activeSeries: 100_000, kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k" });

describe("NVIDIA device plugin and DCGM exporter", () => {
  const { json } = synthAddons([kps(), new NvidiaDevicePlugin(), new DcgmExporter()]);

  test("pinned charts in the GPU namespace, which enforces privileged", () => {
    expect([release(json, "nvidia-device-plugin").chart, release(json, "nvidia-device-plugin").version]).toEqual([NVIDIA_DEVICE_PLUGIN_CHART.chart, "0.17.2"]);
    expect(release(json, "nvidia-device-plugin").repository).toBe("https://nvidia.github.io/k8s-device-plugin");
    expect(release(json, "dcgm-exporter").repository).toBe(DCGM_EXPORTER_CHART.repository);
    expect(release(json, "dcgm-exporter").namespace).toBe("gpu-system");
    const ns = Object.values(resourcesOf(json, "kubernetes_namespace_v1")).find((n: any) => n.metadata.name === "gpu-system") as any;
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
  });

  test("the device plugin runs only on GPU nodes and tolerates their taint; no driver, no NFD/GFD", () => {
    const v = valuesOf(json, "nvidia-device-plugin");
    expect(v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "headroom.dev/gpu-family", operator: "Exists" }] },
    ]);
    expect(v.tolerations).toContainEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
    expect(v.nodeSelector).toBeUndefined();
    expect(v.gfd).toEqual({ enabled: false });
    expect(v.nfd).toEqual({ enabled: false });
    expect(JSON.stringify(v)).not.toMatch(/driver/i);
    expect(v.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(v.resources.requests).toEqual({ cpu: "50m", memory: "64Mi" });
  });

  test("GPU placement follows a custom label and taint", () => {
    const custom = synthAddons([new NvidiaDevicePlugin()], { gpu: { labelKey: "gpu", taint: { key: "accel", value: "yes", effect: "NoExecute" } } }).json;
    const v = valuesOf(custom, "nvidia-device-plugin");
    expect(v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key).toBe("gpu");
    expect(v.tolerations[0]).toEqual({ key: "accel", operator: "Exists", effect: "NoExecute" });
  });

  test("DCGM exporter ships a ServiceMonitor and needs only SYS_ADMIN", () => {
    const v = valuesOf(json, "dcgm-exporter");
    expect(v.serviceMonitor).toMatchObject({ enabled: true, interval: "15s" });
    expect(v.securityContext.capabilities).toEqual({ drop: ["ALL"], add: ["SYS_ADMIN"] });
    expect(v.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    expect(v.resources.limits.memory).toBe("512Mi");
    expect(valuesOf(synthAddons([kps(), new NvidiaDevicePlugin(), new DcgmExporter({ scrapeIntervalSeconds: 5 })]).json, "dcgm-exporter").serviceMonitor.interval).toBe("5s");
  });

  test("DCGM exporter waits for the Prometheus CRDs and the device plugin", () => {
    const deps = release(json, "dcgm-exporter").depends_on;
    expect(deps).toEqual(expect.arrayContaining([expect.stringMatching(/helm_release\.Addons_kube-prometheus-stack_/), expect.stringMatching(/helm_release\.Addons_nvidia-device-plugin_/)]));
  });

  test("DCGM exporter without Prometheus names the missing add-on; bad interval fails", () => {
    expect(validationError(() => synthAddons([new NvidiaDevicePlugin(), new DcgmExporter()])).message).toContain("dcgm-exporter requires add-on 'kube-prometheus-stack'");
    expect(validationError(() => synthAddons([kps(), new NvidiaDevicePlugin(), new DcgmExporter({ scrapeIntervalSeconds: 1 })])).codes).toEqual(["ADDON_SCRAPE_INTERVAL"]);
  });
});

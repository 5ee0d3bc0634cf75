import { METRICS_SERVER_CHART, MetricsServer } from "../../lib/addons";
import { release, synthAddons, validationError, valuesOf } from "./helpers";

describe("MetricsServer", () => {
  test("pinned chart in kube-system with two replicas and a PDB", () => {
    const { json } = synthAddons([new MetricsServer()]);
    const r = release(json, "metrics-server");
    expect([r.chart, r.version, r.repository, r.namespace]).toEqual(["metrics-server", METRICS_SERVER_CHART.version, "https://kubernetes-sigs.github.io/metrics-server/", "kube-system"]);
    const v = valuesOf(json, "metrics-server");
    expect(v.replicas).toBe(2);
    expect(v.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(v.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(v.resources).toEqual({ requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } });
  });

  test("one replica has no PDB (it would block every drain)", () => {
    expect(valuesOf(synthAddons([new MetricsServer({ replicas: 1 })]).json, "metrics-server").podDisruptionBudget.enabled).toBe(false);
    expect(validationError(() => synthAddons([new MetricsServer({ replicas: 9 })])).codes).toEqual(["ADDON_REPLICAS"]);
  });
});

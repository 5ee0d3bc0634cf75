import { TerraformVariable, Token } from "cdktf";
import { Prometheus } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus";
import { Alertmanager } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager";
import { ClusterAddons, GRAFANA_ADMIN_SECRET, JAEGER_QUERY_URL, KUBE_PROMETHEUS_STACK_CHART, KubePrometheusStack, KubePrometheusStackOptions } from "../../lib/addons";
import { onlyResource, resourcesOf, synthJson } from "../helpers/synth";
import { clusterStack, release, synthAddons, validationError, valuesOf } from "./helpers";

const KMS = "arn:aws:kms:us-east-1:123456789012:key/prom";
const base: KubePrometheusStackOptions = { retentionDays: 15, volumeGiB: 200, activeSeries: 500_000, kmsKeyArn: KMS };

describe("KubePrometheusStack", () => {
  const { json } = synthAddons([new KubePrometheusStack({ ...base, mskBrokerHosts: ["b-1.msk.internal", "b-2.msk.internal"] })]);
  const r = release(json, "kube-prometheus-stack");
  const v = JSON.parse(r.values[0]);
  const spec = v.prometheus.prometheusSpec;

  test("pinned chart in the monitoring namespace", () => {
    expect([r.chart, r.version, r.repository, r.namespace]).toEqual([
      "kube-prometheus-stack",
      KUBE_PROMETHEUS_STACK_CHART.version,
      "https://prometheus-community.github.io/helm-charts",
      "monitoring",
    ]);
  });

  test("retention and gp3 volume follow the plan", () => {
    expect(spec.retention).toBe("15d");
    expect(spec.retentionSize).toBe("170GB");
    expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({ storageClassName: "gp3", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "200Gi" } } });
    const small = valuesOf(synthAddons([new KubePrometheusStack({ ...base, retentionDays: 3, volumeGiB: 20 })]).json, "kube-prometheus-stack").prometheus.prometheusSpec;
    expect([small.retention, small.retentionSize, small.storageSpec.volumeClaimTemplate.spec.resources.requests.storage]).toEqual(["3d", "17GB", "20Gi"]);
  });

  test("memory and CPU grow with the active series", () => {
    // 512 MiB + 500,000 x 4 KiB = 512 + 1954 MiB.
    expect(spec.resources).toEqual({ requests: { cpu: "500m", memory: "2466Mi" }, limits: { memory: "3699Mi" } });
    const big = new KubePrometheusStack({ ...base, activeSeries: 2_000_000 }).prometheusResources();
    expect(big.requests).toEqual({ cpu: "2000m", memory: `${512 + 7813}Mi` });
  });

  test("monitors and rules are selected from every namespace without the release label", () => {
    for (const k of ["serviceMonitor", "podMonitor", "rule", "probe", "scrapeConfig"]) expect(spec[`${k}SelectorNilUsesHelmValues`]).toBe(false);
    for (const k of ["serviceMonitor", "podMonitor", "rule", "probe"]) {
      expect(spec[`${k}Selector`]).toEqual({});
      expect(spec[`${k}NamespaceSelector`]).toEqual({});
    }
  });

  test("the Prometheus and Alertmanager specs are valid against the operator's CRD schemas", () => {
    const { storageSpec, serviceMonitorSelectorNilUsesHelmValues, podMonitorSelectorNilUsesHelmValues, ruleSelectorNilUsesHelmValues, probeSelectorNilUsesHelmValues, scrapeConfigSelectorNilUsesHelmValues, ...crdFields } = spec;
    expect(() => new Prometheus({ metadata: { name: "kps" }, spec: { ...crdFields, storage: storageSpec } }).validate()).not.toThrow();
    const am = v.alertmanager.alertmanagerSpec;
    expect(() => new Alertmanager({ metadata: { name: "kps" }, spec: am }).validate()).not.toThrow();
  });

  test("hardened pods on system nodes; node-exporter on every node", () => {
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: "RuntimeDefault" } });
    expect(v.prometheusOperator.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(v.grafana.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    for (const part of [spec, v.alertmanager.alertmanagerSpec, v.grafana, v.prometheusOperator, v["kube-state-metrics"]]) {
      expect(part.nodeSelector).toEqual({ "headroom.dev/node-role": "system" });
      expect(part.resources.requests).toBeDefined();
    }
    expect(v["prometheus-node-exporter"].tolerations).toEqual([{ operator: "Exists" }]);
  });

  test("Grafana: generated admin secret, dashboards sidecar on all namespaces, Jaeger data source", () => {
    expect(v.grafana.admin).toEqual({ existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" });
    expect(v.grafana.adminPassword).toBeUndefined();
    expect(v.grafana.sidecar.dashboards).toEqual({ enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" });
    expect(v.grafana.sidecar.datasources.defaultDatasourceEnabled).toBe(true);
    expect(v.grafana.additionalDataSources).toEqual([expect.objectContaining({ type: "jaeger", url: JAEGER_QUERY_URL })]);
  });

  test("the admin password is generated at apply time and written only through write-only arguments", () => {
    const random = onlyResource({ resource: json.data } as any, "aws_secretsmanager_random_password");
    expect(random).toMatchObject({ password_length: 32, exclude_punctuation: true });
    const randomRef = Object.keys(json.data!.aws_secretsmanager_random_password)[0];
    const secret = onlyResource(json, "kubernetes_secret_v1");
    expect(secret.metadata).toMatchObject({ name: GRAFANA_ADMIN_SECRET, namespace: "monitoring" });
    expect(secret.data).toBeUndefined();
    expect(secret.data_wo["admin-password"]).toBe(`\${data.aws_secretsmanager_random_password.${randomRef}.random_password}`);
    expect(secret.data_wo_revision).toBe(1);
    expect(secret.depends_on).toEqual([expect.stringMatching(/^kubernetes_namespace_v1\.Addons_Namespace-monitoring_/)]);
    const sm = onlyResource(json, "aws_secretsmanager_secret");
    expect(sm).toMatchObject({ name: "dev/grafana-admin", kms_key_id: KMS });
    const version = onlyResource(json, "aws_secretsmanager_secret_version");
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo).toBe(secret.data_wo["admin-password"]);
    expect(r.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes_secret_v1\./)]));
    // Rotation: a new revision re-writes both copies.
    const rotated = synthAddons([new KubePrometheusStack({ ...base, grafanaAdminSecretRevision: 2 })]).json;
    expect(onlyResource(rotated, "kubernetes_secret_v1").data_wo_revision).toBe(2);
    expect(onlyResource(rotated, "aws_secretsmanager_secret_version").secret_string_wo_version).toBe(2);
  });

  test("an encrypted gp3 StorageClass with the customer key, retained by default", () => {
    const sc = onlyResource(json, "kubernetes_storage_class_v1");
    expect(sc.metadata.name).toBe("gp3");
    expect(sc).toMatchObject({ storage_provisioner: "ebs.csi.aws.com", reclaim_policy: "Retain", volume_binding_mode: "WaitForFirstConsumer", allow_volume_expansion: true });
    expect(sc.parameters).toMatchObject({ type: "gp3", encrypted: "true", kmsKeyId: KMS });
    const del = synthAddons([new KubePrometheusStack({ ...base, volumeReclaimPolicy: "Delete" })]).json;
    expect(onlyResource(del, "kubernetes_storage_class_v1").reclaim_policy).toBe("Delete");
    const none = synthAddons([new KubePrometheusStack({ ...base, createGp3StorageClass: false })]).json;
    expect(resourcesOf(none, "kubernetes_storage_class_v1")).toEqual({});
  });

  test("MSK JMX (11001) and node (11002) exporters are scraped", () => {
    const doc = JSON.parse(r.values[1]).prometheus.prometheusSpec.additionalScrapeConfigs;
    expect(doc.map((j: any) => j.job_name)).toEqual(["msk-jmx", "msk-node"]);
    expect(doc[0].static_configs[0].targets).toEqual(["b-1.msk.internal:11001", "b-2.msk.internal:11001"]);
    expect(doc[1].static_configs[0].targets).toEqual(["b-1.msk.internal:11002", "b-2.msk.internal:11002"]);
    expect(valuesOf(synthAddons([new KubePrometheusStack(base)]).json, "kube-prometheus-stack")).toBeDefined();
    expect(release(synthAddons([new KubePrometheusStack(base)]).json, "kube-prometheus-stack").values).toHaveLength(1);
  });

  test("MSK broker hosts from another stack (a list token) become a jsonencode expression", () => {
    const { stack } = clusterStack();
    const hosts = new TerraformVariable(stack, "brokers", { type: "list(string)" });
    new ClusterAddons(stack, "Addons", { clusterName: "dev", region: "us-east-1", vpcId: "vpc-1", addons: [new KubePrometheusStack({ ...base, mskBrokerHosts: Token.asList(hosts.value) })] });
    const out = release(synthJson(stack), "kube-prometheus-stack").values[1] as string;
    expect(out).toMatch(/^\$\{jsonencode\(/);
    expect(out).toContain('formatlist("%s:11001", var.brokers)');
    expect(out).toContain('formatlist("%s:11002", var.brokers)');
  });

  test("invalid sizes and a missing key are all reported", () => {
    const err = validationError(() => synthAddons([new KubePrometheusStack({ retentionDays: 0, volumeGiB: 5, activeSeries: 10, kmsKeyArn: "" })]));
    expect(err.codes).toEqual(["ADDON_PROMETHEUS_RETENTION", "ADDON_PROMETHEUS_VOLUME", "ADDON_PROMETHEUS_SERIES", "ADDON_KMS_KEY"]);
  });
});

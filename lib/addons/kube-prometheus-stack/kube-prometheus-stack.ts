import { Construct } from "constructs";
import { Fn, ITerraformDependable, Token } from "cdktf";
import { AddonContext, HelmAddon, HelmChart, PodSecurityLevel } from "../addon";
import { Problem } from "../../core/validation";
import {
  GRAFANA_ADMIN_SECRET,
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_DASHBOARD_LABEL_VALUE,
  JAEGER_QUERY_URL,
  KUBE_PROMETHEUS_STACK_FULLNAME,
  MONITORING_NAMESPACE,
  MSK_JMX_EXPORTER_PORT,
  MSK_NODE_EXPORTER_PORT,
} from "../constants";
import { checkInt, resources, restrictedContainer, restrictedPod, systemPlacement } from "../private/values";
import { GrafanaAdminSecret } from "./grafana-admin-secret";
import { GP3_STORAGE_CLASS, Gp3StorageClass } from "./gp3-storage-class";

/** Add-on name of {@link KubePrometheusStack}. */
export const KUBE_PROMETHEUS_STACK = "kube-prometheus-stack";
/** Chart pin: prometheus-community `kube-prometheus-stack` 76.5.1 (Prometheus Operator v0.85). */
export const KUBE_PROMETHEUS_STACK_CHART: HelmChart = {
  chart: "kube-prometheus-stack",
  repository: "https://prometheus-community.github.io/helm-charts",
  version: "76.5.1",
};

/**
 * Head-block memory per active series used to size Prometheus, KiB. A planning figure: operators
 * report 1-8 KiB per series depending on label size and churn (Prometheus TSDB design notes,
 * Robust Perception's "How much RAM does Prometheus 2.x need"); 4 KiB leaves room for queries.
 */
export const PROMETHEUS_MEMORY_PER_SERIES_KIB = 4;
/** Memory Prometheus needs besides the head block, MiB. */
export const PROMETHEUS_BASE_MEMORY_MIB = 512;
/** Share of the volume Prometheus may fill before deleting old blocks (WAL and compaction need the rest). */
export const PROMETHEUS_RETENTION_SIZE_FRACTION = 0.85;

/** kube-prometheus-stack components with no scrape target on EKS (their monitors and rules are off). */
export const EKS_UNSCRAPABLE_COMPONENTS = ["kubeScheduler", "kubeControllerManager", "kubeEtcd", "kubeProxy"] as const;

/** Options of {@link KubePrometheusStack}. */
export interface KubePrometheusStackOptions {
  /** Days of metrics kept (`CapacityPlan.system.prometheusRetentionDays`). */
  readonly retentionDays: number;
  /** gp3 volume per Prometheus replica, GiB (`CapacityPlan.system.prometheusVolumeGiB`). */
  readonly volumeGiB: number;
  /** Active series Prometheus holds (`CapacityPlan.system.prometheusActiveSeries`); sizes memory and CPU. */
  readonly activeSeries: number;
  /** Customer-managed KMS key for the gp3 volumes and the Grafana admin secret. */
  readonly kmsKeyArn: string;
  /**
   * Prometheus replicas (each scrapes everything; 2 keeps the HPA's custom metrics up during a node drain).
   * @default 1
   */
  readonly prometheusReplicas?: number;
  /**
   * Alertmanager replicas (they gossip to deduplicate).
   * @default 1
   */
  readonly alertmanagerReplicas?: number;
  /**
   * MSK broker hostnames (may be a Terraform list token from the foundation stack); their JMX
   * (11001) and node (11002) exporters are scraped.
   * @default none: no MSK scrape jobs
   */
  readonly mskBrokerHosts?: readonly string[];
  /**
   * Create the encrypted `gp3` StorageClass the volumes use.
   * @default true
   */
  readonly createGp3StorageClass?: boolean;
  /**
   * Reclaim policy of that StorageClass.
   * @default "Retain"
   */
  readonly volumeReclaimPolicy?: "Retain" | "Delete";
  /**
   * Bump to generate a new Grafana admin password.
   * @default 1
   */
  readonly grafanaAdminSecretRevision?: number;
  /**
   * Default scrape interval, seconds.
   * @default 30
   */
  readonly scrapeIntervalSeconds?: number;
}

const KNOWN: (keyof KubePrometheusStackOptions)[] = [
  "retentionDays",
  "volumeGiB",
  "activeSeries",
  "kmsKeyArn",
  "prometheusReplicas",
  "alertmanagerReplicas",
  "mskBrokerHosts",
  "createGp3StorageClass",
  "volumeReclaimPolicy",
  "grafanaAdminSecretRevision",
  "scrapeIntervalSeconds",
];

/**
 * kube-prometheus-stack: Prometheus Operator and its CRDs (ServiceMonitor, PodMonitor, PrometheusRule),
 * Prometheus, Alertmanager, Grafana, kube-state-metrics and node-exporter.
 *
 * - Prometheus keeps `retentionDays` on an encrypted gp3 volume of `volumeGiB`, with memory and CPU
 *   sized from `activeSeries`, and selects ServiceMonitors, PodMonitors, Probes, ScrapeConfigs and
 *   PrometheusRules from every namespace without requiring the chart's `release` label.
 * - MSK's open-monitoring exporters are scraped through `additionalScrapeConfigs`.
 * - Grafana's admin password is generated at apply time ({@link GrafanaAdminSecret}) and read through
 *   `admin.existingSecret`; dashboards load from ConfigMaps labelled `grafana_dashboard=1` in any
 *   namespace; data sources: Prometheus (sidecar default) and Jaeger.
 * - node-exporter needs the host network and PID namespace, so the monitoring namespace enforces
 *   "privileged"; every other pod runs with restricted contexts.
 *
 * @example
 * new KubePrometheusStack({ retentionDays: 15, volumeGiB: 100, activeSeries: 300_000, kmsKeyArn: key.arn })
 */
export class KubePrometheusStack extends HelmAddon {
  public readonly name = KUBE_PROMETHEUS_STACK;
  public readonly chart = KUBE_PROMETHEUS_STACK_CHART;
  public readonly namespace = MONITORING_NAMESPACE;
  public readonly podSecurity: PodSecurityLevel = "privileged";

  public constructor(private readonly opts: KubePrometheusStackOptions) {
    super(opts, KNOWN);
  }

  protected override validateOptions(): Problem[] {
    const problems: Problem[] = [];
    const base = `addons.${this.name}`;
    checkInt(problems, "ADDON_PROMETHEUS_RETENTION", `${base}.retentionDays`, this.opts.retentionDays, 1, 400);
    checkInt(problems, "ADDON_PROMETHEUS_VOLUME", `${base}.volumeGiB`, this.opts.volumeGiB, 10, 16384);
    checkInt(problems, "ADDON_PROMETHEUS_SERIES", `${base}.activeSeries`, this.opts.activeSeries, 1000, 50_000_000);
    checkInt(problems, "ADDON_REPLICAS", `${base}.prometheusReplicas`, this.opts.prometheusReplicas ?? 1, 1, 3);
    checkInt(problems, "ADDON_REPLICAS", `${base}.alertmanagerReplicas`, this.opts.alertmanagerReplicas ?? 1, 1, 5);
    checkInt(problems, "ADDON_SCRAPE_INTERVAL", `${base}.scrapeIntervalSeconds`, this.opts.scrapeIntervalSeconds ?? 30, 5, 300);
    checkInt(problems, "ADDON_SECRET_REVISION", `${base}.grafanaAdminSecretRevision`, this.opts.grafanaAdminSecretRevision ?? 1, 1, 1_000_000);
    if (typeof this.opts.kmsKeyArn !== "string" || this.opts.kmsKeyArn.length === 0) {
      problems.push({ code: "ADDON_KMS_KEY", path: `${base}.kmsKeyArn`, value: this.opts.kmsKeyArn, allowed: "the ARN of a customer-managed KMS key" });
    }
    return problems;
  }

  /** Prometheus container resources from the active series. */
  public prometheusResources(): { requests: { cpu: string; memory: string }; limits: { memory: string } } {
    const memoryMiB = PROMETHEUS_BASE_MEMORY_MIB + Math.ceil((this.opts.activeSeries * PROMETHEUS_MEMORY_PER_SERIES_KIB) / 1024);
    // ~1 core per million active series for ingestion, plus a floor for rule evaluation and queries.
    const cpuMilli = Math.max(250, Math.ceil(this.opts.activeSeries / 1000));
    return {
      requests: { cpu: `${cpuMilli}m`, memory: `${memoryMiB}Mi` },
      // Limit 1.5x: a heavy query may spike; beyond that, OOM-kill beats starving the node.
      limits: { memory: `${Math.ceil(memoryMiB * 1.5)}Mi` },
    };
  }

  public override preInstall(scope: Construct, ctx: AddonContext, namespace?: ITerraformDependable): ITerraformDependable[] {
    const created: ITerraformDependable[] = [];
    if (this.opts.createGp3StorageClass ?? true) {
      created.push(
        new Gp3StorageClass(scope, "Gp3StorageClass", { kmsKeyArn: this.opts.kmsKeyArn, reclaimPolicy: this.opts.volumeReclaimPolicy }).resource,
      );
    }
    created.push(
      new GrafanaAdminSecret(scope, "GrafanaAdminSecret", {
        clusterName: ctx.clusterName,
        namespace: this.namespace,
        kmsKeyArn: this.opts.kmsKeyArn,
        revision: this.opts.grafanaAdminSecretRevision,
        dependsOn: namespace ? [namespace] : undefined,
      }).resource,
    );
    return created;
  }

  public values(ctx: AddonContext): Record<string, unknown> {
    const placement = systemPlacement(ctx);
    const o = this.opts;
    const volume = (sizeGiB: number): Record<string, unknown> => ({
      volumeClaimTemplate: {
        spec: { storageClassName: GP3_STORAGE_CLASS, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${sizeGiB}Gi` } } },
      },
    });
    return {
      fullnameOverride: KUBE_PROMETHEUS_STACK_FULLNAME,
      crds: { enabled: true },
      // EKS runs the scheduler, controller manager and etcd in its managed control plane, out of the
      // cluster's reach, and kube-proxy is an EKS managed add-on whose metrics address EKS configures,
      // not this chart: these monitors would find no target and their "Down" alerts would fire forever.
      // With `enabled: false` the chart drops their Services, ServiceMonitors and rule groups.
      ...Object.fromEntries(EKS_UNSCRAPABLE_COMPONENTS.map((c) => [c, { enabled: false }])),
      prometheusOperator: {
        resources: resources("100m", "256Mi"),
        securityContext: restrictedPod(65534, 65534),
        containerSecurityContext: restrictedContainer(),
        ...placement,
        admissionWebhooks: { patch: { ...placement, securityContext: restrictedPod(2000, 2000) } },
      },
      prometheus: {
        prometheusSpec: {
          replicas: o.prometheusReplicas ?? 1,
          retention: `${o.retentionDays}d`,
          retentionSize: `${Math.floor(o.volumeGiB * PROMETHEUS_RETENTION_SIZE_FRACTION)}GB`,
          scrapeInterval: `${o.scrapeIntervalSeconds ?? 30}s`,
          storageSpec: volume(o.volumeGiB),
          resources: this.prometheusResources(),
          // Select monitors and rules of every namespace, with or without the chart's release label.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          scrapeConfigSelectorNilUsesHelmValues: false,
          serviceMonitorSelector: {},
          podMonitorSelector: {},
          ruleSelector: {},
          probeSelector: {},
          serviceMonitorNamespaceSelector: {},
          podMonitorNamespaceSelector: {},
          ruleNamespaceSelector: {},
          probeNamespaceSelector: {},
          securityContext: restrictedPod(1000, 2000),
          ...placement,
        },
      },
      alertmanager: {
        alertmanagerSpec: {
          replicas: o.alertmanagerReplicas ?? 1,
          storage: volume(2),
          resources: resources("50m", "128Mi", { memory: "256Mi" }),
          securityContext: restrictedPod(1000, 2000),
          ...placement,
        },
      },
      grafana: {
        admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
        sidecar: {
          dashboards: {
            enabled: true,
            label: GRAFANA_DASHBOARD_LABEL,
            labelValue: GRAFANA_DASHBOARD_LABEL_VALUE,
            searchNamespace: "ALL",
          },
          datasources: { enabled: true, defaultDatasourceEnabled: true },
        },
        additionalDataSources: [
          { name: "Jaeger", type: "jaeger", uid: "jaeger", access: "proxy", url: JAEGER_QUERY_URL, editable: false },
        ],
        resources: resources("100m", "256Mi", { memory: "512Mi" }),
        securityContext: restrictedPod(472, 472),
        // Grafana writes plugins and its SQLite database under its data directory.
        containerSecurityContext: restrictedContainer({ readOnlyRootFilesystem: false }),
        ...placement,
      },
      "kube-state-metrics": {
        resources: resources("50m", "128Mi", { memory: "256Mi" }),
        securityContext: restrictedPod(65534, 65534),
        containerSecurityContext: restrictedContainer(),
        ...placement,
      },
      "prometheus-node-exporter": {
        // A DaemonSet on every node, GPU nodes included.
        tolerations: [{ operator: "Exists" }],
        resources: resources("50m", "64Mi", { memory: "128Mi" }),
      },
    };
  }

  /** The MSK scrape jobs, as a values document (a Terraform expression when the hosts are a token). */
  public override tokenValues(): string[] {
    const hosts = this.opts.mskBrokerHosts;
    if (!hosts || (!Token.isUnresolved(hosts) && hosts.length === 0)) return [];
    const targets = (port: number): unknown =>
      Token.isUnresolved(hosts) ? Fn.formatlist(`%s:${port}`, [hosts]) : hosts.map((h) => `${h}:${port}`);
    const doc = {
      prometheus: {
        prometheusSpec: {
          additionalScrapeConfigs: [
            { job_name: "msk-jmx", scheme: "http", static_configs: [{ targets: targets(MSK_JMX_EXPORTER_PORT), labels: { exporter: "jmx" } }] },
            { job_name: "msk-node", scheme: "http", static_configs: [{ targets: targets(MSK_NODE_EXPORTER_PORT), labels: { exporter: "node" } }] },
          ],
        },
      },
    };
    return [Token.isUnresolved(hosts) ? Fn.jsonencode(doc) : JSON.stringify(doc)];
  }
}

import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { MONITORING_NAMESPACE, SYSTEM_NODE_LABEL } from "../addons/constants";
import { Problems } from "../core/validation";
import { WorkloadIdentity } from "../eks/workload-identity";
import { PolicyStatement } from "../security/policy";
import { isDnsLabel } from "./private/manifest";
import { resolveSignalSources, SignalSources } from "./signals";

/** prometheus-community's prometheus-cloudwatch-exporter chart, pinned (appVersion 0.17.0). */
export const CLOUDWATCH_EXPORTER_CHART = {
  repository: "https://prometheus-community.github.io/helm-charts",
  chart: "prometheus-cloudwatch-exporter",
  version: "0.28.1",
} as const;

/** One metric of the exporter's config (cloudwatch_exporter's `metrics:` entries). */
export interface CloudWatchMetricConfig {
  readonly aws_namespace: string;
  readonly aws_metric_name: string;
  readonly aws_dimensions: readonly string[];
  readonly aws_statistics: readonly string[];
  readonly aws_dimension_select?: Readonly<Record<string, readonly string[]>>;
  readonly aws_dimension_select_regex?: Readonly<Record<string, readonly string[]>>;
}

/** The exporter's configuration document. */
export interface CloudWatchExporterConfig {
  readonly region: string;
  readonly period_seconds: number;
  readonly delay_seconds: number;
  /**
   * Exported without CloudWatch's timestamps: CloudWatch data is minutes old, and
   * samples older than Prometheus' 5-minute lookback would make every instant query empty.
   */
  readonly set_timestamp: boolean;
  readonly metrics: readonly CloudWatchMetricConfig[];
}

/**
 * The CloudWatch metrics the rules and dashboards read (names in `METRICS`), and only
 * those, scoped to this environment's resources: ElastiCache memory, evictions, hits
 * and misses per node; RDS Proxy connections and limit; RDS replica lag; MSK consumer
 * lag (SumOffsetLag) of the workers' group. The exporter names them
 * `aws_<namespace>_<metric_snake_case>_<statistic>` with snake_case dimension labels.
 */
export function cloudWatchExporterConfig(region: string, sources: SignalSources = {}): CloudWatchExporterConfig {
  const s = resolveSignalSources(sources);
  const redis = (metric: string, statistic: string): CloudWatchMetricConfig => ({
    aws_namespace: "AWS/ElastiCache",
    aws_metric_name: metric,
    aws_dimensions: ["CacheClusterId"],
    aws_statistics: [statistic],
    aws_dimension_select_regex: { CacheClusterId: [`${s.redisReplicationGroupId}-.*`] },
  });
  const proxy = (metric: string): CloudWatchMetricConfig => ({
    aws_namespace: "AWS/RDS",
    aws_metric_name: metric,
    aws_dimensions: ["ProxyName"],
    aws_statistics: ["Average"],
    aws_dimension_select: { ProxyName: [s.rdsProxyName] },
  });
  return {
    region,
    period_seconds: 60,
    delay_seconds: 120,
    set_timestamp: false,
    metrics: [
      redis("DatabaseMemoryUsagePercentage", "Average"),
      redis("Evictions", "Sum"),
      redis("CacheHits", "Sum"),
      redis("CacheMisses", "Sum"),
      proxy("DatabaseConnections"),
      proxy("ClientConnections"),
      proxy("MaxDatabaseConnectionsAllowed"),
      {
        aws_namespace: "AWS/RDS",
        aws_metric_name: "ReplicaLag",
        aws_dimensions: ["DBInstanceIdentifier"],
        aws_statistics: ["Average"],
        aws_dimension_select_regex: { DBInstanceIdentifier: [`${s.rdsInstancePrefix}.*`] },
      },
      {
        aws_namespace: "AWS/Kafka",
        aws_metric_name: "SumOffsetLag",
        aws_dimensions: ["Cluster Name", "Consumer Group", "Topic"],
        aws_statistics: ["Maximum"],
        aws_dimension_select: { "Consumer Group": [s.kafkaConsumerGroup], Topic: [s.kafkaTopic] },
      },
    ],
  };
}

/** Properties of {@link CloudWatchExporter}. */
export interface CloudWatchExporterProps {
  /** EKS cluster name (for the Pod Identity association). */
  readonly clusterName: string;
  /** AWS region of the data tier. */
  readonly region: string;
  /** Names of the Redis replication group, RDS Proxy, instances, consumer group and topic. @default see {@link SignalSources} */
  readonly sources?: SignalSources;
  /** Namespace of the exporter. @default MONITORING_NAMESPACE */
  readonly namespace?: string;
  /** Service account (Pod Identity subject). @default "cloudwatch-exporter" */
  readonly serviceAccount?: string;
  /**
   * What the release must wait for: the namespace it installs into and the release that serves the
   * `ServiceMonitor` CRD its chart renders (kube-prometheus-stack). In the cluster stack these are
   * `ClusterAddons.namespaces.monitoring` and `ClusterAddons.releases["kube-prometheus-stack"]`.
   * @default none: the caller orders it (the namespace and the CRD must exist before it installs)
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * prometheus-community's CloudWatch exporter, so the Redis, RDS Proxy and MSK
 * consumer-lag alerts have data: CloudWatch is the only source that needs no
 * database or Redis credentials in the cluster (ElastiCache requires AUTH and TLS,
 * RDS IAM auth) and that reports MSK consumer lag without a Kafka client able to
 * speak MSK IAM auth. Read-only CloudWatch access through EKS Pod Identity; its
 * chart's ServiceMonitor is scraped by kube-prometheus-stack. Belongs in `<env>-cluster`.
 *
 * @example
 * new CloudWatchExporter(this, "CloudWatchExporter", { clusterName: "headroom-prod", region: "us-east-1" });
 */
export class CloudWatchExporter extends Construct {
  /** The exporter configuration it runs with. */
  public readonly config: CloudWatchExporterConfig;
  /** The Pod Identity role. */
  public readonly identity: WorkloadIdentity;
  /** The `helm_release` (escape hatch). */
  public readonly release: Release;

  public constructor(scope: Construct, id: string, props: CloudWatchExporterProps) {
    super(scope, id);
    const namespace = props.namespace ?? MONITORING_NAMESPACE;
    const serviceAccount = props.serviceAccount ?? "cloudwatch-exporter";
    const problems = new Problems(`CloudWatchExporter '${this.node.path}' props`);
    if (!isDnsLabel(namespace)) problems.add("OBS_NAMESPACE", "namespace", namespace, "a DNS-1123 label");
    if (!isDnsLabel(serviceAccount)) problems.add("OBS_SERVICE_ACCOUNT", "serviceAccount", serviceAccount, "a DNS-1123 label");
    problems.throwIfAny();

    this.config = cloudWatchExporterConfig(props.region, props.sources);
    // CloudWatch's read APIs have no resource-level permissions: "*" is the narrowest scope.
    const statements: PolicyStatement[] = [
      { sid: "ReadCloudWatchMetrics", actions: ["cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics"], resources: ["*"] },
    ];
    this.identity = new WorkloadIdentity(this, "Identity", { clusterName: props.clusterName, namespace, serviceAccount, statements });
    const values = {
      // JSON is YAML; the chart renders `config` through `tpl`, and the document has no `{{`.
      config: JSON.stringify(this.config),
      serviceAccount: { create: true, name: serviceAccount },
      serviceMonitor: { enabled: true, interval: "60s" },
      nodeSelector: { ...SYSTEM_NODE_LABEL },
      securityContext: { runAsUser: 65534, runAsNonRoot: true, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
      containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    };
    this.release = new Release(this, "Resource", {
      name: "cloudwatch-exporter",
      namespace,
      repository: CLOUDWATCH_EXPORTER_CHART.repository,
      chart: CLOUDWATCH_EXPORTER_CHART.chart,
      version: CLOUDWATCH_EXPORTER_CHART.version,
      createNamespace: false,
      values: [JSON.stringify(values)],
      wait: true,
      atomic: true,
      dependsOn: [...(this.identity.association ? [this.identity.association] : []), ...(props.dependsOn ?? [])],
    });
  }
}

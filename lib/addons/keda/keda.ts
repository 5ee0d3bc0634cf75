import { Fn } from "cdktf";
import { AddonContext, HelmAddon, HelmChart, IdentityRequirement, PodSecurityLevel } from "../addon";
import { Problem } from "../../core/validation";
import { PolicyStatement } from "../../security/policy";
import { KEDA_NAMESPACE, KEDA_OPERATOR_SERVICE_ACCOUNT } from "../constants";
import { resources, restrictedContainer, restrictedPod, systemPlacement } from "../private/values";

/** Add-on name of {@link Keda}. */
export const KEDA = "keda";
/**
 * Chart pin: kedacore `keda` 2.18.0 (KEDA 2.18). KEDA's compatibility matrix (keda.sh "Cluster"
 * docs, N-2 window) lists 2.18 for Kubernetes 1.31-1.33 and 2.19 for 1.32-1.34, so no released KEDA
 * is listed for 1.35 yet; 2.18.0 is the version the render gate checks (the only one in the pinned
 * chart sources). Raise it when a release lists the cluster's version.
 */
export const KEDA_CHART: HelmChart = { chart: "keda", repository: "https://kedacore.github.io/charts", version: "2.18.0" };

/** Port of the operator's Prometheus metrics (the Service port named `metrics`). */
export const KEDA_OPERATOR_METRICS_PORT = 8080;

/** The MSK cluster, topics and consumer groups whose lag KEDA reads. */
export interface KedaKafkaAccess {
  /** MSK cluster ARN (`arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>`; a token is fine). */
  readonly clusterArn: string;
  /** Topics whose partition offsets are read. */
  readonly topics: readonly string[];
  /** Consumer groups whose committed offsets are read. */
  readonly consumerGroups: readonly string[];
}

/** Options of {@link Keda}. */
export interface KedaOptions {
  /**
   * MSK access for the Kafka scaler (IAM auth through the operator's Pod Identity).
   * @default none: the operator gets no AWS permissions
   */
  readonly kafka?: KedaKafkaAccess;
  /**
   * Operator replicas (leader election; 2 shortens failover).
   * @default 2
   */
  readonly operatorReplicas?: number;
}

/**
 * Least-privilege statements for reading consumer lag with MSK IAM auth:
 * `Connect` (cluster), `DescribeTopic` (Metadata, ListOffsets) and `DescribeGroup` (OffsetFetch,
 * DescribeGroups). No `ReadData`: lag needs offsets, not records. ARNs of topics and groups are the
 * cluster ARN with `cluster/` replaced by `topic/` or `group/`, plus the name (MSK IAM access control).
 */
export function kafkaLagStatements(access: KedaKafkaAccess): PolicyStatement[] {
  const sub = (kind: "topic" | "group", name: string): string => `${Fn.replace(access.clusterArn, ":cluster/", `:${kind}/`)}/${name}`;
  return [
    { sid: "MskConnect", actions: ["kafka-cluster:Connect"], resources: [access.clusterArn] },
    { sid: "MskDescribeTopics", actions: ["kafka-cluster:DescribeTopic"], resources: access.topics.map((t) => sub("topic", t)) },
    { sid: "MskDescribeGroups", actions: ["kafka-cluster:DescribeGroup"], resources: access.consumerGroups.map((g) => sub("group", g)) },
  ];
}

/**
 * KEDA: scales the async workers on Kafka consumer lag and the inference server on its Prometheus
 * queue and KV-cache queries, CPU and the plan's scheduled floor (`ScaledObject`, `TriggerAuthentication` CRDs). The operator runs as {@link KEDA_OPERATOR_SERVICE_ACCOUNT} with an EKS Pod Identity role
 * that may only read the named topics' offsets and groups' commits; a `TriggerAuthentication` with
 * `podIdentity: { provider: aws }` uses it and the scaler's `sasl: aws_msk_iam`.
 *
 * @example
 * new Keda({ kafka: { clusterArn: msk.arn, topics: ["requests"], consumerGroups: ["workers"] } })
 */
export class Keda extends HelmAddon {
  public readonly name = KEDA;
  public readonly chart = KEDA_CHART;
  public readonly namespace = KEDA_NAMESPACE;
  public readonly podSecurity: PodSecurityLevel = "restricted";

  public constructor(private readonly opts: KedaOptions = {}) {
    super(opts, ["kafka", "operatorReplicas"]);
  }

  protected override validateOptions(): Problem[] {
    const problems: Problem[] = [];
    const r = this.opts.operatorReplicas ?? 2;
    if (!Number.isInteger(r) || r < 1 || r > 3) {
      problems.push({ code: "ADDON_REPLICAS", path: `addons.${this.name}.operatorReplicas`, value: r, allowed: "an integer from 1 to 3" });
    }
    const k = this.opts.kafka;
    if (k) {
      if (!k.clusterArn) problems.push({ code: "ADDON_KAFKA_ACCESS", path: `addons.${this.name}.kafka.clusterArn`, value: k.clusterArn, allowed: "an MSK cluster ARN" });
      if (k.topics.length === 0) problems.push({ code: "ADDON_KAFKA_ACCESS", path: `addons.${this.name}.kafka.topics`, value: k.topics, allowed: "at least one topic" });
      if (k.consumerGroups.length === 0) {
        problems.push({ code: "ADDON_KAFKA_ACCESS", path: `addons.${this.name}.kafka.consumerGroups`, value: k.consumerGroups, allowed: "at least one consumer group" });
      }
    }
    return problems;
  }

  public override identityRequirement(): IdentityRequirement | undefined {
    return this.opts.kafka ? { serviceAccount: KEDA_OPERATOR_SERVICE_ACCOUNT, statements: kafkaLagStatements(this.opts.kafka) } : undefined;
  }

  public values(ctx: AddonContext): Record<string, unknown> {
    const placement = systemPlacement(ctx);
    return {
      operator: { replicaCount: this.opts.operatorReplicas ?? 2 },
      serviceAccount: { operator: { create: true, name: KEDA_OPERATOR_SERVICE_ACCOUNT } },
      resources: {
        // CPU limits stated explicitly: the chart's defaults (1 CPU, 50m for webhooks) survive Helm's map merge.
        operator: resources("100m", "256Mi", { cpu: "1", memory: "512Mi" }),
        metricServer: resources("100m", "256Mi", { cpu: "1", memory: "512Mi" }),
        webhooks: resources("50m", "128Mi", { cpu: "200m", memory: "256Mi" }),
      },
      podSecurityContext: { operator: restrictedPod(1001), metricServer: restrictedPod(1001), webhooks: restrictedPod(1001) },
      securityContext: { operator: restrictedContainer(), metricServer: restrictedContainer(), webhooks: restrictedContainer() },
      podDisruptionBudget: { operator: { maxUnavailable: 1 }, metricServer: { maxUnavailable: 1 } },
      // The operator serves Prometheus metrics (keda_scaler_metrics_value, scaler errors) on 8080 and
      // its Service gets the `metrics` port only with this on; the ServiceMonitor is ScrapeMonitors'
      // (lib/observability), so the chart's own monitors stay off.
      prometheus: { operator: { enabled: true, port: KEDA_OPERATOR_METRICS_PORT, serviceMonitor: { enabled: false }, podMonitor: { enabled: false } } },
      ...placement,
    };
  }
}

import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { GPU_TOLERATION_TAINT } from "../addons/constants";
import { Problems } from "../core/validation";
import { WorkloadIdentity } from "../eks/workload-identity";
import { EncryptedLogGroup, LOG_RETENTION_DAYS } from "../security/encrypted-log-group";
import { IKmsKey } from "../security/kms-key";
import { PolicyStatement } from "../security/policy";
import { isDnsLabel } from "./private/manifest";

/** aws-for-fluent-bit chart (aws/eks-charts), pinned. Its default image is replaced by {@link FLUENT_BIT_IMAGE}. */
export const FLUENT_BIT_CHART = {
  repository: "https://aws.github.io/eks-charts",
  chart: "aws-for-fluent-bit",
  version: "0.1.35",
} as const;

/**
 * The AWS for Fluent Bit image the DaemonSet runs: 3.2.1 (Fluent Bit v4.2.2, Amazon Linux 2023).
 *
 * Why not the chart's default (2.32.2.20240516, Fluent Bit 1.9.10): Fluent Bit's own AWS credential
 * chain (used by the `cloudwatch_logs` output) learned EKS Pod Identity (the token in
 * `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` sent to the agent at 169.254.170.23) in fluent/fluent-bit
 * PR #10115, first released in v4.0.0 (`src/aws/flb_aws_credentials_http.c`; absent in v1.9.10).
 * AWS backported it to its 1.9 line only from 2.32.5, and the 2.x line has reached end of life.
 * 3.2.1 is the tag chart 0.2.0 defaults to; 0.2.0 differs from 0.1.35 only in that default, so
 * 0.1.35 with this tag renders what 0.2.0 renders (aws/eks-charts #1294).
 */
export const FLUENT_BIT_IMAGE = { repository: "public.ecr.aws/aws-observability/aws-for-fluent-bit", tag: "3.2.1" } as const;

/** Properties of {@link ContainerLogs}. */
export interface ContainerLogsProps {
  /** EKS cluster name (for the Pod Identity association and the log group name). */
  readonly clusterName: string;
  /** AWS region of the cluster and the log group. */
  readonly region: string;
  /** Customer-managed key that encrypts the log group; its policy must admit CloudWatch Logs. */
  readonly kmsKey: IKmsKey;
  /**
   * Days CloudWatch keeps container logs; one of LOG_RETENTION_DAYS.
   * @default 30
   */
  readonly retentionDays?: number;
  /** Log group name. @default "/aws/eks/<clusterName>/containers" */
  readonly logGroupName?: string;
  /** Namespace of the DaemonSet (needs hostPath access to /var/log). @default "kube-system" */
  readonly namespace?: string;
  /** Service account the DaemonSet runs as (the Pod Identity subject). @default "aws-for-fluent-bit" */
  readonly serviceAccount?: string;
}

/**
 * Container logs to CloudWatch Logs with the aws-for-fluent-bit chart (a DaemonSet
 * on every node, GPU nodes included) into a log group Terraform creates,
 * encrypted with the customer-managed key and with a retention. Fluent Bit may
 * only create streams and put events in that one group (EKS Pod Identity), and
 * never creates a group itself, so no unencrypted, never-expiring group appears.
 *
 * Chosen over the EKS `amazon-cloudwatch-observability` add-on: that add-on's
 * agent creates its own log groups (no CMK, no retention under Terraform) and is
 * granted the broad CloudWatchAgentServerPolicy; metrics already come from Prometheus.
 * Belongs in the `<env>-cluster` stack (a Helm release).
 *
 * @example
 * new ContainerLogs(this, "ContainerLogs", { clusterName: "headroom-prod", region: "us-east-1", kmsKey: logsKey, retentionDays: 90 });
 */
export class ContainerLogs extends Construct {
  /** The log group. */
  public readonly logGroup: EncryptedLogGroup;
  /** The Pod Identity role of the DaemonSet. */
  public readonly identity: WorkloadIdentity;
  /** The `helm_release` (escape hatch). */
  public readonly release: Release;
  /** Statements granted to the DaemonSet. */
  public readonly statements: readonly PolicyStatement[];

  public constructor(scope: Construct, id: string, props: ContainerLogsProps) {
    super(scope, id);
    const namespace = props.namespace ?? "kube-system";
    const serviceAccount = props.serviceAccount ?? "aws-for-fluent-bit";
    const retentionDays = props.retentionDays ?? 30;
    const problems = new Problems(`ContainerLogs '${this.node.path}' props`);
    if (!isDnsLabel(namespace)) problems.add("OBS_NAMESPACE", "namespace", namespace, "a DNS-1123 label");
    if (!isDnsLabel(serviceAccount)) problems.add("OBS_SERVICE_ACCOUNT", "serviceAccount", serviceAccount, "a DNS-1123 label");
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retentionDays)) {
      problems.add("OBS_LOG_RETENTION", "retentionDays", retentionDays, `one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    problems.throwIfAny();

    this.logGroup = new EncryptedLogGroup(this, "LogGroup", {
      name: props.logGroupName ?? `/aws/eks/${props.clusterName}/containers`,
      kmsKey: props.kmsKey,
      retentionDays,
    });
    // Only this group's streams; CreateLogGroup and PutRetentionPolicy are deliberately absent.
    this.statements = [
      {
        sid: "WriteContainerLogs",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
      },
    ];
    this.identity = new WorkloadIdentity(this, "Identity", {
      clusterName: props.clusterName,
      namespace,
      serviceAccount,
      statements: this.statements,
    });

    const values = {
      image: { repository: FLUENT_BIT_IMAGE.repository, tag: FLUENT_BIT_IMAGE.tag },
      serviceAccount: { create: true, name: serviceAccount },
      cloudWatchLogs: {
        enabled: true,
        region: props.region,
        logGroupName: this.logGroup.logGroupName,
        logStreamPrefix: "container-",
        autoCreateGroup: false,
      },
      // Every other output off: logs go to the encrypted group only.
      cloudWatch: { enabled: false },
      firehose: { enabled: false },
      kinesis: { enabled: false },
      elasticsearch: { enabled: false },
      // A log shipper must run on every node, the tainted GPU nodes included.
      tolerations: [{ operator: "Exists" }, { key: GPU_TOLERATION_TAINT.key, operator: "Exists", effect: GPU_TOLERATION_TAINT.effect }],
      priorityClassName: "system-node-critical",
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    };
    this.release = new Release(this, "Resource", {
      name: "aws-for-fluent-bit",
      namespace,
      repository: FLUENT_BIT_CHART.repository,
      chart: FLUENT_BIT_CHART.chart,
      version: FLUENT_BIT_CHART.version,
      createNamespace: false,
      values: [JSON.stringify(values)],
      wait: true,
      atomic: true,
      // Credentials must exist before the DaemonSet starts shipping, or the first pods crash-loop.
      dependsOn: this.identity.association ? [this.identity.association] : [],
    });
  }
}

import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { FisExperimentTemplate, FisExperimentTemplateAction, FisExperimentTemplateTarget } from "@cdktf/provider-aws/lib/fis-experiment-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { Problems } from "../core/validation";
import { EncryptedLogGroup } from "../security/encrypted-log-group";
import { IKmsKey } from "../security/kms-key";
import { PolicyStatement, policyDocument } from "../security/policy";
import { awsContext } from "../security/private/aws-context";
import {
  fisAutomationStatements,
  fisEksPodStatements,
  fisInstanceStatements,
  fisLoggingStatements,
  fisNetworkStatements,
  fisNodegroupStatements,
  fisRdsStatements,
  FisScope,
  fisTargetResolutionStatements,
  sourceAccountTrust,
} from "./private/fis-policy";

/** The drills Headroom ships, in the order the weekly rotation runs them. */
export const DRILL_NAMES = ["gpu-node-loss", "inference-pod-delete", "az-network-disruption", "rds-failover", "msk-broker-reboot"] as const;
/** One of {@link DRILL_NAMES}. */
export type DrillName = (typeof DRILL_NAMES)[number];

/** Kubernetes user the FIS experiment role is mapped to (EKS access entry); RBAC binds it in the target namespace. */
export const FIS_KUBERNETES_USER = "headroom-fis";
/** Service account the FIS pod runs as for `aws:eks:pod-*` actions. */
export const FIS_SERVICE_ACCOUNT = "fis-experiment";

/** Days of the week, as EventBridge Scheduler cron expects them. */
export const WEEKDAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"] as const;

/** Where the GPU nodes come from, as the node-loss drill must target them. */
export type GpuNodeTarget =
  /** Karpenter nodes: instances tagged `eks:eks-cluster-name=<cluster>` and `headroom.dev/node-role=gpu` (EC2NodeClass tags). */
  | { readonly kind: "karpenter" }
  /** EKS managed node groups (Cluster Autoscaler mode). */
  | { readonly kind: "nodegroups"; readonly nodegroupArns: readonly string[] };

/** Properties of {@link ChaosDrills}. */
export interface ChaosDrillsProps {
  /** Prefix of names, e.g. `headroom-staging`. */
  readonly namePrefix: string;
  /** EKS cluster name (ARN scoping, access entry, pod targets). */
  readonly clusterName: string;
  /** GPU nodes the node-loss drill terminates one of. */
  readonly gpuNodes: GpuNodeTarget;
  /** Private subnets, one per AZ; the AZ drill disrupts the first. */
  readonly privateSubnetIds: readonly string[];
  /** Pods of the pod-delete drill. */
  readonly inferencePods: { readonly namespace: string; readonly labelSelector: string };
  /** The RDS primary (Multi-AZ): ARN for the failover, identifier for the report. */
  readonly database: { readonly instanceArn: string };
  /** The MSK cluster: ARN for the reboot, name for the stop-condition alarms. */
  readonly kafka: { readonly clusterArn: string; readonly clusterName: string };
  /** Karpenter's interruption queue; its message age becomes a stop condition. @default none */
  readonly karpenterQueueName?: string;
  /** Key of the experiment log group (CloudWatch Logs must be admitted by its policy). */
  readonly logsKmsKey: IKmsKey;
  /** @default 90 */
  readonly logRetentionDays?: number;
  /**
   * Weekly automatic run (EventBridge Scheduler, UTC): drill i starts at `hourUtc` + 30 min x i.
   * Leave unset in production: the templates exist, a human starts them.
   * @default none
   */
  readonly weeklySchedule?: { readonly day: (typeof WEEKDAYS)[number]; readonly hourUtc: number };
  /** Minutes the AZ network disruption lasts (1-60). @default 10 */
  readonly azDisruptionMinutes?: number;
  /** Tags on every resource. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * AWS FIS chaos drills as code: one experiment template per drill in {@link DRILL_NAMES}, each
 * with CloudWatch-alarm stop conditions (FIS also refuses to start while an alarm is firing, so
 * a degraded platform is never drilled), a CMK-encrypted CloudWatch log group, and one
 * experiment role whose permissions cover exactly these actions on this cluster's resources and
 * trust FIS from this account only (`aws:SourceAccount`, `aws:SourceArn`).
 *
 * - `gpu-node-loss`: `aws:ec2:terminate-instances` on one running GPU node (Karpenter) or
 *   `aws:eks:terminate-nodegroup-instances` (managed node groups).
 * - `inference-pod-delete`: `aws:eks:pod-delete` of one inference pod (FIS pod runs as
 *   {@link FIS_SERVICE_ACCOUNT}; the role is mapped to {@link FIS_KUBERNETES_USER} by an access entry,
 *   and the workloads stack grants both the namespaced RBAC).
 * - `az-network-disruption`: `aws:network:disrupt-connectivity` (scope `all`) on the first AZ's
 *   private subnet: every node, cache node, broker and DB in that AZ loses its network.
 * - `rds-failover`: `aws:rds:reboot-db-instances` with `forceFailover` on the Multi-AZ primary.
 * - `msk-broker-reboot`: FIS has no MSK action, so `aws:ssm:start-automation-execution` runs an
 *   SSM Automation document that calls `kafka:RebootBroker` on broker 1 and waits for the cluster
 *   to be ACTIVE again (its own role may do only that).
 *
 * @example
 * new ChaosDrills(this, "Chaos", { namePrefix, clusterName, gpuNodes: { kind: "karpenter" }, ... });
 */
export class ChaosDrills extends Construct {
  /** The experiment templates by drill. */
  public readonly templates: Readonly<Record<DrillName, FisExperimentTemplate>>;
  /** The experiment role. */
  public readonly role: IamRole;
  /** The stop-condition alarms by name. */
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  public readonly logGroup: EncryptedLogGroup;
  /** The schedules, when `weeklySchedule` is set. */
  public readonly schedules: readonly SchedulerSchedule[];

  public constructor(scope: Construct, id: string, props: ChaosDrillsProps) {
    super(scope, id);
    const problems = new Problems(`ChaosDrills '${this.node.path}' props`);
    if (props.privateSubnetIds.length === 0) problems.add("CHAOS_SUBNETS", "privateSubnetIds", props.privateSubnetIds, "at least one private subnet (the AZ drill disrupts the first)");
    const minutes = props.azDisruptionMinutes ?? 10;
    problems.checkNumber("CHAOS_AZ_MINUTES", "azDisruptionMinutes", minutes, { min: 1, max: 60, integer: true });
    if (props.weeklySchedule) {
      problems.checkOneOf("CHAOS_SCHEDULE_DAY", "weeklySchedule.day", props.weeklySchedule.day, WEEKDAYS);
      // Five drills 30 minutes apart must end the same day.
      problems.checkNumber("CHAOS_SCHEDULE_HOUR", "weeklySchedule.hourUtc", props.weeklySchedule.hourUtc, { min: 0, max: 21, integer: true });
    }
    if (props.gpuNodes.kind === "nodegroups" && props.gpuNodes.nodegroupArns.length === 0) {
      problems.add("CHAOS_NODEGROUPS", "gpuNodes.nodegroupArns", props.gpuNodes.nodegroupArns, "at least one GPU node group ARN");
    }
    problems.throwIfAny();

    const ctx = awsContext(this);
    const tags = props.tags ? { ...props.tags } : undefined;
    const fis: FisScope = { partition: ctx.partition, region: ctx.region, accountId: ctx.accountId, clusterName: props.clusterName };
    const clusterArn = `arn:${ctx.partition}:eks:${ctx.region}:${ctx.accountId}:cluster/${props.clusterName}`;

    this.logGroup = new EncryptedLogGroup(this, "Logs", { name: `/aws/fis/${props.namePrefix}`, kmsKey: props.logsKmsKey, retentionDays: props.logRetentionDays ?? 90, tags: props.tags });

    // Stop conditions: signals that the platform is already hurt beyond what a drill may cost.
    const alarm = (name: string, description: string, cfg: { namespace: string; metricName: string; dimensions: Record<string, string>; threshold: number; periods: number; statistic?: string }) =>
      new CloudwatchMetricAlarm(this, `Alarm-${name}`, {
        alarmName: `${props.namePrefix}-chaos-${name}`,
        alarmDescription: description,
        namespace: cfg.namespace,
        metricName: cfg.metricName,
        dimensions: cfg.dimensions,
        statistic: cfg.statistic ?? "Maximum",
        period: 60,
        evaluationPeriods: cfg.periods,
        threshold: cfg.threshold,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        tags,
      });
    const alarms: Record<string, CloudwatchMetricAlarm> = {
      "kafka-offline-partitions": alarm("kafka-offline-partitions", "MSK has partitions without a leader: the async path is losing writes", {
        namespace: "AWS/Kafka",
        metricName: "OfflinePartitionsCount",
        dimensions: { "Cluster Name": props.kafka.clusterName },
        threshold: 0,
        periods: 1,
      }),
      "kafka-under-min-isr": alarm("kafka-under-min-isr", "MSK partitions below min.insync.replicas for 15 minutes: a broker did not come back", {
        namespace: "AWS/Kafka",
        metricName: "UnderMinIsrPartitionCount",
        dimensions: { "Cluster Name": props.kafka.clusterName },
        threshold: 0,
        periods: 15,
      }),
    };
    if (props.karpenterQueueName) {
      alarms["karpenter-interruptions-stuck"] = alarm("karpenter-interruptions-stuck", "Karpenter is not consuming interruption events (oldest message older than a spot warning)", {
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: props.karpenterQueueName },
        threshold: 120,
        periods: 2,
      });
    }
    this.alarms = alarms;

    // The MSK reboot runs as SSM Automation with its own narrow role.
    const automationRole = new IamRole(this, "AutomationRole", {
      description: `${props.namePrefix}: SSM Automation of the MSK broker reboot drill`,
      assumeRolePolicy: sourceAccountTrust("ssm.amazonaws.com", ctx.accountId),
      tags,
    });
    new IamRolePolicy(this, "AutomationPolicy", {
      role: automationRole.name,
      name: "msk-broker-reboot",
      policy: policyDocument([
        { sid: "RebootBroker", actions: ["kafka:RebootBroker", "kafka:DescribeCluster", "kafka:DescribeClusterV2"], resources: [props.kafka.clusterArn] },
      ]),
    });
    const document = new SsmDocument(this, "BrokerRebootDocument", {
      name: `${props.namePrefix}-msk-broker-reboot`,
      documentType: "Automation",
      documentFormat: "JSON",
      content: JSON.stringify({
        schemaVersion: "0.3",
        description: "Reboots one MSK broker and waits until the cluster is ACTIVE again (Headroom chaos drill).",
        assumeRole: "{{ AutomationAssumeRole }}",
        parameters: {
          AutomationAssumeRole: { type: "String" },
          ClusterArn: { type: "String" },
          BrokerId: { type: "String", default: "1" },
        },
        mainSteps: [
          { name: "RebootBroker", action: "aws:executeAwsApi", inputs: { Service: "kafka", Api: "RebootBroker", ClusterArn: "{{ ClusterArn }}", BrokerIds: ["{{ BrokerId }}"] } },
          {
            name: "WaitForActive",
            action: "aws:waitForAwsResourceProperty",
            timeoutSeconds: 1800,
            inputs: { Service: "kafka", Api: "DescribeCluster", ClusterArn: "{{ ClusterArn }}", PropertySelector: "$.ClusterInfo.State", DesiredValues: ["ACTIVE"] },
          },
        ],
      }),
      tags,
    });

    const statements: PolicyStatement[] = [
      ...fisLoggingStatements(),
      ...fisTargetResolutionStatements(),
      ...(props.gpuNodes.kind === "karpenter" ? fisInstanceStatements(fis, "eks:eks-cluster-name") : fisNodegroupStatements(fis)),
      ...fisNetworkStatements(fis),
      ...fisRdsStatements([props.database.instanceArn]),
      ...fisAutomationStatements(fis, document.name, automationRole.arn),
      ...fisEksPodStatements(fis),
    ];
    this.role = new IamRole(this, "Role", {
      description: `${props.namePrefix}: AWS FIS chaos drills`,
      assumeRolePolicy: sourceAccountTrust("fis.amazonaws.com", ctx.accountId, `arn:${ctx.partition}:fis:${ctx.region}:${ctx.accountId}:experiment/*`),
      tags,
    });
    new IamRolePolicy(this, "Policy", { role: this.role.name, name: "chaos-drills", policy: policyDocument(statements) });
    // aws:eks:pod-* act through the Kubernetes API as this user; RBAC (workloads stack) limits it to one namespace.
    new EksAccessEntry(this, "KubernetesAccess", { clusterName: props.clusterName, principalArn: this.role.arn, type: "STANDARD", userName: FIS_KUBERNETES_USER, tags });

    const allAlarms = Object.values(alarms);
    const template = (drill: DrillName, description: string, action: FisExperimentTemplateAction, target: FisExperimentTemplateTarget | undefined, stopOn: readonly CloudwatchMetricAlarm[]) =>
      new FisExperimentTemplate(this, drill, {
        description: `${props.namePrefix}: ${description}`,
        roleArn: this.role.arn,
        action: [action],
        target: target ? [target] : undefined,
        stopCondition: stopOn.map((a) => ({ source: "aws:cloudwatch:alarm", value: a.arn })),
        logConfiguration: { logSchemaVersion: 2, cloudwatchLogsConfiguration: { logGroupArn: `${this.logGroup.logGroupArn}:*` } },
        experimentOptions: { emptyTargetResolutionMode: "fail" },
        tags: { ...(props.tags ?? {}), Name: `${props.namePrefix}-${drill}`, "headroom.dev/drill": drill },
      });

    const param = (o: Record<string, string>) => Object.entries(o).map(([key, value]) => ({ key, value }));
    const gpu =
      props.gpuNodes.kind === "karpenter"
        ? template(
            "gpu-node-loss",
            "terminate one running GPU node",
            { name: "terminate-gpu-node", actionId: "aws:ec2:terminate-instances", target: { key: "Instances", value: "GpuNode" } },
            {
              name: "GpuNode",
              resourceType: "aws:ec2:instance",
              selectionMode: "COUNT(1)",
              resourceTag: [
                { key: "eks:eks-cluster-name", value: props.clusterName },
                { key: "headroom.dev/node-role", value: "gpu" },
              ],
              filter: [{ path: "State.Name", values: ["running"] }],
            },
            allAlarms,
          )
        : template(
            "gpu-node-loss",
            "terminate one GPU node-group instance",
            { name: "terminate-gpu-node", actionId: "aws:eks:terminate-nodegroup-instances", parameter: param({ instanceTerminationPercentage: "1" }), target: { key: "Nodegroups", value: "GpuNodegroup" } },
            { name: "GpuNodegroup", resourceType: "aws:eks:nodegroup", selectionMode: "COUNT(1)", resourceArns: [...props.gpuNodes.nodegroupArns] },
            allAlarms,
          );
    const pod = template(
      "inference-pod-delete",
      "delete one inference pod",
      { name: "delete-inference-pod", actionId: "aws:eks:pod-delete", parameter: param({
          kubernetesServiceAccount: FIS_SERVICE_ACCOUNT,
          gracePeriodSeconds: "0",
          maxErrorsPercent: "0",
          // The namespace enforces the restricted Pod Security Standard and injects Istio sidecars.
          fisPodSecurityPolicy: "restricted",
          fisPodLabels: JSON.stringify({ "headroom.dev/chaos": "fis" }),
          fisPodAnnotations: JSON.stringify({ "sidecar.istio.io/inject": "false" }),
        }), target: { key: "Pods", value: "InferencePod" } },
      {
        name: "InferencePod",
        resourceType: "aws:eks:pod",
        selectionMode: "COUNT(1)",
        parameters: { clusterIdentifier: clusterArn, namespace: props.inferencePods.namespace, selectorType: "labelSelector", selectorValue: props.inferencePods.labelSelector },
      },
      allAlarms,
    );
    const az = template(
      "az-network-disruption",
      `cut every network path of the first AZ's private subnet for ${minutes} minutes`,
      { name: "disrupt-az", actionId: "aws:network:disrupt-connectivity", parameter: param({ duration: `PT${minutes}M`, scope: "all" }), target: { key: "Subnets", value: "FirstAzSubnet" } },
      {
        name: "FirstAzSubnet",
        resourceType: "aws:ec2:subnet",
        selectionMode: "ALL",
        resourceArns: [`arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:subnet/${props.privateSubnetIds[0]}`],
      },
      allAlarms,
    );
    const rds = template(
      "rds-failover",
      "fail the PostgreSQL primary over to its standby",
      { name: "failover-primary", actionId: "aws:rds:reboot-db-instances", parameter: param({ forceFailover: "true" }), target: { key: "DBInstances", value: "Primary" } },
      { name: "Primary", resourceType: "aws:rds:db", selectionMode: "ALL", resourceArns: [props.database.instanceArn] },
      allAlarms,
    );
    const msk = template(
      "msk-broker-reboot",
      "reboot MSK broker 1 (SSM Automation: FIS has no MSK action)",
      {
        name: "reboot-broker",
        actionId: "aws:ssm:start-automation-execution",
        parameter: param({
          documentArn: document.arn,
          documentParameters: JSON.stringify({ AutomationAssumeRole: automationRole.arn, ClusterArn: props.kafka.clusterArn, BrokerId: "1" }),
          maxDuration: "PT30M",
        }),
      },
      undefined,
      allAlarms,
    );
    this.templates = { "gpu-node-loss": gpu, "inference-pod-delete": pod, "az-network-disruption": az, "rds-failover": rds, "msk-broker-reboot": msk };

    const schedules: SchedulerSchedule[] = [];
    if (props.weeklySchedule) {
      const schedulerRole = new IamRole(this, "SchedulerRole", {
        description: `${props.namePrefix}: EventBridge Scheduler starts the weekly chaos drills`,
        assumeRolePolicy: sourceAccountTrust("scheduler.amazonaws.com", ctx.accountId),
        tags,
      });
      new IamRolePolicy(this, "SchedulerPolicy", {
        role: schedulerRole.name,
        name: "start-drills",
        policy: policyDocument([
          {
            sid: "StartDrills",
            actions: ["fis:StartExperiment"],
            resources: [...Object.values(this.templates).map((t) => `arn:${ctx.partition}:fis:${ctx.region}:${ctx.accountId}:experiment-template/${t.id}`), `arn:${ctx.partition}:fis:${ctx.region}:${ctx.accountId}:experiment/*`],
          },
        ]),
      });
      const { day, hourUtc } = props.weeklySchedule;
      DRILL_NAMES.forEach((drill, i) => {
        const minute = (i % 2) * 30;
        const hour = hourUtc + Math.floor(i / 2);
        schedules.push(
          new SchedulerSchedule(this, `Schedule-${drill}`, {
            name: `${props.namePrefix}-${drill}`,
            description: `Weekly chaos drill ${drill} (README, "Chaos drills")`,
            scheduleExpression: `cron(${minute} ${hour} ? * ${day} *)`,
            scheduleExpressionTimezone: "UTC",
            flexibleTimeWindow: { mode: "OFF" },
            target: {
              arn: `arn:${ctx.partition}:scheduler:::aws-sdk:fis:startExperiment`,
              roleArn: schedulerRole.arn,
              input: JSON.stringify({ ExperimentTemplateId: this.templates[drill].id, ClientToken: "<aws.scheduler.execution-id>" }),
              retryPolicy: { maximumRetryAttempts: 0 },
            },
          }),
        );
      });
    }
    this.schedules = schedules;
  }
}

import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { EbsFastSnapshotRestore } from "@cdktf/provider-aws/lib/ebs-fast-snapshot-restore";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as AwsKmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { pinAddress } from "../core/stable-address";
import { Problems } from "../core/validation";
import { Connections, IConnectable, SecurityGroup } from "../network/connections";
import { IKmsKey } from "../security/kms-key";
import { awsContext } from "../security/private/aws-context";
import { IEksCluster } from "./eks-cluster";
import { NodeRole } from "./node-role";

/**
 * EC2 and AWS Health events Karpenter acts on before the instance goes away (Karpenter v1.14
 * getting-started CloudFormation, `ScheduledChangeRule` ... `CapacityReservationInterruptionRule`):
 * it cordons and drains the node and launches a replacement in parallel.
 */
export const KARPENTER_INTERRUPTION_EVENTS = {
  ScheduledChange: { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
  SpotInterruption: { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
  Rebalance: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
  InstanceStateChange: { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
  CapacityReservationInterruption: { source: ["aws.ec2"], "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"] },
} as const;

/**
 * Seconds an interruption message is kept: the upstream 300. A spot warning is 120 s ahead of
 * the reclaim, so an older message describes an instance that is already gone.
 */
export const KARPENTER_QUEUE_RETENTION_SECONDS = 300;

/** Properties of {@link KarpenterNodeInfrastructure}. */
export interface KarpenterNodeInfrastructureProps {
  /** The cluster Karpenter launches nodes for. */
  readonly cluster: IEksCluster;
  /**
   * Key of the nodes' EBS volumes (EC2NodeClass `blockDeviceMappings[].ebs.kmsKeyID`); the
   * controller role gets the grant rights EC2 needs to encrypt with it at launch.
   * @default cluster.kmsKey
   */
  readonly volumeKmsKey?: IKmsKey;
  /**
   * Name of the interruption queue (SQS names: 1-80 of [A-Za-z0-9_-]).
   * @default `<clusterName>-karpenter` when the cluster name is known at synth, else generated
   */
  readonly queueName?: string;
  /**
   * The model-weights snapshot the GPU nodes attach (EC2NodeClass `snapshotID`): Fast Snapshot
   * Restore is enabled for it in each AZ, so a new node reads the weights at the volume's full
   * throughput instead of fetching blocks from S3 on first read (USD 0.75 per snapshot-AZ-hour).
   * @default none
   */
  readonly modelSnapshot?: { readonly snapshotId: string; readonly availabilityZones: readonly string[] };
  /**
   * `prevent_destroy` on the queue's KMS key (HR-DATA-1). Turn it off only to retire the
   * environment (the stacks do so with the environment's `teardown` setting).
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * Terraform name of the queue key (`aws_kms_key.<addressName>`), fixed so that a construct rename
   * does not plan a replacement of the key.
   * @default "karpenter-queue"
   */
  readonly addressName?: string;
  /** Tags on every resource. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The AWS side of Karpenter that lives with the cluster: the node instance role (with its
 * `EC2_LINUX` access entry, so nodes can join without aws-auth), a security group for the
 * nodes Karpenter launches, and the interruption path (a KMS-encrypted SQS queue fed by
 * EventBridge rules for spot interruption, rebalance, instance state change, scheduled
 * change and capacity reservation interruption).
 *
 * The queue has its own customer-managed key because EventBridge must be allowed to use it
 * (`events.amazonaws.com` in the key policy, scoped by `aws:SourceAccount`), which the shared
 * data keys should not admit. The queue policy lets only EventBridge and SQS (from this
 * account) send, and denies any call without TLS.
 *
 * The controller's own role is created by the Karpenter add-on (EKS Pod Identity) with
 * {@link karpenterControllerStatements}, in `<env>-cluster`.
 *
 * @example
 * const karpenter = new KarpenterNodeInfrastructure(this, "Karpenter", { cluster });
 * cache.connections.allowFrom(karpenter, Port.tcp(6379), "inference pods read the response cache");
 */
export class KarpenterNodeInfrastructure extends Construct implements IConnectable {
  public readonly nodeRole: NodeRole;
  public readonly nodeRoleArn: string;
  public readonly nodeRoleName: string;
  /** `aws_eks_access_entry` of the node role (type `EC2_LINUX`). */
  public readonly accessEntry: EksAccessEntry;
  /** Security group of Karpenter-launched nodes (in addition to the cluster's node group). */
  public readonly securityGroup: SecurityGroup;
  public readonly connections: Connections;
  public readonly queue: SqsQueue;
  public readonly queueName: string;
  public readonly queueArn: string;
  /** Key of the queue. */
  public readonly queueKey: IKmsKey;
  /** Key of the node volumes. */
  public readonly volumeKmsKey: IKmsKey;
  /** The EventBridge rules, by name of {@link KARPENTER_INTERRUPTION_EVENTS}. */
  public readonly rules: Readonly<Record<string, CloudwatchEventRule>>;

  public constructor(scope: Construct, id: string, props: KarpenterNodeInfrastructureProps) {
    super(scope, id);
    const problems = new Problems(`KarpenterNodeInfrastructure '${this.node.path}' props`);
    if (props.queueName !== undefined && !/^[A-Za-z0-9_-]{1,80}$/.test(props.queueName)) {
      problems.add("KARPENTER_QUEUE_NAME", "queueName", props.queueName, "an SQS queue name: 1-80 of [A-Za-z0-9_-] (no .fifo: EventBridge targets standard queues here)");
    }
    problems.throwIfAny();
    const ctx = awsContext(this);
    const tags = props.tags ? { ...props.tags } : undefined;
    this.volumeKmsKey = props.volumeKmsKey ?? props.cluster.kmsKey;

    this.nodeRole = new NodeRole(this, "NodeRole", { description: "EKS nodes launched by Karpenter", tags: props.tags });
    this.nodeRoleArn = this.nodeRole.roleArn;
    this.nodeRoleName = this.nodeRole.roleName;
    this.accessEntry = new EksAccessEntry(this, "NodeAccess", {
      clusterName: props.cluster.clusterName,
      principalArn: this.nodeRole.roleArn,
      type: "EC2_LINUX",
      tags,
    });
    this.securityGroup = new SecurityGroup(this, "Sg", {
      vpcId: props.cluster.nodeSecurityGroup.resource.vpcId,
      description: "EKS nodes launched by Karpenter",
      allowAllOutbound: true,
      tags: props.tags,
    });
    this.connections = this.securityGroup.connections;

    const key = new AwsKmsKey(this, "QueueKey", {
      description: "Karpenter interruption queue",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` }, Action: "kms:*", Resource: "*" },
          {
            // EventBridge encrypts the messages it sends to an SSE-KMS queue (SQS developer guide, "Key management").
            Sid: "EventBridgeSendsToTheQueue",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
          },
        ],
      }),
      tags,
      // Like every Headroom key (HR-DATA-1): removing it is a deliberate change of its own.
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    pinAddress(key, props.addressName ?? "karpenter-queue");
    new KmsAlias(this, "QueueKeyAlias", { namePrefix: "alias/karpenter-interruption-", targetKeyId: key.keyId });
    this.queueKey = { keyArn: key.arn, keyId: key.keyId };

    this.queue = new SqsQueue(this, "Queue", {
      ...(props.queueName ? { name: props.queueName } : { namePrefix: "karpenter-interruption-" }),
      messageRetentionSeconds: KARPENTER_QUEUE_RETENTION_SECONDS,
      kmsMasterKeyId: key.arn,
      kmsDataKeyReusePeriodSeconds: 300,
      tags,
    });
    this.queueName = this.queue.name;
    this.queueArn = this.queue.arn;
    new SqsQueuePolicy(this, "QueuePolicy", {
      queueUrl: this.queue.url,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Id: "EC2InterruptionPolicy",
        Statement: [
          {
            Sid: "EventBridgeAndSqsSend",
            Effect: "Allow",
            Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
            Action: "sqs:SendMessage",
            Resource: this.queue.arn,
            Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
          },
          { Sid: "DenyHTTP", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: this.queue.arn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ],
      }),
    });

    const rules: Record<string, CloudwatchEventRule> = {};
    for (const [name, pattern] of Object.entries(KARPENTER_INTERRUPTION_EVENTS)) {
      const rule = new CloudwatchEventRule(this, `${name}Rule`, {
        namePrefix: `karpenter-${name.toLowerCase()}-`.slice(0, 38),
        description: `Karpenter: ${pattern["detail-type"][0]}`,
        eventPattern: JSON.stringify(pattern),
        tags,
      });
      new CloudwatchEventTarget(this, `${name}Target`, { rule: rule.name, targetId: "KarpenterInterruptionQueue", arn: this.queue.arn });
      rules[name] = rule;
    }
    this.rules = rules;

    const snap = props.modelSnapshot;
    if (snap) {
      if (!/^snap-[0-9a-f]{8,17}$/.test(snap.snapshotId)) {
        const p = new Problems(`KarpenterNodeInfrastructure '${this.node.path}' props`);
        p.add("KARPENTER_MODEL_SNAPSHOT", "modelSnapshot.snapshotId", snap.snapshotId, "an EBS snapshot id such as snap-0123456789abcdef0");
        p.throwIfAny();
      }
      snap.availabilityZones.forEach((az, i) => new EbsFastSnapshotRestore(this, `ModelSnapshotFastRestore${i}`, { snapshotId: snap.snapshotId, availabilityZone: az }));
    }
  }
}

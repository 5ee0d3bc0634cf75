import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { pinAddress } from "../core/stable-address";
import { Problems } from "../core/validation";
import { IKmsKey } from "./kms-key";

/** Retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Properties of {@link EncryptedLogGroup}. */
export interface EncryptedLogGroupProps {
  /** Log group name, e.g. `/aws/eks/headroom-prod/cluster`. */
  readonly name: string;
  /** Key that encrypts the log data; its policy must admit CloudWatch Logs (`KmsKey` `allowCloudWatchLogs`). */
  readonly kmsKey: IKmsKey;
  /**
   * How long events are kept, in days; one of {@link LOG_RETENTION_DAYS}.
   * Unbounded retention is not offered: it turns logs into an unpriced archive.
   * @default 90
   */
  readonly retentionDays?: number;
  /**
   * Adds `lifecycle.prevent_destroy`, so a plan that would delete the group (and every event in it) fails.
   * Meant for audit trails (the EKS control-plane log carries the Kubernetes audit log); turn it off only to
   * tear an environment down.
   * @default false (operational logs; retention bounds what a destroy loses)
   */
  readonly preventDestroy?: boolean;
  /**
   * Fixed Terraform name of the group (`aws_cloudwatch_log_group.<addressName>`) instead of one derived
   * from the construct path, so refactoring the construct tree cannot plan a destroy past
   * `preventDestroy`. Keep it for the group's life: changing or removing it moves the address.
   * @default derived from the construct path
   */
  readonly addressName?: string;
  /** Tags. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A CloudWatch log group that is always encrypted with a customer-managed key and
 * always has a retention. Created by the stack (not lazily by the service), so
 * its encryption and retention are under Terraform's control.
 *
 * @example
 * new EncryptedLogGroup(this, "FlowLogs", { name: "/headroom/prod/vpc-flow", kmsKey: logsKey, retentionDays: 365 });
 */
export class EncryptedLogGroup extends Construct {
  /** The `aws_cloudwatch_log_group` (escape hatch). */
  public readonly resource: CloudwatchLogGroup;
  public readonly logGroupName: string;
  public readonly logGroupArn: string;

  public constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 90;
    const problems = new Problems(`EncryptedLogGroup '${this.node.path}' props`);
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retentionDays)) {
      problems.add("LOG_RETENTION", "retentionDays", retentionDays, `one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    problems.throwIfAny();
    this.resource = new CloudwatchLogGroup(this, "Resource", {
      name: props.name,
      kmsKeyId: props.kmsKey.keyArn,
      retentionInDays: retentionDays,
      tags: props.tags ? { ...props.tags } : undefined,
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    if (props.addressName !== undefined) pinAddress(this.resource, props.addressName);
    this.logGroupName = this.resource.name;
    this.logGroupArn = this.resource.arn;
  }
}

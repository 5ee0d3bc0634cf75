import { Problems } from "../../core/validation";
import { IKmsKey } from "../../security/kms-key";

/** Props every data-tier construct takes: where it lives, what encrypts it, how it is named. */
export interface DataServiceProps {
  /** VPC of the service's security group. */
  readonly vpcId: string;
  /** Private subnets, one per availability zone (at least 2); the service spreads over them. */
  readonly subnetIds: readonly string[];
  /** Customer-managed key for data at rest, secrets and logs (it must admit CloudWatch Logs). */
  readonly kmsKey: IKmsKey;
  /** Lowercase name prefix of every named resource, e.g. `headroom-prod` (letters, digits, hyphens). */
  readonly namePrefix: string;
  /**
   * Adds `lifecycle.prevent_destroy` to the stateful resources, so `terraform destroy` stops
   * before deleting data. Turn it off only to tear an environment down (lib/data/README.md).
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * Retention of the service's CloudWatch log groups, in days.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * Terraform name of the stateful resource (`aws_db_instance.<addressName>`), fixed so that neither
   * renaming or moving the construct nor changing `namePrefix` moves the address (a moved address
   * is planned as a destroy that `preventDestroy` cannot stop). Set it only to tell two instances
   * in one stack apart, and never change it on a deployed resource without a `moved` block.
   * @default the construct's role: `postgres`, `cache`, `kafka` or `models`
   */
  readonly addressName?: string;
  /** Tags on every resource. @default none (provider default tags still apply) */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Checks the props shared by every data construct; `maxPrefixLength` leaves room for the suffix. */
export function checkCommonProps(problems: Problems, props: DataServiceProps, maxPrefixLength: number): void {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(props.namePrefix) || props.namePrefix.length > maxPrefixLength) {
    problems.add(
      "DATA_NAME_PREFIX",
      "namePrefix",
      props.namePrefix,
      `1-${maxPrefixLength} lowercase letters, digits and single hyphens, starting with a letter`,
    );
  }
  if (props.subnetIds.length < 2) {
    problems.add("DATA_SUBNETS", "subnetIds", props.subnetIds, "at least 2 private subnets in different availability zones");
  }
}

/** Copies tags into the mutable shape the provider bindings take. */
export function tagsOf(props: DataServiceProps, extra: Readonly<Record<string, string>> = {}): Record<string, string> | undefined {
  const merged = { ...(props.tags ?? {}), ...extra };
  return Object.keys(merged).length > 0 ? merged : undefined;
}

import { Problems } from "../../core/validation";
import { EKS_MAX_NODES_PER_MANAGED_NODE_GROUP } from "../versions";

/** Minimum, desired and maximum node counts of a node group. */
export interface NodeCounts {
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
}

/**
 * Checks node counts: non-negative integers, min <= desired <= max, max >= 1,
 * and max within the "Nodes per managed node group" quota.
 */
export function checkNodeCounts(problems: Problems, counts: NodeCounts, quota: number | undefined, groups = 1): void {
  const perGroup = quota ?? EKS_MAX_NODES_PER_MANAGED_NODE_GROUP;
  const okQuota = problems.checkNumber("NODE_GROUP_QUOTA", "maxNodesQuota", perGroup, { min: 1, max: 100_000, integer: true });
  // maxSize is split over `groups` zonal node groups, each rounded up: ceil(max / groups) <= quota  <=>  max <= quota x groups.
  const limit = perGroup * groups;
  const okMin = problems.checkNumber("NODE_GROUP_SIZE", "minSize", counts.minSize, { min: 0, integer: true });
  const okDesired = problems.checkNumber("NODE_GROUP_SIZE", "desiredSize", counts.desiredSize, { min: 0, integer: true });
  const okMax = problems.checkNumber("NODE_GROUP_SIZE", "maxSize", counts.maxSize, { min: 1, integer: true });
  if (okMin && okDesired && counts.minSize > counts.desiredSize) {
    problems.add("NODE_GROUP_MIN_GT_DESIRED", "minSize", counts.minSize, `at most desiredSize (${counts.desiredSize})`);
  }
  if (okDesired && okMax && counts.desiredSize > counts.maxSize) {
    problems.add("NODE_GROUP_DESIRED_GT_MAX", "desiredSize", counts.desiredSize, `at most maxSize (${counts.maxSize})`);
  }
  if (okMax && okQuota && counts.maxSize > limit) {
    problems.add(
      "NODE_GROUP_MAX_QUOTA",
      "maxSize",
      counts.maxSize,
      groups === 1
        ? `at most ${limit} nodes per managed node group (EKS quota; raise it with Service Quotas and pass maxNodesQuota)`
        : `at most ${limit} nodes (${perGroup} per managed node group x ${groups} zonal groups; EKS quota, raise it with Service Quotas and pass maxNodesQuota)`,
    );
  }
}

/** Label key prefixes (domains) the EKS managed node group API rejects. */
export const RESERVED_LABEL_DOMAINS = ["kubernetes.io", "k8s.io", "eks.amazonaws.com"] as const;

/**
 * Checks Kubernetes label keys and values: syntax (Kubernetes "labels" syntax rules)
 * and no prefix in a reserved domain or its subdomains (EKS rejects
 * `kubernetes.io/`, `k8s.io/` and `eks.amazonaws.com/`, and the kubelet sets
 * `node.kubernetes.io/instance-type` itself).
 */
export function checkLabels(problems: Problems, path: string, labels: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    const prefixOk = prefix === undefined || (prefix.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix));
    const nameOk = name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
    const valueOk = value.length <= 63 && /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(value);
    if (!prefixOk || !nameOk || !valueOk) {
      problems.add("NODE_LABEL_INVALID", `${path}.${key}`, value, "a Kubernetes label: [prefix/]name with name and value of 1-63 [A-Za-z0-9-_.], alphanumeric at both ends");
      continue;
    }
    if (prefix !== undefined && RESERVED_LABEL_DOMAINS.some((d) => prefix === d || prefix.endsWith(`.${d}`))) {
      problems.add("NODE_LABEL_RESERVED", `${path}.${key}`, key, `a key outside the reserved domains ${RESERVED_LABEL_DOMAINS.join(", ")} (EKS rejects them)`);
    }
  }
}

/** Root volume settings of a node. */
export interface RootVolume {
  readonly sizeGiB: number;
  readonly iops: number;
  readonly throughputMiBps: number;
}

/**
 * Checks gp3 limits (Amazon EBS volume types: 1-65,536 GiB, 3,000-80,000 IOPS,
 * 125-2,000 MiB/s, at most 500 IOPS per GiB and 0.25 MiB/s per provisioned IOPS).
 */
export function checkRootVolume(problems: Problems, volume: RootVolume, minSizeGiB: number): void {
  const okSize = problems.checkNumber("NODE_VOLUME_SIZE", "rootVolume.sizeGiB", volume.sizeGiB, { min: minSizeGiB, max: 65_536, integer: true });
  const okIops = problems.checkNumber("NODE_VOLUME_IOPS", "rootVolume.iops", volume.iops, { min: 3000, max: 80_000, integer: true });
  const okThroughput = problems.checkNumber("NODE_VOLUME_THROUGHPUT", "rootVolume.throughputMiBps", volume.throughputMiBps, {
    min: 125,
    max: 2000,
    integer: true,
  });
  if (okSize && okIops && volume.iops > 500 * volume.sizeGiB && volume.iops > 3000) {
    problems.add("NODE_VOLUME_IOPS", "rootVolume.iops", volume.iops, `at most 500 IOPS per GiB (${500 * volume.sizeGiB} for ${volume.sizeGiB} GiB)`);
  }
  if (okIops && okThroughput && volume.throughputMiBps > volume.iops / 4) {
    problems.add("NODE_VOLUME_THROUGHPUT", "rootVolume.throughputMiBps", volume.throughputMiBps, `at most IOPS / 4 (${Math.floor(volume.iops / 4)} MiB/s)`);
  }
}

/** Checks that subnets were given (one per AZ for zonal node groups). */
export function checkSubnets(problems: Problems, subnetIds: readonly string[], min: number): void {
  if (subnetIds.length < min) {
    problems.add("NODE_GROUP_SUBNETS", "subnetIds", subnetIds, `at least ${min} subnet id(s)`);
  }
}

/** True for an unresolved Terraform token (a value known only at apply). */
export function isToken(value: string): boolean {
  return value.includes("${");
}

/** The entries of `value` that are not `undefined`, for `{ ...defaults, ...definedOnly(overrides) }`. */
export function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

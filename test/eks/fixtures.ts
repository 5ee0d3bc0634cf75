import { TerraformStack } from "cdktf";
import { EksAddons, EksCluster, EksClusterProps, GpuNodeGroup, GpuNodeGroupProps, SystemNodeGroup, SystemNodeGroupProps } from "../../lib/eks";
import { ValidationError } from "../../lib/core/validation";
import { KmsKey } from "../../lib/security/kms-key";
import { SynthesizedStack, synthJson, testStack } from "../helpers/synth";

export const SUBNETS = ["subnet-a", "subnet-b", "subnet-c"];
export const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";

/** A stack with a KMS key, for constructing pieces in isolation. */
export function keyedStack(): { stack: TerraformStack; key: KmsKey } {
  const { stack } = testStack();
  const key = new KmsKey(stack, "Key", { alias: "eks", description: "EKS", allowCloudWatchLogs: true });
  return { stack, key };
}

/** Props of a valid cluster, overridable. */
export function clusterProps(key: KmsKey, overrides: Partial<EksClusterProps> = {}): EksClusterProps {
  return { clusterName: "headroom-test", vpcId: "vpc-1", subnetIds: SUBNETS, kmsKey: key, adminRoleArns: [ADMIN], ...overrides };
}

export interface Platform {
  readonly cluster: EksCluster;
  readonly systemNodes: SystemNodeGroup;
  readonly gpuNodes: GpuNodeGroup;
  readonly addons: EksAddons;
  readonly json: SynthesizedStack;
  readonly stack: TerraformStack;
}

/** Cluster, system and GPU node groups and add-ons in one stack, synthesized once. */
export function platform(
  options: {
    readonly cluster?: Partial<EksClusterProps>;
    readonly system?: Partial<SystemNodeGroupProps>;
    readonly gpu?: Partial<GpuNodeGroupProps>;
    readonly before?: (p: Omit<Platform, "json">) => void;
  } = {},
): Platform {
  const { stack, key } = keyedStack();
  const cluster = new EksCluster(stack, "Cluster", clusterProps(key, options.cluster));
  const systemNodes = new SystemNodeGroup(stack, "SystemNodes", { cluster, subnetIds: SUBNETS, ...options.system });
  const gpuNodes = new GpuNodeGroup(stack, "GpuNodes", {
    cluster,
    subnetIds: SUBNETS,
    instanceType: "p5.48xlarge",
    minSize: 2,
    desiredSize: 4,
    maxSize: 8,
    ...options.gpu,
  });
  const addons = new EksAddons(stack, "Addons", { cluster, after: [systemNodes.resource] });
  options.before?.({ cluster, systemNodes, gpuNodes, addons, stack });
  return { cluster, systemNodes, gpuNodes, addons, stack, json: synthJson(stack) };
}

/** Runs `build` and returns the ValidationError it throws (fails the test when it does not). */
export function validationErrorOf(build: () => unknown): ValidationError {
  try {
    build();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError, nothing was thrown");
}

/** The resource of `type` whose logical id starts with `prefix`. */
export function resourceByPrefix(json: SynthesizedStack, type: string, prefix: string): any {
  const entries = Object.entries(json.resource?.[type] ?? {}).filter(([k]) => k.startsWith(prefix));
  if (entries.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${entries.map(([k]) => k).join(", ") || "none"}`);
  return entries[0][1];
}

/** Logical address `type.id` of the resource whose id starts with `prefix`. */
export function addressByPrefix(json: SynthesizedStack, type: string, prefix: string): string {
  const ids = Object.keys(json.resource?.[type] ?? {}).filter((k) => k.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}`);
  return `${type}.${ids[0]}`;
}

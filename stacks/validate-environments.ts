/**
 * Validation of the environment table, before any construct exists.
 *
 * Every problem of every environment is collected and thrown once, with its
 * field path (`environments.prod.vpcCidr`), the value and what is allowed.
 */
import { checkKnownKeys, keys, Problems } from "../lib/core/validation";
import { isRfc1918, parseIpv4Cidr } from "../lib/network/private/cidr";
import { isPinnedImage } from "../lib/serving/private/image";
import { MIN_SUPPRESSION_REASON_LENGTH } from "../lib/compliance/compliance";
import { ChaosConfig, ClusterAccessConfig, EnvironmentConfig, GpuNodesConfig, MeshConfig, ServingConfig, StateConfig, TeardownConfig } from "./environments";

/**
 * Every key an environment may have, level by level. Typed against the interfaces, so a field added to
 * `EnvironmentConfig` must be added here (tsc), and a key in a config that is in neither is an error with
 * a "did you mean" hint. `capacity` is the capacity model's input: `planCapacity` checks its keys.
 */
export const ENVIRONMENT_KEYS = keys.object<EnvironmentConfig>({
  name: keys.any,
  production: keys.any,
  region: keys.any,
  allowedAccountIds: keys.any,
  azCount: keys.any,
  vpcCidr: keys.any,
  namePrefix: keys.any,
  tags: keys.any,
  capacity: keys.any,
  simulationProfile: keys.any,
  tracingSamplingPercent: keys.any,
  cluster: keys.object<ClusterAccessConfig>({ adminRoleArns: keys.any, publicEndpointCidrs: keys.any }),
  mesh: keys.object<MeshConfig>({
    canary: keys.object<NonNullable<MeshConfig["canary"]>>({ image: keys.any, weightPercent: keys.any }),
    faultInjection: keys.object<NonNullable<MeshConfig["faultInjection"]>>({ delayPercent: keys.any, delaySeconds: keys.any, abortPercent: keys.any }),
  }),
  serving: keys.object<ServingConfig>({ hosts: keys.any, tlsCredentialName: keys.any, workerImage: keys.any, kafkaCliImage: keys.any, lmcacheImage: keys.any }),
  state: keys.object<StateConfig>({ bucket: keys.any, region: keys.any, keyPrefix: keys.any }),
  teardown: keys.object<TeardownConfig>({ reason: keys.any }),
  gpuNodes: keys.object<GpuNodesConfig>({
    provisioner: keys.any,
    modelSnapshotId: keys.any,
    capacity: keys.any,
    asyncSpotMaxGpus: keys.any,
  }),
  chaos: keys.object<ChaosConfig>({ weeklySchedule: keys.object<NonNullable<ChaosConfig["weeklySchedule"]>>({ day: keys.any, hourUtc: keys.any }) }),
});

/**
 * Keys earlier versions accepted, with what replaces each. A config that still sets one gets this
 * hint (code `ENV_REMOVED_KEY`) instead of an unknown-key "did you mean".
 */
export const REMOVED_ENVIRONMENT_KEYS: readonly { readonly path: readonly [string, string]; readonly replacement: string }[] = [
  {
    path: ["gpuNodes", "peakWindows"],
    replacement:
      "no key: declare the peak once as capacity.workload.dailyPeak { startClockSeconds, durationSeconds, rampSeconds } in UTC (e.g. { startClockSeconds: 61200, durationSeconds: 16200, rampSeconds: 900 } for 17:00-22:00); the plan pre-scales for it (autoscaling.scheduledFloor, a KEDA cron trigger) and the Karpenter no-disruption budget covers the same window",
  },
];

/** `env` without the removed keys it sets, each reported with its replacement. */
function withoutRemovedKeys(env: EnvironmentConfig, problems: Problems, at: (field: string) => string): EnvironmentConfig {
  let out: Record<string, unknown> = env as unknown as Record<string, unknown>;
  for (const { path: [parent, key], replacement } of REMOVED_ENVIRONMENT_KEYS) {
    const holder = out[parent];
    if (holder === null || typeof holder !== "object" || !Object.prototype.hasOwnProperty.call(holder, key)) continue;
    problems.add("ENV_REMOVED_KEY", at(`${parent}.${key}`), (holder as Record<string, unknown>)[key], `${key} was removed; ${replacement}`);
    const { [key]: _removed, ...rest } = holder as Record<string, unknown>;
    out = { ...out, [parent]: rest };
  }
  return out as unknown as EnvironmentConfig;
}

const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const K8S_NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

/** Commercial AWS regions that offer EKS, MSK, ElastiCache and RDS (AWS regional services list). */
export const AWS_REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1", "sa-east-1", "mx-central-1",
  "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
  "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ap-south-1", "ap-south-2", "ap-east-1",
  "me-south-1", "me-central-1", "il-central-1", "af-south-1",
] as const;

const NAME = /^[a-z][a-z0-9-]{1,15}$/;
const PREFIX = /^[a-z][a-z0-9-]{2,19}$/;
const ACCOUNT = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** The serving constructs' pinning rule (`isPinnedImage`), under an environment code. */
function checkImage(problems: Problems, code: string, path: string, image: string): void {
  if (typeof image !== "string" || !isPinnedImage(image)) {
    problems.add(code, path, image, "an image pinned by a version tag other than `latest` (repo:1.2.3) or by digest (repo@sha256:<64 hex>)");
  }
}

/** Collects every problem of the environment table into `problems` (paths start at `environments.<key>`). */
export function validateEnvironments(environments: Readonly<Record<string, EnvironmentConfig>>, problems: Problems): void {
  const keys = Object.keys(environments);
  if (keys.length === 0) problems.add("ENV_NONE", "environments", {}, "at least one environment");
  const seen = { name: new Map<string, string>(), prefix: new Map<string, string>() };

  for (const key of keys) {
    const env = environments[key];
    const at = (field: string) => `environments.${key}.${field}`;
    checkKnownKeys(problems, "ENV_UNKNOWN_KEY", `environments.${key}`, withoutRemovedKeys(env, problems, at), ENVIRONMENT_KEYS);

    if (!NAME.test(env.name)) problems.add("ENV_NAME", at("name"), env.name, "2-16 lowercase letters, digits or hyphens, starting with a letter");
    if (env.name !== key) problems.add("ENV_NAME_KEY", at("name"), env.name, `the table key "${key}"`);
    if (!PREFIX.test(env.namePrefix)) {
      problems.add("ENV_NAME_PREFIX", at("namePrefix"), env.namePrefix, "3-20 lowercase letters, digits or hyphens, starting with a letter");
    }
    for (const [kind, value, field] of [["name", env.name, "name"], ["prefix", env.namePrefix, "namePrefix"]] as const) {
      const other = seen[kind].get(value);
      if (other !== undefined) problems.add("ENV_DUPLICATE", at(field), value, `a value not already used by environment "${other}"`);
      seen[kind].set(value, key);
    }

    problems.checkOneOf("ENV_REGION", at("region"), env.region, AWS_REGIONS);

    const minAz = env.production ? 3 : 2;
    problems.checkNumber("ENV_AZ_COUNT", at("azCount"), env.azCount, { min: minAz, max: 3, integer: true });

    const cidr = parseIpv4Cidr(env.vpcCidr);
    if (!cidr) {
      problems.add("ENV_VPC_CIDR", at("vpcCidr"), env.vpcCidr, "an IPv4 CIDR block a.b.c.d/n with no host bits set");
    } else if (cidr.prefixLength < 16 || cidr.prefixLength > 20) {
      problems.add("ENV_VPC_CIDR_SIZE", at("vpcCidr"), env.vpcCidr, "prefix /16 to /20 (every pod takes a VPC address; /20 is the smallest that fits the subnet layout)");
    } else if (!isRfc1918(cidr)) {
      problems.add("ENV_VPC_CIDR_PRIVATE", at("vpcCidr"), env.vpcCidr, "a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
    }

    if (env.production && env.allowedAccountIds.length === 0) {
      problems.add("ENV_ACCOUNTS_REQUIRED", at("allowedAccountIds"), env.allowedAccountIds, "at least one AWS account ID in production");
    }
    env.allowedAccountIds.forEach((id, i) => {
      if (!ACCOUNT.test(id)) problems.add("ENV_ACCOUNT_ID", at(`allowedAccountIds[${i}]`), id, "a 12-digit AWS account ID");
    });

    for (const [tag, value] of Object.entries(env.tags)) {
      if (tag.length === 0 || tag.length > 128 || tag.startsWith("aws:")) {
        problems.add("ENV_TAG_KEY", at(`tags.${tag}`), tag, "1-128 characters, not starting with aws:");
      }
      if (value.length > 256) problems.add("ENV_TAG_VALUE", at(`tags.${tag}`), value, "at most 256 characters");
    }

    if (env.cluster.adminRoleArns.length === 0) {
      problems.add("ENV_ADMIN_ROLES", at("cluster.adminRoleArns"), [], "at least one IAM role ARN (there is no implicit cluster-creator admin)");
    }
    env.cluster.adminRoleArns.forEach((arn, i) => {
      if (!ROLE_ARN.test(arn)) problems.add("ENV_ADMIN_ROLE_ARN", at(`cluster.adminRoleArns[${i}]`), arn, "an IAM role ARN arn:aws:iam::<account>:role/<name>");
    });
    const publicCidrs = env.cluster.publicEndpointCidrs ?? [];
    if (env.production && publicCidrs.length > 0) {
      problems.add("ENV_PUBLIC_ENDPOINT", at("cluster.publicEndpointCidrs"), publicCidrs, "[] in production (private API endpoint only)");
    }
    publicCidrs.forEach((c, i) => {
      const parsed = parseIpv4Cidr(c);
      if (!parsed || parsed.prefixLength === 0) {
        problems.add("ENV_PUBLIC_ENDPOINT_CIDR", at(`cluster.publicEndpointCidrs[${i}]`), c, "an IPv4 CIDR block narrower than 0.0.0.0/0");
      }
    });

    problems.checkNumber("ENV_TRACING_SAMPLING", at("tracingSamplingPercent"), env.tracingSamplingPercent, { min: 0, max: 100 });
    if (env.mesh.canary) {
      problems.checkNumber("ENV_CANARY_WEIGHT", at("mesh.canary.weightPercent"), env.mesh.canary.weightPercent, { min: 0, max: 100, integer: true });
      checkImage(problems, "ENV_CANARY_IMAGE", at("mesh.canary.image"), env.mesh.canary.image);
    }
    if (env.production && env.mesh.faultInjection) {
      problems.add("ENV_FAULT_INJECTION_PROD", at("mesh.faultInjection"), env.mesh.faultInjection, "undefined in production (chaos drills run in dev or staging)");
    }
    if (env.mesh.faultInjection) {
      const f = env.mesh.faultInjection;
      problems.checkNumber("ENV_FAULT_PERCENT", at("mesh.faultInjection.delayPercent"), f.delayPercent, { min: 0, max: 100 });
      problems.checkNumber("ENV_FAULT_PERCENT", at("mesh.faultInjection.abortPercent"), f.abortPercent, { min: 0, max: 100 });
      problems.checkNumber("ENV_FAULT_DELAY", at("mesh.faultInjection.delaySeconds"), f.delaySeconds, { min: 0, max: 60, exclusiveMin: true });
    }

    // The serving inputs the workloads constructs would refuse one at a time, checked here with the same rules.
    if (env.serving.hosts.length === 0) problems.add("ENV_SERVING_HOSTS", at("serving.hosts"), env.serving.hosts, "at least one host name");
    env.serving.hosts.forEach((h, i) => {
      if (!HOST.test(h)) problems.add("ENV_SERVING_HOST", at(`serving.hosts[${i}]`), h, "a lowercase DNS name such as api.example.com (optionally *.example.com)");
    });
    if (!K8S_NAME.test(env.serving.tlsCredentialName)) {
      problems.add("ENV_SERVING_TLS_SECRET", at("serving.tlsCredentialName"), env.serving.tlsCredentialName, "a Kubernetes secret name: lowercase letters, digits, '-' and '.', at most 253 characters");
    }
    checkImage(problems, "ENV_WORKER_IMAGE", at("serving.workerImage"), env.serving.workerImage);
    checkImage(problems, "ENV_KAFKA_CLI_IMAGE", at("serving.kafkaCliImage"), env.serving.kafkaCliImage);
    if (env.serving.lmcacheImage !== undefined) checkImage(problems, "ENV_LMCACHE_IMAGE", at("serving.lmcacheImage"), env.serving.lmcacheImage);
    if ((env.capacity.workload.prefixCache?.remoteTierSeconds ?? 0) > 0 && env.serving.lmcacheImage === undefined) {
      problems.add(
        "ENV_LMCACHE_IMAGE",
        at("serving.lmcacheImage"),
        env.serving.lmcacheImage,
        "a pinned vLLM + LMCache image, since capacity.workload.prefixCache.remoteTierSeconds deploys the remote KV tier (lib/serving/README.md, \"The LMCache image\")",
      );
    }

    if (env.teardown !== undefined && (typeof env.teardown.reason !== "string" || env.teardown.reason.trim().length < MIN_SUPPRESSION_REASON_LENGTH)) {
      problems.add("ENV_TEARDOWN_REASON", at("teardown.reason"), env.teardown.reason, `a written reason of at least ${MIN_SUPPRESSION_REASON_LENGTH} characters (why, and the ticket)`);
    }

    const gpu = env.gpuNodes ?? {};
    if (gpu.provisioner !== undefined) problems.checkOneOf("ENV_NODE_PROVISIONER", at("gpuNodes.provisioner"), gpu.provisioner, ["karpenter", "cluster-autoscaler"]);
    if ((gpu.provisioner ?? "karpenter") === "cluster-autoscaler" && (gpu.modelSnapshotId !== undefined || gpu.asyncSpotMaxGpus !== undefined)) {
      problems.add("ENV_KARPENTER_ONLY", at("gpuNodes"), gpu, "modelSnapshotId and asyncSpotMaxGpus only with provisioner \"karpenter\" (the managed node groups are on-demand, one instance type)");
    }
    if (env.production && env.chaos?.weeklySchedule !== undefined) {
      problems.add("ENV_CHAOS_SCHEDULE_PROD", at("chaos.weeklySchedule"), env.chaos.weeklySchedule, "undefined in production (templates only; a human starts a drill)");
    }

    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(env.state.bucket)) {
      problems.add("ENV_STATE_BUCKET", at("state.bucket"), env.state.bucket, "an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens");
    }
    if (env.state.region !== undefined) problems.checkOneOf("ENV_STATE_REGION", at("state.region"), env.state.region, AWS_REGIONS);

    if (env.capacity.availabilityZones !== undefined && env.capacity.availabilityZones !== env.azCount) {
      problems.add("ENV_CAPACITY_AZS", at("capacity.availabilityZones"), env.capacity.availabilityZones, `undefined or ${env.azCount} (the environment's azCount)`);
    }
  }
}

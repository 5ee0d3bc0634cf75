/**
 * The environments Headroom deploys, as typed data.
 *
 * Each environment says where it runs (region, accounts, AZs, VPC range), how it
 * is named and tagged, and what it must serve (the capacity model's input). Every
 * size in its stacks is derived from `capacity` by the capacity model; nothing
 * here is an instance count typed in by hand.
 *
 * Fork the blueprint by editing this file: replace the example account IDs
 * (AWS's documentation placeholders) with yours, and the workloads with your own.
 */
import { LLAMA_31_70B_FP8, LLAMA_31_8B } from "../lib/capacity/presets";
import { warmupBreakdown } from "../lib/capacity/warmup";
import { GpuCapacity } from "../lib/eks/gpu-capacity";
import { CapacityInput } from "../lib/capacity/types";

/** Remote state location of one environment (an S3 bucket with native lock files). */
export interface StateConfig {
  /** State bucket; create it once per account (see README, "Remote state"). */
  readonly bucket: string;
  /** Region of the state bucket. @default the environment's region */
  readonly region?: string;
  /** Key prefix; each stack writes `<keyPrefix>/<stack>.tfstate`. @default "headroom/<env>" */
  readonly keyPrefix?: string;
}

/** EKS access and endpoint settings of one environment. */
export interface ClusterAccessConfig {
  /** IAM role ARNs granted cluster-admin through EKS access entries (no implicit creator admin). */
  readonly adminRoleArns: readonly string[];
  /**
   * CIDRs allowed to reach a public API endpoint. Empty keeps the endpoint private,
   * which is the only option in production.
   * @default [] (private endpoint only)
   */
  readonly publicEndpointCidrs?: readonly string[];
}

/** Traffic-policy switches of one environment. */
export interface MeshConfig {
  /**
   * A canary release of the inference server: its pinned image and the percent of traffic (0-100)
   * it gets; the stable version gets the rest (the source article's 90/10 is `weightPercent: 10`).
   * @default no canary: all traffic to the stable version
   */
  readonly canary?: { readonly image: string; readonly weightPercent: number };
  /**
   * Chaos drill: inject delays and aborts into a share of requests. Refused in production.
   * @default off
   */
  readonly faultInjection?: { readonly delayPercent: number; readonly delaySeconds: number; readonly abortPercent: number };
}

/**
 * How GPU nodes are provisioned (see README, "GPU capacity"). The serving pool's no-disruption
 * window is not declared here: it is the plan's `autoscaling.scheduledFloor`, derived from
 * `capacity.workload.dailyPeak` (see {@link karpenterPeakWindows} in stacks/karpenter-wiring.ts).
 */
export interface GpuNodesConfig {
  /**
   * `karpenter`: NodePools per plan (several compatible instance types, EC2 Fleet, interruption
   * handling, no GPU managed node group). `cluster-autoscaler`: per-AZ GPU managed node groups of
   * the plan's one type. Never both.
   * @default "karpenter"
   */
  readonly provisioner?: "karpenter" | "cluster-autoscaler";
  /**
   * EBS snapshot with the model weights (XFS, label `headroom-models`, encrypted with the
   * environment's cluster key), attached to every GPU node. See README, "Faster warm-up".
   * @default none: pods download the weights from S3
   */
  readonly modelSnapshotId?: string;
  /**
   * How the serving GPUs are bought (Karpenter): `GpuCapacity.openReservations()`, `.reservation(id)`
   * or `.capacityBlock(id)` select capacity reservations / a Capacity Block in the EC2NodeClass.
   * @default GpuCapacity.onDemand()
   */
  readonly capacity?: GpuCapacity;
  /**
   * Opt-in spot GPUs for interruption-tolerant async work: a separate, tainted pool with this GPU limit.
   * @default none (on-demand only)
   */
  readonly asyncSpotMaxGpus?: number;
}

/** Chaos drills of one environment (AWS FIS templates are created in every environment). */
export interface ChaosConfig {
  /**
   * Weekly automatic run (EventBridge Scheduler, UTC): the five drills start 30 minutes apart from
   * `hourUtc` on `day`. Refused in production: there the templates exist and a human starts them.
   * @default none: no automatic run
   */
  readonly weeklySchedule?: { readonly day: "MON" | "TUE" | "WED" | "THU" | "FRI" | "SAT" | "SUN"; readonly hourUtc: number };
}

/** The public entry and the images of one environment's serving tier. */
export interface ServingConfig {
  /** Host names the ingress gateway serves, e.g. `api.example.com`. */
  readonly hosts: readonly string[];
  /** Kubernetes TLS secret in `istio-ingress` holding the certificate for `hosts` (cert-manager or a sync job creates it). */
  readonly tlsCredentialName: string;
  /** Async worker image, pinned by tag or digest. */
  readonly workerImage: string;
  /** Kafka CLI image with the `aws-msk-iam-auth` jar, pinned; runs the topic Job (see lib/serving/README.md). */
  readonly kafkaCliImage: string;
  /**
   * Server image with vLLM and LMCache, pinned; required when `capacity.workload.prefixCache.remoteTierSeconds`
   * deploys the remote KV tier (lib/serving/README.md, "The LMCache image").
   * @default none (the remote tier is off in every environment; see PROD_CAPACITY)
   */
  readonly lmcacheImage?: string;
}

/**
 * The explicit opt-out that lets an environment be destroyed (README, "Tearing an environment down").
 * While it is set, every stateful resource (RDS, ElastiCache, MSK, the model bucket, the KMS keys and the
 * EKS audit log group) drops `lifecycle.prevent_destroy`, RDS and EKS deletion protection are off, and the
 * compliance rules that demand them are suppressed on the foundation stack with `reason`. Apply once with it
 * set, then destroy; remove it again if the environment is to live on.
 */
export interface TeardownConfig {
  /** Why and under which ticket, e.g. `"retire staging-eu, ticket OPS-1234"` (at least 10 characters); shown by the compliance pack. */
  readonly reason: string;
}

/** One deployable environment. */
export interface EnvironmentConfig {
  /** Environment name; stacks are `<name>-foundation`, `<name>-cluster`, `<name>-workloads`. */
  readonly name: string;
  /** Production gets the strictest rules: 3 AZs, NAT per AZ, private endpoint, account allow-list. */
  readonly production: boolean;
  /** AWS region, e.g. `us-east-1`. */
  readonly region: string;
  /** AWS account IDs Terraform may touch (`allowed_account_ids`); required in production. */
  readonly allowedAccountIds: readonly string[];
  /** Availability zones (2 or 3; 3 in production). */
  readonly azCount: number;
  /** VPC IPv4 range (RFC 1918, /16 to /20). */
  readonly vpcCidr: string;
  /** Prefix of every resource name, e.g. `headroom-prod` (lowercase letters, digits, hyphens; 3-20 characters). */
  readonly namePrefix: string;
  /** Tags applied to every AWS resource through the provider's default tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** What this environment must serve. `availabilityZones` and `region` are filled from the fields above. */
  readonly capacity: CapacityInput;
  /** Traffic profile the plan must survive in the simulator before synth writes anything. */
  readonly simulationProfile: string;
  /** Share (0-100) of requests traced end to end. */
  readonly tracingSamplingPercent: number;
  readonly cluster: ClusterAccessConfig;
  readonly mesh: MeshConfig;
  readonly serving: ServingConfig;
  /** GPU node provisioning. @default Karpenter, on-demand, weights from S3 */
  readonly gpuNodes?: GpuNodesConfig;
  /** Chaos drills. @default templates only, no schedule */
  readonly chaos?: ChaosConfig;
  /** Remote state. */
  readonly state: StateConfig;
  /** Tear-down mode. @default undefined: data protected against destroy */
  readonly teardown?: TeardownConfig;
}

const EXAMPLE_ACCOUNT = { dev: "111111111111", staging: "222222222222", prod: "123456789012" } as const;

/**
 * The users' afternoon peak, 12:00-17:00 US Eastern (EST), declared in UTC because the KEDA cron
 * trigger and Karpenter's budgets run in UTC: a 15-minute rise from 17:00, the peak rate held until
 * 21:45, back to the baseline by 22:00. The plan pre-scales to replicas.desired from GPU provisioning
 * before 17:00 until 22:00 (`autoscaling.scheduledFloor`) and no serving GPU node is disrupted then.
 * (Under daylight saving time the same local hours are 16:00-21:00 UTC: move the start in March and November.)
 */
const DAILY_PEAK_UTC = { startClockSeconds: 17 * 3600, rampSeconds: 900, durationSeconds: 5 * 3600 - 2 * 900 } as const;

/** A Llama-3.1-8B chat assistant: the small model the dev environment serves. */
const DEV_CAPACITY: CapacityInput = {
  workload: {
    peakRequestsPerSecond: 2,
    baselineRequestsPerSecond: 0.5,
    promptTokens: { mean: 800, p99: 3000 },
    outputTokens: { mean: 200, p99: 800 },
    slo: { ttftP99Seconds: 3, tpotP99Seconds: 0.1, availability: 0.99 },
    asyncShare: 0.2,
    dailyPeak: DAILY_PEAK_UTC,
    maxQueueDelaySeconds: 600,
    // Prefix reuse behind the endpoint picker (system prompt + earlier turns); DeepSeek reports 56.3% in production.
    prefixCache: { promptTokenHitShare: 0.3, routing: "prefix-affinity" },
    payloadBytes: 8192,
    readQueriesPerRequest: 2,
    writeQueriesPerRequest: 1,
  },
  model: LLAMA_31_8B,
  gpu: { instanceTypes: ["g5.xlarge", "g6.xlarge", "g6e.xlarge", "g5.12xlarge", "g6.12xlarge"] },
  safetyFactor: 1.5,
  gpuProvisioningSeconds: 420,
};

/** The production workload: a Llama-3.1-70B-class assistant with a declared afternoon peak (17:00-22:00 UTC) and festival spikes. */
const PROD_CAPACITY: CapacityInput = {
  workload: {
    peakRequestsPerSecond: 40,
    baselineRequestsPerSecond: 10,
    promptTokens: { mean: 1500, p99: 6000 },
    outputTokens: { mean: 300, p99: 1200 },
    slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.1, availability: 0.999 },
    // A festival doubles the peak over five minutes. A 3x spike in two minutes with the 675 s GPU
    // provisioning of the S3 weights path fails the festival-spike simulation with replicas.min 2 (about
    // 15% 429s, TTFT p99 above 2 s): the simulator asks for replicas.min 7 or asyncShare 0.55, so declare
    // it only with that budget.
    spike: { multiplier: 2, rampSeconds: 300, durationSeconds: 900 },
    asyncShare: 0.3,
    dailyPeak: DAILY_PEAK_UTC,
    maxQueueDelaySeconds: 900,
    // No remote KV tier (remoteTierSeconds 0): behind the picker the replica's own tiers deliver the share, and
    // for this dense 70B fp8 model on p5.48xlarge fetching a token's 160 KiB of KV over one Valkey node (15 Gbit/s)
    // takes ~87 us, prefilling it ~17 us: the plan refuses the tier (lib/capacity/README.md, "The remote KV tier").
    prefixCache: { promptTokenHitShare: 0.4, routing: "prefix-affinity" },
    payloadBytes: 16384,
    readQueriesPerRequest: 3,
    writeQueriesPerRequest: 1,
  },
  model: LLAMA_31_70B_FP8,
  safetyFactor: 1.5,
  // gpuProvisioning is derived per environment by capacityInputOf from where the weights come from.
};

/** Staging: the production model and SLOs at a tenth of the traffic, so plans and policies are exercised for real. */
const STAGING_CAPACITY: CapacityInput = {
  ...PROD_CAPACITY,
  workload: {
    ...PROD_CAPACITY.workload,
    peakRequestsPerSecond: 4,
    baselineRequestsPerSecond: 1,
    spike: { multiplier: 2, rampSeconds: 120, durationSeconds: 600 },
  },
};

/** Hosts and images of an environment; images live in the account's own ECR, pinned by tag. */
function servingConfig(env: string, account: string): ServingConfig {
  const registry = `${account}.dkr.ecr.us-east-1.amazonaws.com`;
  return {
    hosts: [env === "prod" ? "api.headroom.example" : `api.${env}.headroom.example`],
    tlsCredentialName: `headroom-${env}-api-tls`,
    workerImage: `${registry}/headroom/inference-worker:1.0.0`,
    kafkaCliImage: `${registry}/headroom/kafka-msk-cli:3.9.1-iam2.3.2`,
  };
}

/** Every environment, by name. */
export const ENVIRONMENTS: Readonly<Record<string, EnvironmentConfig>> = {
  dev: {
    name: "dev",
    production: false,
    region: "us-east-1",
    allowedAccountIds: [EXAMPLE_ACCOUNT.dev],
    azCount: 2,
    vpcCidr: "10.10.0.0/16",
    namePrefix: "headroom-dev",
    tags: { project: "headroom", environment: "dev", "cost-center": "ml-platform" },
    capacity: DEV_CAPACITY,
    simulationProfile: "daily-peak",
    tracingSamplingPercent: 10,
    cluster: {
      adminRoleArns: [`arn:aws:iam::${EXAMPLE_ACCOUNT.dev}:role/platform-admin`],
      publicEndpointCidrs: ["203.0.113.0/24"],
    },
    mesh: { faultInjection: { delayPercent: 5, delaySeconds: 2, abortPercent: 1 } },
    serving: servingConfig("dev", EXAMPLE_ACCOUNT.dev),
    state: { bucket: `headroom-tfstate-${EXAMPLE_ACCOUNT.dev}` },
  },
  staging: {
    name: "staging",
    production: false,
    region: "us-east-1",
    allowedAccountIds: [EXAMPLE_ACCOUNT.staging],
    azCount: 3,
    vpcCidr: "10.20.0.0/16",
    namePrefix: "headroom-staging",
    tags: { project: "headroom", environment: "staging", "cost-center": "ml-platform" },
    capacity: STAGING_CAPACITY,
    simulationProfile: "festival-spike",
    tracingSamplingPercent: 5,
    cluster: { adminRoleArns: [`arn:aws:iam::${EXAMPLE_ACCOUNT.staging}:role/platform-admin`] },
    // Staging drills continuously: a small share of requests delayed or aborted by the mesh, and
    // the FIS rotation every Tuesday 10:00 UTC (outside the peak window). See README, "Chaos drills".
    mesh: { faultInjection: { delayPercent: 1, delaySeconds: 1, abortPercent: 0.1 } },
    serving: servingConfig("staging", EXAMPLE_ACCOUNT.staging),
    chaos: { weeklySchedule: { day: "TUE", hourUtc: 10 } },
    state: { bucket: `headroom-tfstate-${EXAMPLE_ACCOUNT.staging}` },
  },
  prod: {
    name: "prod",
    production: true,
    region: "us-east-1",
    allowedAccountIds: [EXAMPLE_ACCOUNT.prod],
    azCount: 3,
    vpcCidr: "10.30.0.0/16",
    namePrefix: "headroom-prod",
    tags: { project: "headroom", environment: "prod", "cost-center": "ml-platform" },
    capacity: PROD_CAPACITY,
    simulationProfile: "festival-spike",
    tracingSamplingPercent: 1,
    cluster: { adminRoleArns: [`arn:aws:iam::${EXAMPLE_ACCOUNT.prod}:role/platform-admin`] },
    mesh: {},
    serving: servingConfig("prod", EXAMPLE_ACCOUNT.prod),
    state: { bucket: `headroom-tfstate-${EXAMPLE_ACCOUNT.prod}` },
  },
};

/** Names of every environment, in declaration order. */
export function environmentNames(): string[] {
  return Object.keys(ENVIRONMENTS);
}

/**
 * The capacity input of an environment with its placement filled in from the
 * environment itself, so the AZ count the VPC spans is the one the plan survives losing.
 */
export function capacityInputOf(env: EnvironmentConfig): CapacityInput {
  return { ...env.capacity, availabilityZones: env.azCount, region: env.region, ...provisioningOf(env) };
}

/**
 * The GPU provisioning phases of an environment that states no total of its own: the model's
 * weights over the path the platform deploys (an FSR-enabled EBS snapshot when `gpuNodes.modelSnapshotId`
 * is set, else the serving tier's S3 copy), so the plan and the simulator see the path that runs.
 */
function provisioningOf(env: EnvironmentConfig): Pick<CapacityInput, "gpuProvisioning"> {
  if (env.capacity.gpuProvisioningSeconds !== undefined || env.capacity.gpuProvisioning !== undefined) return {};
  return { gpuProvisioning: warmupBreakdown(env.capacity.model, env.gpuNodes?.modelSnapshotId ? "ebs-snapshot-fsr" : "s3-copy") };
}

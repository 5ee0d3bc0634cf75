/**
 * GPU warm-up: the three phases of `gpuProvisioningSeconds` (node launch, image pull, model load)
 * for the ways weights reach a new node. Pure.
 *
 * The weight paths, and why the pre-populated snapshot needs Fast Snapshot Restore:
 * - `s3-copy` (the serving tier today): an init container runs `aws s3 sync` into a node-local
 *   emptyDir on the gp3 root volume, then vLLM reads the files. The copy cannot go faster than
 *   the root volume writes (Headroom's GPU root volume: 500 MiB/s, GPU_ROOT_VOLUME_DEFAULTS);
 *   the read back mostly comes from the page cache (GPU hosts have far more RAM than weights:
 *   2 TiB on p5.48xlarge, 384 GiB on g6e.12xlarge).
 * - `ebs-snapshot-fsr`: a volume created from a snapshot that has the weights, with Fast Snapshot
 *   Restore enabled in the AZ. EBS: "Volumes created from an FSR-enabled snapshot instantly
 *   deliver all of their provisioned performance" (EBS User Guide, "Amazon EBS fast snapshot
 *   restore"), so vLLM reads at the volume's provisioned throughput (up to 1,000 MiB/s, the
 *   EC2NodeClass schema's gp3 limit). No copy, nothing fetched from S3 by the pod.
 * - `ebs-snapshot-lazy`: the same volume without FSR. Blocks are fetched from S3 on first read
 *   (EBS User Guide, "Initialize Amazon EBS volumes"); with a Provisioned Rate for Volume
 *   Initialization the fetch runs at 100-300 MiB/s (EC2NodeClass `volumeInitializationRate`,
 *   schema range), i.e. SLOWER than the s3-copy path's 500 MiB/s. It is modelled so that the
 *   plan shows it, not recommended.
 */
import { GIB } from "./constants";
import { weightBytes } from "./llm";
import type { GpuProvisioningBreakdown, ModelInput } from "./types";

/**
 * Node launch: EC2 launch, AL2023 NVIDIA boot, kubelet join, device plugin advertising the GPUs.
 * ASSUMPTION (residual +-60 s): 180 s, within capacity-data.md's "minutes, not seconds"; measure it
 * with Karpenter's `karpenter_nodeclaims_initialized` timestamps or `karpenter_pods_startup_duration_seconds`.
 */
export const DEFAULT_NODE_LAUNCH_SECONDS = 180;
/**
 * Image pull of the vLLM image (10-20 GB). AWS Machine Learning Blog, "Reducing container cold
 * start times using SOCI index on DLAMI and DLC": standard pulls of 15-20 GB images "can take
 * 4-6 minutes per instance"; 300 s is the middle. Residual +-60 s.
 */
export const DEFAULT_IMAGE_PULL_SECONDS = 300;
/**
 * Engine start after the weights are readable: vLLM moving weights to GPU memory from the page
 * cache or volume, CUDA graph capture and the first health check. ASSUMPTION (residual +-30 s): 60 s.
 */
export const DEFAULT_ENGINE_START_SECONDS = 60;
/** Write throughput of Headroom's GPU root volume, MiB/s (GPU_ROOT_VOLUME_DEFAULTS in lib/eks). */
export const GPU_ROOT_VOLUME_MIBPS = 500;
/** gp3 throughput of the weights volume, MiB/s (the EC2NodeClass schema's maximum for gp3). */
export const MODEL_VOLUME_MIBPS = 1000;
/** Provisioned Rate for Volume Initialization, MiB/s (the EC2NodeClass schema's maximum). */
export const MAX_VOLUME_INITIALIZATION_MIBPS = 300;

/** How the weights get to a new node. */
export type WeightsPath = "s3-copy" | "ebs-snapshot-fsr" | "ebs-snapshot-lazy";

/** Options of {@link warmupBreakdown}. */
export interface WarmupOptions {
  /** @default DEFAULT_NODE_LAUNCH_SECONDS */
  readonly nodeLaunchSeconds?: number;
  /** @default DEFAULT_IMAGE_PULL_SECONDS */
  readonly imagePullSeconds?: number;
  /** @default DEFAULT_ENGINE_START_SECONDS */
  readonly engineStartSeconds?: number;
}

const MIB = 1024 ** 2;

/**
 * The provisioning breakdown of `model` over `path`, every phase with its source.
 *
 * @example
 * const capacity = { ...input, gpuProvisioning: warmupBreakdown(LLAMA_31_70B_FP8, "ebs-snapshot-fsr") };
 */
export function warmupBreakdown(model: Pick<ModelInput, "parametersBillions" | "precision" | "name">, path: WeightsPath, options: WarmupOptions = {}): GpuProvisioningBreakdown {
  const bytes = weightBytes(model);
  const gib = bytes / GIB;
  const rate = path === "s3-copy" ? GPU_ROOT_VOLUME_MIBPS : path === "ebs-snapshot-fsr" ? MODEL_VOLUME_MIBPS : MAX_VOLUME_INITIALIZATION_MIBPS;
  const engine = options.engineStartSeconds ?? DEFAULT_ENGINE_START_SECONDS;
  const transfer = bytes / (rate * MIB);
  const how =
    path === "s3-copy"
      ? `aws s3 sync to the gp3 root volume, bound by its ${rate} MiB/s writes`
      : path === "ebs-snapshot-fsr"
        ? `read from the FSR-enabled snapshot volume at its ${rate} MiB/s (EBS: full performance at creation)`
        : `snapshot blocks fetched from S3 at the ${rate} MiB/s initialization rate (no FSR)`;
  return {
    nodeLaunchSeconds: options.nodeLaunchSeconds ?? DEFAULT_NODE_LAUNCH_SECONDS,
    imagePullSeconds: options.imagePullSeconds ?? DEFAULT_IMAGE_PULL_SECONDS,
    modelLoadSeconds: Math.round(transfer + engine),
    sources: {
      nodeLaunch: options.nodeLaunchSeconds !== undefined ? "given" : "ASSUMPTION 180 s +-60 s (EC2 launch, AL2023 NVIDIA boot, join); measure with karpenter_pods_startup_duration_seconds",
      imagePull: options.imagePullSeconds !== undefined ? "given" : "AWS ML Blog (SOCI on DLAMI/DLC): 15-20 GB pulls take 4-6 min; 300 s +-60 s",
      modelLoad: `${model.name}: ${gib.toFixed(1)} GiB ${how} = ${Math.round(transfer)} s, plus engine start ${engine} s (ASSUMPTION +-30 s)`,
    },
  };
}

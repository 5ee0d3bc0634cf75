/**
 * Instance catalogs the planner chooses from, with prices and specs next to their sources.
 *
 * GPU specs: capacity-data.md "GPUs" (NVIDIA datasheets, dense figures) and "EC2 GPU instances"
 * (Karpenter instance-type reference and its generated us-east-1 on-demand pricing table, 2026-07).
 * Non-GPU prices: AWS public on-demand list prices, us-east-1 (pricing pages of each service);
 * re-check them before using a cost figure for a budget.
 */
import type { GpuInstanceSpec } from "./types";

/** H100 SXM: 80 GB, 3.35 TB/s, 989 BF16 / 1,979 FP8 dense TFLOPS (NVIDIA H100 datasheet). */
const H100 = { gpuModel: "H100", memoryBandwidthGBps: 3350, bf16Tflops: 989, fp8Tflops: 1979 } as const;
/** H200: 141 GB, 4.8 TB/s, same compute as H100 (NVIDIA H200 datasheet). */
const H200 = { gpuModel: "H200", memoryBandwidthGBps: 4800, bf16Tflops: 989, fp8Tflops: 1979 } as const;
/** B200: 180 GB, 8 TB/s, 2,250 BF16 / 4,500 FP8 (NVIDIA B200 datasheet; MLPerf v5.1 system description). */
const B200 = { gpuModel: "B200", memoryBandwidthGBps: 8000, bf16Tflops: 2250, fp8Tflops: 4500 } as const;
/** A100 40 GB: 1,555 GB/s; 80 GB: 2,039 GB/s; 312 BF16, no FP8 (NVIDIA Ampere whitepaper). */
const A100_40 = { gpuModel: "A100-40GB", memoryBandwidthGBps: 1555, bf16Tflops: 312 } as const;
const A100_80 = { gpuModel: "A100-80GB", memoryBandwidthGBps: 2039, bf16Tflops: 312 } as const;
/** L40S: 48 GB, 864 GB/s, 362 BF16 / 733 FP8 dense (NVIDIA L40S datasheet, sparse halved). */
const L40S = { gpuModel: "L40S", memoryBandwidthGBps: 864, bf16Tflops: 362, fp8Tflops: 733 } as const;
/** L4: 24 GB, 300 GB/s, 121 BF16 / 242 FP8 dense (NVIDIA L4 datasheet, sparse halved). */
const L4 = { gpuModel: "L4", memoryBandwidthGBps: 300, bf16Tflops: 121, fp8Tflops: 242 } as const;
/** A10G: 24 GB, 600 GB/s; BF16 not published for A10G, the A10's 125 TFLOPS used (NVIDIA A10 datasheet; AWS g5 page). No FP8. */
const A10G = { gpuModel: "A10G", memoryBandwidthGBps: 600, bf16Tflops: 125 } as const;

function gpu(
  instanceType: string,
  chip: { gpuModel: string; memoryBandwidthGBps: number; bf16Tflops: number; fp8Tflops?: number },
  gpuCount: number,
  gpuMemoryMiB: number,
  vcpus: number,
  memoryGiB: number,
  networkGbps: number,
  onDemandUsdPerHour: number,
): GpuInstanceSpec {
  return { instanceType, family: instanceType.split(".")[0] ?? instanceType, gpuCount, gpuMemoryMiB, vcpus, memoryGiB, networkGbps, onDemandUsdPerHour, ...chip };
}

/**
 * The built-in GPU instance catalog (capacity-data.md "EC2 GPU instances": GPUs, visible GPU MiB,
 * vCPU, RAM, network, on-demand USD/h in us-east-1).
 */
export const GPU_INSTANCE_CATALOG: readonly GpuInstanceSpec[] = Object.freeze([
  gpu("g5.xlarge", A10G, 1, 22_888, 4, 16, 2.5, 1.006),
  gpu("g5.12xlarge", A10G, 4, 22_888, 48, 192, 40, 5.672),
  gpu("g5.48xlarge", A10G, 8, 22_888, 192, 768, 100, 16.288),
  gpu("g6.xlarge", L4, 1, 22_888, 4, 16, 2.5, 0.8048),
  gpu("g6.12xlarge", L4, 4, 22_888, 48, 192, 40, 4.6016),
  gpu("g6e.xlarge", L40S, 1, 45_776, 4, 32, 2.5, 1.861),
  gpu("g6e.12xlarge", L40S, 4, 45_776, 48, 384, 100, 10.493),
  gpu("g6e.48xlarge", L40S, 8, 45_776, 192, 1536, 400, 30.131),
  gpu("p4d.24xlarge", A100_40, 8, 40_960, 96, 1152, 400, 21.958),
  gpu("p4de.24xlarge", A100_80, 8, 81_920, 96, 1152, 400, 27.447),
  gpu("p5.4xlarge", H100, 1, 81_920, 16, 256, 100, 6.88),
  gpu("p5.48xlarge", H100, 8, 81_920, 192, 2048, 3200, 55.04),
  gpu("p5en.48xlarge", H200, 8, 144_384, 192, 2048, 3200, 63.296),
  gpu("p6-b200.48xlarge", B200, 8, 183_359, 192, 2048, 3200, 113.933),
]);

/** Looks up a built-in GPU instance type; `undefined` when it is not in the catalog. */
export function findGpuInstance(instanceType: string): GpuInstanceSpec | undefined {
  return GPU_INSTANCE_CATALOG.find((spec) => spec.instanceType === instanceType);
}

/** An MSK standard broker size. */
export interface KafkaBrokerSpec {
  readonly instanceType: string;
  /** Recommended partitions per broker, leaders + followers (capacity-data.md, MSK best practices). */
  readonly maxPartitionsPerBroker: number;
  readonly usdPerHour: number;
  /** Burstable: excluded when the availability objective is 99.9% or tighter (CPU credits can run out). */
  readonly burstable: boolean;
}

/** MSK broker sizes; USD/h are Amazon MSK us-east-1 on-demand list prices (Standard brokers). */
export const KAFKA_BROKER_CATALOG: readonly KafkaBrokerSpec[] = Object.freeze([
  { instanceType: "kafka.t3.small", maxPartitionsPerBroker: 300, usdPerHour: 0.0456, burstable: true },
  { instanceType: "kafka.m7g.large", maxPartitionsPerBroker: 1000, usdPerHour: 0.204, burstable: false },
  { instanceType: "kafka.m7g.xlarge", maxPartitionsPerBroker: 1000, usdPerHour: 0.408, burstable: false },
  { instanceType: "kafka.m7g.2xlarge", maxPartitionsPerBroker: 2000, usdPerHour: 0.816, burstable: false },
  { instanceType: "kafka.m7g.4xlarge", maxPartitionsPerBroker: 4000, usdPerHour: 1.632, burstable: false },
]);

/** An ElastiCache node type. */
export interface RedisNodeSpec {
  readonly nodeType: string;
  /** Node memory, GiB (ElastiCache supported node types table). */
  readonly memoryGiB: number;
  /**
   * Sustained (baseline) network bandwidth, Gbit/s. ElastiCache lists cache.r7g.large to 4xlarge as "up to
   * 12.5 Gigabit" (a burst allowance); the sustained figure is the baseline of the same Graviton3 size in the
   * EC2 network specifications (r7g.large 0.937 ... r7g.8xlarge 15). Residual: the burst can carry short peaks,
   * so this under-states what a node moves for a few minutes.
   */
  readonly baselineGbps: number;
  readonly usdPerHour: number;
}

/** cache.r7g node types; USD/h are Amazon ElastiCache us-east-1 on-demand list prices (Redis OSS engine, NodeUsage, AWS Price List figures as of 2026-10). */
export const REDIS_NODE_CATALOG: readonly RedisNodeSpec[] = Object.freeze([
  { nodeType: "cache.r7g.large", memoryGiB: 13.07, baselineGbps: 0.937, usdPerHour: 0.219 },
  { nodeType: "cache.r7g.xlarge", memoryGiB: 26.32, baselineGbps: 1.876, usdPerHour: 0.437 },
  { nodeType: "cache.r7g.2xlarge", memoryGiB: 52.82, baselineGbps: 3.75, usdPerHour: 0.873 },
  { nodeType: "cache.r7g.4xlarge", memoryGiB: 105.81, baselineGbps: 7.5, usdPerHour: 1.745 },
  { nodeType: "cache.r7g.8xlarge", memoryGiB: 209.55, baselineGbps: 15, usdPerHour: 3.491 },
]);

/** An RDS instance class. */
export interface DatabaseClassSpec {
  readonly instanceClass: string;
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** Single-AZ USD/h; Multi-AZ bills primary and standby, i.e. twice. */
  readonly usdPerHour: number;
}

/** db.r7g classes for PostgreSQL; USD/h are Amazon RDS for PostgreSQL us-east-1 Single-AZ on-demand list prices. */
export const DATABASE_CLASS_CATALOG: readonly DatabaseClassSpec[] = Object.freeze([
  { instanceClass: "db.r7g.large", vcpus: 2, memoryGiB: 16, usdPerHour: 0.239 },
  { instanceClass: "db.r7g.xlarge", vcpus: 4, memoryGiB: 32, usdPerHour: 0.478 },
  { instanceClass: "db.r7g.2xlarge", vcpus: 8, memoryGiB: 64, usdPerHour: 0.956 },
  { instanceClass: "db.r7g.4xlarge", vcpus: 16, memoryGiB: 128, usdPerHour: 1.912 },
  { instanceClass: "db.r7g.8xlarge", vcpus: 32, memoryGiB: 256, usdPerHour: 3.824 },
  { instanceClass: "db.r7g.12xlarge", vcpus: 48, memoryGiB: 384, usdPerHour: 5.736 },
  { instanceClass: "db.r7g.16xlarge", vcpus: 64, memoryGiB: 512, usdPerHour: 7.648 },
]);

/** A system (non-GPU) node type. */
export interface SystemNodeSpec {
  readonly instanceType: string;
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly usdPerHour: number;
}

/** m7i general-purpose nodes for add-ons; USD/h are Amazon EC2 us-east-1 Linux on-demand list prices. */
export const SYSTEM_NODE_CATALOG: readonly SystemNodeSpec[] = Object.freeze([
  { instanceType: "m7i.large", vcpus: 2, memoryGiB: 8, usdPerHour: 0.1008 },
  { instanceType: "m7i.xlarge", vcpus: 4, memoryGiB: 16, usdPerHour: 0.2016 },
  { instanceType: "m7i.2xlarge", vcpus: 8, memoryGiB: 32, usdPerHour: 0.4032 },
  { instanceType: "m7i.4xlarge", vcpus: 16, memoryGiB: 64, usdPerHour: 0.8064 },
]);

import { planCapacity, warmupBreakdown, LLAMA_31_70B_FP8, LLAMA_31_8B, GPU_ROOT_VOLUME_MIBPS } from "../../lib/capacity";
import { engineConfig } from "../../lib/capacity/simulate";
import { namedProfile } from "../../lib/capacity/simulate/profiles";
import { baseInput, capacityError } from "./helpers";

const total = (b: ReturnType<typeof warmupBreakdown>) => b.nodeLaunchSeconds + b.imagePullSeconds + b.modelLoadSeconds;

describe("warm-up paths", () => {
  test("model load follows the weights and the path's throughput", () => {
    const s3 = warmupBreakdown(LLAMA_31_70B_FP8, "s3-copy");
    const fsr = warmupBreakdown(LLAMA_31_70B_FP8, "ebs-snapshot-fsr");
    const lazy = warmupBreakdown(LLAMA_31_70B_FP8, "ebs-snapshot-lazy");
    expect(fsr.modelLoadSeconds).toBeLessThan(s3.modelLoadSeconds);
    expect(lazy.modelLoadSeconds).toBeGreaterThan(s3.modelLoadSeconds);
    // 70.6e9 FP8 bytes at the root volume's 500 MiB/s, plus 60 s engine start.
    expect(s3.modelLoadSeconds).toBe(Math.round(70.6e9 / (GPU_ROOT_VOLUME_MIBPS * 1024 ** 2) + 60));
    expect(warmupBreakdown(LLAMA_31_8B, "s3-copy").modelLoadSeconds).toBeLessThan(s3.modelLoadSeconds);
    for (const b of [s3, fsr, lazy]) for (const src of Object.values(b.sources)) expect(src.length).toBeGreaterThan(10);
  });

  test("the breakdown sets gpuProvisioningSeconds and the simulator's pod start", () => {
    const phases = warmupBreakdown(LLAMA_31_70B_FP8, "ebs-snapshot-fsr");
    const plan = planCapacity(baseInput({ gpuProvisioning: phases }));
    expect(plan.input.gpuProvisioningSeconds).toBe(total(phases));
    const cfg = engineConfig(plan, namedProfile("daily-peak", plan.input.workload, { compact: true }), {});
    expect(cfg.podStartSeconds).toBe(phases.imagePullSeconds + phases.modelLoadSeconds);
    expect(cfg.nodeProvisioningSeconds).toBe(phases.nodeLaunchSeconds);
  });

  test("a total that disagrees with the phases, or a phase without a source, is an input error", () => {
    const phases = warmupBreakdown(LLAMA_31_70B_FP8, "s3-copy");
    expect(capacityError(() => planCapacity(baseInput({ gpuProvisioning: phases, gpuProvisioningSeconds: 100 }))).message).toMatch(/gpuProvisioningSeconds/);
    const unsourced = { ...phases, sources: { ...phases.sources, imagePull: "" } };
    expect(capacityError(() => planCapacity(baseInput({ gpuProvisioning: unsourced }))).message).toMatch(/gpuProvisioning\.sources\.imagePull/);
  });
});

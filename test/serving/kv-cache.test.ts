import { ValidationError } from "../../lib/core/validation";
import { InferenceService, VLLM_HOST_MEMORY_PER_GPU_GIB } from "../../lib/serving/inference-service";
import { KV_CPU_OFFLOAD_SHARE, kvCpuOffloadGiB, servingPropsFromPlan } from "../../stacks/sizing";
import { resourcesOf, synthJson } from "../helpers/synth";
import { editedPlan, FIXTURE_PLAN } from "./fixtures";
import { inferenceProps, workloadsTestStack } from "./helpers";

function serverArgs(cpuOffloadGiB?: number): string[] {
  const stack = workloadsTestStack();
  new InferenceService(stack, "Inference", inferenceProps(cpuOffloadGiB === undefined ? {} : { kvCache: { cpuOffloadGiB } }));
  const d = Object.values(resourcesOf(synthJson(stack), "kubernetes_deployment_v1"))[0] as any;
  return d.spec.template.spec.container[0].args;
}

describe("KV-cache tiers of the inference server", () => {
  test("prefix caching is stated explicitly, with or without a CPU tier", () => {
    expect(serverArgs()).toContain("--enable-prefix-caching");
    expect(serverArgs(0)).toContain("--enable-prefix-caching");
    expect(serverArgs()).not.toContain("--kv-offloading-size");
  });

  test("a CPU tier turns on vLLM's native offloading with the given GiB per replica", () => {
    const args = serverArgs(300);
    expect(args.slice(args.indexOf("--kv-offloading-backend"), args.indexOf("--kv-offloading-backend") + 4)).toEqual(["--kv-offloading-backend", "native", "--kv-offloading-size", "300"]);
  });

  test("refuses a CPU tier that does not fit in the pod's memory next to /dev/shm and the server", () => {
    // 800 GiB limit, 16 GiB shm, 4 GPUs x the per-GPU allowance.
    const room = 800 - 16 - 4 * VLLM_HOST_MEMORY_PER_GPU_GIB;
    expect(() => serverArgs(room)).not.toThrow();
    let error: unknown;
    try {
      serverArgs(room + 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems[0]).toMatchObject({ code: "SERVING_KV_CPU_OFFLOAD_TOO_LARGE", path: "kvCache.cpuOffloadGiB" });
    expect((error as ValidationError).message).toContain(`at most ${room} GiB`);
  });
});

describe("plan -> KV tier and picker sizing", () => {
  test("the CPU tier is half of what the host memory leaves after /dev/shm and the server process", () => {
    expect(kvCpuOffloadGiB({ memoryGiB: 100 }, 2)).toBe(Math.floor((100 - 16 - 2 * VLLM_HOST_MEMORY_PER_GPU_GIB) * KV_CPU_OFFLOAD_SHARE));
    expect(kvCpuOffloadGiB({ memoryGiB: 20 }, 1)).toBe(Math.floor((20 - 5 - VLLM_HOST_MEMORY_PER_GPU_GIB) * KV_CPU_OFFLOAD_SHARE));
    expect(kvCpuOffloadGiB({ memoryGiB: 10 }, 2)).toBe(0);
    expect(kvCpuOffloadGiB(undefined, 1)).toBe(0);
  });

  test("the sized tier is accepted by InferenceService for the fixture plan (it fits by construction)", () => {
    const s = servingPropsFromPlan(FIXTURE_PLAN);
    expect(s.inference.kvCpuOffloadGiB).toBeGreaterThan(0);
    const stack = workloadsTestStack();
    expect(
      () =>
        new InferenceService(stack, "Inference", inferenceProps({ gpusPerReplica: s.inference.gpusPerReplica, resources: { ...s.inference.hostResources!, modelVolumeGiB: 100 }, kvCache: { cpuOffloadGiB: s.inference.kvCpuOffloadGiB } })),
    ).not.toThrow();
  });

  test("picker CPU grows with the admitted rate; memory with the pool's maximum size", () => {
    const base = servingPropsFromPlan(FIXTURE_PLAN).endpointPicker;
    expect(base.replicas).toBe(2);
    const busy = servingPropsFromPlan(editedPlan((p) => (p.admission.maxRequestsPerSecond = 1000))).endpointPicker;
    expect(busy.resources.cpuCores).toBe(10);
    const huge = servingPropsFromPlan(editedPlan((p) => (p.inference.replicas.max = 400))).endpointPicker;
    expect(huge.resources.memoryGiB).toBe(Math.ceil((400 * 31_250 * 256) / 2 ** 30));
    expect(base.resources.memoryGiB).toBe(1);
  });
});

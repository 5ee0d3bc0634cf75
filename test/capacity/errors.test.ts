import { CAPACITY_CODES, planCapacity } from "../../lib/capacity";
import type { CapacityInput } from "../../lib/capacity";
import { baseInput, capacityError } from "./helpers";

const tiny = { name: "tiny-1b", parametersBillions: 1, layers: 16, kvHeads: 8, headDim: 64, precision: "bf16" as const, maxContextTokens: 4096 };

describe("planCapacity fails when", () => {
  it("several fields are invalid: lists every problem at once (types, ranges, unknown instance types)", () => {
    const bad = {
      workload: { peakRequestsPerSecond: -5, promptTokens: { mean: 400 }, outputTokens: { mean: "lots" }, slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.1, availability: 1.5 } },
      model: { name: "x", parametersBillions: 8, layers: 32, kvHeads: 8, headDim: 128, precision: "fp4", maxContextTokens: 8192 },
      gpu: { instanceTypes: ["p5.48xlarge", "p9.huge"] },
      availabilityZones: 0,
    } as unknown as CapacityInput;
    const e = capacityError(() => planCapacity(bad));
    expect(e.problems.map((p) => [p.code, p.path])).toEqual([
      [CAPACITY_CODES.invalidField, "workload.peakRequestsPerSecond"],
      [CAPACITY_CODES.invalidField, "workload.outputTokens.mean"],
      [CAPACITY_CODES.invalidField, "workload.slo.availability"],
      [CAPACITY_CODES.invalidField, "model.precision"],
      [CAPACITY_CODES.invalidField, "availabilityZones"],
      [CAPACITY_CODES.unknownInstanceType, "gpu.instanceTypes[1]"],
    ]);
    expect(e.message).toContain('gpu.instanceTypes[1] [CAPACITY_UNKNOWN_INSTANCE_TYPE]: got "p9.huge"; allowed: one of g5.xlarge');
    expect(e.message).toContain('model.precision [CAPACITY_FIELD_INVALID]: got "fp4"; allowed: one of "bf16", "fp16", "fp8", "int4"');
  });

  it("the removed cacheHitRatio is an error that names its replacement", () => {
    const raw = { ...baseInput(), workload: { ...baseInput().workload, cacheHitRatio: 0.2 } } as unknown as CapacityInput;
    const e = capacityError(() => planCapacity(raw));
    expect(e.codes).toEqual([CAPACITY_CODES.removedField]);
    expect(e.message).toContain("workload.cacheHitRatio [CAPACITY_FIELD_REMOVED]");
    expect(e.message).toContain("workload.prefixCache { promptTokenHitShare, routing? }");
  });

  it("the input is not an object", () => {
    expect(capacityError(() => planCapacity(null as unknown as CapacityInput)).codes).toEqual([CAPACITY_CODES.invalidField]);
  });

  it("prompt + output exceed the context", () => {
    const e = capacityError(() => planCapacity(baseInput({ model: { ...baseInput().model, maxContextTokens: 1000 } })));
    expect(e.codes).toContain(CAPACITY_CODES.contextTooShort);
    expect(e.message).toContain("at least promptTokens.mean + outputTokens.mean = 1050");
  });

  it("the model fits no GPU at its precision: names the per-GPU memory needed, only GPU types that fit, and lower precisions", () => {
    const e = capacityError(() => planCapacity(baseInput({ model: { name: "meta-llama/Llama-3.1-405B", parametersBillions: 405, layers: 126, kvHeads: 8, headDim: 128, precision: "bf16", maxContextTokens: 8192 }, gpu: { instanceTypes: ["g6.12xlarge", "g5.48xlarge"] } })));
    expect(e.codes).toEqual([CAPACITY_CODES.modelDoesNotFit]);
    expect(e.message).toMatch(/at TP8 each GPU would need ~\d+(\.\d)? GiB/);
    // 810 GB of BF16 weights: 8x H200 (1.15 TB) and 8x B200 hold them, 8x H100 (655 GB) does not.
    expect(e.message).toContain("p5en.48xlarge");
    expect(e.message).toContain("p6-b200.48xlarge");
    expect(e.message).not.toContain("p5.48xlarge");
    expect(e.message).not.toContain("p4de.24xlarge");
    expect(e.message).toContain("quantize to fp8 or int4");
  });

  it("an fp8 model that fits no GPU is never told to use fp8, and a too-small GPU is never suggested", () => {
    const e = capacityError(() => planCapacity(baseInput({ model: { name: "meta-llama/Llama-3.1-405B-FP8", parametersBillions: 405, layers: 126, kvHeads: 8, headDim: 128, precision: "fp8", maxContextTokens: 8192 }, gpu: { instanceTypes: ["g6e.48xlarge"] } })));
    expect(e.codes).toEqual([CAPACITY_CODES.modelDoesNotFit]);
    const hint = e.problems[0]?.allowed ?? "";
    expect(hint).not.toMatch(/\bfp8\b/);
    expect(hint).toContain("quantize to int4");
    // 405 GB of FP8 weights fit 8x H100 80 GB, 8x H200 and 8x B200 but not 8x A100 40 GB.
    expect(hint).toContain("p5.48xlarge");
    expect(hint).not.toContain("p4d.24xlarge");
    expect(hint).not.toContain("g5.48xlarge");
  });

  it("a model that fits no catalog GPU at any precision says so instead of naming GPUs that are too small", () => {
    const e = capacityError(() => planCapacity(baseInput({ model: { name: "huge-10t", parametersBillions: 10_000, layers: 200, kvHeads: 16, headDim: 128, precision: "int4", maxContextTokens: 8192 } })));
    expect(e.codes).toEqual([CAPACITY_CODES.modelDoesNotFit]);
    expect(e.problems[0]?.allowed).toContain("no catalog GPU holds these weights at int4");
    expect(e.problems[0]?.allowed).not.toMatch(/p5en|p6-b200|quantize/);
  });

  it("unknown keys anywhere in the input are errors with a did-you-mean hint", () => {
    const raw = JSON.parse(JSON.stringify(baseInput())) as Record<string, Record<string, unknown>>;
    (raw.workload as Record<string, unknown>).peakRequestPerSecond = 10;
    (raw.workload.slo as Record<string, unknown>).ttftP99Second = 1;
    (raw.model as Record<string, unknown>).kvHead = 8;
    raw.availabilityZone = 2 as unknown as Record<string, unknown>;
    (raw as Record<string, unknown>).colour = "blue";
    const e = capacityError(() => planCapacity(raw as unknown as CapacityInput));
    const unknown = e.problems.filter((p) => p.code === CAPACITY_CODES.unknownField).map((p) => p.path).sort();
    expect(unknown).toEqual(["availabilityZone", "colour", "model.kvHead", "workload.peakRequestPerSecond", "workload.slo.ttftP99Second"]);
    expect(e.message).toContain("workload.peakRequestPerSecond [CAPACITY_FIELD_UNKNOWN]: got 10; allowed: no such field; did you mean `peakRequestsPerSecond`?");
    expect(e.message).toContain("did you mean `kvHeads`?");
    expect(e.message).toContain("did you mean `availabilityZones`?");
    expect(e.problems.find((p) => p.path === "colour")?.allowed).toMatch(/^no such field; known fields: workload, model/);
  });

  it("a TPOT SLO below the floor of an fp8 model suggests int4, never fp8", () => {
    const e = capacityError(() => planCapacity(baseInput({}, { slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.001, availability: 0.999 } })));
    expect(e.problems[0]?.allowed).toContain("quantize to int4");
    expect(e.problems[0]?.allowed).not.toMatch(/\bfp8\b/);
  });

  it("the TPOT SLO is below the hardware floor: states the floor", () => {
    const e = capacityError(() => planCapacity(baseInput({}, { slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.001, availability: 0.999 } })));
    expect(e.codes).toEqual([CAPACITY_CODES.tpotBelowFloor]);
    expect(e.message).toMatch(/allowed: at least 0\.\d+ s: the unbatched TPOT p99 floor/);
  });

  it("the TTFT SLO is unreachable even with an empty queue", () => {
    const e = capacityError(() => planCapacity(baseInput({}, { slo: { ttftP99Seconds: 0.005, tpotP99Seconds: 0.1, availability: 0.999 } })));
    expect(e.codes).toEqual([CAPACITY_CODES.ttftUnreachable]);
    expect(e.message).toContain("empty-queue TTFT p99");
  });

  it("GPU nodes exceed the EKS managed node group quota (450)", () => {
    const e = capacityError(() => planCapacity(baseInput({ gpu: { instanceTypes: ["g6e.48xlarge"] } }, { peakRequestsPerSecond: 5000, baselineRequestsPerSecond: 1000 })));
    expect(e.codes).toEqual([CAPACITY_CODES.gpuNodeLimit]);
    expect(e.message).toContain("at most 450 nodes per EKS managed node group");
  });

  it("more than 15 read replicas would be needed", () => {
    const e = capacityError(() => planCapacity(baseInput({ model: tiny }, { peakRequestsPerSecond: 2000, baselineRequestsPerSecond: 500, readQueriesPerRequest: 1000, spike: undefined })));
    expect(e.codes).toEqual([CAPACITY_CODES.readReplicaLimit]);
    expect(e.message).toContain("at most 15 read replicas");
  });

  it("the write load exceeds the largest database class", () => {
    const e = capacityError(() => planCapacity(baseInput({ model: tiny }, { peakRequestsPerSecond: 2000, baselineRequestsPerSecond: 500, writeQueriesPerRequest: 100, spike: undefined })));
    expect(e.codes).toContain(CAPACITY_CODES.databaseWriteLimit);
  });

  it("Kafka would need more than 60 brokers", () => {
    const e = capacityError(() => planCapacity(baseInput({ model: tiny }, { peakRequestsPerSecond: 60, baselineRequestsPerSecond: 10, asyncShare: 1, payloadBytes: 100 * 1024 * 1024, spike: undefined })));
    // 100 MiB results kept for the result TTL overflow Redis too: both limits are reported at once.
    expect(e.codes).toEqual([CAPACITY_CODES.kafkaBrokerLimit, CAPACITY_CODES.redisLimit]);
    expect(e.message).toContain("at most 60 brokers per MSK cluster (KRaft; 30 with ZooKeeper)");
  });
});

import type { CapacityInput } from "../../lib/capacity";
import { CapacityError } from "../../lib/capacity";

/** A small valid input; override parts per test. */
export function baseInput(over: Partial<CapacityInput> = {}, workload: Partial<CapacityInput["workload"]> = {}): CapacityInput {
  return {
    workload: {
      peakRequestsPerSecond: 20,
      baselineRequestsPerSecond: 5,
      promptTokens: { mean: 800, p99: 3200 },
      outputTokens: { mean: 250, p99: 1000 },
      slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.1, availability: 0.999 },
      spike: { multiplier: 2, rampSeconds: 120, durationSeconds: 900 },
      asyncShare: 0.3,
      prefixCache: { promptTokenHitShare: 0.3 },
      maxQueueDelaySeconds: 900,
      ...workload,
    },
    model: { name: "meta-llama/Llama-3.1-70B-Instruct", parametersBillions: 70.6, layers: 80, kvHeads: 8, headDim: 128, precision: "fp8", maxContextTokens: 16384 },
    availabilityZones: 3,
    ...over,
  };
}

/** Runs `fn`, expects a CapacityError and returns it. */
export function capacityError(fn: () => unknown): CapacityError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CapacityError) return e;
    throw e;
  }
  throw new Error("expected a CapacityError, nothing was thrown");
}

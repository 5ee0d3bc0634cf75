import { ValidationError } from "../../lib/core/validation";
import { CUSTOM_METRIC_KV_CACHE_USAGE, CUSTOM_METRIC_QUEUE_DEPTH } from "../../lib/addons/constants";
import { InferenceAutoscaler, InferenceAutoscalerProps } from "../../lib/serving/inference-autoscaler";
import { onlyResource, synthJson } from "../helpers/synth";
import { workloadsTestStack } from "./helpers";

const PROPS: InferenceAutoscalerProps = {
  namespace: "inference",
  deploymentName: "inference",
  minReplicas: 3,
  maxReplicas: 10,
  targetQueueDepthPerReplica: 8,
  targetKvCacheUtilization: 0.8,
  scaleUp: { stabilizationWindowSeconds: 0, periodSeconds: 15, maxPodsPerPeriod: 4, maxPercentPerPeriod: 100 },
  scaleDown: { stabilizationWindowSeconds: 600, periodSeconds: 60, maxPodsPerPeriod: 1 },
};

function hpa(props: Partial<InferenceAutoscalerProps> = {}) {
  const stack = workloadsTestStack();
  new InferenceAutoscaler(stack, "Autoscaler", { ...PROPS, ...props });
  return onlyResource(synthJson(stack), "kubernetes_horizontal_pod_autoscaler_v2");
}

function codes(props: Partial<InferenceAutoscalerProps>): readonly string[] {
  try {
    new InferenceAutoscaler(workloadsTestStack(), "A", { ...PROPS, ...props });
  } catch (e) {
    if (e instanceof ValidationError) return e.codes;
    throw e;
  }
  return [];
}

describe("InferenceAutoscaler", () => {
  const base = hpa();

  test("bounds and target follow the props", () => {
    expect(base.spec.scale_target_ref).toEqual({ api_version: "apps/v1", kind: "Deployment", name: "inference" });
    expect([base.spec.min_replicas, base.spec.max_replicas]).toEqual([3, 10]);
    const other = hpa({ minReplicas: 2, maxReplicas: 7 });
    expect([other.spec.min_replicas, other.spec.max_replicas]).toEqual([2, 7]);
  });

  test("scales on queue depth and KV cache per pod, with CPU 70% as the fallback", () => {
    const [queue, kv, cpu] = base.spec.metric;
    expect(queue).toEqual({ type: "Pods", pods: { metric: { name: CUSTOM_METRIC_QUEUE_DEPTH }, target: { type: "AverageValue", average_value: "8000m" } } });
    expect(kv).toEqual({ type: "Pods", pods: { metric: { name: CUSTOM_METRIC_KV_CACHE_USAGE }, target: { type: "AverageValue", average_value: "800m" } } });
    expect(cpu).toEqual({ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: 70 } } });
    const other = hpa({ targetQueueDepthPerReplica: 2.5, targetKvCacheUtilization: 0.65, targetCpuUtilizationPercent: 60, queueMetricName: "q", kvCacheMetricName: "kv" });
    expect(other.spec.metric[0].pods).toEqual({ metric: { name: "q" }, target: { type: "AverageValue", average_value: "2500m" } });
    expect(other.spec.metric[1].pods.target.average_value).toBe("650m");
    expect(other.spec.metric[2].resource.target.average_utilization).toBe(60);
  });

  test("scale-up fast, scale-down slow", () => {
    const up = base.spec.behavior.scale_up[0];
    expect(up.stabilization_window_seconds).toBe(0);
    expect(up.select_policy).toBe("Max");
    expect(up.policy).toEqual([
      { type: "Pods", value: 4, period_seconds: 15 },
      { type: "Percent", value: 100, period_seconds: 15 },
    ]);
    const down = base.spec.behavior.scale_down[0];
    expect(down).toMatchObject({ stabilization_window_seconds: 600, select_policy: "Min", policy: [{ type: "Pods", value: 1, period_seconds: 60 }] });
    expect(hpa({ scaleDown: { stabilizationWindowSeconds: 300, periodSeconds: 120, maxPodsPerPeriod: 2 } }).spec.behavior.scale_down[0].policy[0]).toEqual({
      type: "Pods",
      value: 2,
      period_seconds: 120,
    });
  });

  test("fails when scale-down stabilization is below 300 s or min > max", () => {
    expect(codes({ scaleDown: { stabilizationWindowSeconds: 120, periodSeconds: 60, maxPodsPerPeriod: 1 } })).toEqual(["HPA_SCALE_DOWN_WINDOW"]);
    expect(codes({ minReplicas: 12 })).toEqual(["HPA_BOUNDS"]);
    expect(codes({ targetKvCacheUtilization: 1.5, targetCpuUtilizationPercent: 0 })).toEqual(["HPA_KV_CACHE_TARGET", "HPA_CPU_TARGET"]);
  });
});

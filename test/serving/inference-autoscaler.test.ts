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
  new InferenceAutoscaler(stack, "Autoscaler", { ...PROPS, engine: "hpa", ...props });
  return onlyResource(synthJson(stack), "kubernetes_horizontal_pod_autoscaler_v2");
}

/** The synthesized ScaledObject body (engine "keda") and whether a plain HPA was synthesized too. */
function scaledObject(props: Partial<InferenceAutoscalerProps> = {}) {
  const stack = workloadsTestStack();
  new InferenceAutoscaler(stack, "Autoscaler", { ...PROPS, ...props });
  const json = synthJson(stack);
  const manifest = onlyResource(json, "kubernetes_manifest").manifest;
  return { manifest, hpas: Object.keys(json.resource?.kubernetes_horizontal_pod_autoscaler_v2 ?? {}).length };
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

describe("InferenceAutoscaler (engine hpa)", () => {
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

  test("refuses a scheduled floor: a plain HPA has no clock", () => {
    expect(codes({ engine: "hpa", scheduledFloor: { startClockSeconds: 3600, endClockSeconds: 7200, minReplicas: 5 } })).toEqual(["HPA_SCHEDULED_FLOOR_ENGINE"]);
  });
});

describe("InferenceAutoscaler (engine keda, the default)", () => {
  const { manifest: base, hpas } = scaledObject();

  test("one ScaledObject targets the Deployment, and no plain HPA beside it", () => {
    expect(hpas).toBe(0);
    expect([base.apiVersion, base.kind]).toEqual(["keda.sh/v1alpha1", "ScaledObject"]);
    expect(base.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "inference" });
    expect([base.spec.minReplicaCount, base.spec.maxReplicaCount]).toEqual([3, 10]);
    // Never to zero: a model load takes minutes.
    expect(base.spec.idleReplicaCount).toBeUndefined();
    // KEDA's HPA keeps the Deployment's name, which dashboards and alerts select.
    expect(base.spec.advanced.horizontalPodAutoscalerConfig.name).toBe("inference");
  });

  test("queue and KV-cache triggers carry the same per-replica targets as the HPA's Pods metrics", () => {
    const [queue, kv, cpu] = base.spec.triggers;
    expect(queue).toMatchObject({ type: "prometheus", name: "queue-depth", metadata: { threshold: "8", ignoreNullValues: "false" } });
    expect(queue.metadata.serverAddress).toBe("http://kps-prometheus.monitoring.svc.cluster.local:9090");
    expect(queue.metadata.query).toBe('sum(sum by (pod) (vllm:num_requests_waiting{namespace="inference",pod=~"inference-[a-z0-9]+-[a-z0-9]+"}))');
    expect(kv).toMatchObject({ type: "prometheus", name: "kv-cache", metadata: { threshold: "0.8" } });
    expect(kv.metadata.query).toBe('sum(max by (pod) (vllm:kv_cache_usage_perc{namespace="inference",pod=~"inference-[a-z0-9]+-[a-z0-9]+"}))');
    // AverageValue (KEDA's default): the HPA divides the total by the replicas, as a Pods metric averages.
    expect(queue.metricType).toBeUndefined();
    expect(cpu).toEqual({ type: "cpu", name: "cpu", metricType: "Utilization", metadata: { value: "70" } });
    const other = scaledObject({ targetQueueDepthPerReplica: 2.5, targetKvCacheUtilization: 0.09, targetCpuUtilizationPercent: 60, prometheusUrl: "http://prom:9090" }).manifest;
    expect(other.spec.triggers.map((t: any) => t.metadata.threshold ?? t.metadata.value)).toEqual(["2.5", "0.09", "60"]);
    expect(other.spec.triggers[0].metadata.serverAddress).toBe("http://prom:9090");
  });

  test("the HPA behaviour KEDA creates is the plan's scale-up and scale-down", () => {
    const b = scaledObject({ scaleDown: { stabilizationWindowSeconds: 420, periodSeconds: 90, maxPodsPerPeriod: 2 } }).manifest.spec.advanced.horizontalPodAutoscalerConfig.behavior;
    expect(b.scaleUp).toEqual({
      stabilizationWindowSeconds: 0,
      selectPolicy: "Max",
      policies: [
        { type: "Pods", value: 4, periodSeconds: 15 },
        { type: "Percent", value: 100, periodSeconds: 15 },
      ],
    });
    expect(b.scaleDown).toEqual({ stabilizationWindowSeconds: 420, selectPolicy: "Min", policies: [{ type: "Pods", value: 2, periodSeconds: 90 }] });
  });

  test("a scheduled floor is a cron trigger in UTC holding minReplicas, rounded outwards to whole minutes", () => {
    expect(base.spec.triggers).toHaveLength(3);
    const { manifest } = scaledObject({ scheduledFloor: { startClockSeconds: 60_525, endClockSeconds: 79_230, minReplicas: 7 } });
    expect(manifest.spec.triggers[3]).toEqual({ type: "cron", name: "scheduled-floor", metadata: { timezone: "UTC", start: "48 16 * * *", end: "1 22 * * *", desiredReplicas: "7" } });
  });

  test("a window over midnight ends at the next day's clock time", () => {
    const { manifest } = scaledObject({ scheduledFloor: { startClockSeconds: 23 * 3600 + 30 * 60, endClockSeconds: 26 * 3600, minReplicas: 4 } });
    expect(manifest.spec.triggers[3].metadata).toMatchObject({ start: "30 23 * * *", end: "0 2 * * *" });
  });

  test("fails when the floor exceeds maxReplicas or its window is empty or a whole day", () => {
    expect(codes({ scheduledFloor: { startClockSeconds: 3600, endClockSeconds: 7200, minReplicas: 11 } })).toEqual(["HPA_SCHEDULED_FLOOR_REPLICAS"]);
    expect(codes({ scheduledFloor: { startClockSeconds: 3600, endClockSeconds: 3600, minReplicas: 5 } })).toEqual(["HPA_SCHEDULED_FLOOR_WINDOW"]);
    expect(codes({ scheduledFloor: { startClockSeconds: 3600, endClockSeconds: 3600 + 86_400, minReplicas: 5 } })).toEqual(["HPA_SCHEDULED_FLOOR_WINDOW"]);
    expect(codes({ engine: "knative" as never })).toEqual(["HPA_ENGINE"]);
  });
});

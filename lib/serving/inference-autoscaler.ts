import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { Construct } from "constructs";
import { CUSTOM_METRIC_KV_CACHE_USAGE, CUSTOM_METRIC_QUEUE_DEPTH } from "../addons/constants";
import { Problems } from "../core/validation";
import { standardLabels } from "./private/labels";
import { milliQuantity } from "./private/security";

/**
 * Custom-metric names the HPA reads from the custom metrics API: the names prometheus-adapter
 * (lib/addons) gives vLLM's `vllm:num_requests_waiting` and `vllm:kv_cache_usage_perc`.
 */
export const DEFAULT_QUEUE_METRIC = CUSTOM_METRIC_QUEUE_DEPTH;
/** See {@link DEFAULT_QUEUE_METRIC}. */
export const DEFAULT_KV_CACHE_METRIC = CUSTOM_METRIC_KV_CACHE_USAGE;

/** The smallest scale-down stabilization Headroom accepts (Kubernetes' default, 300 s). */
export const MIN_SCALE_DOWN_STABILIZATION_SECONDS = 300;

/** How fast the HPA adds replicas. */
export interface ScaleUpBehavior {
  /** Seconds of stabilization before scaling up (0 = react at once). */
  readonly stabilizationWindowSeconds: number;
  /** Length of one policy period, seconds. */
  readonly periodSeconds: number;
  /** Pods the HPA may add per period. */
  readonly maxPodsPerPeriod: number;
  /** Percent of current replicas the HPA may add per period (the larger of the two policies wins). */
  readonly maxPercentPerPeriod: number;
}

/** How slowly the HPA removes replicas. */
export interface ScaleDownBehavior {
  /** Seconds of stabilization before scaling down; at least 300. */
  readonly stabilizationWindowSeconds: number;
  /** Length of one policy period, seconds. */
  readonly periodSeconds: number;
  /** Pods the HPA may remove per period. */
  readonly maxPodsPerPeriod: number;
}

/** Props of {@link InferenceAutoscaler}. */
export interface InferenceAutoscalerProps {
  /** Namespace of the Deployment. */
  readonly namespace: string;
  /** Name of the Deployment to scale (also the HPA's name). */
  readonly deploymentName: string;
  /** Lower bound of replicas. */
  readonly minReplicas: number;
  /** Upper bound of replicas (at most what the GPU node group holds). */
  readonly maxReplicas: number;
  /** Target waiting requests per replica (average over pods). */
  readonly targetQueueDepthPerReplica: number;
  /** Target KV-cache use per replica as a fraction 0-1 (average over pods). */
  readonly targetKvCacheUtilization: number;
  /**
   * CPU utilization target in percent: the source article's fallback when the custom metrics are missing.
   * @default 70
   */
  readonly targetCpuUtilizationPercent?: number;
  /** Scale-up behaviour. */
  readonly scaleUp: ScaleUpBehavior;
  /** Scale-down behaviour. */
  readonly scaleDown: ScaleDownBehavior;
  /**
   * Custom metric name for waiting requests per pod.
   * @default DEFAULT_QUEUE_METRIC
   */
  readonly queueMetricName?: string;
  /**
   * Custom metric name for KV-cache use per pod (0-1).
   * @default DEFAULT_KV_CACHE_METRIC
   */
  readonly kvCacheMetricName?: string;
}

/**
 * An autoscaling/v2 HorizontalPodAutoscaler for the inference Deployment. It scales on
 * the two signals that saturate an LLM server first, the request queue and KV-cache
 * use per pod (custom Pods metrics from prometheus-adapter), with CPU utilization as the
 * source article's fallback; scale-up is fast, scale-down waits at least 300 s so a
 * loaded model is not thrown away between two bursts.
 *
 * @example
 * new InferenceAutoscaler(stack, "Autoscaler", {
 *   namespace: "inference", deploymentName: "inference", minReplicas: 3, maxReplicas: 12,
 *   targetQueueDepthPerReplica: 8, targetKvCacheUtilization: 0.8,
 *   scaleUp: { stabilizationWindowSeconds: 0, periodSeconds: 15, maxPodsPerPeriod: 4, maxPercentPerPeriod: 100 },
 *   scaleDown: { stabilizationWindowSeconds: 600, periodSeconds: 60, maxPodsPerPeriod: 1 },
 * });
 */
export class InferenceAutoscaler extends Construct {
  /** The HPA (`kubernetes_horizontal_pod_autoscaler_v2`). */
  public readonly resource: HorizontalPodAutoscalerV2;

  public constructor(scope: Construct, id: string, props: InferenceAutoscalerProps) {
    super(scope, id);
    const cpu = props.targetCpuUtilizationPercent ?? 70;
    const problems = new Problems(`InferenceAutoscaler '${id}'`);
    const okMin = problems.checkNumber("HPA_MIN_REPLICAS", "minReplicas", props.minReplicas, { min: 1, integer: true });
    const okMax = problems.checkNumber("HPA_MAX_REPLICAS", "maxReplicas", props.maxReplicas, { min: 1, integer: true });
    if (okMin && okMax && props.minReplicas > props.maxReplicas) {
      problems.add("HPA_BOUNDS", "minReplicas", props.minReplicas, `at most maxReplicas (${props.maxReplicas})`);
    }
    problems.checkNumber("HPA_QUEUE_TARGET", "targetQueueDepthPerReplica", props.targetQueueDepthPerReplica, { min: 0, exclusiveMin: true });
    problems.checkNumber("HPA_KV_CACHE_TARGET", "targetKvCacheUtilization", props.targetKvCacheUtilization, { min: 0, max: 1, exclusiveMin: true });
    problems.checkNumber("HPA_CPU_TARGET", "targetCpuUtilizationPercent", cpu, { min: 1, max: 100, integer: true });
    problems.checkNumber("HPA_SCALE_UP_WINDOW", "scaleUp.stabilizationWindowSeconds", props.scaleUp.stabilizationWindowSeconds, { min: 0, max: 3600, integer: true });
    problems.checkNumber("HPA_SCALE_UP_PERIOD", "scaleUp.periodSeconds", props.scaleUp.periodSeconds, { min: 1, max: 1800, integer: true });
    problems.checkNumber("HPA_SCALE_UP_PODS", "scaleUp.maxPodsPerPeriod", props.scaleUp.maxPodsPerPeriod, { min: 1, integer: true });
    problems.checkNumber("HPA_SCALE_UP_PERCENT", "scaleUp.maxPercentPerPeriod", props.scaleUp.maxPercentPerPeriod, { min: 1, integer: true });
    problems.checkNumber("HPA_SCALE_DOWN_WINDOW", "scaleDown.stabilizationWindowSeconds", props.scaleDown.stabilizationWindowSeconds, {
      min: MIN_SCALE_DOWN_STABILIZATION_SECONDS,
      max: 3600,
      integer: true,
    });
    problems.checkNumber("HPA_SCALE_DOWN_PERIOD", "scaleDown.periodSeconds", props.scaleDown.periodSeconds, { min: 1, max: 1800, integer: true });
    problems.checkNumber("HPA_SCALE_DOWN_PODS", "scaleDown.maxPodsPerPeriod", props.scaleDown.maxPodsPerPeriod, { min: 1, integer: true });
    problems.throwIfAny();

    this.resource = new HorizontalPodAutoscalerV2(this, "Resource", {
      metadata: { name: props.deploymentName, namespace: props.namespace, labels: standardLabels(props.deploymentName, "inference") },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: props.deploymentName },
        minReplicas: props.minReplicas,
        maxReplicas: props.maxReplicas,
        metric: [
          {
            type: "Pods",
            pods: {
              metric: { name: props.queueMetricName ?? DEFAULT_QUEUE_METRIC },
              target: { type: "AverageValue", averageValue: milliQuantity(props.targetQueueDepthPerReplica) },
            },
          },
          {
            type: "Pods",
            pods: {
              metric: { name: props.kvCacheMetricName ?? DEFAULT_KV_CACHE_METRIC },
              target: { type: "AverageValue", averageValue: milliQuantity(props.targetKvCacheUtilization) },
            },
          },
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: cpu } } },
        ],
        behavior: {
          scaleUp: [
            {
              stabilizationWindowSeconds: props.scaleUp.stabilizationWindowSeconds,
              selectPolicy: "Max",
              policy: [
                { type: "Pods", value: props.scaleUp.maxPodsPerPeriod, periodSeconds: props.scaleUp.periodSeconds },
                { type: "Percent", value: props.scaleUp.maxPercentPerPeriod, periodSeconds: props.scaleUp.periodSeconds },
              ],
            },
          ],
          scaleDown: [
            {
              stabilizationWindowSeconds: props.scaleDown.stabilizationWindowSeconds,
              selectPolicy: "Min",
              policy: [{ type: "Pods", value: props.scaleDown.maxPodsPerPeriod, periodSeconds: props.scaleDown.periodSeconds }],
            },
          ],
        },
      },
    });
  }
}

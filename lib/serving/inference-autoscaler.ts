import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { Construct } from "constructs";
import { CUSTOM_METRIC_KV_CACHE_USAGE, CUSTOM_METRIC_QUEUE_DEPTH, PROMETHEUS_URL, VLLM_KV_CACHE_METRIC, VLLM_QUEUE_METRIC } from "../addons/constants";
import { dailyWindowCron, DailyWindowCron } from "../core/daily-window";
import { Problems, ValidationError } from "../core/validation";
import { checkSchema, manifestFrom } from "../private/typed-manifest";
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

/**
 * What scales the inference Deployment.
 * - `keda`: a KEDA `ScaledObject` (KEDA creates and owns the HPA). Queue depth and KV-cache use come
 *   from `prometheus` triggers against the in-cluster Prometheus, CPU from a `cpu` trigger, and a
 *   declared daily peak from a `cron` trigger. Needs the KEDA add-on.
 * - `hpa`: a plain autoscaling/v2 HPA on the custom metrics prometheus-adapter serves. No scheduled
 *   floor (an HPA has no clock): for clusters without KEDA.
 */
export type AutoscalerEngine = "keda" | "hpa";

/** A daily floor of replicas (the plan's `autoscaling.scheduledFloor`), in UTC clock seconds. */
export interface ScheduledFloor {
  /** Start, seconds after midnight UTC (0-86,399). */
  readonly startClockSeconds: number;
  /** End, seconds after midnight UTC of the start's day; above 86,400 for a window over midnight. */
  readonly endClockSeconds: number;
  /** Replicas held at least during the window. */
  readonly minReplicas: number;
}

/** Props of {@link InferenceAutoscaler}. */
export interface InferenceAutoscalerProps {
  /**
   * What scales the Deployment (see {@link AutoscalerEngine}).
   * @default "keda"
   */
  readonly engine?: AutoscalerEngine;
  /**
   * A daily floor (KEDA `cron` trigger, timezone UTC, `desiredReplicas` = its `minReplicas`), so a
   * declared peak is pre-scaled before its ramp. Needs `engine: "keda"`.
   * @default none
   */
  readonly scheduledFloor?: ScheduledFloor;
  /**
   * Prometheus base URL the KEDA operator queries (`engine: "keda"`).
   * @default PROMETHEUS_URL (kube-prometheus-stack's in-cluster service)
   */
  readonly prometheusUrl?: string;
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
   * Custom metric name for waiting requests per pod (`engine: "hpa"`).
   * @default DEFAULT_QUEUE_METRIC
   */
  readonly queueMetricName?: string;
  /**
   * Custom metric name for KV-cache use per pod, 0-1 (`engine: "hpa"`).
   * @default DEFAULT_KV_CACHE_METRIC
   */
  readonly kvCacheMetricName?: string;
}

/**
 * Time zone of the cron trigger. Go's `time.LoadLocation` resolves "UTC" without a zone database,
 * so the operator image needs no tzdata for it; Karpenter's budget schedules are UTC as well.
 */
const CRON_TIMEZONE = "UTC";

/** Seconds between KEDA's checks of its triggers' activity (the HPA reads the metrics every 15 s on its own). */
const KEDA_POLLING_INTERVAL_SECONDS = 15;

/**
 * The PromQL a `prometheus` trigger sends: the total over the Deployment's pods, so the HPA's
 * `AverageValue` target (total / replicas) is the same per-replica figure as a `Pods` metric.
 * One value per pod first (`max by (pod)` for KV-cache use, `sum by (pod)` for the queue), as the
 * prometheus-adapter rules do: a tensor-parallel replica may export one engine's series per GPU.
 * The pod-name pattern (`<deployment>-<template hash>-<suffix>`) leaves out a canary Deployment
 * (`<deployment>-canary-...`), which is not autoscaled.
 */
export function replicaSumQuery(metric: string, perPod: "sum" | "max", namespace: string, deploymentName: string): string {
  const pods = `${deploymentName.replace(/[.]/g, "\\\\.")}-[a-z0-9]+-[a-z0-9]+`;
  return `sum(${perPod} by (pod) (${metric}{namespace="${namespace}",pod=~"${pods}"}))`;
}

/**
 * Autoscaling of the inference Deployment on the two signals that saturate an LLM server first, the
 * request queue and KV-cache use per replica, with CPU utilization as the source article's
 * fallback; scale-up is fast, scale-down waits at least 300 s so a loaded model is not thrown away
 * between two bursts.
 *
 * With `engine: "keda"` (the default) it is a KEDA `ScaledObject`: two `prometheus` triggers whose
 * thresholds are the same per-replica targets (`AverageValue`: the query's total over the pods /
 * replicas, what a `Pods` metric averages), a `cpu` trigger, and, for a declared daily peak, a
 * `cron` trigger in UTC whose `desiredReplicas` is the plan's scheduled floor. KEDA creates the HPA
 * (named like the Deployment, so dashboards and runbooks keep reading the same object) with the
 * behaviour given here; the HPA takes the largest of the triggers' replica counts, so the cron
 * trigger is a floor, never a cap. Queries that return nothing are errors (`ignoreNullValues:
 * false`), not zeros: like a missing custom metric, a lost scrape then blocks scale-down instead of
 * driving it. `minReplicaCount` is the floor at all hours; `idleReplicaCount` is not set (an LLM
 * server never scales to zero here: its model load takes minutes).
 *
 * With `engine: "hpa"` it is a plain autoscaling/v2 HPA on prometheus-adapter's custom `Pods`
 * metrics; a scheduled floor is then refused. Only one of the two may target a Deployment: KEDA's
 * admission webhook rejects a ScaledObject whose target another HPA already scales.
 *
 * @example
 * new InferenceAutoscaler(stack, "Autoscaler", {
 *   namespace: "inference", deploymentName: "inference", minReplicas: 3, maxReplicas: 12,
 *   targetQueueDepthPerReplica: 8, targetKvCacheUtilization: 0.8,
 *   scaleUp: { stabilizationWindowSeconds: 0, periodSeconds: 15, maxPodsPerPeriod: 4, maxPercentPerPeriod: 100 },
 *   scaleDown: { stabilizationWindowSeconds: 600, periodSeconds: 60, maxPodsPerPeriod: 1 },
 *   scheduledFloor: { startClockSeconds: 60_480, endClockSeconds: 79_200, minReplicas: 8 },
 * });
 */
export class InferenceAutoscaler extends Construct {
  /** The engine in effect. */
  public readonly engine: AutoscalerEngine;
  /** Name of the HorizontalPodAutoscaler that scales the Deployment (KEDA's, or the plain one). */
  public readonly hpaName: string;
  /** The plain HPA (`engine: "hpa"`). */
  public readonly hpa?: HorizontalPodAutoscalerV2;
  /** The KEDA ScaledObject (`kubernetes_manifest`, `engine: "keda"`). */
  public readonly scaledObject?: Manifest;
  /** The validated ScaledObject model (for review and tests). */
  public readonly scaledObjectModel?: ScaledObject;
  /** The scheduled floor's cron expressions, when one is set. */
  public readonly scheduledFloorCron?: DailyWindowCron;
  /** The HPA or the ScaledObject, whichever scales the Deployment. */
  public readonly resource: HorizontalPodAutoscalerV2 | Manifest;

  public constructor(scope: Construct, id: string, props: InferenceAutoscalerProps) {
    super(scope, id);
    const cpu = props.targetCpuUtilizationPercent ?? 70;
    const engine = props.engine ?? "keda";
    const problems = new Problems(`InferenceAutoscaler '${id}'`);
    if (engine !== "keda" && engine !== "hpa") problems.add("HPA_ENGINE", "engine", engine, `"keda" or "hpa"`);
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
    const floor = props.scheduledFloor;
    let floorCron: DailyWindowCron | undefined;
    if (floor) {
      if (engine === "hpa") {
        problems.add("HPA_SCHEDULED_FLOOR_ENGINE", "scheduledFloor", floor, `engine "keda" (a KEDA cron trigger holds the floor; a plain HPA has no clock), or no scheduledFloor`);
      }
      const okFloor = problems.checkNumber("HPA_SCHEDULED_FLOOR_REPLICAS", "scheduledFloor.minReplicas", floor.minReplicas, { min: 1, integer: true });
      if (okFloor && okMax && floor.minReplicas > props.maxReplicas) {
        problems.add("HPA_SCHEDULED_FLOOR_REPLICAS", "scheduledFloor.minReplicas", floor.minReplicas, `at most maxReplicas (${props.maxReplicas})`);
      }
      try {
        floorCron = dailyWindowCron(floor, "scheduledFloor");
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        problems.addAll(error.problems.map((p) => ({ ...p, code: "HPA_SCHEDULED_FLOOR_WINDOW" })));
      }
    }

    const labels = standardLabels(props.deploymentName, "inference");
    const behavior = {
      scaleUp: {
        stabilizationWindowSeconds: props.scaleUp.stabilizationWindowSeconds,
        selectPolicy: "Max",
        policies: [
          { type: "Pods", value: props.scaleUp.maxPodsPerPeriod, periodSeconds: props.scaleUp.periodSeconds },
          { type: "Percent", value: props.scaleUp.maxPercentPerPeriod, periodSeconds: props.scaleUp.periodSeconds },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: props.scaleDown.stabilizationWindowSeconds,
        selectPolicy: "Min",
        policies: [{ type: "Pods", value: props.scaleDown.maxPodsPerPeriod, periodSeconds: props.scaleDown.periodSeconds }],
      },
    };
    this.engine = engine;
    this.hpaName = props.deploymentName;
    if (engine === "keda") {
      const server = props.prometheusUrl ?? PROMETHEUS_URL;
      const prometheus = (name: string, query: string, threshold: number) => ({
        type: "prometheus",
        name,
        metadata: { serverAddress: server, query, threshold: String(threshold), ignoreNullValues: "false" },
      });
      this.scaledObjectModel = new ScaledObject({
        metadata: { name: props.deploymentName, namespace: props.namespace, labels },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: props.deploymentName },
          minReplicaCount: props.minReplicas,
          maxReplicaCount: props.maxReplicas,
          pollingInterval: KEDA_POLLING_INTERVAL_SECONDS,
          advanced: { horizontalPodAutoscalerConfig: { name: this.hpaName, behavior } },
          triggers: [
            prometheus("queue-depth", replicaSumQuery(VLLM_QUEUE_METRIC, "sum", props.namespace, props.deploymentName), props.targetQueueDepthPerReplica),
            prometheus("kv-cache", replicaSumQuery(VLLM_KV_CACHE_METRIC, "max", props.namespace, props.deploymentName), props.targetKvCacheUtilization),
            { type: "cpu", name: "cpu", metricType: "Utilization", metadata: { value: String(cpu) } },
            ...(floor && floorCron
              ? [{ type: "cron", name: "scheduled-floor", metadata: { timezone: CRON_TIMEZONE, start: floorCron.startCron, end: floorCron.endCron, desiredReplicas: String(floor.minReplicas) } }]
              : []),
          ],
        },
      });
      checkSchema(problems, "scaledObject", this.scaledObjectModel);
      problems.throwIfAny();
      this.scheduledFloorCron = floorCron;
      this.scaledObject = manifestFrom(this, "ScaledObject", this.scaledObjectModel);
      this.resource = this.scaledObject;
      return;
    }
    problems.throwIfAny();

    this.hpa = new HorizontalPodAutoscalerV2(this, "Resource", {
      metadata: { name: this.hpaName, namespace: props.namespace, labels },
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
              stabilizationWindowSeconds: behavior.scaleUp.stabilizationWindowSeconds,
              selectPolicy: "Max",
              policy: behavior.scaleUp.policies,
            },
          ],
          scaleDown: [
            {
              stabilizationWindowSeconds: behavior.scaleDown.stabilizationWindowSeconds,
              selectPolicy: "Min",
              policy: behavior.scaleDown.policies,
            },
          ],
        },
      },
    });
    this.resource = this.hpa;
  }
}

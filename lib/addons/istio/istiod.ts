import { AddonContext, AddonValidationContext, HelmAddon, HelmChart, PodSecurityLevel } from "../addon";
import { Problem } from "../../core/validation";
import { ISTIO_SYSTEM_NAMESPACE, ISTIO_TRACING_PROVIDER, OTLP_GRPC_PORT, OTLP_HOST } from "../constants";
import { checkInt, requireAddon, resources, systemPlacement } from "../private/values";
import { ISTIO_BASE } from "./istio-base";
import { ISTIO_CNI } from "./istio-cni";
import { ISTIO_IMAGE_HUB, ISTIO_REPOSITORY, ISTIO_VERSION } from "./version";

/** Add-on name of {@link Istiod}. */
export const ISTIOD = "istiod";
/** Chart pin: Istio `istiod`. */
export const ISTIOD_CHART: HelmChart = { chart: "istiod", repository: ISTIO_REPOSITORY, version: ISTIO_VERSION };

/** Options of {@link Istiod}. */
export interface IstiodOptions {
  /**
   * Percentage (0-100) of requests traced; 0 turns tracing off.
   * @default 1
   */
  readonly tracingSamplingPercent?: number;
  /**
   * Minimum istiod replicas (HPA minimum; the maximum is twice it).
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Implement the Gateway API Inference Extension (HTTPRoute backends of kind `InferencePool`)
   * through pilot's `ENABLE_GATEWAY_API_INFERENCE_EXTENSION`; without it Istio ignores those backends.
   * @default true
   */
  readonly inferenceExtension?: boolean;
}

/**
 * `istiod`, the Istio control plane, with the mesh settings the serving tier relies on:
 * tracing through the OpenTelemetry extension provider to the Jaeger OTLP receiver
 * ({@link OTLP_HOST}:{@link OTLP_GRPC_PORT}) at the environment's sampling rate, JSON access logs
 * on stdout, `holdApplicationUntilProxyStarts` so an inference pod never sends (or is sent)
 * traffic before its sidecar is ready, and `cni.enabled` so the injector relies on `IstioCni`
 * and adds the unprivileged `istio-validation` init container instead of `istio-init`.
 *
 * Sampling is set mesh-wide through `traceSampling` (PILOT_TRACE_SAMPLING, a percentage),
 * which is the default a `Telemetry` resource naming {@link ISTIO_TRACING_PROVIDER} falls back to.
 *
 * @example
 * new Istiod({ tracingSamplingPercent: 5 })
 */
export class Istiod extends HelmAddon {
  public readonly name = ISTIOD;
  public readonly chart = ISTIOD_CHART;
  public readonly namespace = ISTIO_SYSTEM_NAMESPACE;
  public readonly podSecurity: PodSecurityLevel = "restricted";
  // istio-cni: without the node agent, injected pods get the NET_ADMIN/NET_RAW `istio-init` container
  // that "restricted" namespaces refuse.
  public override readonly dependencies = [ISTIO_BASE, ISTIO_CNI];

  public constructor(private readonly opts: IstiodOptions = {}) {
    super(opts, ["tracingSamplingPercent", "minReplicas", "inferenceExtension"]);
  }

  /** Sampling percentage in effect. */
  public get samplingPercent(): number {
    return this.opts.tracingSamplingPercent ?? 1;
  }

  protected override validateOptions(ctx: AddonValidationContext): Problem[] {
    const problems: Problem[] = [];
    const p = this.samplingPercent;
    if (typeof p !== "number" || !Number.isFinite(p) || p < 0 || p > 100) {
      problems.push({ code: "ADDON_TRACING_SAMPLING", path: `addons.${this.name}.tracingSamplingPercent`, value: p, allowed: "a number from 0 to 100" });
    } else if (p > 0) {
      requireAddon(problems, (n) => ctx.has(n), this.name, "jaeger", "tracing is on and istiod exports spans to Jaeger's OTLP receiver");
    }
    checkInt(problems, "ADDON_REPLICAS", `addons.${this.name}.minReplicas`, this.opts.minReplicas ?? 2, 1, 10);
    return problems;
  }

  public values(ctx: AddonContext): Record<string, unknown> {
    const min = this.opts.minReplicas ?? 2;
    const tracing = this.samplingPercent > 0;
    const placement = systemPlacement(ctx);
    // Istio 1.24+ charts keep their defaults under `_internal_defaults_do_not_set` and read overrides
    // at the top level (formerly under `pilot`).
    return {
      autoscaleEnabled: true,
      autoscaleMin: min,
      autoscaleMax: min * 2,
      replicaCount: min,
      traceSampling: this.samplingPercent,
      // The injector ConfigMap passes this top-level `cni` to the injection template as `pilot.cni`,
      // which picks `istio-validation` over the privileged `istio-init`.
      cni: { enabled: true, provider: "default" },
      resources: resources("500m", "2Gi"),
      // The chart hard-codes the discovery container's other restricted fields but renders a
      // seccompProfile only from this value; without it "restricted" istio-system refuses the pod.
      seccompProfile: { type: "RuntimeDefault" },
      // istiod's container environment (the chart's top-level `env`).
      ...((this.opts.inferenceExtension ?? true) ? { env: { ENABLE_GATEWAY_API_INFERENCE_EXTENSION: "true" } } : {}),
      nodeSelector: placement.nodeSelector,
      tolerations: placement.tolerations,
      global: {
        // Pinned images (pilot here; proxyv2 for every injected sidecar and the gateway).
        hub: ISTIO_IMAGE_HUB,
        tag: ISTIO_VERSION,
        proxy: {
          // Sidecar defaults; the inference pods override them with annotations when the plan asks.
          // `cpu: null` deletes the chart's 2-CPU limit from the merged values (Helm drops null keys):
          // no CPU limit on the proxy, as on every container here, because CFS throttling adds tail latency.
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: null, memory: "1Gi" } },
          seccompProfile: { type: "RuntimeDefault" },
        },
      },
      meshConfig: {
        accessLogFile: "/dev/stdout",
        accessLogEncoding: "JSON",
        enableTracing: tracing,
        defaultConfig: { holdApplicationUntilProxyStarts: true },
        extensionProviders: [
          { name: ISTIO_TRACING_PROVIDER, opentelemetry: { service: OTLP_HOST, port: OTLP_GRPC_PORT } },
        ],
        ...(tracing ? { defaultProviders: { tracing: [ISTIO_TRACING_PROVIDER] } } : {}),
      },
    };
  }
}

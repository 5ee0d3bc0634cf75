import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Telemetry } from "@kubernetes-models/istio/telemetry.istio.io/v1alpha1/Telemetry";
import { Construct } from "constructs";
import { ISTIO_SYSTEM_NAMESPACE, ISTIO_TRACING_PROVIDER } from "../addons/constants";
import { Problems } from "../core/validation";
import { checkSchema, manifestFrom, observabilityLabels } from "./private/manifest";

/** Properties of {@link MeshTracing}. */
export interface MeshTracingProps {
  /**
   * Percentage (0-100) of requests the mesh samples; 0 turns span reporting off.
   * Tracing every request of a high-rate service costs collector capacity and storage.
   */
  readonly samplingPercent: number;
  /**
   * Name of the tracing extension provider defined in istiod's mesh config.
   * @default ISTIO_TRACING_PROVIDER ("otel-tracing", the OTLP exporter to Jaeger)
   */
  readonly provider?: string;
  /** Namespace of the resource; istio-system makes it mesh-wide. @default ISTIO_SYSTEM_NAMESPACE */
  readonly namespace?: string;
}

/**
 * The mesh-wide Istio `Telemetry` resource (`mesh-default` in istio-system): every
 * sidecar and gateway reports spans to the OpenTelemetry provider istiod defines,
 * at the environment's sampling rate. Spans link the gateway, the inference
 * service and the async worker, the article's "call topology and error propagation".
 *
 * @example
 * new MeshTracing(this, "Tracing", { samplingPercent: 1 });
 */
export class MeshTracing extends Construct {
  /** The `kubernetes_manifest` (escape hatch). */
  public readonly resource: Manifest;

  public constructor(scope: Construct, id: string, props: MeshTracingProps) {
    super(scope, id);
    const problems = new Problems(`MeshTracing '${this.node.path}' props`);
    problems.checkNumber("OBS_TRACING_SAMPLING", "samplingPercent", props.samplingPercent, { min: 0, max: 100 });
    const provider = props.provider ?? ISTIO_TRACING_PROVIDER;
    if (provider.trim() === "") problems.add("OBS_TRACING_PROVIDER", "provider", provider, "the name of an extension provider in istiod's meshConfig");
    const model = new Telemetry({
      metadata: { name: "mesh-default", namespace: props.namespace ?? ISTIO_SYSTEM_NAMESPACE, labels: observabilityLabels("tracing") },
      spec: {
        tracing: [
          {
            providers: [{ name: provider }],
            randomSamplingPercentage: props.samplingPercent,
            disableSpanReporting: props.samplingPercent === 0,
          },
        ],
      },
    });
    checkSchema(problems, "Telemetry", model);
    problems.throwIfAny();
    this.resource = manifestFrom(this, "Resource", model);
  }
}

/** Where a pod sends its OpenTelemetry traces, metrics and logs. */
export interface OtelProps {
  /** OTLP endpoint, e.g. `http://otel-collector.observability:4317` (may be a Terraform token). */
  readonly endpoint: string;
  /**
   * OTLP protocol.
   * @default "grpc"
   */
  readonly protocol?: "grpc" | "http/protobuf";
  /**
   * `service.name`.
   * @default the workload's name
   */
  readonly serviceName?: string;
  /**
   * Extra resource attributes, e.g. `{ "deployment.environment": "prod" }`.
   * @default none
   */
  readonly resourceAttributes?: Readonly<Record<string, string>>;
}

/**
 * The standard OpenTelemetry SDK environment. W3C tracecontext plus B3 propagation
 * lets an application span continue the trace the Istio sidecar started (Envoy
 * forwards `traceparent` and `x-b3-*`).
 */
export function otelEnv(otel: OtelProps, defaultServiceName: string, extraAttributes: Readonly<Record<string, string>>): { name: string; value: string }[] {
  const attributes = { ...extraAttributes, ...(otel.resourceAttributes ?? {}) };
  return [
    { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: otel.endpoint },
    { name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: otel.protocol ?? "grpc" },
    { name: "OTEL_SERVICE_NAME", value: otel.serviceName ?? defaultServiceName },
    { name: "OTEL_PROPAGATORS", value: "tracecontext,baggage,b3multi" },
    {
      name: "OTEL_RESOURCE_ATTRIBUTES",
      value: Object.entries(attributes)
        .map(([k, v]) => `${k}=${v}`)
        .join(","),
    },
  ];
}

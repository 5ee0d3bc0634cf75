import { AddonContext, HelmAddon, HelmChart, PodSecurityLevel } from "../addon";
import { Problem } from "../../core/validation";
import { JAEGER_SERVICE, OTLP_GRPC_PORT, OTLP_HTTP_PORT, TRACING_NAMESPACE } from "../constants";
import { resources, restrictedContainer, restrictedPod, systemPlacement } from "../private/values";

/** Add-on name of {@link Jaeger}. */
export const JAEGER = "jaeger";
/**
 * Chart pin: jaegertracing `jaeger` 4.11.1 (Jaeger v2.19, built on the OpenTelemetry Collector). Its
 * all-in-one Deployment reads `jaeger.*` (resources, security contexts, placement) and one Service
 * named after `fullnameOverride` carries every port (OTLP 4317/4318, query 16686). Verified with the
 * render gate (`npm run helm:render`).
 */
export const JAEGER_CHART: HelmChart = { chart: "jaeger", repository: "https://jaegertracing.github.io/helm-charts", version: "4.11.1" };

/** Span storage of Jaeger. */
export type JaegerStorage =
  /** In-memory ring of traces; lost on restart. For dev. */
  | { readonly kind: "memory"; readonly maxTraces: number }
  /** An OpenSearch/Elasticsearch-compatible cluster (e.g. Amazon OpenSearch Service in the VPC). For prod. */
  | { readonly kind: "opensearch"; readonly serverUrls: readonly string[]; readonly indexPrefix?: string };

/** Options of {@link Jaeger}. */
export interface JaegerOptions {
  /**
   * Where spans are stored.
   * @default { kind: "memory", maxTraces: 50000 }
   */
  readonly storage?: JaegerStorage;
}

/**
 * Jaeger v2 (all-in-one: OTLP receiver, storage, query UI) receiving the spans istiod's
 * OpenTelemetry provider sends to {@link OTLP_HOST}:{@link OTLP_GRPC_PORT}. `fullnameOverride`
 * pins the Service name to {@link JAEGER_SERVICE}, which is what istiod and Grafana point at.
 *
 * Storage: in memory for dev (bounded by `maxTraces`, lost on restart); for prod an OpenSearch
 * endpoint. Badger on a volume is not offered: the chart's v2 Deployment mounts no data volume.
 *
 * @example
 * new Jaeger({ storage: { kind: "opensearch", serverUrls: ["https://search.example.internal:443"] } })
 */
export class Jaeger extends HelmAddon {
  public readonly name = JAEGER;
  public readonly chart = JAEGER_CHART;
  public readonly namespace = TRACING_NAMESPACE;
  public readonly podSecurity: PodSecurityLevel = "restricted";

  public constructor(private readonly opts: JaegerOptions = {}) {
    super(opts, ["storage"]);
  }

  private get storage(): JaegerStorage {
    return this.opts.storage ?? { kind: "memory", maxTraces: 50_000 };
  }

  protected override validateOptions(): Problem[] {
    const problems: Problem[] = [];
    const s = this.storage;
    const path = `addons.${this.name}.storage`;
    if (s.kind === "memory") {
      if (!Number.isInteger(s.maxTraces) || s.maxTraces < 1000 || s.maxTraces > 1_000_000) {
        problems.push({ code: "ADDON_JAEGER_STORAGE", path: `${path}.maxTraces`, value: s.maxTraces, allowed: "an integer from 1000 to 1000000" });
      }
    } else if (s.kind === "opensearch") {
      if (s.serverUrls.length === 0 || s.serverUrls.some((u) => !u.startsWith("https://"))) {
        problems.push({ code: "ADDON_JAEGER_STORAGE", path: `${path}.serverUrls`, value: s.serverUrls, allowed: "one or more https:// URLs (TLS to the span store)" });
      }
    } else {
      problems.push({ code: "ADDON_JAEGER_STORAGE", path: `${path}.kind`, value: (s as { kind: unknown }).kind, allowed: 'one of "memory", "opensearch"' });
    }
    return problems;
  }

  /** The Jaeger v2 (OpenTelemetry Collector) configuration. */
  public config(): Record<string, unknown> {
    const s = this.storage;
    const backend =
      s.kind === "memory"
        ? { memory: { max_traces: s.maxTraces } }
        : { opensearch: { server_urls: [...s.serverUrls], indices: { index_prefix: s.indexPrefix ?? "headroom" } } };
    return {
      service: {
        extensions: ["jaeger_storage", "jaeger_query", "healthcheckv2"],
        pipelines: { traces: { receivers: ["otlp"], processors: ["batch"], exporters: ["jaeger_storage_exporter"] } },
      },
      extensions: {
        healthcheckv2: { use_v2: true, http: { endpoint: "0.0.0.0:13133" } },
        jaeger_query: { storage: { traces: "primary_store" } },
        jaeger_storage: { backends: { primary_store: backend } },
      },
      receivers: {
        otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` }, http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` } } },
      },
      processors: { batch: {} },
      exporters: { jaeger_storage_exporter: { trace_storage: "primary_store" } },
    };
  }

  public values(ctx: AddonContext): Record<string, unknown> {
    const memoryMiB = this.storage.kind === "memory" ? Math.max(512, Math.ceil(this.storage.maxTraces / 50)) : 512;
    return {
      fullnameOverride: JAEGER_SERVICE,
      jaeger: {
        enabled: true,
        resources: resources("200m", `${memoryMiB}Mi`),
        podSecurityContext: restrictedPod(10001, 10001),
        securityContext: restrictedContainer(),
        ...systemPlacement(ctx),
      },
      // 4.11.1 writes this map with toYaml into the ConfigMap the container reads with --config.
      userconfig: this.config(),
    };
  }
}

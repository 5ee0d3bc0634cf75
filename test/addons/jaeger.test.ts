import { JAEGER_CHART, Jaeger } from "../../lib/addons";
import { release, synthAddons, validationError, valuesOf } from "./helpers";

describe("Jaeger", () => {
  test("pinned v2 chart; dev default keeps traces in memory", () => {
    const { json } = synthAddons([new Jaeger()]);
    const r = release(json, "jaeger");
    expect([r.chart, r.version, r.repository, r.namespace]).toEqual(["jaeger", JAEGER_CHART.version, "https://jaegertracing.github.io/helm-charts", "observability"]);
    const v = valuesOf(json, "jaeger");
    expect(v.userconfig.extensions.jaeger_storage.backends.primary_store).toEqual({ memory: { max_traces: 50000 } });
    expect(v.userconfig.receivers.otlp.protocols.grpc.endpoint).toBe("0.0.0.0:4317");
    expect(JAEGER_CHART.version).toBe("4.11.1");
    // 4.11.1 has no provisionDataStore; storage is the userconfig's jaeger_storage extension only.
    expect(v.provisionDataStore).toBeUndefined();
    expect(v.jaeger.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(v.jaeger.nodeSelector).toEqual({ "headroom.dev/node-role": "system" });
  });

  test("memory request follows the trace bound", () => {
    const v = valuesOf(synthAddons([new Jaeger({ storage: { kind: "memory", maxTraces: 200_000 } })]).json, "jaeger");
    expect(v.jaeger.resources.requests.memory).toBe("4000Mi");
    expect(v.userconfig.extensions.jaeger_storage.backends.primary_store.memory.max_traces).toBe(200_000);
  });

  test("prod stores spans in OpenSearch over TLS", () => {
    const v = valuesOf(synthAddons([new Jaeger({ storage: { kind: "opensearch", serverUrls: ["https://vpc-traces.es.amazonaws.com"], indexPrefix: "prod" } })]).json, "jaeger");
    expect(v.userconfig.extensions.jaeger_storage.backends.primary_store).toEqual({
      opensearch: { server_urls: ["https://vpc-traces.es.amazonaws.com"], indices: { index_prefix: "prod" } },
    });
  });

  test("plaintext or empty storage endpoints and tiny bounds are rejected", () => {
    expect(validationError(() => synthAddons([new Jaeger({ storage: { kind: "opensearch", serverUrls: ["http://x:9200"] } })])).codes).toEqual(["ADDON_JAEGER_STORAGE"]);
    expect(validationError(() => synthAddons([new Jaeger({ storage: { kind: "memory", maxTraces: 5 } })])).codes).toEqual(["ADDON_JAEGER_STORAGE"]);
  });
});

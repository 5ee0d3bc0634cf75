import { InferenceService } from "../../lib/serving/inference-service";
import { ServingNetworkPolicies, ServingNetworkPoliciesProps } from "../../lib/serving/serving-network-policies";
import { resourcesOf, synthJson } from "../helpers/synth";
import { inferenceProps, workloadsTestStack } from "./helpers";

// Prometheus sits outside the mesh and the API port is STRICT mTLS, so vLLM's metrics are read
// through the Istio agent's merged endpoint (15020), which serves them from these annotations.
describe("inference pods announce vLLM's metrics to the Istio agent", () => {
  test.each([8000, 9000])("stable and canary pods name the API port %i and /metrics", (port) => {
    const stack = workloadsTestStack();
    new InferenceService(stack, "Inference", inferenceProps({ port, replicas: 5, canary: { image: "vllm/vllm-openai:v0.12.1" } }));
    const deployments = Object.values(resourcesOf(synthJson(stack), "kubernetes_deployment_v1")) as any[];
    expect(deployments).toHaveLength(2);
    for (const d of deployments) {
      const annotations = d.spec.template.metadata.annotations;
      expect(annotations).toMatchObject({ "prometheus.io/scrape": "true", "prometheus.io/port": String(port), "prometheus.io/path": "/metrics" });
      // The annotated port is the server's API port (the one /metrics is served on).
      expect(d.spec.template.spec.container[0].port).toEqual([{ name: "http", container_port: port, protocol: "TCP" }]);
    }
  });
});

const PROPS: ServingNetworkPoliciesProps = {
  inference: { namespace: "inference", podLabels: { "app.kubernetes.io/name": "inference" }, port: 8000 },
  workers: { namespace: "workers", podLabels: { "app.kubernetes.io/name": "inference-worker" }, healthPort: 8080 },
  kafka: { cidrs: ["10.0.64.0/20"], port: 9098 },
  redis: { cidrs: ["10.0.80.0/20"], port: 6379 },
};

function policies(props: ServingNetworkPoliciesProps): Record<string, any> {
  const stack = workloadsTestStack();
  new ServingNetworkPolicies(stack, "Net", props);
  return Object.fromEntries((Object.values(resourcesOf(synthJson(stack), "kubernetes_network_policy_v1")) as any[]).map((p) => [p.metadata.name, p]));
}

describe("Prometheus's way in", () => {
  test.each(["monitoring", "observability"])("only namespace %s reaches the inference pods, on 15020 only", (monitoringNamespace) => {
    const inference = policies({ ...PROPS, monitoringNamespace })["inference-server"];
    const fromMonitoring = inference.spec.ingress.filter((r: any) => r.ports.some((p: any) => p.port === "15020"));
    expect(fromMonitoring).toEqual([{ from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": monitoringNamespace } } }], ports: [{ port: "15020", protocol: "TCP" }] }]);
    // The mTLS-only API port is open to the gateway and the workers only, never to the monitoring namespace.
    const apiRules = inference.spec.ingress.filter((r: any) => r.ports.some((p: any) => p.port === "8000"));
    expect(apiRules).toHaveLength(1);
    expect(JSON.stringify(apiRules)).not.toContain(monitoringNamespace);
    // No other port (15090, the app's own metrics) is admitted from anywhere.
    const ports = inference.spec.ingress.flatMap((r: any) => r.ports.map((p: any) => p.port)).sort();
    expect(ports).toEqual(["15020", "8000"]);
  });

  test("workers, scraped on Envoy's own port, admit Prometheus on 15090 and their health port", () => {
    const workers = policies({ ...PROPS, workers: { ...PROPS.workers, healthPort: 9100 } })["inference-worker"];
    expect(workers.spec.ingress).toEqual([
      {
        from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "monitoring" } } }],
        ports: [
          { port: "9100", protocol: "TCP" },
          { port: "15090", protocol: "TCP" },
        ],
      },
    ]);
  });
});

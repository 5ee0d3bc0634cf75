import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack } from "cdktf";
import { InferenceServiceProps } from "../../lib/serving/inference-service";
import { testStack } from "../helpers/synth";

/** A test stack with a kubernetes provider, as the workloads stack has. */
export function workloadsTestStack(id = "test"): TerraformStack {
  const { stack } = testStack(id);
  new KubernetesProvider(stack, "kubernetes", { host: "https://example.invalid" });
  return stack;
}

/** Converts snake_case keys of a synthesized object to camelCase, recursively (Terraform JSON -> Kubernetes field names). */
export function camelKeys(value: unknown): any {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.includes("/") || k.includes(".") ? k : k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), camelKeys(v)]),
    );
  }
  return value;
}

/** Props of a prod-like vLLM service (70B, TP4, two replicas per p5 node), with `overrides`. */
export function inferenceProps(overrides: Partial<InferenceServiceProps> = {}): InferenceServiceProps {
  return {
    namespace: "inference",
    servedModelName: "llama-3.1-70b",
    region: "us-east-1",
    modelSource: { bucketName: "headroom-models", prefix: "meta-llama/Llama-3.1-70B-Instruct" },
    serviceAccountName: "inference",
    replicas: 6,
    gpusPerReplica: 4,
    maxConcurrentSequences: 64,
    gpuMemoryUtilization: 0.9,
    maxModelLenTokens: 8192,
    placement: { family: "p5", instanceType: "p5.48xlarge", maxNodes: 5, replicasPerNode: 2 },
    resources: { cpuCores: 80, memoryGiB: 800, modelVolumeGiB: 160 },
    modelLoadSeconds: 600,
    longestRequestSeconds: 62,
    otel: { endpoint: "http://jaeger.observability.svc.cluster.local:4317", resourceAttributes: { "deployment.environment": "prod" } },
    ...overrides,
  };
}

/** The minimal example of lib/serving/README.md, compiled by the type-check and synthesized here. */
import { TerraformStack } from "cdktf";
import { InferenceAutoscaler, InferenceService, WorkloadNamespace } from "../../lib/serving";
import { resourcesOf, synthJson } from "../helpers/synth";
import { workloadsTestStack } from "./helpers";

function readmeExample(stack: TerraformStack): void {
  const ns = new WorkloadNamespace(stack, "InferenceNamespace", { name: "inference" });
  const inference = new InferenceService(stack, "Inference", {
    namespace: ns.name,
    servedModelName: "llama-3.1-70b",
    region: "us-east-1",
    modelSource: { bucketName: "my-model-bucket", prefix: "meta-llama/Llama-3.1-70B-Instruct" },
    serviceAccountName: "inference",
    replicas: 6,
    gpusPerReplica: 4,
    maxConcurrentSequences: 64,
    gpuMemoryUtilization: 0.9,
    maxModelLenTokens: 8192,
    placement: { family: "p5", instanceType: "p5.48xlarge", maxNodes: 5, replicasPerNode: 2 },
    resources: { cpuCores: 80, memoryGiB: 868, modelVolumeGiB: 160 },
    modelLoadSeconds: 600,
    longestRequestSeconds: 62,
    otel: { endpoint: "http://jaeger.observability.svc.cluster.local:4317" },
  });
  new InferenceAutoscaler(stack, "Autoscaler", {
    namespace: ns.name,
    deploymentName: inference.name,
    minReplicas: 3,
    maxReplicas: 10,
    targetQueueDepthPerReplica: 8,
    targetKvCacheUtilization: 0.8,
    scaleUp: { stabilizationWindowSeconds: 0, periodSeconds: 15, maxPodsPerPeriod: 4, maxPercentPerPeriod: 100 },
    scaleDown: { stabilizationWindowSeconds: 600, periodSeconds: 60, maxPodsPerPeriod: 1 },
  });
}

test("the README example synthesizes", () => {
  const stack = workloadsTestStack();
  readmeExample(stack);
  const json = synthJson(stack);
  expect(Object.keys(resourcesOf(json, "kubernetes_deployment_v1"))).toHaveLength(1);
  // The autoscaler is a KEDA ScaledObject (KEDA creates the HPA in the cluster).
  expect(Object.values(resourcesOf(json, "kubernetes_manifest")).map((m: any) => m.manifest.kind)).toEqual(["ScaledObject"]);
  expect(Object.keys(resourcesOf(json, "kubernetes_horizontal_pod_autoscaler_v2"))).toHaveLength(0);
});

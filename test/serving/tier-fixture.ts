import { TerraformStack } from "cdktf";
import type { CapacityPlan } from "../../lib/capacity/types";
import { ServingTier, ServingTierProps } from "../../lib/serving/serving-tier";
import { servingPropsFromPlan } from "../../stacks/sizing";
import { synthJson, SynthesizedStack } from "../helpers/synth";
import { FIXTURE_PLAN } from "./fixtures";
import { workloadsTestStack } from "./helpers";

/** Endpoints as the foundation stack would hand them over (plain strings here). */
export const FOUNDATION = {
  modelBucket: "headroom-prod-models",
  brokers: "b-1.msk.example:9098,b-2.msk.example:9098,b-3.msk.example:9098",
  redisHost: "clustercfg.headroom-prod.abc123.use1.cache.amazonaws.com",
  redisGroupId: "headroom-prod",
  proxyWriter: "headroom-prod.proxy-abc.us-east-1.rds.amazonaws.com",
  proxyReader: "headroom-prod-ro.endpoint.proxy-abc.us-east-1.rds.amazonaws.com",
  dataCidrs: ["10.0.64.0/20", "10.0.80.0/20", "10.0.96.0/20"],
};

/** ServingTier props for `plan`, the way the workloads stack wires them. */
export function tierProps(plan: CapacityPlan = FIXTURE_PLAN, overrides: Partial<ServingTierProps> = {}): ServingTierProps {
  const s = servingPropsFromPlan(plan);
  return {
    production: true,
    region: "us-east-1",
    hosts: ["api.headroom.example"],
    tlsCredentialName: "api-headroom-example-tls",
    otelEndpoint: "http://jaeger.observability.svc.cluster.local:4317",
    resourceAttributes: { "deployment.environment": "prod" },
    inference: {
      servedModelName: plan.input.model.name,
      modelSource: { bucketName: FOUNDATION.modelBucket, prefix: plan.input.model.name },
      serviceAccountName: "inference",
      replicas: s.inference.replicas,
      gpusPerReplica: s.inference.gpusPerReplica,
      maxConcurrentSequences: s.inference.maxConcurrentSequences,
      gpuMemoryUtilization: s.inference.gpuMemoryUtilization,
      maxModelLenTokens: s.inference.maxModelLenTokens,
      placement: s.inference.placement,
      resources: { ...(s.inference.hostResources ?? { cpuCores: 80, memoryGiB: 900 }), modelVolumeGiB: s.inference.modelVolumeGiB },
      modelLoadSeconds: s.inference.modelLoadSeconds,
      longestRequestSeconds: s.inference.longestRequestSeconds,
      kvCache: { cpuOffloadGiB: s.inference.kvCpuOffloadGiB },
    },
    endpointPicker: s.endpointPicker,
    apiServerCidrs: FOUNDATION.dataCidrs,
    autoscaling: s.autoscaler,
    kafka: {
      bootstrapBrokers: FOUNDATION.brokers,
      cidrs: FOUNDATION.dataCidrs,
      topics: s.topics,
      topicJobImage: "123456789012.dkr.ecr.us-east-1.amazonaws.com/kafka-msk-cli:3.9.1-iam2.3.2",
    },
    worker: {
      image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/inference-worker:1.4.2",
      serviceAccountName: "inference-worker",
      kafka: {
        requestTopic: s.worker.requestTopic,
        resultTopic: s.worker.resultTopic,
        deadLetterTopic: s.worker.deadLetterTopic,
        requestTopicPartitions: s.worker.requestTopicPartitions,
      },
      redis: { host: FOUNDATION.redisHost, port: "6379", iamUserName: "inference-worker", replicationGroupId: FOUNDATION.redisGroupId },
      database: { writerEndpoint: FOUNDATION.proxyWriter, readerEndpoint: FOUNDATION.proxyReader, databaseName: "headroom", user: "inference_worker" },
      requestTimeoutSeconds: s.worker.requestTimeoutSeconds,
      concurrencyPerWorker: s.worker.concurrencyPerWorker,
      minReplicas: s.worker.minReplicas,
      maxReplicas: s.worker.maxReplicas,
      lagThreshold: s.worker.lagThreshold,
      pollingIntervalSeconds: s.worker.pollingIntervalSeconds,
      cooldownSeconds: s.worker.cooldownSeconds,
    },
    redisCidrs: FOUNDATION.dataCidrs,
    databaseCidrs: FOUNDATION.dataCidrs,
    traffic: { ...s.trafficPolicy, clientProxies: 3 },
    admission: { ...s.admission, gatewayReplicas: 3 },
    ...overrides,
  };
}

/** Synthesizes a ServingTier for `plan`. */
export function synthTier(plan: CapacityPlan = FIXTURE_PLAN, overrides: Partial<ServingTierProps> = {}): { stack: TerraformStack; tier: ServingTier; json: SynthesizedStack } {
  const stack = workloadsTestStack();
  const tier = new ServingTier(stack, "Serving", tierProps(plan, overrides));
  return { stack, tier, json: synthJson(stack) };
}

/** The `manifest` objects of every kubernetes_manifest, by kind. */
export function manifestsByKind(json: SynthesizedStack): Record<string, any[]> {
  const out: Record<string, any[]> = {};
  for (const m of Object.values(json.resource?.kubernetes_manifest ?? {})) {
    const manifest = (m as any).manifest;
    (out[manifest.kind] ??= []).push(manifest);
  }
  return out;
}

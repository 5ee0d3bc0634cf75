import { ValidationError } from "../../lib/core/validation";
import { ServingTier } from "../../lib/serving/serving-tier";
import { resourcesOf } from "../helpers/synth";
import { editedPlan, FIXTURE_PLAN } from "./fixtures";
import { workloadsTestStack } from "./helpers";
import { FOUNDATION, manifestsByKind, synthTier, tierProps } from "./tier-fixture";

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

/** The numbers of the tier that must follow the plan. */
function planDrivenNumbers(json: any) {
  const deployment = Object.values(resourcesOf(json, "kubernetes_deployment_v1")).find((d: any) => d.metadata.name === "inference") as any;
  const args: string[] = deployment.spec.template.spec.container[0].args;
  const manifests = manifestsByKind(json);
  // Two ScaledObjects: the inference server's (queue, KV cache, CPU) and the workers' (Kafka lag).
  const inferenceScaler = manifests.ScaledObject.find((o: any) => o.metadata.name === "inference");
  const scaled = manifests.ScaledObject.find((o: any) => o.metadata.name !== "inference");
  const dr = manifests.DestinationRule.find((d: any) => d.metadata.name === "inference");
  const vs = manifests.VirtualService[0];
  const bucket = manifests.EnvoyFilter[0].spec.configPatches[0].patch.value.typed_config.token_bucket;
  return {
    replicas: deployment.spec.replicas,
    gpus: deployment.spec.template.spec.container[0].resources.limits["nvidia.com/gpu"],
    tensorParallel: args[args.indexOf("--tensor-parallel-size") + 1],
    maxNumSeqs: args[args.indexOf("--max-num-seqs") + 1],
    hpaMin: inferenceScaler.spec.minReplicaCount,
    hpaMax: inferenceScaler.spec.maxReplicaCount,
    kedaLag: scaled.spec.triggers[0].metadata.lagThreshold,
    kedaMin: scaled.spec.minReplicaCount,
    kedaMax: scaled.spec.maxReplicaCount,
    maxRequests: dr.spec.trafficPolicy.connectionPool.http.http2MaxRequests,
    maxPending: dr.spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests,
    timeout: vs.spec.http[0].timeout,
    tokensPerFill: bucket.tokens_per_fill,
  };
}

describe("ServingTier", () => {
  const { json, tier } = synthTier();

  test("wires the plan's numbers into every part", () => {
    const n = planDrivenNumbers(json);
    expect(n).toEqual({
      replicas: "6",
      gpus: "4",
      tensorParallel: "4",
      maxNumSeqs: "64",
      hpaMin: 3,
      hpaMax: 10,
      kedaLag: "50",
      kedaMin: 2,
      kedaMax: 24,
      // 80 per replica x 10 replicas (HPA max) / 3 client proxies, rounded up
      maxRequests: 267,
      // 16 x 10 / 3
      maxPending: 54,
      timeout: "90s",
      // 48 rps over 3 gateway replicas
      tokensPerFill: 16,
    });
  });

  test("changing the plan changes replicas, GPUs, HPA bounds, KEDA threshold and pool limits", () => {
    const bigger = editedPlan((p) => {
      p.inference.gpusPerReplica = 8;
      p.inference.gpusPerNode = 8;
      p.inference.replicasPerNode = 1;
      p.inference.replicas = { min: 4, desired: 8, max: 12 };
      p.inference.nodes = { min: 4, desired: 8, max: 12 };
      p.inference.perReplica.maxConcurrentSequences = 128;
      p.autoscaling.minReplicas = 4;
      p.autoscaling.maxReplicas = 12;
      p.autoscaling.workers = { ...p.autoscaling.workers, minReplicas: 3, maxReplicas: 20, lagThreshold: 120 };
      p.kafka.consumerLagThreshold = 120;
      p.admission.maxConcurrentRequestsPerReplica = 150;
      p.admission.maxPendingRequestsPerReplica = 30;
      p.admission.requestTimeoutSeconds = 120;
      p.admission.maxRequestsPerSecond = 90;
      p.admission.burstRequests = 180;
    });
    expect(FIXTURE_PLAN.inference.gpusPerReplica).toBe(4);
    const n = planDrivenNumbers(synthTier(bigger).json);
    expect(n).toEqual({
      replicas: "8",
      gpus: "8",
      tensorParallel: "8",
      maxNumSeqs: "128",
      hpaMin: 4,
      hpaMax: 12,
      kedaLag: "120",
      kedaMin: 3,
      kedaMax: 20,
      maxRequests: Math.ceil((150 * 12) / 3),
      maxPending: Math.ceil((30 * 12) / 3),
      timeout: "120s",
      tokensPerFill: 30,
    });
  });

  test("Kafka topics come from the plan and run in the workers namespace", () => {
    const job = Object.values(resourcesOf(json, "kubernetes_job_v1"))[0] as any;
    expect(job.metadata.namespace).toMatch(/kubernetes_namespace_v1\.Serving_WorkerNamespace/);
    const script: string = job.spec.template.spec.container[0].command[2];
    for (const t of FIXTURE_PLAN.kafka.topics) {
      expect(script).toContain(`--create --if-not-exists --topic ${t.name} --partitions ${t.partitions} --replication-factor ${t.replicationFactor}`);
    }
    expect(tier.worker.scaledObjectModel.spec.triggers[0].metadata.topic).toBe("inference-requests");
  });

  test("foundation endpoints reach the pods as plain configuration, never as secret values", () => {
    const worker = Object.values(resourcesOf(json, "kubernetes_deployment_v1")).find((d: any) => d.metadata.name === "inference-worker") as any;
    const env = Object.fromEntries(worker.spec.template.spec.container[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({
      KAFKA_BOOTSTRAP_SERVERS: FOUNDATION.brokers,
      REDIS_HOST: FOUNDATION.redisHost,
      REDIS_TLS: "true",
      REDIS_AUTH: "iam",
      REDIS_USER: "inference-worker",
      REDIS_REPLICATION_GROUP_ID: FOUNDATION.redisGroupId,
      REDIS_CLUSTER_MODE: "true",
      DATABASE_HOST: FOUNDATION.proxyWriter,
      DATABASE_READ_HOST: FOUNDATION.proxyReader,
      DATABASE_IAM_AUTH: "true",
      INFERENCE_URL: "http://inference.inference.svc.cluster.local:8000",
    });
    expect(resourcesOf(json, "kubernetes_secret_v1")).toEqual({});
    expect(JSON.stringify(json)).not.toMatch(/password|auth_token|"token":/i);
  });

  test("both namespaces are STRICT mTLS, injected and Pod-Security restricted", () => {
    const manifests = manifestsByKind(json);
    expect(manifests.PeerAuthentication.map((p) => p.spec.mtls.mode)).toEqual(["STRICT", "STRICT"]);
    const namespaces = Object.values(resourcesOf(json, "kubernetes_namespace_v1")) as any[];
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(["inference", "inference-workers"]);
    for (const ns of namespaces) {
      expect(ns.metadata.labels).toMatchObject({ "istio-injection": "enabled", "pod-security.kubernetes.io/enforce": "restricted" });
    }
  });

  test("without a canary, all traffic goes to stable; with one, 90/10", () => {
    const routes = (j: any) => manifestsByKind(j).VirtualService[0].spec.http[0].route.map((r: any) => [r.destination.subset, r.weight]);
    expect(routes(json)).toEqual([
      ["stable", 100],
      ["canary", 0],
    ]);
    const base = tierProps();
    const canary = synthTier(FIXTURE_PLAN, { inference: { ...base.inference, replicas: 5, canary: { image: "vllm/vllm-openai:v0.12.1" } } });
    expect(routes(canary.json)).toEqual([
      ["stable", 90],
      ["canary", 10],
    ]);
  });

  test("bad input fails before synthesis with every problem of every part", () => {
    const base = tierProps();
    const err = errorOf(
      () =>
        new ServingTier(workloadsTestStack(), "Serving", {
          ...base,
          inference: { ...base.inference, image: "vllm/vllm-openai:latest", replicas: 11 },
          traffic: { ...base.traffic, weights: { stable: 80, canary: 10 }, requestTimeoutSeconds: 30, faultInjection: { abortPercent: 5 } },
        }),
    );
    expect(err.codes).toEqual(
      expect.arrayContaining([
        "IMAGE_UNPINNED",
        "SERVING_REPLICAS_EXCEED_GPU_CAPACITY",
        "MESH_CANARY_WEIGHTS",
        "MESH_ROUTE_TIMEOUT_BELOW_P99",
        "MESH_FAULT_INJECTION_IN_PRODUCTION",
        "MESH_CANARY_WITHOUT_DEPLOYMENT",
      ]),
    );
    expect(err.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(["inference.image", "inference.replicas", "traffic.weights", "traffic.requestTimeoutSeconds", "traffic.faultInjection"]),
    );
    expect(err.message).toContain("traffic.requestTimeoutSeconds [MESH_ROUTE_TIMEOUT_BELOW_P99]: got 30; allowed: at least the p99 end-to-end latency (62 s)");
  });

  test("an HPA maximum beyond the GPU node group is refused", () => {
    const base = tierProps();
    const err = errorOf(() => new ServingTier(workloadsTestStack(), "Serving", { ...base, autoscaling: { ...base.autoscaling, maxReplicas: 11 } }));
    expect(err.codes).toEqual(["SERVING_REPLICAS_EXCEED_GPU_CAPACITY"]);
    expect(err.problems[0].path).toBe("autoscaling.maxReplicas");
  });
});

import { ValidationError } from "../../lib/core/validation";
import { DEFAULT_VLLM_IMAGE, InferenceService, InferenceServiceProps } from "../../lib/serving/inference-service";
import { isPinnedImage } from "../../lib/serving/private/image";
import { onlyResource, resourcesOf, synthJson } from "../helpers/synth";
import { inferenceProps, workloadsTestStack } from "./helpers";


function synthInference(overrides: Partial<InferenceServiceProps> = {}) {
  const stack = workloadsTestStack();
  const construct = new InferenceService(stack, "Inference", inferenceProps(overrides));
  const json = synthJson(stack);
  const deployments = resourcesOf(json, "kubernetes_deployment_v1");
  const stable = Object.values(deployments).find((d: any) => d.metadata.name === "inference");
  return { construct, json, deployment: stable, pod: stable.spec.template.spec, server: stable.spec.template.spec.container[0] };
}

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("InferenceService", () => {
  const base = synthInference();

  test("replicas, GPUs and vLLM arguments follow the props", () => {
    expect(base.deployment.spec.replicas).toBe("6");
    expect(base.server.resources.limits["nvidia.com/gpu"]).toBe("4");
    expect(base.server.resources.requests["nvidia.com/gpu"]).toBe("4");
    const args: string[] = base.server.args;
    const arg = (flag: string) => args[args.indexOf(flag) + 1];
    expect(arg("--tensor-parallel-size")).toBe("4");
    expect(arg("--max-num-seqs")).toBe("64");
    expect(arg("--gpu-memory-utilization")).toBe("0.9");
    expect(arg("--max-model-len")).toBe("8192");
    expect(arg("--served-model-name")).toBe("llama-3.1-70b");

    const other = synthInference({ replicas: 3, gpusPerReplica: 2, maxConcurrentSequences: 128, gpuMemoryUtilization: 0.85, maxModelLenTokens: 4096 });
    const otherArgs: string[] = other.server.args;
    expect(other.deployment.spec.replicas).toBe("3");
    expect(other.server.resources.limits["nvidia.com/gpu"]).toBe("2");
    expect(otherArgs[otherArgs.indexOf("--tensor-parallel-size") + 1]).toBe("2");
    expect(otherArgs[otherArgs.indexOf("--max-num-seqs") + 1]).toBe("128");
    expect(otherArgs[otherArgs.indexOf("--gpu-memory-utilization") + 1]).toBe("0.85");
    expect(otherArgs[otherArgs.indexOf("--max-model-len") + 1]).toBe("4096");
  });

  test("the image is pinned and the HPA owns the replica count", () => {
    expect(base.server.image).toBe(DEFAULT_VLLM_IMAGE);
    expect(isPinnedImage(DEFAULT_VLLM_IMAGE)).toBe(true);
    expect(base.deployment.lifecycle.ignore_changes).toEqual(["spec[0].replicas"]);
  });

  test("weights come from S3 through the pod identity into a local volume", () => {
    const init = base.pod.init_container[0];
    expect(init.command).toEqual(["aws"]);
    expect(init.args.slice(0, 4)).toEqual(["s3", "sync", "s3://headroom-models/meta-llama/Llama-3.1-70B-Instruct", "/models/model"]);
    expect(init.image).toMatch(/aws-cli:2\.\d+\.\d+$/);
    expect(base.pod.service_account_name).toMatch(/^\$\{kubernetes_service_account_v1\.Inference_ServiceAccount_[0-9A-F]+\.metadata\[0\]\.name\}$/);
    expect(onlyResource(base.json, "kubernetes_service_account_v1").metadata.name).toBe("inference");
    const models = base.pod.volume.find((v: any) => v.name === "models");
    expect(models.empty_dir.size_limit).toBe("160Gi");
    expect(base.server.volume_mount.find((m: any) => m.name === "models")).toMatchObject({ mount_path: "/models", read_only: true });
    expect(base.server.args[base.server.args.indexOf("--model") + 1]).toBe("/models/model");
    // The init container's S3 and Pod Identity traffic bypasses the not-yet-running sidecar.
    expect(base.deployment.spec.template.metadata.annotations["traffic.sidecar.istio.io/excludeOutboundIPRanges"]).toBe("169.254.170.23/32");
  });

  test("GPU toleration and node affinity for the GPU node group", () => {
    expect(base.pod.toleration).toEqual([{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    const terms = base.pod.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_term[0].match_expressions;
    expect(terms).toEqual([
      { key: "headroom.dev/gpu-family", operator: "In", values: ["p5"] },
      { key: "node.kubernetes.io/instance-type", operator: "In", values: ["p5.48xlarge"] },
    ]);
    const g6 = synthInference({ placement: { family: "g6e", maxNodes: 10, replicasPerNode: 1 } });
    expect(g6.pod.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_term[0].match_expressions).toEqual([
      { key: "headroom.dev/gpu-family", operator: "In", values: ["g6e"] },
    ]);
  });

  test("startup probe covers the model load; readiness and liveness on /health", () => {
    const startup = base.server.startup_probe;
    expect(startup.http_get.path).toBe("/health");
    expect(startup.period_seconds * startup.failure_threshold).toBeGreaterThanOrEqual(600);
    expect(base.server.readiness_probe.http_get.path).toBe("/health");
    expect(base.server.liveness_probe.http_get.path).toBe("/health");
    const slow = synthInference({ modelLoadSeconds: 1800 });
    expect(slow.server.startup_probe.period_seconds * slow.server.startup_probe.failure_threshold).toBeGreaterThanOrEqual(1800);
    expect(slow.server.startup_probe.failure_threshold).toBeGreaterThan(startup.failure_threshold);
  });

  test("graceful drain: preStop sleep and a grace period covering the longest request", () => {
    expect(base.server.lifecycle.pre_stop[0].exec.command).toEqual(["sleep", "15"]);
    expect(base.pod.termination_grace_period_seconds).toBe(15 + 62 + 30);
    expect(base.construct.terminationGracePeriodSeconds).toBe(107);
    const longer = synthInference({ longestRequestSeconds: 240, drainMarginSeconds: 20, preStopSleepSeconds: 10 });
    expect(longer.pod.termination_grace_period_seconds).toBe(270);
    const proxy = JSON.parse(longer.deployment.spec.template.metadata.annotations["proxy.istio.io/config"]);
    expect(proxy.terminationDrainDuration).toBe("265s");
  });

  test("spread across zones (hard) and nodes (soft)", () => {
    const [zone, host] = base.pod.topology_spread_constraint;
    expect(zone).toMatchObject({ topology_key: "topology.kubernetes.io/zone", max_skew: 1, when_unsatisfiable: "DoNotSchedule" });
    expect(host).toMatchObject({ topology_key: "kubernetes.io/hostname", when_unsatisfiable: "ScheduleAnyway" });
    const soft = synthInference({ strictZoneSpread: false });
    expect(soft.pod.topology_spread_constraint[0].when_unsatisfiable).toBe("ScheduleAnyway");
  });

  test("restricted security context with writable caches and memory-backed /dev/shm", () => {
    for (const c of [base.server, base.pod.init_container[0]]) {
      expect(c.security_context).toMatchObject({
        run_as_non_root: true,
        allow_privilege_escalation: false,
        privileged: false,
        read_only_root_filesystem: true,
        capabilities: { drop: ["ALL"] },
        seccomp_profile: { type: "RuntimeDefault" },
      });
    }
    expect(base.pod.security_context).toMatchObject({ run_as_non_root: true, run_as_user: "1000", seccomp_profile: { type: "RuntimeDefault" } });
    expect(base.pod.automount_service_account_token).toBe(false);
    const shm = base.pod.volume.find((v: any) => v.name === "dshm");
    expect(shm.empty_dir).toEqual({ medium: "Memory", size_limit: "16Gi" });
    expect(base.server.volume_mount.find((m: any) => m.name === "dshm").mount_path).toBe("/dev/shm");
    expect(base.server.volume_mount.find((m: any) => m.name === "cache").mount_path).toBe("/cache");
    const small = synthInference({ resources: { cpuCores: 4, memoryGiB: 16, modelVolumeGiB: 20 } });
    expect(small.pod.volume.find((v: any) => v.name === "dshm").empty_dir.size_limit).toBe("4Gi");
  });

  test("resources: Guaranteed CPU and memory, disk for the weights", () => {
    expect(base.server.resources.requests).toMatchObject({ cpu: "80", memory: "800Gi", "ephemeral-storage": "170Gi" });
    expect(base.server.resources.limits).toMatchObject({ cpu: "80", memory: "800Gi" });
  });

  test("OpenTelemetry environment joins app spans to mesh spans", () => {
    const env = Object.fromEntries(base.server.env.map((e: any) => [e.name, e.value]));
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe("http://jaeger.observability.svc.cluster.local:4317");
    expect(env.OTEL_SERVICE_NAME).toBe("inference");
    expect(env.OTEL_PROPAGATORS).toContain("tracecontext");
    expect(env.OTEL_RESOURCE_ATTRIBUTES).toContain("deployment.environment=prod");
    expect(env.HF_HUB_OFFLINE).toBe("1");
  });

  test("PDB and Service", () => {
    const pdb = onlyResource(base.json, "kubernetes_pod_disruption_budget_v1");
    expect(pdb.spec.max_unavailable).toBe("1");
    expect(pdb.spec.selector.match_labels).toEqual({ "app.kubernetes.io/name": "inference", version: "stable" });
    const svc = onlyResource(base.json, "kubernetes_service_v1");
    expect(svc.spec.selector).toEqual({ "app.kubernetes.io/name": "inference" });
    expect(svc.spec.port[0]).toMatchObject({ port: 8000, target_port: "8000", app_protocol: "http" });
    expect(base.construct.url).toBe("http://inference.inference.svc.cluster.local:8000");
  });

  test("a canary Deployment carries version=canary and its own image", () => {
    const { json } = synthInference({ canary: { image: "vllm/vllm-openai:v0.12.1", replicas: 1 } });
    const canary = Object.values(resourcesOf(json, "kubernetes_deployment_v1")).find((d: any) => d.metadata.name === "inference-canary");
    expect(canary.spec.template.metadata.labels.version).toBe("canary");
    expect(canary.spec.template.spec.container[0].image).toBe("vllm/vllm-openai:v0.12.1");
    expect(canary.spec.replicas).toBe("1");
  });

  describe("fails when", () => {
    test("the image is not pinned", () => {
      for (const image of ["vllm/vllm-openai", "vllm/vllm-openai:latest", "registry:5000/vllm"]) {
        const err = errorOf(() => new InferenceService(workloadsTestStack(), "I", inferenceProps({ image })));
        expect(err.codes).toEqual(["IMAGE_UNPINNED"]);
        expect(err.problems[0].path).toBe("image");
      }
      expect(() => new InferenceService(workloadsTestStack(), "I", inferenceProps({ image: `vllm/vllm-openai@sha256:${"a".repeat(64)}` }))).not.toThrow();
    });

    test("replicas exceed the GPU node group (nodes.max x replicasPerNode), canary included", () => {
      const err = errorOf(() => new InferenceService(workloadsTestStack(), "I", inferenceProps({ replicas: 11 })));
      expect(err.codes).toEqual(["SERVING_REPLICAS_EXCEED_GPU_CAPACITY"]);
      expect(err.message).toContain("at most 10 replicas");
      const withCanary = errorOf(() => new InferenceService(workloadsTestStack(), "I", inferenceProps({ replicas: 10, canary: { image: "vllm/vllm-openai:v0.12.1" } })));
      expect(withCanary.codes).toEqual(["SERVING_REPLICAS_EXCEED_GPU_CAPACITY"]);
    });

    test("every problem is reported at once", () => {
      const err = errorOf(
        () =>
          new InferenceService(
            workloadsTestStack(),
            "I",
            inferenceProps({ image: "vllm/vllm-openai:latest", replicas: 40, gpusPerReplica: 3.5, gpuMemoryUtilization: 1.2, modelLoadSeconds: 0 }),
          ),
      );
      expect(err.codes).toEqual(
        expect.arrayContaining(["IMAGE_UNPINNED", "SERVING_REPLICAS_EXCEED_GPU_CAPACITY", "SERVING_GPUS_PER_REPLICA", "SERVING_GPU_MEMORY_UTILIZATION", "SERVING_MODEL_LOAD_SECONDS"]),
      );
      expect(err.codes).toHaveLength(5);
    });
  });
});

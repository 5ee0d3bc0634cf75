import { DeploymentV1, DeploymentV1SpecTemplate } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { Construct } from "constructs";
import { GPU_TOLERATION_TAINT } from "../addons/constants";
import { Problems } from "../core/validation";
import { checkPinnedImage } from "./private/image";
import { VLLM_HOST_MEMORY_PER_GPU_GIB } from "./private/kv-cache";
import {
  LABEL_GPU_FAMILY,
  LABEL_HOSTNAME,
  LABEL_INSTANCE_TYPE,
  LABEL_NAME,
  LABEL_VERSION,
  LABEL_ZONE,
  standardLabels,
} from "./private/labels";
import { OtelProps, otelEnv } from "./private/otel";
import { gibibytes, restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./private/security";

/**
 * vLLM's OpenAI-compatible server image, pinned. v0.12.0 is a published release
 * (Docker Hub `vllm/vllm-openai:v0.12.0`); bump it deliberately, never to `latest`.
 */
export const DEFAULT_VLLM_IMAGE = "vllm/vllm-openai:v0.12.0";

/**
 * AWS CLI v2 image used to copy the weights from S3. 2.15.0 is the first AWS CLI v2
 * release that reads EKS Pod Identity credentials (EKS user guide, "Use pod identity
 * with the AWS SDK").
 */
export const DEFAULT_AWS_CLI_IMAGE = "public.ecr.aws/aws-cli/aws-cli:2.15.0";


/** Where the model weights live. Strings may be Terraform tokens from the foundation stack. */
export interface ModelSource {
  /** S3 bucket holding the weights. */
  readonly bucketName: string;
  /** Key prefix of the model directory (safetensors + config), without a leading slash. */
  readonly prefix: string;
}

/** Which GPU nodes may run the server, and how many replicas they can hold. */
export interface InferencePlacement {
  /** Value of the `headroom.dev/gpu-family` node label, e.g. `p5`. */
  readonly family: string;
  /**
   * EC2 instance type the pods must land on (`node.kubernetes.io/instance-type`).
   * @default any instance type of the family
   */
  readonly instanceType?: string;
  /** Maximum nodes of the GPU node group. */
  readonly maxNodes: number;
  /** Replicas that fit on one node (GPUs per node / GPUs per replica). */
  readonly replicasPerNode: number;
}

/** CPU, memory and disk of one replica besides its GPUs. */
export interface ReplicaResources {
  /** CPU cores requested (and limited to: Guaranteed QoS keeps the pod last in line for eviction). */
  readonly cpuCores: number;
  /** Host memory in GiB, including the `/dev/shm` volume (it is memory-backed). */
  readonly memoryGiB: number;
  /** Size of the volume the weights are copied to, in GiB (weights plus tokenizer and config). */
  readonly modelVolumeGiB: number;
  /**
   * Size of `/dev/shm` (memory-backed) for NCCL and PyTorch IPC between tensor-parallel workers.
   * @default 1/4 of `memoryGiB`, at most 16
   */
  readonly sharedMemoryGiB?: number;
}

/** A second Deployment with another image, labelled `version=canary`, for a weighted rollout. */
export interface CanaryProps {
  /** Image of the canary (pinned). */
  readonly image: string;
  /**
   * Replicas of the canary (not autoscaled).
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * KV-cache tiers below GPU memory. vLLM's automatic prefix caching (GPU tier) is always on;
 * these add a host-memory tier that keeps KV blocks evicted from the GPU for later prefix hits.
 */
export interface KvCacheTiers {
  /**
   * Host memory per replica for offloaded KV blocks, GiB (vLLM's native CPU offloading,
   * `--kv-offloading-backend native --kv-offloading-size`, added by vllm-project/vllm#27621 in
   * v0.11.x/v0.12; the size is the total over the tensor-parallel ranks, which vLLM splits). It is pinned memory inside the container's memory limit, so it
   * must leave room for the server process and `/dev/shm`. 0 turns the tier off. With `remote`, the same
   * memory is LMCache's CPU tier instead (`local_cpu`, `max_local_cpu_size` per tensor-parallel rank):
   * vLLM runs one KV connector, so the native offload is not configured beside it (no double counting).
   */
  readonly cpuOffloadGiB: number;
  /**
   * A remote tier shared by every replica: LMCache (`--kv-transfer-config` with `LMCacheConnectorV1`,
   * `kv_role: kv_both`) storing KV chunks in the ElastiCache Valkey cluster over TLS, as a password user.
   * @default none
   */
  readonly remote?: RemoteKvTier;
}

/**
 * LMCache's Redis backend on the ElastiCache cluster. The password is read at pod start from Secrets Manager
 * by an init container with the pod's EKS Pod Identity (the role needs `secretsmanager:GetSecretValue` on
 * the secret, see CacheUserPasswordRotation.grantRead) and written into LMCache's config file on a
 * memory-backed volume; it never appears in the manifests.
 */
export interface RemoteKvTier {
  /** Cluster-mode configuration endpoint (a token from the foundation stack). */
  readonly host: string;
  /** Port of the endpoint. */
  readonly port: number | string;
  /** The ElastiCache password user LMCache authenticates as. */
  readonly userName: string;
  /** Secrets Manager secret of that user (JSON with `password`, alphanumeric: CacheUserPasswordRotation). */
  readonly credentialSecretArn: string;
  /**
   * Tokens per LMCache chunk (`chunk_size`).
   * @default 256 (LMCache's default; the plan's LMCACHE_CHUNK_TOKENS)
   */
  readonly chunkTokens?: number;
}

export { VLLM_HOST_MEMORY_PER_GPU_GIB } from "./private/kv-cache";

/** Props of {@link InferenceService}. */
export interface InferenceServiceProps {
  /** Namespace to deploy into (from {@link WorkloadNamespace}). */
  readonly namespace: string;
  /**
   * Name of the Deployment, Service and related objects.
   * @default "inference"
   */
  readonly name?: string;
  /**
   * Server image, pinned by tag or digest.
   * @default DEFAULT_VLLM_IMAGE
   */
  readonly image?: string;
  /** Model name clients send in the OpenAI `model` field (vLLM `--served-model-name`). */
  readonly servedModelName: string;
  /** The S3 location of the weights. */
  readonly modelSource: ModelSource;
  /** AWS region of the bucket (AWS CLI `AWS_REGION`). */
  readonly region: string;
  /**
   * Service account bound to an IAM role by an EKS Pod Identity association (created with the
   * foundation stack). This construct creates the Kubernetes ServiceAccount of that name.
   */
  readonly serviceAccountName: string;
  /** Replicas to start with (the HPA owns the count afterwards). */
  readonly replicas: number;
  /** GPUs per replica; also vLLM `--tensor-parallel-size`. */
  readonly gpusPerReplica: number;
  /** vLLM `--max-num-seqs`: sequences batched together on one replica. */
  readonly maxConcurrentSequences: number;
  /** vLLM `--gpu-memory-utilization`, a fraction in (0, 1). */
  readonly gpuMemoryUtilization: number;
  /** vLLM `--max-model-len`, tokens. */
  readonly maxModelLenTokens: number;
  /** GPU node placement and capacity. */
  readonly placement: InferencePlacement;
  /** CPU, memory and disk per replica. */
  readonly resources: ReplicaResources;
  /** Expected seconds from container start to serving: S3 copy plus loading weights to the GPUs. */
  readonly modelLoadSeconds: number;
  /** Longest request the server must finish while draining, seconds (the plan's p99 end-to-end latency). */
  readonly longestRequestSeconds: number;
  /**
   * Extra seconds of termination grace on top of the drain and the longest request.
   * @default 30
   */
  readonly drainMarginSeconds?: number;
  /**
   * Seconds the preStop hook waits so endpoints, sidecars and the gateway stop routing to the pod before SIGTERM.
   * @default 15
   */
  readonly preStopSleepSeconds?: number;
  /** OpenTelemetry export. */
  readonly otel: OtelProps;
  /**
   * `version` label of the main Deployment (the DestinationRule's stable subset).
   * @default "stable"
   */
  readonly versionLabel?: string;
  /**
   * A canary Deployment for a weighted rollout.
   * @default none
   */
  readonly canary?: CanaryProps;
  /**
   * Image with the AWS CLI v2 (>= 2.15.0) used by the init container that copies the weights.
   * @default DEFAULT_AWS_CLI_IMAGE
   */
  readonly awsCliImage?: string;
  /**
   * Spread replicas over zones as a hard constraint (DoNotSchedule). With `false`, the zone spread is best effort.
   * @default true
   */
  readonly strictZoneSpread?: boolean;
  /**
   * KV-cache tiers below GPU memory.
   * @default prefix caching on the GPU only (no CPU tier)
   */
  readonly kvCache?: KvCacheTiers;
  /**
   * Extra vLLM arguments, appended after the ones derived from the props.
   * @default none
   */
  readonly extraArgs?: readonly string[];
  /**
   * Container port of the OpenAI-compatible API (and `/metrics`, `/health`).
   * @default 8000
   */
  readonly port?: number;
  /**
   * UID/GID the containers run as (the vLLM image defaults to root, which the restricted profile forbids).
   * @default 1000
   */
  readonly runAsUser?: number;
}

const MODEL_DIR = "/models";
const STARTUP_PROBE_PERIOD_SECONDS = 10;
/** Margin on the model-load estimate before the kubelet gives up on a starting pod. */
const STARTUP_MARGIN = 1.5;

/**
 * The GPU inference server: a vLLM OpenAI-compatible Deployment sized from the capacity
 * plan, with the weights copied from S3 through the pod's EKS Pod Identity, probes sized
 * for model load, a graceful drain that covers the longest request, zone and node spread,
 * the restricted security profile, a PodDisruptionBudget and a Service.
 *
 * The model is copied by an init container (`aws s3 sync` to a node-local emptyDir)
 * rather than streamed by vLLM's own S3 loader: the copy is resumable, works for every
 * model format and keeps AWS credentials out of the serving container.
 *
 * @example
 * new InferenceService(stack, "Inference", {
 *   namespace: "inference", servedModelName: "llama-3.1-70b", region: "us-east-1",
 *   modelSource: { bucketName: bucket.bucket, prefix: "meta-llama/Llama-3.1-70B-Instruct" },
 *   serviceAccountName: "inference", replicas: 4, gpusPerReplica: 4, maxConcurrentSequences: 64,
 *   gpuMemoryUtilization: 0.9, maxModelLenTokens: 8192,
 *   placement: { family: "p5", maxNodes: 4, replicasPerNode: 2 },
 *   resources: { cpuCores: 40, memoryGiB: 400, modelVolumeGiB: 200 },
 *   modelLoadSeconds: 600, longestRequestSeconds: 60, otel: { endpoint: "http://otel-collector.observability:4317" },
 * });
 */
export class InferenceService extends Construct {
  /** The main (stable) Deployment. */
  public readonly resource: DeploymentV1;
  /** The canary Deployment, when `canary` is set. */
  public readonly canary?: DeploymentV1;
  /** The ClusterIP Service in front of both versions. */
  public readonly service: ServiceV1;
  /** Name shared by the Deployment, Service and PDB. */
  public readonly name: string;
  /** Namespace of the objects. */
  public readonly namespace: string;
  /** Service port (= container port). */
  public readonly port: number;
  /** In-cluster URL of the OpenAI-compatible API. */
  public readonly url: string;
  /** Label selector matching every pod of the server (both versions). */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** The termination grace period the pods get, seconds. */
  public readonly terminationGracePeriodSeconds: number;
  /** Host memory per replica given to offloaded KV blocks, GiB (0: GPU tier only). */
  public readonly kvCpuOffloadGiB: number;
  /** Whether the replicas share the remote KV tier (LMCache on Valkey). */
  public readonly remoteKvTier: boolean;

  public constructor(scope: Construct, id: string, props: InferenceServiceProps) {
    super(scope, id);
    const name = props.name ?? "inference";
    const image = props.image ?? DEFAULT_VLLM_IMAGE;
    const awsCliImage = props.awsCliImage ?? DEFAULT_AWS_CLI_IMAGE;
    const port = props.port ?? 8000;
    const uid = props.runAsUser ?? 1000;
    const drainMargin = props.drainMarginSeconds ?? 30;
    const preStopSleep = props.preStopSleepSeconds ?? 15;
    const canaryReplicas = props.canary ? (props.canary.replicas ?? 1) : 0;

    const problems = new Problems(`InferenceService '${id}'`);
    checkPinnedImage(problems, "image", image);
    checkPinnedImage(problems, "awsCliImage", awsCliImage);
    if (props.canary) {
      checkPinnedImage(problems, "canary.image", props.canary.image);
      problems.checkNumber("SERVING_CANARY_REPLICAS", "canary.replicas", canaryReplicas, { min: 1, integer: true });
    }
    problems.checkNumber("SERVING_REPLICAS", "replicas", props.replicas, { min: 1, integer: true });
    problems.checkNumber("SERVING_GPUS_PER_REPLICA", "gpusPerReplica", props.gpusPerReplica, { min: 1, max: 8, integer: true });
    problems.checkNumber("SERVING_MAX_NUM_SEQS", "maxConcurrentSequences", props.maxConcurrentSequences, { min: 1, integer: true });
    problems.checkNumber("SERVING_GPU_MEMORY_UTILIZATION", "gpuMemoryUtilization", props.gpuMemoryUtilization, { min: 0, max: 1, exclusiveMin: true });
    problems.checkNumber("SERVING_MAX_MODEL_LEN", "maxModelLenTokens", props.maxModelLenTokens, { min: 1, integer: true });
    problems.checkNumber("SERVING_MODEL_LOAD_SECONDS", "modelLoadSeconds", props.modelLoadSeconds, { min: 0, exclusiveMin: true });
    problems.checkNumber("SERVING_LONGEST_REQUEST_SECONDS", "longestRequestSeconds", props.longestRequestSeconds, { min: 0, exclusiveMin: true });
    problems.checkNumber("SERVING_DRAIN_MARGIN_SECONDS", "drainMarginSeconds", drainMargin, { min: 0 });
    problems.checkNumber("SERVING_PRESTOP_SECONDS", "preStopSleepSeconds", preStopSleep, { min: 0, max: 120, integer: true });
    problems.checkNumber("SERVING_CPU_CORES", "resources.cpuCores", props.resources.cpuCores, { min: 0, exclusiveMin: true });
    problems.checkNumber("SERVING_MEMORY_GIB", "resources.memoryGiB", props.resources.memoryGiB, { min: 0, exclusiveMin: true });
    problems.checkNumber("SERVING_MODEL_VOLUME_GIB", "resources.modelVolumeGiB", props.resources.modelVolumeGiB, { min: 0, exclusiveMin: true });
    const okNodes = problems.checkNumber("SERVING_GPU_NODES_MAX", "placement.maxNodes", props.placement.maxNodes, { min: 1, integer: true });
    const okPerNode = problems.checkNumber("SERVING_REPLICAS_PER_NODE", "placement.replicasPerNode", props.placement.replicasPerNode, { min: 1, integer: true });
    if (okNodes && okPerNode) {
      const capacity = props.placement.maxNodes * props.placement.replicasPerNode;
      if (props.replicas + canaryReplicas > capacity) {
        problems.add(
          "SERVING_REPLICAS_EXCEED_GPU_CAPACITY",
          "replicas",
          props.replicas + canaryReplicas,
          `at most ${capacity} replicas (stable + canary): the GPU node group holds ${props.placement.maxNodes} nodes x ${props.placement.replicasPerNode} replicas per node`,
        );
      }
    }
    const shmGiB = props.resources.sharedMemoryGiB ?? Math.min(16, props.resources.memoryGiB / 4);
    if (problems.checkNumber("SERVING_SHM_GIB", "resources.sharedMemoryGiB", shmGiB, { min: 0, exclusiveMin: true }) && shmGiB >= props.resources.memoryGiB) {
      problems.add("SERVING_SHM_GIB", "resources.sharedMemoryGiB", shmGiB, `less than resources.memoryGiB (${props.resources.memoryGiB}): /dev/shm is counted in the memory limit`);
    }
    const offloadGiB = props.kvCache?.cpuOffloadGiB ?? 0;
    if (problems.checkNumber("SERVING_KV_CPU_OFFLOAD_GIB", "kvCache.cpuOffloadGiB", offloadGiB, { min: 0 })) {
      const room = props.resources.memoryGiB - shmGiB - VLLM_HOST_MEMORY_PER_GPU_GIB * props.gpusPerReplica;
      if (offloadGiB > 0 && offloadGiB > room) {
        problems.add(
          "SERVING_KV_CPU_OFFLOAD_TOO_LARGE",
          "kvCache.cpuOffloadGiB",
          offloadGiB,
          `at most ${Math.max(0, Math.floor(room))} GiB: resources.memoryGiB (${props.resources.memoryGiB}) minus /dev/shm (${round1(shmGiB)}) minus ${VLLM_HOST_MEMORY_PER_GPU_GIB} GiB per GPU for the server process`,
        );
      }
    }
    const remote = props.kvCache?.remote;
    const chunkTokens = remote?.chunkTokens ?? LMCACHE_DEFAULT_CHUNK_TOKENS;
    if (remote) {
      problems.checkNumber("SERVING_LMCACHE_CHUNK", "kvCache.remote.chunkTokens", chunkTokens, { min: 16, max: 4096, integer: true });
      if (props.image === undefined) {
        problems.add(
          "SERVING_LMCACHE_IMAGE",
          "image",
          props.image,
          "an image pinned by tag or digest that carries vLLM and an LMCache whose Redis connector has cluster mode and TLS (extra_config redis_mode: cluster, use_tls); the default vLLM image is not checked for it (lib/serving/README.md, \"The LMCache image\")",
        );
      }
    }
    problems.throwIfAny();
    this.kvCpuOffloadGiB = offloadGiB;
    this.remoteKvTier = remote !== undefined;

    this.name = name;
    this.namespace = props.namespace;
    this.port = port;
    this.selectorLabels = { [LABEL_NAME]: name };
    // Drain: preStop sleep, then SIGTERM; the server finishes in-flight requests (the longest is
    // the p99 end-to-end latency) before exiting. The margin covers the sidecar's own shutdown.
    this.terminationGracePeriodSeconds = Math.ceil(preStopSleep + props.longestRequestSeconds + drainMargin);
    const startupFailureThreshold = Math.ceil((props.modelLoadSeconds * STARTUP_MARGIN) / STARTUP_PROBE_PERIOD_SECONDS);

    const serviceAccount = new ServiceAccountV1(this, "ServiceAccount", {
      metadata: { name: props.serviceAccountName, namespace: props.namespace, labels: standardLabels(name, "inference") },
      // Pod Identity injects its own projected token; the Kubernetes API token is not needed.
      automountServiceAccountToken: false,
    });

    const podTemplate = (version: string, serverImage: string): DeploymentV1SpecTemplate => ({
      metadata: {
        labels: { ...standardLabels(name, "inference"), [LABEL_VERSION]: version },
        annotations: {
          // The init container runs before the sidecar exists: keep its S3 (443) and
          // Pod Identity agent traffic out of the sidecar's redirect.
          "traffic.sidecar.istio.io/excludeOutboundPorts": "443",
          "traffic.sidecar.istio.io/excludeOutboundIPRanges": "169.254.170.23/32",
          // Keep the sidecar serving until the server has drained; Envoy's default drain is 5 s.
          "proxy.istio.io/config": JSON.stringify({
            terminationDrainDuration: `${this.terminationGracePeriodSeconds - 5}s`,
            holdApplicationUntilProxyStarts: true,
          }),
          "prometheus.io/scrape": "true",
          "prometheus.io/port": String(port),
          "prometheus.io/path": "/metrics",
        },
      },
      spec: {
        serviceAccountName: serviceAccount.metadata.name,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        terminationGracePeriodSeconds: this.terminationGracePeriodSeconds,
        securityContext: restrictedPodSecurityContext(uid),
        toleration: [{ key: GPU_TOLERATION_TAINT.key, operator: "Equal", value: GPU_TOLERATION_TAINT.value, effect: GPU_TOLERATION_TAINT.effect }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerm: [
                {
                  matchExpressions: [
                    { key: LABEL_GPU_FAMILY, operator: "In", values: [props.placement.family] },
                    ...(props.placement.instanceType ? [{ key: LABEL_INSTANCE_TYPE, operator: "In", values: [props.placement.instanceType] }] : []),
                  ],
                },
              ],
            },
          },
        },
        topologySpreadConstraint: [
          {
            maxSkew: 1,
            topologyKey: LABEL_ZONE,
            whenUnsatisfiable: (props.strictZoneSpread ?? true) ? "DoNotSchedule" : "ScheduleAnyway",
            labelSelector: [{ matchLabels: { [LABEL_NAME]: name, [LABEL_VERSION]: version } }],
          },
          {
            // Several replicas may share a node by design (replicasPerNode); spread is a preference.
            maxSkew: 1,
            topologyKey: LABEL_HOSTNAME,
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: [{ matchLabels: { [LABEL_NAME]: name, [LABEL_VERSION]: version } }],
          },
        ],
        initContainer: [
          {
            name: "fetch-model",
            image: awsCliImage,
            command: ["aws"],
            args: [
              "s3",
              "sync",
              `s3://${props.modelSource.bucketName}/${props.modelSource.prefix}`,
              `${MODEL_DIR}/model`,
              "--only-show-errors",
              "--no-progress",
            ],
            env: [
              { name: "AWS_REGION", value: props.region },
              { name: "AWS_RETRY_MODE", value: "adaptive" },
              { name: "AWS_MAX_ATTEMPTS", value: "10" },
              { name: "HOME", value: "/tmp" },
            ],
            resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
            securityContext: restrictedContainerSecurityContext(),
            volumeMount: [
              { name: "models", mountPath: MODEL_DIR },
              { name: "tmp", mountPath: "/tmp" },
            ],
          },
          ...(remote
            ? [
                {
                  name: "kv-credential",
                  image: awsCliImage,
                  command: ["/bin/sh", "-c"],
                  args: [lmcacheConfigScript(chunkTokens, offloadGiB / props.gpusPerReplica)],
                  env: [
                    { name: "AWS_REGION", value: props.region },
                    { name: "AWS_RETRY_MODE", value: "adaptive" },
                    { name: "AWS_MAX_ATTEMPTS", value: "10" },
                    { name: "HOME", value: "/tmp" },
                    { name: "KV_SECRET_ARN", value: remote.credentialSecretArn },
                    { name: "KV_CACHE_HOST", value: remote.host },
                    { name: "KV_CACHE_PORT", value: String(remote.port) },
                    { name: "KV_CACHE_USER", value: remote.userName },
                  ],
                  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                  securityContext: restrictedContainerSecurityContext(),
                  volumeMount: [
                    { name: "lmcache", mountPath: LMCACHE_CONFIG_DIR },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ]
            : []),
        ],
        container: [
          {
            name: "server",
            image: serverImage,
            command: ["python3", "-m", "vllm.entrypoints.openai.api_server"],
            args: [
              "--model",
              `${MODEL_DIR}/model`,
              "--served-model-name",
              props.servedModelName,
              "--host",
              "0.0.0.0",
              "--port",
              String(port),
              "--tensor-parallel-size",
              String(props.gpusPerReplica),
              "--max-num-seqs",
              String(props.maxConcurrentSequences),
              "--gpu-memory-utilization",
              String(props.gpuMemoryUtilization),
              "--max-model-len",
              String(props.maxModelLenTokens),
              // Stated, not left to the default: the endpoint picker's prefix-cache scorer and the
              // plan's prefix-reuse saving both assume it.
              "--enable-prefix-caching",
              ...(remote
                ? ["--kv-transfer-config", JSON.stringify({ kv_connector: "LMCacheConnectorV1", kv_role: "kv_both" })]
                : offloadGiB > 0
                  ? ["--kv-offloading-backend", "native", "--kv-offloading-size", String(offloadGiB)]
                  : []),
              ...(props.extraArgs ?? []),
            ],
            port: [{ name: "http", containerPort: port, protocol: "TCP" }],
            env: [
              // Weights are local; never reach out to the Hugging Face Hub or phone home.
              { name: "HF_HUB_OFFLINE", value: "1" },
              { name: "VLLM_NO_USAGE_STATS", value: "1" },
              { name: "DO_NOT_TRACK", value: "1" },
              // The root filesystem is read-only: every cache goes to the writable emptyDir.
              { name: "HOME", value: "/cache" },
              { name: "XDG_CACHE_HOME", value: "/cache" },
              { name: "HF_HOME", value: "/cache/huggingface" },
              { name: "VLLM_CACHE_ROOT", value: "/cache/vllm" },
              { name: "TRITON_CACHE_DIR", value: "/cache/triton" },
              ...(remote
                ? [
                    { name: "LMCACHE_CONFIG_FILE", value: `${LMCACHE_CONFIG_DIR}/lmcache.yaml` },
                    // Chunk keys hash the tokens; every replica must hash alike to find another's chunks.
                    { name: "PYTHONHASHSEED", value: "0" },
                  ]
                : []),
              ...otelEnv(props.otel, name, { "service.version": version, "k8s.namespace.name": props.namespace }),
            ],
            resources: {
              requests: {
                cpu: String(props.resources.cpuCores),
                memory: gibibytes(props.resources.memoryGiB),
                "nvidia.com/gpu": String(props.gpusPerReplica),
                "ephemeral-storage": gibibytes(props.resources.modelVolumeGiB + 10),
              },
              limits: {
                cpu: String(props.resources.cpuCores),
                memory: gibibytes(props.resources.memoryGiB),
                "nvidia.com/gpu": String(props.gpusPerReplica),
              },
            },
            securityContext: restrictedContainerSecurityContext(),
            startupProbe: {
              httpGet: { path: "/health", port: String(port) },
              periodSeconds: STARTUP_PROBE_PERIOD_SECONDS,
              failureThreshold: startupFailureThreshold,
              timeoutSeconds: 5,
            },
            readinessProbe: {
              httpGet: { path: "/health", port: String(port) },
              periodSeconds: 5,
              failureThreshold: 3,
              timeoutSeconds: 5,
            },
            livenessProbe: {
              // Generous: a saturated server answers /health slowly; restarting it would
              // throw away a loaded model and make the overload worse.
              httpGet: { path: "/health", port: String(port) },
              periodSeconds: 15,
              failureThreshold: 8,
              timeoutSeconds: 10,
            },
            lifecycle: { preStop: [{ exec: { command: ["sleep", String(preStopSleep)] } }] },
            volumeMount: [
              { name: "models", mountPath: MODEL_DIR, readOnly: true },
              { name: "cache", mountPath: "/cache" },
              { name: "tmp", mountPath: "/tmp" },
              { name: "dshm", mountPath: "/dev/shm" },
              ...(remote ? [{ name: "lmcache", mountPath: LMCACHE_CONFIG_DIR, readOnly: true }] : []),
            ],
          },
        ],
        volume: [
          { name: "models", emptyDir: { sizeLimit: gibibytes(props.resources.modelVolumeGiB) } },
          { name: "cache", emptyDir: { sizeLimit: "10Gi" } },
          { name: "tmp", emptyDir: { sizeLimit: "2Gi" } },
          { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: gibibytes(shmGiB) } },
          // LMCache's config with the cache password: memory-backed, never on the node's disk.
          ...(remote ? [{ name: "lmcache", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } }] : []),
        ],
      },
    });

    const deployment = (deploymentId: string, deploymentName: string, version: string, serverImage: string, replicas: number) =>
      new DeploymentV1(this, deploymentId, {
        metadata: { name: deploymentName, namespace: props.namespace, labels: { ...standardLabels(name, "inference"), [LABEL_VERSION]: version } },
        spec: {
          replicas: String(replicas),
          selector: { matchLabels: { [LABEL_NAME]: name, [LABEL_VERSION]: version } },
          // GPUs are the scarce resource: replace one pod at a time, never surge beyond the node group.
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "0", maxUnavailable: "1" } },
          progressDeadlineSeconds: Math.max(600, Math.ceil(props.modelLoadSeconds * STARTUP_MARGIN) + 300),
          template: podTemplate(version, serverImage),
        },
        // The HPA owns the replica count after the first apply.
        lifecycle: { ignoreChanges: ["spec[0].replicas"] },
        waitForRollout: false,
      });

    const versionLabel = props.versionLabel ?? "stable";
    this.resource = deployment("Resource", name, versionLabel, image, props.replicas);
    if (props.canary) {
      this.canary = deployment("Canary", `${name}-canary`, "canary", props.canary.image, canaryReplicas);
    }

    this.service = new ServiceV1(this, "Service", {
      metadata: { name, namespace: props.namespace, labels: standardLabels(name, "inference") },
      spec: {
        type: "ClusterIP",
        selector: { [LABEL_NAME]: name },
        // `appProtocol: http` tells Istio the protocol, so HTTP routing and retries apply.
        port: [{ name: "http", port, targetPort: String(port), protocol: "TCP", appProtocol: "http" }],
      },
    });

    new PodDisruptionBudgetV1(this, "Disruption", {
      metadata: { name, namespace: props.namespace, labels: standardLabels(name, "inference") },
      spec: { maxUnavailable: "1", selector: { matchLabels: { [LABEL_NAME]: name, [LABEL_VERSION]: versionLabel } } },
    });

    this.url = `http://${name}.${props.namespace}.svc.cluster.local:${port}`;
  }
}

/** LMCache's default chunk size, tokens (its `chunk_size`; the plan sizes the tier's operations with the same value). */
export const LMCACHE_DEFAULT_CHUNK_TOKENS = 256;
const LMCACHE_CONFIG_DIR = "/run/lmcache";

/**
 * The init container's script: reads the secret with the pod identity and writes LMCache's config file.
 * The password is alphanumeric (the rotation function asks for no punctuation), so it is cut out of the
 * secret's JSON with sed and quoted safely in YAML. Values come from the container's environment.
 */
function lmcacheConfigScript(chunkTokens: number, cpuGiBPerRank: number): string {
  const cpu = cpuGiBPerRank > 0 ? [`local_cpu: true`, `max_local_cpu_size: ${round1(cpuGiBPerRank)}`] : [`local_cpu: false`];
  return [
    "set -eu",
    'secret=$(aws secretsmanager get-secret-value --secret-id "$KV_SECRET_ARN" --query SecretString --output text)',
    String.raw`pw=$(printf '%s' "$secret" | sed -n 's/.*"password":"\([A-Za-z0-9]*\)".*/\1/p')`,
    'if [ -z "$pw" ]; then echo "no password in $KV_SECRET_ARN yet (first rotation pending?)" >&2; exit 1; fi',
    "umask 077",
    `cat > ${LMCACHE_CONFIG_DIR}/lmcache.yaml <<EOF`,
    `chunk_size: ${chunkTokens}`,
    ...cpu,
    'remote_url: "rediss://$KV_CACHE_HOST:$KV_CACHE_PORT"',
    'remote_serde: "naive"',
    "extra_config:",
    '  redis_mode: "cluster"',
    '  redis_username: "$KV_CACHE_USER"',
    '  redis_password: "$pw"',
    "  use_tls: true",
    "EOF",
  ].join("\n");
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { OTLP_GRPC_ENDPOINT } from "../lib/addons";
import { FisKubernetesAccess } from "../lib/chaos";
import { CapacityPlan } from "../lib/capacity/types";
import { Problems } from "../lib/core/validation";
import { parseIpv4Cidr, subnetLayout } from "../lib/network/private/cidr";
import { GrafanaDashboards, MeshTracing, ScrapeMonitors, SloAlertRules, VLLM_TTFT_BUCKETS_SECONDS, observabilityPropsFromPlan } from "../lib/observability";
import { ServingTier } from "../lib/serving";
import { configureBackend } from "./backend";
import { EnvironmentConfig } from "./environments";
import { ClusterStack } from "./cluster-stack";
import { FoundationStack, WORKER_CONSUMER_GROUP, WORKER_DB_USER, WORKLOAD_SERVICE_ACCOUNTS } from "./foundation-stack";
import { gpuNodePool } from "./karpenter-wiring";
import { kubernetesProvider } from "./kubernetes-access";
import { signalSources } from "./signals";
import { ingressGatewayReplicas, servingPropsFromPlan } from "./sizing";

/** Properties of {@link WorkloadsStack}. */
export interface WorkloadsStackProps {
  readonly env: EnvironmentConfig;
  readonly plan: CapacityPlan;
  readonly foundation: FoundationStack;
  readonly cluster: ClusterStack;
}

/**
 * `<env>-workloads`: the inference service, its autoscaling, the async Kafka path,
 * Istio traffic policy (mTLS, circuit breaker, canary, 429 admission), network
 * policies, monitors, SLO alerts, dashboards and tracing, all sized by the plan
 * through `servingPropsFromPlan` and `observabilityPropsFromPlan`. Custom resources
 * are created after `<env>-cluster` installed their CRDs.
 */
export class WorkloadsStack extends TerraformStack {
  public readonly serving: ServingTier;

  public constructor(scope: Construct, id: string, props: WorkloadsStackProps) {
    super(scope, id);
    const { env, plan, foundation } = props;
    configureBackend(this, id, env);
    kubernetesProvider(this, {
      clusterName: env.namePrefix,
      endpoint: foundation.cluster.endpoint,
      certificateAuthorityData: foundation.cluster.certificateAuthorityData,
      region: env.region,
    });

    // GPU NodePools first in reading order: serving pods are pending until Karpenter launches a node.
    gpuNodePool(this, env, plan, foundation);

    const s = servingPropsFromPlan(plan);
    // The data tier lives in the private subnets; their ranges are fixed by the VPC layout.
    const dataCidrs = [...subnetLayout(parseIpv4Cidr(env.vpcCidr)!, env.azCount).private];
    const gatewayReplicas = ingressGatewayReplicas(env.azCount);
    const hostResources = s.inference.hostResources;
    const problems = new Problems(`stack '${id}'`);
    if (!hostResources) {
      problems.add("STACK_HOST_RESOURCES", "plan.inference.instanceType", plan.inference.instanceType, "an instance type of the GPU catalog or a full GpuInstanceSpec (vCPUs and memory size the pods)");
    }
    problems.throwIfAny();

    this.serving = new ServingTier(this, "Serving", {
      production: env.production,
      region: env.region,
      hosts: [...env.serving.hosts],
      tlsCredentialName: env.serving.tlsCredentialName,
      otelEndpoint: OTLP_GRPC_ENDPOINT,
      resourceAttributes: { "deployment.environment": env.name },
      namespaces: { inference: WORKLOAD_SERVICE_ACCOUNTS.inference.namespace, workers: WORKLOAD_SERVICE_ACCOUNTS.worker.namespace },
      inference: {
        servedModelName: plan.input.model.name,
        modelSource: { bucketName: foundation.models.bucketName, prefix: plan.input.model.name },
        serviceAccountName: WORKLOAD_SERVICE_ACCOUNTS.inference.serviceAccount,
        replicas: s.inference.replicas,
        gpusPerReplica: s.inference.gpusPerReplica,
        maxConcurrentSequences: s.inference.maxConcurrentSequences,
        gpuMemoryUtilization: s.inference.gpuMemoryUtilization,
        maxModelLenTokens: s.inference.maxModelLenTokens,
        // With Karpenter the NodePool already limits nodes to the plan's compatible types, so the pods
        // pin only the family (its pool's larger sizes stay usable); node groups hold one type anyway.
        placement: foundation.karpenter ? familyOnly(s.inference.placement) : s.inference.placement,
        resources: { ...hostResources!, modelVolumeGiB: s.inference.modelVolumeGiB },
        modelLoadSeconds: s.inference.modelLoadSeconds,
        longestRequestSeconds: s.inference.longestRequestSeconds,
        kvCache: {
          cpuOffloadGiB: s.inference.kvCpuOffloadGiB,
          ...(foundation.kvCacheCredential
            ? {
                remote: {
                  host: foundation.cache.configurationEndpointAddress,
                  port: foundation.cache.port,
                  userName: foundation.kvCacheCredential.userName,
                  credentialSecretArn: foundation.kvCacheCredential.secretArn,
                },
              }
            : {}),
        },
        // The remote tier needs LMCache in the server image (validate-environments requires it then).
        ...(foundation.kvCacheCredential && env.serving.lmcacheImage ? { image: env.serving.lmcacheImage } : {}),
        ...(env.mesh.canary ? { canary: { image: env.mesh.canary.image } } : {}),
      },
      // The edge places each request through the InferencePool's endpoint picker.
      servingMode: "inference-extension",
      endpointPicker: s.endpointPicker,
      // The EKS control-plane ENIs live in the cluster (private) subnets.
      apiServerCidrs: dataCidrs,
      autoscaling: s.autoscaler,
      kafka: {
        bootstrapBrokers: foundation.kafka.bootstrapBrokersSaslIam,
        cidrs: dataCidrs,
        topics: s.topics,
        topicJobImage: env.serving.kafkaCliImage,
        topicAdminServiceAccountName: WORKLOAD_SERVICE_ACCOUNTS.topicAdmin.serviceAccount,
      },
      worker: {
        image: env.serving.workerImage,
        serviceAccountName: WORKLOAD_SERVICE_ACCOUNTS.worker.serviceAccount,
        kafka: {
          requestTopic: s.worker.requestTopic,
          resultTopic: s.worker.resultTopic,
          deadLetterTopic: s.worker.deadLetterTopic,
          requestTopicPartitions: s.worker.requestTopicPartitions,
          consumerGroup: WORKER_CONSUMER_GROUP,
        },
        redis: {
          host: foundation.cache.configurationEndpointAddress,
          port: String(foundation.cache.port),
          iamUserName: foundation.cache.userNames[0],
          replicationGroupId: foundation.cache.replicationGroupId,
        },
        database: {
          writerEndpoint: foundation.database.endpoint,
          readerEndpoint: foundation.database.readReplicaEndpoints[0] ?? foundation.database.endpoint,
          databaseName: foundation.database.databaseName,
          user: WORKER_DB_USER,
        },
        requestTimeoutSeconds: s.worker.requestTimeoutSeconds,
        concurrencyPerWorker: s.worker.concurrencyPerWorker,
        minReplicas: s.worker.minReplicas,
        maxReplicas: s.worker.maxReplicas,
        lagThreshold: s.worker.lagThreshold,
        pollingIntervalSeconds: s.worker.pollingIntervalSeconds,
        cooldownSeconds: s.worker.cooldownSeconds,
      },
      redisCidrs: dataCidrs,
      databaseCidrs: dataCidrs,
      // Every gateway replica and every worker's sidecar is an Envoy that enforces the pool on its own.
      traffic: {
        ...s.trafficPolicy,
        clientProxies: gatewayReplicas + s.worker.maxReplicas,
        ...(env.mesh.canary ? { weights: { stable: 100 - env.mesh.canary.weightPercent, canary: env.mesh.canary.weightPercent } } : {}),
        ...(env.mesh.faultInjection ? { faultInjection: env.mesh.faultInjection } : {}),
      },
      admission: { ...s.admission, gatewayReplicas },
    });
    // The pod-delete drill's service account and RBAC (the FIS templates live in <env>-foundation).
    new FisKubernetesAccess(this, "ChaosAccess", {
      namespace: this.serving.inferenceNamespace.name,
      apiServerCidrs: dataCidrs,
      dependsOn: [this.serving.inferenceNamespace.resource],
    });

    const sources = signalSources(foundation, plan);
    const alerts = new SloAlertRules(this, "Alerts", observabilityPropsFromPlan(plan, { ttftBucketsSeconds: VLLM_TTFT_BUCKETS_SECONDS, sources }));
    new ScrapeMonitors(this, "Monitors", { sources });
    new GrafanaDashboards(this, "Dashboards", { rules: alerts.ruleSet });
    new MeshTracing(this, "Tracing", { samplingPercent: env.tracingSamplingPercent });
  }
}

/** The placement without its instance-type pin. */
function familyOnly<T extends { readonly instanceType?: string }>(placement: T): Omit<T, "instanceType"> {
  const { instanceType: _pinned, ...rest } = placement;
  return rest;
}

import { Fn, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ClusterAddons, KUBE_PROMETHEUS_STACK, MONITORING_NAMESPACE, standardAddons } from "../lib/addons";
import { CapacityPlan } from "../lib/capacity/types";
import { CloudWatchExporter, ContainerLogs } from "../lib/observability";
import { InferenceExtensionCrds } from "../lib/serving/inference-extension-crds";
import { configureBackend } from "./backend";
import { EnvironmentConfig } from "./environments";
import { FoundationStack, nodeProvisionerOf, WORKER_CONSUMER_GROUP } from "./foundation-stack";
import { karpenterAddonSettings } from "./karpenter-wiring";
import { helmProvider, kubernetesProvider } from "./kubernetes-access";
import { signalSources } from "./signals";
import { ingressGatewayReplicas } from "./sizing";

/** Properties of {@link ClusterStack}. */
export interface ClusterStackProps {
  readonly env: EnvironmentConfig;
  readonly plan: CapacityPlan;
  readonly foundation: FoundationStack;
}

/**
 * `<env>-cluster`: every Helm release that installs CRDs or controllers
 * (load balancer controller, Istio, GPU plugins, Prometheus/Grafana, adapter,
 * KEDA, Jaeger, metrics-server) and the log and CloudWatch-metric shippers.
 * Its kubernetes and helm providers read the cluster's endpoint and CA from
 * `<env>-foundation` (cross-stack references) and authenticate with `aws eks get-token`.
 */
export class ClusterStack extends TerraformStack {
  public readonly addons: ClusterAddons;

  public constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id);
    const { env, plan, foundation } = props;
    new AwsProvider(this, "aws", {
      region: env.region,
      allowedAccountIds: [...env.allowedAccountIds],
      defaultTags: [{ tags: { ...env.tags, "headroom:stack": id } }],
    });
    configureBackend(this, id, env);
    const connection = {
      clusterName: env.namePrefix,
      endpoint: foundation.cluster.endpoint,
      certificateAuthorityData: foundation.cluster.certificateAuthorityData,
      region: env.region,
    };
    kubernetesProvider(this, connection);
    helmProvider(this, connection);

    const requestTopics = foundation.kafka.topics.map((t) => t.name);
    this.addons = new ClusterAddons(this, "Addons", {
      clusterName: env.namePrefix,
      region: env.region,
      vpcId: foundation.vpc.vpcId,
      gpu: {},
      addons: standardAddons({
        system: plan.system,
        tracingSamplingPercent: env.tracingSamplingPercent,
        // Fixed, so the per-gateway rate limits add up to the plan's admission rate.
        gatewayReplicas: { min: ingressGatewayReplicas(env.azCount), max: ingressGatewayReplicas(env.azCount) },
        kmsKeyArn: foundation.clusterKey.keyArn,
        highAvailability: env.production,
        // The autoscaler's minor must match the cluster's.
        kubernetesVersion: foundation.cluster.kubernetesVersion,
        // MSK's bootstrap string lists host:9098 pairs; the exporters listen on the same hosts.
        mskBrokerHosts: Fn.split(",", Fn.replace(foundation.kafka.bootstrapBrokersSaslIam, ":9098", "")),
        kafka: { clusterArn: foundation.kafka.clusterArn, topics: requestTopics, consumerGroups: [WORKER_CONSUMER_GROUP] },
        // Karpenter (default) or the Cluster Autoscaler, never both.
        nodeProvisioner: nodeProvisionerOf(env),
        ...karpenterAddonSettings(this, foundation),
      }),
    });

    // Gateway API and InferencePool CRDs, so the workloads stack can plan its routes and pool.
    new InferenceExtensionCrds(this, "InferenceCrds");

    new ContainerLogs(this, "ContainerLogs", {
      clusterName: env.namePrefix,
      region: env.region,
      kmsKey: foundation.logsKey,
      retentionDays: env.production ? 365 : 30,
    });
    new CloudWatchExporter(this, "CloudWatchExporter", {
      clusterName: env.namePrefix,
      region: env.region,
      sources: signalSources(foundation, plan),
      // Its namespace, and the ServiceMonitor CRD its chart renders, come with these.
      dependsOn: [this.addons.namespaces[MONITORING_NAMESPACE], this.addons.releases[KUBE_PROMETHEUS_STACK]],
    });
  }
}

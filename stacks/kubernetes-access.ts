import { Fn } from "cdktf";
import { Construct } from "constructs";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";

/** How the kubernetes and helm providers reach the cluster that `<env>-foundation` created. */
export interface ClusterConnection {
  /** Cluster name (for `aws eks get-token`). */
  readonly clusterName: string;
  /** API server endpoint (a cross-stack reference). */
  readonly endpoint: string;
  /** Base64-encoded cluster CA (a cross-stack reference). */
  readonly certificateAuthorityData: string;
  readonly region: string;
}

/** `aws eks get-token` runs on every provider call, so credentials never expire mid-apply and no token is stored. */
function execAuth(connection: ClusterConnection) {
  return {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", connection.clusterName, "--region", connection.region, "--output", "json"],
  };
}

/** Adds a kubernetes provider authenticated by exec (`aws eks get-token`), never a static token. */
export function kubernetesProvider(scope: Construct, connection: ClusterConnection): KubernetesProvider {
  return new KubernetesProvider(scope, "kubernetes", {
    host: connection.endpoint,
    clusterCaCertificate: Fn.base64decode(connection.certificateAuthorityData),
    exec: [execAuth(connection)],
  });
}

/** Adds a helm provider authenticated the same way. */
export function helmProvider(scope: Construct, connection: ClusterConnection): HelmProvider {
  return new HelmProvider(scope, "helm", {
    kubernetes: {
      host: connection.endpoint,
      clusterCaCertificate: Fn.base64decode(connection.certificateAuthorityData),
      exec: execAuth(connection),
    },
  });
}

import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { GATEWAY_API_VERSION, INFERENCE_EXTENSION_CRD_VERSION, INFERENCE_POOL_CRD } from "./crds";

/**
 * The InferencePool CustomResourceDefinition of the Gateway API Inference Extension v1.6.0 (see
 * `lib/serving/crds`). It belongs in the cluster stack so that the workloads stack's
 * `kubernetes_manifest` pool can be planned (a custom resource cannot be planned before its CRD
 * exists). The CRD is a `kubernetes_manifest` with `field_manager.force_conflicts`, so a re-apply
 * wins over a stray `kubectl apply` of the same CRD.
 *
 * The route to the pool also needs the Gateway API standard-channel CRDs
 * ({@link InferenceExtensionCrds.versions}`.gatewayApi`), which a cluster carries once for every
 * Gateway API user: install them from the upstream release before `<env>-cluster` (README, "Deploy
 * order"), or serve with `servingMode: "least-request"`, which needs neither.
 *
 * @example
 * new InferenceExtensionCrds(clusterStack, "InferenceCrds");
 */
export class InferenceExtensionCrds extends Construct {
  /** Every installed CRD, by its `metadata.name`. */
  public readonly crds: Readonly<Record<string, Manifest>>;
  /** The pinned versions. */
  public static readonly versions = { gatewayApi: GATEWAY_API_VERSION, inferenceExtension: INFERENCE_EXTENSION_CRD_VERSION } as const;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    const pool = new Manifest(this, "InferencePools", {
      manifest: JSON.parse(JSON.stringify(INFERENCE_POOL_CRD)) as Record<string, unknown>,
      fieldManager: { name: "headroom", forceConflicts: true },
    });
    this.crds = { [INFERENCE_POOL_CRD.metadata.name]: pool };
  }
}

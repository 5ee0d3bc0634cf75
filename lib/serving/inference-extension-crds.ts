import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { CrdDocument, GATEWAY_API_VERSION, GATEWAY_CLASS_CRD, GATEWAY_CRD, HTTP_ROUTE_CRD, INFERENCE_EXTENSION_CRD_VERSION, INFERENCE_POOL_CRD, REFERENCE_GRANT_CRD } from "./crds";

/** Props of {@link InferenceExtensionCrds}. */
export interface InferenceExtensionCrdsProps {
  /**
   * Install the Gateway API standard-channel CRDs (GatewayClass, Gateway, HTTPRoute,
   * ReferenceGrant). `false` when another owner (a platform team's own release) installs
   * them; they must then be v1.5.x.
   * @default true
   */
  readonly gatewayApi?: boolean;
}

/**
 * The CustomResourceDefinitions the inference request path needs, from pinned upstream
 * releases (see `lib/serving/crds`): Gateway API v1.5.1 (standard channel) and the
 * InferencePool of the Gateway API Inference Extension v1.6.0. They belong in the cluster
 * stack so that the workloads stack's `kubernetes_manifest` objects can be planned (a custom
 * resource cannot be planned before its CRD exists).
 *
 * Each CRD is a `kubernetes_manifest` with `field_manager.force_conflicts` so a re-apply wins
 * over a stray `kubectl apply` of the same CRD; the CRDs carry upstream's
 * `bundle-version` annotation.
 *
 * @example
 * new InferenceExtensionCrds(clusterStack, "InferenceCrds");
 */
export class InferenceExtensionCrds extends Construct {
  /** Every installed CRD, by its `metadata.name`. */
  public readonly crds: Readonly<Record<string, Manifest>>;
  /** The pinned versions. */
  public static readonly versions = { gatewayApi: GATEWAY_API_VERSION, inferenceExtension: INFERENCE_EXTENSION_CRD_VERSION } as const;

  public constructor(scope: Construct, id: string, props: InferenceExtensionCrdsProps = {}) {
    super(scope, id);
    const documents: [string, CrdDocument][] = [
      ...((props.gatewayApi ?? true)
        ? ([
            ["GatewayClasses", GATEWAY_CLASS_CRD],
            ["Gateways", GATEWAY_CRD],
            ["HttpRoutes", HTTP_ROUTE_CRD],
            ["ReferenceGrants", REFERENCE_GRANT_CRD],
          ] as [string, CrdDocument][])
        : []),
      ["InferencePools", INFERENCE_POOL_CRD],
    ];
    const crds: Record<string, Manifest> = {};
    for (const [cid, doc] of documents) {
      crds[doc.metadata.name] = new Manifest(this, cid, {
        manifest: JSON.parse(JSON.stringify(doc)) as Record<string, unknown>,
        fieldManager: { name: "headroom", forceConflicts: true },
      });
    }
    this.crds = crds;
  }
}

import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1beta1/AuthorizationPolicy";
import { Construct } from "constructs";
import { ISTIO_INGRESS_GATEWAY_NAME, ISTIO_INGRESS_NAMESPACE } from "../addons/constants";
import { Problems } from "../core/validation";
import { checkSchema, manifestFrom } from "../private/typed-manifest";

/** A workload identity: the service account of a namespace. */
export interface MeshIdentity {
  readonly namespace: string;
  readonly serviceAccountName: string;
}

/** Props of {@link InferenceAuthorization}. */
export interface InferenceAuthorizationProps {
  /** Namespace of the inference server. */
  readonly namespace: string;
  /** Labels of the inference pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Port of the API. */
  readonly port: number;
  /** Identities allowed besides the ingress gateway (the async workers). */
  readonly callers: readonly MeshIdentity[];
  /**
   * The ingress gateway's identity.
   * @default { namespace: ISTIO_INGRESS_NAMESPACE, serviceAccountName: ISTIO_INGRESS_GATEWAY_NAME }
   */
  readonly gateway?: MeshIdentity;
  /**
   * Mesh trust domain.
   * @default "cluster.local"
   */
  readonly trustDomain?: string;
}

/**
 * An Istio ALLOW AuthorizationPolicy on the inference pods: only the ingress gateway and
 * the named callers (the async workers), identified by their mTLS certificates, may call
 * the API. It complements the NetworkPolicies, which cannot tell two pods of one namespace apart
 * by identity.
 *
 * @example
 * new InferenceAuthorization(stack, "InferenceAuthz", {
 *   namespace: "inference", podLabels: inference.selectorLabels, port: 8000,
 *   callers: [{ namespace: "workers", serviceAccountName: "inference-worker" }],
 * });
 */
export class InferenceAuthorization extends Construct {
  /** The AuthorizationPolicy (`kubernetes_manifest`). */
  public readonly resource: Manifest;
  /** The validated model. */
  public readonly model: AuthorizationPolicy;
  /** SPIFFE principals allowed. */
  public readonly principals: readonly string[];

  public constructor(scope: Construct, id: string, props: InferenceAuthorizationProps) {
    super(scope, id);
    const problems = new Problems(`InferenceAuthorization '${id}'`);
    if (Object.keys(props.podLabels).length === 0) problems.add("AUTHZ_SELECTOR_EMPTY", "podLabels", props.podLabels, "at least one label (an empty selector would cover the whole namespace)");
    const trustDomain = props.trustDomain ?? "cluster.local";
    const gateway = props.gateway ?? { namespace: ISTIO_INGRESS_NAMESPACE, serviceAccountName: ISTIO_INGRESS_GATEWAY_NAME };
    this.principals = [gateway, ...props.callers].map((i) => `${trustDomain}/ns/${i.namespace}/sa/${i.serviceAccountName}`);
    this.model = new AuthorizationPolicy({
      metadata: { name: "inference-callers", namespace: props.namespace, labels: { "app.kubernetes.io/part-of": "headroom" } },
      spec: {
        selector: { matchLabels: { ...props.podLabels } },
        action: "ALLOW",
        rules: [{ from: [{ source: { principals: [...this.principals] } }], to: [{ operation: { ports: [String(props.port)] } }] }],
      },
    });
    checkSchema(problems, "authorizationPolicy", this.model);
    problems.throwIfAny();
    this.resource = manifestFrom(this, "Resource", this.model);
  }
}

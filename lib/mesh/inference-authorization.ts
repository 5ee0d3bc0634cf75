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
   * Identities allowed to read `GET /metrics` only (the endpoint picker scores replicas on vLLM's metrics).
   * @default none
   */
  readonly metricsReaders?: readonly MeshIdentity[];
  /**
   * The endpoint picker's pods and ext-proc port: a second policy admits only the gateway there.
   * @default none
   */
  readonly endpointPicker?: { readonly podLabels: Readonly<Record<string, string>>; readonly port: number };
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
  /** The endpoint picker's AuthorizationPolicy, when `endpointPicker` is set. */
  public readonly pickerPolicy?: Manifest;
  /** Its validated model. */
  public readonly pickerModel?: AuthorizationPolicy;

  public constructor(scope: Construct, id: string, props: InferenceAuthorizationProps) {
    super(scope, id);
    const problems = new Problems(`InferenceAuthorization '${id}'`);
    if (Object.keys(props.podLabels).length === 0) problems.add("AUTHZ_SELECTOR_EMPTY", "podLabels", props.podLabels, "at least one label (an empty selector would cover the whole namespace)");
    const trustDomain = props.trustDomain ?? "cluster.local";
    const gateway = props.gateway ?? { namespace: ISTIO_INGRESS_NAMESPACE, serviceAccountName: ISTIO_INGRESS_GATEWAY_NAME };
    const principal = (i: MeshIdentity) => `${trustDomain}/ns/${i.namespace}/sa/${i.serviceAccountName}`;
    this.principals = [gateway, ...props.callers].map(principal);
    this.model = new AuthorizationPolicy({
      metadata: { name: "inference-callers", namespace: props.namespace, labels: { "app.kubernetes.io/part-of": "headroom" } },
      spec: {
        selector: { matchLabels: { ...props.podLabels } },
        action: "ALLOW",
        rules: [
          { from: [{ source: { principals: [...this.principals] } }], to: [{ operation: { ports: [String(props.port)] } }] },
          ...((props.metricsReaders ?? []).length > 0
            ? [
                {
                  from: [{ source: { principals: (props.metricsReaders ?? []).map(principal) } }],
                  to: [{ operation: { ports: [String(props.port)], methods: ["GET"], paths: ["/metrics"] } }],
                },
              ]
            : []),
        ],
      },
    });
    checkSchema(problems, "authorizationPolicy", this.model);
    if (props.endpointPicker) {
      if (Object.keys(props.endpointPicker.podLabels).length === 0) {
        problems.add("AUTHZ_SELECTOR_EMPTY", "endpointPicker.podLabels", props.endpointPicker.podLabels, "at least one label (an empty selector would cover the whole namespace)");
      }
      this.pickerModel = new AuthorizationPolicy({
        metadata: { name: "endpoint-picker-callers", namespace: props.namespace, labels: { "app.kubernetes.io/part-of": "headroom" } },
        spec: {
          selector: { matchLabels: { ...props.endpointPicker.podLabels } },
          action: "ALLOW",
          // Only the gateway calls the picker (ext-proc); its metrics port bypasses the sidecar.
          rules: [{ from: [{ source: { principals: [principal(gateway)] } }], to: [{ operation: { ports: [String(props.endpointPicker.port)] } }] }],
        },
      });
      checkSchema(problems, "pickerPolicy", this.pickerModel);
    }
    problems.throwIfAny();
    this.resource = manifestFrom(this, "Resource", this.model);
    if (this.pickerModel) this.pickerPolicy = manifestFrom(this, "PickerPolicy", this.pickerModel);
  }
}

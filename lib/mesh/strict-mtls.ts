import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import { Construct } from "constructs";
import { Problems } from "../core/validation";
import { checkSchema, manifestFrom } from "../private/typed-manifest";

/** Props of {@link StrictMtls}. */
export interface StrictMtlsProps {
  /** Namespace whose workloads accept mutual TLS only. */
  readonly namespace: string;
}

/**
 * A namespace-wide PeerAuthentication in STRICT mode: every workload of the namespace
 * accepts only mutual-TLS traffic from mesh identities, so a plaintext client inside the
 * VPC cannot reach the inference server even if a NetworkPolicy were too wide.
 *
 * @example
 * new StrictMtls(stack, "InferenceMtls", { namespace: "inference" });
 */
export class StrictMtls extends Construct {
  /** The PeerAuthentication (`kubernetes_manifest`). */
  public readonly resource: Manifest;
  /** The validated model. */
  public readonly model: PeerAuthentication;

  public constructor(scope: Construct, id: string, props: StrictMtlsProps) {
    super(scope, id);
    const problems = new Problems(`StrictMtls '${id}'`);
    this.model = new PeerAuthentication({
      // "default" is the conventional name of the namespace-wide policy (no selector).
      metadata: { name: "default", namespace: props.namespace, labels: { "app.kubernetes.io/part-of": "headroom" } },
      spec: { mtls: { mode: "STRICT" } },
    });
    checkSchema(problems, "peerAuthentication", this.model);
    problems.throwIfAny();
    this.resource = manifestFrom(this, "Resource", this.model);
  }
}

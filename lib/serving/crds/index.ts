/**
 * CustomResourceDefinitions of the inference request path, vendored from pinned upstream
 * releases by `scripts/vendor-crds.mjs` (field descriptions removed, nothing else changed):
 *
 * - Gateway API **v1.5.1**, standard channel (kubernetes-sigs/gateway-api, `config/crd/standard`):
 *   GatewayClass, Gateway, HTTPRoute, ReferenceGrant. Istio 1.30 implements this channel
 *   (its istiod ClusterRole watches v1.5's ListenerSet), and the pinned AWS Load Balancer
 *   Controller chart ships only AWS's own gateway CRDs, so nothing else installs these.
 * - Gateway API Inference Extension **v1.6.0** (kubernetes-sigs/gateway-api-inference-extension,
 *   `config/crd/bases`): InferencePool (`inference.networking.k8s.io/v1`).
 *
 * The same documents are the schemas the constructs validate their objects against
 * (`crdModel` in `lib/private/typed-manifest.ts`), so what is installed and what is checked
 * cannot drift apart.
 */
export type { CrdDocument } from "./types";
export { GATEWAY_CLASS_CRD } from "./gateway-classes";
export { GATEWAY_CRD } from "./gateways";
export { HTTP_ROUTE_CRD } from "./http-routes";
export { REFERENCE_GRANT_CRD } from "./reference-grants";
export { INFERENCE_POOL_CRD } from "./inference-pools";

/** Gateway API release whose standard-channel CRDs are vendored. */
export const GATEWAY_API_VERSION = "v1.5.1";
/** Gateway API Inference Extension release whose InferencePool CRD is vendored. */
export const INFERENCE_EXTENSION_CRD_VERSION = "v1.6.0";

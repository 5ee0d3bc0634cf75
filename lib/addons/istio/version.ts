/**
 * One Istio version for base, cni, istiod and gateway: the four charts, the control-plane images and
 * the proxies istiod injects must match.
 *
 * Istio 1.30 is supported on Kubernetes 1.32-1.36 (istio.io, "Announcing Istio 1.30.0": "officially
 * supported on Kubernetes versions 1.32 to 1.36"), which covers every EKS version Headroom offers
 * (1.33-1.35, `lib/eks/versions.ts`). Istio 1.27 (Kubernetes 1.29-1.33) did not cover 1.34 and 1.35.
 * Chart values were checked by rendering the 1.30.3 chart sources (`npm run helm:render`).
 */
export const ISTIO_VERSION = "1.30.3";
/** Istio's Helm repository. */
export const ISTIO_REPOSITORY = "https://istio-release.storage.googleapis.com/charts";
/**
 * Registry of the Istio images (pilot, proxyv2, install-cni), set explicitly on every chart: the 1.30
 * release charts default to `registry.istio.io/release`, a registry Istio retires, while every release
 * is published to Docker Hub under `istio` (the charts' own comment: "Releases are published to docker
 * hub under 'istio' project").
 */
export const ISTIO_IMAGE_HUB = "docker.io/istio";

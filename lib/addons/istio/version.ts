/**
 * One Istio version for base, istiod and gateway: the three charts must match.
 * Istio 1.27 is supported on Kubernetes 1.29-1.33 (istio.io supported releases), which
 * covers the EKS versions Headroom targets (1.31-1.33).
 */
export const ISTIO_VERSION = "1.27.3";
/** Istio's Helm repository. */
export const ISTIO_REPOSITORY = "https://istio-release.storage.googleapis.com/charts";

import { HelmAddon, HelmChart, PodSecurityLevel } from "../addon";
import { ISTIO_SYSTEM_NAMESPACE } from "../constants";
import { ISTIO_REPOSITORY, ISTIO_VERSION } from "./version";

/** Add-on name of {@link IstioBase}. */
export const ISTIO_BASE = "istio-base";
/** Chart pin: Istio `base` (CRDs and cluster roles). */
export const ISTIO_BASE_CHART: HelmChart = { chart: "base", repository: ISTIO_REPOSITORY, version: ISTIO_VERSION };

/**
 * Istio `base`: the Istio CRDs (VirtualService, DestinationRule, PeerAuthentication, Telemetry...)
 * that `<env>-workloads` creates objects of. No pods.
 *
 * @example
 * new IstioBase()
 */
export class IstioBase extends HelmAddon {
  public readonly name = ISTIO_BASE;
  public readonly chart = ISTIO_BASE_CHART;
  public readonly namespace = ISTIO_SYSTEM_NAMESPACE;
  public readonly podSecurity: PodSecurityLevel = "restricted";

  public constructor(opts: Record<string, never> = {}) {
    super(opts, []);
  }

  public values(): Record<string, unknown> {
    // The default revision makes the validating webhook of istiod the one for un-revisioned namespaces.
    return { defaultRevision: "default" };
  }
}

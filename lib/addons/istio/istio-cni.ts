import { HelmAddon, HelmChart, PodSecurityLevel, Toleration } from "../addon";
import { resources } from "../private/values";
import { ISTIO_IMAGE_HUB, ISTIO_REPOSITORY, ISTIO_VERSION } from "./version";

/** Add-on name of {@link IstioCni}. */
export const ISTIO_CNI = "istio-cni";
/** Chart pin: Istio `cni` (the CNI node agent), at the same version as base, istiod and gateway. */
export const ISTIO_CNI_CHART: HelmChart = { chart: "cni", repository: ISTIO_REPOSITORY, version: ISTIO_VERSION };
/** Namespace of the Istio CNI node agent. */
export const ISTIO_CNI_NAMESPACE = "kube-system";
/** Host directory of CNI plugin binaries on EKS nodes (where the Amazon VPC CNI installs `aws-cni`). */
export const EKS_CNI_BIN_DIR = "/opt/cni/bin";
/** Host directory of CNI network configuration on EKS nodes (the VPC CNI writes `10-aws.conflist` there). */
export const EKS_CNI_CONF_DIR = "/etc/cni/net.d";

/**
 * The Istio CNI node agent: a DaemonSet that sets up each meshed pod's traffic redirection while the
 * container runtime creates the pod's network, instead of the `istio-init` init container.
 *
 * Why: `istio-init` needs `NET_ADMIN` and `NET_RAW`, which the Pod Security Standard "restricted"
 * forbids, so every injected pod in a restricted serving namespace would be refused. With this agent
 * and {@link Istiod} rendering `cni.enabled`, the injector adds the unprivileged `istio-validation`
 * init container instead. The privilege moves to one agent per node: it mounts host paths and adds
 * `NET_ADMIN`, `SYS_ADMIN` and others, so its namespace must allow "privileged".
 *
 * It runs in `kube-system` (the chart's README recommends it so that `system-node-critical` is
 * allowed; on EKS that namespace is not labelled by Headroom and admits privileged pods), which keeps
 * `istio-system` at "restricted" for istiod. Chained onto the Amazon VPC CNI configuration in
 * {@link EKS_CNI_CONF_DIR}. It tolerates every taint, so it also runs on GPU nodes
 * (`nvidia.com/gpu=true:NoSchedule`): a meshed pod on a node without the agent would fail validation.
 *
 * @example
 * new IstioCni()
 */
export class IstioCni extends HelmAddon {
  public readonly name = ISTIO_CNI;
  public readonly chart = ISTIO_CNI_CHART;
  public readonly namespace = ISTIO_CNI_NAMESPACE;
  public readonly podSecurity: PodSecurityLevel = "privileged";

  /** Tolerations of the DaemonSet: every taint, whatever its key or effect. */
  public static readonly TOLERATIONS: readonly Toleration[] = [{ operator: "Exists" }];

  public constructor(opts: Record<string, never> = {}) {
    super(opts, []);
  }

  public values(): Record<string, unknown> {
    // Istio 1.24+ charts read overrides at the top level (no `cni:` prefix, unlike istioctl's `values.cni`).
    return {
      // Insert the istio-cni plugin into the VPC CNI's conflist rather than writing a standalone config.
      chained: true,
      cniBinDir: EKS_CNI_BIN_DIR,
      cniConfDir: EKS_CNI_CONF_DIR,
      provider: "default",
      ambient: { enabled: false },
      // A list replaces the chart's default list, so this is the whole set.
      tolerations: [...IstioCni.TOLERATIONS],
      resources: resources("100m", "100Mi", { memory: "512Mi" }),
      // Pinned install-cni image, the same Istio version as istiod.
      global: { hub: ISTIO_IMAGE_HUB, tag: ISTIO_VERSION },
    };
  }
}
